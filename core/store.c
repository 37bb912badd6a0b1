/*
 * store.c: the tenant's SQLite database: the connection, the numbered
 * migrations applied at open, transactions, the write lock, the prepared
 * statements of every role (each role's SQL lives in its own file:
 * store_child.c, store_invite.c), and the canonical forms of the question
 * set's versions.  WAL, synchronous=FULL: an answer whose transaction
 * committed survives a crash of the worker or of the machine.  The caller
 * serialises use of one struct store.
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
#include "store_int.h"

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
	/* 6: the adults' side: units, staff and their units, their second
	 * factor (sealed) and recovery codes (hashed), staff sessions, the
	 * unit an invitation belongs to, and the audit trail: append-only
	 * (the triggers refuse a change) and hash-chained (store_audit.c). */
	"CREATE TABLE units ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE staff ("
	"  id INTEGER PRIMARY KEY,"
	"  login TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  admin INTEGER NOT NULL DEFAULT 0,"
	"  password_hash TEXT,"
	"  totp_sealed TEXT,"
	"  totp_pending TEXT,"
	"  totp_last INTEGER NOT NULL DEFAULT 0,"
	"  lang TEXT,"
	"  activation_hash BLOB UNIQUE,"
	"  activation_until INTEGER,"
	"  disabled_at INTEGER,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE staff_units ("
	"  staff_id INTEGER NOT NULL REFERENCES staff(id),"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  PRIMARY KEY (staff_id, unit_id)) WITHOUT ROWID;"
	"CREATE TABLE recovery_codes ("
	"  staff_id INTEGER NOT NULL REFERENCES staff(id),"
	"  code_hash BLOB NOT NULL,"
	"  used_at INTEGER,"
	"  PRIMARY KEY (staff_id, code_hash)) WITHOUT ROWID;"
	"CREATE TABLE staff_sessions ("
	"  token_hash BLOB PRIMARY KEY,"
	"  staff_id INTEGER NOT NULL REFERENCES staff(id),"
	"  stage INTEGER NOT NULL,"
	"  csrf TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  seen_at INTEGER NOT NULL,"
	"  agent TEXT) WITHOUT ROWID;"
	"CREATE INDEX staff_sessions_staff ON staff_sessions(staff_id);"
	"ALTER TABLE invitations ADD COLUMN unit_id INTEGER REFERENCES units(id);"
	"CREATE INDEX invitations_unit ON invitations(unit_id);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  staff_id INTEGER,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  unit_id INTEGER,"
	"  invitation_id INTEGER,"
	"  child TEXT,"
	"  detail TEXT,"
	"  request TEXT,"
	"  prev BLOB NOT NULL,"
	"  hash BLOB NOT NULL);"
	"CREATE INDEX audit_invitation ON audit(invitation_id);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
	"  SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
	"  SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
	/* 7: the professional's work: a child of a unit (a pseudonym, a
	 * birth year, the language the child will likely choose) with its
	 * rounds, each an invitation of its own; the alerts an answer raised,
	 * each handled once with a note; the codes of a group invitation,
	 * sealed for the few minutes until their slips are printed (the key
	 * is in the professional's cookie, not here).  Invitations of a unit
	 * made before become a child with one round. */
	"CREATE TABLE children ("
	"  id INTEGER PRIMARY KEY,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  pseudonym TEXT,"
	"  birth_year INTEGER,"
	"  lang TEXT,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX children_unit ON children(unit_id);"
	"ALTER TABLE invitations ADD COLUMN child_id INTEGER"
	"  REFERENCES children(id);"
	"ALTER TABLE invitations ADD COLUMN round INTEGER;"
	"INSERT INTO children (id, unit_id, pseudonym, created_at)"
	"  SELECT id, unit_id, label, created_at FROM invitations"
	"  WHERE unit_id IS NOT NULL;"
	"UPDATE invitations SET child_id = id, round = 1"
	"  WHERE unit_id IS NOT NULL;"
	"CREATE UNIQUE INDEX invitations_round ON invitations(child_id, round);"
	"CREATE TABLE alerts ("
	"  response_id INTEGER NOT NULL REFERENCES responses(id),"
	"  alert TEXT NOT NULL,"
	"  raised_at INTEGER NOT NULL,"
	"  handled_at INTEGER,"
	"  handled_by INTEGER REFERENCES staff(id),"
	"  note TEXT,"
	"  PRIMARY KEY (response_id, alert)) WITHOUT ROWID;"
	"CREATE TABLE slip_batches ("
	"  id INTEGER PRIMARY KEY,"
	"  staff_id INTEGER NOT NULL REFERENCES staff(id),"
	"  sealed BLOB NOT NULL,"
	"  expires_at INTEGER NOT NULL);",
	/* 8: anonymous mapping: a round of a unit with its period and its
	 * groups (each with an expected size); a mapping invitation belongs
	 * to a group, never to a child or a unit of its own, so no page of a
	 * child ever finds it.  Closing a round erases what links a slip to
	 * its answers (store_mapping.c). */
	"CREATE TABLE mapping_rounds ("
	"  id INTEGER PRIMARY KEY,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  name TEXT NOT NULL,"
	"  opens TEXT NOT NULL,"
	"  closes TEXT NOT NULL,"
	"  closed_at INTEGER,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX mapping_rounds_unit ON mapping_rounds(unit_id);"
	"CREATE TABLE mapping_groups ("
	"  id INTEGER PRIMARY KEY,"
	"  round_id INTEGER NOT NULL REFERENCES mapping_rounds(id),"
	"  name TEXT NOT NULL,"
	"  expected INTEGER NOT NULL,"
	"  UNIQUE (round_id, name));"
	"ALTER TABLE invitations ADD COLUMN group_id INTEGER"
	"  REFERENCES mapping_groups(id);"
	"CREATE INDEX invitations_group ON invitations(group_id);"
	/* What a group's reports count, kept as answers commit: per
	 * question and value (an option, "s:skip", "s:unclear", "t" for
	 * words, never what they say), and per group (question ""): the
	 * respondents and those who raised an alert. */
	"CREATE TABLE mapping_counts ("
	"  group_id INTEGER NOT NULL REFERENCES mapping_groups(id),"
	"  question TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (group_id, question, value)) WITHOUT ROWID;",
	/* 9: the bands of a mapping response's scores per area (none, some,
	 * much risk or resource), so that an answer that moves one moves
	 * its group's counts ("risk:area", "resource:area"); and the
	 * question-set version a closed round was last answered under, so
	 * that rounds of different versions are compared question by
	 * question. */
	"CREATE TABLE mapping_levels ("
	"  response_id INTEGER NOT NULL REFERENCES responses(id),"
	"  area TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  band INTEGER NOT NULL,"
	"  PRIMARY KEY (response_id, area, kind)) WITHOUT ROWID;"
	"ALTER TABLE mapping_rounds ADD COLUMN version TEXT;"
	/* A closed round's counts summed over its groups, made when it
	 * closes (no answer changes after that), so that the report of a
	 * whole round of any size reads a few hundred rows. */
	"CREATE TABLE mapping_round_counts ("
	"  round_id INTEGER NOT NULL REFERENCES mapping_rounds(id),"
	"  question TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (round_id, question, value)) WITHOUT ROWID;"
	"INSERT INTO mapping_round_counts SELECT g.round_id, c.question,"
	"  c.value, sum(c.n) FROM mapping_counts c"
	"  JOIN mapping_groups g ON g.id = c.group_id"
	"  JOIN mapping_rounds r ON r.id = g.round_id"
	"  WHERE r.closed_at IS NOT NULL"
	"  GROUP BY g.round_id, c.question, c.value HAVING sum(c.n) > 0;",
};
#define STORE_VERSION ((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

