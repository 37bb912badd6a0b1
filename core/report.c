/*
 * report.c: the report of a closed mapping round, for the whole round or
 * one group: how many answered against how many were expected, how many
 * raised an alert, and each question's answers counted.  Everything comes
 * from the counts the answers kept (store_mapping_counts), never from a
 * response, and passes disclosure control (disclose.c) here, in C, before
 * the view or the CSV sees a number: a population under the threshold is
 * not reported, a group whose report would difference against the whole
 * round is refused, small cells and their complements are hidden (the
 * view gets no number for them at all).  Free text is never shown: only
 * how many wrote something.  Reports wait until the round is closed, so
 * that neither the link to the slips nor new answers arriving one by one
 * can tell a child's answers apart.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "extern.h"
#include "staff_int.h"

struct report_cell {
	const char	*value;
	int64_t		 n;
	int		 hidden;
};

struct report_row {
	const char		*question;
	struct report_cell	*cells;
	size_t			 ncells;
	int			 total_hidden;
};

struct report {
	struct mapping_round	 r;
	struct mapping_group	*groups;
	size_t			 ngroups;
	int64_t			 group;		/* 0: the whole round */
	const char		*group_name;
	const char		*refused;	/* why there is no report */
	int64_t			 respondents, expected;
	struct report_row	*rows;
	size_t			 nrows;
	struct report_row	 alerted;	/* alerted, not alerted */
};

