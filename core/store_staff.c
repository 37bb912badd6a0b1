/*
 * store_staff.c: the statements of the adults' side: units, staff and
 * their units, passwords, second factors and recovery codes, activation,
 * staff sessions, the children of a unit, and the one function through
 * which staff read a child's answers (store_staff_answers), which writes
 * the read's audit row in the same transaction.  No other file reaches
 * these statements.  A lookup that finds nothing returns 0 with an empty
 * result; -1 is a failed query, logged here.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "extern.h"
#include "store_int.h"

enum staff_stmt {
	T_UNIT_ADD,
	T_UNIT_FIND,
	T_UNIT_GET,
	T_UNITS,
	T_STAFF_ADD,
	T_STAFF_FIND,
	T_STAFF_GET,
	T_STAFF_LIST,
	T_STAFF_UNIT_ADD,
	T_STAFF_UNITS_CLEAR,
	T_STAFF_UNITS,
	T_STAFF_ADMIN,
	T_ACTIVATION_FIND,
	T_RESET,
	T_ACTIVATE,
	T_ENROL,
	T_TOTP_STEP,
	T_DISABLE,
	T_LANG,
	T_RECOVERY_CLEAR,
	T_RECOVERY_ADD,
	T_RECOVERY_USE,
	T_RECOVERY_LEFT,
	T_SESSION_ADD,
	T_SESSION_GET,
	T_SESSION_TOUCH,
	T_SESSION_END,
	T_SESSION_END_ALL,
	T_SESSIONS,
	T_SESSION_EXPIRE,
	T_CHILD_GET,
	T_CHILDREN,
	T_ANSWERS,
	T_HISTORY,
	T_ALERTS,
	T_ALERT_HANDLE,
	T_ALERT_EXISTS,
	T_ROUNDS,
	T_SLIPS_PUT,
	T_SLIPS_TAKE,
	T_SLIPS_DROP,
	T__MAX
};

/* A staff session is live while it was seen within the idle time (?2)
 * and began within the lifetime (?3). */
#define LIVE	" seen_at > ?2 AND created_at > ?3"

/* A child's round as staff see it (child_fill): the invitation, its
 * child, its response and the alerts in it not yet handled. */
#define CHILD_COLUMNS \
	" i.id, i.unit_id, i.label, i.age_band, i.created_at, r.id," \
	" r.finished_at IS NOT NULL, r.locked_at IS NOT NULL," \
	" i.secret_hash IS NOT NULL, coalesce(i.child_id, 0)," \
	" coalesce(i.round, 1), coalesce(i.lang, c.lang), c.birth_year," \
	" (SELECT count(*) FROM alerts a WHERE a.response_id = r.id" \
	"  AND a.handled_at IS NULL), r.started_at, r.finished_at," \
	" coalesce(r.gen, 0), coalesce((SELECT f.locked_until" \
	"  FROM login_failures f WHERE f.code_hash = i.code_hash), 0)" \
	" FROM invitations i" \
	" LEFT JOIN children c ON c.id = i.child_id" \
	" LEFT JOIN responses r ON r.invitation_id = i.id"

