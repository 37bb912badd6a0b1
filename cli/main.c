/*
 * main.c: beratta(8), the administrator's command-line tool, over the
 * same configuration as the daemon: the global options, the table of
 * commands, their usage, and what commands share (the configuration read
 * once, a tenant's store opened, where the tool's own tree is).  The
 * commands are in cmd_admin.c (invitations) and cmd_plugin.c (the plugin
 * authors' tools); the logic behind them is in the core.
 *
 * Each command prints what it made and exits 0, or says what is wrong on
 * stderr and exits 1 (2 for wrong usage); each takes --help.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"
#include "cli.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/usr/local/etc"
#endif
#define DEFAULT_CONFIG SYSCONFDIR "/beratta/beratta.conf.lua"

static const struct command {
	const char	*name;
	int		(*run)(struct cli *, int, char **);
	const char	*args;
	const char	*help;
	void		(*more)(FILE *);	/* help made from data, or NULL */
} commands[] = {
	{ "invite", cmd_invite, "[-n COUNT] [-l LABEL] [-a AGE_BAND] [-u UNIT] "
	  "TENANT",
	  "create invitation codes for a tenant (in a unit: its professionals\n"
	  "      see them) and print them, one a line;",
	  cmd_invite_help },
	{ "lock", cmd_lock, "[-r] TENANT CODE",
	  "lock a child's round after it has been talked through: the answers\n"
	  "      can no longer be changed (-r opens it again)", NULL },
	{ "unlock", cmd_unlock, "TENANT CODE",
	  "open a code locked after too many wrong tries (the child's secret\n"
	  "      is kept; the count of failures starts again)", NULL },
	{ "status", cmd_status, "TENANT CODE...",
	  "print each code and its state, one a line: unused, not started,\n"
	  "      answering, finished, locked round, locked out until ..., or\n"
	  "      no such code", NULL },
	{ "unit", cmd_unit, "add TENANT NAME KIND | list TENANT",
	  "add a unit (KIND: school, student_health, social_services,\n"
	  "      child_psychiatry or other) or list the tenant's units", NULL },
	{ "staff", cmd_staff, "add [-a] [-u UNIT]... [-b URL] TENANT LOGIN NAME |\n"
	  "      list TENANT | reset [-b URL] TENANT LOGIN | disable TENANT LOGIN |\n"
	  "      demo [-a] [-u UNIT]... TENANT LOGIN NAME PASSWORD SEED",
	  "staff accounts: add one (-a administrator, -u professional of a\n"
	  "      unit, again for more) and print its one-time activation link\n"
	  "      (at URL, default https://the tenant's first host); list them;\n"
	  "      reset one to a new link (password, second factor and sessions\n"
	  "      gone); disable one; demo: for a tenant with demo = true only,\n"
	  "      an account with a fixed password and TOTP seed (base32)", NULL },
	{ "audit", cmd_audit, "verify TENANT | list [-a ACTOR] [-c CHILD] "
	  "[-t ACTION] [-n N] TENANT",
	  "check the audit trail's hash chain and name the first row changed,\n"
	  "      removed or moved; or print its newest rows (tab-separated)",
	  NULL },
	{ "mapping", cmd_mapping, "close-due TENANT",
	  "close the tenant's mapping rounds past their last day (the codes,\n"
	  "      secrets and sessions of their slips are erased; the answers\n"
	  "      stay, to be counted) and print how many; for a daily timer",
	  NULL },
	{ "plugin", cmd_plugin, "check|graph|dump|po export|po import ... DIR",
	  "check, draw and translate a question-set plugin (no configuration\n"
	  "      needed; see beratta plugin --help)", NULL },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *
command_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

static void
usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: beratta [-c FILE] COMMAND [ARGS]\n\n"
	    "The Berätta administrator's tool.\n\n"
	    "  -c FILE     the configuration (default: $BERATTA_CONFIG, else\n"
	    "              %s)\n"
	    "  -h, --help  this text (beratta COMMAND --help: the command's)\n"
	    "\nCommands:\n", DEFAULT_CONFIG);
	for (i = 0; i < NCOMMANDS; i++) {
		fprintf(f, "  %s %s\n      %s\n", commands[i].name,
		    commands[i].args, commands[i].help);
		if (commands[i].more != NULL)
			commands[i].more(f);
	}
	fprintf(f, "\nSee beratta(8).\n");
}

