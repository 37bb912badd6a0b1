/*
 * router.c: the route table.  A path that is not in the table is 404; a
 * path in it with another method is 405.  The router holds the tenant's
 * lock around the handler, so a handler may use the tenant's store and Lua
 * state freely.
 */
#include "config.h"

#include <string.h>

#include "beratta.h"

static const struct route {
	const char	*method;
	const char	*path;
	int		(*handler)(struct request *, struct response *);
} routes[] = {
	{ "GET", "/", child_start },
	{ "POST", "/login", child_login },
	{ "GET", "/secret", child_secret_page },
	{ "POST", "/secret", child_secret },
	{ "GET", "/q", child_question },
	{ "POST", "/answer", child_answer },
	{ "GET", "/thanks", child_thanks },
	{ "GET", "/care", child_care },
	{ "GET", "/overview", child_overview },
	{ "GET", "/help", child_help },
	{ "GET", "/leave", child_leave },
	{ "POST", "/logout", child_logout },
	{ "POST", "/language", child_language },
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
	rc = r->handler(req, resp);
	/* A handler may have let the lock go for slow work (argon2id). */
	if (req->tenant_held)
		tenant_release(req->tenant);
	if (strcmp(req->method, "HEAD") == 0)
		buf_free(&resp->body);
	return rc;
}