static const char *const staff_sql[T__MAX] = {
	[T_UNIT_ADD] = "INSERT INTO units (name, kind, created_at)"
	    " VALUES (?, ?, ?)",
	[T_UNIT_FIND] = "SELECT id FROM units WHERE name = ?",
	[T_UNIT_GET] = "SELECT name, kind FROM units WHERE id = ?",
	[T_UNITS] = "SELECT id, name, kind FROM units ORDER BY name",
	[T_STAFF_ADD] = "INSERT INTO staff (login, name, admin,"
	    " activation_hash, activation_until, created_at)"
	    " VALUES (?, ?, ?, ?, ?, ?)",
	[T_STAFF_FIND] = "SELECT id FROM staff WHERE login = ?",
	[T_STAFF_GET] = "SELECT id, login, name, admin, password_hash,"
	    " totp_sealed, totp_pending, totp_last, lang,"
	    " disabled_at IS NOT NULL FROM staff WHERE id = ?",
	[T_STAFF_LIST] = "SELECT s.id, s.login, s.name, s.admin,"
	    " s.disabled_at IS NOT NULL, s.password_hash IS NOT NULL,"
	    " s.totp_sealed IS NOT NULL,"
	    " (SELECT group_concat(u.name, ', ') FROM staff_units su"
	    "  JOIN units u ON u.id = su.unit_id WHERE su.staff_id = s.id),"
	    " (SELECT group_concat(su.unit_id, ',') FROM staff_units su"
	    "  WHERE su.staff_id = s.id)"
	    " FROM staff s ORDER BY s.login",
	[T_STAFF_UNIT_ADD] = "INSERT OR IGNORE INTO staff_units (staff_id,"
	    " unit_id) VALUES (?, ?)",
	[T_STAFF_UNITS_CLEAR] = "DELETE FROM staff_units WHERE staff_id = ?",
	[T_STAFF_UNITS] = "SELECT unit_id FROM staff_units WHERE staff_id = ?"
	    " ORDER BY unit_id",
	[T_STAFF_ADMIN] = "UPDATE staff SET admin = ? WHERE id = ?",
	[T_ACTIVATION_FIND] = "SELECT id FROM staff WHERE activation_hash = ?"
	    " AND activation_until > ? AND disabled_at IS NULL",
	[T_RESET] = "UPDATE staff SET password_hash = NULL, totp_sealed = NULL,"
	    " totp_pending = NULL, totp_last = 0, activation_hash = ?,"
	    " activation_until = ? WHERE id = ?",
	[T_ACTIVATE] = "UPDATE staff SET password_hash = ?, totp_pending = ?,"
	    " activation_hash = NULL, activation_until = NULL"
	    " WHERE id = ? AND activation_hash IS NOT NULL",
	[T_ENROL] = "UPDATE staff SET totp_sealed = totp_pending,"
	    " totp_pending = NULL, totp_last = ?"
	    " WHERE id = ? AND totp_pending IS NOT NULL",
	[T_TOTP_STEP] = "UPDATE staff SET totp_last = ?"
	    " WHERE id = ? AND totp_last < ?",
	[T_DISABLE] = "UPDATE staff SET disabled_at = ?, activation_hash = NULL"
	    " WHERE id = ? AND disabled_at IS NULL",
	[T_LANG] = "UPDATE staff SET lang = ? WHERE id = ?",
	[T_RECOVERY_CLEAR] = "DELETE FROM recovery_codes WHERE staff_id = ?",
	[T_RECOVERY_ADD] = "INSERT INTO recovery_codes (staff_id, code_hash)"
	    " VALUES (?, ?)",
	[T_RECOVERY_USE] = "UPDATE recovery_codes SET used_at = ?"
	    " WHERE staff_id = ? AND code_hash = ? AND used_at IS NULL",
	[T_RECOVERY_LEFT] = "SELECT count(*) FROM recovery_codes"
	    " WHERE staff_id = ? AND used_at IS NULL",
	[T_SESSION_ADD] = "INSERT INTO staff_sessions (token_hash, staff_id,"
	    " stage, csrf, created_at, seen_at, agent)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?)",
	[T_SESSION_GET] = "SELECT ss.staff_id, ss.stage, ss.csrf,"
	    " ss.created_at, ss.seen_at FROM staff_sessions ss"
	    " JOIN staff s ON s.id = ss.staff_id AND s.disabled_at IS NULL"
	    " WHERE ss.token_hash = ?1 AND ss.seen_at > ?2"
	    " AND ss.created_at > ?3",
	[T_SESSION_TOUCH] = "UPDATE staff_sessions SET seen_at = ?"
	    " WHERE token_hash = ?",
	[T_SESSION_END] = "DELETE FROM staff_sessions WHERE token_hash = ?",
	[T_SESSION_END_ALL] = "DELETE FROM staff_sessions WHERE staff_id = ?",
	[T_SESSIONS] = "SELECT token_hash, created_at, seen_at, agent"
	    " FROM staff_sessions WHERE staff_id = ?1 AND" LIVE
	    " ORDER BY seen_at DESC",
	[T_SESSION_EXPIRE] = "DELETE FROM staff_sessions"
	    " WHERE seen_at <= ?1 OR created_at <= ?2",
	[T_CHILD_GET] = "SELECT" CHILD_COLUMNS " WHERE i.id = ?"
	    " AND i.group_id IS NULL",
	[T_CHILDREN] = "SELECT" CHILD_COLUMNS " WHERE i.unit_id = ?"
	    " ORDER BY i.child_id, i.round, i.id",
	[T_ANSWERS] = "SELECT question, value, answered_at, set_version"
	    " FROM answers WHERE response_id = ? AND replaced_at IS NULL"
	    " ORDER BY id",
	[T_HISTORY] = "SELECT question, value, answered_at, set_version"
	    " FROM answers WHERE response_id = ? AND replaced_at IS NOT NULL"
	    " ORDER BY id",
	[T_ALERTS] = "SELECT a.alert, a.raised_at, a.handled_at, s.name,"
	    " a.note FROM alerts a LEFT JOIN staff s ON s.id = a.handled_by"
	    " WHERE a.response_id = ? ORDER BY a.raised_at, a.alert",
	/* An alert that holds for the answers but was raised before alerts
	 * were kept has no row yet: handling it makes one. */
	[T_ALERT_HANDLE] = "INSERT INTO alerts (response_id, alert, raised_at,"
	    " handled_at, handled_by, note) VALUES (?1, ?2, ?3, ?3, ?4, ?5)"
	    " ON CONFLICT (response_id, alert) DO UPDATE SET handled_at = ?3,"
	    " handled_by = ?4, note = ?5 WHERE handled_at IS NULL",
	[T_ALERT_EXISTS] = "SELECT count(*) FROM alerts WHERE response_id = ?"
	    " AND alert = ?",
	[T_ROUNDS] = "SELECT" CHILD_COLUMNS " WHERE i.child_id = ?"
	    " ORDER BY i.round",
	[T_SLIPS_PUT] = "INSERT INTO slip_batches (staff_id, sealed,"
	    " expires_at) VALUES (?, ?, ?)",
	[T_SLIPS_TAKE] = "DELETE FROM slip_batches WHERE id = ?1"
	    " AND staff_id = ?2 AND expires_at > ?3 RETURNING sealed",
	[T_SLIPS_DROP] = "DELETE FROM slip_batches WHERE expires_at <= ?",
};

