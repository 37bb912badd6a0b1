/*
 * staff_int.h: what the staff family's handlers share (staff.c: logging
 * in, one's account, administration; staff_child.c: the children of
 * one's units, their rounds, summaries and alerts).  Not for other files.
 */
#ifndef STAFF_INT_H
#define STAFF_INT_H

#include <lua.h>

#define SEC		((int64_t)1000000)

static inline void
push_bool(lua_State *L, const char *k, int v)
{
	lua_pushboolean(L, v);
	lua_setfield(L, -2, k);
}

static inline void
push_int(lua_State *L, const char *k, int64_t v)
{
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, -2, k);
}

void		 staff_push_time(lua_State *, const char *k, int64_t us);
int		 staff_page(struct request *, struct response *, int status,
		    const char *page, const char *error,
		    int (*fill)(lua_State *, void *), void *arg);
int		 staff_fail(struct request *, struct response *, int status);
int		 staff_once_set(struct request *, struct response *,
		    const char *kind, const char *text);
char		*staff_once_take(struct request *, struct response *,
		    const char *kind);
void		 staff_audit_of(struct request *, const char *action,
		    struct audit_entry *);
int		 staff_audit_add(struct request *, struct audit_entry *);
const char	*staff_base_url(struct request *);
const char	*staff_state_name(enum invite_state);
const char	*staff_unit_name(const struct unit_row *, size_t,
		    int64_t id);
int		 staff_start(struct request *, struct response *);
int		 staff_slips_keep(struct request *, struct response *,
		    const char *text);
int		 staff_slip_put(struct buf *, const char *code,
		    const char *label, const char *lang);

#endif
