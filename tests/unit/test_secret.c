/*
 * test_secret.c: the rules for a child's secret, argon2id hashing and
 * verification, the lock schedule after failed logins, and sealed values.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"
#include "tap.h"

#define MIN	((int64_t)60 * 1000000)

static void
test_rules(void)
{
	ok(secret_check("sol och måne", 0) == NULL, "a passphrase of 8+ characters");
	ok(secret_check("åäöåäöåä", 0) == NULL, "8 characters counted, not bytes");
	ok(secret_check("åäöåäöå", 0) != NULL &&
	    strcmp(secret_check("åäöåäöå", 0), "secret.short") == 0,
	    "7 characters (14 bytes) is too short");
	ok(secret_check("482916", 1) == NULL, "a PIN of 6 digits where allowed");
	ok(strcmp(secret_check("482916", 0), "secret.no_pin") == 0,
	    "a PIN refused where the tenant does not allow it");
	ok(strcmp(secret_check("48291", 1), "secret.pin_short") == 0,
	    "a PIN of 5 digits is too short");
	ok(strcmp(secret_check("111111", 1), "secret.pin_obvious") == 0 &&
	    strcmp(secret_check("123456", 1), "secret.pin_obvious") == 0 &&
	    strcmp(secret_check("987654", 1), "secret.pin_obvious") == 0,
	    "obvious PINs (repeated, runs up and down) refused");
	{
		char	 big[SECRET_MAX + 2];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ok(strcmp(secret_check(big, 0), "secret.too_long") == 0,
		    "over %d bytes refused", SECRET_MAX);
	}
}

static void
test_hash(void)
{
	char	 h[SECRET_HASHBYTES], h2[SECRET_HASHBYTES];

	secret_init(1);
	ok(secret_hash("sol och måne", h) == 0 &&
	    strncmp(h, "$argon2id$", 10) == 0, "hashed with argon2id");
	ok(crypto_pwhash_str_needs_rehash(h, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0,
	    "at least libsodium's interactive limits");
	ok(secret_hash("sol och måne", h2) == 0 && strcmp(h, h2) != 0,
	    "salted: the same secret hashes differently");
	ok(secret_verify(h, "sol och måne") == 1, "the right secret verifies");
	ok(secret_verify(h, "sol och mane") == 0, "a wrong secret does not");
	ok(secret_verify(NULL, "sol och måne") == 0 &&
	    secret_verify("", "x") == 0, "no hash (an unknown code) never verifies");
}

static void
test_locks(void)
{
	int64_t	 now = 1000 * MIN;
	int	 i;

	for (i = 1; i < 5; i++)
		ok(secret_locked_until(i, now) == 0, "%d failures: not locked", i);
	ok(secret_locked_until(5, now) == now + 15 * MIN, "5 failures: 15 minutes");
	ok(secret_locked_until(6, now) == 0, "6 failures: no new lock");
	ok(secret_locked_until(10, now) == now + 30 * MIN, "10 failures: 30 minutes");
	ok(secret_locked_until(15, now) == now + 60 * MIN, "15 failures: 60 minutes");
	ok(secret_locked_until(20, now) == INT64_MAX &&
	    secret_locked_until(25, now) == INT64_MAX,
	    "20 failures and more: until a professional unlocks");
}

static void
test_seal(void)
{
	unsigned char	 key[CRYPTO_KEYBYTES], data[32], out[32];
	char		 s[160];

	memset(key, 7, sizeof(key));
	crypto_set_key(key);
	memset(data, 0x5a, sizeof(data));
	ok(crypto_seal("p", "t", data, sizeof(data), 2000, s, sizeof(s)) == 0,
	    "crypto_seal: seals");
	ok(crypto_unseal("p", "t", s, 1999, out, sizeof(out)) == 0 &&
	    memcmp(out, data, sizeof(data)) == 0, "crypto_unseal: opens before expiry");
	ok(crypto_unseal("p", "t", s, 2001, out, sizeof(out)) == -1,
	    "crypto_unseal: refuses after expiry");
	ok(crypto_unseal("q", "t", s, 1000, out, sizeof(out)) == -1 &&
	    crypto_unseal("p", "u", s, 1000, out, sizeof(out)) == -1,
	    "crypto_unseal: refuses another purpose or tenant");
	s[5] = s[5] == 'A' ? 'B' : 'A';
	ok(crypto_unseal("p", "t", s, 1000, out, sizeof(out)) == -1,
	    "crypto_unseal: refuses a changed value");
	ok(crypto_unseal("p", "t", "", 1000, out, sizeof(out)) == -1 &&
	    crypto_unseal("p", "t", NULL, 1000, out, sizeof(out)) == -1,
	    "crypto_unseal: refuses nothing");
	ok(crypto_seal("p", "t", data, sizeof(data), 2000, s, 20) == -1,
	    "crypto_seal: refuses too small a buffer");
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_rules();
	test_hash();
	test_locks();
	test_seal();
	return tap_done();
}
