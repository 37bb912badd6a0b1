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

	/* The staff pages (staff.c); tests/http/access.test.mjs holds a row
	 * of the access matrix for each. */
	{ "GET", "/staff", FAMILY_STAFF, ACCESS_PUBLIC, &form_none, 0,
	  staff_slash },
	{ "GET", "/staff/", FAMILY_STAFF, ACCESS_PUBLIC, &form_none, 1,
	  staff_home },
	{ "POST", "/staff/login", FAMILY_STAFF, ACCESS_PUBLIC,
	  &form_staff_login, 1, staff_login },
	{ "GET", "/staff/factor", FAMILY_STAFF, ACCESS_STAFF_FACTOR, &form_none,
	  1, staff_factor_page },
	{ "POST", "/staff/factor", FAMILY_STAFF, ACCESS_STAFF_FACTOR,
	  &form_staff_code, 1, staff_factor },
	{ "GET", "/staff/activate", FAMILY_STAFF, ACCESS_PUBLIC,
	  &form_staff_activate_page, 1, staff_activate_page },
	{ "POST", "/staff/activate", FAMILY_STAFF, ACCESS_PUBLIC,
	  &form_staff_activate, 1, staff_activate },
	{ "GET", "/staff/enrol", FAMILY_STAFF, ACCESS_STAFF_ENROL, &form_none, 1,
	  staff_enrol_page },
	{ "POST", "/staff/enrol", FAMILY_STAFF, ACCESS_STAFF_ENROL,
	  &form_staff_code, 1, staff_enrol },
	{ "GET", "/staff/recovery", FAMILY_STAFF, ACCESS_STAFF, &form_none, 1,
	  staff_recovery_page },
	{ "POST", "/staff/recovery/new", FAMILY_STAFF, ACCESS_STAFF,
	  &form_staff_post, 1, staff_recovery_renew },
	{ "POST", "/staff/logout", FAMILY_STAFF, ACCESS_PUBLIC, &form_logout, 1,
	  staff_logout },
	{ "POST", "/staff/language", FAMILY_STAFF, ACCESS_PUBLIC,
	  &form_staff_language, 1, staff_language },
	{ "GET", "/staff/sessions", FAMILY_STAFF, ACCESS_STAFF, &form_none, 1,
	  staff_sessions_page },
	{ "POST", "/staff/sessions/end-all", FAMILY_STAFF, ACCESS_STAFF,
	  &form_staff_post, 1, staff_end_all },
	{ "POST", "/staff/invite", FAMILY_STAFF, ACCESS_PROFESSIONAL,
	  &form_staff_invite, 1, staff_invite },
	{ "GET", "/staff/child", FAMILY_STAFF, ACCESS_PROFESSIONAL,
	  &form_staff_child, 1, staff_child },
	{ "POST", "/staff/child/unlock", FAMILY_STAFF, ACCESS_PROFESSIONAL,
	  &form_staff_id, 1, staff_child_action },
	{ "POST", "/staff/child/lock", FAMILY_STAFF, ACCESS_PROFESSIONAL,
	  &form_staff_id, 1, staff_child_action },
	{ "POST", "/staff/child/reopen", FAMILY_STAFF, ACCESS_PROFESSIONAL,
	  &form_staff_id, 1, staff_child_action },
	{ "POST", "/staff/child/renew", FAMILY_STAFF, ACCESS_PROFESSIONAL,
	  &form_staff_id, 1, staff_child_renew },
	{ "POST", "/staff/child/round", FAMILY_STAFF, ACCESS_PROFESSIONAL,
	  &form_staff_id, 1, staff_child_round },
	{ "GET", "/staff/compare", FAMILY_STAFF, ACCESS_PROFESSIONAL,
	  &form_staff_compare, 1, staff_compare },
	{ "POST", "/staff/alert", FAMILY_STAFF, ACCESS_PROFESSIONAL,
	  &form_staff_alert, 1, staff_alert },
	{ "GET", "/staff/slips", FAMILY_STAFF, ACCESS_MAPPER, &form_none,
	  1, staff_slips },
	{ "GET", "/staff/mapping", FAMILY_STAFF, ACCESS_MAPPER, &form_none, 1,
	  staff_mapping },
	{ "POST", "/staff/mapping", FAMILY_STAFF, ACCESS_MAPPER,
	  &form_staff_mapping, 1, staff_mapping_add },
	{ "POST", "/staff/mapping/slips", FAMILY_STAFF, ACCESS_MAPPER,
	  &form_staff_mapping_slips, 1, staff_mapping_slips },
	{ "POST", "/staff/mapping/close", FAMILY_STAFF, ACCESS_MAPPER,
	  &form_staff_id, 1, staff_mapping_close },
	{ "GET", "/staff/mapping/report", FAMILY_STAFF, ACCESS_MAPPER,
	  &form_staff_report, 1, staff_report },
	{ "GET", "/staff/mapping/report.csv", FAMILY_STAFF, ACCESS_MAPPER,
	  &form_staff_report, 1, staff_report },
	{ "GET", "/staff/mapping/compare", FAMILY_STAFF, ACCESS_MAPPER,
	  &form_staff_report_compare, 1, staff_report_compare },
	{ "GET", "/staff/mapping/compare.csv", FAMILY_STAFF, ACCESS_MAPPER,
	  &form_staff_report_compare, 1, staff_report_compare },
	{ "GET", "/staff/units", FAMILY_STAFF, ACCESS_ADMIN, &form_none, 1,
	  staff_units },
	{ "POST", "/staff/units", FAMILY_STAFF, ACCESS_ADMIN, &form_staff_unit,
	  1, staff_unit_add },
	{ "GET", "/staff/people", FAMILY_STAFF, ACCESS_ADMIN, &form_none, 1,
	  staff_people },
	{ "POST", "/staff/people", FAMILY_STAFF, ACCESS_ADMIN,
	  &form_staff_person, 1, staff_person_add },
	{ "POST", "/staff/people/reset", FAMILY_STAFF, ACCESS_ADMIN,
	  &form_staff_id, 1, staff_person_action },
	{ "POST", "/staff/people/disable", FAMILY_STAFF, ACCESS_ADMIN,
	  &form_staff_id, 1, staff_person_action },
	{ "POST", "/staff/people/roles", FAMILY_STAFF, ACCESS_ADMIN,
	  &form_staff_roles, 1, staff_person_roles },
	{ "GET", "/staff/audit", FAMILY_STAFF, ACCESS_ADMIN, &form_staff_audit,
	  1, staff_audit },
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
	if (!auth_allow(req, r->access, AUTH_ROUTE)) {
		/* Without a (live) session: back to the family's start, where
		 * a login opens a new one; logged in without the right: 403. */
		if (r->family == FAMILY_STAFF && session_find(req) != NULL &&
		    session_find(req)->stage == STAGE_IN)
			http_error(req, resp, 403);
		else {
			http_redirect(resp, r->family == FAMILY_STAFF ?
			    "/staff/" : "/");
			rc = 0;
		}
	} else if (!valid_csrf(req, r->form->csrf))
		http_error(req, resp, 403);
	else
		rc = r->handler(req, resp);
	tenant_leave(req);
	if (strcmp(req->method, "HEAD") == 0)
		buf_free(&resp->body);
	return rc;
}
