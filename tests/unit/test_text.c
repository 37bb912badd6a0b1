/*
 * test_text.c: the gate every input string passes: UTF-8 validity, NFC,
 * control characters and the length limit.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "extern.h"
#include "tap.h"

static struct arena *A;

/* text_clean of the NUL-terminated s with max bytes and newlines as given. */
static enum text_err
clean(const char *s, size_t max, int nl, char **out, size_t *outlen)
{
	return text_clean(A, s, strlen(s), max, nl, out, outlen);
}

static enum text_err
clean_rc(const char *s, int nl)
{
	char	*o;
	size_t	 n;

	return clean(s, 1000, nl, &o, &n);
}

/* 1 if s cleans to want (with want's length). */
static int
cleans_to(const char *s, const char *want)
{
	char	*o = NULL;
	size_t	 n = 0;

	return clean(s, 1000, 0, &o, &n) == TEXT_OK && o != NULL &&
	    n == strlen(want) && strcmp(o, want) == 0;
}

static void
test_valid_utf8(void)
{
	ok(valid_utf8("plain ascii", 11), "valid_utf8: ASCII");
	ok(valid_utf8("", 0), "valid_utf8: empty string");
	ok(valid_utf8("h\xc3\xa4lsa \xf0\x9f\x99\x82", 11),
	    "valid_utf8: two- and four-byte sequences");
	ok(!valid_utf8("\xc3\x28", 2), "valid_utf8: bad continuation refused");
	ok(!valid_utf8("\x80", 1), "valid_utf8: lone continuation refused");
	ok(!valid_utf8("a\xc3", 2), "valid_utf8: truncated sequence refused");
	ok(!valid_utf8("\xc0\xaf", 2), "valid_utf8: two-byte overlong refused");
	ok(!valid_utf8("\xe0\x80\xaf", 3),
	    "valid_utf8: three-byte overlong refused");
	ok(!valid_utf8("\xf0\x80\x80\xaf", 4),
	    "valid_utf8: four-byte overlong refused");
	ok(!valid_utf8("\xed\xa0\x80", 3), "valid_utf8: surrogate refused");
	ok(!valid_utf8("\xf4\x90\x80\x80", 4),
	    "valid_utf8: above U+10FFFF refused");
	ok(!valid_utf8("\xff", 1), "valid_utf8: byte 0xFF refused");
	ok(valid_utf8("ab\xc3\xa4", 2),
	    "valid_utf8: reads only the given length");
}

