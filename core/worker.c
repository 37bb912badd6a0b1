/*
 * worker.c: one worker process: several threads sharing one epoll set of
 * the listening socket (non-blocking) and the connections nginx keeps
 * between requests (fastcgi_keep_conn).  A thread takes one event at a
 * time: a new connection, which it accepts and serves, or a kept
 * connection with its next request; libfcgi reads and writes the FastCGI
 * records, but this file accepts, so a thread never waits on one
 * connection while others have requests.  SIGTERM stops a worker once its
 * requests in flight are answered, those already queued on the socket
 * included; kept connections are closed after their next answer.  This
 * file turns FastCGI parameters and the body into a checked struct request
 * and writes the response; routing is in router.c.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <fcgiapp.h>

#include "extern.h"

#define WORKER_POLL_MS 200
#define WORKER_STOP_POLL_MS 20	/* while stopping: how often to look */
#define WORKER_DRAIN_MS 2000	/* at most, after SIGTERM, for kept connections */

const struct config	*worker_config;
static int		 worker_fd;	/* the listening socket */
static int		 worker_ep;	/* epoll: worker_fd and kept connections */
static int		 worker_tcp;	/* worker_fd is a TCP socket */
static atomic_int	 worker_stop;
static struct timespec	 worker_stop_t0;	/* set before worker_stop */
static atomic_int	 worker_listen_gone;	/* worker_fd out of the set */
static atomic_int	 worker_open;	/* connections open */
static atomic_int	 worker_busy;	/* requests being served */

static long
usec_since(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000000L +
	    (t1.tv_nsec - t0->tv_nsec) / 1000;
}

static const char *
param(FCGX_Request *fr, const char *name)
{
	return FCGX_GetParam(name, fr->envp);
}

/* Reads the urlencoded body; a status code on refusal, else 0. */
static int
worker_body(FCGX_Request *fr, struct request *req)
{
	const struct limits	*lim = &worker_config->limits;
	const char		*cl = param(fr, "CONTENT_LENGTH");
	char			*body, *end;
	unsigned long long	 n;
	int			 got;

	if (cl == NULL || *cl == '\0')
		n = 0;
	else {
		errno = 0;
		n = strtoull(cl, &end, 10);
		if (errno != 0 || *end != '\0' || *cl == '-' || *cl == '+')
			return 400;
	}
	if (n > lim->body_max)
		return 413;
	if (req->content_type == NULL || strncmp(req->content_type,
	    "application/x-www-form-urlencoded", 33) != 0)
		return n == 0 ? 0 : 400;
	if ((body = arena_alloc(req->arena, (size_t)n + 1)) == NULL)
		return 500;
	got = n > 0 ? FCGX_GetStr(body, (int)n, fr->in) : 0;
	if (got != (int)n)
		return 400;	/* the body was cut short */
	switch (request_parse_urlencoded(req->arena, body, (size_t)n, lim,
	    &req->form)) {
	case REQ_OK:
		return 0;
	case REQ_TOO_LARGE:
		return 413;
	case REQ_NOMEM:
		return 500;
	default:
		return 400;
	}
}

