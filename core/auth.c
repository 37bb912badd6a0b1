/*
 * auth.c: authorisation, in one function.  Every route names the access it
 * needs in the route table (router.c); auth_allow decides from the
 * request's session (session.c), and anything it does not know is refused.
 * Which data a request may touch then follows from that identity in the
 * handlers' queries (a child reads only its own response).
 */
#include "config.h"

#include "extern.h"

/* 1 if the request may use a route that needs access, else 0. */
int
auth_allow(struct request *req, enum access need)
{
	const struct session	*s;

	switch (need) {
	case ACCESS_PUBLIC:
		return 1;
	case ACCESS_CHILD:
		return (s = session_find(req)) != NULL &&
		    s->kind == SESSION_CHILD;
	}
	return 0;
}
