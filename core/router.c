/*
 * router.c: the route table.  A path that is not in the table is 404; a
 * path in it with another method is 405; each route names the access it
 * needs, which auth_allow grants or refuses before the handler runs.  The router holds the tenant's
 * lock around the handler, so a handler may use the tenant's store and Lua
 * state freely.
 */
#include "config.h"

#include <string.h>

#include "extern.h"

static const struct route {
	const char	*method;
	const char	*path;
	enum access	 access;
	int		(*handler)(struct request *, struct response *);
} routes[] = {
	{ "GET", "/", ACCESS_PUBLIC, child_start },
	{ "POST", "/login", ACCESS_PUBLIC, child_login },
	{ "GET", "/secret", ACCESS_PUBLIC, child_secret_page },
	{ "POST", "/secret", ACCESS_PUBLIC, child_secret },
	{ "GET", "/q", ACCESS_CHILD, child_question },
	{ "POST", "/answer", ACCESS_CHILD, child_answer },
	{ "GET", "/thanks", ACCESS_CHILD, child_thanks },
	{ "GET", "/care", ACCESS_CHILD, child_care },
	{ "GET", "/overview", ACCESS_CHILD, child_overview },
	{ "GET", "/alive", ACCESS_CHILD, child_alive },
	{ "GET", "/help", ACCESS_PUBLIC, child_help },
	{ "GET", "/leave", ACCESS_PUBLIC, child_leave },
	{ "POST", "/logout", ACCESS_PUBLIC, child_logout },
	{ "POST", "/language", ACCESS_PUBLIC, child_language },
};

int
router_dispatch(struct request *req, struct response *resp)
{
	const struct route	*r = NULL;
	size_t			 i;
	int			 path_known = 0, rc;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].path, req->path) != 0)
			continue;
		path_known = 1;
		if (strcmp(routes[i].method, req->method) == 0 ||
		    (strcmp(routes[i].method, "GET") == 0 &&
		    strcmp(req->method, "HEAD") == 0)) {
			r = &routes[i];
			break;
		}
	}
	if (r == NULL) {
		http_error(req, resp, path_known ? 405 : 404);
		return -1;
	}
	if (tenant_acquire(req->tenant) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	req->tenant_held = 1;
	if (!auth_allow(req, r->access)) {
		/* A child without a (live) session: back to the start, where
		 * the code and secret open a new one. */
		http_redirect(resp, "/");
		tenant_release(req->tenant);
		return 0;
	}
	rc = r->handler(req, resp);
	/* A handler may have let the lock go for slow work (argon2id). */
	if (req->tenant_held) {
		child_release(req);
		tenant_release(req->tenant);
	}
	if (strcmp(req->method, "HEAD") == 0)
		buf_free(&resp->body);
	return rc;
}