static const struct store_role staff_role = {
	STORE_ROLE_STAFF, "staff", staff_sql, T__MAX
};

static void
copy_col(sqlite3_stmt *st, int i, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s", store_text(st, i));
}

/* Steps st (bound; it writes) and resets it: the rows it changed, or -1
 * (logged as func's).  Under the write lock, unless the caller's
 * transaction holds it already (in). */
static int
write_at(struct store *s, sqlite3_stmt *st, int in, const char *func)
{
	int	 rc;

	rc = in ? sqlite3_step(st) : store_step_write(s, st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		log_msg("error", func, "%s: %s", s->path,
		    sqlite3_errmsg(s->db));
		return -1;
	}
	return sqlite3_changes(s->db);
}
#define staff_write(s, st)	write_at((s), (st), 0, __func__)
#define staff_write_in(s, st)	write_at((s), (st), 1, __func__)

/* Reads the one integer a bound query returns (0 when no row). */
static int
read_id(struct store *s, sqlite3_stmt *st, int64_t *id)
{
	int	 rc;

	*id = 0;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

/* Adds a unit: 0 with *id, 1 when the tenant has one of that name, -1. */
int
store_unit_add(struct store *s, const char *name, const char *kind,
    int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, &staff_role, T_UNIT_ADD)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	rc = store_step_write(s, st);
	store_done(st);
	if (rc == SQLITE_CONSTRAINT)
		return 1;
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_unit_find(struct store *s, const char *name, int64_t *id)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &staff_role, T_UNIT_FIND)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	return read_id(s, st, id);
}

/* Every unit of the tenant, by name, in the arena. */
int
store_units(struct store *s, struct arena *a, struct unit_row **out,
    size_t *n)
{
	sqlite3_stmt	*st;
	struct unit_row	*v = NULL;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((st = store_stmt(s, &staff_role, T_UNITS)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = arena_grow(a, v, *n, &cap, sizeof(*v))) == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		v[*n].id = sqlite3_column_int64(st, 0);
		v[*n].name = arena_strdup(a, store_text(st, 1));
		v[*n].kind = arena_strdup(a, store_text(st, 2));
		(*n)++;
	}
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	*out = v;
	return 0;
}

/* Adds an account that has yet to be activated with the link whose hash
 * is act: 0 with *id, 1 when the login is taken, -1. */
int
store_staff_add(struct store *s, const char *login, const char *name,
    int admin, const unsigned char act[CRYPTO_HASHBYTES], int64_t until,
    int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, &staff_role, T_STAFF_ADD)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, admin != 0);
	sqlite3_bind_blob(st, 4, act, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, until);
	sqlite3_bind_int64(st, 6, store_now());
	rc = store_step_write(s, st);
	store_done(st);
	if (rc == SQLITE_CONSTRAINT)
		return 1;
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_staff_find(struct store *s, const char *login, int64_t *id)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &staff_role, T_STAFF_FIND)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	return read_id(s, st, id);
}

/* The account id into out (out->id 0 when there is none). */
int
store_staff_get(struct store *s, int64_t id, struct staff_row *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, &staff_role, T_STAFF_GET)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		copy_col(st, 1, out->login, sizeof(out->login));
		copy_col(st, 2, out->name, sizeof(out->name));
		out->admin = sqlite3_column_int(st, 3);
		copy_col(st, 4, out->password, sizeof(out->password));
		copy_col(st, 5, out->totp, sizeof(out->totp));
		copy_col(st, 6, out->totp_pending, sizeof(out->totp_pending));
		out->totp_last = sqlite3_column_int64(st, 7);
		copy_col(st, 8, out->lang, sizeof(out->lang));
		out->disabled = sqlite3_column_int(st, 9);
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

