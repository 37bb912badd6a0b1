/*
 * log.c: one line per event on stderr, tagged with the program and pid.
 * Never given a form value, a cookie or an answer: callers pass only
 * identifiers, paths and statuses.
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "extern.h"

static const char	*log_prog = "beratta";
static pid_t		 log_pid;	/* getpid() is a system call each time */
static pthread_once_t	 log_once = PTHREAD_ONCE_INIT;

static void
log_forked(void)
{
	log_pid = getpid();
}

static void
log_atfork(void)
{
	pthread_atfork(NULL, NULL, log_forked);
}

void
log_init(const char *prog)
{
	log_prog = prog;
	log_pid = getpid();
	pthread_once(&log_once, log_atfork);
}

static int
log_getpid(void)
{
	return (int)(log_pid != 0 ? log_pid : getpid());
}

/* Writes one line; control characters in the message become '?', so no
 * caller can inject a line break into the log. */
void
log_msg(const char *lvl, const char *func, const char *fmt, ...)
{
	char	 msg[1024], line[1200];
	va_list	 ap;
	size_t	 i;
	int	 n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; msg[i] != '\0'; i++)
		if ((unsigned char)msg[i] < 0x20)
			msg[i] = '?';
	n = snprintf(line, sizeof(line), "%s[%d]: %s: %s: %s\n", log_prog,
	    log_getpid(), lvl, func, msg);
	if (n > 0)
		(void)!write(STDERR_FILENO, line,
		    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* The access line: method, path, status and microseconds, nothing else. */
void
log_request(const char *method, const char *path, int status, long usec)
{
	char	 p[256];
	size_t	 i;
	int	 n;
	char	 line[400];

	snprintf(p, sizeof(p), "%s", path != NULL ? path : "-");
	for (i = 0; p[i] != '\0'; i++)
		if ((unsigned char)p[i] <= 0x20 || p[i] == 0x7f)
			p[i] = '?';
	n = snprintf(line, sizeof(line), "%s[%d]: %s %s %d %ldus\n", log_prog,
	    log_getpid(), method != NULL ? method : "-", p, status, usec);
	if (n > 0)
		(void)!write(STDERR_FILENO, line,
		    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}
