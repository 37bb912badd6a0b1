/*
 * disclose.c: disclosure control of mapping reports, in C, before any view
 * sees a number.  Pure functions over counts: no storage, no Lua.
 *
 *  - A group is reported only with at least DISCLOSE_MIN_GROUP respondents
 *    (a tenant may raise the threshold, never lower it).
 *  - In a table of counts, every cell of 1 to DISCLOSE_SMALL_MAX is hidden
 *    (primary suppression); then, while a row or a column has exactly one
 *    hidden cell, the smallest other non-zero cell of that row or column
 *    is hidden too, so the hidden one cannot be worked out from the
 *    total (complementary suppression); a row or column whose hidden
 *    cell has no other non-zero cell to hide with it has its total
 *    hidden instead.
 *  - A report whose population differs from one already shown by fewer
 *    than DISCLOSE_MIN_GROUP respondents (all the school, then all the
 *    school but one class of 6) is refused as differencing.
 */
#include "config.h"

#include <string.h>

#include "extern.h"

/* The threshold a tenant asked for, never below the floor. */
int
disclose_min_group(int tenant_min)
{
	return tenant_min > DISCLOSE_MIN_GROUP ? tenant_min :
	    DISCLOSE_MIN_GROUP;
}

/* 1 if a group of respondents may be reported at all. */
int
disclose_group_ok(int64_t respondents, int tenant_min)
{
	return respondents >= disclose_min_group(tenant_min);
}

#define CELL(t, r, c)	((t)->cell[(r) * (t)->cols + (c)])
#define HIDE(t, r, c)	((t)->hidden[(r) * (t)->cols + (c)])

/* Hidden cells of row r (line 0) or column r (line 1). */
static size_t
hidden_in(const struct disclose_table *t, int line, size_t r)
{
	size_t	 i, n = 0, len = line == 0 ? t->cols : t->rows;

	for (i = 0; i < len; i++)
		n += line == 0 ? HIDE(t, r, i) : HIDE(t, i, r);
	return n;
}

/*
 * Hides the smallest shown non-zero cell of row or column r; 1 if one
 * was hidden, 0 if there was none (then the line's total is hidden).
 */
static int
hide_smallest(struct disclose_table *t, int line, size_t r)
{
	size_t	 i, best = 0, len = line == 0 ? t->cols : t->rows;
	int64_t	 v, min = -1;

	for (i = 0; i < len; i++) {
		if (line == 0 ? HIDE(t, r, i) : HIDE(t, i, r))
			continue;
		v = line == 0 ? CELL(t, r, i) : CELL(t, i, r);
		if (v > 0 && (min < 0 || v < min)) {
			min = v;
			best = i;
		}
	}
	if (min < 0) {
		if (line == 0)
			t->row_total_hidden[r] = 1;
		else
			t->col_total_hidden[r] = 1;
		return 0;
	}
	if (line == 0)
		HIDE(t, r, best) = 1;
	else
		HIDE(t, best, r) = 1;
	return 1;
}

/*
 * Suppresses t in place (t->hidden, t->row_total_hidden and
 * t->col_total_hidden, which the caller zeroed): primary suppression of
 * small cells, then complementary suppression until every row and column
 * with a hidden cell has at least two, or its total hidden.  Returns the
 * number of cells hidden.
 */
size_t
disclose_table(struct disclose_table *t)
{
	size_t	 r, c, n = 0;
	int	 changed = 1, line;

	for (r = 0; r < t->rows; r++)
		for (c = 0; c < t->cols; c++)
			if (CELL(t, r, c) >= 1 &&
			    CELL(t, r, c) <= DISCLOSE_SMALL_MAX) {
				HIDE(t, r, c) = 1;
				n++;
			}
	while (changed) {
		changed = 0;
		for (line = 0; line < 2; line++) {
			size_t	 lines = line == 0 ? t->rows : t->cols;

			/* A line of one cell has no total of its own to
			 * hide the cell from (a table of one row shows no
			 * column totals). */
			if ((line == 0 ? t->cols : t->rows) < 2)
				continue;
			for (r = 0; r < lines; r++) {
				if (hidden_in(t, line, r) != 1 ||
				    (line == 0 ? t->row_total_hidden[r] :
				    t->col_total_hidden[r]))
					continue;
				if (hide_smallest(t, line, r)) {
					n++;
					changed = 1;
				}
			}
		}
	}
	return n;
}

/* 1 if the sorted sets a (na) and b (nb) of group ids have a strictly
 * inside b. */
static int
subset(const int64_t *a, size_t na, const int64_t *b, size_t nb)
{
	size_t	 i = 0, j = 0;

	if (na >= nb)
		return 0;
	while (i < na && j < nb) {
		if (a[i] == b[j])
			i++, j++;
		else if (a[i] > b[j])
			j++;
		else
			return 0;
	}
	return i == na;
}

/* 1 if p and q are the same groups (the same population at another
 * time: a few who answered since would be told apart). */
static int
same(const struct disclose_population *p, const struct disclose_population *q)
{
	return p->ngroups == q->ngroups && (p->ngroups == 0 ||
	    memcmp(p->groups, q->groups, p->ngroups * sizeof(*p->groups)) == 0);
}

/*
 * 1 if showing population p (its groups, sorted, and its respondents)
 * would difference against population q already shown: one holds the
 * other (or they are the same groups, counted at another time) and they
 * differ by 1 to min - 1 respondents, so the answers of the few between
 * them could be worked out.
 */
int
disclose_differencing(const struct disclose_population *p,
    const struct disclose_population *q, int tenant_min)
{
	int64_t	 d = p->respondents - q->respondents;
	int	 min = disclose_min_group(tenant_min);

	if (d < 0)
		d = -d;
	if (d == 0 || d >= min)
		return 0;
	return same(p, q) ||
	    subset(p->groups, p->ngroups, q->groups, q->ngroups) ||
	    subset(q->groups, q->ngroups, p->groups, p->ngroups);
}
