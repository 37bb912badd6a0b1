/*
 * beratta.c: the administrator's command-line tool, over the same
 * configuration as the daemon.  Commands are a table; each prints what it
 * made and exits 0, or explains what is wrong and exits 1 (2 for usage).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "beratta.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/usr/local/etc"
#endif
#define DEFAULT_CONFIG SYSCONFDIR "/beratta/beratta.conf.lua"

static int	cmd_invite(struct config *, int, char **);

static const struct command {
	const char	*name;
	int		(*run)(struct config *, int, char **);
	const char	*args;
	const char	*help;
} commands[] = {
	{ "invite", cmd_invite, "[-n COUNT] [-l LABEL] [-a AGE_BAND] TENANT",
	  "create invitation codes for a tenant and print them, one a line;\n"
	  "      AGE_BAND (6-9, 10-12, 13-15, 16-18) selects age-fitting questions" },
};

static void
usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: beratta [-c FILE] COMMAND [ARGS]\n\n"
	    "The Berätta administrator's tool.\n\n"
	    "  -c FILE     the configuration (default: $BERATTA_CONFIG, else\n"
	    "              %s)\n"
	    "  -h, --help  this text\n\nCommands:\n", DEFAULT_CONFIG);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s %s\n      %s\n", commands[i].name,
		    commands[i].args, commands[i].help);
	fprintf(f, "\nSee beratta(8).\n");
}

/* invite [-n COUNT] [-l LABEL] TENANT: only a keyed hash of each code is
 * stored; the codes themselves exist only in this program's output. */
static int
cmd_invite(struct config *c, int argc, char **argv)
{
	const struct tenant_conf	*t;
	struct store			*s;
	char				 code[CODE_DISPLAY], norm[CODE_CHARS + 1];
	unsigned char			 hash[CRYPTO_HASHBYTES];
	const char			*label = NULL, *age = NULL;
	long				 n = 1, i;
	int				 ch;
	char				*end;

	optind = 1;
	while ((ch = getopt(argc, argv, "a:n:l:")) != -1) {
		switch (ch) {
		case 'a':
			age = optarg;
			if (strcmp(age, "6-9") != 0 && strcmp(age, "10-12") != 0 &&
			    strcmp(age, "13-15") != 0 && strcmp(age, "16-18") != 0) {
				fprintf(stderr, "beratta invite: -a takes an age "
				    "band: 6-9, 10-12, 13-15 or 16-18\n");
				return 2;
			}
			break;
		case 'n':
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 1 || n > 10000) {
				fprintf(stderr, "beratta invite: -n takes 1..10000\n");
				return 2;
			}
			break;
		case 'l':
			label = optarg;
			if (!valid_utf8(label, strlen(label)) || strlen(label) > 200) {
				fprintf(stderr, "beratta invite: the label must be "
				    "UTF-8 of at most 200 bytes\n");
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: beratta invite %s\n",
			    commands[0].args);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: beratta invite %s\n", commands[0].args);
		return 2;
	}
	if ((t = config_tenant(c, argv[optind])) == NULL) {
		fprintf(stderr, "beratta invite: no tenant '%s' in %s\n",
		    argv[optind], c->path);
		return 1;
	}
	if (tenant_open_store(c, t, &s) == -1)
		return 1;
	for (i = 0; i < n; i++) {
		code_generate(code);
		if (code_normalize(code, norm) == -1)
			abort();
		crypto_keyed_hash("code", t->name, norm, CODE_CHARS, hash);
		if (store_invite_add(s, hash, label, age, NULL) == -1) {
			store_close(s);
			return 1;
		}
		printf("%s\n", code);
		sodium_memzero(norm, sizeof(norm));
	}
	store_close(s);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*path = getenv("BERATTA_CONFIG");
	struct config	*c;
	size_t		 i;
	int		 ch, rc;

	log_init("beratta");
	while ((ch = getopt_long(argc, argv, "+c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
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
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		fprintf(stderr, "beratta: unknown command '%s'\n", argv[0]);
		usage(stderr);
		return 2;
	}
	if (config_load(path != NULL ? path : DEFAULT_CONFIG, &c) == -1)
		return 1;
	if (mkdir(c->data_dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "beratta: %s: %s\n", c->data_dir, strerror(errno));
		return 1;
	}
	if (crypto_init(c->secret_file) == -1)
		return 1;
	rc = commands[i].run(c, argc, argv);
	config_free(c);
	return rc;
}
