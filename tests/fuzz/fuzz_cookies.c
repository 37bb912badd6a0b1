/*
 * fuzz_cookies.c: request_parse_cookies on any Cookie header (the bytes up
 * to the first NUL, as the FastCGI environment hands it over).  A foreign
 * or broken pair is skipped, never fatal, so the only refusal is too many
 * pairs.  What is kept is what request_cookie may return: a non-empty key
 * without surrounding blanks, a value within its limit, both valid UTF-8
 * without control characters.  Tiny limits keep a subset of what the
 * default limits keep.
 */
#include "config.h"

#include "extern.h"
#include "fuzz.h"

static const struct limits	 big = { 64 * 1024, 200, 8 * 1024, 128 };
static const struct limits	 tiny = { 64, 4, 8, 4 };

static int
has_control(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != '\t' && (c < 0x20 || c == 0x7f))
			return 1;
	}
	return 0;
}

static enum req_err
parse(struct arena *a, const char *s, const struct limits *lim,
    struct kvlist *l)
{
	enum req_err	 rc;
	size_t		 i, klen;
	const char	*k;

	rc = request_parse_cookies(a, s, lim, l);
	fuzz_assert(rc == REQ_OK || rc == REQ_TOO_LARGE);
	if (rc != REQ_OK)
		return rc;
	fuzz_assert(l->n <= lim->fields_max);
	fuzz_assert(l->n == 0 || l->v != NULL);
	for (i = 0; i < l->n; i++) {
		k = l->v[i].key;
		fuzz_assert(k != NULL && l->v[i].val != NULL);
		klen = strlen(k);
		fuzz_assert(klen >= 1 && klen <= lim->key_max);
		fuzz_assert(k[0] != ' ' && k[klen - 1] != ' ' &&
		    k[0] != '\t' && k[klen - 1] != '\t');
		fuzz_assert(valid_utf8(k, klen) && !has_control(k, klen));
		fuzz_assert(strlen(l->v[i].val) == l->v[i].vlen);
		fuzz_assert(l->v[i].vlen <= lim->field_max);
		fuzz_assert(valid_utf8(l->v[i].val, l->v[i].vlen));
		fuzz_assert(!has_control(l->v[i].val, l->v[i].vlen));
	}
	if (l->n > 0) {
		struct request	 r = { .cookies = *l };
		fuzz_assert(request_cookie(&r, l->v[0].key) == l->v[0].val);
	}
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a;
	struct kvlist	 lb, lt;
	enum req_err	 rb, rt;
	char		*s;

	if ((a = arena_new()) == NULL)
		return 0;
	s = fuzz_cstr(data, size);
	rb = parse(a, s, &big, &lb);
	rt = parse(a, s, &tiny, &lt);
	if (rt == REQ_OK)
		fuzz_assert(rb == REQ_OK && lt.n <= lb.n);
	parse(a, NULL, &big, &lb);
	fuzz_assert(lb.n == 0);
	free(s);
	arena_free(a);
	return 0;
}
