/*
 * test_config.c: the configuration file, Lua read in the sandbox: values,
 * defaults, paths relative to the file, tenants, and every refusal.  Each
 * case writes its own file in a temporary folder.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"
#include "tap.h"

static char	 dir[] = "/tmp/beratta-config-XXXXXX";
static char	 realdir[PATH_MAX];
static char	 path[PATH_MAX];

/* Writes text to the configuration file; returns its path. */
static const char *
write_conf(const char *text)
{
	FILE	*f;

	snprintf(path, sizeof(path), "%s/beratta.conf", dir);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fputs(text, f);
	fclose(f);
	return path;
}

/* Loads text as a configuration; 0 on success (the config freed). */
static int
load_rc(const char *text)
{
	struct config	*c = NULL;
	int		 rc;

	rc = config_load(write_conf(text), &c);
	if (rc == -1 && c != NULL)
		rc = -2;	/* a failure must not hand out a config */
	config_free(c);
	return rc;
}

/* 1 if p is realdir/rel. */
static int
is_in_dir(const char *p, const char *rel)
{
	char	 want[PATH_MAX + 64];

	snprintf(want, sizeof(want), "%s/%s", realdir, rel);
	return p != NULL && strcmp(p, want) == 0;
}

static const char good[] =
    "-- a complete configuration\n"
    "socket = \"run/beratta.sock\"\n"
    "socket_mode = \"0600\"\n"
    "pid_file = \"/run/beratta.pid\"\n"
    "workers = 3\n"
    "threads = 8\n"
    "data_dir = \"data\"\n"
    "plugin_dir = \"/srv/plugins\"\n"
    "lua_dir = \"lua\"\n"
    "locale_dir = \"locales\"\n"
    "secret_file = \"keys/secret.key\"\n"
    "session_idle = 600\n"
    "lua_memory_mb = 16\n"
    "lua_budget = 500000\n"
    "limits = { body = 4096, fields = 50, field = 1024 }\n"
    "local function host(n) return n .. \".example.org\" end\n"
    "tenants = {\n"
    "  { name = \"north\", plugin = \"demo\", language = \"en\",\n"
    "    hosts = { host(\"north\"), \"nord.example.org\" } },\n"
    "  { name = \"south_2\" },\n"
    "}\n";

static void
test_good(void)
{
	struct config			*c = NULL;
	const struct tenant_conf	*t;

	ok(config_load(write_conf(good), &c) == 0 && c != NULL,
	    "config_load: a complete configuration");
	if (c == NULL)
		return;
	ok(is_in_dir(c->path, "beratta.conf"),
	    "config: path is the file's real path");
	ok(is_in_dir(c->socket, "run/beratta.sock"),
	    "config: a relative socket path is taken from the file's folder");
	ok(c->socket_mode == 0600, "config: socket_mode read as octal");
	ok(c->pid_file != NULL && strcmp(c->pid_file, "/run/beratta.pid") == 0,
	    "config: an absolute path is kept as it is");
	ok(c->workers == 3 && c->threads == 8, "config: workers and threads");
	ok(is_in_dir(c->data_dir, "data") && is_in_dir(c->lua_dir, "lua") &&
	    is_in_dir(c->locale_dir, "locales") &&
	    strcmp(c->plugin_dir, "/srv/plugins") == 0,
	    "config: folders resolved against the file's folder");
	ok(is_in_dir(c->secret_file, "keys/secret.key"),
	    "config: secret_file resolved against the file's folder");
	ok(c->session_idle == 600, "config: session_idle");
	ok(c->lua_memory == (size_t)16 << 20 && c->lua_budget == 500000,
	    "config: lua_memory_mb in MB and lua_budget");
	ok(c->limits.body_max == 4096 && c->limits.fields_max == 50 &&
	    c->limits.field_max == 1024 && c->limits.key_max == 128,
	    "config: limits read, key_max keeps its default");
	ok(c->ntenants == 2, "config: two tenants");
	t = config_tenant(c, "north");
	ok(t != NULL && strcmp(t->plugin, "demo") == 0 &&
	    strcmp(t->language, "en") == 0,
	    "config_tenant: finds a tenant by name, with its plugin and language");
	ok(t != NULL && t->nhosts == 2 &&
	    strcmp(t->hosts[0], "north.example.org") == 0 &&
	    strcmp(t->hosts[1], "nord.example.org") == 0,
	    "config: a tenant's hosts, computed by Lua code");
	t = config_tenant(c, "south_2");
	ok(t != NULL && strcmp(t->plugin, "south_2") == 0 &&
	    strcmp(t->language, "sv") == 0 && t->nhosts == 0,
	    "config: a tenant's plugin defaults to its name, language to sv");
	ok(config_tenant(c, "east") == NULL && config_tenant(c, "") == NULL,
	    "config_tenant: an unknown name is NULL");
	config_free(c);
}

