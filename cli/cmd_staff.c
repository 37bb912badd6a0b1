/*
 * cmd_staff.c: the commands over the adults' side: units, staff accounts
 * and the audit trail.  Thin wrappers over account.c and the store: each
 * parses its arguments, opens the tenant's store through main.c and
 * prints the result.  Whatever changes an account is appended to the
 * audit trail with the actor "beratta" (the command line).
 *
 *   unit add TENANT NAME KIND       unit list TENANT
 *   staff add [-a] [-u UNIT]... [-b URL] TENANT LOGIN NAME
 *   staff list TENANT    staff reset [-b URL] TENANT LOGIN
 *   staff disable TENANT LOGIN
 *   staff demo [-a] [-u UNIT]... TENANT LOGIN NAME PASSWORD SEED
 *   audit verify TENANT  audit list [-a ACTOR] [-c CHILD] [-n N] TENANT
 */
#include "config.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"
#include "cli.h"

#define CLI_ACTOR	"beratta"
#define UNITS_MAX	64

static const struct option staff_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void
cli_audit(struct audit_entry *e, const char *action)
{
	memset(e, 0, sizeof(*e));
	e->actor = CLI_ACTOR;
	e->action = action;
	e->request = "command line";
}

/* The unit ids of names: 0, or -1 having said which is unknown. */
static int
unit_ids(struct store *s, const char *cmd, char **names, size_t n,
    int64_t *ids)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (store_unit_find(s, names[i], &ids[i]) == -1)
			return -1;
		if (ids[i] == 0) {
			fprintf(stderr, "beratta %s: no unit '%s' (beratta unit "
			    "list shows them)\n", cmd, names[i]);
			return -1;
		}
	}
	return 0;
}

/* The activation link: BASE/staff/activate?t=TOKEN, BASE the -b given or
 * https:// and the tenant's first host name. */
static void
print_link(const struct tenant_conf *t, const char *base, const char *login,
    const char *token)
{
	printf("%s: activation link (valid %d hours, shown only now):\n",
	    login, ACTIVATION_HOURS);
	if (base != NULL)
		printf("%s/staff/activate?t=%s\n", base, token);
	else
		printf("https://%s/staff/activate?t=%s\n",
		    t->nhosts > 0 ? t->hosts[0] : "HOST", token);
}

static int
cmd_unit_add(struct cli *cl, int argc, char **argv)
{
	const struct tenant_conf	*t;
	struct store			*s;
	struct audit_entry		 e;
	int64_t				 id;
	int				 rc;

	if (argc != 5)
		return cli_usage("unit");
	if (!valid_unit_name(argv[3]) || !valid_unit_kind(argv[4])) {
		fprintf(stderr, "beratta unit add: a name of 1..%d bytes of "
		    "text and a kind: school, student_health, social_services, "
		    "child_psychiatry or other\n", UNIT_NAME_MAX);
		return 2;
	}
	if (cli_store(cl, "unit", argv[2], &t, &s) == -1) {
		store_close(s);
		return 1;
	}
	rc = store_unit_add(s, argv[3], argv[4], &id);
	if (rc == 0) {
		cli_audit(&e, "unit_add");
		e.unit = id;
		e.detail = argv[3];
		rc = store_audit_add(s, t->name, &e) == -1 ? -1 : 0;
	}
	store_close(s);
	if (rc == 1)
		fprintf(stderr, "beratta unit add: tenant %s has a unit '%s' "
		    "already\n", argv[2], argv[3]);
	return rc == 0 ? 0 : 1;
}

static int
cmd_unit_list(struct cli *cl, int argc, char **argv)
{
	const struct tenant_conf	*t;
	struct store			*s;
	struct arena			*a;
	struct unit_row			*v;
	size_t				 n, i;
	int				 rc = 1;

	if (argc != 3)
		return cli_usage("unit");
	if ((a = arena_new()) == NULL)
		return 1;
	if (cli_store(cl, "unit", argv[2], &t, &s) == 0 &&
	    store_units(s, a, &v, &n) == 0) {
		for (i = 0; i < n; i++)
			printf("%s\t%s\n", v[i].name, v[i].kind);
		rc = 0;
	}
	store_close(s);
	arena_free(a);
	return rc;
}

