/*
 * auth.c: authorisation, in one function.  auth_allow decides over who
 * (the request's session: a child, or a member of staff with a stage, a
 * role and units), the action (the access a route or a handler needs) and
 * the object (the unit a child, an invitation or a new invitation belongs
 * to).  Deny by default: anything it does not know is refused.
 *
 * The router asks it for every route with AUTH_ROUTE (no object yet: "may
 * this person use this route at all?"); a handler asks it again with the
 * object's unit before it reads or changes a child, an invitation or a
 * unit's children, and does nothing when refused.  Nothing else decides
 * access.  Staff of one tenant never reach another's objects: a session
 * lives in its tenant's own database, under a token hashed with the
 * tenant's name.  An administrator manages units and staff but reads no
 * child unless also a professional of the child's unit.  Share grants
 * (a child's story shared with another unit, with consent) come next.
 */
#include "config.h"

#include "extern.h"

/* 1 if the staff session s is a professional of unit. */
static int
member_of(const struct session *s, int64_t unit)
{
	size_t	 i;

	for (i = 0; i < s->nunits; i++)
		if (s->units[i] == unit)
			return 1;
	return 0;
}

/*
 * 1 if the request may do what need names to an object of unit (AUTH_ROUTE
 * when the route is asked about before there is an object; 0 for an object
 * in no unit, which no member of staff may touch), else 0.
 */
int
auth_allow(struct request *req, enum access need, int64_t unit)
{
	const struct session	*s;

	if (need == ACCESS_PUBLIC)
		return 1;
	if ((s = session_find(req)) == NULL)
		return 0;
	if (need == ACCESS_CHILD)
		return s->kind == SESSION_CHILD;
	if (s->kind != SESSION_STAFF || s->staff <= 0)
		return 0;
	switch (need) {
	case ACCESS_STAFF_ENROL:
		return s->stage == STAGE_ENROL;
	case ACCESS_STAFF_FACTOR:
		return s->stage == STAGE_FACTOR;
	case ACCESS_STAFF:
		return s->stage == STAGE_IN;
	case ACCESS_PROFESSIONAL:
		if (s->stage != STAGE_IN)
			return 0;
		if (unit == AUTH_ROUTE)
			return s->nunits > 0;
		return unit > 0 && member_of(s, unit);
	case ACCESS_MAPPER:
		if (s->stage != STAGE_IN)
			return 0;
		if (unit == AUTH_ROUTE)
			return s->admin || s->nunits > 0;
		return unit > 0 && (s->admin || member_of(s, unit));
	case ACCESS_ADMIN:
		return s->stage == STAGE_IN && s->admin;
	default:
		return 0;
	}
}
