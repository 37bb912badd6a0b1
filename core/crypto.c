/*
 * crypto.c: the instance secret, keyed hashes, random tokens and invitation
 * codes, all from libsodium.  The secret lives in its own file (mode 0600,
 * created on first use), never in a tenant database: a stolen database alone
 * cannot be used to test guesses of codes or tokens.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "beratta.h"

/* No 0/O, no 1/I: 32 symbols, 5 bits each, 12 symbols = 60 bits. */
static const char code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static unsigned char crypto_key[CRYPTO_KEYBYTES];

void
crypto_set_key(const unsigned char key[CRYPTO_KEYBYTES])
{
	memcpy(crypto_key, key, CRYPTO_KEYBYTES);
}

/* Reads the instance secret from path, creating it if absent. */
int
crypto_init(const char *path)
{
	unsigned char	 key[CRYPTO_KEYBYTES];
	int		 fd;
	ssize_t		 n;

	if (sodium_init() < 0) {
		LOG_ERR("sodium_init failed");
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 && errno == ENOENT) {
		randombytes_buf(key, sizeof(key));
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd == -1 && errno != EEXIST) {
			LOG_ERR("%s: %s", path, strerror(errno));
			return -1;
		}
		if (fd != -1) {
			if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) ||
			    fsync(fd) == -1) {
				LOG_ERR("%s: %s", path, strerror(errno));
				close(fd);
				unlink(path);
				return -1;
			}
			close(fd);
		}
		sodium_memzero(key, sizeof(key));
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd == -1) {
		LOG_ERR("%s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, key, sizeof(key));
	close(fd);
	if (n != (ssize_t)sizeof(key)) {
		LOG_ERR("%s: not a %d-byte secret", path, CRYPTO_KEYBYTES);
		return -1;
	}
	crypto_set_key(key);
	sodium_memzero(key, sizeof(key));
	return 0;
}

/* BLAKE2b keyed with the instance secret over purpose, tenant and data. */
void
crypto_keyed_hash(const char *purpose, const char *tenant, const void *p,
    size_t n, unsigned char out[CRYPTO_HASHBYTES])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, crypto_key, sizeof(crypto_key),
	    CRYPTO_HASHBYTES);
	crypto_generichash_update(&st, (const unsigned char *)purpose,
	    strlen(purpose) + 1);
	crypto_generichash_update(&st, (const unsigned char *)tenant,
	    strlen(tenant) + 1);
	crypto_generichash_update(&st, p, n);
	crypto_generichash_final(&st, out, CRYPTO_HASHBYTES);
}

/* Writes a 256-bit random token as unpadded base64url (43 characters). */
void
crypto_token(char *out, size_t outlen)
{
	unsigned char	 raw[CRYPTO_TOKENBYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, outlen, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

/* Decodes a token into its 32 bytes; -1 if it is not exactly one. */
int
crypto_token_decode(const char *s, unsigned char out[CRYPTO_TOKENBYTES])
{
	size_t	 n = 0;

	if (strlen(s) != sodium_base64_ENCODED_LEN(CRYPTO_TOKENBYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1)
		return -1;
	if (sodium_base642bin(out, CRYPTO_TOKENBYTES, s, strlen(s), NULL, &n,
	    NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n != CRYPTO_TOKENBYTES)
		return -1;
	return 0;
}

/* Writes a new code for reading aloud, e.g. "K7Q2-M9XH-4RTP". */
void
code_generate(char out[CODE_DISPLAY])
{
	char	 norm[CODE_CHARS + 1];
	size_t	 i;

	for (i = 0; i < CODE_CHARS; i++)
		norm[i] = code_alphabet[randombytes_uniform(sizeof(code_alphabet) - 1)];
	norm[CODE_CHARS] = '\0';
	code_format(norm, out);
}

void
code_format(const char norm[CODE_CHARS + 1], char out[CODE_DISPLAY])
{
	size_t	 i, j = 0;

	for (i = 0; i < CODE_CHARS; i++) {
		if (i > 0 && i % 4 == 0)
			out[j++] = '-';
		out[j++] = norm[i];
	}
	out[j] = '\0';
}

/*
 * Reduces what a child typed to the 12 code symbols: case is ignored and
 * spaces, dashes (also the Unicode dashes phones insert) and dots are
 * skipped.  Returns -1 for anything else or a wrong length.
 */
int
code_normalize(const char *in, char out[CODE_CHARS + 1])
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 n = 0;
	int			 c;

	for (; *p != '\0'; p++) {
		if (*p == ' ' || *p == '-' || *p == '\t' || *p == '.')
			continue;
		/* U+00A0 no-break space; U+2010..U+2015 dashes; U+2212 minus */
		if (p[0] == 0xc2 && p[1] == 0xa0) {
			p++;
			continue;
		}
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95) {
			p += 2;
			continue;
		}
		if (p[0] == 0xe2 && p[1] == 0x88 && p[2] == 0x92) {
			p += 2;
			continue;
		}
		c = *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p;
		if (c == 0 || strchr(code_alphabet, c) == NULL || n == CODE_CHARS)
			return -1;
		out[n++] = (char)c;
	}
	if (n != CODE_CHARS)
		return -1;
	out[n] = '\0';
	return 0;
}
