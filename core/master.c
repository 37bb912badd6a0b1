/*
 * master.c: the master process.  It opens (or inherits) the listening
 * socket, forks the workers and keeps their number: a worker that dies is
 * replaced, with a pause if workers die right after they start.  The
 * master loads every tenant's plugin into a Lua state and the workers
 * inherit those states through fork, so a replacement worker serves the
 * same checked version whatever is on disk now.  SIGHUP reads the
 * configuration and plugins again, starts a new generation of workers and
 * only then stops the old ones, so no request fails; a configuration or
 * plugin that fails keeps the old generation serving.  SIGTERM and SIGINT
 * stop the workers after their requests in flight and exit.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <lua.h>

#include "extern.h"

#define MASTER_MAX_WORKERS	256
#define MASTER_STOP_SECONDS	30

struct slot {
	pid_t	 pid;
	int	 gen;
	time_t	 started;
};

static volatile sig_atomic_t	 got_chld, got_hup, got_term;
static struct slot		 slots[MASTER_MAX_WORKERS * 2];

static void
on_signal(int sig)
{
	if (sig == SIGCHLD)
		got_chld = 1;
	else if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

/*
 * Sets *fd to the listening socket: systemd's (LISTEN_FDS, fd 3), the
 * configured unix socket (created; *owned = 1), or fd 0 as spawn-fcgi
 * leaves it.  The socket is made non-blocking for the workers' poll loop.
 */
int
master_listen(const struct config *c, int *fd, int *owned)
{
	const char	*lp = getenv("LISTEN_PID"), *lf = getenv("LISTEN_FDS");
	int		 type;
	socklen_t	 len = sizeof(type);

	*owned = 0;
	if (lp != NULL && lf != NULL && atoi(lp) == (int)getpid() && atoi(lf) >= 1)
		*fd = 3;
	else if (c->socket != NULL) {
		if (FCGX_Init() != 0)
			return -1;
		unlink(c->socket);
		if ((*fd = FCGX_OpenSocket(c->socket, 1024)) < 0) {
			LOG_ERR("%s: cannot listen: %s", c->socket, strerror(errno));
			return -1;
		}
		if (chmod(c->socket, (mode_t)c->socket_mode) == -1) {
			LOG_ERR("%s: chmod: %s", c->socket, strerror(errno));
			return -1;
		}
		*owned = 1;
	} else
		*fd = 0;
	if (getsockopt(*fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1) {
		LOG_ERR("no socket configured and fd %d is not a socket "
		    "(set 'socket' or start under spawn-fcgi)", *fd);
		return -1;
	}
	if (fcntl(*fd, F_SETFL, fcntl(*fd, F_GETFL) | O_NONBLOCK) == -1 ||
	    fcntl(*fd, F_SETFD, FD_CLOEXEC) == -1) {
		LOG_ERR("fcntl: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The tenants' Lua states of the current generation, loaded and checked
 * here and inherited by every worker forked from now on. */
struct plugins {
	struct lua_State	**states;
	char			(*versions)[65];
	size_t			 n;
};

static void
plugins_free(struct plugins *p)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		sandbox_close(p->states[i]);
	free(p->states);
	free(p->versions);
	memset(p, 0, sizeof(*p));
}

static int
plugins_load(const struct config *c, struct plugins *p)
{
	memset(p, 0, sizeof(*p));
	if ((p->states = calloc(c->ntenants, sizeof(*p->states))) == NULL ||
	    (p->versions = calloc(c->ntenants, sizeof(*p->versions))) == NULL) {
		free(p->states);
		return -1;
	}
	if (tenant_load_all(c, p->states, p->versions) == -1) {
		free(p->states);
		free(p->versions);
		memset(p, 0, sizeof(*p));
		return -1;
	}
	p->n = c->ntenants;
	return 0;
}

static pid_t
spawn(struct config *c, int fd, struct plugins *p, int gen, size_t i)
{
	sigset_t	 none;
	pid_t		 pid, master = getpid();

	if ((pid = fork()) == -1) {
		LOG_ERR("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* A worker outlives no master: it finishes its requests and
		 * leaves, so the master's supervisor (systemd) can start the
		 * service again on a clean socket. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != master)
			_exit(0);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		_exit(worker_run(c, fd, p->states, p->versions) == 0 ? 0 : 1);
	}
	slots[i].pid = pid;
	slots[i].gen = gen;
	slots[i].started = time(NULL);
	return pid;
}

static size_t
free_slot(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (slots[i].pid == 0)
			return i;
	return 0;
}

static int
count_gen(int gen)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (slots[i].pid != 0 && slots[i].gen == gen)
			n++;
	return n;
}

/*
 * Reads the configuration at c's path, its plugins and UI strings.  On
 * failure everything stays as it was (the UI strings reloaded from c).
 */
static int
reload(const struct config *c, struct config **nc, struct plugins *p)
{
	if (config_load(c->path, nc) == -1)
		return -1;
	if (plugins_load(*nc, p) == -1) {
		config_free(*nc);
		return -1;
	}
	if (i18n_init((*nc)->locale_dir, "sv") == -1) {
		plugins_free(p);
		config_free(*nc);
		i18n_init(c->locale_dir, "sv");
		return -1;
	}
	return 0;
}

static void
reap(int gen, int *fast_deaths)
{
	size_t	 i;
	pid_t	 pid;
	int	 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
			if (slots[i].pid != pid)
				continue;
			if (slots[i].gen == gen && !got_term) {
				if (WIFSIGNALED(status))
					LOG_WARN("worker %d killed by signal %d",
					    (int)pid, WTERMSIG(status));
				else
					LOG_WARN("worker %d exited with %d",
					    (int)pid, WEXITSTATUS(status));
				if (time(NULL) - slots[i].started < 2)
					(*fast_deaths)++;
				else
					*fast_deaths = 0;
			}
			slots[i].pid = 0;
		}
	}
}

