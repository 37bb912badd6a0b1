/*
 * cmd_plugin.c: `beratta plugin check|graph|dump|po`, the tools for
 * whoever writes a question set.  They read no configuration: they load a
 * plugin folder into the same sandbox as the daemon and call the runtime's
 * tool functions (lua/tools/, through lua/host.lua); this file only writes
 * what those return, to the terminal or atomically to files.  The runtime
 * is --lua-dir, else $BERATTA_LUA_DIR, else the source tree's lua/ for a
 * beratta run from its build tree (cli_srcdir), else the installed one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <sodium.h>

#include "extern.h"
#include "cli.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/beratta"
#endif

/* The plugin tools' sandbox: as generous as a checker needs. */
#define PLUGIN_MEMORY	(64 * 1024 * 1024)
#define PLUGIN_BUDGET	100000000L
#define PO_FILE_MAX	(8 * 1024 * 1024)
#ifndef DOT_PATH
#define DOT_PATH	"/usr/bin/dot"	/* graphviz, run only if it is there */
#endif

extern char **environ;

/* One run of a plugin tool: its options and the plugin loaded. */
struct plugin_job {
	const struct plugin_command *cmd;
	const char	*lua_dir;	/* the Lua runtime (cmd_plugin_lua_dir) */
	const char	*lang;		/* --language: used when the set names none */
	const char	*out;		/* -o FILE */
	int		 canonical;	/* --canonical */
	char		 dir[PATH_MAX];	/* the plugin's folder */
	char		 parent[PATH_MAX]; /* where `extends` finds the others */
	const char	*name;		/* the folder's base name: the plugin */
	char		**args;		/* what follows DIR */
	lua_State	*L;
};

static int	cmd_plugin_check(struct plugin_job *);
static int	cmd_plugin_graph(struct plugin_job *);
static int	cmd_plugin_dump(struct plugin_job *);
static int	cmd_plugin_po_export(struct plugin_job *);
static int	cmd_plugin_po_import(struct plugin_job *);

static const struct plugin_command {
	const char	*name;		/* one or two words */
	int		(*run)(struct plugin_job *);
	const char	*options;	/* short names of the options it takes */
	int		 nargs;		/* arguments after DIR */
	const char	*args;
	const char	*help;
} plugin_commands[] = {
	{ "check", cmd_plugin_check, "", 0, "DIR",
	  "load the set as the daemon would; print its errors and warnings\n"
	  "      with file and line, the coverage of each language and the\n"
	  "      version; exit 1 if there is any error" },
	{ "graph", cmd_plugin_graph, "o", 0, "[-o FILE] DIR",
	  "print the question tree as Graphviz DOT; -o FILE.svg runs dot" },
	{ "dump", cmd_plugin_dump, "c", 0, "[--canonical] DIR",
	  "print the set as loaded, as JSON (or its canonical form)" },
	{ "po export", cmd_plugin_po_export, "", 1, "DIR LANG",
	  "print a gettext PO catalogue of every text, for translating to LANG" },
	{ "po import", cmd_plugin_po_import, "", 1, "DIR FILE",
	  "write DIR/translations/LANG.lua from a translated PO file" },
};

/*
 * The Lua runtime when neither --lua-dir nor $BERATTA_LUA_DIR names one:
 * the source tree's lua/ for a beratta run from its build tree (so a clone
 * checks plugins against its own runtime), else the installed one.
 */
static const char *
cmd_plugin_lua_default(char *buf, size_t len)
{
	const char	*src = cli_srcdir();

	if (src != NULL)
		snprintf(buf, len, "%s/lua", src);
	else
		snprintf(buf, len, "%s/lua", PKGDATADIR);
	return buf;
}

