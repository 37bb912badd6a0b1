/*
 * worker.c: one worker process: several threads, each with its own
 * FCGX_Request, taking connections from the shared listening socket.  The
 * socket is non-blocking and one thread of the process at a time polls it
 * with a short timeout (the others wait their turn on a mutex), so a
 * connection wakes one thread, a thread never sleeps in accept() when
 * another process took the connection, and
 * SIGTERM stops a worker once its requests in flight are answered, those
 * already queued on the socket included.  This
 * file turns FastCGI parameters and the body into a checked struct request
 * and writes the response; routing is in router.c.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "beratta.h"

#define WORKER_POLL_MS 200
#define WORKER_DRAIN_MS 2000	/* at most, taking queued requests at SIGTERM */

const struct config	*worker_config;
static int		 worker_fd;
static atomic_int	 worker_stop;
static pthread_mutex_t	 worker_accept = PTHREAD_MUTEX_INITIALIZER;

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
	req->tenant_param = param(fr, "BERATTA_TENANT");
	req->content_type = param(fr, "CONTENT_TYPE");
	v = param(fr, "HTTPS");
	req->https = v != NULL && strcmp(v, "on") == 0;
	v = param(fr, "HTTP_ACCEPT_LANGUAGE");
	if (v != NULL && text_clean(req->arena, v, strlen(v), 512, 0, &clean,
	    &len) == TEXT_OK)
		req->accept_language = clean;
	if ((v = param(fr, "HTTP_COOKIE")) != NULL && strlen(v) > 16384)
		return 400;
	if (request_parse_cookies(req->arena, v, lim, &req->cookies) != REQ_OK)
		return 400;
	req->tenant = tenant_find(req->tenant_param, req->host);
	req->lang = i18n_negotiate(request_cookie(req, "lang"),
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

static void *
worker_thread(void *arg)
{
	FCGX_Request	 fr;
	struct pollfd	 pfd;
	struct timespec	 t0;
	int		 rc, stopping = 0, got;

	(void)arg;
	sandbox_alarm_allow(0);
	if (FCGX_InitRequest(&fr, worker_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		LOG_ERR("FCGX_InitRequest failed");
		return NULL;
	}
	for (;;) {
		/*
		 * One thread of the process waits for a connection at a time
		 * (the others wait on the mutex, asleep): a new connection
		 * wakes one thread here, not all of them.
		 */
		pthread_mutex_lock(&worker_accept);
		got = 0;
		for (;;) {
			/*
			 * Once stopping, a request already queued on the socket
			 * is in flight (nginx sent it): take those until none is
			 * left, for at most WORKER_DRAIN_MS, then leave.
			 */
			if (!stopping && atomic_load(&worker_stop)) {
				stopping = 1;
				clock_gettime(CLOCK_MONOTONIC, &t0);
			}
			if (stopping && usec_since(&t0) > WORKER_DRAIN_MS * 1000L)
				break;
			pfd.fd = worker_fd;
			pfd.events = POLLIN;
			pfd.revents = 0;
			if ((rc = poll(&pfd, 1, stopping ? 0 : WORKER_POLL_MS)) <= 0) {
				if (rc == -1 && errno != EINTR)
					LOG_ERR("poll: %s", strerror(errno));
				if (stopping)
					break;
				continue;
			}
			/* Another process may have taken it (EAGAIN). */
			if (FCGX_Accept_r(&fr) >= 0) {
				got = 1;
				break;
			}
		}
		pthread_mutex_unlock(&worker_accept);
		if (!got)
			break;
		/* The budget's alarm only while the request is handled, never
		 * in libfcgi's accept or close (sandbox_alarm_allow). */
		sandbox_alarm_allow(1);
		worker_handle(&fr);
		sandbox_alarm_allow(0);
		FCGX_Finish_r(&fr);
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

	worker_config = c;
	worker_fd = fd;
	log_init("berattad-worker");
	secret_init(c->hash_concurrency);
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
		if (sig == SIGTERM || sig == SIGINT)
			atomic_store(&worker_stop, 1);
	}
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	free(th);
	tenant_shutdown();
	return 0;
}
