/*
 * staff_child.c: the professional's work with the children of their
 * units: inviting one child or a group (each child's first round, with a
 * printable slip in the child's language), a new round of a child, the
 * list with unhandled alerts first, the summary of one round, two rounds
 * side by side, and marking an alert handled.
 *
 * Every handler asks auth_allow with the unit of the child it touches
 * (child_of: 404 when refused, the same as no such child).  A child's
 * answers are read only through store_staff_rounds, which writes the
 * read's audit row in the same transaction; the pages are rendered after
 * the store lock is let go (view.c).  Codes are shown once: one child's
 * in the encrypted once-cookie, a group's sealed in the store under a key
 * that only the professional's once-cookie holds, for five minutes.
 */
#include "config.h"

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <sodium.h>

#include "extern.h"
#include "staff_int.h"

#define GROUP_MAX	INVITE_GROUP_MAX
#define SLIPS_SECONDS	300

const char *
staff_state_name(enum invite_state s)
{
	switch (s) {
	case INVITE_UNUSED:
		return "unused";
	case INVITE_NOT_STARTED:
		return "not_started";
	case INVITE_ANSWERING:
		return "answering";
	case INVITE_FINISHED:
		return "finished";
	case INVITE_ROUND_LOCKED:
		return "round_locked";
	case INVITE_LOCKED_OUT:
		return "locked_out";
	default:
		return "unused";
	}
}

/* The name of unit id among v. */
const char *
staff_unit_name(const struct unit_row *v, size_t n, int64_t id)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (v[i].id == id)
			return v[i].name;
	return "";
}

/* The state of each of n rounds (from their rows), in the arena. */
static const char **
round_states(struct request *req, const struct child_row *v, size_t n)
{
	const char	**out;
	int64_t		 now = store_now();
	size_t		 i;

	if ((out = arena_alloc(req->arena, (n + 1) * sizeof(*out))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		out[i] = staff_state_name(invite_state_from(v[i].locked_until >
		    now, v[i].locked, v[i].finished, v[i].response,
		    v[i].has_secret));
	return out;
}

/* A language and its direction, as fields of the table on top. */
static void
push_lang(lua_State *L, const char *lang)
{
	if (lang == NULL || *lang == '\0')
		return;
	view_push_kv(L, "lang", lang);
	view_push_kv(L, "dir", i18n_is_rtl(lang) ? "rtl" : "ltr");
}

static void
push_child(lua_State *L, const struct child_row *c, const char *unit,
    const char *state)
{
	lua_createtable(L, 0, 14);
	push_int(L, "id", c->invite);
	push_int(L, "child", c->child);
	push_int(L, "round", c->round);
	push_int(L, "alerts", c->alerts);
	push_int(L, "gen", c->gen);
	view_push_kv(L, "label", c->label);
	view_push_kv(L, "age", c->age);
	view_push_kv(L, "unit", unit);
	view_push_kv(L, "state", state);
	if (c->birth_year > 0)
		push_int(L, "birth_year", c->birth_year);
	if (c->started > 0)
		staff_push_time(L, "started", c->started);
	if (c->finished_at > 0)
		staff_push_time(L, "finished", c->finished_at);
	push_lang(L, c->lang);
}

/* ------------------------------------------------------------------ */
/* Slips: what a child needs to log in, in the child's language. */

static const char *const slip_keys[] = {
	"heading", "step_address", "step_code", "step_secret", "qr_caption",
};

struct slip {
	const char	*code;
	const char	*label;
	const char	*lang;		/* the child's, or NULL */
	struct buf	 qr;
};

/* The slip's language: the child's when the catalogue speaks it, else
 * the page's. */
static const char *
slip_lang(struct request *req, const char *lang)
{
	return lang != NULL && *lang != '\0' && is_i18n_lang(lang) ? lang :
	    req->lang;
}

/*
 * The slip's QR code: the start page's address with the code in the
 * fragment (#code=...), which a browser never sends, so the code reaches
 * no log; the start page's script fills the field from it.
 */
static int
slip_qr(struct request *req, struct slip *s, const char *address)
{
	char	*url;
	int	 rc;

	if ((url = arena_printf(req->arena, "%s/#code=%s", address,
	    s->code)) == NULL)
		return -1;
	rc = qr_svg(url, i18n_text(slip_lang(req, s->lang),
	    "staff.slip.qr_label"), 4, &s->qr);
	sodium_memzero(url, strlen(url));
	return rc;
}

static void
push_slip(lua_State *L, struct request *req, const struct slip *s)
{
	const char	*lang = slip_lang(req, s->lang);
	size_t		 i;

	lua_createtable(L, 0, 6);
	view_push_kv(L, "code", s->code);
	view_push_kv(L, "label", s->label != NULL ? s->label : "");
	push_lang(L, lang);
	if (s->qr.data != NULL) {
		lua_pushlstring(L, s->qr.data, s->qr.len);
		lua_setfield(L, -2, "qr");
	}
	lua_createtable(L, 0, 5);
	for (i = 0; i < sizeof(slip_keys) / sizeof(slip_keys[0]); i++) {
		char	 key[48];

		snprintf(key, sizeof(key), "staff.slip.%s", slip_keys[i]);
		view_push_kv(L, slip_keys[i], i18n_text(lang, key));
	}
	lua_setfield(L, -2, "t");
}

static void
slips_wipe(struct slip *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (v[i].qr.data != NULL)
			sodium_memzero(v[i].qr.data, v[i].qr.len);
		buf_free(&v[i].qr);
	}
}

/* Appends one slip's record to the slips' text: "CODE\tlabel\tlang\n"
 * (labels have no tab or line break: valid_invite_label). */
int
staff_slip_put(struct buf *b, const char *code, const char *label,
    const char *lang)
{
	return buf_printf(b, "%s\t%s\t%s\n", code, label ? label : "",
	    lang ? lang : "");
}

/*
 * Parses the slips' text (staff_slip_put's records) into slips, in
 * place; the number of slips, or -1.
 */
static ssize_t
slips_parse(struct request *req, char *text, struct slip **out)
{
	struct slip	*v = NULL;
	size_t		 n = 0, cap = 0;
	char		*line, *next, *tab;

	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (n == cap) {
			struct slip	*nv;

			cap = cap ? cap * 2 : 8;
			if ((nv = arena_alloc(req->arena, cap * sizeof(*nv))) ==
			    NULL)
				return -1;
			if (n > 0)
				memcpy(nv, v, n * sizeof(*nv));
			v = nv;
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].code = line;
		if ((tab = strchr(line, '\t')) != NULL) {
			*tab++ = '\0';
			v[n].label = tab;
			if ((tab = strchr(tab, '\t')) != NULL) {
				*tab++ = '\0';
				v[n].lang = tab;
			}
		}
		n++;
	}
	*out = v;
	return (ssize_t)n;
}

