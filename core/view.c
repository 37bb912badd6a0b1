/*
 * view.c: hands a page to the Lua views.  The core builds the page's data
 * table (language, direction, the UI strings, the language menu, and what
 * the handler adds through its fill callback), calls host.render(page,
 * data) in the tenant's sandbox, and takes the HTML it returns.  The views
 * escape everything unless visibly marked raw.  The caller holds the
 * tenant's lock.  The views hand back the page as the pieces between its
 * CSRF tokens and the token; this file joins them into the response, so a
 * page the views had cached makes no garbage in the tenant's state.
 */
#include "config.h"

#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "beratta.h"

void
view_push_kv(lua_State *L, const char *k, const char *v)
{
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

/* Renders page into resp->body; on failure turns resp into a 500. */
int
view_render(struct request *req, struct response *resp, const char *page,
    int (*fill)(lua_State *, void *), void *arg)
{
	lua_State	*L = req->tenant->L;
	const char	*s, *tok;
	size_t		 len, toklen;
	lua_Integer	 i, n;
	char		 err[512];
	int		 top = lua_gettop(L);

	lua_getfield(L, LUA_REGISTRYINDEX, "beratta.host");
	lua_getfield(L, -1, "page");
	lua_remove(L, -2);
	lua_pushstring(L, page);
	lua_createtable(L, 0, 16);
	view_push_kv(L, "lang", req->lang);
	view_push_kv(L, "dir", i18n_is_rtl(req->lang) ? "rtl" : "ltr");
	view_push_kv(L, "path", req->path);
	view_push_kv(L, "tenant", req->tenant->conf->name);
	lua_pushinteger(L, req->tenant->conf->session_idle);
	lua_setfield(L, -2, "idle");
	i18n_push_strings(L, req->lang);
	lua_setfield(L, -2, "t");
	i18n_push_langs(L);
	lua_setfield(L, -2, "langs");
	if (fill != NULL && fill(L, arg) == -1) {
		lua_settop(L, top);
		http_error(req, resp, 500);
		return -1;
	}
	if (sandbox_call(L, 2, 2, err, sizeof(err)) == -1) {
		LOG_ERR("tenant %s: page %s: %s", req->tenant->conf->name, page,
		    err);
		http_error(req, resp, 500);
		return -1;
	}
	buf_free(&resp->body);
	if (!lua_istable(L, -2) || (tok = lua_tolstring(L, -1, &toklen)) ==
	    NULL || (n = (lua_Integer)lua_rawlen(L, -2)) < 1)
		goto bad;
	for (i = 1; i <= n; i++) {
		if (lua_rawgeti(L, -2, i) != LUA_TSTRING)
			goto bad;
		s = lua_tolstring(L, -1, &len);
		if ((i > 1 && buf_append(&resp->body, tok, toklen) == -1) ||
		    buf_append(&resp->body, s, len) == -1) {
			lua_settop(L, top);
			http_error(req, resp, 500);
			return -1;
		}
		lua_pop(L, 1);
	}
	lua_settop(L, top);
	return 0;
bad:
	LOG_ERR("tenant %s: page %s: the view returned no page",
	    req->tenant->conf->name, page);
	lua_settop(L, top);
	http_error(req, resp, 500);
	return -1;
}
