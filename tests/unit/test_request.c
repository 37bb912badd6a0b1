/*
 * test_request.c: the parsers of untrusted request input: urlencoded query
 * strings and bodies, the Cookie header, and the single-value lookups the
 * handlers use.  Every refusal has its own check.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "tap.h"

static const struct limits lim = { 65536, 200, 8192, 128 };

/* Parses s (NUL-terminated) as urlencoded into l, in arena a. */
static enum req_err
parse(struct arena *a, const char *s, struct kvlist *l)
{
	return request_parse_urlencoded(a, s, strlen(s), &lim, l);
}

/* The result of parsing s alone, the list thrown away. */
static enum req_err
parse_rc(struct arena *a, const char *s)
{
	struct kvlist	 l;

	return parse(a, s, &l);
}

/* 1 if parsing s gives exactly one pair key=val. */
static int
parses_to(struct arena *a, const char *s, const char *key, const char *val)
{
	struct kvlist	 l;

	return parse(a, s, &l) == REQ_OK && l.n == 1 &&
	    strcmp(l.v[0].key, key) == 0 && strcmp(l.v[0].val, val) == 0 &&
	    l.v[0].vlen == strlen(val);
}

/* A "k=" + n bytes of 'x' string (malloc'd). */
static char *
long_field(const char *key, size_t n)
{
	size_t	 klen = strlen(key);
	char	*s;

	if ((s = malloc(klen + 1 + n + 1)) == NULL)
		abort();
	memcpy(s, key, klen);
	s[klen] = '=';
	memset(s + klen + 1, 'x', n);
	s[klen + 1 + n] = '\0';
	return s;
}

/* n fields "f0=1&f1=1&..." (malloc'd); sep between them. */
static char *
many_fields(size_t n, const char *sep)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < n; i++)
		if (buf_printf(&b, "%sf%zu=1", i ? sep : "", i) == -1)
			abort();
	if (buf_append(&b, "", 1) == -1)
		abort();
	return b.data;
}

