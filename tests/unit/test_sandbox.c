/*
 * test_sandbox.c: the Lua sandbox against hostile plugins (the fixtures in
 * tests/fixtures/plugins): each is refused with a message naming its file
 * and line where Lua knows it, and the state stays usable afterwards.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lua.h>

#include "extern.h"
#include "tap.h"

static const struct sandbox_limits lim = { 8 * 1024 * 1024, 1000000 };

/* 1 if err holds "WHERE:LINE: " followed later by what. */
static int
names_line(const char *err, const char *where, const char *what)
{
	const char	*p = strstr(err, where);

	if (p == NULL)
		return 0;
	p += strlen(where);
	if (*p++ != ':' || !isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == ':' && strstr(p, what) != NULL;
}

/* Loads and calls the fixture plugin NAME (its init.lua, require rooted
 * at its folder) for one result.  Returns 0 with the result pushed or -1
 * with err set and the stack as before. */
static int
run_plugin(lua_State *L, const char *name, char *err, size_t errlen)
{
	char	 root[4096], path[4200], chunk[128];

	snprintf(root, sizeof(root), "%s/%s",
	    tap_src("tests/fixtures/plugins"), name);
	snprintf(path, sizeof(path), "%s/init.lua", root);
	snprintf(chunk, sizeof(chunk), "%s/init.lua", name);
	sandbox_env(L, root);
	if (sandbox_loadfile(L, path, chunk, err, errlen) == -1)
		return -1;
	return sandbox_call(L, 0, 1, err, errlen);
}

/* Loads and calls the chunk s in a fresh environment for one result. */
static int
run_string(lua_State *L, const char *s, char *err, size_t errlen)
{
	sandbox_env(L, tap_src("tests/fixtures/plugins/requireok"));
	if (sandbox_loadstring(L, s, strlen(s), "chunk.lua", err, errlen) == -1)
		return -1;
	return sandbox_call(L, 0, 1, err, errlen);
}

/* Runs s and pops its result: 1 if it is the integer want. */
static int
gives_int(lua_State *L, const char *s, lua_Integer want)
{
	char	 err[512];
	int	 isint, r;

	if (run_string(L, s, err, sizeof(err)) == -1) {
		printf("# %s\n", err);
		return 0;
	}
	r = lua_tointegerx(L, -1, &isint) == want && isint;
	lua_pop(L, 1);
	return r;
}

/* Runs s and pops its result: 1 if it is the boolean true. */
static int
gives_true(lua_State *L, const char *s)
{
	char	 err[512];
	int	 r;

	if (run_string(L, s, err, sizeof(err)) == -1) {
		printf("# %s\n", err);
		return 0;
	}
	r = lua_isboolean(L, -1) && lua_toboolean(L, -1);
	lua_pop(L, 1);
	return r;
}

/* Runs s, expecting an error containing what. */
static int
fails_with(lua_State *L, const char *s, const char *what)
{
	char	 err[512];

	if (run_string(L, s, err, sizeof(err)) == 0) {
		lua_pop(L, 1);
		return 0;
	}
	if (strstr(err, what) == NULL) {
		printf("# unexpected error: %s\n", err);
		return 0;
	}
	return 1;
}

/* The state still runs a good chunk, with the stack left balanced. */
static int
still_usable(lua_State *L)
{
	return lua_gettop(L) == 0 &&
	    gives_int(L, "local t = {} for i = 1, 10 do t[i] = i end "
	    "return #t * 4 + 2", 42) && lua_gettop(L) == 0;
}

/* Runs fixture name, expecting a failure; checks err with names_line. */
static void
refused_plugin(const char *name, const char *what, const char *desc)
{
	lua_State	*L;
	char		 err[512], chunk[128];
	int		 rc;

	if ((L = sandbox_new(&lim)) == NULL) {
		ok(0, "sandbox_new for %s", name);
		return;
	}
	snprintf(chunk, sizeof(chunk), "%s/init.lua", name);
	err[0] = '\0';
	rc = run_plugin(L, name, err, sizeof(err));
	if (rc == 0)
		lua_pop(L, 1);
	ok(rc == -1 && names_line(err, chunk, what),
	    "%s: %s (%s)", name, desc, err);
	ok(still_usable(L), "%s: the state is still usable afterwards", name);
	sandbox_close(L);
}

static void
test_hostile(void)
{
	lua_State	*L;
	char		 err[512];
	int		 rc;

	refused_plugin("loop", "instruction budget",
	    "endless loop stopped by the instruction budget");
	refused_plugin("pcallloop", "instruction budget",
	    "budget error caught by pcall still stops the plugin");
	refused_plugin("osexec", "global 'os'", "os is not reachable");
	refused_plugin("ioopen", "global 'io'", "io is not reachable");
	refused_plugin("bytecode", "binary chunk",
	    "load of a binary chunk refused");
	refused_plugin("dump", "dump", "(\"\").dump is not reachable");
	refused_plugin("requireescape", "invalid module name",
	    "require outside the plugin folder refused");

	/* The memory ceiling: the place is named when Lua code allocates. */
	if ((L = sandbox_new(&lim)) == NULL) {
		ok(0, "sandbox_new for alloc");
		return;
	}
	rc = run_plugin(L, "alloc", err, sizeof(err));
	if (rc == 0)
		lua_pop(L, 1);
	ok(rc == -1 && strstr(err, "memory ceiling") != NULL,
	    "alloc: growing memory stopped by the ceiling (%s)", err);
	ok(rc == -1 && names_line(err, "alloc/init.lua", "memory ceiling"),
	    "alloc: the ceiling error names file and line");
	ok(sandbox_memory(L) < lim.memory / 2,
	    "alloc: memory is collected after the failure (%zu bytes)",
	    sandbox_memory(L));
	ok(still_usable(L), "alloc: the state is still usable afterwards");
	sandbox_close(L);
}

static void
test_sandbox(void)
{
	lua_State	*L;
	char		 err[512], path[256];
	const char	*s;
	FILE		*f;
	int		 fd;

	if ((L = sandbox_new(&lim)) == NULL) {
		ok(0, "sandbox_new");
		return;
	}
	ok(1, "sandbox_new: a state with 8 MB and 1e6 instructions");
	ok(run_plugin(L, "requireok", err, sizeof(err)) == 0 &&
	    lua_tointeger(L, -1) == 42,
	    "require: a plugin loads a sibling module of its folder");
	lua_settop(L, 0);
	ok(gives_true(L, "return require('helper') == require('helper')"),
	    "require: a module is loaded once per environment");
	ok(fails_with(L, "return require('../x')", "invalid module name"),
	    "require: '../x' refused");
	ok(fails_with(L, "return require('/etc/passwd')",
	    "invalid module name"), "require: an absolute path refused");
	ok(fails_with(L, "return require('a..b')", "invalid module name"),
	    "require: '..' inside a name refused");
	ok(fails_with(L, "return require('Helper')", "invalid module name"),
	    "require: upper case refused");
	ok(fails_with(L, "return require('nosuch')", "nosuch.lua"),
	    "require: a missing module names its file");

	ok(gives_true(L, "return getmetatable('') == 'locked'"),
	    "string metatable: getmetatable(\"\") returns \"locked\"");
	ok(fails_with(L, "getmetatable('').__index = {} return 1",
	    "read-only"),
	    "string metatable: its __index cannot be replaced");
	ok(fails_with(L, "('').upper = function() end return 1",
	    "read-only"),
	    "string metatable: __newindex on a string refused");
	ok(fails_with(L, "return setmetatable('', {})", "table expected"),
	    "string metatable: setmetatable on a string refused");
	ok(fails_with(L, "return rawset(getmetatable(''), '__index', {})",
	    "table expected"),
	    "string metatable: rawset cannot reach it");
	ok(gives_true(L, "string.upper = nil "
	    "return ('abc'):upper() == 'ABC'"),
	    "string metatable: string methods survive a plugin's edits");

	ok(gives_int(L, "return load('return 1+1')()", 2),
	    "load: a text chunk works inside the sandbox");
	ok(gives_true(L, "local f, e = load('\\27Lua\\84\\0') "
	    "return f == nil and e:find('binary') ~= nil"),
	    "load: a binary string is refused");
	ok(gives_true(L, "return load('return os, io, dofile, loadfile, "
	    "collectgarbage, print, debug, package')() == nil"),
	    "load: a loaded chunk sees only the sandbox environment");
	ok(gives_true(L, "return os == nil and io == nil and debug == nil and "
	    "package == nil and dofile == nil and loadfile == nil and "
	    "collectgarbage == nil and string.dump == nil"),
	    "environment: no os, io, debug, package, dofile, loadfile, "
	    "collectgarbage or string.dump");
	ok(gives_true(L, "string.extra = 1 return true") &&
	    gives_true(L, "return string.extra == nil"),
	    "environment: each environment has its own library tables");
	ok(gives_true(L, "return coroutine == nil"),
	    "environment: no coroutines (a loop in one would escape the "
	    "budget's alarm)");
	ok(fails_with(L, "local function f() return f() + 1 end return f()",
	    "memory ceiling"),
	    "recursion: endless Lua recursion stopped by the memory ceiling");
	ok(fails_with(L, "local t = setmetatable({}, { __index = "
	    "function(t, k) return t[k] end }) return t.x", "stack overflow"),
	    "recursion: endless recursion through C is a stack overflow");
	ok(fails_with(L, "error({})", "error object is a table value"),
	    "sandbox_call: a non-string error object is described");
	ok(fails_with(L, "local x = nil\nlocal y = 1\nreturn x.y",
	    "chunk.lua:3:"),
	    "sandbox_call: an error while running names file:line");

	sandbox_env(L, tap_src("tests/fixtures/plugins"));
	s = "local x = \nreturn";
	ok(sandbox_loadstring(L, s, strlen(s), "syntax.lua", err,
	    sizeof(err)) == -1 && names_line(err, "syntax.lua", "") &&
	    lua_gettop(L) == 0,
	    "sandbox_loadstring: a syntax error names file:line and pops the "
	    "environment (%s)", err);

	sandbox_env(L, tap_src("tests/fixtures/plugins"));
	ok(sandbox_loadfile(L, tap_src("tests/fixtures/plugins/nosuch.lua"),
	    "nosuch.lua", err, sizeof(err)) == -1 &&
	    strstr(err, "nosuch.lua") != NULL &&
	    strstr(err, "No such file") != NULL && lua_gettop(L) == 0,
	    "sandbox_loadfile: a missing file is a clear error (%s)", err);

	snprintf(path, sizeof(path), "/tmp/beratta-big-XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		ok(0, "a temporary file");
	} else {
		size_t	 i;

		fputs("return 1 --", f);
		for (i = 0; i < 1024 * 1024; i++)
			fputc('x', f);
		fclose(f);
		sandbox_env(L, "/tmp");
		ok(sandbox_loadfile(L, path, "big.lua", err, sizeof(err)) ==
		    -1 && strstr(err, "big.lua") != NULL &&
		    strstr(err, "1 MB") != NULL && lua_gettop(L) == 0,
		    "sandbox_loadfile: a file over 1 MB refused (%s)", err);
		unlink(path);
	}
	sandbox_env(L, "/tmp");
	ok(sandbox_loadfile(L, "/tmp", "dir.lua", err, sizeof(err)) == -1 &&
	    lua_gettop(L) == 0,
	    "sandbox_loadfile: a folder refused (%s)", err);
	ok(still_usable(L), "sandbox: still usable after the load errors");
	sandbox_close(L);
	sandbox_close(NULL);
	ok(1, "sandbox_close: NULL is a no-op");
}

int
main(void)
{
	/* A budget that stops nothing must fail the test, not hang it. */
	alarm(60);
	test_hostile();
	test_sandbox();
	return tap_done();
}