/* Every account of the tenant, by login, with its units' names. */
int
store_staff_list(struct store *s, struct arena *a, struct staff_item **out,
    size_t *n)
{
	sqlite3_stmt		*st;
	struct staff_item	*v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((st = store_stmt(s, &staff_role, T_STAFF_LIST)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = arena_grow(a, v, *n, &cap, sizeof(*v))) == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		v[*n].id = sqlite3_column_int64(st, 0);
		v[*n].login = arena_strdup(a, store_text(st, 1));
		v[*n].name = arena_strdup(a, store_text(st, 2));
		v[*n].admin = sqlite3_column_int(st, 3);
		v[*n].disabled = sqlite3_column_int(st, 4);
		v[*n].active = sqlite3_column_int(st, 5);
		v[*n].enrolled = sqlite3_column_int(st, 6);
		v[*n].units = arena_strdup(a, store_text(st, 7));
		v[*n].unit_ids = arena_strdup(a, store_text(st, 8));
		(*n)++;
	}
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	*out = v;
	return 0;
}

/* Makes the account an administrator (1) or not (0), and a professional
 * of exactly the n units given, in one transaction, with its audit row e
 * (NULL: none).  0, or -1. */
int
store_staff_roles(struct store *s, const char *tenant, int64_t staff,
    int admin, const int64_t *units, size_t n, const struct audit_entry *e)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if (store_tx_begin(s) == -1)
		return -1;
	if ((st = store_stmt(s, &staff_role, T_STAFF_ADMIN)) == NULL)
		goto fail;
	sqlite3_bind_int(st, 1, admin != 0);
	sqlite3_bind_int64(st, 2, staff);
	if (staff_write_in(s, st) == -1 ||
	    (st = store_stmt(s, &staff_role, T_STAFF_UNITS_CLEAR)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, staff);
	if (staff_write_in(s, st) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		if ((st = store_stmt(s, &staff_role, T_STAFF_UNIT_ADD)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, staff);
		sqlite3_bind_int64(st, 2, units[i]);
		if (staff_write_in(s, st) == -1)
			goto fail;
	}
	if (e != NULL && store_audit_add_in(s, tenant, e) == -1)
		goto fail;
	return store_tx_end(s, 0);
fail:
	store_tx_end(s, -1);
	return -1;
}

/* The units the account is a professional of, in the arena. */
int
store_staff_units(struct store *s, struct arena *a, int64_t staff,
    int64_t **out, size_t *n)
{
	sqlite3_stmt	*st;
	int64_t		*v = NULL;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((st = store_stmt(s, &staff_role, T_STAFF_UNITS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, staff);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = arena_grow(a, v, *n, &cap, sizeof(*v))) == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		v[(*n)++] = sqlite3_column_int64(st, 0);
	}
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	*out = v;
	return 0;
}

/* The account an unexpired activation link (its hash) belongs to. */
int
store_staff_activation(struct store *s, const unsigned char act[CRYPTO_HASHBYTES],
    int64_t now, int64_t *id)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &staff_role, T_ACTIVATION_FIND)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, act, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return read_id(s, st, id);
}

/*
 * Resets an account to a new activation link: its password, second
 * factor, recovery codes and sessions are gone, in one transaction with
 * its audit row e.  Returns the accounts changed (0: no such account), or
 * -1.
 */
int
store_staff_reset(struct store *s, const char *tenant, int64_t staff,
    const unsigned char act[CRYPTO_HASHBYTES], int64_t until,
    const struct audit_entry *e)
{
	sqlite3_stmt	*st;
	int		 changed;

	if (store_tx_begin(s) == -1)
		return -1;
	if ((st = store_stmt(s, &staff_role, T_RESET)) == NULL)
		goto fail;
	sqlite3_bind_blob(st, 1, act, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, until);
	sqlite3_bind_int64(st, 3, staff);
	if ((changed = staff_write_in(s, st)) == -1 ||
	    (st = store_stmt(s, &staff_role, T_RECOVERY_CLEAR)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, staff);
	if (staff_write_in(s, st) == -1 ||
	    (st = store_stmt(s, &staff_role, T_SESSION_END_ALL)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, staff);
	if (staff_write_in(s, st) == -1 ||
	    (changed > 0 && store_audit_add_in(s, tenant, e) == -1))
		goto fail;
	return store_tx_end(s, 0) == -1 ? -1 : changed;
fail:
	store_tx_end(s, -1);
	return -1;
}

/* Sets the password of an account being activated and the second
 * factor it is to enrol (sealed); the link stops working.  Returns the
 * accounts changed (0: the link was used already), or -1. */
int
store_staff_activate(struct store *s, int64_t staff, const char *pwhash,
    const char *totp_pending)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &staff_role, T_ACTIVATE)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, totp_pending, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, staff);
	return staff_write(s, st);
}