static void
cmd_plugin_usage(FILE *f, const struct plugin_command *only)
{
	char	 def[PATH_MAX];
	size_t	 i;

	if (only != NULL) {
		fprintf(f, "usage: beratta plugin %s [--lua-dir DIR] "
		    "[--language LANG] %s\n      %s\n", only->name, only->args,
		    only->help);
		return;
	}
	fprintf(f, "usage: beratta plugin COMMAND [OPTIONS] DIR [ARG]\n\n"
	    "Tools for question-set plugins.  DIR is a plugin folder; the\n"
	    "plugins it extends are looked for next to it.  No configuration\n"
	    "is read.\n\n"
	    "  --lua-dir DIR    the Lua runtime (default: $BERATTA_LUA_DIR, else\n"
	    "                   %s%s)\n"
	    "  --language LANG  the tenant's language, for a set that names\n"
	    "                   none (default sv)\n"
	    "  -h, --help       this text\n\nCommands:\n",
	    cmd_plugin_lua_default(def, sizeof(def)),
	    cli_srcdir() != NULL ? ", as run from its build tree" : "");
	for (i = 0; i < sizeof(plugin_commands) / sizeof(plugin_commands[0]); i++)
		fprintf(f, "  %s %s\n      %s\n", plugin_commands[i].name,
		    plugin_commands[i].args, plugin_commands[i].help);
	fprintf(f, "\nSee beratta(8) and beratta-plugin(5).\n");
}

/* A language code as question sets write them: 2 or 3 letters a-z. */
static int
valid_lang_code(const char *s)
{
	size_t	 n = strspn(s, "abcdefghijklmnopqrstuvwxyz");

	return (n == 2 || n == 3) && s[n] == '\0';
}

/* Prints the strings of the list at idx, one a line. */
static void
cmd_plugin_print_lines(lua_State *L, int idx, FILE *f, const char *prefix)
{
	lua_Integer	 i, n;

	if (!lua_istable(L, idx))
		return;
	idx = lua_absindex(L, idx);
	n = (lua_Integer)lua_rawlen(L, idx);
	for (i = 1; i <= n; i++) {
		if (lua_rawgeti(L, idx, i) == LUA_TSTRING)
			fprintf(f, "%s%s\n", prefix, lua_tostring(L, -1));
		lua_pop(L, 1);
	}
}

/*
 * Writes len bytes to path through a temporary file in the same folder
 * and a rename, so a reader sees the old file or the new one, never half.
 * Returns 0, or -1 having said why on stderr.
 */
