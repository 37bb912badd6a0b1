/*
 * fuzz_plugin.c: the plugin loader on any init.lua.  The input is written
 * as plugins/fz/init.lua in a private temporary folder (beside a link to
 * the demo plugin, so a layer can extend it) and loaded as a tenant's
 * state is: plugin_open with the real runtime (lua/ of BERATTA_SRCDIR, else
 * of the source tree this was built from), then host.load_set.  Small
 * memory and instruction limits stop a plugin that loops or hoards.  A
 * failure leaves a message naming what failed and no state; nothing may
 * crash, leak or unwind through C.
 */
#include "config.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lua.h>

#include "extern.h"
#include "fuzz.h"

#ifndef FUZZ_SRCDIR
#define FUZZ_SRCDIR "."
#endif

/* Ample for host.lua and a layer on the demo set (which load in 300 kB
 * and 16,000 instructions a call; the standard set needs 2.3 MB and
 * 520,000), small enough that a hostile plugin stops quickly. */
static const struct sandbox_limits lim = { 8 * 1024 * 1024, 200000 };

static char	 lua_dir[PATH_MAX], tmp[PATH_MAX], plugins[PATH_MAX + 16];
static char	 fz[PATH_MAX + 32], init[PATH_MAX + 48], demo[PATH_MAX + 32];

static void
cleanup(void)
{
	unlink(init);
	rmdir(fz);
	unlink(demo);
	rmdir(plugins);
	rmdir(tmp);
}

static void
setup(void)
{
	const char	*src = getenv("BERATTA_SRCDIR");
	const char	*t = getenv("TMPDIR");
	char		 target[PATH_MAX + 16], real[PATH_MAX];

	if (src == NULL || *src == '\0')
		src = FUZZ_SRCDIR;
	snprintf(lua_dir, sizeof(lua_dir), "%s/lua", src);
	snprintf(tmp, sizeof(tmp), "%s/beratta-fuzz-plugin-XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmp) == NULL)
		abort();
	snprintf(plugins, sizeof(plugins), "%s/plugins", tmp);
	snprintf(fz, sizeof(fz), "%s/fz", plugins);
	snprintf(init, sizeof(init), "%s/init.lua", fz);
	snprintf(demo, sizeof(demo), "%s/demo", plugins);
	if (mkdir(plugins, 0700) == -1 || mkdir(fz, 0700) == -1)
		abort();
	atexit(cleanup);
	snprintf(target, sizeof(target), "%s/plugins/demo", src);
	if (realpath(target, real) == NULL) {
		fprintf(stderr, "fuzz_plugin: no %s (set BERATTA_SRCDIR)\n",
		    target);
		abort();
	}
	if (symlink(real, demo) == -1)
		abort();
}

/* Pushes the answers: none, or the first question skipped. */
static void
push_answers(struct lua_State *L, const char *first)
{
	lua_newtable(L);
	if (first[0] != '\0') {
		lua_pushliteral(L, "s:skip");
		lua_setfield(L, -2, first);
	}
}

/*
 * A set that loads walks its flow (host.next) and renders the question it
 * finds (host.page), with no answers and then with the first question
 * skipped: each call returns what it should or fails with a message,
 * never crashes, and leaves the stack as it was.
 */
static void
walk(struct lua_State *L)
{
	char	 err[1024], first[128] = "";
	int	 i;

	for (i = 0; i < 2; i++) {
		lua_getfield(L, LUA_REGISTRYINDEX, "beratta.host");
		lua_getfield(L, -1, "next");
		lua_remove(L, -2);
		push_answers(L, first);
		lua_newtable(L);
		err[0] = '\0';
		if (sandbox_call(L, 2, 1, err, sizeof(err)) == -1) {
			fuzz_assert(err[0] != '\0' && lua_gettop(L) == 0);
			return;
		}
		if (lua_type(L, -1) != LUA_TSTRING) {
			lua_pop(L, 1);
			fuzz_assert(lua_gettop(L) == 0);
			return;
		}
		lua_getfield(L, LUA_REGISTRYINDEX, "beratta.host");
		lua_getfield(L, -1, "page");
		lua_remove(L, -2);
		lua_pushliteral(L, "question");
		lua_createtable(L, 0, 8);
		lua_pushvalue(L, -4);		/* the id next returned */
		lua_setfield(L, -2, "question");
		lua_pushliteral(L, "sv");
		lua_setfield(L, -2, "lang");
		lua_pushliteral(L, "ltr");
		lua_setfield(L, -2, "dir");
		lua_pushliteral(L, "/q");
		lua_setfield(L, -2, "path");
		lua_pushliteral(L, "x");
		lua_setfield(L, -2, "csrf");
		lua_newtable(L);
		lua_setfield(L, -2, "t");
		lua_newtable(L);
		lua_setfield(L, -2, "langs");
		lua_newtable(L);
		lua_setfield(L, -2, "ctx");
		push_answers(L, first);
		lua_setfield(L, -2, "answers");
		err[0] = '\0';
		if (sandbox_call(L, 2, 2, err, sizeof(err)) == -1)
			fuzz_assert(err[0] != '\0' && lua_gettop(L) == 1);
		else {
			fuzz_assert(lua_istable(L, -2) && lua_isstring(L, -1));
			lua_pop(L, 2);
		}
		if (i == 0)
			snprintf(first, sizeof(first), "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
		fuzz_assert(lua_gettop(L) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lua_State	*L = NULL;
	char			 err[1024];

	if (tmp[0] == '\0')
		setup();
	fuzz_write(init, data, size);
	err[0] = '\0';
	if (plugin_open(lua_dir, plugins, "fz", &lim, &L, err,
	    sizeof(err)) == -1) {
		fuzz_assert(L == NULL);
		fuzz_assert(err[0] != '\0' && memchr(err, '\0', sizeof(err)));
		return 0;
	}
	fuzz_assert(L != NULL && lua_gettop(L) == 0);
	err[0] = '\0';
	if (plugin_call(L, "load_set", "sv", 0, 1, err, sizeof(err)) == -1) {
		fuzz_assert(err[0] != '\0' && memchr(err, '\0', sizeof(err)));
		fuzz_assert(lua_gettop(L) == 0);
	} else {
		fuzz_assert(lua_gettop(L) == 1);
		lua_pop(L, 1);
		walk(L);
	}
	sandbox_close(L);
	return 0;
}