/*
 * Makes the pending second factor the account's (the code of step was
 * right) and its recovery codes the n hashes given, in one transaction
 * with the audit row e.  Returns 1, 0 when nothing was pending, or -1.
 */
int
store_staff_enrol(struct store *s, const char *tenant, int64_t staff,
    int64_t step, const unsigned char (*codes)[CRYPTO_HASHBYTES], size_t n,
    const struct audit_entry *e)
{
	sqlite3_stmt	*st;
	int		 changed;

	if (store_tx_begin(s) == -1)
		return -1;
	if ((st = store_stmt(s, &staff_role, T_ENROL)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, step);
	sqlite3_bind_int64(st, 2, staff);
	if ((changed = staff_write_in(s, st)) == -1)
		goto fail;
	if (changed == 0) {
		store_tx_end(s, -1);
		return 0;
	}
	if (store_recovery_set_in(s, staff, codes, n) == -1 ||
	    store_audit_add_in(s, tenant, e) == -1)
		goto fail;
	return store_tx_end(s, 0) == -1 ? -1 : 1;
fail:
	store_tx_end(s, -1);
	return -1;
}

/* Records step as the last TOTP step used: 1, or 0 when a step as late
 * was used already (a replayed code), or -1. */
int
store_staff_totp_step(struct store *s, int64_t staff, int64_t step)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &staff_role, T_TOTP_STEP)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, step);
	sqlite3_bind_int64(st, 2, staff);
	sqlite3_bind_int64(st, 3, step);
	return staff_write(s, st);
}

/* Disables an account and ends its sessions, with its audit row e.
 * Returns the accounts changed (0: none, or disabled already), or -1. */
int
store_staff_disable(struct store *s, const char *tenant, int64_t staff,
    const struct audit_entry *e)
{
	sqlite3_stmt	*st;
	int		 changed;

	if (store_tx_begin(s) == -1)
		return -1;
	if ((st = store_stmt(s, &staff_role, T_DISABLE)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_int64(st, 2, staff);
	if ((changed = staff_write_in(s, st)) == -1 ||
	    (st = store_stmt(s, &staff_role, T_SESSION_END_ALL)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, staff);
	if (staff_write_in(s, st) == -1 ||
	    (changed > 0 && store_audit_add_in(s, tenant, e) == -1))
		goto fail;
	return store_tx_end(s, 0) == -1 ? -1 : changed;
fail:
	store_tx_end(s, -1);
	return -1;
}

int
store_staff_lang(struct store *s, int64_t staff, const char *lang)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &staff_role, T_LANG)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, staff);
	return staff_write(s, st) == -1 ? -1 : 0;
}

/* Replaces the account's recovery codes with the n hashes given, inside
 * the caller's transaction. */
int
store_recovery_set_in(struct store *s, int64_t staff,
    const unsigned char (*codes)[CRYPTO_HASHBYTES], size_t n)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if ((st = store_stmt(s, &staff_role, T_RECOVERY_CLEAR)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, staff);
	if (staff_write_in(s, st) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((st = store_stmt(s, &staff_role, T_RECOVERY_ADD)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, staff);
		sqlite3_bind_blob(st, 2, codes[i], CRYPTO_HASHBYTES,
		    SQLITE_STATIC);
		if (staff_write_in(s, st) == -1)
			return -1;
	}
	return 0;
}

/* The same in a transaction of its own, with the audit row e. */
int
store_recovery_set(struct store *s, const char *tenant, int64_t staff,
    const unsigned char (*codes)[CRYPTO_HASHBYTES], size_t n,
    const struct audit_entry *e)
{
	if (store_tx_begin(s) == -1)
		return -1;
	return store_tx_end(s, store_recovery_set_in(s, staff, codes, n) ==
	    -1 || store_audit_add_in(s, tenant, e) == -1 ? -1 : 0);
}

/* Uses up a recovery code (its hash): 1, 0 when the account has no such
 * unused code, or -1. */
int
store_recovery_use(struct store *s, int64_t staff,
    const unsigned char code[CRYPTO_HASHBYTES])
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &staff_role, T_RECOVERY_USE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, store_now());
	sqlite3_bind_int64(st, 2, staff);
	sqlite3_bind_blob(st, 3, code, CRYPTO_HASHBYTES, SQLITE_STATIC);
	return staff_write(s, st);
}

int
store_recovery_left(struct store *s, int64_t staff, int64_t *n)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &staff_role, T_RECOVERY_LEFT)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, staff);
	return read_id(s, st, n);
}