static int
write_atomic(const char *path, const char *data, size_t len)
{
	char	 tmp[PATH_MAX];
	ssize_t	 w;
	size_t	 off = 0;
	int	 fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp)) {
		fprintf(stderr, "beratta: %s: path too long\n", path);
		return -1;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		fprintf(stderr, "beratta: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (off < len) {
		if ((w = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) == -1 || fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "beratta: %s: %s\n", path, strerror(errno));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return -1;
}

/*
 * Runs DOT_PATH -Tsvg on the DOT text (fed through a pipe, no shell) into
 * a temporary file renamed to out.  Returns 0, or -1 having said why.
 */
static int
run_dot(const char *dot, size_t len, const char *out)
{
	posix_spawn_file_actions_t	 fa;
	char				 tmp[PATH_MAX];
	char				 a0[] = "dot", a1[] = "-Tsvg", a2[] = "-o";
	char				*argv[] = { a0, a1, a2, tmp, NULL };
	pid_t				 pid;
	ssize_t				 w;
	size_t				 off = 0;
	int				 p[2], fd, status, rc;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", out) >= sizeof(tmp) ||
	    (fd = mkstemp(tmp)) == -1) {
		fprintf(stderr, "beratta: %s: cannot make a temporary file\n", out);
		return -1;
	}
	close(fd);
	if (pipe2(p, O_CLOEXEC) == -1) {
		fprintf(stderr, "beratta: pipe: %s\n", strerror(errno));
		unlink(tmp);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[0], STDIN_FILENO);
	rc = posix_spawn(&pid, DOT_PATH, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[0]);
	if (rc != 0) {
		fprintf(stderr, "beratta: %s: %s\n", DOT_PATH, strerror(rc));
		close(p[1]);
		unlink(tmp);
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	while (off < len) {
		if ((w = write(p[1], dot + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)w;
	}
	close(p[1]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	if (off < len || status == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "beratta: %s failed on the graph\n", DOT_PATH);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, out) == -1) {
		fprintf(stderr, "beratta: %s: %s\n", out, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* check DIR: the report, the version when the set is usable, and the
 * count of errors and warnings last; exit 1 on errors. */
static int
cmd_plugin_check(struct plugin_job *j)
{
	unsigned char	 h[crypto_generichash_BYTES];
	char		 err[1024], version[2 * crypto_generichash_BYTES + 1];
	const char	*canon;
	size_t		 len;
	long long	 errors, warnings;

	if (sodium_init() == -1) {
		fprintf(stderr, "beratta plugin check: sodium_init failed\n");
		return 1;
	}
	if (plugin_call(j->L, "check", j->lang, 0, 4, err, sizeof(err)) == -1) {
		fprintf(stderr, "beratta plugin check: %s\n", err);
		return 1;
	}
	cmd_plugin_print_lines(j->L, -4, stdout, "");
	errors = (long long)lua_tointeger(j->L, -3);
	warnings = (long long)lua_tointeger(j->L, -2);
	if (errors == 0 && (canon = lua_tolstring(j->L, -1, &len)) != NULL) {
		crypto_generichash(h, sizeof(h), (const unsigned char *)canon,
		    len, NULL, 0);
		sodium_bin2hex(version, sizeof(version), h, sizeof(h));
		printf("version: %s\n", version);
	}
	printf("%lld error%s, %lld warning%s\n", errors, errors == 1 ? "" : "s",
	    warnings, warnings == 1 ? "" : "s");
	return errors > 0 ? 1 : 0;
}

/* graph [-o FILE] DIR: DOT on stdout or into FILE; FILE.svg through dot
 * when graphviz is there, else FILE.dot and a word that it is not. */
static int
cmd_plugin_graph(struct plugin_job *j)
{
	char		 err[1024], alt[PATH_MAX];
	const char	*dot;
	size_t		 len, n;
	long long	 errors;

	if (plugin_call(j->L, "graph", j->lang, 0, 2, err, sizeof(err)) == -1) {
		fprintf(stderr, "beratta plugin graph: %s\n", err);
		return 1;
	}
	dot = lua_tolstring(j->L, -2, &len);
	errors = (long long)lua_tointeger(j->L, -1);
	if (dot == NULL) {
		fprintf(stderr, "beratta plugin graph: no graph\n");
		return 1;
	}
	if (errors > 0)
		fprintf(stderr, "beratta plugin graph: the set has %lld error%s "
		    "(see beratta plugin check)\n", errors, errors == 1 ? "" : "s");
	if (j->out == NULL) {
		fwrite(dot, 1, len, stdout);
		return 0;
	}
	n = strlen(j->out);
	if (n < 4 || strcmp(j->out + n - 4, ".svg") != 0) {
		if (write_atomic(j->out, dot, len) == -1)
			return 1;
		printf("wrote %s\n", j->out);
		return 0;
	}
	if (access(DOT_PATH, X_OK) == 0) {
		if (run_dot(dot, len, j->out) == -1)
			return 1;
		printf("wrote %s\n", j->out);
		return 0;
	}
	snprintf(alt, sizeof(alt), "%.*s.dot", (int)(n - 4), j->out);
	if (write_atomic(alt, dot, len) == -1)
		return 1;
	printf("wrote %s\n", alt);
	fprintf(stderr, "beratta plugin graph: graphviz is not installed (no %s), "
	    "so no SVG: wrote %s instead; with graphviz, run dot -Tsvg -o %s %s\n",
	    DOT_PATH, alt, j->out, alt);
	return 0;
}

/* dump [--canonical] DIR: the set as loaded. */
static int
cmd_plugin_dump(struct plugin_job *j)
{
	char		 err[1024];
	const char	*text;
	size_t		 len;

	lua_pushboolean(j->L, j->canonical);
	if (plugin_call(j->L, "dump", j->lang, 1, 1, err, sizeof(err)) == -1) {
		fprintf(stderr, "beratta plugin dump: %s\n", err);
		return 1;
	}
	if ((text = lua_tolstring(j->L, -1, &len)) == NULL)
		return 1;
	fwrite(text, 1, len, stdout);
	return 0;
}

/* po export DIR LANG: the catalogue on stdout, notes on stderr. */
static int
cmd_plugin_po_export(struct plugin_job *j)
{
	char		 err[1024];
	const char	*text;
	size_t		 len;

	if (!valid_lang_code(j->args[0])) {
		fprintf(stderr, "beratta plugin po export: %s: a language code is "
		    "2 or 3 letters a-z\n", j->args[0]);
		return 2;
	}
	lua_pushstring(j->L, j->args[0]);
	if (plugin_call(j->L, "po_export", j->lang, 1, 2, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "beratta plugin po export: %s\n", err);
		return 1;
	}
	if ((text = lua_tolstring(j->L, -2, &len)) == NULL) {
		fprintf(stderr, "beratta plugin po export: %s\n",
		    lua_isstring(j->L, -1) ? lua_tostring(j->L, -1) : "no catalogue");
		return 1;
	}
	fwrite(text, 1, len, stdout);
	cmd_plugin_print_lines(j->L, -1, stderr, "beratta plugin po export: ");
	return 0;
}

/* Reads at most PO_FILE_MAX bytes of path into a malloc'd buffer. */
static char *
read_file(const char *path, size_t *len)
{
	struct stat	 st;
	FILE		*f;
	char		*buf = NULL;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "beratta: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > PO_FILE_MAX) {
		fprintf(stderr, "beratta: %s: not a regular file of at most %d "
		    "bytes\n", path, PO_FILE_MAX);
		goto done;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		fprintf(stderr, "beratta: out of memory\n");
		goto done;
	}
	*len = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		fprintf(stderr, "beratta: %s: read error\n", path);
		free(buf);
		buf = NULL;
	}
done:
	fclose(f);
	return buf;
}

/* po import DIR FILE: writes DIR/translations/LANG.lua, LANG from the
 * file's header; prints warnings, a summary and a hint. */
static int
cmd_plugin_po_import(struct plugin_job *j)
{
	char		 err[1024], path[PATH_MAX + 32];
	const char	*file = j->args[0], *base, *text, *lang;
	char		*po;
	size_t		 len, tlen;
	int		 rc;

	if ((po = read_file(file, &len)) == NULL)
		return 1;
	base = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 : file;
	lua_pushlstring(j->L, po, len);
	lua_pushstring(j->L, base);
	free(po);
	if (plugin_call(j->L, "po_import", j->lang, 2, 3, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "beratta plugin po import: %s\n", err);
		return 1;
	}
	text = lua_tolstring(j->L, -3, &tlen);
	lang = lua_tostring(j->L, -2);
	if (text == NULL || lang == NULL || !valid_lang_code(lang)) {
		fprintf(stderr, "beratta plugin po import: %s\n",
		    text == NULL && lang != NULL ? lang : "no language");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/translations", j->dir);
	if (mkdir(path, 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "beratta plugin po import: %s: %s\n", path,
		    strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/translations/%s.lua", j->dir, lang);
	rc = write_atomic(path, text, tlen);
	cmd_plugin_print_lines(j->L, -1, stdout, "");
	if (rc == -1)
		return 1;
	printf("wrote %s\n", path);
	return 0;
}

/* Splits DIR into the folder that holds it and its base name. */
static int
cmd_plugin_locate(struct plugin_job *j, const char *arg)
{
	char	 real[PATH_MAX], *slash;
	size_t	 n;

	if ((size_t)snprintf(j->dir, sizeof(j->dir), "%s", arg) >= sizeof(j->dir))
		return -1;
	for (n = strlen(j->dir); n > 1 && j->dir[n - 1] == '/'; n--)
		j->dir[n - 1] = '\0';
	slash = strrchr(j->dir, '/');
	j->name = slash != NULL ? slash + 1 : j->dir;
	if (strcmp(j->name, ".") == 0 || strcmp(j->name, "..") == 0 ||
	    *j->name == '\0') {
		if (realpath(j->dir, real) == NULL)
			return -1;
		snprintf(j->dir, sizeof(j->dir), "%s", real);
		slash = strrchr(j->dir, '/');
		j->name = slash + 1;
	}
	if (slash == NULL)
		snprintf(j->parent, sizeof(j->parent), ".");
	else if (slash == j->dir)
		snprintf(j->parent, sizeof(j->parent), "/");
	else
		snprintf(j->parent, sizeof(j->parent), "%.*s",
		    (int)(slash - j->dir), j->dir);
	return 0;
}

/* plugin COMMAND [OPTIONS] DIR [ARG]: reads no configuration. */
int
cmd_plugin(struct cli *cl, int argc, char **argv)
{
	enum { OPT_LUA_DIR = 256, OPT_LANGUAGE, OPT_CANONICAL };
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "lua-dir", required_argument, NULL, OPT_LUA_DIR },
		{ "language", required_argument, NULL, OPT_LANGUAGE },
		{ "canonical", no_argument, NULL, OPT_CANONICAL },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const struct plugin_command	*cmd = NULL;
	struct plugin_job		 j;
	struct sandbox_limits		 lim = { PLUGIN_MEMORY, PLUGIN_BUDGET };
	struct stat			 st;
	char				 err[1024], host[PATH_MAX + 16];
	char				 lua_default[PATH_MAX];
	const char			*name, *sp;
	size_t				 i, words;
	int				 ch, rc;

	(void)cl;
	memset(&j, 0, sizeof(j));
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		cmd_plugin_usage(argc < 2 ? stderr : stdout, NULL);
		return argc < 2 ? 2 : 0;
	}
	/* A name of two words ("po export") takes two arguments. */
	for (i = 0; i < sizeof(plugin_commands) / sizeof(plugin_commands[0]); i++) {
		name = plugin_commands[i].name;
		sp = strchr(name, ' ');
		if (sp == NULL ? strcmp(argv[1], name) == 0 :
		    argc > 2 && strncmp(argv[1], name, (size_t)(sp - name)) == 0 &&
		    argv[1][sp - name] == '\0' && strcmp(argv[2], sp + 1) == 0) {
			cmd = &plugin_commands[i];
			break;
		}
	}
	if (cmd == NULL) {
		fprintf(stderr, "beratta plugin: unknown command '%s%s%s'\n",
		    argv[1], argc > 2 && strcmp(argv[1], "po") == 0 ? " " : "",
		    argc > 2 && strcmp(argv[1], "po") == 0 ? argv[2] : "");
		cmd_plugin_usage(stderr, NULL);
		return 2;
	}
	words = strchr(cmd->name, ' ') != NULL ? 2 : 1;
	argc -= (int)words;
	argv += words;
	j.cmd = cmd;
	j.lang = "sv";
	optind = 0;	/* glibc: start afresh, options may follow DIR */
	while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			cmd_plugin_usage(stdout, cmd);
			return 0;
		case OPT_LUA_DIR:
			j.lua_dir = optarg;
			break;
		case OPT_LANGUAGE:
			if (!valid_lang_code(optarg)) {
				fprintf(stderr, "beratta plugin: --language takes "
				    "2 or 3 letters a-z\n");
				return 2;
			}
			j.lang = optarg;
			break;
		case OPT_CANONICAL:
			if (strchr(cmd->options, 'c') == NULL)
				goto usage;
			j.canonical = 1;
			break;
		case 'o':
			if (strchr(cmd->options, 'o') == NULL)
				goto usage;
			j.out = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1 + cmd->nargs)
		goto usage;
	j.args = argv + optind + 1;
	if (j.lua_dir == NULL && (j.lua_dir = getenv("BERATTA_LUA_DIR")) != NULL &&
	    *j.lua_dir == '\0')
		j.lua_dir = NULL;
	if (j.lua_dir == NULL)
		j.lua_dir = cmd_plugin_lua_default(lua_default,
		    sizeof(lua_default));
	snprintf(host, sizeof(host), "%s/host.lua", j.lua_dir);
	if (access(host, R_OK) == -1) {
		fprintf(stderr, "beratta plugin %s: no Lua runtime in %s (give "
		    "--lua-dir DIR or set BERATTA_LUA_DIR)\n", cmd->name, j.lua_dir);
		return 1;
	}
	if (cmd_plugin_locate(&j, argv[optind]) == -1 || stat(j.dir, &st) == -1 ||
	    !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "beratta plugin %s: %s: not a plugin folder\n",
		    cmd->name, argv[optind]);
		return 1;
	}
	if (plugin_open(j.lua_dir, j.parent, j.name, &lim, &j.L, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "beratta plugin %s: %s\n", cmd->name, err);
		return 1;
	}
	rc = cmd->run(&j);
	sandbox_close(j.L);
	return rc;
usage:
	fprintf(stderr, "usage: beratta plugin %s [--lua-dir DIR] "
	    "[--language LANG] %s\n", cmd->name, cmd->args);
	return 2;
}