/* Fills req from the FastCGI parameters; a status code on refusal. */
static int
worker_request(FCGX_Request *fr, struct request *req)
{
	const struct limits	*lim = &worker_config->limits;
	const char		*qs, *v;
	char			*clean;
	size_t			 len;

	req->method = param(fr, "REQUEST_METHOD");
	v = param(fr, "DOCUMENT_URI");
	if (v == NULL)
		v = param(fr, "SCRIPT_NAME");
	if (req->method == NULL || v == NULL)
		return 400;
	if (text_clean(req->arena, v, strlen(v), 1024, 0, &clean, &len) != TEXT_OK)
		return 400;
	req->path = clean;
	v = param(fr, "HTTP_HOST");
	if (v != NULL && text_clean(req->arena, v, strlen(v), 255, 0, &clean,
	    &len) == TEXT_OK)
		req->host = clean;
	v = param(fr, "SERVER_PORT");
	if (v != NULL && strlen(v) <= 5 && strspn(v, "0123456789") == strlen(v))
		req->port = v;
	req->tenant_param = param(fr, "BERATTA_TENANT");
	req->content_type = param(fr, "CONTENT_TYPE");
	v = param(fr, "HTTPS");
	req->https = v != NULL && strcmp(v, "on") == 0;
	v = param(fr, "HTTP_ACCEPT_LANGUAGE");
	if (v != NULL && text_clean(req->arena, v, strlen(v), 512, 0, &clean,
	    &len) == TEXT_OK)
		req->accept_language = clean;
	v = param(fr, "HTTP_USER_AGENT");
	if (v != NULL && text_clean(req->arena, v, strlen(v), 512, 0, &clean,
	    &len) == TEXT_OK)
		req->agent = clean;
	if ((v = param(fr, "HTTP_COOKIE")) != NULL && strlen(v) > 16384)
		return 400;
	if (request_parse_cookies(req->arena, v, lim, &req->cookies) != REQ_OK)
		return 400;
	req->tenant = tenant_find(req->tenant_param, req->host);
	/* The staff pages keep their own language choice, apart from a
	 * child's on a shared computer. */
	req->lang = i18n_negotiate(request_cookie(req,
	    strncmp(req->path, "/staff/", 7) == 0 ? "staff_lang" : "lang"),
	    req->accept_language, req->tenant != NULL ?
	    req->tenant->conf->language : NULL);
	if (req->tenant == NULL)
		return 404;
	qs = param(fr, "QUERY_STRING");
	if (qs != NULL) {
		if (strlen(qs) > lim->body_max)
			return 413;
		switch (request_parse_urlencoded(req->arena, qs, strlen(qs),
		    lim, &req->query)) {
		case REQ_OK:
			break;
		case REQ_TOO_LARGE:
			return 413;
		case REQ_NOMEM:
			return 500;
		default:
			return 400;
		}
	}
	if (strcmp(req->method, "POST") == 0)
		return worker_body(fr, req);
	return 0;
}

static void
worker_handle(FCGX_Request *fr)
{
	struct request	 req;
	struct response	 resp;
	struct buf	 out = { NULL, 0, 0 };
	struct timespec	 t0;
	int		 status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&req, 0, sizeof(req));
	http_init(&resp);
	if ((req.arena = arena_new()) == NULL) {
		FCGX_PutS("Status: 500 Internal Server Error\r\n\r\n", fr->out);
		return;
	}
	if ((status = worker_request(fr, &req)) != 0) {
		if (req.method == NULL)
			req.method = "-";
		http_error(&req, &resp, status);
	} else
		router_dispatch(&req, &resp);
	if (http_serialize(&resp, req.https, &out) == 0)
		FCGX_PutStr(out.data, (int)out.len, fr->out);
	else
		FCGX_PutS("Status: 500 Internal Server Error\r\n\r\n", fr->out);
	log_request(req.method, req.path != NULL ? req.path :
	    param(fr, "DOCUMENT_URI"), resp.status, usec_since(&t0));
	buf_free(&out);
	http_free(&resp);
	arena_free(req.arena);
}

/*
 * Serves one request on connection fd, which has one waiting (or is at
 * its end): libfcgi reads it from the fd we hand it (an FCGX_Request whose
 * listen socket is -1 never accepts by itself), the request is handled,
 * and libfcgi finishes it.  A connection nginx asked to keep, while the
 * worker is not stopping, is armed again for its next request; any other
 * is closed by libfcgi.
 */
static void
worker_serve(FCGX_Request *fr, int fd, int fresh)
{
	struct epoll_event	 ev;
	int			 kept;

	fr->ipcFd = fd;
	fr->keepConnection = 1;	/* FCGX_Accept_r's first finish keeps fd */
	atomic_fetch_add(&worker_busy, 1);
	/* Fails when nginx closed the connection or sent no request. */
	if (FCGX_Accept_r(fr) >= 0) {
		worker_handle(fr);
		if (atomic_load(&worker_stop))
			fr->keepConnection = 0;	/* closed right after its answer */
		FCGX_Finish_r(fr);
	}
	/* libfcgi closed fd (and set ipcFd to -1) unless it is kept. */
	kept = fr->ipcFd >= 0;
	fr->ipcFd = -1;
	if (kept) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN | EPOLLONESHOT;
		ev.data.fd = fd;
		if (epoll_ctl(worker_ep, fresh ? EPOLL_CTL_ADD : EPOLL_CTL_MOD,
		    fd, &ev) == -1) {
			LOG_ERR("epoll_ctl: %s", strerror(errno));
			close(fd);
			kept = 0;
		}
	}
	if (!kept)
		atomic_fetch_sub(&worker_open, 1);
	atomic_fetch_sub(&worker_busy, 1);
}

/* Once stopping, the listening socket found empty leaves the set (once):
 * what nginx sends from now on goes to the next generation. */
