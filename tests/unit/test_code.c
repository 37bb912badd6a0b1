/*
 * test_code.c: the instance secret, keyed hashes, random tokens and the
 * invitation codes children type.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"
#include "tap.h"

#define NCODES	1000

static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static void
hash_of(const char *purpose, const char *tenant, const char *data,
    unsigned char out[CRYPTO_HASHBYTES])
{
	crypto_keyed_hash(purpose, tenant, data, strlen(data), out);
}

static void
test_init(void)
{
	char		 dir[] = "/tmp/beratta-code-XXXXXX", path[128];
	unsigned char	 h1[CRYPTO_HASHBYTES], h2[CRYPTO_HASHBYTES];
	unsigned char	 zero[CRYPTO_KEYBYTES];
	struct stat	 st;
	FILE		*f;

	if (mkdtemp(dir) == NULL) {
		ok(0, "crypto_init: temporary folder");
		return;
	}
	snprintf(path, sizeof(path), "%s/secret.key", dir);
	ok(stat(path, &st) == -1, "crypto_init: the secret does not exist yet");
	ok(crypto_init(path) == 0, "crypto_init: creates a missing secret");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "crypto_init: the secret file has mode 0600");
	ok(stat(path, &st) == 0 && st.st_size == CRYPTO_KEYBYTES,
	    "crypto_init: the secret file holds %d bytes", CRYPTO_KEYBYTES);
	hash_of("code", "demo", "K7Q2M9XH4RTP", h1);

	memset(zero, 0, sizeof(zero));
	crypto_set_key(zero);
	hash_of("code", "demo", "K7Q2M9XH4RTP", h2);
	ok(memcmp(h1, h2, sizeof(h1)) != 0,
	    "crypto_keyed_hash: depends on the key");

	ok(crypto_init(path) == 0, "crypto_init: reads an existing secret");
	hash_of("code", "demo", "K7Q2M9XH4RTP", h2);
	ok(memcmp(h1, h2, sizeof(h1)) == 0,
	    "crypto_init: a second init reads the same key (same hashes)");

	if ((f = fopen(path, "w")) != NULL) {
		fputs("short", f);
		fclose(f);
	}
	ok(crypto_init(path) == -1, "crypto_init: a short secret is refused");
	unlink(path);
	snprintf(path, sizeof(path), "%s/missing/secret.key", dir);
	ok(crypto_init(path) == -1,
	    "crypto_init: a secret in a missing folder is refused");
	rmdir(dir);
	/* Back to a fixed key for what follows. */
	crypto_set_key(zero);
}

static void
test_hash(void)
{
	unsigned char	 a[CRYPTO_HASHBYTES], b[CRYPTO_HASHBYTES];

	hash_of("code", "demo", "ABC", a);
	hash_of("code", "demo", "ABC", b);
	ok(memcmp(a, b, sizeof(a)) == 0, "crypto_keyed_hash: deterministic");
	hash_of("session", "demo", "ABC", b);
	ok(memcmp(a, b, sizeof(a)) != 0, "crypto_keyed_hash: differs by purpose");
	hash_of("code", "other", "ABC", b);
	ok(memcmp(a, b, sizeof(a)) != 0, "crypto_keyed_hash: differs by tenant");
	hash_of("code", "demo", "ABD", b);
	ok(memcmp(a, b, sizeof(a)) != 0, "crypto_keyed_hash: differs by data");
	/* The parts are delimited: ("ab","c") is not ("a","bc"). */
	hash_of("ab", "c", "x", a);
	hash_of("a", "bc", "x", b);
	ok(memcmp(a, b, sizeof(a)) != 0,
	    "crypto_keyed_hash: purpose and tenant cannot run into each other");
}

