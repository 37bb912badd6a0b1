/*
 * store_invite.c: the statements that make invitations, lock or reopen a
 * child's round and read how far a round has come, for core/invite.c (the
 * admin tool now, the staff pages next).  No other file reaches these statements.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "extern.h"
#include "store_int.h"

enum invite_stmt {
	I_INVITE_ADD,
	I_RESPONSE_LOCK,
	I_RESPONSE_STATE,
	I_CODE_HASH,
	I_FAILURE_FORGET,
	I_REHASH,
	I_SESSIONS_END,
	I__MAX
};

static const char *const invite_sql[I__MAX] = {
	[I_INVITE_ADD] = "INSERT INTO invitations (code_hash, label,"
	    " created_at, age_band, unit_id) VALUES (?, ?, ?, ?, ?)",
	[I_RESPONSE_LOCK] = "UPDATE responses SET locked_at = ?"
	    " WHERE invitation_id = ?",
	[I_RESPONSE_STATE] = "SELECT id, finished_at IS NOT NULL,"
	    " locked_at IS NOT NULL FROM responses WHERE invitation_id = ?",
	[I_CODE_HASH] = "SELECT code_hash FROM invitations WHERE id = ?",
	[I_FAILURE_FORGET] = "DELETE FROM login_failures WHERE code_hash ="
	    " (SELECT code_hash FROM invitations WHERE id = ?)",
	[I_REHASH] = "UPDATE invitations SET code_hash = ? WHERE id = ?",
	[I_SESSIONS_END] = "DELETE FROM sessions WHERE invitation_id = ?",
};

static const struct store_role invite_role = {
	STORE_ROLE_INVITE, "invite", invite_sql, I__MAX
};

/* Adds an invitation (in unit, when > 0) with its audit row e (NULL:
 * none), in one transaction: 0 with *id, or -1. */
int
store_invite_add_audited(struct store *s,
    const unsigned char hash[CRYPTO_HASHBYTES], const char *label,
    const char *age_band, int64_t unit, const char *tenant,
    struct audit_entry *e, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (store_tx_begin(s) == -1)
		return -1;
	if ((st = store_stmt(s, &invite_role, I_INVITE_ADD)) == NULL)
		goto fail;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	if (label != NULL)
		sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now());
	if (age_band != NULL)
		sqlite3_bind_text(st, 4, age_band, -1, SQLITE_STATIC);
	if (unit > 0)
		sqlite3_bind_int64(st, 5, unit);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		goto fail;
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	if (e != NULL) {
		e->invite = sqlite3_last_insert_rowid(s->db);
		if (store_audit_add_in(s, tenant, e) == -1)
			goto fail;
	}
	return store_tx_end(s, 0);
fail:
	store_tx_end(s, -1);
	return -1;
}

/* The same, in no unit and without an audit row (tests, old callers). */
int
store_invite_add(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    const char *label, const char *age_band, int64_t *id)
{
	return store_invite_add_audited(s, hash, label, age_band, 0, NULL,
	    NULL, id);
}

/* Locks (now > 0) or reopens (0) the round of an invitation: a locked
 * round's answers can no longer be changed.  Returns the rows changed. */
int
store_round_lock(struct store *s, int64_t invite, int64_t now)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, &invite_role, I_RESPONSE_LOCK)) == NULL)
		return -1;
	if (now > 0)
		sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, invite);
	rc = store_step_write(s, st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return sqlite3_changes(s->db);
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
	if ((st = store_stmt(s, &invite_role, I_RESPONSE_STATE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invite);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*response = sqlite3_column_int64(st, 0);
		*finished = sqlite3_column_int(st, 1);
		*locked = sqlite3_column_int(st, 2);
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

/* The keyed hash of invitation id's code: 1, 0 when there is no such
 * invitation, -1 (logged). */
int
store_invite_hash(struct store *s, int64_t id,
    unsigned char hash[CRYPTO_HASHBYTES])
{
	sqlite3_stmt	*st;
	int		 rc, found = 0;

	if ((st = store_stmt(s, &invite_role, I_CODE_HASH)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 0) == CRYPTO_HASHBYTES) {
		memcpy(hash, sqlite3_column_blob(st, 0), CRYPTO_HASHBYTES);
		found = 1;
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return found;
}

/* Steps one of this file's statements that writes, bound to id (and
 * hash when given), inside the caller's transaction. */
static int
invite_write_in(struct store *s, enum invite_stmt which, int64_t id,
    const unsigned char *hash)
{
	sqlite3_stmt	*st;
	int		 rc, i = 1;

	if ((st = store_stmt(s, &invite_role, which)) == NULL)
		return -1;
	if (hash != NULL)
		sqlite3_bind_blob(st, i++, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, i, id);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

/*
 * Gives invitation id a new code (its hash): the old code stops working at
 * once (its failed tries are forgotten, the child's sessions end), the
 * child's secret and answers are kept; with its audit row e, in one
 * transaction.  0, or -1.
 */
int
store_invite_renew(struct store *s, const char *tenant, int64_t id,
    const unsigned char hash[CRYPTO_HASHBYTES], const struct audit_entry *e)
{
	if (store_tx_begin(s) == -1)
		return -1;
	return store_tx_end(s, invite_write_in(s, I_FAILURE_FORGET, id, NULL) ==
	    -1 || invite_write_in(s, I_REHASH, id, hash) == -1 ||
	    invite_write_in(s, I_SESSIONS_END, id, NULL) == -1 ||
	    store_audit_add_in(s, tenant, e) == -1 ? -1 : 0);
}