static void
worker_listen_done(void)
{
	if (atomic_load(&worker_stop) && !atomic_exchange(&worker_listen_gone, 1))
		epoll_ctl(worker_ep, EPOLL_CTL_DEL, worker_fd, NULL);
}

/* Takes a new connection from the listening socket and serves its first
 * request. */
static void
worker_accept(FCGX_Request *fr)
{
	int	 fd, one = 1;

	if ((fd = accept4(worker_fd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
		    errno == ECONNABORTED) {
			worker_listen_done();
			return;
		}
		LOG_ERR("accept: %s", strerror(errno));
		if (errno == EMFILE || errno == ENFILE) {
			struct timespec nap = { 0, 10 * 1000 * 1000 };

			nanosleep(&nap, NULL);
		}
		return;
	}
	if (worker_tcp)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	atomic_fetch_add(&worker_open, 1);
	worker_serve(fr, fd, 1);
}

/*
 * A worker's thread.  The threads of a worker share one epoll set: the
 * listening socket, and every connection nginx keeps (fastcgi_keep_conn)
 * while it waits for its next request, each armed for one event, so one
 * thread at a time serves a connection and no thread is ever tied to one.
 * A kept connection saves nginx and the worker a connect, an accept and a
 * close per request.
 */
static void *
worker_thread(void *arg)
{
	FCGX_Request		 fr;
	struct epoll_event	 ev;
	int			 n, timeout;

	(void)arg;
	if (FCGX_InitRequest(&fr, -1, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		LOG_ERR("FCGX_InitRequest failed");
		return NULL;
	}
	for (;;) {
		/*
		 * Once stopping, the worker takes what is already queued on
		 * the listening socket, answers what comes on its connections
		 * (closing each after its answer), and leaves when none is
		 * open or WORKER_DRAIN_MS have passed, with nothing in flight.
		 */
		timeout = WORKER_POLL_MS;
		if (atomic_load(&worker_stop)) {
			if (atomic_load(&worker_busy) == 0 &&
			    atomic_load(&worker_listen_gone) &&
			    (atomic_load(&worker_open) == 0 ||
			    usec_since(&worker_stop_t0) > WORKER_DRAIN_MS * 1000L))
				break;
			timeout = WORKER_STOP_POLL_MS;
		}
		n = epoll_wait(worker_ep, &ev, 1, timeout);
		if (n == -1 && errno != EINTR) {
			LOG_ERR("epoll_wait: %s", strerror(errno));
			break;
		}
		if (n <= 0) {
			if (n == 0)
				worker_listen_done();
			continue;
		}
		if (ev.data.fd == worker_fd)
			worker_accept(&fr);
		else
			worker_serve(&fr, ev.data.fd, 0);
	}
	FCGX_Free(&fr, 1);
	return NULL;
}

/*
 * Runs a worker on the inherited listening socket, with the tenants' Lua
 * states the master loaded, until SIGTERM; then lets every thread finish
 * its request and returns 0.
 */
int
worker_run(const struct config *c, int fd, struct lua_State **states,
    char (*versions)[65])
{
	pthread_t	*th;
	sigset_t	 set;
	int		 i, sig, n = c->threads;
	struct epoll_event	 ev;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);

	worker_config = c;
	worker_fd = fd;
	log_init("berattad-worker");
	if (getsockname(fd, (struct sockaddr *)&ss, &sslen) == 0)
		worker_tcp = ss.ss_family == AF_INET || ss.ss_family == AF_INET6;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = fd;
	if ((worker_ep = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    epoll_ctl(worker_ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
		LOG_ERR("epoll: %s", strerror(errno));
		return -1;
	}
	secret_init(c->hash_concurrency);
	if (account_init() == -1)
		return -1;
	if (tenant_init(c, states, versions) == -1 || FCGX_Init() != 0) {
		LOG_ERR("cannot initialise the worker");
		return -1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if ((th = calloc((size_t)n, sizeof(*th))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, worker_thread, NULL) != 0) {
			LOG_ERR("pthread_create failed");
			n = i;
			atomic_store(&worker_stop, 1);
			break;
		}
	sigdelset(&set, SIGPIPE);
	while (!atomic_load(&worker_stop)) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGTERM || sig == SIGINT) {
			clock_gettime(CLOCK_MONOTONIC, &worker_stop_t0);
			atomic_store(&worker_stop, 1);
		}
	}
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	free(th);
	tenant_shutdown();
	return 0;
}