static void
test_urlencoded(struct arena *a)
{
	struct kvlist	 l;
	char		*s;

	ok(parse(a, "a=1&b=two", &l) == REQ_OK && l.n == 2 &&
	    strcmp(l.v[0].key, "a") == 0 && strcmp(l.v[0].val, "1") == 0 &&
	    strcmp(l.v[1].key, "b") == 0 && strcmp(l.v[1].val, "two") == 0,
	    "urlencoded: simple pairs in order");
	ok(parses_to(a, "msg=hej+d%C3%A5+%26+%3D%2b", "msg", "hej då & =+"),
	    "urlencoded: '+' is a space and %%XX decodes (any hex case)");
	ok(parses_to(a, "n%C3%A4mn=%E2%82%AC%F0%9F%99%82", "nämn",
	    "\xe2\x82\xac\xf0\x9f\x99\x82"),
	    "urlencoded: UTF-8 through percent escapes kept, in key and value");
	ok(parses_to(a, "name=Rene%CC%81", "name", "Ren\xc3\xa9"),
	    "urlencoded: value normalised to NFC (e + U+0301 -> U+00E9)");
	ok(parses_to(a, "e%CC%81=1", "\xc3\xa9", "1"),
	    "urlencoded: key normalised to NFC");
	ok(parse_rc(a, "a=%C3%28") == REQ_BAD,
	    "urlencoded: invalid UTF-8 sequence refused");
	ok(parse_rc(a, "a=%80") == REQ_BAD,
	    "urlencoded: lone continuation byte refused");
	ok(parse_rc(a, "a=%C3") == REQ_BAD,
	    "urlencoded: truncated UTF-8 sequence refused");
	ok(parse_rc(a, "a=%C0%AF") == REQ_BAD,
	    "urlencoded: two-byte overlong refused");
	ok(parse_rc(a, "a=%E0%80%AF") == REQ_BAD,
	    "urlencoded: three-byte overlong refused");
	ok(parse_rc(a, "a=%ED%A0%80") == REQ_BAD,
	    "urlencoded: encoded surrogate U+D800 refused");
	ok(parse_rc(a, "a=%F4%90%80%80") == REQ_BAD,
	    "urlencoded: code point above U+10FFFF refused");
	ok(parse_rc(a, "%C3%28=1") == REQ_BAD,
	    "urlencoded: invalid UTF-8 in a key refused");
	ok(parse_rc(a, "a=x%00y") == REQ_BAD,
	    "urlencoded: NUL byte in a value refused");
	ok(parse_rc(a, "a%00b=1") == REQ_BAD,
	    "urlencoded: NUL byte in a key refused");
	ok(parse_rc(a, "a=%01") == REQ_BAD,
	    "urlencoded: control character 0x01 in a value refused");
	ok(parse_rc(a, "a=%7F") == REQ_BAD,
	    "urlencoded: DEL in a value refused");
	ok(parse_rc(a, "a=%C2%85") == REQ_BAD,
	    "urlencoded: C1 control U+0085 in a value refused");
	ok(parses_to(a, "a=line1%0D%0Aline2%09x", "a", "line1\r\nline2\tx"),
	    "urlencoded: newline and tab allowed in a value");
	ok(parse_rc(a, "a%0Ab=1") == REQ_BAD,
	    "urlencoded: newline in a key refused");
	ok(parse_rc(a, "a=%") == REQ_BAD,
	    "urlencoded: '%%' at the end refused");
	ok(parse_rc(a, "a=%4") == REQ_BAD,
	    "urlencoded: '%%' with one hex digit refused");
	ok(parse_rc(a, "a=%zz") == REQ_BAD,
	    "urlencoded: '%%' with non-hex digits refused");
	ok(parse_rc(a, "%4=1") == REQ_BAD,
	    "urlencoded: broken escape in a key refused");

	s = long_field("a", lim.field_max);
	ok(parse(a, s, &l) == REQ_OK && l.n == 1 &&
	    l.v[0].vlen == lim.field_max,
	    "urlencoded: a value of exactly field_max bytes accepted");
	free(s);
	s = long_field("a", lim.field_max + 1);
	ok(parse_rc(a, s) == REQ_TOO_LARGE,
	    "urlencoded: a value of field_max+1 bytes refused as too large");
	free(s);
	s = long_field("a", lim.field_max * 4);
	ok(parse_rc(a, s) == REQ_TOO_LARGE,
	    "urlencoded: a value far over field_max refused before decoding");
	free(s);

	s = many_fields(lim.fields_max, "&");
	ok(parse(a, s, &l) == REQ_OK && l.n == lim.fields_max,
	    "urlencoded: exactly fields_max fields accepted");
	free(s);
	s = many_fields(lim.fields_max + 1, "&");
	ok(parse_rc(a, s) == REQ_TOO_LARGE,
	    "urlencoded: fields_max+1 fields refused as too large");
	free(s);

	if ((s = malloc(lim.key_max + 1 + 3)) == NULL)
		abort();
	memset(s, 'k', lim.key_max + 1);
	memcpy(s + lim.key_max + 1, "=1", 3);
	ok(parse_rc(a, s) == REQ_TOO_LARGE,
	    "urlencoded: a key of key_max+1 bytes refused as too large");
	free(s);
	if ((s = malloc(100000 + 3)) == NULL)
		abort();
	memset(s, 'k', 100000);
	memcpy(s + 100000, "=1", 3);
	ok(parse_rc(a, s) == REQ_TOO_LARGE,
	    "urlencoded: a huge key refused as too large");
	free(s);

	ok(parse(a, "&&a=1&", &l) == REQ_OK && l.n == 1 &&
	    strcmp(l.v[0].key, "a") == 0,
	    "urlencoded: empty pairs skipped");
	ok(parse(a, "", &l) == REQ_OK && l.n == 0 && l.v == NULL,
	    "urlencoded: empty input gives an empty list");
	ok(parses_to(a, "flag", "flag", "") && parses_to(a, "flag=", "flag", ""),
	    "urlencoded: a key without '=' or value has the empty value");
	ok(parse_rc(a, "=x") == REQ_BAD,
	    "urlencoded: empty key refused");
	ok(parse_rc(a, "a=1&=x") == REQ_BAD,
	    "urlencoded: empty key after a good pair refused");
	ok(parses_to(a, "a=b=c", "a", "b=c"),
	    "urlencoded: value runs to the '&' and may hold '='");
}