static void
test_defaults(void)
{
	struct config	*c = NULL;

	ok(config_load(write_conf("tenants = { { name = \"demo\" } }\n"),
	    &c) == 0 && c != NULL,
	    "config_load: only a tenant given");
	if (c == NULL)
		return;
	ok(c->socket == NULL && c->pid_file == NULL,
	    "defaults: no socket and no pid file");
	ok(c->socket_mode == 0660, "defaults: socket_mode 0660");
	ok(c->workers == 2 && c->threads == 4,
	    "defaults: 2 workers of 4 threads");
	ok(c->session_idle == 1800, "defaults: session_idle 1800 s");
	ok(c->lua_memory == (size_t)32 << 20 && c->lua_budget == 10000000,
	    "defaults: 32 MB and 10 million instructions for Lua");
	ok(c->limits.body_max == 65536 && c->limits.fields_max == 200 &&
	    c->limits.field_max == 8192 && c->limits.key_max == 128,
	    "defaults: request limits");
	ok(c->data_dir != NULL && c->data_dir[0] == '/' &&
	    c->plugin_dir != NULL && c->plugin_dir[0] == '/' &&
	    c->lua_dir != NULL && c->locale_dir != NULL,
	    "defaults: absolute installed folders (%s)", c->data_dir);
	ok(c->secret_file != NULL && c->data_dir != NULL &&
	    strncmp(c->secret_file, c->data_dir, strlen(c->data_dir)) == 0 &&
	    strcmp(c->secret_file + strlen(c->data_dir), "/secret.key") == 0,
	    "defaults: the secret lives in the data folder");
	ok(c->tenants[0].report_min == 10,
	    "defaults: a mapping report needs 10 respondents");
	config_free(c);
	c = NULL;
	ok(config_load(write_conf("tenants = { { name = \"demo\", "
	    "report_min = 25 } }\n"), &c) == 0 && c != NULL &&
	    c->tenants[0].report_min == 25,
	    "config: a tenant raises report_min");
	config_free(c);
	ok(load_rc("tenants = { { name = \"demo\", report_min = 5 } }\n") == -1,
	    "refused: report_min below 10 (a tenant never lowers it)");
}

