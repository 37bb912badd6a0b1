/*
 * fuzz_urlencoded.c: request_parse_urlencoded on any bytes, under the
 * daemon's default limits and under tiny ones.  What it accepts must be
 * what the handlers are promised: at most fields_max pairs, one per
 * non-empty '&' segment, every key non-empty and every value within its
 * limit, NUL-terminated at its length, valid UTF-8 without control
 * characters (line breaks allowed in values).  Whatever tiny limits accept
 * the default limits accept the same way.
 */
#include "config.h"

#include "extern.h"
#include "fuzz.h"

static const struct limits	 big = { 64 * 1024, 200, 8 * 1024, 128 };
static const struct limits	 tiny = { 64, 4, 8, 4 };

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
	}
	return 0;
}

static size_t
segments(const char *s, size_t n)
{
	size_t	 i, k = 0;
	int	 in = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '&')
			in = 0;
		else if (!in) {
			in = 1;
			k++;
		}
	}
	return k;
}

static enum req_err
parse(struct arena *a, const char *s, size_t n, const struct limits *lim,
    struct kvlist *l)
{
	enum req_err	 rc;
	size_t		 i, klen;

	rc = request_parse_urlencoded(a, s, n, lim, l);
	fuzz_assert(rc == REQ_OK || rc == REQ_BAD || rc == REQ_TOO_LARGE);
	if (rc != REQ_OK)
		return rc;
	fuzz_assert(l->n <= lim->fields_max);
	fuzz_assert(l->n == segments(s, n));
	fuzz_assert(l->n == 0 || l->v != NULL);
	for (i = 0; i < l->n; i++) {
		fuzz_assert(l->v[i].key != NULL && l->v[i].val != NULL);
		klen = strlen(l->v[i].key);
		fuzz_assert(klen >= 1 && klen <= lim->key_max);
		fuzz_assert(valid_utf8(l->v[i].key, klen));
		fuzz_assert(!has_control(l->v[i].key, klen, 0));
		fuzz_assert(strlen(l->v[i].val) == l->v[i].vlen);
		fuzz_assert(l->v[i].vlen <= lim->field_max);
		fuzz_assert(valid_utf8(l->v[i].val, l->v[i].vlen));
		fuzz_assert(!has_control(l->v[i].val, l->v[i].vlen, 1));
	}
	if (l->n > 0)
		fuzz_assert(request_count(l, l->v[0].key) >= 1);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a;
	struct kvlist	 lb, lt;
	enum req_err	 rb, rt;
	size_t		 i;

	if ((a = arena_new()) == NULL)
		return 0;
	rb = parse(a, (const char *)data, size, &big, &lb);
	rt = parse(a, (const char *)data, size, &tiny, &lt);
	if (rt == REQ_OK) {
		fuzz_assert(rb == REQ_OK && lb.n == lt.n);
		for (i = 0; i < lt.n; i++) {
			fuzz_assert(strcmp(lb.v[i].key, lt.v[i].key) == 0);
			fuzz_assert(lb.v[i].vlen == lt.v[i].vlen &&
			    memcmp(lb.v[i].val, lt.v[i].val, lt.v[i].vlen) == 0);
		}
	}
	arena_free(a);
	return 0;
}