enum core_stmt {
	K_BEGIN,
	K_COMMIT,
	K_ROLLBACK,
	K_SAVEPOINT,
	K_RELEASE,
	K_ROLLBACK_TO,
	K_VERSION_PUT,
	K_VERSION_GET,
	K__MAX
};

static const char *const core_sql[K__MAX] = {
	[K_BEGIN] = "BEGIN IMMEDIATE",
	[K_COMMIT] = "COMMIT",
	[K_ROLLBACK] = "ROLLBACK",
	[K_SAVEPOINT] = "SAVEPOINT answer",
	[K_RELEASE] = "RELEASE answer",
	[K_ROLLBACK_TO] = "ROLLBACK TO answer",
	[K_VERSION_PUT] = "INSERT OR IGNORE INTO set_versions (version,"
	    " canonical, first_seen) VALUES (?, ?, ?)",
	[K_VERSION_GET] = "SELECT canonical FROM set_versions WHERE version = ?",
};

static const struct store_role core_role = {
	STORE_ROLE_CORE, "core", core_sql, K__MAX
};

/*
 * Writers of one database take an flock on PATH.lock around every write
 * transaction, so a second writer (another worker, another connection)
 * waits in the kernel and wakes the moment the first is done, instead of
 * sleeping in SQLite's busy timeout.  flock belongs to the open file, so
 * two connections in one process exclude each other too.
 */
void
store_wlock(struct store *s)
{
	while (flock(s->lockfd, LOCK_EX) == -1 && errno == EINTR)
		;
}

void
store_wunlock(struct store *s)
{
	flock(s->lockfd, LOCK_UN);
}

/* Steps a statement that writes, under the write lock. */
int
store_step_write(struct store *s, sqlite3_stmt *st)
{
	int	 rc;

	store_wlock(s);
	rc = sqlite3_step(st);
	store_wunlock(s);
	return rc;
}

