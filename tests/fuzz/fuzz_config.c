/*
 * fuzz_config.c: config_load on any file.  The input is written to a
 * configuration file in a private temporary folder and loaded (Lua in the
 * sandbox, whose limits config_load sets: 4 MB and a million
 * instructions).  A failure hands out no configuration; a success holds
 * only what the daemon may rely on: every path absolute, numbers in their
 * ranges, one or more tenants with file-safe names and http(s) exits.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <unistd.h>

#include "extern.h"
#include "fuzz.h"

static char	 dir[PATH_MAX], path[PATH_MAX + 32];

static void
cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

static void
setup(void)
{
	const char	*t = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/beratta-fuzz-config-XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/beratta.conf.lua", dir);
	atexit(cleanup);
}

static int
is_name(const char *s)
{
	size_t	 i;

	if (s == NULL || *s == '\0' || strlen(s) > 32)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

static int
is_abs(const char *p)
{
	return p != NULL && p[0] == '/';
}

static void
check(const struct config *c)
{
	const struct tenant_conf	*t;
	size_t				 i, j;

	fuzz_assert(is_abs(c->path) && is_abs(c->data_dir) &&
	    is_abs(c->plugin_dir) && is_abs(c->lua_dir) &&
	    is_abs(c->locale_dir) && is_abs(c->secret_file));
	fuzz_assert(c->socket == NULL || is_abs(c->socket));
	fuzz_assert(c->pid_file == NULL || is_abs(c->pid_file));
	fuzz_assert(c->socket_mode >= 0 && c->socket_mode <= 0777);
	fuzz_assert(c->workers >= 1 && c->workers <= 256);
	fuzz_assert(c->threads >= 1 && c->threads <= 256);
	fuzz_assert(c->session_idle >= 60 && c->session_idle <= 86400);
	fuzz_assert(c->hash_concurrency >= 1 && c->hash_concurrency <= 64);
	fuzz_assert(c->lua_memory >= 4u << 20 && c->lua_memory <= 4096ul << 20);
	fuzz_assert(c->lua_budget >= 10000 && c->lua_budget <= 1000000000L);
	fuzz_assert(c->limits.body_max >= 1024 &&
	    c->limits.body_max <= 64ul << 20);
	fuzz_assert(c->limits.fields_max >= 4 &&
	    c->limits.fields_max <= 100000);
	fuzz_assert(c->limits.field_max >= 64 &&
	    c->limits.field_max <= 16ul << 20);
	fuzz_assert(c->ntenants >= 1 && c->ntenants <= 10000);
	for (i = 0; i < c->ntenants; i++) {
		t = &c->tenants[i];
		fuzz_assert(is_name(t->name) && is_name(t->plugin));
		fuzz_assert(t->language != NULL);
		fuzz_assert(t->quick_exit != NULL &&
		    (strncmp(t->quick_exit, "https://", 8) == 0 ||
		    strncmp(t->quick_exit, "http://", 7) == 0));
		fuzz_assert(t->allow_pin == 0 || t->allow_pin == 1);
		fuzz_assert(t->session_idle >= 60 && t->session_idle <= 86400);
		fuzz_assert(t->nhosts <= TENANT_HOSTS_MAX);
		for (j = 0; j < t->nhosts; j++)
			fuzz_assert(t->hosts[j] != NULL);
		fuzz_assert(config_tenant(c, t->name) == t);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	*c = NULL;
	int		 rc;

	if (dir[0] == '\0')
		setup();
	fuzz_write(path, data, size);
	rc = config_load(path, &c);
	fuzz_assert(rc == 0 || rc == -1);
	if (rc == -1)
		fuzz_assert(c == NULL);
	else {
		fuzz_assert(c != NULL);
		check(c);
	}
	config_free(c);
	return 0;
}
