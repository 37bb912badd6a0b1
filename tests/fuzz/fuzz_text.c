/*
 * fuzz_text.c: valid_utf8 and text_clean (ICU's UTF-8 check and NFC) on
 * any bytes, with and without line breaks allowed, under a small and a
 * large maximum.  valid_utf8 must agree with a strict reading of RFC 3629
 * written here (no overlong forms, no surrogates, nothing past U+10FFFF).
 * What text_clean accepts is valid, NUL-terminated at its length, within
 * max, free of control characters, and a fixed point; TEXT_TOO_LONG
 * means exactly that the NFC form is longer than max.
 */
#include "config.h"

#include "extern.h"
#include "fuzz.h"

#define SMALL_MAX	8
#define LARGE_MAX	(1024 * 1024)

/* RFC 3629, table 3-7 of the Unicode standard. */
static int
strict_utf8(const unsigned char *s, size_t n)
{
	size_t	 i = 0, k, need;
	unsigned char lo, hi, c;

	while (i < n) {
		c = s[i];
		lo = 0x80;
		hi = 0xbf;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf)
			need = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			if (c == 0xe0)
				lo = 0xa0;
			if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			if (c == 0xf0)
				lo = 0x90;
			if (c == 0xf4)
				hi = 0x8f;
		} else
			return 0;
		if (n - i - 1 < need)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (k = 2; k <= need; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return 0;
		i += need + 1;
	}
	return 1;
}

static int
has_control(const char *s, size_t n, int allow_newlines)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t' || (allow_newlines && (c == '\n' || c == '\r')))
			continue;
		if (c < 0x20 || c == 0x7f)
			return 1;
		/* C1 controls U+0080..U+009F are C2 80..C2 9F. */
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9f)
			return 1;
	}
	return 0;
}

static enum text_err
clean(struct arena *a, const char *s, size_t n, size_t max, int nl,
    char **out, size_t *outlen)
{
	enum text_err	 e;
	char		*again;
	size_t		 againlen;

	*out = NULL;
	*outlen = 0;
	e = text_clean(a, s, n, max, nl, out, outlen);
	fuzz_assert(e == TEXT_OK || e == TEXT_BAD_UTF8 || e == TEXT_CONTROL ||
	    e == TEXT_TOO_LONG);
	if (e != TEXT_OK)
		return e;
	fuzz_assert(*out != NULL && strlen(*out) == *outlen);
	fuzz_assert(*outlen <= max);
	fuzz_assert(strict_utf8((const unsigned char *)*out, *outlen));
	fuzz_assert(!has_control(*out, *outlen, nl));
	/* NFC is idempotent: the output is its own clean form. */
	fuzz_assert(text_clean(a, *out, *outlen, max, nl, &again,
	    &againlen) == TEXT_OK);
	fuzz_assert(againlen == *outlen && memcmp(again, *out, *outlen) == 0);
	return e;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a;
	const char	*s = (const char *)data;
	char		*o[2][2];
	size_t		 ol[2][2];
	enum text_err	 e[2][2];
	int		 valid, nl, m;
	static const size_t max[2] = { SMALL_MAX, LARGE_MAX };

	valid = valid_utf8(s, size);
	fuzz_assert(valid == strict_utf8(data, size));
	if ((a = arena_new()) == NULL)
		return 0;
	for (nl = 0; nl < 2; nl++)
		for (m = 0; m < 2; m++) {
			e[nl][m] = clean(a, s, size, max[m], nl, &o[nl][m],
			    &ol[nl][m]);
			if (e[nl][m] == TEXT_OK)
				fuzz_assert(valid);
			if (!valid)
				fuzz_assert(e[nl][m] != TEXT_OK);
		}
	for (m = 0; m < 2; m++)
		if (e[0][m] == TEXT_OK)	/* newlines allowed: a superset */
			fuzz_assert(e[1][m] == TEXT_OK && ol[1][m] == ol[0][m] &&
			    memcmp(o[1][m], o[0][m], ol[0][m]) == 0);
	for (nl = 0; nl < 2; nl++) {
		if (e[nl][0] == TEXT_OK)
			fuzz_assert(e[nl][1] == TEXT_OK &&
			    ol[nl][1] == ol[nl][0] &&
			    memcmp(o[nl][1], o[nl][0], ol[nl][0]) == 0);
		/* The limit is on the result: a large-max result that fits
		 * the small max is the small-max result. */
		if (e[nl][1] == TEXT_OK && ol[nl][1] <= SMALL_MAX)
			fuzz_assert(e[nl][0] == TEXT_OK);
		if (e[nl][0] == TEXT_TOO_LONG && e[nl][1] == TEXT_OK)
			fuzz_assert(ol[nl][1] > SMALL_MAX);
	}
	arena_free(a);
	return 0;
}
