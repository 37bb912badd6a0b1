/*
 * mapping.c: anonymous mapping rounds on the staff pages.  An
 * administrator, or a professional of the unit, makes a round (a name, a
 * period, its groups with their expected sizes), prints each group's
 * anonymous slips (interchangeable: nothing records which child got
 * which, and the slips are printed in another order than their
 * invitations were made), follows how many of each group have answered,
 * and closes the round, which erases what links a slip to its answers
 * (store_mapping.c).  A round past its last day is closed the next time
 * anyone logs in or opens these pages.  No handler here, or anywhere,
 * reads a mapping response's answers one at a time.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <sodium.h>

#include "extern.h"
#include "staff_int.h"

#define MAPPING_GROUPS_MAX	100	/* groups of a round */
#define MAPPING_GROUP_SIZE	1000	/* expected children of a group */

/* Today (UTC) as YYYY-MM-DD. */
static void
today(char out[11])
{
	time_t		 now = time(NULL);
	struct tm	 tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Closes the tenant's rounds past their last day: how many, or -1. */
int
mapping_close_due(struct store *s, const char *tenant)
{
	char	 day[11];

	today(day);
	return store_mapping_close_due(s, tenant, day);
}

struct mapping_data {
	struct unit_row		*units;		/* one may map in */
	size_t			 nunits;
	struct mapping_round	*rounds;
	size_t			 nrounds;
	struct mapping_group	**groups;	/* per round */
	size_t			*ngroups;
	const char		*today;
};

static int
fill_mapping(lua_State *L, void *arg)
{
	struct mapping_data	*d = arg;
	size_t			 i, j;

	lua_createtable(L, (int)d->nunits, 0);
	for (i = 0; i < d->nunits; i++) {
		lua_createtable(L, 0, 2);
		push_int(L, "id", d->units[i].id);
		view_push_kv(L, "name", d->units[i].name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "units");
	lua_createtable(L, (int)d->nrounds, 0);
	for (i = 0; i < d->nrounds; i++) {
		const struct mapping_round *r = &d->rounds[i];

		lua_createtable(L, 0, 8);
		push_int(L, "id", r->id);
		view_push_kv(L, "name", r->name);
		view_push_kv(L, "opens", r->opens);
		view_push_kv(L, "closes", r->closes);
		view_push_kv(L, "unit", staff_unit_name(d->units, d->nunits,
		    r->unit));
		if (r->closed > 0)
			staff_push_time(L, "closed", r->closed);
		lua_createtable(L, (int)d->ngroups[i], 0);
		for (j = 0; j < d->ngroups[i]; j++) {
			const struct mapping_group *g = &d->groups[i][j];

			lua_createtable(L, 0, 6);
			push_int(L, "id", g->id);
			view_push_kv(L, "name", g->name);
			push_int(L, "expected", g->expected);
			push_int(L, "invited", g->invited);
			push_int(L, "begun", g->begun);
			push_int(L, "finished", g->finished);
			lua_rawseti(L, -2, (lua_Integer)j + 1);
		}
		lua_setfield(L, -2, "groups");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "rounds");
	view_push_kv(L, "today", d->today);
	push_int(L, "slips_max", MAPPING_SLIPS_MAX);
	return 0;
}

/* GET /staff/mapping: the rounds of the units one may map in, each group
 * with how many have answered; the form that makes a round. */
int
staff_mapping(struct request *req, struct response *resp)
{
	struct mapping_data	 d;
	struct store		*st = req->tenant->store;
	struct unit_row		*all;
	size_t			 nall, i, cap = 0;
	char			 day[11];

	memset(&d, 0, sizeof(d));
	today(day);
	d.today = day;
	if (mapping_close_due(st, req->tenant->conf->name) == -1 ||
	    store_units(st, req->arena, &all, &nall) == -1)
		return staff_fail(req, resp, 500);
	if ((d.units = arena_alloc(req->arena, (nall + 1) * sizeof(*all))) ==
	    NULL)
		return staff_fail(req, resp, 500);
	for (i = 0; i < nall; i++)
		if (auth_allow(req, ACCESS_MAPPER, all[i].id)) {
			d.units[d.nunits++] = all[i];
			if (store_mapping_rounds(st, req->arena, all[i].id,
			    &d.rounds, &d.nrounds, &cap) == -1)
				return staff_fail(req, resp, 500);
		}
	if ((d.groups = arena_alloc(req->arena, (d.nrounds + 1) *
	    sizeof(*d.groups))) == NULL || (d.ngroups = arena_alloc(req->arena,
	    (d.nrounds + 1) * sizeof(*d.ngroups))) == NULL)
		return staff_fail(req, resp, 500);
	for (i = 0; i < d.nrounds; i++)
		if (store_mapping_groups(st, req->arena, d.rounds[i].id, 1,
		    &d.groups[i], &d.ngroups[i]) == -1)
			return staff_fail(req, resp, 500);
	return staff_page(req, resp, 200, "staff_mapping", NULL, fill_mapping,
	    &d);
}

/*
 * The groups of the form's text, one per line: a name, then ';', ',' or
 * a tab, then the expected number of children.  Their number, or -1 when
 * a line is not that, a name is not a label, or there are too many.
 */
static ssize_t
mapping_groups_of(struct request *req, const char *text, char ***names,
    int **expected)
{
	const char	*p = text, *end, *sep;
	char		*name;
	size_t		 n = 0, len;
	long		 v;

	if ((*names = arena_alloc(req->arena, MAPPING_GROUPS_MAX *
	    sizeof(**names))) == NULL || (*expected = arena_alloc(req->arena,
	    MAPPING_GROUPS_MAX * sizeof(**expected))) == NULL)
		return -1;
	while (*p != '\0') {
		end = p + strcspn(p, "\r\n");
		for (sep = end; sep > p && !strchr(";,\t", sep[-1]); sep--)
			;
		if (end > p + strspn(p, " \t")) {
			if (sep == p || n == MAPPING_GROUPS_MAX)
				return -1;
			while (p < sep - 1 && (*p == ' ' || *p == '\t'))
				p++;
			len = (size_t)(sep - 1 - p);
			while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
				len--;
			if (len == 0 || (name = arena_alloc(req->arena, len + 1)) ==
			    NULL)
				return -1;
			memcpy(name, p, len);
			name[len] = '\0';
			v = strtol(sep, NULL, 10);
			if (!valid_invite_label(name) || v < 1 ||
			    v > MAPPING_GROUP_SIZE || sep[strspn(sep, " \t")] <
			    '0' || sep[strspn(sep, " \t")] > '9')
				return -1;
			(*names)[n] = name;
			(*expected)[n++] = (int)v;
		}
		p = end + strspn(end, "\r\n");
	}
	return (ssize_t)n;
}

/* POST /staff/mapping: a new round of a unit with its groups. */
int
staff_mapping_add(struct request *req, struct response *resp)
{
	struct audit_entry	 e;
	const char		*name = request_param(req, "name");
	const char		*opens = request_param(req, "opens");
	const char		*closes = request_param(req, "closes");
	int64_t			 unit = strtoll(request_param(req, "unit"),
				    NULL, 10), id;
	char			**names;
	int			*expected;
	ssize_t			 n;

	if (!auth_allow(req, ACCESS_MAPPER, unit))
		return staff_fail(req, resp, 403);
	if (strcmp(opens, closes) > 0 ||
	    (n = mapping_groups_of(req, request_param(req, "groups"), &names,
	    &expected)) < 1)
		return staff_fail(req, resp, 400);
	staff_audit_of(req, "mapping_add", &e);
	if (store_mapping_add(req->tenant->store, req->tenant->conf->name, unit,
	    name, opens, closes, (const char *const *)names, expected,
	    (size_t)n, &e, &id) == -1)
		return staff_fail(req, resp, 400);
	http_redirect(resp, arena_printf(req->arena, "/staff/mapping#round-%lld",
	    (long long)id));
	return 0;
}

/* The round of the request's id, if the request may touch it: 1, 0 (no
 * such round, or not the person's: the same 404), -1. */
static int
round_of(struct request *req, int64_t id, struct mapping_round *r)
{
	if (store_mapping_get(req->tenant->store, req->arena, id, r) == -1)
		return -1;
	return r->id > 0 && auth_allow(req, ACCESS_MAPPER, r->unit);
}

/*
 * POST /staff/mapping/slips: count anonymous slips of a group (while the
 * round is open), shown once on /staff/slips.  The invitations are made
 * in one order and the slips printed in another, so not even the order
 * of the slips says which invitation is whose.
 */
int
staff_mapping_slips(struct request *req, struct response *resp)
{
	struct mapping_group	 g;
	struct mapping_round	 r;
	struct audit_entry	 e;
	struct buf		 b;
	unsigned char		(*hashes)[CRYPTO_HASHBYTES];
	char			(*codes)[CODE_DISPLAY], norm[CODE_CHARS + 1];
	const char		*age = request_param(req, "age");
	uint32_t		*order, j, t;
	size_t			 i, n = (size_t)atoi(request_param(req,
				    "count"));
	int			 rc = -1;

	if (store_mapping_group(req->tenant->store, req->arena,
	    strtoll(request_param(req, "id"), NULL, 10), &g) == -1 ||
	    (g.id > 0 && (rc = round_of(req, g.round, &r)) == -1))
		return staff_fail(req, resp, 500);
	if (g.id == 0 || rc == 0)
		return staff_fail(req, resp, 404);
	if (r.closed > 0)
		return staff_fail(req, resp, 409);
	if (age != NULL && *age == '\0')
		age = NULL;
	if ((hashes = arena_alloc(req->arena, n * sizeof(*hashes))) == NULL ||
	    (codes = arena_alloc(req->arena, n * CODE_DISPLAY)) == NULL ||
	    (order = arena_alloc(req->arena, n * sizeof(*order))) == NULL)
		return staff_fail(req, resp, 500);
	for (i = 0; i < n; i++) {
		code_generate(codes[i]);
		if (code_normalize(codes[i], norm) == -1)
			goto fail;
		crypto_keyed_hash("code", req->tenant->conf->name, norm,
		    CODE_CHARS, hashes[i]);
		order[i] = (uint32_t)i;
	}
	sodium_memzero(norm, sizeof(norm));
	/* The slips in an order of their own (Fisher-Yates, libsodium). */
	for (i = n; i > 1; i--) {
		j = randombytes_uniform((uint32_t)i);
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	staff_audit_of(req, "mapping_slips", &e);
	e.unit = r.unit;
	e.detail = arena_printf(req->arena, "%s: %s (%zu)", r.name, g.name, n);
	if (store_mapping_invite(req->tenant->store, req->tenant->conf->name,
	    g.id, age, (const unsigned char (*)[CRYPTO_HASHBYTES])hashes, n,
	    &e) == -1)
		goto fail;
	memset(&b, 0, sizeof(b));
	for (i = 0; i < n; i++)
		if (staff_slip_put(&b, codes[order[i]], g.name, NULL) == -1) {
			if (b.data != NULL)
				sodium_memzero(b.data, b.len);
			buf_free(&b);
			goto fail;
		}
	sodium_memzero(codes, n * CODE_DISPLAY);
	rc = staff_slips_keep(req, resp, b.data);
	sodium_memzero(b.data, b.len);
	buf_free(&b);
	if (rc == -1)
		return staff_fail(req, resp, 500);
	http_redirect(resp, "/staff/slips");
	return 0;
fail:
	sodium_memzero(codes, n * CODE_DISPLAY);
	return staff_fail(req, resp, 500);
}

/* POST /staff/mapping/close: closes a round now (audited): what links a
 * slip to its answers is erased; the answers stay, to be counted. */
int
staff_mapping_close(struct request *req, struct response *resp)
{
	struct mapping_round	 r;
	struct audit_entry	 e;
	int			 rc;

	if ((rc = round_of(req, strtoll(request_param(req, "id"), NULL, 10),
	    &r)) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	staff_audit_of(req, "mapping_close", &e);
	e.unit = r.unit;
	e.detail = r.name;
	if (store_mapping_close(req->tenant->store, req->tenant->conf->name,
	    r.id, &e) == -1)
		return staff_fail(req, resp, 500);
	http_redirect(resp, arena_printf(req->arena, "/staff/mapping#round-%lld",
	    (long long)r.id));
	return 0;
}
