/*
 * replay.c: runs a fuzz target's LLVMFuzzerTestOneInput on stored inputs,
 * so make check replays each corpus with the ordinary compiler (and under
 * --enable-asan with the sanitizers).  Arguments are files or folders (a
 * folder's files in name order, dot files skipped); without any, a program
 * named replay_NAME replays $BERATTA_SRCDIR/tests/fuzz/corpus/NAME.
 * Prints TAP: one "ok N - TARGET/FILE" line per input, the plan at the
 * end.  An input that crashes or breaks an invariant ends the run; its
 * name is printed first as a "not ok" line with "Bail out!".
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Present only in a sanitizer build: run before a sanitizer ends the
 * process, so its report is tied to the input. */
void	 __sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

static int		 replay_n;
static char		 replay_name[PATH_MAX];
static volatile int	 replay_running;

/* TARGET/FILE: the last two parts of path. */
static void
replay_shortname(const char *path)
{
	const char	*p = path + strlen(path), *s = NULL;

	while (p > path) {
		p--;
		if (*p == '/') {
			if (s != NULL) {
				p++;
				break;
			}
			s = p;
		}
	}
	snprintf(replay_name, sizeof(replay_name), "%s", p);
}

/* Async-signal-safe: names the input that is dying. */
static void
replay_dying(void)
{
	char	 line[PATH_MAX + 64];
	int	 n;

	if (!replay_running)
		return;
	replay_running = 0;
	n = snprintf(line, sizeof(line), "not ok %d - %s\nBail out! %s\n",
	    replay_n + 1, replay_name, replay_name);
	if (n > 0)
		(void)!write(STDOUT_FILENO, line, (size_t)n < sizeof(line) ?
		    (size_t)n : sizeof(line) - 1);
}

static void
replay_signal(int sig)
{
	replay_dying();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
replay_file(const char *path)
{
	FILE		*f;
	uint8_t		*data;
	struct stat	 st;
	size_t		 n;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return -1;
	}
	/* An exact-size copy, so a read past the input is caught. */
	if ((data = malloc(st.st_size > 0 ? (size_t)st.st_size : 1)) == NULL)
		abort();
	n = fread(data, 1, (size_t)st.st_size, f);
	fclose(f);
	replay_shortname(path);
	fflush(stdout);
	replay_running = 1;
	LLVMFuzzerTestOneInput(data, n);
	replay_running = 0;
	free(data);
	printf("ok %d - %s\n", ++replay_n, replay_name);
	fflush(stdout);
	return 0;
}

static int
replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
replay_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		**names = NULL, **nn, path[PATH_MAX];
	size_t		 n = 0, cap = 0, i;
	int		 rc = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nn = realloc(names, cap * sizeof(*nn))) == NULL)
				abort();
			names = nn;
		}
		if ((names[n++] = strdup(e->d_name)) == NULL)
			abort();
	}
	closedir(d);
	qsort(names, n, sizeof(*names), replay_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (replay_file(path) == -1)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct stat	 st;
	const char	*name, *src;
	char		 corpus[PATH_MAX], *dflt[1], **args;
	int		 i, nargs, rc = 0;

	if (argc < 2) {
		if ((name = strrchr(argv[0], '/')) == NULL)
			name = argv[0];
		else
			name++;
		if (strncmp(name, "replay_", 7) != 0 || name[7] == '\0') {
			fprintf(stderr, "usage: %s FILE|DIR ...\n", argv[0]);
			return 2;
		}
		if ((src = getenv("BERATTA_SRCDIR")) == NULL || *src == '\0')
			src = ".";
		snprintf(corpus, sizeof(corpus), "%s/tests/fuzz/corpus/%s",
		    src, name + 7);
		dflt[0] = corpus;
		args = dflt;
		nargs = 1;
	} else {
		args = argv + 1;
		nargs = argc - 1;
	}
	/* A sanitizer reports faults itself (and calls back); abort() from
	 * a broken invariant is ours to name. */
	signal(SIGABRT, replay_signal);
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(replay_dying);
	else {
		signal(SIGSEGV, replay_signal);
		signal(SIGBUS, replay_signal);
		signal(SIGFPE, replay_signal);
		signal(SIGILL, replay_signal);
	}
	for (i = 0; i < nargs; i++) {
		if (stat(args[i], &st) == -1) {
			fprintf(stderr, "replay: %s: %s\n", args[i],
			    strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (replay_dir(args[i]) == -1)
				rc = -1;
		} else if (replay_file(args[i]) == -1)
			rc = -1;
	}
	if (rc == -1)
		printf("not ok %d - every input could be read\n", ++replay_n);
	printf("1..%d\n", replay_n);
	return rc == -1 ? 1 : 0;
}