static void
test_lookup(struct arena *a)
{
	struct request	 r;
	const char	*v;
	int		 dup;

	memset(&r, 0, sizeof(r));
	r.arena = a;
	ok(parse(a, "q=1&code=AB&code=CD&x=", &r.form) == REQ_OK &&
	    r.form.n == 4, "lookup: form with a duplicated key parsed");
	ok(parse(a, "q=query&only=1", &r.query) == REQ_OK,
	    "lookup: query parsed");

	v = request_get(&r.form, "q", &dup);
	ok(v != NULL && strcmp(v, "1") == 0 && dup == 0,
	    "request_get: single key found, dup 0");
	v = request_get(&r.form, "code", &dup);
	ok(v != NULL && strcmp(v, "AB") == 0 && dup == 1,
	    "request_get: duplicated key gives the first value and dup 1");
	dup = 7;
	ok(request_get(&r.form, "missing", &dup) == NULL && dup == 0,
	    "request_get: missing key is NULL, dup 0");
	ok(request_get(&r.form, "code", NULL) != NULL,
	    "request_get: dup pointer may be NULL");

	ok(request_count(&r.form, "code") == 2 &&
	    request_count(&r.form, "q") == 1 &&
	    request_count(&r.form, "none") == 0,
	    "request_count: counts every occurrence");

	r.method = "POST";
	v = request_param(&r, "q");
	ok(v != NULL && strcmp(v, "1") == 0,
	    "request_param: POST reads the form body");
	ok(request_param(&r, "only") == NULL,
	    "request_param: POST does not read the query");
	ok(request_param(&r, "code") == NULL,
	    "request_param: a duplicated parameter is refused (NULL)");
	v = request_param(&r, "x");
	ok(v != NULL && *v == '\0',
	    "request_param: an empty value is \"\", not NULL");
	r.method = "GET";
	v = request_param(&r, "q");
	ok(v != NULL && strcmp(v, "query") == 0,
	    "request_param: GET reads the query");
	ok(request_param(&r, "code") == NULL,
	    "request_param: GET does not read the form body");
}

