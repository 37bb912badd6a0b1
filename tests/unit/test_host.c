/*
 * test_host.c: the one C entry into lua/host.lua (core/host.c): a Lua
 * error in a call that carries a child's answers is logged once, with the
 * plugin's file and line and never with its message (which may quote the
 * answers); a tool's call hands the message back instead; a call whose
 * answers cannot be pushed leaves the Lua stack as it was.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lua.h>

#include "extern.h"
#include "tap.h"

#define WORDS	"MY-SECRET-WORDS-42"

static struct config		 conf;
static char			 lua_dir[4096], plugin_dir[4096];

/* Runs fn with stderr sent to a file; returns what it wrote (static). */
static const char *
captured(void (*fn)(void *), void *arg)
{
	static char	 out[8192];
	char		 path[] = "/tmp/beratta-test-host-XXXXXX";
	int		 fd, saved;
	ssize_t		 n;

	out[0] = '\0';
	if ((fd = mkstemp(path)) == -1)
		return out;
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	if ((n = read(fd, out, sizeof(out) - 1)) > 0)
		out[n] = '\0';
	close(fd);
	unlink(path);
	return out;
}

struct call {
	lua_State	*L;
	int		 flags;
	int		 rc;
	int		 top_before, top_after;
	char		*err;
	size_t		 errlen;
};

/* host.is_active({ home_words = WORDS }, "home_more", {}): the leaky
 * set's condition raises an error quoting the answer. */
static void
call_is_active(void *arg)
{
	struct call	*c = arg;

	c->top_before = lua_gettop(c->L);
	host_push(c->L, "is_active");
	lua_newtable(c->L);
	lua_pushstring(c->L, WORDS);
	lua_setfield(c->L, -2, "home_words");
	lua_pushstring(c->L, "home_more");
	lua_newtable(c->L);
	c->rc = host_call(c->L, "leaky", "is_active", 3, 1, c->flags, c->err,
	    c->errlen);
	c->top_after = lua_gettop(c->L);
}

static void
test_private_error(lua_State *L)
{
	struct call	 c = { L, HOST_PRIVATE, 0, 0, 0, NULL, 0 };
	const char	*log = captured(call_is_active, &c);

	ok(c.rc == -1, "host_call: a Lua error is -1");
	ok(c.top_after == c.top_before,
	    "host_call: the stack is as before the function");
	ok(strstr(log, WORDS) == NULL,
	    "host_call: the log never holds the answer (%s)", log);
	ok(strstr(log, "leaky/init.lua:") != NULL,
	    "host_call: the log names the plugin's file and line");
	ok(strstr(log, "host.is_active") != NULL,
	    "host_call: the log names the host function");
	{
		const char	*p = log;
		int		 lines = 0;

		while ((p = strchr(p, '\n')) != NULL) {
			lines++;
			p++;
		}
		ok(lines == 1, "host_call: the error is logged once (%d lines)",
		    lines);
	}
}

static void
test_tool_error(lua_State *L)
{
	char		 err[512] = "";
	struct call	 c = { L, 0, 0, 0, 0, err, sizeof(err) };
	const char	*log = captured(call_is_active, &c);

	ok(c.rc == -1 && strstr(err, WORDS) != NULL &&
	    strstr(err, "leaky/init.lua:") != NULL,
	    "host_call: a tool gets the whole message back (%s)", err);
	ok(log[0] == '\0', "host_call: and nothing is logged for it");
}

/* host_child with answers that were never read: -1, nothing left on the
 * stack (the defect was one slot popped too many). */
static void
test_child_stack(lua_State *L)
{
	struct tenant_conf	 tc = { .name = "leaky" };
	struct tenant		 t;
	struct session		 s;
	struct request		 req;
	struct arena		*a = arena_new();
	int			 top;

	memset(&t, 0, sizeof(t));
	memset(&s, 0, sizeof(s));
	memset(&req, 0, sizeof(req));
	t.conf = &tc;
	t.L = L;
	pthread_mutex_init(&t.lock, NULL);
	pthread_mutex_init(&t.lua_lock, NULL);
	s.kind = SESSION_CHILD;
	req.arena = a;
	req.tenant = &t;
	req.session = &s;
	req.session_looked = 1;
	lua_pushliteral(L, "sentinel");
	top = lua_gettop(L);
	ok(host_child(&req, "next", NULL, NULL, 0, 1) == -1,
	    "host_child: answers not read is -1");
	ok(lua_gettop(L) == top && lua_isstring(L, -1) &&
	    strcmp(lua_tostring(L, -1), "sentinel") == 0,
	    "host_child: the stack below is left as it was");
	ok(req.lua_held == 1, "host_child: the Lua lock is held until "
	    "host_leave");
	host_leave(&req);
	ok(req.lua_held == 0 && pthread_mutex_trylock(&t.lua_lock) == 0,
	    "host_leave: the Lua lock is free again");
	pthread_mutex_unlock(&t.lua_lock);
	lua_settop(L, 0);
	/* With the answers read, the same call works. */
	{
		struct answer	 ans = { "home_words", "t:hej", NULL, 0 };

		s.answers = &ans;
		s.nanswers = 1;
		s.answers_read = 1;
		ok(host_child(&req, "next", NULL, NULL, 0, 1) == -1 &&
		    lua_gettop(L) == 0,
		    "host_child: a Lua error (the leaky condition) leaves the "
		    "stack as it was");
		host_leave(&req);
	}
	pthread_mutex_destroy(&t.lock);
	pthread_mutex_destroy(&t.lua_lock);
	arena_free(a);
}

int
main(void)
{
	struct tenant_conf	 tc = { .name = "leaky", .plugin = "leaky",
	    .language = "sv" };
	lua_State		*L = NULL;
	char			 version[65], err[1024];

	log_init("test_host");
	snprintf(lua_dir, sizeof(lua_dir), "%s", tap_src("lua"));
	snprintf(plugin_dir, sizeof(plugin_dir), "%s",
	    tap_src("tests/fixtures/plugins"));
	conf.lua_dir = lua_dir;
	conf.plugin_dir = plugin_dir;
	conf.lua_memory = 64 * 1024 * 1024;
	conf.lua_budget = 10000000;
	if (tenant_load_lua(&conf, &tc, &L, version, err, sizeof(err)) == -1) {
		ok(0, "the leaky fixture loads (%s)", err);
		return tap_done();
	}
	ok(1, "the leaky fixture loads");
	test_private_error(L);
	test_tool_error(L);
	test_child_stack(L);
	sandbox_close(L);
	return tap_done();
}
