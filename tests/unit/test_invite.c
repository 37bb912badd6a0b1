/*
 * test_invite.c: invitations (core/invite.c): the age bands and labels
 * allowed, a code made is stored only as its keyed hash, a code's state
 * as the child moves through it, locking a round and unlocking a code,
 * and an unknown code told apart from a failed database.  The store
 * works in a temporary folder; SQLite is read directly to see what the
 * store holds.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "extern.h"
#include "tap.h"

#define SEC	((int64_t)1000000)

static char	 dir[] = "/tmp/beratta-invite-XXXXXX";
static char	 path[300];

static int
exec_sql(const char *sql)
{
	sqlite3	*db;
	int	 rc;

	if (sqlite3_open(path, &db) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/* The first column of the first row of sql (an integer), or -1. */
static long long
query_int(const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st = NULL;
	long long	 v = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The state of code now, or -1 when invite_status failed. */
static int
state_of(struct store *s, const char *code, struct invite_status *st)
{
	if (invite_status(s, "demo", code, store_now(), st) == -1)
		return -1;
	return (int)st->state;
}

static void
test_valid(void)
{
	char	 big[INVITE_LABEL_MAX + 2];
	size_t	 i;

	ok(invite_age_band_count() == 4 &&
	    strcmp(invite_age_band(0), "6-9") == 0 &&
	    strcmp(invite_age_band(3), "16-18") == 0 &&
	    invite_age_band(4) == NULL,
	    "invite_age_band: four bands, youngest first, NULL past the last");
	for (i = 0; i < invite_age_band_count(); i++)
		if (!valid_age_band(invite_age_band(i)))
			break;
	ok(i == 4, "valid_age_band: every listed band");
	ok(!valid_age_band("6-8") && !valid_age_band("") &&
	    !valid_age_band("10-12 ") && !valid_age_band("19-99"),
	    "valid_age_band: anything else refused");
	memset(big, 'a', sizeof(big));
	big[INVITE_LABEL_MAX] = '\0';
	ok(valid_invite_label(big) && valid_invite_label("klass 5B, höst") &&
	    valid_invite_label(""), "valid_invite_label: UTF-8 up to 200 bytes");
	big[INVITE_LABEL_MAX] = 'a';
	big[INVITE_LABEL_MAX + 1] = '\0';
	ok(!valid_invite_label(big), "valid_invite_label: 201 bytes refused");
	ok(!valid_invite_label("klass \xff"),
	    "valid_invite_label: bytes that are not UTF-8 refused");
	ok(valid_invite_code("k7q2 m9xh 4rtp") &&
	    !valid_invite_code("K7Q2-M9XH") && !valid_invite_code("K7Q2-M9XH-4RT0"),
	    "valid_invite_code: as a child may type it, nothing else");
}

static void
test_lifecycle(void)
{
	struct store		*s = NULL;
	struct invite_status	 st;
	char			 code[CODE_DISPLAY], other[CODE_DISPLAY];
	char			 lower[CODE_DISPLAY];
	int			 failures = -1;
	size_t			 i;

	if (store_open(path, &s) == -1) {
		ok(0, "a database");
		return;
	}
	ok(invite_create(s, "demo", "class 5B", "10-12", code) == 0 &&
	    strlen(code) == CODE_DISPLAY - 1 && valid_invite_code(code),
	    "invite_create: a code to hand over (%s)", code);
	ok(query_int("SELECT count(*) FROM invitations WHERE label = 'class 5B'"
	    " AND age_band = '10-12' AND length(code_hash) = 32") == 1,
	    "invite_create: stored with its label, age band and a hash");
	{
		char	 sql[300];

		/* The twelve symbols without the dashes, in any column. */
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM invitations "
		    "WHERE instr(CAST(code_hash AS TEXT) || coalesce(label, '')"
		    " || coalesce(age_band, ''), '%.4s%.4s%.4s') > 0",
		    code, code + 5, code + 10);
		ok(query_int(sql) == 0,
		    "invite_create: the code itself is not stored");
	}
	ok(invite_create(s, "demo", NULL, "5-7", other) == -1 &&
	    other[0] == '\0' && invite_create(s, "demo", "\xff", NULL, other) == -1,
	    "invite_create: a bad age band or label refused, no code given");
	ok(invite_create(s, "demo", NULL, NULL, other) == 0 &&
	    strcmp(code, other) != 0, "invite_create: another code each time");

	ok(state_of(s, code, &st) == INVITE_UNUSED && st.failures == 0 &&
	    st.locked_until == 0, "invite_status: a new code is unused");
	for (i = 0; i < sizeof(lower) && code[i] != '\0'; i++)
		lower[i] = code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 :
		    code[i] == '-' ? ' ' : code[i];
	lower[i] = '\0';
	ok(state_of(s, lower, &st) == INVITE_UNUSED,
	    "invite_status: the code typed in lower case with spaces");
	ok(state_of(s, "AAAA-BBBB-CCCC", &st) == INVITE_NONE,
	    "invite_status: an unknown code is no code, not a failure");
	ok(state_of(s, "not a code", &st) == INVITE_NONE,
	    "invite_status: something that is no code is no code either");
	ok(invite_lock(s, "other", code, 0) == INVITE_NO_CODE &&
	    state_of(s, code, &st) == INVITE_UNUSED,
	    "invite_lock: a code of another tenant is not found");

	ok(invite_lock(s, "demo", code, 0) == INVITE_NO_ROUND,
	    "invite_lock: a child who has not started has no round to lock");
	exec_sql("UPDATE invitations SET secret_hash = '$argon2id$x'"
	    " WHERE label = 'class 5B'");
	ok(state_of(s, code, &st) == INVITE_NOT_STARTED,
	    "invite_status: a secret chosen, nothing answered: not started");
	exec_sql("INSERT INTO responses (invitation_id, set_version, started_at)"
	    " SELECT id, 'v1', 1 FROM invitations WHERE label = 'class 5B'");
	ok(state_of(s, code, &st) == INVITE_ANSWERING,
	    "invite_status: a round begun: answering");
	exec_sql("UPDATE responses SET finished_at = 2");
	ok(state_of(s, code, &st) == INVITE_FINISHED,
	    "invite_status: finished");
	ok(invite_lock(s, "demo", lower, 0) == INVITE_DONE &&
	    state_of(s, code, &st) == INVITE_ROUND_LOCKED,
	    "invite_lock: the round is locked");
	ok(invite_lock(s, "demo", code, 1) == INVITE_DONE &&
	    state_of(s, code, &st) == INVITE_FINISHED,
	    "invite_lock: reopened, it is finished again");

	exec_sql("INSERT INTO login_failures SELECT code_hash, 5, "
	    "9000000000000000 FROM invitations WHERE label = 'class 5B'");
	ok(state_of(s, code, &st) == INVITE_LOCKED_OUT && st.failures == 5 &&
	    st.locked_until == 9000000000000000LL,
	    "invite_status: too many wrong tries: locked out, and until when");
	exec_sql("UPDATE login_failures SET locked_until = 1");
	ok(state_of(s, code, &st) == INVITE_FINISHED && st.failures == 5 &&
	    st.locked_until == 0,
	    "invite_status: a lock that ran out is no lock (the tries count)");
	ok(invite_unlock(s, "demo", code, &failures) == INVITE_DONE &&
	    failures == 5 && query_int("SELECT count(*) FROM login_failures") == 0,
	    "invite_unlock: the wrong tries forgotten, and how many");
	ok(query_int("SELECT count(*) FROM invitations WHERE label = 'class 5B'"
	    " AND secret_hash IS NOT NULL") == 1,
	    "invite_unlock: the child's secret is kept");
	ok(invite_unlock(s, "demo", "AAAA-BBBB-CCCC", &failures) ==
	    INVITE_NO_CODE, "invite_unlock: an unknown code is not found");

	/* A database that cannot answer is a failure, not an unknown code. */
	store_close(s);
	s = NULL;
	exec_sql("PRAGMA foreign_keys = OFF; DROP TABLE sessions;"
	    " DROP TABLE answers; DROP TABLE responses; DROP TABLE invitations;");
	if (store_open(path, &s) == -1) {
		ok(0, "the database opens again");
		return;
	}
	ok(invite_status(s, "demo", code, store_now(), &st) == -1,
	    "invite_status: a failed query is -1");
	ok(invite_lock(s, "demo", code, 0) == INVITE_FAILED &&
	    invite_unlock(s, "demo", code, &failures) == INVITE_FAILED,
	    "invite_lock, invite_unlock: a failed query is INVITE_FAILED");
	ok(invite_create(s, "demo", NULL, NULL, other) == -1 && other[0] == '\0',
	    "invite_create: a failed insert gives no code");
	store_close(s);
}

int
main(void)
{
	unsigned char	 key[CRYPTO_KEYBYTES];
	char		 p[350];

	if (sodium_init() == -1 || mkdtemp(dir) == NULL) {
		ok(0, "libsodium and a temporary folder");
		return tap_done();
	}
	memset(key, 7, sizeof(key));
	crypto_set_key(key);
	snprintf(path, sizeof(path), "%s/demo.db", dir);
	test_valid();
	test_lifecycle();
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s.lock", path);
	unlink(p);
	rmdir(dir);
	return tap_done();
}