static void
test_cookies(struct arena *a)
{
	struct request	 r;
	struct kvlist	 l;
	const char	*v;
	char		*s;

	ok(request_parse_cookies(a, "a=1; b=2", &lim, &l) == REQ_OK &&
	    l.n == 2 && strcmp(l.v[0].key, "a") == 0 &&
	    strcmp(l.v[0].val, "1") == 0 && strcmp(l.v[1].key, "b") == 0 &&
	    strcmp(l.v[1].val, "2") == 0,
	    "cookies: \"a=1; b=2\" parsed in order");
	ok(request_parse_cookies(a, "  a  =  1 ;\tb=2\t", &lim, &l) == REQ_OK &&
	    l.n == 2 && strcmp(l.v[0].key, "a") == 0 &&
	    strcmp(l.v[0].val, "1") == 0 && strcmp(l.v[1].val, "2") == 0,
	    "cookies: spaces and tabs around keys and values trimmed");
	ok(request_parse_cookies(a, "lang=\"en\"", &lim, &l) == REQ_OK &&
	    l.n == 1 && strcmp(l.v[0].val, "en") == 0 && l.v[0].vlen == 2,
	    "cookies: a quoted value is unquoted");
	ok(request_parse_cookies(a, "novalue; =x; a=1", &lim, &l) == REQ_OK &&
	    l.n == 1 && strcmp(l.v[0].key, "a") == 0,
	    "cookies: malformed pairs skipped, others kept");
	ok(request_parse_cookies(a, "bad=\xc3\x28; a=1", &lim, &l) == REQ_OK &&
	    l.n == 1 && strcmp(l.v[0].key, "a") == 0,
	    "cookies: a pair with invalid UTF-8 skipped, not fatal");
	ok(request_parse_cookies(a, "b\xed\xa0\x80=1; a=1", &lim, &l) ==
	    REQ_OK && l.n == 1 && strcmp(l.v[0].key, "a") == 0,
	    "cookies: a key with an encoded surrogate skipped");
	ok(request_parse_cookies(a, "bad=x\x01y; a=1; c=\x7f", &lim, &l) ==
	    REQ_OK && l.n == 1 && strcmp(l.v[0].key, "a") == 0,
	    "cookies: pairs with control characters skipped");
	s = long_field("big", lim.field_max + 1);
	ok(request_parse_cookies(a, s, &lim, &l) == REQ_OK && l.n == 0,
	    "cookies: a value over field_max skipped");
	free(s);
	s = many_fields(lim.fields_max, "; ");
	ok(request_parse_cookies(a, s, &lim, &l) == REQ_OK &&
	    l.n == lim.fields_max, "cookies: exactly fields_max pairs accepted");
	free(s);
	s = many_fields(lim.fields_max + 1, "; ");
	ok(request_parse_cookies(a, s, &lim, &l) == REQ_TOO_LARGE,
	    "cookies: more pairs than fields_max refused as too large");
	free(s);
	l.n = 5;
	ok(request_parse_cookies(a, NULL, &lim, &l) == REQ_OK && l.n == 0 &&
	    l.v == NULL, "cookies: NULL header gives an empty list");
	ok(request_parse_cookies(a, "", &lim, &l) == REQ_OK && l.n == 0,
	    "cookies: empty header gives an empty list");

	memset(&r, 0, sizeof(r));
	ok(request_parse_cookies(a, "s=first; s=second", &lim, &r.cookies) ==
	    REQ_OK, "cookies: a name given twice parsed");
	v = request_cookie(&r, "s");
	ok(v != NULL && strcmp(v, "first") == 0,
	    "request_cookie: the first of a name given twice wins");
	ok(request_cookie(&r, "none") == NULL,
	    "request_cookie: missing cookie is NULL");
}

/* The arena is wiped before it is freed (arena_free calls arena_wipe):
 * a parsed form's secret leaves no copy in freed memory. */
static void
test_wipe(void)
{
	struct arena	*w = arena_new();
	struct kvlist	 l;
	char		*big, *keep[8];
	size_t		 i, n = 0, nonzero = 0;

	if (w == NULL || parse(w, "secret=sol+och+m%C3%A5ne&csrf=x", &l) != REQ_OK ||
	    (big = arena_alloc(w, 40000)) == NULL) {
		ok(0, "arena_wipe: a parsed form");
		arena_free(w);
		return;
	}
	memset(big, 'S', 40000);
	/* The list itself is in the arena too: keep the pointers apart. */
	for (i = 0; i < l.n && n + 2 <= 8; i++) {
		keep[n++] = (char *)l.v[i].key;
		keep[n++] = (char *)l.v[i].val;
	}
	arena_wipe(w);
	for (i = 0; i < n; i++)
		nonzero += strlen(keep[i]);
	for (i = 0; i < 40000; i++)
		nonzero += big[i] != 0;
	ok(nonzero == 0, "arena_wipe: every value, key and large block is zeroed");
	arena_free(w);
}

int
main(void)
{
	struct arena	*a;

	if ((a = arena_new()) == NULL)
		return 99;
	test_urlencoded(a);
	test_lookup(a);
	test_cookies(a);
	test_wipe();
	arena_free(a);
	return tap_done();
}