/* Staff sessions: stored by their token's hash, at a stage (enrolling,
 * second factor due, in). */
int
store_staff_session_add(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int64_t staff, int stage, const char *csrf, const char *agent)
{
	sqlite3_stmt	*st;
	int64_t		 now = store_now();

	if ((st = store_stmt(s, &staff_role, T_SESSION_ADD)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, staff);
	sqlite3_bind_int(st, 3, stage);
	sqlite3_bind_text(st, 4, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, now);
	if (agent != NULL)
		sqlite3_bind_text(st, 7, agent, -1, SQLITE_STATIC);
	return staff_write(s, st) == -1 ? -1 : 0;
}

/* The live session of the token hash (out->staff 0 when none): seen
 * within idle seconds, begun within life seconds, of an enabled account.
 * Its time moves on. */
int
store_staff_session_get(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int idle, int life, struct staff_session_row *out)
{
	sqlite3_stmt	*st;
	int64_t		 now = store_now();
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, &staff_role, T_SESSION_GET)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now - (int64_t)idle * 1000000);
	sqlite3_bind_int64(st, 3, now - (int64_t)life * 1000000);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->staff = sqlite3_column_int64(st, 0);
		out->stage = sqlite3_column_int(st, 1);
		copy_col(st, 2, out->csrf, sizeof(out->csrf));
		out->created = sqlite3_column_int64(st, 3);
		out->seen = sqlite3_column_int64(st, 4);
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	/* The time moves at most every few seconds. */
	if (out->staff == 0 || out->seen > now - 5 * (int64_t)1000000)
		return 0;
	if ((st = store_stmt(s, &staff_role, T_SESSION_TOUCH)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_blob(st, 2, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	return staff_write(s, st) == -1 ? -1 : 0;
}

int
store_staff_session_end(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES])
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &staff_role, T_SESSION_END)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	return staff_write(s, st) == -1 ? -1 : 0;
}

/* Ends every session of the account: the sessions ended, or -1. */
int
store_staff_session_end_all(struct store *s, int64_t staff)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &staff_role, T_SESSION_END_ALL)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, staff);
	return staff_write(s, st);
}

/* Clears every session that is no longer live. */
int
store_staff_session_expire(struct store *s, int idle, int life)
{
	sqlite3_stmt	*st;
	int64_t		 now = store_now();

	if ((st = store_stmt(s, &staff_role, T_SESSION_EXPIRE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now - (int64_t)idle * 1000000);
	sqlite3_bind_int64(st, 2, now - (int64_t)life * 1000000);
	return staff_write(s, st) == -1 ? -1 : 0;
}

/* The account's live sessions, the latest seen first. */
int
store_staff_sessions(struct store *s, struct arena *a, int64_t staff,
    int idle, int life, struct staff_session_item **out, size_t *n)
{
	sqlite3_stmt			*st;
	struct staff_session_item	*v = NULL;
	size_t				 cap = 0;
	int64_t				 now = store_now();
	int				 rc;

	*out = NULL;
	*n = 0;
	if ((st = store_stmt(s, &staff_role, T_SESSIONS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, staff);
	sqlite3_bind_int64(st, 2, now - (int64_t)idle * 1000000);
	sqlite3_bind_int64(st, 3, now - (int64_t)life * 1000000);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = arena_grow(a, v, *n, &cap, sizeof(*v))) == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (sqlite3_column_bytes(st, 0) == CRYPTO_HASHBYTES)
			memcpy(v[*n].hash, sqlite3_column_blob(st, 0),
			    CRYPTO_HASHBYTES);
		v[*n].created = sqlite3_column_int64(st, 1);
		v[*n].seen = sqlite3_column_int64(st, 2);
		v[*n].agent = arena_strdup(a, store_text(st, 3));
		(*n)++;
	}
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	*out = v;
	return 0;
}

static int
child_fill(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct child_row	*c = row;

	c->invite = sqlite3_column_int64(st, 0);
	c->unit = sqlite3_column_int64(st, 1);
	c->label = arena_strdup(a, store_text(st, 2));
	c->age = arena_strdup(a, store_text(st, 3));
	c->created = sqlite3_column_int64(st, 4);
	c->response = sqlite3_column_int64(st, 5);
	c->finished = sqlite3_column_int(st, 6);
	c->locked = sqlite3_column_int(st, 7);
	c->has_secret = sqlite3_column_int(st, 8);
	c->child = sqlite3_column_int64(st, 9);
	c->round = sqlite3_column_int(st, 10);
	c->lang = arena_strdup(a, store_text(st, 11));
	c->birth_year = sqlite3_column_int(st, 12);
	c->alerts = sqlite3_column_int(st, 13);
	c->started = sqlite3_column_int64(st, 14);
	c->finished_at = sqlite3_column_int64(st, 15);
	c->gen = sqlite3_column_int64(st, 16);
	c->locked_until = sqlite3_column_int64(st, 17);
	return c->label != NULL && c->age != NULL && c->lang != NULL ? 0 : -1;
}

/* The invitation invite as staff see it (out->invite 0 when none). */
int
store_child_get(struct store *s, struct arena *a, int64_t invite,
    struct child_row *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, &staff_role, T_CHILD_GET)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invite);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW && child_fill(a, st, out) == -1)
		rc = SQLITE_NOMEM;
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

