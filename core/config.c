/*
 * config.c: reads the configuration, a Lua file evaluated in the sandbox,
 * into a struct config.  Relative paths are taken from the configuration
 * file's folder.  Tenant and plugin names become file names, so they are
 * held to [a-z0-9_-] (valid_plugin_name) here, once.  Defaults point at the installed tree.
 */
#include "config.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "extern.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/beratta"
#endif
#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/usr/local/var"
#endif

/* Pushes t[k] without metamethods, so no code of the file runs outside
 * sandbox_call, where nothing would catch its errors or stop its loops;
 * returns the type of the value. */
static int
config_field(lua_State *L, int t, const char *k)
{
	t = lua_absindex(L, t);
	lua_pushstring(L, k);
	return lua_rawget(L, t);
}

/* Resolves p against dir unless absolute; returns malloc'd memory. */
static char *
config_path(const char *dir, const char *p)
{
	char	 buf[PATH_MAX];

	if (p[0] == '/')
		return strdup(p);
	snprintf(buf, sizeof(buf), "%s/%s", dir, p);
	return strdup(buf);
}

static int
get_string(lua_State *L, int t, const char *k, const char *dir, char **out,
    const char *def)
{
	int	 ty = config_field(L, t, k);

	if (ty == LUA_TNIL) {
		lua_pop(L, 1);
		if (def == NULL) {
			*out = NULL;
			return 0;
		}
		*out = dir != NULL && def[0] != '/' ? config_path(dir, def) :
		    strdup(def);
		return *out == NULL ? -1 : 0;
	}
	if (ty != LUA_TSTRING) {
		LOG_ERR("configuration: '%s' must be a string", k);
		lua_pop(L, 1);
		return -1;
	}
	*out = dir != NULL ? config_path(dir, lua_tostring(L, -1)) :
	    strdup(lua_tostring(L, -1));
	lua_pop(L, 1);
	return *out == NULL ? -1 : 0;
}

