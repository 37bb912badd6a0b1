/*
 * store.c: the tenant's SQLite database.  All SQL of the core is in the two
 * tables below: numbered migrations, applied at open, and the prepared
 * statements, kept for the life of the connection.  WAL, synchronous=FULL:
 * an answer whose transaction committed survives a crash of the worker or
 * of the machine.  A changed answer never overwrites: the old row is marked
 * replaced and kept.  The caller serialises use of one struct store.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "extern.h"

static const char *const store_migrations[] = {
	/* 1: invitations, responses and their answers, with history. */
	"CREATE TABLE invitations ("
	"  id INTEGER PRIMARY KEY,"
	"  code_hash BLOB NOT NULL UNIQUE,"
	"  label TEXT,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE responses ("
	"  id INTEGER PRIMARY KEY,"
	"  invitation_id INTEGER NOT NULL REFERENCES invitations(id),"
	"  set_version TEXT NOT NULL,"
	"  started_at INTEGER NOT NULL,"
	"  finished_at INTEGER);"
	"CREATE UNIQUE INDEX responses_invitation ON responses(invitation_id);"
	"CREATE TABLE answers ("
	"  id INTEGER PRIMARY KEY,"
	"  response_id INTEGER NOT NULL REFERENCES responses(id),"
	"  question TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  answered_at INTEGER NOT NULL,"
	"  replaced_at INTEGER);"
	"CREATE INDEX answers_current ON answers(response_id, question)"
	"  WHERE replaced_at IS NULL;",
	/* 2: sessions, stored by the hash of their token. */
	"CREATE TABLE sessions ("
	"  token_hash BLOB PRIMARY KEY,"
	"  invitation_id INTEGER NOT NULL REFERENCES invitations(id),"
	"  csrf TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  seen_at INTEGER NOT NULL) WITHOUT ROWID;",
	/* 3: the canonical form of every question-set version answered
	 * under, the version of each answer, an invitation's age band. */
	"CREATE TABLE set_versions ("
	"  version TEXT PRIMARY KEY,"
	"  canonical TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL) WITHOUT ROWID;"
	"ALTER TABLE answers ADD COLUMN set_version TEXT;"
	"ALTER TABLE invitations ADD COLUMN age_band TEXT;",
	/* 4: the child's secret (argon2id) and language, failed logins per
	 * code hash (also for codes that do not exist, so that a wrong code
	 * and a wrong secret look the same), a round's lock. */
	"ALTER TABLE invitations ADD COLUMN secret_hash TEXT;"
	"ALTER TABLE invitations ADD COLUMN lang TEXT;"
	"CREATE TABLE login_failures ("
	"  code_hash BLOB PRIMARY KEY,"
	"  failures INTEGER NOT NULL,"
	"  locked_until INTEGER NOT NULL) WITHOUT ROWID;"
	"ALTER TABLE responses ADD COLUMN locked_at INTEGER;",
	/* 5: a response's answers counted as they change (gen), and the
	 * state of the child's next page (flow, from the question set) with
	 * the gen and set version it holds for. */
	"ALTER TABLE responses ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE responses ADD COLUMN flow TEXT;"
	"ALTER TABLE responses ADD COLUMN flow_gen INTEGER;"
	"ALTER TABLE responses ADD COLUMN flow_version TEXT;"
	"UPDATE responses SET gen = (SELECT count(*) FROM answers"
	"  WHERE answers.response_id = responses.id);",
};
#define STORE_VERSION ((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

