/*
 * plugin.c: loads a question set into a sandboxed state: the runtime
 * (LUA_DIR/host.lua) in its own environment, then the chain of plugins: the
 * named plugin, the one it `extends`, and so on (at most 8), each in its
 * own environment whose require reads only that plugin's folder.  The
 * chain (base first) and the plugins' source texts (for errors with file
 * and line) are kept in the registry for the host functions that the
 * daemon and the `beratta plugin` tools call through plugin_call.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lua.h>

#include "extern.h"

#define PLUGIN_CHAIN_MAX	8
#define PLUGIN_SOURCES_MAX	(8 * 1024 * 1024)

/* 1 if s may name a plugin or a tenant (they become file names):
 * 1 to 32 of a-z, 0-9, '-' and '_'. */
int
valid_plugin_name(const char *s)
{
	size_t	 i;

	if (s == NULL || *s == '\0' || strlen(s) > 32)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
		    s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

/* Adds the .lua files of dir (and of its subfolders, one level) to the
 * table on top of the stack, keyed PREFIX/NAME.  *total bounds the size. */
static void
plugin_sources(lua_State *L, const char *dir, const char *prefix, int depth,
    size_t *total)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		 path[PATH_MAX], key[PATH_MAX], *text;
	size_t		 len;
	FILE		*f;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(key, sizeof(key), "%s/%s", prefix, e->d_name);
		if (stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode) && depth == 0) {
			plugin_sources(L, path, key, 1, total);
			continue;
		}
		len = strlen(e->d_name);
		if (!S_ISREG(st.st_mode) || len < 5 ||
		    strcmp(e->d_name + len - 4, ".lua") != 0 ||
		    st.st_size > 1024 * 1024 ||
		    *total + (size_t)st.st_size > PLUGIN_SOURCES_MAX)
			continue;
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		if ((text = malloc((size_t)st.st_size + 1)) != NULL) {
			len = fread(text, 1, (size_t)st.st_size, f);
			lua_pushlstring(L, text, len);
			lua_setfield(L, -2, key);
			*total += len;
			free(text);
		}
		fclose(f);
	}
	closedir(d);
}

/* Pushes { ages = { "6-9", ... } }: the age bands of invite.c, which the
 * question-set language checks a set's by_age and age conditions against. */
