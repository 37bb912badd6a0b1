/*
 * secret.c: the child's secret: the rules a new one must meet (a
 * passphrase, or for the youngest a PIN of at least 6 digits where the
 * tenant allows it), and argon2id hashing and verification with at least
 * libsodium's interactive limits.  Each hash takes 64 MB for a moment, so a
 * counting gate bounds how many run at once in a process: a whole class
 * logging in together queues instead of exhausting memory.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"

static pthread_mutex_t	 gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 gate_cond = PTHREAD_COND_INITIALIZER;
static int		 gate_free = 2;
static char		 dummy[crypto_pwhash_STRBYTES];

/* Sets how many hashes may run at once in this process (at least 1). */
void
secret_init(int concurrency)
{
	pthread_mutex_lock(&gate_lock);
	gate_free = concurrency < 1 ? 1 : concurrency;
	pthread_mutex_unlock(&gate_lock);
}

static void
gate_enter(void)
{
	pthread_mutex_lock(&gate_lock);
	while (gate_free == 0)
		pthread_cond_wait(&gate_cond, &gate_lock);
	gate_free--;
	pthread_mutex_unlock(&gate_lock);
}

static void
gate_leave(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_free++;
	pthread_cond_signal(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

static int
is_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* 1 for PINs anyone would guess first: one digit repeated, or a run up
 * or down (123456, 987654). */
static int
is_obvious_pin(const char *s)
{
	size_t	 i, n = strlen(s);
	int	 same = 1, up = 1, down = 1;

	for (i = 1; i < n; i++) {
		same &= s[i] == s[0];
		up &= s[i] == (char)(s[i - 1] + 1);
		down &= s[i] == (char)(s[i - 1] - 1);
	}
	return same || up || down;
}

/*
 * Writes the form of a secret that is checked and hashed: Arabic-Indic and
 * Persian digits become 0-9, and the Arabic and Persian forms of yeh and
 * kaf become one, so the same secret typed on another keyboard matches.
 * (The input gate has already made it NFC.)  Returns -1 if out is small.
 */
int
secret_canon(const char *in, char *out, size_t outlen)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 n = 0;

	for (; *p != '\0'; p++) {
		if (n + 3 >= outlen)
			return -1;
		if (p[0] == 0xd9 && p[1] >= 0xa0 && p[1] <= 0xa9) {
			out[n++] = (char)('0' + (p[1] - 0xa0));
			p++;
		} else if (p[0] == 0xdb && p[1] >= 0xb0 && p[1] <= 0xb9) {
			out[n++] = (char)('0' + (p[1] - 0xb0));
			p++;
		} else if (p[0] == 0xd9 && p[1] == 0x8a) {	/* U+064A yeh */
			out[n++] = (char)0xdb;			/* U+06CC */
			out[n++] = (char)0x8c;
			p++;
		} else if (p[0] == 0xd9 && p[1] == 0x83) {	/* U+0643 kaf */
			out[n++] = (char)0xda;			/* U+06A9 */
			out[n++] = (char)0xa9;
			p++;
		} else
			out[n++] = (char)*p;
	}
	out[n] = '\0';
	return 0;
}

/*
 * Checks a new secret (in its canonical form).  Returns NULL if it may be used, else the key of
 * the UI string that says why.
 */
const char *
secret_check(const char *s, int allow_pin)
{
	size_t		 bytes = strlen(s), chars = 0;
	const char	*p;

	for (p = s; *p != '\0'; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			chars++;
	if (bytes > SECRET_MAX)
		return "secret.too_long";
	if (is_digits(s)) {
		if (!allow_pin)
			return "secret.no_pin";
		if (bytes < 6)
			return "secret.pin_short";
		if (is_obvious_pin(s))
			return "secret.pin_obvious";
		return NULL;
	}
	if (chars < 8)
		return "secret.short";
	return NULL;
}

/* Hashes a secret with argon2id into out; -1 on failure (out of memory). */
int
secret_hash(const char *s, char out[crypto_pwhash_STRBYTES])
{
	int	 rc;

	gate_enter();
	rc = crypto_pwhash_str(out, s, strlen(s),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	gate_leave();
	if (rc != 0)
		LOG_ERR("argon2id failed (out of memory?)");
	return rc == 0 ? 0 : -1;
}

/*
 * 1 if s matches hash, else 0.  With no hash (an unknown code, a code
 * without a secret) it still spends the same work on a dummy, so the time
 * does not tell a wrong code from a wrong secret.
 */
int
secret_verify(const char *hash, const char *s)
{
	int	 rc;

	if (hash == NULL || *hash == '\0') {
		gate_enter();
		if (dummy[0] == '\0' && crypto_pwhash_str(dummy, "dummy", 5,
		    crypto_pwhash_OPSLIMIT_INTERACTIVE,
		    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			dummy[0] = '\0';
		gate_leave();
		hash = dummy[0] != '\0' ? dummy : NULL;
		if (hash != NULL) {
			gate_enter();
			rc = crypto_pwhash_str_verify(hash, s, strlen(s));
			gate_leave();
			(void)rc;
		}
		return 0;
	}
	gate_enter();
	rc = crypto_pwhash_str_verify(hash, s, strlen(s));
	gate_leave();
	return rc == 0;
}

/*
 * The lock after the given number of failed logins of one code: after 5,
 * 15 minutes, doubling with every 5 more; from 20 on, until a professional
 * unlocks it (INT64_MAX).  0 when the code is not locked by this failure.
 */
int64_t
secret_locked_until(int failures, int64_t now)
{
	int64_t	 minutes = 15;
	int	 i;

	if (failures >= 20)
		return INT64_MAX;
	if (failures < 5 || failures % 5 != 0)
		return 0;
	for (i = 5; i < failures; i += 5)
		minutes *= 2;
	return now + minutes * 60 * 1000000;
}