static int
cmp_id(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* 1 if group g is in the report's population. */
static int
in_report(const struct report *rp, int64_t g)
{
	return rp->group == 0 || rp->group == g;
}

/* Suppresses one row of cells (a question's, or the alerts'). */
static int
row_suppress(struct request *req, struct report_row *row)
{
	struct disclose_table	 t;
	int64_t			*v;
	unsigned char		*hidden, total = 0, *cols;
	size_t			 i;

	if (row->ncells == 0)
		return 0;
	if ((v = arena_alloc(req->arena, row->ncells * sizeof(*v))) == NULL ||
	    (hidden = arena_alloc(req->arena, row->ncells)) == NULL ||
	    (cols = arena_alloc(req->arena, row->ncells)) == NULL)
		return -1;
	for (i = 0; i < row->ncells; i++)
		v[i] = row->cells[i].n;
	memset(hidden, 0, row->ncells);
	memset(cols, 0, row->ncells);
	t.rows = 1;
	t.cols = row->ncells;
	t.cell = v;
	t.hidden = hidden;
	t.row_total_hidden = &total;
	t.col_total_hidden = cols;
	disclose_table(&t);
	for (i = 0; i < row->ncells; i++)
		if ((row->cells[i].hidden = hidden[i]) != 0)
			row->cells[i].n = 0;
	row->total_hidden = total;
	return 0;
}

/* Adds n to the cell of value in row (made when new). */
static int
row_add(struct request *req, struct report_row *row, size_t *cap,
    const char *value, int64_t n)
{
	size_t	 i;

	for (i = 0; i < row->ncells; i++)
		if (strcmp(row->cells[i].value, value) == 0) {
			row->cells[i].n += n;
			return 0;
		}
	if ((row->cells = arena_grow(req->arena, row->cells, row->ncells, cap,
	    sizeof(*row->cells))) == NULL)
		return -1;
	row->cells[row->ncells].value = value;
	row->cells[row->ncells].n = n;
	row->cells[row->ncells].hidden = 0;
	row->ncells++;
	return 0;
}

/*
 * Builds the report of round (group: one of its groups, or 0 for the whole
 * round): 1 with *rp (rp->refused set when there is nothing to show, and
 * why), 0 when there is no such round or group or it is not the person's
 * (404), -1.
 */
static int
report_build(struct request *req, struct report *rp, int64_t round,
    int64_t group)
{
	struct mapping_count	*c;
	struct disclose_population p, w;
	int64_t			*all, one, respondents = 0, alerted = 0;
	size_t			 i, n, cap = 0, rowcap = 0;
	int			 tmin = req->tenant->conf->report_min;
	int			 min = disclose_min_group(tmin), found = 0;

	memset(rp, 0, sizeof(*rp));
	if (store_mapping_get(req->tenant->store, req->arena, round,
	    &rp->r) == -1)
		return -1;
	if (rp->r.id == 0 || !auth_allow(req, ACCESS_MAPPER, rp->r.unit))
		return 0;
	if (store_mapping_groups(req->tenant->store, req->arena, rp->r.id, 0,
	    &rp->groups, &rp->ngroups) == -1)
		return -1;
	rp->group = group;
	for (i = 0; i < rp->ngroups; i++) {
		if (in_report(rp, rp->groups[i].id))
			rp->expected += rp->groups[i].expected;
		if (rp->groups[i].id == rp->group) {
			rp->group_name = rp->groups[i].name;
			found = 1;
		}
	}
	if (rp->group != 0 && !found)
		return 0;
	if (rp->r.closed == 0) {
		rp->refused = "open";
		return 1;
	}
	/* The counts kept for the report's population (summed over the
	 * groups when the round closed), and how many answered in the whole
	 * round, against which a group's report could difference. */
	if (store_mapping_counts(req->tenant->store, req->arena, rp->r.id,
	    rp->group, &c, &n) == -1 || store_mapping_respondents(
	    req->tenant->store, rp->r.id, &respondents) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (*c[i].question == '\0' &&
		    strcmp(c[i].value, "respondents") == 0)
			rp->respondents += c[i].n;
	if (rp->respondents < min) {
		rp->refused = "few";
		rp->respondents = 0;
		return 1;
	}
	if (rp->group != 0) {
		if ((all = arena_alloc(req->arena, (rp->ngroups + 1) *
		    sizeof(*all))) == NULL)
			return -1;
		for (i = 0; i < rp->ngroups; i++)
			all[i] = rp->groups[i].id;
		qsort(all, rp->ngroups, sizeof(*all), cmp_id);
		one = rp->group;
		p.groups = &one;
		p.ngroups = 1;
		p.respondents = rp->respondents;
		w.groups = all;
		w.ngroups = rp->ngroups;
		w.respondents = respondents;
		if (disclose_differencing(&p, &w, tmin)) {
			rp->refused = "differencing";
			rp->respondents = 0;
			return 1;
		}
	}
	/* The questions' rows, in the order of question and value. */
	for (i = 0; i < n; i++) {
		if (*c[i].question == '\0') {
			if (strcmp(c[i].value, "alerted") == 0)
				alerted += c[i].n;
			continue;
		}
		if (rp->nrows == 0 || strcmp(rp->rows[rp->nrows - 1].question,
		    c[i].question) != 0) {
			if ((rp->rows = arena_grow(req->arena, rp->rows,
			    rp->nrows, &rowcap, sizeof(*rp->rows))) == NULL)
				return -1;
			memset(&rp->rows[rp->nrows], 0, sizeof(*rp->rows));
			rp->rows[rp->nrows++].question = c[i].question;
			cap = 0;
		}
		if (row_add(req, &rp->rows[rp->nrows - 1], &cap, c[i].value,
		    c[i].n) == -1)
			return -1;
	}
	for (i = 0; i < rp->nrows; i++)
		if (row_suppress(req, &rp->rows[i]) == -1)
			return -1;
	cap = 0;
	if (row_add(req, &rp->alerted, &cap, "alerted", alerted) == -1 ||
	    row_add(req, &rp->alerted, &cap, "not_alerted", rp->respondents -
	    alerted) == -1 || row_suppress(req, &rp->alerted) == -1)
		return -1;
	return 1;
}

static void
push_cell(lua_State *L, const struct report_cell *c)
{
	lua_createtable(L, 0, 2);
	view_push_kv(L, "value", c->value);
	if (c->hidden)
		push_bool(L, "hidden", 1);
	else
		push_int(L, "n", c->n);
}

/* A report as a table: the round, its groups, and what it shows (or why
 * it shows nothing). */
static void
push_report(lua_State *L, const struct report *rp)
{
	size_t		 i, j;

	lua_createtable(L, 0, 14);
	push_int(L, "id", rp->r.id);
	view_push_kv(L, "name", rp->r.name);
	view_push_kv(L, "opens", rp->r.opens);
	view_push_kv(L, "closes", rp->r.closes);
	if (rp->r.version != NULL)
		view_push_kv(L, "version", rp->r.version);
	if (rp->r.closed > 0)
		staff_push_time(L, "closed", rp->r.closed);
	if (rp->group != 0) {
		push_int(L, "group", rp->group);
		view_push_kv(L, "group_name", rp->group_name);
	}
	lua_createtable(L, (int)rp->ngroups, 0);
	for (i = 0; i < rp->ngroups; i++) {
		lua_createtable(L, 0, 2);
		push_int(L, "id", rp->groups[i].id);
		view_push_kv(L, "name", rp->groups[i].name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "groups");
	if (rp->refused != NULL) {
		view_push_kv(L, "refused", rp->refused);
		return;
	}
	push_int(L, "respondents", rp->respondents);
	push_int(L, "expected", rp->expected);
	lua_createtable(L, 2, 0);
	for (i = 0; i < rp->alerted.ncells; i++) {
		push_cell(L, &rp->alerted.cells[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "alerted");
	lua_createtable(L, 0, (int)rp->nrows);
	for (i = 0; i < rp->nrows; i++) {
		lua_createtable(L, 0, 2);
		lua_createtable(L, (int)rp->rows[i].ncells, 0);
		for (j = 0; j < rp->rows[i].ncells; j++) {
			push_cell(L, &rp->rows[i].cells[j]);
			lua_rawseti(L, -2, (lua_Integer)j + 1);
		}
		lua_setfield(L, -2, "cells");
		push_bool(L, "total_hidden", rp->rows[i].total_hidden);
		lua_setfield(L, -2, rp->rows[i].question);
	}
	lua_setfield(L, -2, "questions");
}

/* The closed rounds of a unit with their groups: what a report can be
 * compared with. */
struct others {
	struct mapping_round	 *rounds;
	struct mapping_group	**groups;
	size_t			 nrounds, *ngroups;
};

static int
others_read(struct request *req, int64_t unit, struct others *o)
{
	size_t	 i, cap = 0, n = 0;

	memset(o, 0, sizeof(*o));
	if (store_mapping_rounds(req->tenant->store, req->arena, unit,
	    &o->rounds, &n, &cap) == -1)
		return -1;
	if ((o->groups = arena_alloc(req->arena, (n + 1) *
	    sizeof(*o->groups))) == NULL || (o->ngroups =
	    arena_alloc(req->arena, (n + 1) * sizeof(*o->ngroups))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (o->rounds[i].closed == 0)
			continue;
		o->rounds[o->nrounds] = o->rounds[i];
		if (store_mapping_groups(req->tenant->store, req->arena,
		    o->rounds[i].id, 0, &o->groups[o->nrounds],
		    &o->ngroups[o->nrounds]) == -1)
			return -1;
		o->nrounds++;
	}
	return 0;
}

static void
push_others(lua_State *L, const struct others *o)
{
	size_t	 i, j;

	lua_createtable(L, (int)o->nrounds, 0);
	for (i = 0; i < o->nrounds; i++) {
		lua_createtable(L, 0, 3);
		push_int(L, "id", o->rounds[i].id);
		view_push_kv(L, "name", o->rounds[i].name);
		lua_createtable(L, (int)o->ngroups[i], 0);
		for (j = 0; j < o->ngroups[i]; j++) {
			lua_createtable(L, 0, 2);
			push_int(L, "id", o->groups[i][j].id);
			view_push_kv(L, "name", o->groups[i][j].name);
			lua_rawseti(L, -2, (lua_Integer)j + 1);
		}
		lua_setfield(L, -2, "groups");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

struct report_data {
	struct report	 rp;
	struct others	 others;
};

static int
fill_report(lua_State *L, void *arg)
{
	struct report_data	*d = arg;

	push_report(L, &d->rp);
	push_others(L, &d->others);
	lua_setfield(L, -2, "others");
	lua_setfield(L, -2, "report");
	return 0;
}

/* A count as CSV: the number, or "suppressed" (the number is not here). */
static int
csv_count(struct buf *b, const struct report_cell *c)
{
	return c->hidden ? buf_puts(b, "suppressed") :
	    buf_printf(b, "%lld", (long long)c->n);
}

/* CSV of the report's suppressed aggregates: never a row per child. */
static int
report_csv(struct request *req, struct response *resp, struct report *rp)
{
	struct buf	*b = &resp->body;
	size_t		 i, j;
	int		 rc = 0;

	buf_free(b);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	http_header(resp, "Content-Disposition",
	    "attachment; filename=\"beratta-report.csv\"");
	rc |= buf_puts(b, "question,value,count\r\n");
	if (rp->refused != NULL)
		return buf_printf(b, ",refused,%s\r\n", rp->refused) == -1 ?
		    staff_fail(req, resp, 500) : 0;
	rc |= buf_printf(b, ",respondents,%lld\r\n,expected,%lld\r\n",
	    (long long)rp->respondents, (long long)rp->expected);
	for (i = 0; i < rp->alerted.ncells; i++) {
		rc |= buf_printf(b, ",%s,", rp->alerted.cells[i].value);
		rc |= csv_count(b, &rp->alerted.cells[i]);
		rc |= buf_puts(b, "\r\n");
	}
	/* Question ids and values are a-z, 0-9, _, ':' and ' ' only: no
	 * field needs quoting. */
	for (i = 0; i < rp->nrows; i++)
		for (j = 0; j < rp->rows[i].ncells; j++) {
			rc |= buf_printf(b, "%s,%s,", rp->rows[i].question,
			    rp->rows[i].cells[j].value);
			rc |= csv_count(b, &rp->rows[i].cells[j]);
			rc |= buf_puts(b, "\r\n");
		}
	return rc != 0 ? staff_fail(req, resp, 500) : 0;
}

/* The group of the request's parameter name (0: none, the whole round). */
static int64_t
group_param(struct request *req, const char *name)
{
	const char	*gs = request_param(req, name);

	return gs != NULL && *gs != '\0' ? strtoll(gs, NULL, 10) : 0;
}

/* GET /staff/mapping/report and /staff/mapping/report.csv. */
int
staff_report(struct request *req, struct response *resp)
{
	struct report_data	 d;
	struct audit_entry	 e;
	int			 rc;

	if ((rc = report_build(req, &d.rp, strtoll(request_param(req, "id"),
	    NULL, 10), group_param(req, "group"))) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	if (d.rp.refused == NULL) {
		staff_audit_of(req, "mapping_report", &e);
		e.unit = d.rp.r.unit;
		e.detail = arena_printf(req->arena, "%s%s%s", d.rp.r.name,
		    d.rp.group_name ? ": " : "", d.rp.group_name ?
		    d.rp.group_name : "");
		if (staff_audit_add(req, &e) == -1)
			return staff_fail(req, resp, 500);
	}
	if (strcmp(req->path, "/staff/mapping/report.csv") == 0)
		return report_csv(req, resp, &d.rp);
	if (others_read(req, d.rp.r.unit, &d.others) == -1)
		return staff_fail(req, resp, 500);
	return staff_page(req, resp, 200, "staff_report", NULL, fill_report,
	    &d);
}

/*
 * Two reports side by side: group against group of one round, or a group
 * or a whole round against an earlier round (year to year).  Each side is
 * a report of its own, suppressed and refused as it would be alone; rows
 * are matched by question id and value, and a difference is given only
 * where both sides show their number (a count suppressed on either side,
 * or a question one side did not ask, is not compared).
 */
struct compare_row {
	const char			*question, *value;
	const struct report_cell	*a, *b;	/* NULL: none counted */
	const struct report_row		*ra, *rb; /* NULL: not asked */
	int				 compared;
	double				 pa, pb;	/* shares, percent */
};

struct compare {
	struct report		 a, b;
	struct compare_row	*rows;
	size_t			 nrows, cap;
};

static const struct report_row *
row_of(const struct report *rp, const char *question)
{
	size_t	 i;

	for (i = 0; i < rp->nrows; i++)
		if (strcmp(rp->rows[i].question, question) == 0)
			return &rp->rows[i];
	return NULL;
}

static const struct report_cell *
cell_of(const struct report_row *row, const char *value)
{
	size_t	 i;

	for (i = 0; row != NULL && i < row->ncells; i++)
		if (strcmp(row->cells[i].value, value) == 0)
			return &row->cells[i];
	return NULL;
}

static int
compare_add(struct request *req, struct compare *c, const char *question,
    const char *value)
{
	struct compare_row	*r;
	size_t			 i;

	for (i = 0; i < c->nrows; i++)
		if (strcmp(c->rows[i].question, question) == 0 &&
		    strcmp(c->rows[i].value, value) == 0)
			return 0;
	if ((c->rows = arena_grow(req->arena, c->rows, c->nrows, &c->cap,
	    sizeof(*c->rows))) == NULL)
		return -1;
	r = &c->rows[c->nrows++];
	memset(r, 0, sizeof(*r));
	r->question = question;
	r->value = value;
	r->ra = row_of(&c->a, question);
	r->rb = row_of(&c->b, question);
	r->a = cell_of(r->ra, value);
	r->b = cell_of(r->rb, value);
	r->compared = r->ra != NULL && r->rb != NULL &&
	    (r->a == NULL || !r->a->hidden) && (r->b == NULL || !r->b->hidden);
	if (r->compared) {
		r->pa = 100.0 * (double)(r->a ? r->a->n : 0) /
		    (double)c->a.respondents;
		r->pb = 100.0 * (double)(r->b ? r->b->n : 0) /
		    (double)c->b.respondents;
	}
	return 0;
}

static int
compare_build(struct request *req, struct compare *c)
{
	const char	*with = request_param(req, "with"), *dash;
	size_t		 i, j, k;
	int		 rc;

	memset(c, 0, sizeof(*c));
	dash = strchr(with, '-');
	if ((rc = report_build(req, &c->a, strtoll(request_param(req, "id"),
	    NULL, 10), group_param(req, "group"))) != 1 ||
	    (rc = report_build(req, &c->b, strtoll(with, NULL, 10),
	    dash != NULL ? strtoll(dash + 1, NULL, 10) : 0)) != 1)
		return rc;
	if (c->a.refused != NULL || c->b.refused != NULL)
		return 1;
	for (k = 0; k < 2; k++) {
		const struct report	*rp = k ? &c->b : &c->a;

		for (i = 0; i < rp->nrows; i++)
			for (j = 0; j < rp->rows[i].ncells; j++)
				if (compare_add(req, c, rp->rows[i].question,
				    rp->rows[i].cells[j].value) == -1)
					return -1;
	}
	return 1;
}

static void
push_share(lua_State *L, const char *key, double pct)
{
	lua_pushnumber(L, pct);
	lua_setfield(L, -2, key);
}

static int
fill_compare(lua_State *L, void *arg)
{
	struct compare	*c = arg;
	size_t		 i;

	lua_createtable(L, 0, 3);
	push_report(L, &c->a);
	lua_setfield(L, -2, "a");
	push_report(L, &c->b);
	lua_setfield(L, -2, "b");
	lua_createtable(L, (int)c->nrows, 0);
	for (i = 0; i < c->nrows; i++) {
		const struct compare_row	*r = &c->rows[i];

		lua_createtable(L, 0, 8);
		view_push_kv(L, "question", r->question);
		view_push_kv(L, "value", r->value);
		push_bool(L, "asked_a", r->ra != NULL);
		push_bool(L, "asked_b", r->rb != NULL);
		if (r->a != NULL) {
			push_cell(L, r->a);
			lua_setfield(L, -2, "a");
		}
		if (r->b != NULL) {
			push_cell(L, r->b);
			lua_setfield(L, -2, "b");
		}
		if (r->compared) {
			push_share(L, "pa", r->pa);
			push_share(L, "pb", r->pb);
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "rows");
	lua_setfield(L, -2, "compare");
	return 0;
}

/* A comparison as CSV: each side's count (or "suppressed", or empty when
 * the question was not asked there), and the shares and their difference
 * only where both are shown (the first's share less the second's). */
static int
compare_csv(struct request *req, struct response *resp, struct compare *c)
{
	struct buf	*b = &resp->body;
	size_t		 i;
	int		 rc = 0;

	buf_free(b);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	http_header(resp, "Content-Disposition",
	    "attachment; filename=\"beratta-comparison.csv\"");
	rc |= buf_puts(b, "question,value,count_a,count_b,percent_a,"
	    "percent_b,difference\r\n");
	if (c->a.refused != NULL || c->b.refused != NULL)
		return buf_printf(b, ",refused,%s,%s,,,\r\n", c->a.refused ?
		    c->a.refused : "", c->b.refused ? c->b.refused : "") ==
		    -1 ? staff_fail(req, resp, 500) : 0;
	rc |= buf_printf(b, ",respondents,%lld,%lld,,,\r\n",
	    (long long)c->a.respondents, (long long)c->b.respondents);
	for (i = 0; i < c->nrows; i++) {
		const struct compare_row	*r = &c->rows[i];
		struct report_cell		 zero = { r->value, 0, 0 };

		rc |= buf_printf(b, "%s,%s,", r->question, r->value);
		if (r->ra != NULL)
			rc |= csv_count(b, r->a ? r->a : &zero);
		rc |= buf_puts(b, ",");
		if (r->rb != NULL)
			rc |= csv_count(b, r->b ? r->b : &zero);
		rc |= r->compared ? buf_printf(b, ",%.1f,%.1f,%+.1f\r\n",
		    r->pa, r->pb, r->pa - r->pb) : buf_puts(b, ",,,\r\n");
	}
	return rc != 0 ? staff_fail(req, resp, 500) : 0;
}

/* The canonical forms of the two sides' set versions, other than today's,
 * as data.canonicals, so that changed questions are marked. */
static int
push_versions(lua_State *L, struct request *req, const struct compare *c)
{
	const char	*v[2] = { c->a.r.version, c->b.r.version }, *canon;
	size_t		 i;

	lua_newtable(L);
	for (i = 0; i < 2; i++) {
		if (v[i] == NULL || strcmp(v[i], req->tenant->version) == 0)
			continue;
		if (store_version_get(req->tenant->store, req->arena, v[i],
		    &canon) == -1)
			return -1;
		if (canon != NULL)
			view_push_kv(L, v[i], canon);
	}
	lua_setfield(L, -2, "canonicals");
	view_push_kv(L, "version", req->tenant->version);
	return 0;
}

static int
fill_compare_page(lua_State *L, void *arg)
{
	struct request	*req = ((void **)arg)[0];
	struct compare	*c = ((void **)arg)[1];

	if (fill_compare(L, c) == -1)
		return -1;
	return push_versions(L, req, c);
}

/* GET /staff/mapping/compare and /staff/mapping/compare.csv. */
int
staff_report_compare(struct request *req, struct response *resp)
{
	struct compare		 c;
	struct audit_entry	 e;
	void			*arg[2] = { req, &c };
	int			 rc;

	if ((rc = compare_build(req, &c)) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	if (c.a.refused == NULL && c.b.refused == NULL) {
		staff_audit_of(req, "mapping_compare", &e);
		e.unit = c.a.r.unit;
		e.detail = arena_printf(req->arena, "%s%s%s / %s%s%s",
		    c.a.r.name, c.a.group_name ? ": " : "", c.a.group_name ?
		    c.a.group_name : "", c.b.r.name, c.b.group_name ? ": " :
		    "", c.b.group_name ? c.b.group_name : "");
		if (staff_audit_add(req, &e) == -1)
			return staff_fail(req, resp, 500);
	}
	if (strcmp(req->path, "/staff/mapping/compare.csv") == 0)
		return compare_csv(req, resp, &c);
	return staff_page(req, resp, 200, "staff_report_compare", NULL,
	    fill_compare_page, arg);
}
