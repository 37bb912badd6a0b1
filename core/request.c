/*
 * request.c: parsers for the untrusted parts of a request: urlencoded query
 * strings and form bodies, and the Cookie header.  Every length is checked
 * against what is left and against the limits; every key and value passes
 * text_clean (UTF-8, NFC, no control characters) before it is stored.  The
 * results live in the request's arena.  The FastCGI side that fills a
 * struct request is in worker.c.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "extern.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes %XX and '+' of s[0..n) into dst (at least n bytes); -1 on a
 * broken escape. */
static int
urldecode(const char *s, size_t n, char *dst, size_t *dlen)
{
	size_t	 i, j = 0;
	int	 h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			dst[j++] = ' ';
		else if (s[i] == '%') {
			if (n - i < 3 || (h = hexval(s[i + 1])) < 0 ||
			    (l = hexval(s[i + 2])) < 0)
				return -1;
			dst[j++] = (char)(h << 4 | l);
			i += 2;
		} else
			dst[j++] = s[i];
	}
	*dlen = j;
	return 0;
}

static enum req_err
text_to_req(enum text_err e)
{
	switch (e) {
	case TEXT_OK:
		return REQ_OK;
	case TEXT_TOO_LONG:
		return REQ_TOO_LARGE;
	case TEXT_NOMEM:
		return REQ_NOMEM;
	default:
		return REQ_BAD;
	}
}

/*
 * Parses "k=v&k2=v2" into out (arena-owned).  Empty pairs are skipped; a
 * key without '=' has the empty value.  Returns REQ_BAD for a broken escape,
 * bad UTF-8 or a control character in a key, REQ_TOO_LARGE past a limit.
 */
enum req_err
request_parse_urlencoded(struct arena *a, const char *s, size_t n,
    const struct limits *lim, struct kvlist *out)
{
	const char	*p = s, *end = s + n, *amp, *eq;
	size_t		 cap = 0, klen, vlen, dlen, olen;
	struct kv	*v = NULL, *nv;
	char		*tmp, *key, *val;
	enum text_err	 te;

	out->v = NULL;
	out->n = 0;
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (out->n >= lim->fields_max)
			return REQ_TOO_LARGE;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		klen = (size_t)(eq - p);
		vlen = eq < amp ? (size_t)(amp - eq - 1) : 0;
		if (klen > lim->key_max * 3 || vlen > lim->field_max * 3 + 3)
			return REQ_TOO_LARGE;
		if ((tmp = arena_alloc(a, (klen > vlen ? klen : vlen) + 1)) == NULL)
			return REQ_NOMEM;
		if (urldecode(p, klen, tmp, &dlen) == -1)
			return REQ_BAD;
		if (dlen == 0)
			return REQ_BAD;
		te = text_clean(a, tmp, dlen, lim->key_max, 0, &key, &olen);
		if (te != TEXT_OK)
			return text_to_req(te);
		if (urldecode(eq < amp ? eq + 1 : amp, vlen, tmp, &dlen) == -1)
			return REQ_BAD;
		te = text_clean(a, tmp, dlen, lim->field_max, 1, &val, &olen);
		if (te != TEXT_OK)
			return text_to_req(te);
		if (out->n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((nv = arena_alloc(a, cap * sizeof(*nv))) == NULL)
				return REQ_NOMEM;
			if (out->n)
				memcpy(nv, v, out->n * sizeof(*nv));
			v = nv;
		}
		v[out->n].key = key;
		v[out->n].val = val;
		v[out->n].vlen = olen;
		out->n++;
		out->v = v;
		p = amp + 1;
	}
	return REQ_OK;
}

/*
 * Parses a Cookie header "a=b; c=d".  A pair that is malformed or fails the
 * text checks is skipped, not fatal: a foreign cookie must never lock a
 * child out.  More pairs than the field limit is REQ_TOO_LARGE.
 */