/* unit add TENANT NAME KIND | unit list TENANT */
int
cmd_unit(struct cli *cl, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		cli_help(stdout, "unit");
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return cmd_unit_add(cl, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cmd_unit_list(cl, argc, argv);
	return cli_usage("unit");
}

/* mapping close-due TENANT: closes the tenant's mapping rounds past their
 * last day (what links a slip to its answers is erased) and prints how
 * many; for a daily timer, so no round waits for a visit to close. */
int
cmd_mapping(struct cli *cl, int argc, char **argv)
{
	const struct tenant_conf	*t;
	struct store			*s;
	int				 n = -1;

	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		cli_help(stdout, "mapping");
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "close-due") != 0)
		return cli_usage("mapping");
	if (cli_store(cl, "mapping", argv[2], &t, &s) == 0 &&
	    (n = mapping_close_due(s, t->name)) >= 0)
		printf("%d mapping round%s closed\n", n, n == 1 ? "" : "s");
	store_close(s);
	return n >= 0 ? 0 : 1;
}

/* The account of a login: its id (0 having said there is none). */
static int64_t
account_of(struct store *s, const char *cmd, const char *tenant,
    const char *login)
{
	int64_t	 id = 0;

	if (store_staff_find(s, login, &id) == -1)
		return -1;
	if (id == 0)
		fprintf(stderr, "beratta %s: tenant %s has no account '%s'\n",
		    cmd, tenant, login);
	return id;
}

/*
 * staff add|demo: parses [-a] [-u UNIT]... [-b URL]; returns the index of
 * the first operand, or -1 on wrong usage.
 */