/* A command's usage line and what it does, for its --help. */
void
cli_help(FILE *f, const char *cmd)
{
	const struct command	*c = command_find(cmd);

	if (c == NULL)
		return;
	fprintf(f, "usage: beratta [-c FILE] %s %s\n      %s\n", c->name,
	    c->args, c->help);
	if (c->more != NULL)
		c->more(f);
	fprintf(f, "\nSee beratta(8).\n");
}

/* The usage line of a command on stderr; returns 2, the exit status. */
int
cli_usage(const char *cmd)
{
	const struct command	*c = command_find(cmd);

	if (c != NULL)
		fprintf(stderr, "usage: beratta %s %s\n", c->name, c->args);
	return 2;
}

/*
 * Reads the configuration (once) and readies what the commands over it
 * need: the data folder and the instance secret.  Returns 0, or -1 having
 * said why.
 */
int
cli_config(struct cli *cl)
{
	struct config	*c;

	if (cl->config != NULL)
		return 0;
	if (config_load(cl->config_path, &c) == -1)
		return -1;
	if (mkdir(c->data_dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "beratta: %s: %s\n", c->data_dir, strerror(errno));
		config_free(c);
		return -1;
	}
	if (crypto_init(c->secret_file) == -1 || account_init() == -1) {
		config_free(c);
		return -1;
	}
	cl->config = c;
	return 0;
}

/*
 * The configuration, the tenant named and its store, opened: 0, or -1
 * having said why (cmd names the command in the message).  The caller
 * closes the store.
 */
int
cli_store(struct cli *cl, const char *cmd, const char *tenant,
    const struct tenant_conf **t, struct store **s)
{
	*s = NULL;
	if (cli_config(cl) == -1)
		return -1;
	if ((*t = config_tenant(cl->config, tenant)) == NULL) {
		fprintf(stderr, "beratta %s: no tenant '%s' in %s\n", cmd, tenant,
		    cl->config->path);
		return -1;
	}
	return tenant_open_store(cl->config, *t, s);
}

/*
 * The source tree this program was built from, when it runs as the binary
 * of its build tree (/proc/self/exe is BERATTA_BUILDDIR/beratta): a tool
 * run from a clone uses the clone's Lua runtime, not an installed one of
 * another version.  NULL for an installed copy, which never looks at the
 * build tree.
 */
const char *
cli_srcdir(void)
{
#if defined(BERATTA_SRCDIR) && defined(BERATTA_BUILDDIR)
	char	 self[PATH_MAX], built[PATH_MAX];
	ssize_t	 n;

	n = readlink("/proc/self/exe", self, sizeof(self));
	if (n <= 0 || (size_t)n >= sizeof(self))
		return NULL;
	self[n] = '\0';
	if (realpath(BERATTA_BUILDDIR "/beratta", built) == NULL)
		return NULL;
	return strcmp(self, built) == 0 ? BERATTA_SRCDIR : NULL;
#else
	return NULL;
#endif
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct command	*cmd;
	struct cli		 cl = { NULL, NULL };
	int			 ch, rc;

	log_init("beratta");
	if ((cl.config_path = getenv("BERATTA_CONFIG")) == NULL ||
	    *cl.config_path == '\0')
		cl.config_path = DEFAULT_CONFIG;
	while ((ch = getopt_long(argc, argv, "+c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cl.config_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "help") == 0) {
		if (argc > 1 && command_find(argv[1]) != NULL)
			cli_help(stdout, argv[1]);
		else
			usage(stdout);
		return 0;
	}
	if ((cmd = command_find(argv[0])) == NULL) {
		fprintf(stderr, "beratta: unknown command '%s'\n", argv[0]);
		usage(stderr);
		return 2;
	}
	rc = cmd->run(&cl, argc, argv);
	config_free(cl.config);
	return rc;
}
