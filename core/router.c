/*
 * router.c: the route table.  A path that is not in the table is 404; a
 * path in it with another method is 405.  Each route names its family
 * (child, staff, report: each with its handlers, forms and views), the
 * access it needs, its form (the fields it takes and its CSRF check) and
 * whether it needs the tenant's store lock.  Before the handler runs, the
 * router checks the fields (form_check: a bad one is the clear error page,
 * and nothing is stored), takes the lock, asks auth_allow, and checks
 * CSRF.  The views render outside the store lock (view.c); whatever the
 * handler still holds is let go here.
 */
#include "config.h"

#include <string.h>

#include "extern.h"

static const struct route routes[] = {
	{ "GET", "/", FAMILY_CHILD, ACCESS_PUBLIC, &form_none, 1,
	  child_start },
	{ "POST", "/login", FAMILY_CHILD, ACCESS_PUBLIC, &form_login, 1,
	  child_login },
	{ "GET", "/secret", FAMILY_CHILD, ACCESS_PUBLIC, &form_none, 1,
	  child_secret_page },
	{ "POST", "/secret", FAMILY_CHILD, ACCESS_PUBLIC, &form_secret, 1,
	  child_secret },
	{ "GET", "/q", FAMILY_CHILD, ACCESS_CHILD, &form_question, 1,
	  child_question },
	{ "POST", "/answer", FAMILY_CHILD, ACCESS_CHILD, &form_answer, 1,
	  child_answer },
	{ "GET", "/thanks", FAMILY_CHILD, ACCESS_CHILD, &form_none, 1,
	  child_thanks },
	{ "GET", "/care", FAMILY_CHILD, ACCESS_CHILD, &form_none, 1,
	  child_care },
	{ "GET", "/overview", FAMILY_CHILD, ACCESS_CHILD, &form_none, 1,
	  child_overview },
	{ "GET", "/alive", FAMILY_CHILD, ACCESS_CHILD, &form_none, 1,
	  child_alive },
	{ "GET", "/help", FAMILY_CHILD, ACCESS_PUBLIC, &form_none, 1,
	  child_help },
	{ "GET", "/leave", FAMILY_CHILD, ACCESS_PUBLIC, &form_none, 1,
	  child_leave },
	{ "POST", "/logout", FAMILY_CHILD, ACCESS_PUBLIC, &form_logout, 1,
	  child_logout },
	{ "POST", "/language", FAMILY_CHILD, ACCESS_PUBLIC, &form_language, 1,
	  child_language },
};

/* The route of the request's method and path; NULL with *status 404 or
 * 405 when there is none. */
static const struct route *
router_find(const struct request *req, int *status)
{
	size_t	 i;

	*status = 404;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].path, req->path) != 0)
			continue;
		*status = 405;
		if (strcmp(routes[i].method, req->method) == 0 ||
		    (strcmp(routes[i].method, "GET") == 0 &&
		    strcmp(req->method, "HEAD") == 0))
			return &routes[i];
	}
	return NULL;
}

int
router_dispatch(struct request *req, struct response *resp)
{
	const struct route	*r;
	int			 status, rc = -1;

	if ((r = router_find(req, &status)) == NULL) {
		http_error(req, resp, status);
		return -1;
	}
	req->route = r;
	if ((status = form_check(req, r->form)) != 0) {
		http_error(req, resp, status);
		return -1;
	}
	if (r->lock && tenant_enter(req) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	if (!auth_allow(req, r->access)) {
		/* Without a (live) session: back to the start, where the code
		 * and secret open a new one. */
		http_redirect(resp, "/");
		rc = 0;
	} else if (!valid_csrf(req, r->form->csrf))
		http_error(req, resp, 403);
	else
		rc = r->handler(req, resp);
	tenant_leave(req);
	if (strcmp(req->method, "HEAD") == 0)
		buf_free(&resp->body);
	return rc;
}