enum stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_INVITE_ADD,
	STMT_INVITE_FIND,
	STMT_SESSION_ADD,
	STMT_SESSION_FIND,
	STMT_SESSION_TOUCH,
	STMT_SESSION_END,
	STMT_SESSION_EXPIRE,
	STMT_RESPONSE_FIND,
	STMT_RESPONSE_ADD,
	STMT_RESPONSE_FINISH,
	STMT_RESPONSE_FINISHED,
	STMT_RESPONSE_LOCK,
	STMT_RESPONSE_STATE,
	STMT_RESPONSE_GEN,
	STMT_RESPONSE_FLOW,
	STMT_ANSWER_CURRENT,
	STMT_ANSWER_REPLACE,
	STMT_ANSWER_ADD,
	STMT_ANSWERS,
	STMT_INVITE_AGE,
	STMT_VERSION_PUT,
	STMT_VERSION_GET,
	STMT_SECRET_GET,
	STMT_SECRET_SET,
	STMT_LANG_GET,
	STMT_LANG_SET,
	STMT_FAILURE_GET,
	STMT_FAILURE_PUT,
	STMT_FAILURE_CLEAR,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
	STMT__MAX
};

static const char *const store_sql[STMT__MAX] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_INVITE_ADD] = "INSERT INTO invitations (code_hash, label,"
	    " created_at, age_band) VALUES (?, ?, ?, ?)",
	[STMT_INVITE_AGE] = "SELECT age_band FROM invitations WHERE id = ?",
	[STMT_VERSION_PUT] = "INSERT OR IGNORE INTO set_versions (version,"
	    " canonical, first_seen) VALUES (?, ?, ?)",
	[STMT_VERSION_GET] = "SELECT canonical FROM set_versions WHERE version = ?",
	[STMT_SECRET_GET] = "SELECT secret_hash FROM invitations WHERE id = ?",
	[STMT_SECRET_SET] = "UPDATE invitations SET secret_hash = ?"
	    " WHERE id = ? AND secret_hash IS NULL",
	[STMT_LANG_GET] = "SELECT lang FROM invitations WHERE id = ?",
	[STMT_LANG_SET] = "UPDATE invitations SET lang = ? WHERE id = ?",
	[STMT_FAILURE_GET] = "SELECT failures, locked_until FROM login_failures"
	    " WHERE code_hash = ?",
	[STMT_FAILURE_PUT] = "INSERT INTO login_failures (code_hash, failures,"
	    " locked_until) VALUES (?, ?, ?) ON CONFLICT (code_hash) DO UPDATE"
	    " SET failures = excluded.failures,"
	    " locked_until = excluded.locked_until",
	[STMT_FAILURE_CLEAR] = "DELETE FROM login_failures WHERE code_hash = ?",
	[STMT_SAVEPOINT] = "SAVEPOINT answer",
	[STMT_RELEASE] = "RELEASE answer",
	[STMT_ROLLBACK_TO] = "ROLLBACK TO answer",
	[STMT_INVITE_FIND] = "SELECT id FROM invitations WHERE code_hash = ?",
	[STMT_SESSION_ADD] = "INSERT INTO sessions (token_hash, invitation_id,"
	    " csrf, created_at, seen_at) VALUES (?, ?, ?, ?, ?)",
	[STMT_SESSION_FIND] = "SELECT s.invitation_id, s.csrf, s.seen_at, r.id,"
	    " i.age_band, r.locked_at IS NOT NULL, r.gen,"
	    " CASE WHEN r.flow_gen = r.gen THEN r.flow END, r.flow_version"
	    " FROM sessions s"
	    " JOIN invitations i ON i.id = s.invitation_id"
	    " LEFT JOIN responses r ON r.invitation_id = s.invitation_id"
	    " WHERE s.token_hash = ? AND s.seen_at > ?",
	[STMT_SESSION_TOUCH] = "UPDATE sessions SET seen_at = ?"
	    " WHERE token_hash = ? AND seen_at < ?",
	[STMT_SESSION_END] = "DELETE FROM sessions WHERE token_hash = ?",
	[STMT_SESSION_EXPIRE] = "DELETE FROM sessions WHERE seen_at <= ?",
	[STMT_RESPONSE_FIND] = "SELECT id FROM responses WHERE invitation_id = ?",
	[STMT_RESPONSE_ADD] = "INSERT INTO responses (invitation_id, set_version,"
	    " started_at) VALUES (?, ?, ?)",
	[STMT_RESPONSE_FINISH] = "UPDATE responses SET finished_at = ?"
	    " WHERE id = ? AND finished_at IS NULL",
	[STMT_RESPONSE_FINISHED] = "SELECT finished_at IS NOT NULL FROM responses"
	    " WHERE id = ?",
	[STMT_RESPONSE_GEN] = "UPDATE responses SET gen = gen + 1 WHERE id = ?",
	[STMT_RESPONSE_FLOW] = "UPDATE responses SET flow = ?1, flow_gen = gen,"
	    " flow_version = ?2 WHERE id = ?3 AND gen = ?4",
	[STMT_RESPONSE_LOCK] = "UPDATE responses SET locked_at = ?"
	    " WHERE invitation_id = ?",
	[STMT_RESPONSE_STATE] = "SELECT id, finished_at IS NOT NULL,"
	    " locked_at IS NOT NULL FROM responses WHERE invitation_id = ?",
	[STMT_ANSWER_CURRENT] = "SELECT value FROM answers WHERE response_id = ?"
	    " AND question = ? AND replaced_at IS NULL",
	[STMT_ANSWER_REPLACE] = "UPDATE answers SET replaced_at = ?"
	    " WHERE response_id = ? AND question = ? AND replaced_at IS NULL",
	[STMT_ANSWER_ADD] = "INSERT INTO answers (response_id, question, value,"
	    " answered_at, set_version) VALUES (?, ?, ?, ?, ?)",
	[STMT_ANSWERS] = "SELECT question, value, answered_at, set_version"
	    " FROM answers WHERE response_id = ? AND replaced_at IS NULL"
	    " ORDER BY id",
};