static void
plugin_push_core(lua_State *L)
{
	size_t	 i;

	lua_createtable(L, 0, 1);
	lua_createtable(L, (int)invite_age_band_count(), 0);
	for (i = 0; i < invite_age_band_count(); i++) {
		lua_pushstring(L, invite_age_band(i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "ages");
}

/*
 * Creates a state with the runtime and the chain of plugins starting at
 * name, found in plugin_dir.  Returns 0 and the state (close it with
 * sandbox_close), or -1 with err naming file and line.
 */
int
plugin_open(const char *lua_dir, const char *plugin_dir, const char *name,
    const struct sandbox_limits *lim, lua_State **out, char *err,
    size_t errlen)
{
	lua_State	*L;
	char		 path[PATH_MAX + 64], root[PATH_MAX], chunk[128];
	char		 names[PLUGIN_CHAIN_MAX][33], next[33];
	const char	*ext;
	size_t		 n = 0, i, total = 0;
	int		 chain;

	*out = NULL;
	if ((L = sandbox_new(lim)) == NULL) {
		snprintf(err, errlen, "cannot create a Lua state");
		return -1;
	}
	sandbox_env(L, lua_dir);
	/* The runtime alone gets ICU's message check (for the tools). */
	i18n_push_icu(L);
	lua_setfield(L, -2, "icu");
	/* What the core defines once and the runtime must agree with. */
	plugin_push_core(L);
	lua_setfield(L, -2, "core");
	snprintf(path, sizeof(path), "%s/host.lua", lua_dir);
	if (sandbox_loadfile(L, path, "lua/host.lua", err, errlen) == -1 ||
	    sandbox_call(L, 0, 1, err, errlen) == -1)
		goto fail;
	if (!lua_istable(L, -1)) {
		snprintf(err, errlen, "lua/host.lua: must return a table");
		goto fail;
	}
	lua_setfield(L, LUA_REGISTRYINDEX, "beratta.host");

	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, "beratta.sources");
	lua_newtable(L);
	chain = lua_gettop(L);
	snprintf(next, sizeof(next), "%s", name);
	for (name = next; name != NULL; ) {
		if (!valid_plugin_name(name)) {
			snprintf(err, errlen, "%s: a plugin name is made of a-z, "
			    "0-9, '-' and '_'", name);
			goto fail;
		}
		for (i = 0; i < n; i++)
			if (strcmp(names[i], name) == 0) {
				snprintf(err, errlen, "%s/init.lua: extends %s, "
				    "which extends it again", names[n - 1], name);
				goto fail;
			}
		if (n == PLUGIN_CHAIN_MAX) {
			snprintf(err, errlen, "%s: more than %d plugins extend "
			    "each other", name, PLUGIN_CHAIN_MAX);
			goto fail;
		}
		snprintf(root, sizeof(root), "%s/%s", plugin_dir, name);
		lua_getfield(L, LUA_REGISTRYINDEX, "beratta.sources");
		plugin_sources(L, root, name, 0, &total);
		lua_pop(L, 1);
		host_push(L, "plugin_env");
		sandbox_env(L, root);
		if (host_call(L, NULL, "plugin_env", 1, 1, 0, err, errlen) == -1)
			goto fail;
		snprintf(path, sizeof(path), "%s/init.lua", root);
		snprintf(chunk, sizeof(chunk), "%s/init.lua", name);
		if (sandbox_loadfile(L, path, chunk, err, errlen) == -1 ||
		    sandbox_call(L, 0, 1, err, errlen) == -1)
			goto fail;
		if (!lua_istable(L, -1)) {
			snprintf(err, errlen, "%s: must return a table", chunk);
			goto fail;
		}
		/* Base first: shift what is there and put this one at 1. */
		for (i = n; i > 0; i--) {
			lua_rawgeti(L, chain, (lua_Integer)i);
			lua_rawseti(L, chain, (lua_Integer)i + 1);
		}
		/* Raw: no metamethod of the plugin's table may run here,
		 * outside sandbox_call. */
		lua_pushliteral(L, "_plugin");
		lua_pushstring(L, name);
		lua_rawset(L, -3);
		lua_pushvalue(L, -1);
		lua_rawseti(L, chain, 1);
		memcpy(names[n++], name, strlen(name) + 1);
		lua_pushliteral(L, "extends");
		lua_rawget(L, -2);
		if (lua_isnil(L, -1))
			name = NULL;
		else if ((ext = lua_tostring(L, -1)) == NULL ||
		    strlen(ext) >= sizeof(next)) {
			snprintf(err, errlen, "%s: extends must name a plugin",
			    chunk);
			goto fail;
		} else
			memcpy(next, ext, strlen(ext) + 1);
		lua_pop(L, 2);
	}
	lua_setfield(L, LUA_REGISTRYINDEX, "beratta.chain");
	lua_settop(L, 0);
	*out = L;
	return 0;
fail:
	sandbox_close(L);
	return -1;
}

/*
 * Calls host[fn](chain, lang, sources, ...) with nargs more arguments the
 * caller pushed.  Returns 0 with nres results, or -1 with err.
 */
int
plugin_call(lua_State *L, const char *fn, const char *lang, int nargs,
    int nres, char *err, size_t errlen)
{
	int	 base = lua_gettop(L) - nargs;

	host_push(L, fn);
	lua_getfield(L, LUA_REGISTRYINDEX, "beratta.chain");
	lua_pushstring(L, lang);
	lua_getfield(L, LUA_REGISTRYINDEX, "beratta.sources");
	/* Move fn and its three fixed arguments below the caller's. */
	lua_rotate(L, base + 1, 4);
	return host_call(L, NULL, fn, 3 + nargs, nres, 0, err, errlen);
}