static void
test_refusals(void)
{
	char	 missing[PATH_MAX];

	struct config	*c = NULL;

	snprintf(missing, sizeof(missing), "%s/nosuch.conf", dir);
	ok(config_load(missing, &c) == -1 && c == NULL,
	    "config_load: a missing file refused");
	ok(load_rc("workers = 2\n") == -1,
	    "refused: no tenants");
	ok(load_rc("tenants = {}\n") == -1,
	    "refused: an empty tenant list");
	ok(load_rc("tenants = { \"demo\" }\n") == -1,
	    "refused: a tenant that is not a table");
	ok(load_rc("tenants = { { plugin = \"demo\" } }\n") == -1,
	    "refused: a tenant without a name");
	ok(load_rc("tenants = { { name = \"../etc\" } }\n") == -1,
	    "refused: a tenant name with \"../\"");
	ok(load_rc("tenants = { { name = \"a/b\" } }\n") == -1,
	    "refused: a tenant name with '/'");
	ok(load_rc("tenants = { { name = \"Demo\" } }\n") == -1,
	    "refused: a tenant name with upper case");
	ok(load_rc("tenants = { { name = \"\" } }\n") == -1,
	    "refused: an empty tenant name");
	ok(load_rc("tenants = { { name = "
	    "\"abcdefghijklmnopqrstuvwxyz0123456\" } }\n") == -1,
	    "refused: a tenant name over 32 characters");
	ok(load_rc("tenants = { { name = 7 } }\n") == -1,
	    "refused: a tenant name that is not a string");
	ok(load_rc("tenants = { { name = \"demo\", plugin = \"../x\" } }\n") ==
	    -1, "refused: a plugin name with \"../\"");
	ok(load_rc("tenants = { { name = \"demo\" }, { name = \"demo\" } }\n") ==
	    -1, "refused: a duplicate tenant");
	ok(load_rc("tenants = { { name = \"demo\", hosts = { 1 } } }\n") == -1,
	    "refused: a host that is not a string");
	ok(load_rc("workers = 2.5\ntenants = { { name = \"demo\" } }\n") == -1,
	    "refused: a non-integer workers");
	ok(load_rc("workers = \"many\"\ntenants = { { name = \"demo\" } }\n") ==
	    -1, "refused: workers as a word");
	ok(load_rc("workers = 0\ntenants = { { name = \"demo\" } }\n") == -1,
	    "refused: workers below the range (0)");
	ok(load_rc("workers = 257\ntenants = { { name = \"demo\" } }\n") == -1,
	    "refused: workers above the range (257)");
	ok(load_rc("workers = 256\ntenants = { { name = \"demo\" } }\n") == 0,
	    "accepted: workers at the top of the range (256)");
	ok(load_rc("session_idle = 59\ntenants = { { name = \"demo\" } }\n") ==
	    -1, "refused: session_idle below a minute");
	ok(load_rc("limits = { field = 1 }\ntenants = { { name = \"demo\" } }\n")
	    == -1, "refused: a field limit out of range");
	ok(load_rc("socket = 5\ntenants = { { name = \"demo\" } }\n") == -1,
	    "refused: a socket path that is not a string");
	ok(load_rc("socket_mode = \"0999\"\n"
	    "tenants = { { name = \"demo\" } }\n") == -1,
	    "refused: socket_mode with a non-octal digit");
	ok(load_rc("socket_mode = \"rw-rw----\"\n"
	    "tenants = { { name = \"demo\" } }\n") == -1,
	    "refused: socket_mode as letters");
	ok(load_rc("socket_mode = \"01777\"\n"
	    "tenants = { { name = \"demo\" } }\n") == -1,
	    "refused: socket_mode above 0777");
	ok(load_rc("socket_mode = 432\ntenants = { { name = \"demo\" } }\n") ==
	    -1, "refused: socket_mode as a number, not an octal string");
	ok(load_rc("socket_mode = \"\"\ntenants = { { name = \"demo\" } }\n") ==
	    -1, "refused: an empty socket_mode");
	ok(load_rc("tenants = { { name = \"demo\" }\n") == -1,
	    "refused: a syntax error (the message names file and line)");
	ok(load_rc("tenants = { { name = \"demo\" } }\nerror(\"stop\")\n") ==
	    -1, "refused: a configuration that raises an error");
	ok(load_rc("os.execute(\"touch /tmp/beratta-pwned\")\n"
	    "tenants = { { name = \"demo\" } }\n") == -1 &&
	    access("/tmp/beratta-pwned", F_OK) == -1,
	    "refused: a configuration calling os.execute (os is nil)");
	ok(load_rc("local f = io.open(\"/etc/passwd\")\n"
	    "tenants = { { name = \"demo\" } }\n") == -1,
	    "refused: a configuration calling io.open (io is nil)");
	ok(load_rc("while true do end\n") == -1,
	    "refused: a configuration that loops forever (budget)");
	ok(load_rc("local t = {} for i = 1, 1e9 do t[i] = (\"x\"):rep(64) .. i "
	    "end\n") == -1,
	    "refused: a configuration that eats memory (ceiling)");
}

int
main(void)
{
	/* A budget that stops nothing must fail the test, not hang it. */
	alarm(60);
	if (mkdtemp(dir) == NULL || realpath(dir, realdir) == NULL) {
		ok(0, "a temporary folder");
		return tap_done();
	}
	test_good();
	test_defaults();
	test_refusals();
	unlink(path);
	rmdir(dir);
	return tap_done();
}