static int
get_int(lua_State *L, int t, const char *k, long lo, long hi, long *out)
{
	int	 ty = config_field(L, t, k), isint;
	long	 v;

	if (ty == LUA_TNIL) {
		lua_pop(L, 1);
		return 0;
	}
	v = (long)lua_tointegerx(L, -1, &isint);
	lua_pop(L, 1);
	if (!isint || v < lo || v > hi) {
		LOG_ERR("configuration: '%s' must be an integer in %ld..%ld",
		    k, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int
config_tenants(lua_State *L, int env, struct config *c)
{
	long			 v;
	size_t			 i, j, n;
	struct tenant_conf	*t;

	if (config_field(L, env, "tenants") != LUA_TTABLE) {
		LOG_ERR("configuration: 'tenants' must be a list of tables");
		lua_pop(L, 1);
		return -1;
	}
	n = lua_rawlen(L, -1);
	if (n == 0 || n > 10000) {
		LOG_ERR("configuration: between 1 and 10000 tenants needed");
		lua_pop(L, 1);
		return -1;
	}
	if ((c->tenants = calloc(n, sizeof(*c->tenants))) == NULL)
		return -1;
	c->ntenants = n;
	for (i = 0; i < n; i++) {
		t = &c->tenants[i];
		if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TTABLE) {
			LOG_ERR("configuration: tenant %zu is not a table", i + 1);
			return -1;
		}
		if (get_string(L, -1, "name", NULL, &t->name, NULL) == -1 ||
		    !valid_plugin_name(t->name)) {
			LOG_ERR("configuration: tenant %zu needs a name of "
			    "a-z, 0-9, '-' and '_'", i + 1);
			return -1;
		}
		if (get_string(L, -1, "plugin", NULL, &t->plugin, t->name) == -1 ||
		    !valid_plugin_name(t->plugin)) {
			LOG_ERR("configuration: tenant %s: bad plugin name", t->name);
			return -1;
		}
		if (get_string(L, -1, "language", NULL, &t->language, "sv") == -1)
			return -1;
		if (get_string(L, -1, "quick_exit", NULL, &t->quick_exit,
		    "https://www.google.com/") == -1)
			return -1;
		if (strncmp(t->quick_exit, "https://", 8) != 0 &&
		    strncmp(t->quick_exit, "http://", 7) != 0) {
			LOG_ERR("configuration: tenant %s: quick_exit must be "
			    "an http(s) address", t->name);
			return -1;
		}
		t->allow_pin = config_field(L, -1, "allow_pin") == LUA_TBOOLEAN &&
		    lua_toboolean(L, -1);
		lua_pop(L, 1);
		v = c->session_idle;
		if (get_int(L, -1, "session_idle", 60, 86400, &v) == -1)
			return -1;
		t->session_idle = (int)v;
		v = 1800;
		if (get_int(L, -1, "staff_idle", 60, 86400, &v) == -1)
			return -1;
		t->staff_idle = (int)v;
		v = 12 * 3600;
		if (get_int(L, -1, "staff_lifetime", 300, 7 * 86400, &v) == -1)
			return -1;
		t->staff_lifetime = (int)v;
		/* A mapping report's threshold: raised, never lowered. */
		v = DISCLOSE_MIN_GROUP;
		if (get_int(L, -1, "report_min", DISCLOSE_MIN_GROUP, 1000, &v) ==
		    -1)
			return -1;
		t->report_min = (int)v;
		t->demo = config_field(L, -1, "demo") == LUA_TBOOLEAN &&
		    lua_toboolean(L, -1);
		lua_pop(L, 1);
		for (j = 0; j < i; j++)
			if (strcmp(c->tenants[j].name, t->name) == 0) {
				LOG_ERR("configuration: tenant %s twice", t->name);
				return -1;
			}
		if (config_field(L, -1, "hosts") == LUA_TTABLE) {
			for (j = 0; j < lua_rawlen(L, -1) && j < TENANT_HOSTS_MAX; j++) {
				if (lua_rawgeti(L, -1, (lua_Integer)j + 1) != LUA_TSTRING) {
					LOG_ERR("configuration: tenant %s: hosts must "
					    "be strings", t->name);
					return -1;
				}
				if ((t->hosts[j] = strdup(lua_tostring(L, -1))) == NULL)
					return -1;
				t->nhosts++;
				lua_pop(L, 1);
			}
		}
		lua_pop(L, 2);
	}
	lua_pop(L, 1);
	return 0;
}

/*
 * Loads path into a new struct config (free with config_free).  Returns -1
 * after logging what is wrong, with file and line for Lua errors.
 */
int
config_load(const char *path, struct config **out)
{
	struct sandbox_limits	 lim = { 4 * 1024 * 1024, 1000000 };
	struct config		*c;
	lua_State		*L;
	char			 err[512], dirbuf[PATH_MAX], *dir;
	long			 v;
	int			 env, ty;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->socket_mode = 0660;
	c->workers = 2;
	c->threads = 4;
	c->session_idle = 1800;
	c->limits.body_max = 64 * 1024;
	c->limits.fields_max = 200;
	c->limits.field_max = 8 * 1024;
	c->limits.key_max = 128;
	c->lua_memory = 32 * 1024 * 1024;
	c->lua_budget = 10 * 1000 * 1000;
	if ((c->path = realpath(path, NULL)) == NULL) {
		LOG_ERR("configuration %s: cannot resolve", path);
		free(c);
		return -1;
	}
	snprintf(dirbuf, sizeof(dirbuf), "%s", c->path);
	dir = dirname(dirbuf);
	if ((L = sandbox_new(&lim)) == NULL)
		goto fail;
	sandbox_env(L, dir);
	env = lua_gettop(L);
	lua_pushvalue(L, env);
	if (sandbox_loadfile(L, c->path, c->path, err, sizeof(err)) == -1 ||
	    sandbox_call(L, 0, 0, err, sizeof(err)) == -1) {
		LOG_ERR("configuration: %s", err);
		goto fail;
	}
	if (get_string(L, env, "socket", dir, &c->socket, NULL) == -1 ||
	    get_string(L, env, "pid_file", dir, &c->pid_file, NULL) == -1 ||
	    get_string(L, env, "data_dir", dir, &c->data_dir,
	    LOCALSTATEDIR "/lib/beratta") == -1 ||
	    get_string(L, env, "plugin_dir", dir, &c->plugin_dir,
	    PKGDATADIR "/plugins") == -1 ||
	    get_string(L, env, "lua_dir", dir, &c->lua_dir,
	    PKGDATADIR "/lua") == -1 ||
	    get_string(L, env, "locale_dir", dir, &c->locale_dir,
	    PKGDATADIR "/locales") == -1 ||
	    get_string(L, env, "secret_file", dir, &c->secret_file, NULL) == -1)
		goto fail;
	if (c->secret_file == NULL) {
		snprintf(err, sizeof(err), "%s/secret.key", c->data_dir);
		if ((c->secret_file = strdup(err)) == NULL)
			goto fail;
	}
	/* Only a string: a Lua number such as 0660 would be read as decimal. */
	if ((ty = config_field(L, env, "socket_mode")) != LUA_TNIL) {
		const char *m = ty == LUA_TSTRING ? lua_tostring(L, -1) : "";
		char *end;
		c->socket_mode = (int)strtol(m, &end, 8);
		if (*m == '\0' || *end != '\0' || c->socket_mode < 0 ||
		    c->socket_mode > 0777) {
			LOG_ERR("configuration: socket_mode must be an octal "
			    "string such as \"0660\"");
			goto fail;
		}
	}
	lua_pop(L, 1);
	v = c->workers;
	if (get_int(L, env, "workers", 1, 256, &v) == -1)
		goto fail;
	c->workers = (int)v;
	v = c->threads;
	if (get_int(L, env, "threads", 1, 256, &v) == -1)
		goto fail;
	c->threads = (int)v;
	v = c->session_idle;
	if (get_int(L, env, "session_idle", 60, 86400, &v) == -1)
		goto fail;
	c->session_idle = (int)v;
	v = 2;
	if (get_int(L, env, "hash_concurrency", 1, 64, &v) == -1)
		goto fail;
	c->hash_concurrency = (int)v;
	v = (long)(c->lua_memory >> 20);
	if (get_int(L, env, "lua_memory_mb", 4, 4096, &v) == -1)
		goto fail;
	c->lua_memory = (size_t)v << 20;
	v = c->lua_budget;
	if (get_int(L, env, "lua_budget", 10000, 1000000000L, &v) == -1)
		goto fail;
	c->lua_budget = v;
	if (config_field(L, env, "limits") == LUA_TTABLE) {
		v = (long)c->limits.body_max;
		if (get_int(L, -1, "body", 1024, 64L << 20, &v) == -1)
			goto fail;
		c->limits.body_max = (size_t)v;
		v = (long)c->limits.fields_max;
		if (get_int(L, -1, "fields", 4, 100000, &v) == -1)
			goto fail;
		c->limits.fields_max = (size_t)v;
		v = (long)c->limits.field_max;
		if (get_int(L, -1, "field", 64, 16L << 20, &v) == -1)
			goto fail;
		c->limits.field_max = (size_t)v;
	}
	lua_pop(L, 1);
	if (config_tenants(L, env, c) == -1)
		goto fail;
	sandbox_close(L);
	*out = c;
	return 0;
fail:
	sandbox_close(L);
	config_free(c);
	return -1;
}

void
config_free(struct config *c)
{
	size_t	 i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->ntenants; i++) {
		free(c->tenants[i].name);
		free(c->tenants[i].plugin);
		free(c->tenants[i].language);
		free(c->tenants[i].quick_exit);
		for (j = 0; j < c->tenants[i].nhosts; j++)
			free(c->tenants[i].hosts[j]);
	}
	free(c->tenants);
	free(c->path);
	free(c->socket);
	free(c->pid_file);
	free(c->data_dir);
	free(c->plugin_dir);
	free(c->lua_dir);
	free(c->locale_dir);
	free(c->secret_file);
	free(c);
}

const struct tenant_conf *
config_tenant(const struct config *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->ntenants; i++)
		if (strcmp(c->tenants[i].name, name) == 0)
			return &c->tenants[i];
	return NULL;
}