/* The rows of st, appended to *out (*n of them, *cap room). */
static int
child_rows(struct store *s, struct arena *a, sqlite3_stmt *st,
    struct child_row **out, size_t *n, size_t *cap)
{
	struct store_rows	 r = { *out, *n, *cap };
	int			 rc;

	rc = store_rows(s, a, st, sizeof(**out), child_fill, &r);
	*out = r.v;
	*n = r.n;
	*cap = r.cap;
	return rc;
}

/* The children invited in a unit, appended to *out (*n of them, *cap
 * room), each child's rounds in order. */
int
store_children(struct store *s, struct arena *a, int64_t unit,
    struct child_row **out, size_t *n, size_t *cap)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &staff_role, T_CHILDREN)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, unit);
	return child_rows(s, a, st, out, n, cap);
}

/* The rounds of child, first first (none for 0). */
int
store_rounds(struct store *s, struct arena *a, int64_t child,
    struct child_row **out, size_t *n)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0;

	*out = NULL;
	*n = 0;
	if (child <= 0)
		return 0;
	if ((st = store_stmt(s, &staff_role, T_ROUNDS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, child);
	return child_rows(s, a, st, out, n, &cap);
}

static int
answer_fill(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct answer	*v = row;

	v->question = arena_strdup(a, store_text(st, 0));
	v->value = arena_strdup(a, store_text(st, 1));
	v->at = sqlite3_column_int64(st, 2);
	v->version = arena_strdup(a, store_text(st, 3));
	return v->question && v->value && v->version ? 0 : -1;
}

/* The answers of st (question, value, at, version) into *out, *n. */
static int
answer_rows(struct store *s, struct arena *a, sqlite3_stmt *st,
    struct answer **out, size_t *n)
{
	struct store_rows	 r = { NULL, 0, 0 };
	int			 rc;

	rc = store_rows(s, a, st, sizeof(**out), answer_fill, &r);
	*out = r.v;
	*n = r.n;
	return rc;
}

static int
alert_fill(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct alert_row	*v = row;

	v->id = arena_strdup(a, store_text(st, 0));
	v->raised = sqlite3_column_int64(st, 1);
	v->handled = sqlite3_column_int64(st, 2);
	v->by = arena_strdup(a, store_text(st, 3));
	v->note = arena_strdup(a, store_text(st, 4));
	return v->id && v->by && v->note ? 0 : -1;
}

/* The alerts raised in a response, handled or not. */
static int
alert_rows(struct store *s, struct arena *a, int64_t response,
    struct alert_row **out, size_t *n)
{
	struct store_rows	 r = { NULL, 0, 0 };
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = store_stmt(s, &staff_role, T_ALERTS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response);
	rc = store_rows(s, a, st, sizeof(**out), alert_fill, &r);
	*out = r.v;
	*n = r.n;
	return rc;
}

/* Reads one round (current answers, earlier ones, alerts) in the open
 * transaction; a round not started (response 0) reads as empty. */
static int
round_read(struct store *s, struct arena *a, int64_t response,
    struct round_read *r)
{
	sqlite3_stmt	*st;

	memset(r, 0, sizeof(*r));
	if (response <= 0)
		return 0;
	if ((st = store_stmt(s, &staff_role, T_ANSWERS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response);
	if (answer_rows(s, a, st, &r->answers, &r->nanswers) == -1 ||
	    (st = store_stmt(s, &staff_role, T_HISTORY)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response);
	if (answer_rows(s, a, st, &r->history, &r->nhistory) == -1)
		return -1;
	return alert_rows(s, a, response, &r->alerts, &r->nalerts);
}

/*
 * The one way staff read a child's answers: the rounds of responses[i]
 * (answers, earlier answers, alerts), read in the same transaction that
 * appends each read's audit row e[i], so there is no read without its row
 * (and no row is kept for a read that failed).  Returns 0 with the rounds
 * in the arena, or -1.
 */
int
store_staff_rounds(struct store *s, struct arena *a, const char *tenant,
    const struct audit_entry *e, const int64_t *responses, size_t n,
    struct round_read *out)
{
	if (store_tx_begin(s) == -1)
		return -1;
	if (store_staff_rounds_in(s, a, tenant, e, responses, n, out) == -1) {
		store_tx_end(s, -1);
		return -1;
	}
	return store_tx_end(s, 0);
}

/* The same inside a transaction the caller holds (the committer's, which
 * writes the audit rows of reads that wait together with one fsync). */
int
store_staff_rounds_in(struct store *s, struct arena *a, const char *tenant,
    const struct audit_entry *e, const int64_t *responses, size_t n,
    struct round_read *out)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (store_audit_add_in(s, tenant, &e[i]) == -1 ||
		    round_read(s, a, responses[i], &out[i]) == -1)
			return -1;
	return 0;
}

/* The current answers of one response, read as above. */
int
store_staff_answers(struct store *s, struct arena *a, const char *tenant,
    const struct audit_entry *e, int64_t response, struct answer **out,
    size_t *n)
{
	struct round_read	 r;

	*out = NULL;
	*n = 0;
	if (store_staff_rounds(s, a, tenant, e, &response, 1, &r) == -1)
		return -1;
	*out = r.answers;
	*n = r.nanswers;
	return 0;
}

/*
 * Marks alert of response handled by staff with note, and appends the
 * audit row e in the same transaction.  1 when it is handled now, 0 when
 * it was handled before (nothing changes), -1.
 */
int
store_alert_handle(struct store *s, const char *tenant,
    const struct audit_entry *e, int64_t response, const char *alert,
    int64_t staff, const char *note)
{
	sqlite3_stmt	*st;
	int		 rc, changed;

	if (store_tx_begin(s) == -1)
		return -1;
	if ((st = store_stmt(s, &staff_role, T_ALERT_HANDLE)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, response);
	sqlite3_bind_text(st, 2, alert, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	sqlite3_bind_int64(st, 4, staff);
	sqlite3_bind_text(st, 5, note, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		goto fail;
	}
	if ((changed = sqlite3_changes(s->db)) == 0)
		return store_tx_end(s, 0) == -1 ? -1 : 0;
	if (store_audit_add_in(s, tenant, e) == -1)
		goto fail;
	return store_tx_end(s, 0) == -1 ? -1 : 1;
fail:
	store_tx_end(s, -1);
	return -1;
}

/* 1 if alert was raised in response, 0 if not, -1. */
int
store_alert_exists(struct store *s, int64_t response, const char *alert)
{
	sqlite3_stmt	*st;
	int		 rc, n = 0;

	if ((st = store_stmt(s, &staff_role, T_ALERT_EXISTS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response);
	sqlite3_bind_text(st, 2, alert, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	store_done(st);
	if (rc != SQLITE_ROW) {
		STORE_FAIL(s);
		return -1;
	}
	return n > 0;
}

/* Keeps the sealed codes of a group invitation until expires (and drops
 * the batches left expired); *id. */
int
store_slips_put(struct store *s, int64_t staff, const void *sealed,
    size_t len, int64_t expires, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (store_tx_begin(s) == -1)
		return -1;
	if ((st = store_stmt(s, &staff_role, T_SLIPS_DROP)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, store_now());
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE || (st = store_stmt(s, &staff_role,
	    T_SLIPS_PUT)) == NULL)
		goto failed;
	sqlite3_bind_int64(st, 1, staff);
	sqlite3_bind_blob(st, 2, sealed, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, expires);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		goto failed;
	*id = sqlite3_last_insert_rowid(s->db);
	return store_tx_end(s, 0);
failed:
	STORE_FAIL(s);
fail:
	store_tx_end(s, -1);
	return -1;
}

/* Takes (and deletes) the sealed codes id of staff if not expired: 1 with
 * them in the arena, 0 when there are none, -1. */
int
store_slips_take(struct store *s, struct arena *a, int64_t id, int64_t staff,
    unsigned char **sealed, size_t *len)
{
	sqlite3_stmt	*st;
	const void	*p;
	int		 rc, found = 0;

	*sealed = NULL;
	*len = 0;
	if (store_tx_begin(s) == -1)
		return -1;
	if ((st = store_stmt(s, &staff_role, T_SLIPS_TAKE)) == NULL) {
		store_tx_end(s, -1);
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, staff);
	sqlite3_bind_int64(st, 3, store_now());
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p = sqlite3_column_blob(st, 0);
		*len = (size_t)sqlite3_column_bytes(st, 0);
		if ((*sealed = arena_alloc(a, *len + 1)) == NULL)
			rc = SQLITE_NOMEM;
		else {
			memcpy(*sealed, p, *len);
			found = 1;
			rc = sqlite3_step(st);
		}
	}
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		store_tx_end(s, -1);
		return -1;
	}
	if (store_tx_end(s, 0) == -1)
		return -1;
	return found;
}
