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
 * Builds the report of the request (id: the round; group: one of its
 * groups, or none for the whole round): 1 with *rp (rp->refused set when
 * there is nothing to show, and why), 0 when there is no such round or
 * group or it is not the person's (404), -1.
 */
static int
report_build(struct request *req, struct report *rp)
{
	struct mapping_count	*c;
	struct disclose_population p, w;
	const char		*gs = request_param(req, "group");
	int64_t			*all, one, respondents = 0, alerted = 0;
	size_t			 i, n, cap = 0, rowcap = 0;
	int			 tmin = req->tenant->conf->report_min;
	int			 min = disclose_min_group(tmin), found = 0;

	memset(rp, 0, sizeof(*rp));
	if (store_mapping_get(req->tenant->store, req->arena,
	    strtoll(request_param(req, "id"), NULL, 10), &rp->r) == -1)
		return -1;
	if (rp->r.id == 0 || !auth_allow(req, ACCESS_MAPPER, rp->r.unit))
		return 0;
	if (store_mapping_groups(req->tenant->store, req->arena, rp->r.id,
	    &rp->groups, &rp->ngroups) == -1)
		return -1;
	rp->group = gs != NULL && *gs != '\0' ? strtoll(gs, NULL, 10) : 0;
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
	if (store_mapping_counts(req->tenant->store, req->arena, rp->r.id, &c,
	    &n) == -1)
		return -1;
	/* The populations: this report's, and the whole round's. */
	for (i = 0; i < n; i++)
		if (*c[i].question == '\0' &&
		    strcmp(c[i].value, "respondents") == 0) {
			respondents += c[i].n;
			if (in_report(rp, c[i].group))
				rp->respondents += c[i].n;
		}
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
	/* The questions' rows, summed over the population's groups. */
	for (i = 0; i < n; i++) {
		if (!in_report(rp, c[i].group))
			continue;
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

static int
fill_report(lua_State *L, void *arg)
{
	struct report	*rp = arg;
	size_t		 i, j;

	lua_createtable(L, 0, 12);
	push_int(L, "id", rp->r.id);
	view_push_kv(L, "name", rp->r.name);
	view_push_kv(L, "opens", rp->r.opens);
	view_push_kv(L, "closes", rp->r.closes);
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
		lua_setfield(L, -2, "report");
		return 0;
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
	lua_setfield(L, -2, "report");
	return 0;
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
	for (i = 0; i < rp->alerted.ncells; i++)
		rc |= rp->alerted.cells[i].hidden ? buf_printf(b,
		    ",%s,suppressed\r\n", rp->alerted.cells[i].value) :
		    buf_printf(b, ",%s,%lld\r\n", rp->alerted.cells[i].value,
		    (long long)rp->alerted.cells[i].n);
	/* Question ids and values are a-z, 0-9, _, ':' and ' ' only: no
	 * field needs quoting. */
	for (i = 0; i < rp->nrows; i++)
		for (j = 0; j < rp->rows[i].ncells; j++)
			rc |= rp->rows[i].cells[j].hidden ? buf_printf(b,
			    "%s,%s,suppressed\r\n", rp->rows[i].question,
			    rp->rows[i].cells[j].value) : buf_printf(b,
			    "%s,%s,%lld\r\n", rp->rows[i].question,
			    rp->rows[i].cells[j].value,
			    (long long)rp->rows[i].cells[j].n);
	return rc != 0 ? staff_fail(req, resp, 500) : 0;
}

/* GET /staff/mapping/report and /staff/mapping/report.csv. */
int
staff_report(struct request *req, struct response *resp)
{
	struct report		 rp;
	struct audit_entry	 e;
	int			 rc;

	if ((rc = report_build(req, &rp)) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	if (rp.refused == NULL) {
		staff_audit_of(req, "mapping_report", &e);
		e.unit = rp.r.unit;
		e.detail = arena_printf(req->arena, "%s%s%s", rp.r.name,
		    rp.group_name ? ": " : "", rp.group_name ?
		    rp.group_name : "");
		if (staff_audit_add(req, &e) == -1)
			return staff_fail(req, resp, 500);
	}
	if (strcmp(req->path, "/staff/mapping/report.csv") == 0)
		return report_csv(req, resp, &rp);
	return staff_page(req, resp, 200, "staff_report", NULL, fill_report,
	    &rp);
}