struct store {
	sqlite3		*db;
	char		*path;
	int		 lockfd;	/* PATH.lock: one writer at a time */
	sqlite3_stmt	*stmt[STMT__MAX];
};

/*
 * Writers of one database take an flock on PATH.lock around every write
 * transaction, so a second writer (another worker, another connection)
 * waits in the kernel and wakes the moment the first is done, instead of
 * sleeping in SQLite's busy timeout.  flock belongs to the open file, so
 * two connections in one process exclude each other too.
 */
static void
store_wlock(struct store *s)
{
	while (flock(s->lockfd, LOCK_EX) == -1 && errno == EINTR)
		;
}

static void
store_wunlock(struct store *s)
{
	flock(s->lockfd, LOCK_UN);
}

/* Steps a statement that writes, under the write lock. */
static int
store_step_write(struct store *s, sqlite3_stmt *st)
{
	int	 rc;

	store_wlock(s);
	rc = sqlite3_step(st);
	store_wunlock(s);
	return rc;
}

int64_t
store_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static sqlite3_stmt *
store_stmt(struct store *s, enum stmt which)
{
	if (s->stmt[which] == NULL &&
	    sqlite3_prepare_v3(s->db, store_sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &s->stmt[which], NULL) != SQLITE_OK) {
		LOG_ERR("%s: prepare %d: %s", s->path, (int)which,
		    sqlite3_errmsg(s->db));
		return NULL;
	}
	return s->stmt[which];
}