/* ------------------------------------------------------------------ */
/* The start page: the children of one's units. */

struct start_data {
	struct request	*req;
	struct unit_row	*units;		/* all of the tenant's */
	size_t		 nunits;
	const struct session *me;
	struct child_row *children;
	const char	**states;
	size_t		 nchildren;
	struct slip	*slip;		/* a new code, once */
	const char	*address;	/* the start page's address */
};

static int
fill_start(lua_State *L, void *arg)
{
	struct start_data	*d = arg;
	size_t			 i, j, n = 0;

	lua_newtable(L);
	for (i = 0; i < d->nunits; i++)
		for (j = 0; j < d->me->nunits; j++)
			if (d->units[i].id == d->me->units[j]) {
				lua_createtable(L, 0, 3);
				push_int(L, "id", d->units[i].id);
				view_push_kv(L, "name", d->units[i].name);
				view_push_kv(L, "kind", d->units[i].kind);
				lua_rawseti(L, -2, (lua_Integer)++n);
			}
	lua_setfield(L, -2, "units");
	lua_createtable(L, (int)d->nchildren, 0);
	for (i = 0; i < d->nchildren; i++) {
		push_child(L, &d->children[i], staff_unit_name(d->units,
		    d->nunits, d->children[i].unit), d->states[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "children");
	lua_newtable(L);
	for (i = 0; i < invite_age_band_count(); i++) {
		lua_pushstring(L, invite_age_band(i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "ages");
	push_int(L, "group_max", GROUP_MAX);
	if (d->slip != NULL) {
		push_slip(L, d->req, d->slip);
		view_push_kv(L, "address", d->address);
		lua_setfield(L, -2, "new_code");
	}
	return 0;
}

/* Unhandled alerts first, then each child's rounds in order. */
static int
child_order(const void *a, const void *b)
{
	const struct child_row	*x = a, *y = b;

	if ((x->alerts > 0) != (y->alerts > 0))
		return x->alerts > 0 ? -1 : 1;
	if (x->child != y->child)
		return x->child < y->child ? -1 : 1;
	if (x->round != y->round)
		return x->round < y->round ? -1 : 1;
	return x->invite < y->invite ? -1 : x->invite > y->invite;
}

/* The logged-in start page: unhandled alerts, the children of one's
 * units and their rounds, the form that invites, a new code once. */
int
staff_start(struct request *req, struct response *resp)
{
	struct start_data	 d;
	struct store		*st = req->tenant->store;
	char			*once;
	size_t			 i, cap = 0;
	int			 rc;

	memset(&d, 0, sizeof(d));
	d.req = req;
	d.me = session_find(req);
	if (store_units(st, req->arena, &d.units, &d.nunits) == -1)
		return staff_fail(req, resp, 500);
	for (i = 0; i < d.me->nunits; i++)
		if (!auth_allow(req, ACCESS_PROFESSIONAL, d.me->units[i]) ||
		    store_children(st, req->arena, d.me->units[i], &d.children,
		    &d.nchildren, &cap) == -1)
			return staff_fail(req, resp, 500);
	if (d.nchildren > 1)
		qsort(d.children, d.nchildren, sizeof(*d.children),
		    child_order);
	if ((d.states = round_states(req, d.children, d.nchildren)) == NULL)
		return staff_fail(req, resp, 500);
	/* A new code: one slip's record. */
	if ((once = staff_once_take(req, resp, "invite")) != NULL) {
		if (slips_parse(req, once, &d.slip) != 1 ||
		    (d.address = staff_base_url(req)) == NULL ||
		    slip_qr(req, d.slip, d.address) == -1)
			return staff_fail(req, resp, 500);
	}
	rc = staff_page(req, resp, 200, "staff_home", NULL, fill_start, &d);
	if (d.slip != NULL)
		slips_wipe(d.slip, 1);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Inviting. */

/* The age band of a birth year this year, or NULL. */
static const char *
band_of_year(int year)
{
	time_t		 now = time(NULL);
	struct tm	 tm;
	int		 age, lo, hi;
	size_t		 i;

	if (year <= 0)
		return NULL;
	gmtime_r(&now, &tm);
	age = tm.tm_year + 1900 - year;
	for (i = 0; i < invite_age_band_count(); i++)
		if (sscanf(invite_age_band(i), "%d-%d", &lo, &hi) == 2 &&
		    age >= lo && age <= hi)
			return invite_age_band(i);
	return NULL;
}

/* The pseudonyms of the group form, one per line, the empty ones left
 * out: their number, or -1 when over GROUP_MAX or one is not a label. */
static ssize_t
group_labels(struct request *req, const char *text, const char ***out)
{
	const char	**v;
	const char	*p = text, *end;
	size_t		 n = 0;
	char		*s;

	if ((v = arena_alloc(req->arena, (GROUP_MAX + 1) * sizeof(*v))) == NULL)
		return -1;
	while (p != NULL && *p != '\0') {
		end = p + strcspn(p, "\r\n");
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > p) {
			if (n == GROUP_MAX || (s = arena_alloc(req->arena,
			    (size_t)(end - p) + 1)) == NULL)
				return -1;
			memcpy(s, p, (size_t)(end - p));
			s[end - p] = '\0';
			if (!valid_invite_label(s))
				return -1;
			v[n++] = s;
		}
		p += strcspn(p, "\r\n");
		p += strspn(p, "\r\n");
	}
	*out = v;
	return (ssize_t)n;
}

/* The once-text of slips: "CODE\tlabel\tlang" per line, in the arena. */
static char *
slips_text(struct request *req, const struct child_new *v,
    char (*codes)[CODE_DISPLAY], size_t n)
{
	struct buf	 b;
	char		*out;
	size_t		 i;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < n; i++)
		if (staff_slip_put(&b, codes[i], v[i].pseudonym,
		    v[i].lang) == -1) {
			out = NULL;
			goto done;
		}
	out = b.data != NULL ? arena_strdup(req->arena, b.data) : NULL;
done:
	if (b.data != NULL)
		sodium_memzero(b.data, b.len);
	buf_free(&b);
	return out;
}

/*
 * Keeps the slips' text sealed in the store under a fresh key, and the
 * batch's id with the key in the once-cookie "slips": the store alone
 * cannot open it, nor the cookie alone.
 */
int
staff_slips_keep(struct request *req, struct response *resp, const char *text)
{
	unsigned char	 key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	unsigned char	*sealed;
	char		 keyhex[sizeof(key) * 2 + 1], *once;
	unsigned long long clen;
	size_t		 len = strlen(text);
	struct session	*s = session_find(req);
	int64_t		 id;
	int		 rc = -1;

	if ((sealed = arena_alloc(req->arena, len +
	    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
	    crypto_aead_xchacha20poly1305_ietf_ABYTES)) == NULL)
		return -1;
	crypto_aead_xchacha20poly1305_ietf_keygen(key);
	randombytes_buf(sealed, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(sealed +
	    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
	    (const unsigned char *)text, len, (const unsigned char *)"slips",
	    5, NULL, sealed, key);
	if (store_slips_put(req->tenant->store, s->staff, sealed, (size_t)clen +
	    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, store_now() +
	    SLIPS_SECONDS * SEC, &id) == -1)
		goto done;
	sodium_bin2hex(keyhex, sizeof(keyhex), key, sizeof(key));
	if ((once = arena_printf(req->arena, "%lld %s", (long long)id,
	    keyhex)) == NULL)
		goto done;
	rc = staff_once_set(req, resp, "slips", once);
	sodium_memzero(once, strlen(once));
done:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(keyhex, sizeof(keyhex));
	return rc;
}

/* The slips' text the once-cookie points at, opened and gone from the
 * store: in the arena, or NULL when there is none (shown, or expired). */
static char *
slips_take(struct request *req, struct response *resp, int *failed)
{
	unsigned char	 key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	unsigned char	*sealed, *plain;
	unsigned long long plen;
	struct session	*s = session_find(req);
	char		*once, *sp;
	size_t		 len, keylen;
	long long	 id;
	char		*out = NULL;

	*failed = 0;
	if ((once = staff_once_take(req, resp, "slips")) == NULL ||
	    (sp = strchr(once, ' ')) == NULL)
		return NULL;
	*sp++ = '\0';
	id = strtoll(once, NULL, 10);
	if (sodium_hex2bin(key, sizeof(key), sp, strlen(sp), NULL, &keylen,
	    NULL) == -1 || keylen != sizeof(key))
		goto done;
	switch (store_slips_take(req->tenant->store, req->arena, id, s->staff,
	    &sealed, &len)) {
	case -1:
		*failed = 1;
		goto done;
	case 0:
		goto done;
	}
	if (len < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
	    crypto_aead_xchacha20poly1305_ietf_ABYTES ||
	    (plain = arena_alloc(req->arena, len + 1)) == NULL)
		goto done;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL,
	    sealed + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, len -
	    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	    (const unsigned char *)"slips", 5, sealed, key) == 0) {
		plain[plen] = '\0';
		out = (char *)plain;
	}
done:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(once, strlen(once) + (sp != NULL ? strlen(sp) : 0));
	return out;
}

/*
 * POST /staff/invite: one child (label), or a group (labels, one per
 * line, or count children), invited in one of one's units, each with a
 * first round; one child's slip shows on the start page, a group's slips
 * on /staff/slips.
 */
int
staff_invite(struct request *req, struct response *resp)
{
	struct child_new	*v;
	struct audit_entry	*e;
	const char		*label = request_param(req, "label");
	const char		*labels = request_param(req, "labels");
	const char		*age = request_param(req, "age");
	const char		*lang = request_param(req, "lang");
	const char		**names = NULL;
	const char		*count_s = request_param(req, "count");
	const char		*year_s = request_param(req, "year");
	int64_t			 unit = strtoll(request_param(req, "unit"),
				    NULL, 10);
	char			(*codes)[CODE_DISPLAY], *text;
	ssize_t			 n;
	size_t			 i;
	int			 rc, year;

	if (!auth_allow(req, ACCESS_PROFESSIONAL, unit))
		return staff_fail(req, resp, 403);
	year = year_s != NULL && *year_s != '\0' ? atoi(year_s) : 0;
	if (age == NULL || *age == '\0')
		age = band_of_year(year);
	if (lang != NULL && *lang == '\0')
		lang = NULL;
	if (label != NULL && *label == '\0')
		label = NULL;
	if (labels != NULL && *labels != '\0') {
		if ((n = group_labels(req, labels, &names)) == -1)
			return staff_fail(req, resp, 400);
	} else if (count_s != NULL && *count_s != '\0')
		n = atoi(count_s);
	else
		n = 1;
	if (n < 1 || n > GROUP_MAX)
		return staff_fail(req, resp, 400);
	if ((v = arena_alloc(req->arena, (size_t)n * sizeof(*v))) == NULL ||
	    (e = arena_alloc(req->arena, (size_t)n * sizeof(*e))) == NULL ||
	    (codes = arena_alloc(req->arena, (size_t)n * CODE_DISPLAY)) == NULL)
		return staff_fail(req, resp, 500);
	for (i = 0; i < (size_t)n; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		v[i].unit = unit;
		v[i].pseudonym = names != NULL ? names[i] : label;
		v[i].age = age;
		v[i].lang = lang;
		v[i].birth_year = year;
		staff_audit_of(req, "invite", &e[i]);
		e[i].unit = unit;
		e[i].child = v[i].pseudonym;
	}
	if (invite_children(req->tenant->store, req->arena,
	    req->tenant->conf->name, v, (size_t)n, e, codes) == -1)
		return staff_fail(req, resp, 500);
	text = slips_text(req, v, codes, (size_t)n);
	sodium_memzero(codes, (size_t)n * CODE_DISPLAY);
	if (text == NULL)
		return staff_fail(req, resp, 500);
	if (n == 1)
		rc = staff_once_set(req, resp, "invite", text);
	else
		rc = staff_slips_keep(req, resp, text);
	sodium_memzero(text, strlen(text));
	if (rc == -1)
		return staff_fail(req, resp, 500);
	http_redirect(resp, n == 1 ? "/staff/#new-code" : "/staff/slips");
	return 0;
}

struct slips_data {
	struct slip	*v;
	size_t		 n;
	const char	*address;
	struct request	*req;
};

static int
fill_slips(lua_State *L, void *arg)
{
	struct slips_data	*d = arg;
	size_t			 i;

	lua_createtable(L, (int)d->n, 0);
	for (i = 0; i < d->n; i++) {
		push_slip(L, d->req, &d->v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "slips");
	if (d->address != NULL)
		view_push_kv(L, "address", d->address);
	return 0;
}

/* GET /staff/slips: a group's slips, once, several to an A4 page. */
int
staff_slips(struct request *req, struct response *resp)
{
	struct slips_data	 d;
	char			*text;
	ssize_t			 n;
	size_t			 i;
	int			 failed, rc;

	memset(&d, 0, sizeof(d));
	d.req = req;
	text = slips_take(req, resp, &failed);
	if (failed)
		return staff_fail(req, resp, 500);
	if (text != NULL) {
		if ((n = slips_parse(req, text, &d.v)) == -1 ||
		    (d.address = staff_base_url(req)) == NULL)
			return staff_fail(req, resp, 500);
		d.n = (size_t)n;
		for (i = 0; i < d.n; i++)
			if (slip_qr(req, &d.v[i], d.address) == -1) {
				slips_wipe(d.v, d.n);
				return staff_fail(req, resp, 500);
			}
	}
	rc = staff_page(req, resp, 200, "staff_slips", NULL, fill_slips, &d);
	slips_wipe(d.v, d.n);
	if (text != NULL)
		sodium_memzero(text, strlen(text));
	return rc;
}

/* ------------------------------------------------------------------ */
/* One child. */

/* The round of the request's field (id, or name), if the request may
 * touch it: 1 with *c, 0 when there is no such round or it is not the
 * person's to see (the same answer: 404), -1. */
static int
round_of(struct request *req, const char *name, struct child_row *c)
{
	const char	*id = request_param(req, name);

	if (id == NULL)
		return 0;
	if (store_child_get(req->tenant->store, req->arena,
	    strtoll(id, NULL, 10), c) == -1)
		return -1;
	return c->invite > 0 && auth_allow(req, ACCESS_PROFESSIONAL, c->unit);
}

static int
child_of(struct request *req, struct child_row *c)
{
	return round_of(req, "id", c);
}

/* Pushes a round's answers as { [question] = value } and, on top, their
 * versions as { [question] = version }; sets latest_version on the table
 * below both: the version of the round's latest answer, which scores it. */
static void
push_answers(lua_State *L, const struct round_read *r)
{
	size_t	 i, latest = 0;

	for (i = 1; i < r->nanswers; i++)
		if (r->answers[i].at > r->answers[latest].at)
			latest = i;
	if (r->nanswers > 0 && *r->answers[latest].version != '\0')
		view_push_kv(L, "latest_version", r->answers[latest].version);

	lua_createtable(L, 0, (int)r->nanswers);
	lua_createtable(L, 0, (int)r->nanswers);
	for (i = 0; i < r->nanswers; i++) {
		view_push_kv(L, r->answers[i].question, r->answers[i].version);
		lua_pushstring(L, r->answers[i].value);
		lua_setfield(L, -3, r->answers[i].question);
	}
}

/* The canonical forms of the versions the rounds' answers (and earlier
 * answers) were given under, other than today's, as data.canonicals. */
static int
push_canonicals(lua_State *L, struct request *req,
    const struct round_read *r, size_t nr)
{
	const char	*canon;
	size_t		 i, j, k;

	lua_newtable(L);
	for (i = 0; i < nr; i++)
		for (k = 0; k < 2; k++) {
			const struct answer	*v = k ? r[i].history :
						    r[i].answers;
			size_t			 n = k ? r[i].nhistory :
						    r[i].nanswers;

			for (j = 0; j < n; j++) {
				if (*v[j].version == '\0' || strcmp(v[j].version,
				    req->tenant->version) == 0)
					continue;
				if (lua_getfield(L, -1, v[j].version) !=
				    LUA_TNIL) {
					lua_pop(L, 1);
					continue;
				}
				lua_pop(L, 1);
				if (store_version_get(req->tenant->store,
				    req->arena, v[j].version, &canon) == -1)
					return -1;
				if (canon != NULL)
					view_push_kv(L, v[j].version, canon);
			}
		}
	lua_setfield(L, -2, "canonicals");
	view_push_kv(L, "version", req->tenant->version);
	return 0;
}

struct child_data {
	struct request		*req;
	struct child_row	 c;
	const char		*unit;
	const char		*state;
	struct child_row	*rounds;
	const char		**states;
	size_t			 nrounds;
	struct round_read	 r[2];
	struct child_row	 other;	/* the comparison's other round */
};

/* data.child: the round, its child and the child's rounds. */
static void
push_round_child(lua_State *L, const struct child_data *d)
{
	size_t	 i;

	push_child(L, &d->c, d->unit, d->state);
	lua_createtable(L, (int)d->nrounds, 0);
	for (i = 0; i < d->nrounds; i++) {
		push_child(L, &d->rounds[i], d->unit, d->states[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "rounds");
	lua_setfield(L, -2, "child");
	lua_createtable(L, 0, 1);
	view_push_kv(L, "age", d->c.age);
	lua_setfield(L, -2, "ctx");
}

static int
fill_child(lua_State *L, void *arg)
{
	struct child_data	*d = arg;
	const struct round_read	*r = &d->r[0];
	size_t			 i;

	push_round_child(L, d);
	push_answers(L, r);
	lua_setfield(L, -3, "versions");
	lua_setfield(L, -2, "answers");
	lua_createtable(L, (int)r->nhistory, 0);
	for (i = 0; i < r->nhistory; i++) {
		lua_createtable(L, 0, 4);
		view_push_kv(L, "question", r->history[i].question);
		view_push_kv(L, "value", r->history[i].value);
		view_push_kv(L, "version", r->history[i].version);
		staff_push_time(L, "at", r->history[i].at);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "history");
	lua_createtable(L, (int)r->nalerts, 0);
	for (i = 0; i < r->nalerts; i++) {
		lua_createtable(L, 0, 5);
		view_push_kv(L, "id", r->alerts[i].id);
		staff_push_time(L, "raised", r->alerts[i].raised);
		if (r->alerts[i].handled > 0) {
			staff_push_time(L, "handled", r->alerts[i].handled);
			view_push_kv(L, "by", r->alerts[i].by);
			view_push_kv(L, "note", r->alerts[i].note);
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "alerts");
	return push_canonicals(L, d->req, d->r, 1);
}

/* Reads what the pages of one child show besides the answers: its unit's
 * name, its state, its other rounds. */
static int
child_facts(struct request *req, struct child_data *d)
{
	struct unit_row		*units;
	const char		**one;
	size_t			 nunits;

	if (store_units(req->tenant->store, req->arena, &units, &nunits) == -1 ||
	    (one = round_states(req, &d->c, 1)) == NULL ||
	    store_rounds(req->tenant->store, req->arena, d->c.child, &d->rounds,
	    &d->nrounds) == -1 ||
	    (d->states = round_states(req, d->rounds, d->nrounds)) == NULL)
		return -1;
	d->state = one[0];
	d->unit = staff_unit_name(units, nunits, d->c.unit);
	return 0;
}

/*
 * Reads n rounds with their audit rows e: through the tenant's committer,
 * so that the audit rows of reads (and answers) that wait at the same
 * moment share one durable transaction and one fsync; the read itself is
 * in that transaction, after its audit row.  The tenant's lock is let go
 * meanwhile.  0, or -1.
 */
struct read_work {
	struct arena		*a;
	const char		*tenant;
	const struct audit_entry *e;
	const int64_t		*responses;
	size_t			 n;
	struct round_read	*out;
};

static int
read_work(struct store *s, struct commit_item *it)
{
	struct read_work	*w = it->arg;

	return store_staff_rounds_in(s, w->a, w->tenant, w->e, w->responses,
	    w->n, w->out);
}

static int
rounds_read(struct request *req, const struct audit_entry *e,
    const int64_t *responses, size_t n, struct round_read *out)
{
	struct read_work	 w = { req->arena, req->tenant->conf->name, e,
				    responses, n, out };
	struct commit_item	 it;

	memset(&it, 0, sizeof(it));
	it.work = read_work;
	it.arg = &w;
	tenant_leave(req);
	return commit_answer(&req->tenant->commit, &it);
}

/* The audit row of a read of round c. */
static void
audit_read(struct request *req, const char *action, const struct child_row *c,
    struct audit_entry *e)
{
	staff_audit_of(req, action, e);
	e->unit = c->unit;
	e->invite = c->invite;
	e->child = c->label;
}

/* GET /staff/child?id=N: the summary of one round of a child of one's
 * unit (the read is audited in the same transaction), its other rounds,
 * and what can be done with its code. */
int
staff_child(struct request *req, struct response *resp)
{
	struct child_data	 d;
	struct audit_entry	 e;
	int			 rc;

	memset(&d, 0, sizeof(d));
	d.req = req;
	if ((rc = child_of(req, &d.c)) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	if (child_facts(req, &d) == -1)
		return staff_fail(req, resp, 500);
	audit_read(req, "read", &d.c, &e);
	if (rounds_read(req, &e, &d.c.response, 1, d.r) == -1)
		return staff_fail(req, resp, 500);
	return staff_page(req, resp, 200, "staff_child", NULL, fill_child, &d);
}

static void
push_side(lua_State *L, const struct child_row *c, const struct round_read *r)
{
	lua_createtable(L, 0, 6);
	push_int(L, "id", c->invite);
	push_int(L, "round", c->round);
	if (c->started > 0)
		staff_push_time(L, "started", c->started);
	push_answers(L, r);
	lua_setfield(L, -3, "versions");
	lua_setfield(L, -2, "answers");
}

static int
fill_compare(lua_State *L, void *arg)
{
	struct child_data	*d = arg;
	const struct child_row	*before = &d->c, *after = &d->other;
	int			 swap = d->c.round > d->other.round;

	push_round_child(L, d);
	push_side(L, swap ? after : before, &d->r[swap ? 1 : 0]);
	lua_setfield(L, -2, "before");
	push_side(L, swap ? before : after, &d->r[swap ? 0 : 1]);
	lua_setfield(L, -2, "after");
	return push_canonicals(L, d->req, d->r, 2);
}

/* GET /staff/compare?id=N&with=M: two rounds of one child side by side
 * (each read audited, in one transaction). */
int
staff_compare(struct request *req, struct response *resp)
{
	struct child_data	 d;
	struct audit_entry	 e[2];
	int64_t			 responses[2];
	int			 rc;

	memset(&d, 0, sizeof(d));
	d.req = req;
	if ((rc = child_of(req, &d.c)) != 1 ||
	    (rc = round_of(req, "with", &d.other)) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	if (d.c.child == 0 || d.other.child != d.c.child ||
	    d.other.invite == d.c.invite)
		return staff_fail(req, resp, 404);
	if (child_facts(req, &d) == -1)
		return staff_fail(req, resp, 500);
	audit_read(req, "compare", &d.c, &e[0]);
	audit_read(req, "compare", &d.other, &e[1]);
	responses[0] = d.c.response;
	responses[1] = d.other.response;
	if (rounds_read(req, e, responses, 2, d.r) == -1)
		return staff_fail(req, resp, 500);
	return staff_page(req, resp, 200, "staff_compare", NULL, fill_compare,
	    &d);
}

/* Whether the tenant's set has an alert rule of id (host.alert_known). */
static int
alert_known(struct request *req, const char *id)
{
	lua_State	*L = req->tenant->L;
	int		 top, known = 0;

	host_enter(req);
	top = lua_gettop(L);
	host_push(L, "alert_known");
	lua_pushstring(L, id);
	if (host_call(L, req->tenant->conf->name, "alert_known", 1, 1, 0,
	    NULL, 0) == 0)
		known = lua_toboolean(L, -1);
	lua_settop(L, top);
	host_leave(req);
	return known;
}

/* POST /staff/alert: an alert of a round marked handled, with a note
 * (audited, in the same transaction). */
int
staff_alert(struct request *req, struct response *resp)
{
	struct child_row	 c;
	struct audit_entry	 e;
	struct session		*s = session_find(req);
	const char		*alert = request_param(req, "alert");
	const char		*note = request_param(req, "note");
	int			 rc;

	if ((rc = child_of(req, &c)) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	/* An alert the round raised (its rule may be gone from the set
	 * since), or one the set has (raised before alerts were kept). */
	if (c.response == 0)
		return staff_fail(req, resp, 404);
	if ((rc = store_alert_exists(req->tenant->store, c.response,
	    alert)) == -1)
		return staff_fail(req, resp, 500);
	if (rc == 0 && !alert_known(req, alert))
		return staff_fail(req, resp, 404);
	audit_read(req, "alert", &c, &e);
	e.detail = alert;
	if (store_alert_handle(req->tenant->store, req->tenant->conf->name, &e,
	    c.response, alert, s->staff, note) == -1)
		return staff_fail(req, resp, 500);
	http_redirect(resp, arena_printf(req->arena,
	    "/staff/child?id=%lld#alerts", (long long)c.invite));
	return 0;
}

/* POST /staff/child/unlock, /staff/child/lock, /staff/child/reopen. */
int
staff_child_action(struct request *req, struct response *resp)
{
	struct child_row	 c;
	struct audit_entry	 e;
	const char		*what = req->path + strlen("/staff/child/");
	enum invite_rc		 r;
	int			 rc, failures;

	if ((rc = child_of(req, &c)) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	if (strcmp(what, "unlock") == 0)
		r = invite_unlock_id(req->tenant->store, c.invite, &failures);
	else
		r = invite_lock_id(req->tenant->store, c.invite,
		    strcmp(what, "reopen") == 0);
	if (r == INVITE_FAILED)
		return staff_fail(req, resp, 500);
	if (r == INVITE_DONE) {
		audit_read(req, what, &c, &e);
		if (staff_audit_add(req, &e) == -1)
			return staff_fail(req, resp, 500);
	}
	http_redirect(resp, arena_printf(req->arena, "/staff/child?id=%lld",
	    (long long)c.invite));
	return 0;
}

/* Shows a new code once on the start page, with its slip. */
static int
code_once(struct request *req, struct response *resp, const char *code,
    const char *label, const char *lang)
{
	struct buf	 b;
	int		 rc;

	memset(&b, 0, sizeof(b));
	if (staff_slip_put(&b, code, label, lang) == -1) {
		buf_free(&b);
		return -1;
	}
	rc = staff_once_set(req, resp, "invite", b.data);
	sodium_memzero(b.data, b.len);
	buf_free(&b);
	if (rc == 0)
		http_redirect(resp, "/staff/#new-code");
	return rc;
}

/* POST /staff/child/renew: a new code for a child who lost theirs; the
 * old one stops working, the answers and the secret are kept; the new
 * code's slip is shown once on the start page. */
int
staff_child_renew(struct request *req, struct response *resp)
{
	struct child_row	 c;
	struct audit_entry	 e;
	char			 code[CODE_DISPLAY];
	int			 rc;

	if ((rc = child_of(req, &c)) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	audit_read(req, "renew", &c, &e);
	if (invite_renew(req->tenant->store, req->tenant->conf->name, c.invite,
	    &e, code) == -1)
		return staff_fail(req, resp, 500);
	rc = code_once(req, resp, code, c.label, c.lang);
	sodium_memzero(code, sizeof(code));
	return rc == -1 ? staff_fail(req, resp, 500) : 0;
}

/* POST /staff/child/round: a new round for the child of a round (before
 * and after an intervention), with a code of its own, shown once. */
int
staff_child_round(struct request *req, struct response *resp)
{
	struct child_row	 c;
	struct child_new	 v;
	struct audit_entry	 e;
	char			 code[1][CODE_DISPLAY];
	int			 rc;

	if ((rc = child_of(req, &c)) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	if (c.child == 0)
		return staff_fail(req, resp, 404);
	memset(&v, 0, sizeof(v));
	v.id = c.child;
	audit_read(req, "round", &c, &e);
	if (invite_children(req->tenant->store, req->arena,
	    req->tenant->conf->name, &v, 1, &e, code) == -1)
		return staff_fail(req, resp, 500);
	rc = code_once(req, resp, code[0], v.pseudonym, v.lang);
	sodium_memzero(code, sizeof(code));
	return rc == -1 ? staff_fail(req, resp, 500) : 0;
}
