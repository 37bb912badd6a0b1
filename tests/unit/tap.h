/*
 * tap.h: a tiny TAP producer for the unit tests: one "ok N - what" line per
 * check, the plan at the end, exit status 1 if anything failed.
 */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do {						\
	int tap_c = (cond) ? 1 : 0;					\
	printf("%s %d - ", tap_c ? "ok" : "not ok", ++tap_n);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!tap_c) {							\
		tap_failed++;						\
		printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	}								\
	fflush(stdout);							\
} while (0)

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* A path under the source tree, from the test environment. */
static inline const char *
tap_src(const char *rel)
{
	static char	 buf[8][4096];
	static int	 i;
	const char	*d = getenv("BERATTA_SRCDIR");

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", d ? d : ".", rel);
	return buf[i];
}

static inline const char *
tap_build(const char *rel)
{
	static char	 buf[8][4096];
	static int	 i;
	const char	*d = getenv("BERATTA_BUILDDIR");

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", d ? d : ".", rel);
	return buf[i];
}

#endif