/* store_write's body: func names the caller in the log line. */
int
store_write_at(struct store *s, sqlite3_stmt *st, const char *func)
{
	int	 rc = store_step_write(s, st);

	store_done(st);
	if (rc != SQLITE_DONE) {
		log_msg("error", func, "%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

int64_t
store_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * The prepared statement which of role, prepared at its first use and kept
 * for the life of the connection; NULL (logged) if it cannot be prepared.
 */
sqlite3_stmt *
store_stmt(struct store *s, const struct store_role *role, int which)
{
	sqlite3_stmt	**tab = s->stmt[role->id];

	if (tab == NULL) {
		if ((tab = calloc(role->n, sizeof(*tab))) == NULL) {
			LOG_ERR("%s: out of memory", s->path);
			return NULL;
		}
		s->stmt[role->id] = tab;
		s->nstmt[role->id] = role->n;
	}
	if (tab[which] == NULL &&
	    sqlite3_prepare_v3(s->db, role->sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &tab[which], NULL) != SQLITE_OK) {
		LOG_ERR("%s: prepare %s statement %d: %s", s->path, role->name,
		    which, sqlite3_errmsg(s->db));
		return NULL;
	}
	return tab[which];
}

void
store_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Column i as text, "" for NULL (valid until the statement moves on). */
const char *
store_text(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? "" :
	    (const char *)sqlite3_column_text(st, i);
}

/* Steps a bound statement that returns no row inside the transaction the
 * caller holds, and resets it: 0, or -1 (the caller logs). */
int
store_step_in(sqlite3_stmt *st)
{
	int	 rc = sqlite3_step(st);

	store_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Steps st to its end, each row put by fill into one more element of size
 * in the arena array r->v (r->n of them, r->cap room: an array begun
 * before is appended to), and resets it: 0, or -1 logged.
 */
int
store_rows(struct store *s, struct arena *a, sqlite3_stmt *st, size_t size,
    int (*fill)(struct arena *, sqlite3_stmt *, void *), struct store_rows *r)
{
	int	 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((r->v = arena_grow(a, r->v, r->n, &r->cap, size)) == NULL ||
		    fill(a, st, (char *)r->v + r->n * size) == -1) {
			rc = SQLITE_NOMEM;
			break;
		}
		r->n++;
	}
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

/* Runs one of the core's statements that returns no row; -1 (logged) on
 * error. */
static int
store_exec(struct store *s, enum core_stmt which)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, &core_role, which)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	store_done(st);
	if (rc != SQLITE_DONE) {
		LOG_ERR("%s: %s: %s", s->path, core_sql[which],
		    sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/*
 * A write transaction under the write lock, for the functions that write
 * several rows as one (and an audit row with them): store_tx_begin takes
 * the lock and begins (on failure the lock is let go again);
 * store_tx_end commits when ok is 0, else (or when the commit fails)
 * rolls back, and lets the lock go.  Each returns 0, or -1 (logged).
 */
int
store_tx_begin(struct store *s)
{
	store_wlock(s);
	if (store_begin(s) == -1) {
		store_wunlock(s);
		return -1;
	}
	return 0;
}

int
store_tx_end(struct store *s, int ok)
{
	int	 rc = -1;

	if (ok == 0 && store_commit(s) == 0)
		rc = 0;
	else
		store_rollback(s);
	store_wunlock(s);
	return rc;
}

/* A write transaction and its savepoints; the caller holds the write
 * lock.  Each returns 0, or -1 having logged why. */
int
store_begin(struct store *s)
{
	return store_exec(s, K_BEGIN);
}

int
store_commit(struct store *s)
{
	return store_exec(s, K_COMMIT);
}

void
store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		store_exec(s, K_ROLLBACK);
}

int
store_savepoint(struct store *s)
{
	return store_exec(s, K_SAVEPOINT);
}

int
store_release(struct store *s)
{
	return store_exec(s, K_RELEASE);
}

int
store_rollback_to(struct store *s)
{
	return store_exec(s, K_ROLLBACK_TO);
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
	size_t	 i, j;

	if (s == NULL)
		return;
	for (i = 0; i < STORE_ROLES; i++) {
		if (s->stmt[i] == NULL)
			continue;
		for (j = 0; j < s->nstmt[i]; j++)
			sqlite3_finalize(s->stmt[i][j]);
		free(s->stmt[i]);
	}
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

/* Keeps the canonical form of a question-set version (once). */
int
store_version_put(struct store *s, const char *version, const char *canonical)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &core_role, K_VERSION_PUT)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, canonical, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	return store_write(s, st);
}

/* The canonical form of a version, in the arena: 0 with *out (NULL when
 * the version is unknown), or -1. */
int
store_version_get(struct store *s, struct arena *a, const char *version,
    const char **out)
{
	sqlite3_stmt	*st;
	int		 rc;

	*out = NULL;
	if ((st = store_stmt(s, &core_role, K_VERSION_GET)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, version, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    (*out = arena_strdup(a, (const char *)sqlite3_column_text(st, 0)))
	    == NULL)
		rc = SQLITE_NOMEM;
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}
