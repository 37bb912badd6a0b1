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
	I_CHILD_ADD,
	I_ROUND_NEXT,
	I_ROUND_ADD,
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
	[I_CHILD_ADD] = "INSERT INTO children (unit_id, pseudonym, birth_year,"
	    " lang, created_at) VALUES (?, ?, ?, ?, ?)",
	[I_ROUND_NEXT] = "SELECT c.unit_id, c.pseudonym, c.lang,"
	    " coalesce(max(i.round), 0) + 1,"
	    " (SELECT age_band FROM invitations WHERE child_id = c.id"
	    "  ORDER BY round DESC LIMIT 1)"
	    " FROM children c LEFT JOIN invitations i ON i.child_id = c.id"
	    " WHERE c.id = ? GROUP BY c.id",
	[I_ROUND_ADD] = "INSERT INTO invitations (code_hash, label, created_at,"
	    " age_band, unit_id, child_id, round, lang)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
};

static const struct store_role invite_role = {
	STORE_ROLE_INVITE, "invite", invite_sql, I__MAX
};

/* Column i as text in the arena, NULL for NULL. */
static const char *
col_dup(struct arena *a, sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL :
	    arena_strdup(a, (const char *)sqlite3_column_text(st, i));
}

/* Binds text, or NULL for NULL or "". */
static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL && *v != '\0')
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Inside the open transaction: a new child (c->id 0; c->id is set) or a
 * new round of c->id (c->unit, pseudonym, lang and age are then the
 * child's own), invited by the code of hash, with its audit row e. */
static int
child_round_add(struct store *s, struct arena *a,
    const unsigned char hash[CRYPTO_HASHBYTES],
    struct child_new *c, const char *tenant, struct audit_entry *e)
{
	sqlite3_stmt	*st;
	int		 rc, round = 1;

	if (c->id > 0) {
		if ((st = store_stmt(s, &invite_role, I_ROUND_NEXT)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, c->id);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			c->unit = sqlite3_column_int64(st, 0);
			c->pseudonym = col_dup(a, st, 1);
			c->lang = col_dup(a, st, 2);
			round = sqlite3_column_int(st, 3);
			if (c->age == NULL)
				c->age = col_dup(a, st, 4);
		}
		store_done(st);
		if (rc != SQLITE_ROW)
			return -1;
	} else {
		if ((st = store_stmt(s, &invite_role, I_CHILD_ADD)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, c->unit);
		bind_text(st, 2, c->pseudonym);
		if (c->birth_year > 0)
			sqlite3_bind_int(st, 3, c->birth_year);
		bind_text(st, 4, c->lang);
		sqlite3_bind_int64(st, 5, store_now());
		rc = sqlite3_step(st);
		store_done(st);
		if (rc != SQLITE_DONE)
			return -1;
		c->id = sqlite3_last_insert_rowid(s->db);
	}
	c->round = round;
	if ((st = store_stmt(s, &invite_role, I_ROUND_ADD)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	bind_text(st, 2, c->pseudonym);
	sqlite3_bind_int64(st, 3, store_now());
	bind_text(st, 4, c->age);
	sqlite3_bind_int64(st, 5, c->unit);
	sqlite3_bind_int64(st, 6, c->id);
	sqlite3_bind_int(st, 7, round);
	bind_text(st, 8, c->lang);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return -1;
	c->invite = sqlite3_last_insert_rowid(s->db);
	if (e != NULL) {
		e->invite = c->invite;
		e->unit = c->unit;
		if (e->child == NULL)
			e->child = c->pseudonym;
		if (store_audit_add_in(s, tenant, e) == -1)
			return -1;
	}
	return 0;
}

/*
 * Invites n children (or new rounds of them, see child_round_add), the
 * codes of hashes[i], each with its audit row e[i] (NULL: none), all in
 * one transaction: 0, or -1 with none of them made.
 */
int
store_invite_children(struct store *s, struct arena *a, const unsigned char
    (*hashes)[CRYPTO_HASHBYTES], struct child_new *v, size_t n,
    const char *tenant, struct audit_entry *e)
{
	size_t	 i;

	if (store_tx_begin(s) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (child_round_add(s, a, hashes[i], &v[i], tenant,
		    e != NULL ? &e[i] : NULL) == -1) {
			STORE_FAIL(s);
			store_tx_end(s, -1);
			return -1;
		}
	return store_tx_end(s, 0);
}

/* Adds an invitation (in unit, when > 0: a child of the unit with its
 * first round) with its audit row e (NULL: none), in one transaction: 0
 * with *id, or -1. */
int
store_invite_add_audited(struct store *s,
    const unsigned char hash[CRYPTO_HASHBYTES], const char *label,
    const char *age_band, int64_t unit, const char *tenant,
    struct audit_entry *e, int64_t *id)
{
	sqlite3_stmt	*st;
	struct child_new c;
	int		 rc;

	if (unit > 0) {
		memset(&c, 0, sizeof(c));
		c.unit = unit;
		c.pseudonym = label;
		c.age = age_band;
		if (store_invite_children(s, NULL, (const unsigned char
		    (*)[CRYPTO_HASHBYTES])hash, &c, 1, tenant, e) == -1)
			return -1;
		if (id != NULL)
			*id = c.invite;
		return 0;
	}
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
