/*
 * berattad.c: the FastCGI daemon's entry point: options, the configuration,
 * the instance secret, the UI strings, the listening socket, then the
 * master loop (master.c).  Runs in the foreground; logs go to stderr.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: berattad [-t] -c FILE\n"
	    "\n"
	    "The Berätta FastCGI daemon.  It listens on the unix socket the\n"
	    "configuration names, or on fd 0 when started by spawn-fcgi, or on\n"
	    "fd 3 under systemd socket activation.\n"
	    "\n"
	    "  -c FILE     the configuration (a Lua file)\n"
	    "  -t          check the configuration and every tenant's plugin, "
	    "then exit\n"
	    "  -h, --help  this text\n"
	    "  -V          the version\n"
	    "\n"
	    "Signals: SIGHUP reloads the configuration and plugins without "
	    "dropping a request;\nSIGTERM finishes the requests in flight and "
	    "exits.  See berattad(8).\n");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct config	*c;
	const char	*path = NULL;
	int		 ch, fd, owned, test = 0, rc;
	FILE		*pf;

	log_init("berattad");
	while ((ch = getopt_long(argc, argv, "c:htV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 't':
			test = 1;
			break;
		case 'V':
			printf("berattad %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (path == NULL || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (config_load(path, &c) == -1)
		return 1;
	if (mkdir(c->data_dir, 0700) == -1 && errno != EEXIST) {
		LOG_ERR("%s: %s", c->data_dir, strerror(errno));
		return 1;
	}
	if (crypto_init(c->secret_file) == -1 ||
	    i18n_init(c->locale_dir, "sv") == -1)
		return 1;
	if (test) {
		size_t		 i;
		struct lua_State *L;
		char		 err[512], version[65];

		for (i = 0, rc = 0; i < c->ntenants; i++) {
			if (tenant_load_lua(c, &c->tenants[i], &L, version, err,
			    sizeof(err)) == -1) {
				fprintf(stderr, "tenant %s: %s\n",
				    c->tenants[i].name, err);
				rc = 1;
				continue;
			}
			printf("tenant %s: question set %s\n",
			    c->tenants[i].name, version);
			sandbox_close(L);
		}
		config_free(c);
		return rc;
	}
	if (master_listen(c, &fd, &owned) == -1)
		return 1;
	if (c->pid_file != NULL) {
		if ((pf = fopen(c->pid_file, "w")) == NULL) {
			LOG_ERR("%s: %s", c->pid_file, strerror(errno));
			return 1;
		}
		fprintf(pf, "%d\n", (int)getpid());
		fclose(pf);
	}
	{
		char *sock = owned ? strdup(c->socket) : NULL;
		char *pidf = c->pid_file != NULL ? strdup(c->pid_file) : NULL;

		rc = master_run(c, fd);
		if (sock != NULL)
			unlink(sock);
		if (pidf != NULL)
			unlink(pidf);
		free(sock);
		free(pidf);
	}
	LOG_INFO("stopped");
	return rc == 0 ? 0 : 1;
}