enum req_err
request_parse_cookies(struct arena *a, const char *s,
    const struct limits *lim, struct kvlist *out)
{
	const char	*p = s, *end, *semi, *eq, *ks, *ke, *vs, *ve;
	size_t		 cap = 0, olen;
	struct kv	*v = NULL, *nv;
	char		*key, *val;
	size_t		 seen = 0;

	out->v = NULL;
	out->n = 0;
	if (s == NULL)
		return REQ_OK;
	end = s + strlen(s);
	while (p < end) {
		if ((semi = memchr(p, ';', (size_t)(end - p))) == NULL)
			semi = end;
		if (++seen > lim->fields_max)
			return REQ_TOO_LARGE;
		eq = memchr(p, '=', (size_t)(semi - p));
		if (eq == NULL)
			goto next;
		for (ks = p; ks < eq && (*ks == ' ' || *ks == '\t'); ks++)
			;
		for (ke = eq; ke > ks && (ke[-1] == ' ' || ke[-1] == '\t'); ke--)
			;
		for (vs = eq + 1; vs < semi && (*vs == ' ' || *vs == '\t'); vs++)
			;
		for (ve = semi; ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
			;
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		if (ke == ks || (size_t)(ke - ks) > lim->key_max ||
		    (size_t)(ve - vs) > lim->field_max)
			goto next;
		if (text_clean(a, ks, (size_t)(ke - ks), lim->key_max, 0, &key,
		    &olen) != TEXT_OK)
			goto next;
		if (text_clean(a, vs, (size_t)(ve - vs), lim->field_max, 0, &val,
		    &olen) != TEXT_OK)
			goto next;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((nv = arena_alloc(a, cap * sizeof(*nv))) == NULL)
				return REQ_NOMEM;
			if (out->n)
				memcpy(nv, v, out->n * sizeof(*nv));
			v = nv;
		}
		v[out->n].key = key;
		v[out->n].val = val;
		v[out->n].vlen = olen;
		out->n++;
		out->v = v;
next:
		p = semi + 1;
	}
	return REQ_OK;
}

/* Returns the first value of key or NULL; *dup (if given) is set to 1 when
 * the key occurs more than once. */
const char *
request_get(const struct kvlist *l, const char *key, int *dup)
{
	const char	*found = NULL;
	size_t		 i;

	if (dup != NULL)
		*dup = 0;
	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].key, key) != 0)
			continue;
		if (found != NULL) {
			if (dup != NULL)
				*dup = 1;
			break;
		}
		found = l->v[i].val;
	}
	return found;
}

size_t
request_count(const struct kvlist *l, const char *key)
{
	size_t	 i, n = 0;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			n++;
	return n;
}

/*
 * A single-valued parameter: from the form body of a POST, else from the
 * query.  A parameter given twice is refused (NULL), so no two layers can
 * disagree about which copy counts.
 */
const char *
request_param(const struct request *r, const char *key)
{
	const struct kvlist	*l;
	const char		*v;
	int			 dup;

	l = strcmp(r->method, "POST") == 0 ? &r->form : &r->query;
	v = request_get(l, key, &dup);
	return dup ? NULL : v;
}

/* A cookie's value; when the browser sends the name twice, the first
 * (most specific path) wins, as browsers order them. */
const char *
request_cookie(const struct request *r, const char *key)
{
	return request_get(&r->cookies, key, NULL);
}

/* The request's id: 16 random hex digits, made at the first ask, kept in
 * the audit trail (and nowhere else) so a row can be matched with what
 * the person saw. */
const char *
request_id(struct request *req)
{
	unsigned char	 raw[8];
	char		*id;

	if (req->id != NULL)
		return req->id;
	if ((id = arena_alloc(req->arena, 2 * sizeof(raw) + 1)) == NULL)
		return "-";
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(id, 2 * sizeof(raw) + 1, raw, sizeof(raw));
	req->id = id;
	return id;
}