static void
signal_gen(int gen, int sig)
{
	size_t	 i;

	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (slots[i].pid != 0 && (gen < 0 || slots[i].gen == gen))
			kill(slots[i].pid, sig);
}

/*
 * Supervises workers on fd until SIGTERM or SIGINT.  Takes ownership of c
 * (replaced on every successful reload).  Returns 0 after a clean stop.
 */
int
master_run(struct config *c, int fd)
{
	struct sigaction	 sa;
	struct config		*nc;
	struct plugins		 cur, next;
	sigset_t		 block, old;
	int			 gen = 1, fast = 0, i;
	time_t			 stop_at;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);

	if (plugins_load(c, &cur) == -1) {
		LOG_ERR("a plugin failed to load: not starting");
		config_free(c);
		return -1;
	}
	LOG_INFO("starting %d workers of %d threads", c->workers, c->threads);
	while (!got_term) {
		if (got_chld) {
			got_chld = 0;
			reap(gen, &fast);
		}
		if (got_hup) {
			got_hup = 0;
			LOG_INFO("reloading %s", c->path);
			if (reload(c, &nc, &next) == -1) {
				LOG_ERR("reload failed: the running workers "
				    "keep serving");
			} else {
				if ((nc->socket == NULL) != (c->socket == NULL) ||
				    (nc->socket != NULL &&
				    strcmp(nc->socket, c->socket) != 0))
					LOG_WARN("a changed socket needs a restart");
				gen++;
				for (i = 0; i < nc->workers; i++)
					spawn(nc, fd, &next, gen, free_slot());
				signal_gen(gen - 1, SIGTERM);
				/* The old workers run on their own copies. */
				plugins_free(&cur);
				cur = next;
				config_free(c);
				c = nc;
				fast = 0;
			}
		}
		for (i = count_gen(gen); i < c->workers && !got_term; i++) {
			if (fast >= 3) {
				LOG_ERR("workers die at start; retrying in 1 s");
				sigprocmask(SIG_SETMASK, &old, NULL);
				sleep(1);
				sigprocmask(SIG_BLOCK, &block, NULL);
				fast = 0;
			}
			spawn(c, fd, &cur, gen, free_slot());
		}
		if (!got_term && !got_chld && !got_hup)
			sigsuspend(&old);
	}
	LOG_INFO("stopping: waiting for requests in flight");
	signal_gen(-1, SIGTERM);
	stop_at = time(NULL) + MASTER_STOP_SECONDS;
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (;;) {
		struct timespec	 nap = { 0, 20 * 1000 * 1000 };
		pid_t		 pid = waitpid(-1, NULL, WNOHANG);
		size_t		 k;

		if (pid == -1 && errno == ECHILD)
			break;
		for (k = 0; pid > 0 && k < sizeof(slots) / sizeof(slots[0]); k++)
			if (slots[k].pid == pid)
				slots[k].pid = 0;
		if (pid > 0)
			continue;
		if (time(NULL) > stop_at) {
			LOG_WARN("workers still busy after %d s: killing them",
			    MASTER_STOP_SECONDS);
			signal_gen(-1, SIGKILL);
			stop_at = time(NULL) + MASTER_STOP_SECONDS;
		}
		nanosleep(&nap, NULL);
	}
	plugins_free(&cur);
	config_free(c);
	return 0;
}
