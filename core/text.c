/*
 * text.c: the gate every input string passes before anything else sees it.
 * ICU checks the UTF-8 (malformed sequences, overlong forms and surrogates
 * are refused) and normalises to NFC.  Control characters are refused, with
 * line breaks allowed only where the caller says so (free text).  Output
 * lives in the caller's arena.
 */
#include "config.h"

#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utypes.h>

#include "extern.h"

static int
is_control(UChar32 c, int allow_newlines)
{
	if (c == '\t')
		return 0;
	if (c == '\n' || c == '\r')
		return !allow_newlines;
	return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/* Returns 1 if s[0..n) is well-formed UTF-8 by ICU's reading, else 0. */
int
valid_utf8(const char *s, size_t n)
{
	UErrorCode	 st = U_ZERO_ERROR;
	int32_t		 len = 0;

	if (n > INT32_MAX)
		return 0;
	u_strFromUTF8(NULL, 0, &len, s, (int32_t)n, &st);
	return st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING ||
	    U_SUCCESS(st);
}

/*
 * Checks s[0..n) and writes its NFC form, NUL-terminated, to *out in the
 * arena.  Fails with TEXT_TOO_LONG when the result would exceed max bytes.
 */
enum text_err
text_clean(struct arena *a, const char *s, size_t n, size_t max,
    int allow_newlines, char **out, size_t *outlen)
{
	UErrorCode		 st = U_ZERO_ERROR;
	const UNormalizer2	*nfc;
	UChar			*u, *v;
	int32_t			 ulen = 0, vlen, olen = 0, i;
	UChar32			 c;
	size_t			 k;
	char			*o;

	if (n > max && n / 3 > max)
		return TEXT_TOO_LONG;
	/* Fast path: printable ASCII is already valid and in NFC. */
	for (k = 0; k < n; k++) {
		unsigned char ch = (unsigned char)s[k];
		if (ch >= 0x80)
			break;
		if (is_control(ch, allow_newlines))
			return TEXT_CONTROL;
	}
	if (k == n) {
		if (n > max)
			return TEXT_TOO_LONG;
		if ((*out = arena_strndup(a, s, n)) == NULL)
			return TEXT_NOMEM;
		*outlen = n;
		return TEXT_OK;
	}
	if (n > INT32_MAX / 4)
		return TEXT_TOO_LONG;
	u_strFromUTF8(NULL, 0, &ulen, s, (int32_t)n, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		return TEXT_BAD_UTF8;
	st = U_ZERO_ERROR;
	if ((u = arena_alloc(a, ((size_t)ulen + 1) * sizeof(UChar))) == NULL)
		return TEXT_NOMEM;
	u_strFromUTF8(u, ulen + 1, NULL, s, (int32_t)n, &st);
	if (U_FAILURE(st))
		return TEXT_BAD_UTF8;
	for (i = 0; i < ulen; ) {
		U16_NEXT(u, i, ulen, c);
		if (U_IS_SURROGATE(c))
			return TEXT_BAD_UTF8;
		if (is_control(c, allow_newlines))
			return TEXT_CONTROL;
	}
	nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st))
		return TEXT_NOMEM;
	v = u;
	vlen = ulen;
	if (!unorm2_isNormalized(nfc, u, ulen, &st)) {
		st = U_ZERO_ERROR;
		vlen = unorm2_normalize(nfc, u, ulen, NULL, 0, &st);
		if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
			return TEXT_BAD_UTF8;
		st = U_ZERO_ERROR;
		if ((v = arena_alloc(a, ((size_t)vlen + 1) * sizeof(UChar))) == NULL)
			return TEXT_NOMEM;
		unorm2_normalize(nfc, u, ulen, v, vlen + 1, &st);
		if (U_FAILURE(st))
			return TEXT_BAD_UTF8;
	}
	st = U_ZERO_ERROR;
	u_strToUTF8(NULL, 0, &olen, v, vlen, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		return TEXT_BAD_UTF8;
	if ((size_t)olen > max)
		return TEXT_TOO_LONG;
	st = U_ZERO_ERROR;
	if ((o = arena_alloc(a, (size_t)olen + 1)) == NULL)
		return TEXT_NOMEM;
	u_strToUTF8(o, olen + 1, NULL, v, vlen, &st);
	if (U_FAILURE(st))
		return TEXT_BAD_UTF8;
	*out = o;
	*outlen = (size_t)olen;
	return TEXT_OK;
}
