/*
 * test_disclose.c: the disclosure control of mapping reports
 * (core/disclose.c) on hand-made tables with known counts: the group
 * threshold (raised by a tenant, never lowered), small cells hidden,
 * their complements hidden so no hidden cell can be worked out from a
 * total, a total hidden when nothing else could hide with the cell, and
 * the differencing of populations (all the school, then all the school
 * but one small class) refused.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "extern.h"
#include "tap.h"

/* Suppresses the rows x cols counts v; the hidden flags as a string of
 * '.' (shown) and 'x' (hidden), rows joined by '|', and the totals' as
 * "R:..." and "C:...". */
static const char *
suppressed(const int64_t *v, size_t rows, size_t cols, size_t *n)
{
	static char	 out[256];
	unsigned char	 hidden[64], rt[8], ct[8];
	struct disclose_table t = { rows, cols, v, hidden, rt, ct };
	size_t		 r, c, k = 0;

	memset(hidden, 0, sizeof(hidden));
	memset(rt, 0, sizeof(rt));
	memset(ct, 0, sizeof(ct));
	*n = disclose_table(&t);
	for (r = 0; r < rows; r++) {
		for (c = 0; c < cols; c++)
			out[k++] = hidden[r * cols + c] ? 'x' : '.';
		out[k++] = '|';
	}
	out[k++] = 'R';
	out[k++] = ':';
	for (r = 0; r < rows; r++)
		out[k++] = rt[r] ? 'x' : '.';
	out[k++] = ' ';
	out[k++] = 'C';
	out[k++] = ':';
	for (c = 0; c < cols; c++)
		out[k++] = ct[c] ? 'x' : '.';
	out[k] = '\0';
	return out;
}

static void
test_threshold(void)
{
	ok(!disclose_group_ok(9, 0) && disclose_group_ok(10, 0),
	    "a group of 9 is not reported, one of 10 is");
	ok(!disclose_group_ok(14, 15) && disclose_group_ok(15, 15),
	    "a tenant raises the threshold");
	ok(!disclose_group_ok(9, 5) && disclose_min_group(5) == 10,
	    "a tenant never lowers it");
}

static void
test_tables(void)
{
	static const int64_t	 big[] = { 20, 30, 15 };
	static const int64_t	 one_small[] = { 20, 3, 15, 12 };
	static const int64_t	 zero_rest[] = { 0, 4, 0 };
	static const int64_t	 two_small[] = { 2, 30, 1, 9 };
	static const int64_t	 grid[] = {
		12, 3, 20,
		15, 16, 11,
		30, 25, 14,
	};
	const char		*s;
	size_t			 n;

	s = suppressed(big, 1, 3, &n);
	ok(n == 0 && strcmp(s, "...|R:. C:...") == 0,
	    "no small cell: nothing hidden (%s)", s);
	s = suppressed(one_small, 1, 4, &n);
	ok(n == 2 && strcmp(s, ".x.x|R:. C:....") == 0,
	    "a cell of 3 is hidden, and the smallest other (12), so the total "
	    "does not give it away (%s)", s);
	s = suppressed(zero_rest, 1, 3, &n);
	ok(n == 1 && strcmp(s, ".x.|R:x C:...") == 0,
	    "a 4 with only zeros beside it: its total is hidden (%s)", s);
	s = suppressed(two_small, 1, 4, &n);
	ok(n == 2 && strcmp(s, "x.x.|R:. C:....") == 0,
	    "two small cells protect each other; nothing more is hidden (%s)",
	    s);
	s = suppressed(grid, 3, 3, &n);
	ok(strcmp(s, "xx.|xx.|...|R:... C:...") == 0 && n == 4,
	    "in a table, the 3, its row's complement and its column's, and "
	    "the cell that closes the rectangle (%s)", s);
}

static void
test_differencing(void)
{
	static const int64_t	 school[] = { 1, 2, 3, 4 };
	static const int64_t	 but_one[] = { 1, 2, 3 };
	static const int64_t	 class4[] = { 4 };
	static const int64_t	 other[] = { 5, 6 };
	struct disclose_population all = { school, 4, 106 };
	struct disclose_population less = { but_one, 3, 100 };
	struct disclose_population much_less = { but_one, 3, 90 };
	struct disclose_population small = { class4, 1, 6 };
	struct disclose_population elsewhere = { other, 2, 101 };
	struct disclose_population later = { school, 4, 109 };

	ok(disclose_differencing(&less, &all, 0) &&
	    disclose_differencing(&all, &less, 0),
	    "all the school, then all but a class of 6: refused either way");
	ok(!disclose_differencing(&much_less, &all, 0),
	    "all but a class of 16: shown");
	ok(disclose_differencing(&much_less, &all, 20),
	    "... unless the tenant's threshold is above 16");
	ok(!disclose_differencing(&elsewhere, &all, 0),
	    "groups that do not hold each other: no differencing");
	ok(disclose_differencing(&later, &all, 0),
	    "the same groups counted again after 3 more answered: refused");
	ok(!disclose_differencing(&small, &small, 0),
	    "the same report again: nothing new");
}

int
main(void)
{
	test_threshold();
	test_tables();
	test_differencing();
	return tap_done();
}
