/*
 * view.c: hands a page to the Lua views.  The core builds the page's data
 * table (language, direction, the UI strings, the language menu, and what
 * the handler adds through its fill callback), calls host.page(page, data)
 * (or host.cached(state, data), for the next page as the last answer left
 * it) in the tenant's sandbox, and writes out the page it returns.  The
 * views escape everything unless visibly marked raw.  A view never reads
 * the store: the store lock is let go before it runs (what the page shows
 * was read by the handler), and the tenant's Lua lock is taken.  The views hand back the page as the pieces between its
 * CSRF tokens and the token; this file joins them into the response, so a
 * page the views had cached makes no garbage in the tenant's state.
 */
#include "config.h"

#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "extern.h"

void
view_push_kv(lua_State *L, const char *k, const char *v)
{
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

/* Writes the page the views returned as its pieces (at -2) and its CSRF
 * token (at -1) into resp->body.  -1 if they are not that. */
static int
view_write(struct request *req, struct response *resp)
{
	lua_State	*L = req->tenant->L;
	const char	*s, *tok;
	size_t		 len, toklen;
	lua_Integer	 i, n;

	buf_free(&resp->body);
	if (!lua_istable(L, -2) || (tok = lua_tolstring(L, -1, &toklen)) ==
	    NULL || (n = (lua_Integer)lua_rawlen(L, -2)) < 1)
		return -1;
	for (i = 1; i <= n; i++) {
		if (lua_rawgeti(L, -2, i) != LUA_TSTRING)
			return -1;
		s = lua_tolstring(L, -1, &len);
		if ((i > 1 && buf_append(&resp->body, tok, toklen) == -1) ||
		    buf_append(&resp->body, s, len) == -1)
			return -1;
		lua_pop(L, 1);
	}
	return 0;
}

/*
 * Calls host[fn](first, data): data is the table every page gets
 * (language, direction, path, tenant, idle time, the UI strings, the
 * language menu) and what fill adds.  Returns 1 with the page in
 * resp->body; 0 when the views returned nothing and may (cached pages);
 * else -1 with resp a 500.
 */
static int
view_call(struct request *req, struct response *resp, const char *fn,
    const char *first, int may_miss, int (*fill)(lua_State *, void *),
    void *arg)
{
	lua_State	*L = req->tenant->L;
	int		 top, rc = 1;

	/* Out of the store lock; the Lua lock (kept if the handler has it). */
	if (req->tenant_held) {
		req->tenant_held = 0;
		pthread_mutex_unlock(&req->tenant->lock);
	}
	host_enter(req);
	top = lua_gettop(L);
	host_push(L, fn);
	lua_pushstring(L, first);
	lua_createtable(L, 0, 16);
	view_push_kv(L, "lang", req->lang);
	view_push_kv(L, "dir", i18n_is_rtl(req->lang) ? "rtl" : "ltr");
	if (*i18n_digits(req->lang) != '\0')
		view_push_kv(L, "digits", i18n_digits(req->lang));
	view_push_kv(L, "path", req->path);
	view_push_kv(L, "tenant", req->tenant->conf->name);
	lua_pushinteger(L, req->tenant->conf->session_idle);
	lua_setfield(L, -2, "idle");
	i18n_push_strings(L, req->lang);
	lua_setfield(L, -2, "t");
	i18n_push_langs(L);
	lua_setfield(L, -2, "langs");
	form_push_limits(L);
	lua_setfield(L, -2, "limits");
	if (fill != NULL && fill(L, arg) == -1) {
		lua_settop(L, top);
		http_error(req, resp, 500);
		return -1;
	}
	if (host_call(L, req->tenant->conf->name, fn, 2, 2, HOST_PRIVATE,
	    NULL, 0) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	if (may_miss && lua_isnil(L, -2))
		rc = 0;
	else if (view_write(req, resp) == -1) {
		LOG_ERR("tenant %s: %s %s: the view returned no page",
		    req->tenant->conf->name, fn, may_miss ? "" : first);
		buf_free(&resp->body);
		lua_settop(L, top);
		http_error(req, resp, 500);
		return -1;
	}
	lua_settop(L, top);
	return rc;
}

/* Renders page into resp->body; on failure turns resp into a 500. */
int
view_render(struct request *req, struct response *resp, const char *page,
    int (*fill)(lua_State *, void *), void *arg)
{
	return view_call(req, resp, "page", page, 0, fill, arg) == 1 ? 0 : -1;
}

/*
 * The question page of a state host.accept gave ("": the set's first
 * page), if the views have it cached: 1 with it in resp->body, 0 when they
 * have not (the caller renders it from the answers), -1 on error (resp is
 * then a 500).  The state is not logged: it holds the child's progress.
 */
int
view_cached(struct request *req, struct response *resp, const char *state,
    int (*fill)(lua_State *, void *), void *arg)
{
	return view_call(req, resp, "cached", state, 1, fill, arg);
}
