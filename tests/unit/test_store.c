/*
 * test_store.c: the tenant database: migrations from an older schema,
 * refusal of a newer one, invitations, sessions and the answer history
 * (a changed answer keeps the old row).  Each test works in its own
 * temporary folder; SQLite is read directly to see what the store wrote.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "extern.h"
#include "tap.h"

#define SEC	((int64_t)1000000)

static char	 dir[] = "/tmp/beratta-store-XXXXXX";

/* A database path in the temporary folder. */
static const char *
db_path(const char *name)
{
	static char	 path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void
db_remove(const char *name)
{
	char	 path[300];

	unlink(db_path(name));
	snprintf(path, sizeof(path), "%s-wal", db_path(name));
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", db_path(name));
	unlink(path);
}

/* The first column of the first row of sql (an integer), or -1. */
static long long
query_int(const char *path, const char *sql)
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

/* The first column of the first row of sql as text into out. */
static int
query_text(const char *path, const char *sql, char *out, size_t outlen)
{
	sqlite3		*db;
	sqlite3_stmt	*st = NULL;
	int		 rc = -1;

	out[0] = '\0';
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0) != NULL) {
		snprintf(out, outlen, "%s",
		    (const char *)sqlite3_column_text(st, 0));
		rc = 0;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

static int
exec_sql(const char *path, const char *sql)
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

static void
fill(unsigned char h[CRYPTO_HASHBYTES], int c)
{
	memset(h, c, CRYPTO_HASHBYTES);
}

/* Version 7: an invitation of a unit made before becomes a child of
 * the unit with its first round. */
static void
test_migrate_children(void)
{
	struct store	*s = NULL;
	const char	*path = db_path("migrate6.db");

	ok(store_open_at(path, 6, &s) == 0 && s != NULL,
	    "store_open_at: creates a database at schema version 6");
	if (s == NULL)
		return;
	store_close(s);
	ok(exec_sql(path, "INSERT INTO units (name, kind, created_at)"
	    " VALUES ('Skola', 'school', 1);"
	    "INSERT INTO invitations (code_hash, label, created_at, unit_id)"
	    " VALUES (x'01', 'Kim', 5, 1), (x'02', NULL, 6, NULL)") == 0,
	    "invitations written at version 6, one in a unit");
	s = NULL;
	ok(store_open(path, &s) == 0 && store_version(s) == 9,
	    "store_open: migrates version 6 to the newest, 9");
	store_close(s);
	ok(query_int(path, "SELECT count(*) FROM children WHERE unit_id = 1"
	    " AND pseudonym = 'Kim' AND created_at = 5") == 1,
	    "schema 7: the invitation of the unit is a child of it");
	ok(query_int(path, "SELECT count(*) FROM invitations WHERE label = 'Kim'"
	    " AND child_id = (SELECT id FROM children) AND round = 1") == 1,
	    "schema 7: ... whose first round it is");
	ok(query_int(path, "SELECT count(*) FROM invitations"
	    " WHERE child_id IS NULL AND round IS NULL") == 1,
	    "schema 7: the invitation of no unit stays no child's");
}

/* Version 9: a round closed before it has its counts summed over its
 * groups, as closing makes them now. */
static void
test_migrate_totals(void)
{
	struct store	*s = NULL;
	const char	*path = db_path("migrate8.db");

	ok(store_open_at(path, 8, &s) == 0 && s != NULL,
	    "store_open_at: creates a database at schema version 8");
	if (s == NULL)
		return;
	store_close(s);
	ok(exec_sql(path, "INSERT INTO units (name, kind, created_at)"
	    " VALUES ('Skola', 'school', 1);"
	    "INSERT INTO mapping_rounds (unit_id, name, opens, closes,"
	    " closed_at, created_at) VALUES (1, 'Stängd', '2025-01-01',"
	    " '2025-06-01', 9, 1), (1, 'Öppen', '2026-01-01', '2099-01-01',"
	    " NULL, 1);"
	    "INSERT INTO mapping_groups (round_id, name, expected) VALUES"
	    " (1, 'A', 20), (1, 'B', 20), (2, 'C', 20);"
	    "INSERT INTO mapping_counts VALUES (1, '', 'respondents', 12),"
	    " (2, '', 'respondents', 11), (1, 'q', 'yes', 7), (2, 'q', 'yes', 4),"
	    " (2, 'q', 'no', 0), (3, '', 'respondents', 5)") == 0,
	    "a closed round and an open one written at version 8");
	s = NULL;
	ok(store_open(path, &s) == 0 && store_version(s) == 9,
	    "store_open: migrates version 8 to 9");
	store_close(s);
	ok(query_int(path, "SELECT n FROM mapping_round_counts WHERE round_id = 1"
	    " AND question = '' AND value = 'respondents'") == 23 &&
	    query_int(path, "SELECT n FROM mapping_round_counts WHERE"
	    " round_id = 1 AND question = 'q' AND value = 'yes'") == 11,
	    "schema 9: the closed round's counts summed over its groups");
	ok(query_int(path, "SELECT count(*) FROM mapping_round_counts WHERE"
	    " round_id = 2 OR value = 'no'") == 0,
	    "schema 9: none for an open round, no empty count");
}

static void
test_migrate(void)
{
	struct store	*s = NULL;
	unsigned char	 h[CRYPTO_HASHBYTES], other[CRYPTO_HASHBYTES];
	int64_t		 id = 0, found = 0;
	const char	*path = db_path("migrate.db");
	char		 mode[32];

	fill(h, 0xab);
	fill(other, 0xcd);
	ok(store_open_at(path, 1, &s) == 0 && s != NULL,
	    "store_open_at: creates a database at schema version 1");
	if (s == NULL)
		return;
	ok(store_version(s) == 1, "store_version: 1 after store_open_at(1)");
	store_close(s);
	/* Rows as a version-1 program wrote them. */
	ok(exec_sql(path, "INSERT INTO invitations (code_hash, label, created_at)"
	    " VALUES (x'abababababababababababababababababababababababababababababababab',"
	    " 'class 4b', 1)") == 0,
	    "an invitation written at version 1");
	id = query_int(path, "SELECT id FROM invitations");
	ok(query_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'sessions'") == 0,
	    "schema 1: no sessions table yet");

	s = NULL;
	ok(store_open(path, &s) == 0 && s != NULL,
	    "store_open: opens the version 1 database");
	if (s == NULL)
		return;
	ok(store_version(s) == 9, "store_open: migrates it to version 9");
	ok(store_invite_find(s, h, &found) == 0 && found == id,
	    "store_invite_find: the invitation survives the migration");
	ok(store_invite_add(s, h, NULL, NULL, NULL) == -1,
	    "store_invite_add: the same code hash twice refused");
	ok(store_invite_find(s, other, &found) == 0 && found == 0,
	    "store_invite_find: an unknown hash is 0 with id 0, not a failure");
	store_close(s);
	ok(query_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'sessions'") == 1,
	    "schema 2: the sessions table exists");
	ok(query_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'set_versions'") == 1,
	    "schema 3: the set_versions table exists");
	ok(query_int(path, "SELECT count(*) FROM pragma_table_info('answers') "
	    "WHERE name = 'set_version'") == 1,
	    "schema 3: answers record their set version");
	ok(query_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'login_failures'") == 1,
	    "schema 4: failed logins are counted per code");
	ok(query_int(path, "SELECT count(*) FROM children") == 0,
	    "schema 7: an invitation of no unit becomes no child");
	ok(query_int(path, "SELECT count(*) FROM sqlite_master "
	    "WHERE name IN ('alerts', 'slip_batches')") == 2,
	    "schema 7: alerts and sealed slips have their tables");
	ok(query_text(path, "PRAGMA journal_mode", mode, sizeof(mode)) == 0 &&
	    strcmp(mode, "wal") == 0,
	    "store_open: the database is in WAL mode (seen from another "
	    "connection: %s)", mode);

	s = NULL;
	ok(store_open(path, &s) == 0 && store_version(s) == 9,
	    "store_open: opening again is a no-op at version 9");
	ok(store_invite_find(s, h, &found) == 0 && found == id,
	    "store_open: the invitation is still there after reopening");
	store_close(s);
	ok(query_int(path, "SELECT count(*) FROM invitations") == 1,
	    "store_open: reopening adds or drops no rows");

	ok(exec_sql(path, "PRAGMA user_version = 99") == 0,
	    "a newer schema version written with sqlite3");
	s = NULL;
	ok(store_open(path, &s) == -1 && s == NULL,
	    "store_open: a schema newer than the program is refused");
	ok(query_int(path, "PRAGMA user_version") == 99,
	    "store_open: a refused database is left untouched");

	db_remove("migrate.db");
	s = NULL;
	ok(store_open(db_path("nosuch/x.db"), &s) == -1 && s == NULL,
	    "store_open: a database in a missing folder is refused");
}

static void
test_answers(void)
{
	struct store	*s = NULL;
	struct arena	*a;
	struct answer	*v = NULL;
	unsigned char	 h[CRYPTO_HASHBYTES];
	int64_t		 inv = 0, inv2 = 0, r1 = 0, r2 = 0, r3 = 0;
	size_t		 n = 0;
	const char	*path = db_path("answers.db");

	if ((a = arena_new()) == NULL)
		return;
	fill(h, 1);
	if (store_open(path, &s) == -1 ||
	    store_invite_add(s, h, "a", NULL, &inv) == -1) {
		ok(0, "a database with one invitation");
		store_close(s);
		arena_free(a);
		return;
	}
	fill(h, 2);
	store_invite_add(s, h, "b", "10-12", &inv2);

	ok(store_response_open(s, inv, "v1", 1000 * SEC, &r1) == 0 && r1 > 0,
	    "store_response_open: starts a response");
	ok(store_response_open(s, inv, "v2", 2000 * SEC, &r2) == 0 && r2 == r1,
	    "store_response_open: the same invitation gets the same response");
	ok(store_response_open(s, inv2, "v1", 2000 * SEC, &r3) == 0 && r3 != r1,
	    "store_response_open: another invitation gets its own response");
	ok(query_int(path, "SELECT count(*) FROM responses "
	    "WHERE set_version = 'v1'") == 2,
	    "store_response_open: the version is the one it started with");

	ok(store_answer_put(s, r1, "home_feel", "o:good", "v1", 1001 * SEC) == 0,
	    "store_answer_put: a first answer");
	ok(store_answer_put(s, r1, "home_feel", "o:bad", "v1", 1002 * SEC) == 0,
	    "store_answer_put: a changed answer");
	ok(store_answer_put(s, r1, "home_adult", "o:yes", "v1", 1003 * SEC) == 0,
	    "store_answer_put: an answer to another question");
	ok(store_answer_put(s, r3, "home_feel", "o:ok", "v1", 1004 * SEC) == 0,
	    "store_answer_put: an answer of another response");
	ok(store_answers(s, a, r1, &v, &n) == 0 && n == 2 &&
	    strcmp(v[0].question, "home_feel") == 0 &&
	    strcmp(v[0].value, "o:bad") == 0 && v[0].at == 1002 * SEC &&
	    strcmp(v[1].question, "home_adult") == 0 &&
	    strcmp(v[1].value, "o:yes") == 0,
	    "store_answers: only the latest answer of each question, oldest "
	    "first");
	ok(query_int(path, "SELECT count(*) FROM answers WHERE response_id = "
	    "1 AND question = 'home_feel'") == 2,
	    "store_answer_put: the old row is kept (2 rows)");
	ok(query_int(path, "SELECT replaced_at FROM answers WHERE value = "
	    "'o:good'") == 1002 * SEC &&
	    query_int(path, "SELECT count(*) FROM answers WHERE value = "
	    "'o:bad' AND replaced_at IS NULL") == 1,
	    "store_answer_put: the old row is marked replaced, the new not");
	ok(store_answer_put(s, r1, "home_feel", "o:bad", "v1", 1005 * SEC) == 0 &&
	    query_int(path, "SELECT count(*) FROM answers WHERE question = "
	    "'home_feel' AND response_id = 1") == 2 &&
	    query_int(path, "SELECT answered_at FROM answers WHERE value = "
	    "'o:bad'") == 1002 * SEC,
	    "store_answer_put: the same value again adds no row");
	ok(store_answers(s, a, r3, &v, &n) == 0 && n == 1 &&
	    strcmp(v[0].value, "o:ok") == 0,
	    "store_answers: a response sees only its own answers");
	ok(store_answers(s, a, 9999, &v, &n) == 0 && n == 0,
	    "store_answers: an unknown response has none");
	ok(store_answer_put(s, 9999, "home_feel", "o:ok", "v1", 1006 * SEC) == -1,
	    "store_answer_put: an unknown response refused (foreign key)");
	ok(store_answer_put(s, r1, "home_adult", "o:no", "v1", 1007 * SEC) == 0,
	    "store_answer_put: works again after a refused put");
	{
		char	 band[16];

		ok(store_invite_age(s, inv2, band, sizeof(band)) == 0 &&
		    strcmp(band, "10-12") == 0,
		    "store_invite_age: the age band given at invitation");
		ok(store_invite_age(s, inv, band, sizeof(band)) == 0 &&
		    band[0] == '\0', "store_invite_age: none given, empty");
		ok(store_version_put(s, "v1", "return {1}") == 0 &&
		    store_version_put(s, "v1", "return {2}") == 0,
		    "store_version_put: a version is kept once");
		const char	*canon = NULL;

		ok(store_version_get(s, a, "v1", &canon) == 0 &&
		    canon != NULL && strcmp(canon, "return {1}") == 0,
		    "store_version_get: the first canonical form is kept");
		ok(store_version_get(s, a, "v9", &canon) == 0 && canon == NULL,
		    "store_version_get: an unknown version is 0 and NULL, "
		    "not a failure");
	}

	ok(store_response_finished(s, r1) == 0,
	    "store_response_finished: 0 before the end");
	ok(store_response_finish(s, r1, 1100 * SEC) == 0 &&
	    store_response_finished(s, r1) == 1,
	    "store_response_finish: the response is finished");
	ok(store_response_finish(s, r1, 1200 * SEC) == 0 &&
	    query_int(path, "SELECT finished_at FROM responses WHERE id = 1") ==
	    1100 * SEC, "store_response_finish: the first end time is kept");
	ok(store_response_finished(s, 9999) == -1,
	    "store_response_finished: -1 for an unknown response");
	{
		int64_t	 resp = -1;
		int	 fin = -1, lck = -1;

		ok(store_invite_round(s, inv, &resp, &fin, &lck) == 0 &&
		    resp == r1 && fin == 1 && lck == 0,
		    "store_invite_round: the response, finished, not locked");
		ok(store_round_lock(s, inv2, 1300 * SEC) == 1 &&
		    store_invite_round(s, inv2, &resp, &fin, &lck) == 0 &&
		    resp == r3 && fin == 0 && lck == 1,
		    "store_invite_round: a locked round, not finished");
		ok(store_invite_round(s, 9999, &resp, &fin, &lck) == 0 &&
		    resp == 0 && fin == 0 && lck == 0,
		    "store_invite_round: no response yet is 0, not a failure");
	}
	store_close(s);
	arena_free(a);
	db_remove("answers.db");
}

static void
test_sessions(void)
{
	struct store	*s = NULL;
	unsigned char	 code[CRYPTO_HASHBYTES], tok[CRYPTO_HASHBYTES];
	unsigned char	 other[CRYPTO_HASHBYTES];
	int64_t		 inv = 0, got = 0, t0 = 5000 * SEC;
	char		 csrf[64];
	const char	*path = db_path("sessions.db");

	fill(code, 7);
	fill(tok, 8);
	fill(other, 9);
	if (store_open(path, &s) == -1 ||
	    store_invite_add(s, code, NULL, NULL, &inv) == -1) {
		ok(0, "a database with one invitation");
		store_close(s);
		return;
	}
	ok(store_session_add(s, tok, inv, "csrf-token", t0) == 0,
	    "store_session_add: a session");
	ok(store_session_add(s, tok, inv, "again", t0) == -1,
	    "store_session_add: the same token hash twice refused");
	ok(store_session_add(s, other, 9999, "x", t0) == -1,
	    "store_session_add: an unknown invitation refused (foreign key)");
	ok(store_session_find(s, tok, t0 + 10 * SEC, 1800, &got, csrf,
	    sizeof(csrf)) == 0 && got == inv && strcmp(csrf, "csrf-token") == 0,
	    "store_session_find: found within idle, with invitation and CSRF");
	ok(store_session_find(s, other, t0, 1800, &got, csrf,
	    sizeof(csrf)) == 0 && got == 0,
	    "store_session_find: unknown token not found (0, no invitation)");
	ok(store_session_find(s, tok, t0 + 1801 * SEC, 1800, &got, csrf,
	    sizeof(csrf)) == 0 && got == 0,
	    "store_session_find: not found after idle seconds");
	/* Being seen at +1000 s moves the idle window. */
	ok(store_session_find(s, tok, t0 + 1000 * SEC, 1800, &got, csrf,
	    sizeof(csrf)) == 0 &&
	    store_session_find(s, tok, t0 + 2500 * SEC, 1800, &got, csrf,
	    sizeof(csrf)) == 0,
	    "store_session_find: a found session's idle time restarts");
	ok(store_session_end(s, tok) == 0 &&
	    store_session_find(s, tok, t0 + 2501 * SEC, 1800, &got, csrf,
	    sizeof(csrf)) == 0 && got == 0,
	    "store_session_end: the session is gone");
	ok(store_session_end(s, tok) == 0,
	    "store_session_end: ending a missing session is not an error");
	store_close(s);
	db_remove("sessions.db");
}

int
main(void)
{
	int64_t	 t;

	if (mkdtemp(dir) == NULL) {
		ok(0, "a temporary folder");
		return tap_done();
	}
	test_migrate();
	test_migrate_children();
	test_migrate_totals();
	test_answers();
	test_sessions();
	t = store_now();
	ok(t > (int64_t)1600000000 * SEC, "store_now: microseconds since 1970");
	store_close(NULL);
	rmdir(dir);
	return tap_done();
}
