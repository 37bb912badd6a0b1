/*
 * cmd_admin.c: the commands over invitations: invite, lock, unlock and
 * status.  Each is a thin wrapper over invite.c: it parses its arguments,
 * opens the tenant's store through main.c and prints what invite.c
 * answers.  A failed database was logged where it failed (the store,
 * invite.c); the message here adds which command and tenant, and is never
 * the one for a code that does not exist.
 */
#include "config.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "extern.h"
#include "cli.h"

#define INVITE_COUNT_MAX	10000	/* codes per run of invite */

static const struct option admin_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* The state of a code in the words status prints. */
static const char *const admin_state_words[] = {
	[INVITE_NONE] = "no such code",
	[INVITE_UNUSED] = "unused",
	[INVITE_NOT_STARTED] = "not started",
	[INVITE_ANSWERING] = "answering",
	[INVITE_FINISHED] = "finished",
	[INVITE_ROUND_LOCKED] = "locked round",
	[INVITE_LOCKED_OUT] = "locked out",
};

/* The age bands from invite.c's table as "a, b, c" + last + "d". */
static void
admin_age_bands(char *out, size_t outlen, const char *last)
{
	size_t	 i, n = invite_age_band_count(), len = 0;

	out[0] = '\0';
	for (i = 0; i < n && len < outlen; i++)
		len += (size_t)snprintf(out + len, outlen - len, "%s%s",
		    i == 0 ? "" : i + 1 == n ? last : ", ", invite_age_band(i));
}

/* The second line of invite's help: the age bands, from their table. */
void
cmd_invite_help(FILE *f)
{
	char	 bands[128];

	admin_age_bands(bands, sizeof(bands), ", ");
	fprintf(f, "      AGE_BAND (%s) selects age-fitting questions\n", bands);
}

/* The message for a store that failed under cmd. */
static int
admin_failed(const char *cmd, const char *tenant)
{
	fprintf(stderr, "beratta %s: the database of tenant %s failed (see "
	    "the error above)\n", cmd, tenant);
	return 1;
}

/*
 * invite [-n COUNT] [-l LABEL] [-a AGE_BAND] TENANT: prints each code as
 * it is stored; only its keyed hash is kept, so this output is the only
 * copy.
 */
int
cmd_invite(struct cli *cl, int argc, char **argv)
{
	const struct tenant_conf	*t;
	struct store			*s;
	char				 code[CODE_DISPLAY], bands[128];
	const char			*label = NULL, *age = NULL;
	const char			*unit_name = NULL;
	struct audit_entry		 e;
	int64_t				 unit = 0;
	long				 n = 1, i;
	int				 ch;
	char				*end;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "a:n:l:u:h", admin_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'u':
			unit_name = optarg;
			break;
		case 'a':
			age = optarg;
			if (!valid_age_band(age)) {
				admin_age_bands(bands, sizeof(bands), " or ");
				fprintf(stderr, "beratta invite: -a takes an age "
				    "band: %s\n", bands);
				return 2;
			}
			break;
		case 'n':
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 1 || n > INVITE_COUNT_MAX) {
				fprintf(stderr, "beratta invite: -n takes 1..%d\n",
				    INVITE_COUNT_MAX);
				return 2;
			}
			break;
		case 'l':
			label = optarg;
			if (!valid_invite_label(label)) {
				fprintf(stderr, "beratta invite: the label must be "
				    "UTF-8 of at most %d bytes\n", INVITE_LABEL_MAX);
				return 2;
			}
			break;
		case 'h':
			cli_help(stdout, "invite");
			return 0;
		default:
			return cli_usage("invite");
		}
	}
	if (optind + 1 != argc)
		return cli_usage("invite");
	if (cli_store(cl, "invite", argv[optind], &t, &s) == -1) {
		store_close(s);
		return 1;
	}
	if (unit_name != NULL && (store_unit_find(s, unit_name, &unit) == -1 ||
	    unit == 0)) {
		fprintf(stderr, "beratta invite: tenant %s has no unit '%s'\n",
		    t->name, unit_name);
		store_close(s);
		return 1;
	}
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		e.actor = "beratta";
		e.action = "invite";
		e.request = "command line";
		e.unit = unit;
		e.child = label;
		if (invite_create_in(s, t->name, label, age, unit, &e,
		    code) == -1) {
			fprintf(stderr, "beratta invite: stopped after %ld of "
			    "%ld codes (see the error above)\n", i, n);
			store_close(s);
			return 1;
		}
		printf("%s\n", code);
		sodium_memzero(code, sizeof(code));
	}
	store_close(s);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* lock [-r] TENANT CODE: locks (or reopens) the round of a code. */