static int
staff_opts(int argc, char **argv, int *admin, char **units, size_t *nunits,
    const char **base)
{
	int	 ch;

	optind = 2;
	*admin = 0;
	*nunits = 0;
	while ((ch = getopt_long(argc, argv, "+au:b:h", staff_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			*admin = 1;
			break;
		case 'u':
			if (*nunits == UNITS_MAX)
				return -1;
			units[(*nunits)++] = optarg;
			break;
		case 'b':
			*base = optarg;
			break;
		default:
			return -1;
		}
	}
	return optind;
}

/* Creates an account: with an activation link printed (add), or for a
 * demo tenant only, with the password and TOTP seed given and its
 * recovery codes printed (demo). */
static int
cmd_staff_add(struct cli *cl, int argc, char **argv, int demo)
{
	const struct tenant_conf	*t;
	struct store			*s = NULL;
	struct audit_entry		 e;
	char				*units[UNITS_MAX];
	int64_t				 ids[UNITS_MAX], id;
	size_t				 nunits, i;
	const char			*base = NULL;
	char				 token[64], hash[SECRET_HASHBYTES];
	char				 sealed[256];
	char				 codes[RECOVERY_CODES][CODE_DISPLAY];
	unsigned char			 seed[TOTP_SEED_BYTES];
	unsigned char			 hashes[RECOVERY_CODES][CRYPTO_HASHBYTES];
	int				 admin, first, rc = 1;

	if ((first = staff_opts(argc, argv, &admin, units, &nunits, &base)) ==
	    -1 || argc - first != (demo ? 5 : 3))
		return cli_usage("staff");
	if (!valid_staff_login(argv[first + 1]) ||
	    !valid_staff_name(argv[first + 2])) {
		fprintf(stderr, "beratta staff: a login of 2..%d of a-z, 0-9, "
		    "'.', '_', '-', '@' (starting with a letter or digit) and a "
		    "name of 1..%d bytes of text\n", STAFF_LOGIN_MAX,
		    STAFF_NAME_MAX);
		return 2;
	}
	if (demo && account_totp_decode(argv[first + 4], seed) == -1) {
		fprintf(stderr, "beratta staff demo: SEED must be base32 of "
		    "%d bytes\n", TOTP_SEED_BYTES);
		return 2;
	}
	if (cli_store(cl, "staff", argv[first], &t, &s) == -1)
		goto done;
	if (demo && !t->demo) {
		fprintf(stderr, "beratta staff demo: tenant %s is not a demo "
		    "tenant (demo = true in its configuration)\n", t->name);
		goto done;
	}
	if (unit_ids(s, "staff", units, nunits, ids) == -1)
		goto done;
	cli_audit(&e, "staff_add");
	switch (account_create(s, t->name, argv[first + 1], argv[first + 2],
	    admin, ids, nunits, &e, token)) {
	case 1:
		fprintf(stderr, "beratta staff: tenant %s has an account '%s' "
		    "already\n", t->name, argv[first + 1]);
		goto done;
	case -1:
		goto done;
	}
	if (!demo) {
		print_link(t, base, argv[first + 1], token);
		rc = 0;
		goto done;
	}
	/* A demo account: activated and enrolled at once. */
	if (store_staff_find(s, argv[first + 1], &id) == -1 ||
	    secret_hash(argv[first + 3], hash) == -1 ||
	    account_totp_seal(t->name, seed, sealed, sizeof(sealed)) == -1 ||
	    store_staff_activate(s, id, hash, sealed) != 1)
		goto done;
	account_recovery_new(t->name, codes, hashes);
	cli_audit(&e, "enrol");
	e.staff = id;
	e.actor = argv[first + 1];
	if (store_staff_enrol(s, t->name, id, 0,
	    (const unsigned char (*)[CRYPTO_HASHBYTES])hashes, RECOVERY_CODES,
	    &e) != 1)
		goto done;
	printf("%s: recovery codes:", argv[first + 1]);
	for (i = 0; i < RECOVERY_CODES; i++)
		printf(" %s", codes[i]);
	printf("\n");
	rc = 0;
done:
	sodium_memzero(token, sizeof(token));
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(codes, sizeof(codes));
	sodium_memzero(hash, sizeof(hash));
	store_close(s);
	return rc == 0 && fflush(stdout) == 0 ? 0 : 1;
}

static int
cmd_staff_list(struct cli *cl, int argc, char **argv)
{
	const struct tenant_conf	*t;
	struct store			*s;
	struct arena			*a;
	struct staff_item		*v;
	size_t				 n, i;
	int				 rc = 1;

	if (argc != 3)
		return cli_usage("staff");
	if ((a = arena_new()) == NULL)
		return 1;
	if (cli_store(cl, "staff", argv[2], &t, &s) == 0 &&
	    store_staff_list(s, a, &v, &n) == 0) {
		for (i = 0; i < n; i++)
			printf("%s\t%s\t%s\t%s\t%s\n", v[i].login, v[i].name,
			    v[i].admin ? "administrator" : "-",
			    v[i].units[0] != '\0' ? v[i].units : "-",
			    v[i].disabled ? "disabled" : !v[i].active ?
			    "waiting for activation" : !v[i].enrolled ?
			    "second factor not set up" : "active");
		rc = 0;
	}
	store_close(s);
	arena_free(a);
	return rc;
}

/* staff reset|disable [-b URL] TENANT LOGIN */
static int
cmd_staff_change(struct cli *cl, int argc, char **argv, int reset)
{
	const struct tenant_conf	*t;
	struct store			*s = NULL;
	struct audit_entry		 e;
	char				*units[UNITS_MAX];
	const char			*base = NULL;
	char				 token[64];
	size_t				 nunits;
	int64_t				 id;
	int				 admin, first, rc = 1;

	if ((first = staff_opts(argc, argv, &admin, units, &nunits, &base)) ==
	    -1 || argc - first != 2 || admin || nunits > 0)
		return cli_usage("staff");
	if (cli_store(cl, "staff", argv[first], &t, &s) == -1 ||
	    (id = account_of(s, "staff", t->name, argv[first + 1])) <= 0)
		goto done;
	cli_audit(&e, reset ? "staff_reset" : "staff_disable");
	e.detail = argv[first + 1];
	if (reset) {
		if (account_reset(s, t->name, id, &e, token) != 0)
			goto done;
		print_link(t, base, argv[first + 1], token);
		sodium_memzero(token, sizeof(token));
	} else if (store_staff_disable(s, t->name, id, &e) == -1)
		goto done;
	else
		printf("%s: disabled; its sessions have ended\n",
		    argv[first + 1]);
	rc = 0;
done:
	store_close(s);
	return rc == 0 && fflush(stdout) == 0 ? 0 : 1;
}

int
cmd_staff(struct cli *cl, int argc, char **argv)
{
	const char	*sub = argc >= 2 ? argv[1] : "";

	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		cli_help(stdout, "staff");
		return 0;
	}
	if (strcmp(sub, "add") == 0)
		return cmd_staff_add(cl, argc, argv, 0);
	if (strcmp(sub, "demo") == 0)
		return cmd_staff_add(cl, argc, argv, 1);
	if (strcmp(sub, "list") == 0)
		return cmd_staff_list(cl, argc, argv);
	if (strcmp(sub, "reset") == 0)
		return cmd_staff_change(cl, argc, argv, 1);
	if (strcmp(sub, "disable") == 0)
		return cmd_staff_change(cl, argc, argv, 0);
	return cli_usage("staff");
}

