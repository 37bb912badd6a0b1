/*
 * tenant.c: the runtime of each configured tenant: its sandboxed Lua state
 * (loaded and checked in the master, inherited by the workers through
 * fork) and its SQLite connection (opened lazily in the worker, after the
 * fork), each guarded by its own mutex, since a worker serves requests
 * from several threads: a page rendered in Lua does not hold up another
 * request's use of the store.  A tenant whose database fails to open answers 500; the failure
 * is logged.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lauxlib.h>
#include <lua.h>
#include <sodium.h>

#include "extern.h"

static struct tenant	*tenants;
static size_t		 ntenants;
static const struct config *tenant_config;

/*
 * Sets up the tenants of a worker with the Lua states the master loaded and
 * checked before the fork (each worker owns its copy).  A worker started
 * to replace a crashed one thus serves the same, last good version of every
 * plugin, whatever is on disk now.  The database is opened at the first
 * request, after the fork.
 */
int
tenant_init(const struct config *c, struct lua_State **states,
    char (*versions)[65])
{
	size_t	 i;

	tenant_config = c;
	if ((tenants = calloc(c->ntenants, sizeof(*tenants))) == NULL)
		return -1;
	ntenants = c->ntenants;
	for (i = 0; i < ntenants; i++) {
		tenants[i].conf = &c->tenants[i];
		tenants[i].L = states[i];
		memcpy(tenants[i].version, versions[i], 65);
		pthread_mutex_init(&tenants[i].lock, NULL);
		pthread_mutex_init(&tenants[i].lua_lock, NULL);
		commit_init(&tenants[i].commit, c, tenants[i].conf);
	}
	return 0;
}

/*
 * Loads every tenant's runtime and plugin into new states (states and
 * versions hold c->ntenants entries).  Returns -1, having logged each
 * failure with file and line, if any tenant fails; nothing is kept then.
 */
int
tenant_load_all(const struct config *c, struct lua_State **states,
    char (*versions)[65])
{
	char	 err[512];
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < c->ntenants; i++) {
		states[i] = NULL;
		if (tenant_load_lua(c, &c->tenants[i], &states[i], versions[i],
		    err, sizeof(err)) == -1) {
			LOG_ERR("tenant %s: %s", c->tenants[i].name, err);
			rc = -1;
		} else
			LOG_INFO("tenant %s: question set %.12s",
			    c->tenants[i].name, versions[i]);
	}
	if (rc == -1)
		for (i = 0; i < c->ntenants; i++) {
			sandbox_close(states[i]);
			states[i] = NULL;
		}
	return rc;
}

void
tenant_shutdown(void)
{
	size_t	 i;

	for (i = 0; i < ntenants; i++) {
		store_close(tenants[i].store);
		commit_free(&tenants[i].commit);
		sandbox_close(tenants[i].L);
		pthread_mutex_destroy(&tenants[i].lock);
		pthread_mutex_destroy(&tenants[i].lua_lock);
	}
	free(tenants);
	tenants = NULL;
	ntenants = 0;
}

/* The tenant named by nginx's BERATTA_TENANT parameter, else the one whose
 * host names include host; NULL if none. */
struct tenant *
tenant_find(const char *param, const char *host)
{
	size_t	 i, j;

	if (param != NULL && *param != '\0') {
		for (i = 0; i < ntenants; i++)
			if (strcmp(tenants[i].conf->name, param) == 0)
				return &tenants[i];
		return NULL;
	}
	if (host == NULL)
		return NULL;
	for (i = 0; i < ntenants; i++)
		for (j = 0; j < tenants[i].conf->nhosts; j++)
			if (strcasecmp(tenants[i].conf->hosts[j], host) == 0)
				return &tenants[i];
	return NULL;
}

/* Opens the tenant's database DATA_DIR/NAME.db, migrated. */
int
tenant_open_store(const struct config *c, const struct tenant_conf *tc,
    struct store **out)
{
	char	 path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s.db", c->data_dir, tc->name);
	return store_open(path, out);
}

/*
 * Builds a sandboxed state with the runtime and the tenant's plugin chain
 * loaded and checked, and the version hash of the set's canonical form.
 * On failure returns -1 with err naming the file and line.
 */
int
tenant_load_lua(const struct config *c, const struct tenant_conf *tc,
    lua_State **out, char version[65], char *err, size_t errlen)
{
	struct sandbox_limits	 lim = { c->lua_memory, c->lua_budget };
	lua_State		*L;
	unsigned char		 h[32];
	const char		*canon;
	size_t			 len;

	*out = NULL;
	if (plugin_open(c->lua_dir, c->plugin_dir, tc->plugin, &lim, &L, err,
	    errlen) == -1)
		return -1;
	if (plugin_call(L, "load_set", tc->language, 0, 1, err, errlen) == -1)
		goto fail;
	if ((canon = lua_tolstring(L, -1, &len)) == NULL) {
		snprintf(err, errlen, "%s: load_set returned no canonical form",
		    tc->plugin);
		goto fail;
	}
	crypto_generichash(h, sizeof(h), (const unsigned char *)canon, len,
	    NULL, 0);
	sodium_bin2hex(version, 65, h, sizeof(h));
	lua_setfield(L, LUA_REGISTRYINDEX, "beratta.canonical");
	lua_settop(L, 0);
	*out = L;
	return 0;
fail:
	sandbox_close(L);
	return -1;
}

/*
 * Takes the tenant's store lock for the request (once) and opens its
 * database if it is not yet open in this worker, recording the set's
 * version there.  Returns -1 (unlocked) when the database cannot be
 * opened.  Slow work (argon2id, the group commit) lets the lock go with
 * tenant_leave and takes it back with tenant_enter; the Lua lock (host.c)
 * is only ever taken after this one.
 */
int
tenant_enter(struct request *req)
{
	struct tenant	*t = req->tenant;
	const char	*canon;

	if (req->tenant_held)
		return 0;
	/* The store lock comes first: a request that holds the Lua lock lets
	 * it go (the state keeps nothing of the request's that cannot be
	 * made again). */
	host_leave(req);
	pthread_mutex_lock(&t->lock);
	if (t->L == NULL)
		goto fail;
	if (t->store == NULL) {
		if (tenant_open_store(tenant_config, t->conf, &t->store) == -1)
			goto fail;
		/* Keep this version's canonical form, for old answers. */
		pthread_mutex_lock(&t->lua_lock);
		lua_getfield(t->L, LUA_REGISTRYINDEX, "beratta.canonical");
		canon = lua_tostring(t->L, -1);
		if (canon == NULL || store_version_put(t->store, t->version,
		    canon) == -1) {
			lua_pop(t->L, 1);
			pthread_mutex_unlock(&t->lua_lock);
			store_close(t->store);
			t->store = NULL;
			goto fail;
		}
		lua_pop(t->L, 1);
		pthread_mutex_unlock(&t->lua_lock);
	}
	req->tenant_held = 1;
	return 0;
fail:
	pthread_mutex_unlock(&t->lock);
	return -1;
}

/* Lets go of the tenant's locks the request holds: the Lua lock first
 * (with what the request keeps in the Lua state), then the store lock. */
void
tenant_leave(struct request *req)
{
	if (req->tenant == NULL)
		return;
	host_leave(req);
	if (req->tenant_held) {
		req->tenant_held = 0;
		pthread_mutex_unlock(&req->tenant->lock);
	}
}