int
cmd_lock(struct cli *cl, int argc, char **argv)
{
	const struct tenant_conf	*t;
	struct store			*s;
	const char			*code;
	int				 reopen = 0, ch, rc = 1;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "rh", admin_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r':
			reopen = 1;
			break;
		case 'h':
			cli_help(stdout, "lock");
			return 0;
		default:
			return cli_usage("lock");
		}
	}
	if (argc - optind != 2)
		return cli_usage("lock");
	code = argv[optind + 1];
	if (!valid_invite_code(code)) {
		fprintf(stderr, "beratta lock: '%s' is not a code\n", code);
		return 2;
	}
	if (cli_store(cl, "lock", argv[optind], &t, &s) == -1) {
		store_close(s);
		return 1;
	}
	switch (invite_lock(s, t->name, code, reopen)) {
	case INVITE_DONE:
		printf("%s: %s\n", code, reopen ? "reopened" : "locked");
		rc = 0;
		break;
	case INVITE_NO_CODE:
		fprintf(stderr, "beratta lock: no such code in tenant %s\n",
		    t->name);
		break;
	case INVITE_NO_ROUND:
		fprintf(stderr, "beratta lock: %s has not started answering\n",
		    code);
		break;
	case INVITE_FAILED:
		admin_failed("lock", t->name);
		break;
	}
	store_close(s);
	return rc;
}

/* unlock TENANT CODE: forgets the failed logins of a code. */
int
cmd_unlock(struct cli *cl, int argc, char **argv)
{
	const struct tenant_conf	*t;
	struct store			*s;
	const char			*code;
	int				 failures, ch, rc = 1;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", admin_longopts,
	    NULL)) != -1) {
		if (ch != 'h')
			return cli_usage("unlock");
		cli_help(stdout, "unlock");
		return 0;
	}
	if (argc - optind != 2)
		return cli_usage("unlock");
	code = argv[optind + 1];
	if (!valid_invite_code(code)) {
		fprintf(stderr, "beratta unlock: '%s' is not a code "
		    "(12 letters and digits)\n", code);
		return 2;
	}
	if (cli_store(cl, "unlock", argv[optind], &t, &s) == -1) {
		store_close(s);
		return 1;
	}
	switch (invite_unlock(s, t->name, code, &failures)) {
	case INVITE_DONE:
		printf("%s: unlocked (%d failed tries forgotten)\n", code,
		    failures);
		rc = 0;
		break;
	case INVITE_NO_CODE:
	case INVITE_NO_ROUND:
		fprintf(stderr, "beratta unlock: no such code in tenant %s\n",
		    t->name);
		break;
	case INVITE_FAILED:
		admin_failed("unlock", t->name);
		break;
	}
	store_close(s);
	return rc;
}

/* Prints "CODE  STATE" for one code, the code as it is handed out. */
static void
admin_status_line(const char *code, const struct invite_status *st)
{
	char		 norm[CODE_CHARS + 1], shown[CODE_DISPLAY], when[64];
	struct tm	 tm;
	time_t		 sec;

	if (code_normalize(code, norm) == 0)
		code_format(norm, shown);
	else
		snprintf(shown, sizeof(shown), "?");
	sodium_memzero(norm, sizeof(norm));
	if (st->state != INVITE_LOCKED_OUT)
		printf("%s  %s\n", shown, admin_state_words[st->state]);
	else if (st->locked_until == INT64_MAX)
		printf("%s  locked out until beratta unlock (%d wrong tries)\n",
		    shown, st->failures);
	else {
		sec = (time_t)(st->locked_until / 1000000);
		if (localtime_r(&sec, &tm) == NULL ||
		    strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm) == 0)
			snprintf(when, sizeof(when), "?");
		printf("%s  locked out until %s (%d wrong tries)\n", shown, when,
		    st->failures);
	}
	sodium_memzero(shown, sizeof(shown));
}

/*
 * status TENANT CODE...: one line per code, in the order given.  Exits 0
 * when every code was found, 1 when one was not or the database failed.
 */
int
cmd_status(struct cli *cl, int argc, char **argv)
{
	const struct tenant_conf	*t;
	struct store			*s;
	struct invite_status		 st;
	int64_t				 now = store_now();
	int				 i, ch, rc = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", admin_longopts,
	    NULL)) != -1) {
		if (ch != 'h')
			return cli_usage("status");
		cli_help(stdout, "status");
		return 0;
	}
	if (argc - optind < 2)
		return cli_usage("status");
	for (i = optind + 1; i < argc; i++)
		if (!valid_invite_code(argv[i])) {
			fprintf(stderr, "beratta status: '%s' is not a code "
			    "(12 letters and digits)\n", argv[i]);
			return 2;
		}
	if (cli_store(cl, "status", argv[optind], &t, &s) == -1) {
		store_close(s);
		return 1;
	}
	for (i = optind + 1; i < argc; i++) {
		if (invite_status(s, t->name, argv[i], now, &st) == -1) {
			rc = admin_failed("status", t->name);
			break;
		}
		admin_status_line(argv[i], &st);
		if (st.state == INVITE_NONE)
			rc = 1;
	}
	store_close(s);
	return fflush(stdout) == 0 ? rc : 1;
}