static void
test_clean(void)
{
	char		*o;
	size_t		 n;
	const char	*in = "hello, world";

	o = NULL;
	ok(text_clean(A, in, strlen(in), 100, 0, &o, &n) == TEXT_OK &&
	    o != NULL && o != in && strcmp(o, in) == 0 && n == strlen(in),
	    "text_clean: ASCII copied as it is");
	ok(text_clean(A, "abcdef", 3, 100, 0, &o, &n) == TEXT_OK &&
	    strcmp(o, "abc") == 0 && n == 3,
	    "text_clean: reads only n bytes, output NUL-terminated");
	ok(text_clean(A, "", 0, 100, 0, &o, &n) == TEXT_OK && n == 0 &&
	    *o == '\0', "text_clean: empty input is empty output");
	ok(cleans_to("Ren\x65\xcc\x81", "Ren\xc3\xa9"),
	    "text_clean: decomposed e + U+0301 becomes U+00E9 (NFC)");
	ok(cleans_to("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab",
	    "\xed\x95\x9c"), "text_clean: Hangul jamo composed (NFC)");
	ok(cleans_to("\xc3\xa5ngest \xf0\x9f\x99\x82",
	    "\xc3\xa5ngest \xf0\x9f\x99\x82"),
	    "text_clean: text already in NFC unchanged");
	ok(clean_rc("\xc3\x28", 0) == TEXT_BAD_UTF8,
	    "text_clean: malformed UTF-8 is TEXT_BAD_UTF8");
	ok(clean_rc("ok \x80", 0) == TEXT_BAD_UTF8,
	    "text_clean: lone continuation is TEXT_BAD_UTF8");
	ok(clean_rc("\xc0\xaf", 0) == TEXT_BAD_UTF8,
	    "text_clean: two-byte overlong is TEXT_BAD_UTF8");
	ok(clean_rc("\xe0\x80\xaf", 0) == TEXT_BAD_UTF8,
	    "text_clean: three-byte overlong is TEXT_BAD_UTF8");
	ok(clean_rc("\xed\xa0\x80", 0) == TEXT_BAD_UTF8,
	    "text_clean: high surrogate is TEXT_BAD_UTF8");
	ok(clean_rc("\xed\xbf\xbf", 0) == TEXT_BAD_UTF8,
	    "text_clean: low surrogate is TEXT_BAD_UTF8");
	ok(text_clean(A, "a\0b", 3, 100, 1, &o, &n) == TEXT_CONTROL,
	    "text_clean: NUL is TEXT_CONTROL");
	ok(text_clean(A, "\xc3\xa4\0", 3, 100, 1, &o, &n) == TEXT_CONTROL,
	    "text_clean: NUL after non-ASCII is TEXT_CONTROL");
	ok(clean_rc("a\x01", 1) == TEXT_CONTROL,
	    "text_clean: 0x01 is TEXT_CONTROL");
	ok(clean_rc("a\x1b[31m", 1) == TEXT_CONTROL,
	    "text_clean: ESC is TEXT_CONTROL");
	ok(clean_rc("a\x7f", 1) == TEXT_CONTROL,
	    "text_clean: DEL 0x7f is TEXT_CONTROL");
	ok(clean_rc("a\xc2\x85", 1) == TEXT_CONTROL,
	    "text_clean: C1 control U+0085 is TEXT_CONTROL");
	ok(clean_rc("\xc3\xa4\xc2\x9f", 1) == TEXT_CONTROL,
	    "text_clean: C1 control U+009F is TEXT_CONTROL");
	ok(cleans_to("a\tb", "a\tb") && cleans_to("\xc3\xa4\tb", "\xc3\xa4\tb"),
	    "text_clean: tab allowed");
	ok(clean_rc("a\nb", 0) == TEXT_CONTROL &&
	    clean_rc("a\rb", 0) == TEXT_CONTROL &&
	    clean_rc("\xc3\xa4\nb", 0) == TEXT_CONTROL,
	    "text_clean: line breaks refused without allow_newlines");
	ok(clean("a\r\nb", 100, 1, &o, &n) == TEXT_OK &&
	    strcmp(o, "a\r\nb") == 0 &&
	    clean("\xc3\xa4\nb", 100, 1, &o, &n) == TEXT_OK,
	    "text_clean: line breaks allowed with allow_newlines");
	ok(clean("abcde", 5, 0, &o, &n) == TEXT_OK && n == 5,
	    "text_clean: ASCII of exactly max bytes accepted");
	ok(clean("abcdef", 5, 0, &o, &n) == TEXT_TOO_LONG,
	    "text_clean: ASCII over max is TEXT_TOO_LONG");
	/* "ää" is 4 bytes in NFC but 6 decomposed: the NFC length counts. */
	ok(clean("a\xcc\x88" "a\xcc\x88", 4, 0, &o, &n) == TEXT_OK && n == 4 &&
	    strcmp(o, "\xc3\xa4\xc3\xa4") == 0,
	    "text_clean: max counts NFC bytes (6 decomposed -> 4 fits 4)");
	ok(clean("\xc3\xa4\xc3\xa4", 3, 0, &o, &n) == TEXT_TOO_LONG,
	    "text_clean: multibyte over max is TEXT_TOO_LONG");
	ok(clean("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4", 2, 0, &o, &n) ==
	    TEXT_TOO_LONG, "text_clean: far over max is TEXT_TOO_LONG");
}

int
main(void)
{
	if ((A = arena_new()) == NULL)
		return 99;
	test_valid_utf8();
	test_clean();
	arena_free(A);
	return tap_done();
}
