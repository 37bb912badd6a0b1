/*
 * host.c: the one way C enters lua/host.lua, the runtime every question
 * set and view runs on.  host_call calls host[fn] in the sandbox and
 * logs a Lua error once, with the plugin's file and line; a call that
 * carries a child's answers (HOST_PRIVATE) never logs the error's message,
 * which may quote them, only where it happened (unless the sandbox itself
 * stopped the call: its budget's and memory ceiling's messages quote
 * nothing).
 *
 * For a request it also keeps the tenant's Lua lock (host_enter,
 * host_leave: the state serves one thread at a time; the store has its
 * own lock, taken first when both are held) and hands the question set
 * the child's answers and context, read by the handler beforehand and
 * turned into a Lua table once per request.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "extern.h"

/* Pushes host[fn] (nil when the runtime has no such function). */
void
host_push(lua_State *L, const char *fn)
{
	lua_getfield(L, LUA_REGISTRYINDEX, "beratta.host");
	lua_getfield(L, -1, fn);
	lua_remove(L, -2);
}

/*
 * Calls the function below nargs arguments (pushed with host_push) in the
 * sandbox.  Returns 0 with nres results, or -1 with the stack as before
 * the function: err, when given, gets the message (the tools print it);
 * else the error is logged here, naming who (a tenant) and fn, and for
 * HOST_PRIVATE calls only the file and line.
 */
int
host_call(lua_State *L, const char *who, const char *fn, int nargs, int nres,
    int flags, char *err, size_t errlen)
{
	char		 msg[512];
	const char	*where;

	if (sandbox_call(L, nargs, nres, msg, sizeof(msg)) == 0)
		return 0;
	if (err != NULL) {
		snprintf(err, errlen, "%s", msg);
		return -1;
	}
	if ((flags & HOST_PRIVATE) && !sandbox_stopped(L)) {
		where = sandbox_where(L);
		LOG_ERR("%s: host.%s: a Lua error at %s (its message is not "
		    "logged: it may quote a child's answer; beratta plugin "
		    "check shows the set's problems)", who, fn,
		    *where != '\0' ? where : "an unknown place");
	} else
		LOG_ERR("%s: host.%s: %s", who, fn, msg);
	return -1;
}

/* Takes the tenant's Lua lock for the request (once); 0. */
int
host_enter(struct request *req)
{
	if (req->lua_held)
		return 0;
	pthread_mutex_lock(&req->tenant->lua_lock);
	req->lua_held = 1;
	return 0;
}

/* Lets go of what the request keeps in the tenant's Lua state, and of the
 * Lua lock. */
void
host_leave(struct request *req)
{
	if (!req->lua_held)
		return;
	if (req->answers_ref > 0)
		luaL_unref(req->tenant->L, LUA_REGISTRYINDEX, req->answers_ref);
	req->answers_ref = 0;
	req->lua_held = 0;
	pthread_mutex_unlock(&req->tenant->lua_lock);
}

/*
 * Pushes the child's current answers as { [question] = value }, made once
 * per request from what the handler read (session->answers); the views
 * and the set read the table and never change it.  -1 when the handler
 * read none.
 */
int
host_push_answers(struct request *req)
{
	lua_State	*L = req->tenant->L;
	struct session	*s = req->session;
	size_t		 i;

	if (req->answers_ref > 0) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, req->answers_ref);
		return 0;
	}
	if (s == NULL || !s->answers_read) {
		LOG_ERR("%s: the answers were not read before the call",
		    req->tenant->conf->name);
		return -1;
	}
	lua_createtable(L, 0, (int)s->nanswers);
	for (i = 0; i < s->nanswers; i++) {
		lua_pushstring(L, s->answers[i].value);
		lua_setfield(L, -2, s->answers[i].question);
	}
	lua_pushvalue(L, -1);
	req->answers_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

/* Pushes the child's context for the question set: { age = band,
 * locked = true, easy = true } as far as they hold. */
void
host_push_ctx(struct request *req, int easy)
{
	lua_State		*L = req->tenant->L;
	const struct session	*s = req->session;

	lua_createtable(L, 0, 3);
	if (s != NULL && s->age[0] != '\0') {
		lua_pushstring(L, s->age);
		lua_setfield(L, -2, "age");
	}
	if (s != NULL && s->locked) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "locked");
	}
	if (easy) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "easy");
	}
	/* A mapping round's answer also gives its bands (host.accept). */
	if (s != NULL && s->group > 0) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "mapping");
	}
}

/*
 * Calls host[fn](answers, ..., ctx) for the request's child: push adds
 * nargs more arguments after the answers.  Takes the Lua lock (kept until
 * host_leave).  Returns 0 with nres results on the stack, or -1 (logged,
 * without the error's message) with the stack as it was.
 */
int
host_child(struct request *req, const char *fn,
    void (*push)(lua_State *, void *), void *arg, int nargs, int nres)
{
	lua_State	*L = req->tenant->L;
	int		 top;

	host_enter(req);
	top = lua_gettop(L);
	host_push(L, fn);
	if (host_push_answers(req) == -1) {
		lua_settop(L, top);
		return -1;
	}
	if (push != NULL)
		push(L, arg);
	host_push_ctx(req, 0);
	return host_call(L, req->tenant->conf->name, fn, 2 + nargs, nres,
	    HOST_PRIVATE, NULL, 0);
}
