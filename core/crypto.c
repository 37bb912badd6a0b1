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

#include "extern.h"

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
 * Reduces what a child typed to the 12 code symbols: case is ignored;
 * spaces, dashes (also the Unicode dashes phones insert), dots and
 * direction marks are skipped; Arabic-Indic and Persian digits count as
 * the digits they are.  Returns -1 for anything else or a wrong length.
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
		/* Direction marks a phone puts in a right-to-left field:
		 * U+200E, U+200F, U+202A..U+202E, U+2066..U+2069, U+061C. */
		if ((p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x8e ||
		    p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae))) ||
		    (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 &&
		    p[2] <= 0xa9)) {
			p += 2;
			continue;
		}
		if (p[0] == 0xd8 && p[1] == 0x9c) {
			p++;
			continue;
		}
		/* Arabic-Indic (U+0660..) and Persian (U+06F0..) digits. */
		if (p[0] == 0xd9 && p[1] >= 0xa0 && p[1] <= 0xa9) {
			c = '0' + (p[1] - 0xa0);
			p++;
			goto symbol;
		}
		if (p[0] == 0xdb && p[1] >= 0xb0 && p[1] <= 0xb9) {
			c = '0' + (p[1] - 0xb0);
			p++;
			goto symbol;
		}
		c = *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p;
symbol:
		if (c == 0 || strchr(code_alphabet, c) == NULL || n == CODE_CHARS)
			return -1;
		out[n++] = (char)c;
	}
	if (n != CODE_CHARS)
		return -1;
	out[n] = '\0';
	return 0;
}

/*
 * Seals n bytes of data with an expiry into a cookie-safe text: base64url
 * of data, the expiry (8 bytes) and a keyed hash over both.  Returns -1 if
 * out is too small.
 */
int
crypto_seal(const char *purpose, const char *tenant, const unsigned char *data,
    size_t n, int64_t expires, char *out, size_t outlen)
{
	unsigned char	 raw[64 + 8 + CRYPTO_HASHBYTES];
	int		 i;

	if (n > 64 || sodium_base64_ENCODED_LEN(n + 8 + CRYPTO_HASHBYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) > outlen)
		return -1;
	memcpy(raw, data, n);
	for (i = 0; i < 8; i++)
		raw[n + i] = (unsigned char)((uint64_t)expires >> (56 - 8 * i));
	crypto_keyed_hash(purpose, tenant, raw, n + 8, raw + n + 8);
	sodium_bin2base64(out, outlen, raw, n + 8 + CRYPTO_HASHBYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

/* Opens what crypto_seal made: 0 and the n bytes of data if the seal is
 * intact and not expired at now, else -1. */
int
crypto_unseal(const char *purpose, const char *tenant, const char *in,
    int64_t now, unsigned char *data, size_t n)
{
	unsigned char	 raw[64 + 8 + CRYPTO_HASHBYTES], mac[CRYPTO_HASHBYTES];
	size_t		 len = 0;
	uint64_t	 expires = 0;
	int		 i;

	if (n > 64 || in == NULL || sodium_base642bin(raw, sizeof(raw), in,
	    strlen(in), NULL, &len, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != n + 8 + CRYPTO_HASHBYTES)
		return -1;
	crypto_keyed_hash(purpose, tenant, raw, n + 8, mac);
	if (sodium_memcmp(mac, raw + n + 8, CRYPTO_HASHBYTES) != 0)
		return -1;
	for (i = 0; i < 8; i++)
		expires = expires << 8 | raw[n + i];
	if ((int64_t)expires < now)
		return -1;
	memcpy(data, raw, n);
	return 0;
}

/*
 * Encrypts n (at most CRYPTO_BOX_MAX) bytes of data with an expiry
 * (INT64_MAX: none) into a cookie- and column-safe text: base64url of a
 * random nonce and XChaCha20-Poly1305 of the expiry and the data, under a
 * key derived from the instance key for purpose and tenant, so a text of
 * one purpose or tenant opens under no other.  For what must stay secret
 * in a cookie or the database (a second factor's seed, recovery codes on
 * their way to the page).  Returns 0, or -1 if out is too small.
 */
int
crypto_box_text(const char *purpose, const char *tenant,
    const unsigned char *data, size_t n, int64_t expires, char *out,
    size_t outlen)
{
	unsigned char	 key[CRYPTO_KEYBYTES];
	unsigned char	 plain[8 + CRYPTO_BOX_MAX];
	unsigned char	 raw[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
			    sizeof(plain) + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	unsigned long long clen;
	size_t		 npub = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	int		 i;

	if (n > CRYPTO_BOX_MAX ||
	    outlen < sodium_base64_ENCODED_LEN(npub + 8 + n +
	    crypto_aead_xchacha20poly1305_ietf_ABYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return -1;
	crypto_keyed_hash(purpose, tenant, "box", 3, key);
	for (i = 0; i < 8; i++)
		plain[i] = (unsigned char)((uint64_t)expires >> (56 - 8 * i));
	memcpy(plain + 8, data, n);
	randombytes_buf(raw, npub);
	crypto_aead_xchacha20poly1305_ietf_encrypt(raw + npub, &clen, plain,
	    8 + n, NULL, 0, NULL, raw, key);
	sodium_bin2base64(out, outlen, raw, npub + (size_t)clen,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(plain, sizeof(plain));
	return 0;
}

/* Opens what crypto_box_text made: 0 with the data in out (*n bytes, at
 * most max) if it is intact, of this purpose and tenant, and not expired
 * at now; else -1. */
int
crypto_open_text(const char *purpose, const char *tenant, const char *in,
    int64_t now, unsigned char *out, size_t max, size_t *n)
{
	unsigned char	 key[CRYPTO_KEYBYTES];
	unsigned char	 plain[8 + CRYPTO_BOX_MAX];
	unsigned char	 raw[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
			    sizeof(plain) + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	unsigned long long plen;
	size_t		 len, npub = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	uint64_t	 expires = 0;
	int		 i, rc = -1;

	*n = 0;
	if (in == NULL || sodium_base642bin(raw, sizeof(raw), in, strlen(in),
	    NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len < npub + 8 + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return -1;
	crypto_keyed_hash(purpose, tenant, "box", 3, key);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL,
	    raw + npub, len - npub, NULL, 0, raw, key) != 0)
		goto done;
	for (i = 0; i < 8; i++)
		expires = (expires << 8) | plain[i];
	if ((int64_t)expires <= now || plen - 8 > max)
		goto done;
	memcpy(out, plain + 8, (size_t)plen - 8);
	*n = (size_t)plen - 8;
	rc = 0;
done:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(plain, sizeof(plain));
	return rc;
}