static int
is_base64url(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static void
test_token(void)
{
	char		 t1[64], t2[64], bad[128];
	unsigned char	 raw[CRYPTO_TOKENBYTES], raw2[CRYPTO_TOKENBYTES];
	char		 again[64];
	size_t		 i;

	crypto_token(t1, sizeof(t1));
	crypto_token(t2, sizeof(t2));
	ok(strlen(t1) == 43 && is_base64url(t1),
	    "crypto_token: 43 characters of base64url");
	ok(strcmp(t1, t2) != 0, "crypto_token: two tokens differ");
	ok(crypto_token_decode(t1, raw) == 0,
	    "crypto_token_decode: a token decodes");
	crypto_token(again, sizeof(again));
	ok(crypto_token_decode(again, raw2) == 0 &&
	    memcmp(raw, raw2, sizeof(raw)) != 0,
	    "crypto_token_decode: different tokens decode differently");
	ok(crypto_token_decode(t1, raw2) == 0 &&
	    memcmp(raw, raw2, sizeof(raw)) == 0,
	    "crypto_token_decode: decoding is deterministic (round trip)");

	snprintf(bad, sizeof(bad), "%.42s", t1);
	ok(crypto_token_decode(bad, raw) == -1,
	    "crypto_token_decode: 42 characters refused");
	snprintf(bad, sizeof(bad), "%sA", t1);
	ok(crypto_token_decode(bad, raw) == -1,
	    "crypto_token_decode: 44 characters refused");
	ok(crypto_token_decode("", raw) == -1,
	    "crypto_token_decode: empty refused");
	snprintf(bad, sizeof(bad), "%s", t1);
	bad[10] = '+';
	ok(crypto_token_decode(bad, raw) == -1,
	    "crypto_token_decode: '+' (not base64url) refused");
	bad[10] = '=';
	ok(crypto_token_decode(bad, raw) == -1,
	    "crypto_token_decode: '=' refused");
	bad[10] = '.';
	ok(crypto_token_decode(bad, raw) == -1,
	    "crypto_token_decode: '.' refused");
	for (i = 0; i < 43; i++)
		bad[i] = 'A';
	bad[43] = '\0';
	bad[42] = 'B';	/* sets bits past the 256th: not canonical */
	ok(crypto_token_decode(bad, raw) == -1,
	    "crypto_token_decode: non-zero padding bits refused");
}

static int
code_shape(const char *c)
{
	size_t	 i;

	if (strlen(c) != 14)
		return 0;
	for (i = 0; i < 14; i++) {
		if (i == 4 || i == 9) {
			if (c[i] != '-')
				return 0;
		} else if (c[i] == '\0' || strchr(alphabet, c[i]) == NULL)
			return 0;
	}
	return 1;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_generate(void)
{
	static char	 codes[NCODES][CODE_DISPLAY];
	char		*sorted[NCODES];
	int		 seen[256];
	size_t		 i, j, bad = 0, same = 0, missing = 0;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < NCODES; i++) {
		code_generate(codes[i]);
		if (!code_shape(codes[i]))
			bad++;
		for (j = 0; codes[i][j] != '\0'; j++)
			seen[(unsigned char)codes[i][j]]++;
		sorted[i] = codes[i];
	}
	ok(CODE_DISPLAY == 15, "code: CODE_DISPLAY holds 14 characters and NUL");
	ok(bad == 0, "code_generate: %d codes of the form XXXX-XXXX-XXXX "
	    "over the alphabet (%zu bad, e.g. %s)", NCODES, bad, codes[0]);
	ok(seen['0'] == 0 && seen['O'] == 0 && seen['1'] == 0 &&
	    seen['I'] == 0, "code_generate: never 0, O, 1 or I");
	qsort(sorted, NCODES, sizeof(sorted[0]), str_cmp);
	for (i = 1; i < NCODES; i++)
		if (strcmp(sorted[i - 1], sorted[i]) == 0)
			same++;
	ok(same == 0, "code_generate: %d codes all distinct", NCODES);
	/* 12000 symbols over 32: about 375 each; none may be missing. */
	for (i = 0; alphabet[i] != '\0'; i++)
		if (seen[(unsigned char)alphabet[i]] < 200)
			missing++;
	ok(missing == 0, "code_generate: every symbol of the alphabet "
	    "appears (at least 200 times in %d codes)", NCODES);
}

static int
normalizes_to(const char *in, const char *want)
{
	char	 out[CODE_CHARS + 1];

	return code_normalize(in, out) == 0 && strcmp(out, want) == 0;
}

static int
refused(const char *in)
{
	char	 out[CODE_CHARS + 1];

	return code_normalize(in, out) == -1;
}

static void
test_normalize(void)
{
	char	 code[CODE_DISPLAY], norm[CODE_CHARS + 1], back[CODE_DISPLAY];

	ok(normalizes_to("K7Q2-M9XH-4RTP", "K7Q2M9XH4RTP"),
	    "code_normalize: the display form");
	ok(normalizes_to("k7q2-m9xh-4rtp", "K7Q2M9XH4RTP"),
	    "code_normalize: lower case accepted");
	ok(normalizes_to(" K7Q2 M9XH.4RTP\t", "K7Q2M9XH4RTP") &&
	    normalizes_to("K-7-Q-2-M9XH4RTP", "K7Q2M9XH4RTP"),
	    "code_normalize: spaces, tabs, dashes and dots ignored");
	ok(normalizes_to("K7Q2\xe2\x80\x93M9XH\xe2\x80\x93" "4RTP",
	    "K7Q2M9XH4RTP"), "code_normalize: en dash U+2013 ignored");
	ok(normalizes_to("K7Q2\xe2\x88\x92M9XH\xe2\x80\x90" "4RTP",
	    "K7Q2M9XH4RTP"),
	    "code_normalize: minus U+2212 and hyphen U+2010 ignored");
	ok(normalizes_to("K7Q2\xc2\xa0M9XH\xc2\xa0" "4RTP", "K7Q2M9XH4RTP"),
	    "code_normalize: no-break space U+00A0 ignored");
	ok(refused("K7Q2-M9XH-4RT"), "code_normalize: 11 symbols refused");
	ok(refused("K7Q2-M9XH-4RTPA"), "code_normalize: 13 symbols refused");
	ok(refused(""), "code_normalize: empty refused");
	ok(refused("K7Q2-M9XH-4RTO"), "code_normalize: 'O' refused");
	ok(refused("K7Q2-M9XH-4RT0"), "code_normalize: '0' refused");
	ok(refused("K7Q2-M9XH-4RT1"), "code_normalize: '1' refused");
	ok(refused("K7Q2-M9XH-4RTI"), "code_normalize: 'I' refused");
	ok(refused("K7Q2-M9XH-4RTi"), "code_normalize: 'i' refused");
	ok(refused("K7Q2-M9XH-4RT_") && refused("K7Q2-M9XH-4RT/") &&
	    refused("K7Q2,M9XH-4RTP"),
	    "code_normalize: other ASCII characters refused");
	ok(refused("K7Q2-M9XH-4RT\xc3\x84") && refused("K7Q2\xe2\x80\x99"
	    "M9XH4RTP"),
	    "code_normalize: other non-ASCII characters refused");
	ok(refused("K7Q2-M9XH-4RT\xe2\x80"),
	    "code_normalize: a truncated sequence at the end refused");

	code_generate(code);
	ok(code_normalize(code, norm) == 0 && strlen(norm) == CODE_CHARS,
	    "code_normalize: a generated code normalises");
	code_format(norm, back);
	ok(strcmp(code, back) == 0, "code_format: round trip to %s", code);
	code_format("ABCDEFGHJKLM", back);
	ok(strcmp(back, "ABCD-EFGH-JKLM") == 0,
	    "code_format: dashes after every four symbols");
}

int
main(void)
{
	test_init();
	test_hash();
	test_token();
	test_generate();
	test_normalize();
	return tap_done();
}