/* Runs a statement that returns no row (or ignores them); -1 on error. */
static int
store_exec(struct store *s, enum stmt which)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, which)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		LOG_ERR("%s: statement %d: %s", s->path, (int)which,
		    sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

static int	store_invite_text(struct store *, enum stmt, int64_t, char *,
		    size_t);
static int	store_invite_set(struct store *, enum stmt, int64_t,
		    const char *);

static void
store_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int
store_migrate(struct store *s, int max)
{
	sqlite3_stmt	*st;
	char		*err = NULL, sql[64];
	int		 v, target = max < 0 || max > STORE_VERSION ? STORE_VERSION : max;

	/* The version is read under the lock: two workers starting together
	 * must not both apply the same migration. */
	store_wlock(s);
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		LOG_ERR("%s: %s", s->path, sqlite3_errmsg(s->db));
		sqlite3_finalize(st);
		store_wunlock(s);
		return -1;
	}
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (v > STORE_VERSION) {
		LOG_ERR("%s: schema version %d is newer than this program's %d",
		    s->path, v, STORE_VERSION);
		store_wunlock(s);
		return -1;
	}
	for (; v < target; v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &err) != SQLITE_OK ||
		    sqlite3_exec(s->db, store_migrations[v], NULL, NULL, &err) != SQLITE_OK ||
		    sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK ||
		    sqlite3_exec(s->db, "COMMIT", NULL, NULL, &err) != SQLITE_OK) {
			LOG_ERR("%s: migration %d: %s", s->path, v + 1,
			    err != NULL ? err : "?");
			sqlite3_free(err);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			store_wunlock(s);
			return -1;
		}
		LOG_INFO("%s: migrated to schema version %d", s->path, v + 1);
	}
	store_wunlock(s);
	return 0;
}

/* Opens (creating) the database at path and migrates it up to max_version
 * (-1: all).  Returns 0 and a store to close with store_close. */