static void
print_time(int64_t us)
{
	char		 out[32];
	time_t		 t = (time_t)(us / 1000000);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fputs(out, stdout);
}

/* audit verify TENANT: 0 when the chain holds, 1 naming the first row
 * that does not. */
static int
cmd_audit_verify(struct cli *cl, int argc, char **argv)
{
	const struct tenant_conf	*t;
	struct store			*s;
	const char			*why;
	int64_t				 rows, bad;
	int				 rc = 1;

	if (argc != 3)
		return cli_usage("audit");
	if (cli_store(cl, "audit", argv[2], &t, &s) == 0) {
		switch (store_audit_verify(s, t->name, &rows, &bad, &why)) {
		case 0:
			printf("audit trail of %s: %lld rows, the chain holds\n",
			    t->name, (long long)rows);
			rc = 0;
			break;
		case 1:
			printf("audit trail of %s: row %lld: %s (the %lld rows "
			    "before it hold)\n", t->name, (long long)bad, why,
			    (long long)rows);
			break;
		}
	}
	store_close(s);
	return rc == 0 && fflush(stdout) == 0 ? 0 : 1;
}

/* audit list [-a ACTOR] [-c CHILD] [-t ACTION] [-n N] TENANT: newest
 * first, tab-separated. */
static int
cmd_audit_list(struct cli *cl, int argc, char **argv)
{
	const struct tenant_conf	*t;
	struct store			*s = NULL;
	struct audit_filter		 f;
	struct audit_row		*v;
	struct arena			*a;
	size_t				 n, i;
	char				*end;
	int				 ch, rc = 1;

	memset(&f, 0, sizeof(f));
	f.max = 100;
	optind = 2;
	while ((ch = getopt_long(argc, argv, "+a:c:t:n:h", staff_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			f.actor = optarg;
			break;
		case 'c':
			f.child = optarg;
			break;
		case 't':
			f.action = optarg;
			break;
		case 'n':
			f.max = (size_t)strtoul(optarg, &end, 10);
			if (*end != '\0' || f.max < 1 || f.max > 100000)
				return cli_usage("audit");
			break;
		default:
			return cli_usage("audit");
		}
	}
	if (optind + 1 != argc || (a = arena_new()) == NULL)
		return cli_usage("audit");
	if (cli_store(cl, "audit", argv[optind], &t, &s) == 0 &&
	    store_audit_list(s, a, &f, &v, &n) == 0) {
		for (i = 0; i < n; i++) {
			printf("%lld\t", (long long)v[i].id);
			print_time(v[i].at);
			printf("\t%s\t%s\t%s\t%s\t%s\n", v[i].actor, v[i].action,
			    v[i].child != NULL ? v[i].child : "-",
			    v[i].detail != NULL ? v[i].detail : "-",
			    v[i].request != NULL ? v[i].request : "-");
		}
		rc = 0;
	}
	store_close(s);
	arena_free(a);
	return rc == 0 && fflush(stdout) == 0 ? 0 : 1;
}

int
cmd_audit(struct cli *cl, int argc, char **argv)
{
	const char	*sub = argc >= 2 ? argv[1] : "";

	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		cli_help(stdout, "audit");
		return 0;
	}
	if (strcmp(sub, "verify") == 0)
		return cmd_audit_verify(cl, argc, argv);
	if (strcmp(sub, "list") == 0)
		return cmd_audit_list(cl, argc, argv);
	return cli_usage("audit");
}