int
store_open_at(const char *path, int max_version, struct store **out)
{
	struct store	*s;
	char		*err = NULL;

	*out = NULL;
	char		 lock[4096];

	if ((s = calloc(1, sizeof(*s))) == NULL || (s->path = strdup(path)) == NULL) {
		free(s);
		return -1;
	}
	snprintf(lock, sizeof(lock), "%s.lock", path);
	if ((s->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		LOG_ERR("%s: %s", lock, strerror(errno));
		free(s->path);
		free(s);
		return -1;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		LOG_ERR("%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "no memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	store_wlock(s);
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA secure_delete = ON;", NULL, NULL, &err) != SQLITE_OK) {
		store_wunlock(s);
		LOG_ERR("%s: %s", path, err);
		sqlite3_free(err);
		goto fail;
	}
	store_wunlock(s);
	if (store_migrate(s, max_version) == -1)
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

int
store_open(const char *path, struct store **out)
{
	return store_open_at(path, -1, out);
}

void
store_close(struct store *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	if (s->lockfd >= 0)
		close(s->lockfd);
	free(s->path);
	free(s);
}

/* The schema version the database is at. */
int
store_version(struct store *s)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
store_invite_add(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    const char *label, const char *age_band, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, STMT_INVITE_ADD)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	if (label != NULL)
		sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	if (age_band != NULL)
		sqlite3_bind_text(st, 4, age_band, -1, SQLITE_STATIC);
	rc = store_step_write(s, st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		LOG_ERR("%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* Finds the invitation with this code hash: 0 and *id, with *id 0 when
 * there is none; -1 only when the query failed (logged). */
int
store_invite_find(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	*id = 0;
	if ((st = store_stmt(s, STMT_INVITE_FIND)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		LOG_ERR("%s: %s", s->path, sqlite3_errmsg(s->db));
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
store_session_add(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int64_t invite, const char *csrf, int64_t now)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, STMT_SESSION_ADD)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, invite);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now);
	rc = store_step_write(s, st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		LOG_ERR("%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/*
 * Finds a session seen within idle seconds, with its invitation, response
 * (0 when none yet), CSRF token and age band, in one query; refreshes its
 * time at most once a minute.  Returns 0, or -1 when there is no such
 * session.
 */
int
store_session_get(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int64_t now, int idle, struct session_row *out)
{
	sqlite3_stmt	*st;
	int		 rc, found = 0;
	int64_t		 seen = 0;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, STMT_SESSION_FIND)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now - (int64_t)idle * 1000000);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->invite = sqlite3_column_int64(st, 0);
		snprintf(out->csrf, sizeof(out->csrf), "%s",
		    (const char *)sqlite3_column_text(st, 1));
		seen = sqlite3_column_int64(st, 2);
		out->response = sqlite3_column_int64(st, 3);
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			snprintf(out->age, sizeof(out->age), "%s",
			    (const char *)sqlite3_column_text(st, 4));
		out->locked = sqlite3_column_int(st, 5);
		out->gen = sqlite3_column_int64(st, 6);
		if (sqlite3_column_type(st, 7) == SQLITE_TEXT &&
		    sqlite3_column_type(st, 8) == SQLITE_TEXT &&
		    (size_t)sqlite3_column_bytes(st, 7) < sizeof(out->flow)) {
			snprintf(out->flow, sizeof(out->flow), "%s",
			    (const char *)sqlite3_column_text(st, 7));
			snprintf(out->flow_version, sizeof(out->flow_version),
			    "%s", (const char *)sqlite3_column_text(st, 8));
		}
		found = 1;
	}
	store_done(st);
	if (!found)
		return -1;
	/* Most requests write nothing: the time moves once a minute. */
	if (seen > now - 60 * (int64_t)1000000)
		return 0;
	if ((st = store_stmt(s, STMT_SESSION_TOUCH)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_blob(st, 2, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now - 60 * (int64_t)1000000);
	rc = store_step_write(s, st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* As store_session_get, for the invitation and the CSRF token only. */
int
store_session_find(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int64_t now, int idle, int64_t *invite, char *csrf, size_t csrflen)
{
	struct session_row	 r;

	if (store_session_get(s, hash, now, idle, &r) == -1)
		return -1;
	*invite = r.invite;
	snprintf(csrf, csrflen, "%s", r.csrf);
	return 0;
}

/* Removes the sessions idle since before the given time. */
int
store_session_expire(struct store *s, int64_t before)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, STMT_SESSION_EXPIRE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	rc = store_step_write(s, st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_session_end(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES])
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, STMT_SESSION_END)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	rc = store_step_write(s, st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Finds or starts the invitation's response; the version is recorded
 * when the response starts. */
int
store_response_open(struct store *s, int64_t invite, const char *version,
    int64_t now, int64_t *response)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, STMT_RESPONSE_FIND)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invite);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*response = sqlite3_column_int64(st, 0);
	store_done(st);
	if (rc == SQLITE_ROW)
		return 0;
	if ((st = store_stmt(s, STMT_RESPONSE_ADD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invite);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	rc = store_step_write(s, st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		LOG_ERR("%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	*response = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/*
 * Keeps the state of the child's next page with the answer, if the item
 * has one and no other answer of the response came in since the request
 * read it (gen): else the state stays stale and the next page is worked
 * out from the answers.
 */
static int
store_flow_write(struct store *s, const struct commit_item *it)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (it->flow == NULL || it->version == NULL)
		return 0;
	if ((st = store_stmt(s, STMT_RESPONSE_FLOW)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, it->flow, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, it->version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, it->response);
	sqlite3_bind_int64(st, 4, it->gen + it->changed);
	rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Writes one answer inside the open transaction: an unchanged answer is
 * left as it is; a changed one counts in the response's gen (it->changed),
 * marks the previous row replaced and adds a new one.  -1 (nothing of it
 * written) on error.
 */
static int
store_answer_write(struct store *s, struct commit_item *it)
{
	sqlite3_stmt	*st;
	int		 rc, same = 0;

	if ((st = store_stmt(s, STMT_ANSWER_CURRENT)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, it->response);
	sqlite3_bind_text(st, 2, it->question, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		same = strcmp((const char *)sqlite3_column_text(st, 0),
		    it->value) == 0;
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (same)
		return 0;
	if ((st = store_stmt(s, STMT_RESPONSE_GEN)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, it->response);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	it->changed = 1;
	if ((st = store_stmt(s, STMT_ANSWER_REPLACE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, it->now);
	sqlite3_bind_int64(st, 2, it->response);
	sqlite3_bind_text(st, 3, it->question, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE || (st = store_stmt(s, STMT_ANSWER_ADD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, it->response);
	sqlite3_bind_text(st, 2, it->question, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, it->value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, it->now);
	if (it->version != NULL)
		sqlite3_bind_text(st, 5, it->version, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Stores a list of answers in one durable transaction; each answer in a
 * savepoint of its own, so one that fails (it->rc = -1) leaves the others.
 * Returns -1 if the transaction as a whole failed (then every rc is -1).
 */
int
store_answers_put(struct store *s, struct commit_item *list)
{
	struct commit_item	*it;

	store_wlock(s);
	if (store_exec(s, STMT_BEGIN) == -1) {
		store_wunlock(s);
		return -1;
	}
	for (it = list; it != NULL; it = it->next) {
		if (store_exec(s, STMT_SAVEPOINT) == -1)
			goto fail;
		it->changed = 0;
		it->rc = store_answer_write(s, it);
		if (it->rc == 0 && store_flow_write(s, it) == -1)
			it->rc = -1;
		if (it->rc == -1) {
			LOG_ERR("%s: answer not stored: %s", s->path,
			    sqlite3_errmsg(s->db));
			if (store_exec(s, STMT_ROLLBACK_TO) == -1)
				goto fail;
		}
		if (store_exec(s, STMT_RELEASE) == -1)
			goto fail;
	}
	if (store_exec(s, STMT_COMMIT) == -1)
		goto fail;
	store_wunlock(s);
	return 0;
fail:
	LOG_ERR("%s: %s", s->path, sqlite3_errmsg(s->db));
	store_exec(s, STMT_ROLLBACK);
	store_wunlock(s);
	for (it = list; it != NULL; it = it->next)
		it->rc = -1;
	return -1;
}

/* Stores one answer in a durable transaction of its own (see
 * store_answers_put). */
int
store_answer_put(struct store *s, int64_t response, const char *question,
    const char *value, const char *version, int64_t now)
{
	struct commit_item	 it;

	memset(&it, 0, sizeof(it));
	it.response = response;
	it.question = question;
	it.value = value;
	it.version = version;
	it.now = now;
	if (store_answers_put(s, &it) == -1)
		return -1;
	return it.rc;
}

/* The current answers of a response, oldest first, in the arena. */
int
store_answers(struct store *s, struct arena *a, int64_t response,
    struct answer **out, size_t *n)
{
	sqlite3_stmt	*st;
	struct answer	*v = NULL, *nv;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((st = store_stmt(s, STMT_ANSWERS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = arena_alloc(a, cap * sizeof(*nv))) == NULL)
				break;
			if (*n)
				memcpy(nv, v, *n * sizeof(*nv));
			v = nv;
		}
		v[*n].question = arena_strdup(a,
		    (const char *)sqlite3_column_text(st, 0));
		v[*n].value = arena_strdup(a,
		    (const char *)sqlite3_column_text(st, 1));
		v[*n].at = sqlite3_column_int64(st, 2);
		v[*n].version = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL :
		    arena_strdup(a, (const char *)sqlite3_column_text(st, 3));
		if (v[*n].question == NULL || v[*n].value == NULL)
			break;
		(*n)++;
	}
	store_done(st);
	*out = v;
	if (rc != SQLITE_DONE) {
		LOG_ERR("%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

int
store_response_finish(struct store *s, int64_t response, int64_t now)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, STMT_RESPONSE_FINISH)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, response);
	rc = store_step_write(s, st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* 1 if the response is finished, 0 if not, -1 on error. */
int
store_response_finished(struct store *s, int64_t response)
{
	sqlite3_stmt	*st;
	int		 rc, v = -1;

	if ((st = store_stmt(s, STMT_RESPONSE_FINISHED)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	store_done(st);
	return v;
}

/* The invitation's age band into out (empty when none was set). */
int
store_invite_age(struct store *s, int64_t invite, char *out, size_t outlen)
{
	return store_invite_text(s, STMT_INVITE_AGE, invite, out, outlen);
}

/* Keeps the canonical form of a question-set version (once). */
int
store_version_put(struct store *s, const char *version, const char *canonical)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, STMT_VERSION_PUT)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, canonical, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	rc = store_step_write(s, st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		LOG_ERR("%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/* The canonical form of a version, in the arena; NULL if unknown. */
const char *
store_version_get(struct store *s, struct arena *a, const char *version)
{
	sqlite3_stmt	*st;
	const char	*text = NULL;

	if ((st = store_stmt(s, STMT_VERSION_GET)) == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, version, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		text = arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
	store_done(st);
	return text;
}

/* One text column of an invitation into out ("" when NULL or none). */
static int
store_invite_text(struct store *s, enum stmt which, int64_t invite,
    char *out, size_t outlen)
{
	sqlite3_stmt	*st;
	int		 rc;

	out[0] = '\0';
	if ((st = store_stmt(s, which)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invite);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The invitation's secret hash (argon2id string), "" when none yet. */
int
store_secret_get(struct store *s, int64_t invite, char *out, size_t outlen)
{
	return store_invite_text(s, STMT_SECRET_GET, invite, out, outlen);
}

/* Writes one text column of an invitation: the rows changed, or -1. */
static int
store_invite_set(struct store *s, enum stmt which, int64_t invite,
    const char *text)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, which)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, invite);
	rc = store_step_write(s, st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		LOG_ERR("%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return sqlite3_changes(s->db);
}

/* Sets the secret once: returns 0 if set, 1 if one was set already. */
int
store_secret_set(struct store *s, int64_t invite, const char *hash)
{
	int	 n = store_invite_set(s, STMT_SECRET_SET, invite, hash);

	return n == -1 ? -1 : n == 1 ? 0 : 1;
}

int
store_lang_get(struct store *s, int64_t invite, char *out, size_t outlen)
{
	return store_invite_text(s, STMT_LANG_GET, invite, out, outlen);
}

int
store_lang_set(struct store *s, int64_t invite, const char *lang)
{
	return store_invite_set(s, STMT_LANG_SET, invite, lang) == -1 ? -1 : 0;
}

/* Failed logins for a code hash: count and lock end (0, 0 when none). */
int
store_failure_get(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int *failures, int64_t *locked_until)
{
	sqlite3_stmt	*st;
	int		 rc;

	*failures = 0;
	*locked_until = 0;
	if ((st = store_stmt(s, STMT_FAILURE_GET)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*failures = sqlite3_column_int(st, 0);
		*locked_until = sqlite3_column_int64(st, 1);
	}
	store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
store_failure_put(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int failures, int64_t locked_until)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, STMT_FAILURE_PUT)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, failures);
	sqlite3_bind_int64(st, 3, locked_until);
	rc = store_step_write(s, st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		LOG_ERR("%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/* Forgets the failures of a code hash (after a good login, or unlock). */
int
store_failure_clear(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES])
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, STMT_FAILURE_CLEAR)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	rc = store_step_write(s, st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Locks (now > 0) or reopens (0) the round of an invitation: a locked
 * round's answers can no longer be changed.  Returns the rows changed. */
int
store_round_lock(struct store *s, int64_t invite, int64_t now)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, STMT_RESPONSE_LOCK)) == NULL)
		return -1;
	if (now > 0)
		sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, invite);
	rc = store_step_write(s, st);
	store_done(st);
	return rc == SQLITE_DONE ? sqlite3_changes(s->db) : -1;
}

/* The round of an invitation, read only: its response (0 when none has
 * started), whether it is finished and whether it is locked.  Returns 0,
 * or -1 when the query failed (logged). */
int
store_invite_round(struct store *s, int64_t invite, int64_t *response,
    int *finished, int *locked)
{
	sqlite3_stmt	*st;
	int		 rc;

	*response = 0;
	*finished = *locked = 0;
	if ((st = store_stmt(s, STMT_RESPONSE_STATE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invite);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*response = sqlite3_column_int64(st, 0);
		*finished = sqlite3_column_int(st, 1);
		*locked = sqlite3_column_int(st, 2);
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		LOG_ERR("%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}
