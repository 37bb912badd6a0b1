/*
 * store_audit.c: the tenant's audit trail.  Rows are only ever appended
 * (the schema's triggers refuse an UPDATE or DELETE), and each carries a
 * keyed BLAKE2b (the instance key: the database alone cannot recompute
 * it) over the previous row's hash and its own content, so a row changed,
 * removed or moved by hand breaks the chain at that row, and
 * store_audit_verify names it.  The trail holds who did what to which
 * child (by pseudonym), when, and the request's id: never an answer.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"
#include "store_int.h"

enum audit_stmt {
	A_LAST,
	A_ADD,
	A_WALK,
	A_LIST,
	A__MAX
};

static const char *const audit_sql[A__MAX] = {
	[A_LAST] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
	[A_ADD] = "INSERT INTO audit (id, at, staff_id, actor, action, unit_id,"
	    " invitation_id, child, detail, request, prev, hash)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[A_WALK] = "SELECT id, at, staff_id, actor, action, unit_id,"
	    " invitation_id, child, detail, request, prev, hash"
	    " FROM audit ORDER BY id",
	/* Newest first; each filter applies when it is given. */
	[A_LIST] = "SELECT id, at, actor, action, unit_id, invitation_id,"
	    " child, detail, request FROM audit"
	    " WHERE (?1 IS NULL OR actor = ?1)"
	    " AND (?2 IS NULL OR child = ?2)"
	    " AND (?3 IS NULL OR action = ?3)"
	    " AND (?4 IS NULL OR at >= ?4)"
	    " AND (?5 IS NULL OR at < ?5)"
	    " AND (?6 IS NULL OR invitation_id = ?6)"
	    " ORDER BY id DESC LIMIT ?7",
};

static const struct store_role audit_role = {
	STORE_ROLE_AUDIT, "audit", audit_sql, A__MAX
};

/* Appends an integer and a text (length first, so no two rows' fields
 * run together) to the bytes a row's hash covers. */
static void
put_int(struct buf *b, int64_t v)
{
	unsigned char	 x[8];
	int		 i;

	for (i = 0; i < 8; i++)
		x[i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
	buf_append(b, x, sizeof(x));
}

static void
put_text(struct buf *b, const char *s)
{
	if (s == NULL) {
		put_int(b, -1);
		return;
	}
	put_int(b, (int64_t)strlen(s));
	buf_puts(b, s);
}

/* The hash of row id with content e, chained to prev: 0, or -1 out of
 * memory. */
static int
audit_hash(const char *tenant, int64_t id, int64_t at,
    const struct audit_entry *e, const unsigned char prev[CRYPTO_HASHBYTES],
    unsigned char out[CRYPTO_HASHBYTES])
{
	struct buf	 b = { NULL, 0, 0 };

	buf_append(&b, prev, CRYPTO_HASHBYTES);
	put_int(&b, id);
	put_int(&b, at);
	put_int(&b, e->staff);
	put_text(&b, e->actor);
	put_text(&b, e->action);
	put_int(&b, e->unit);
	put_int(&b, e->invite);
	put_text(&b, e->child);
	put_text(&b, e->detail);
	put_text(&b, e->request);
	if (b.data == NULL) {
		buf_free(&b);
		return -1;
	}
	crypto_keyed_hash("audit", tenant, b.data, b.len, out);
	buf_free(&b);
	return 0;
}

static void
bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static void
bind_opt_id(sqlite3_stmt *st, int i, int64_t v)
{
	if (v > 0)
		sqlite3_bind_int64(st, i, v);
}

/*
 * Appends e to the trail inside the write transaction the caller holds
 * (store_wlock, store_begin): the row that follows the last, chained to
 * it.  Returns 0, or -1 (logged): the caller then rolls back what the
 * row was to record.
 */
int
store_audit_add_in(struct store *s, const char *tenant,
    const struct audit_entry *e)
{
	sqlite3_stmt	*st;
	unsigned char	 prev[CRYPTO_HASHBYTES], hash[CRYPTO_HASHBYTES];
	struct audit_entry	 row = *e;
	int64_t		 id = 1, at = store_now();
	int		 rc;

	/* What is hashed is what is stored. */
	if (row.actor == NULL)
		row.actor = "-";
	e = &row;
	memset(prev, 0, sizeof(prev));
	if ((st = store_stmt(s, &audit_role, A_LAST)) == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0) + 1;
		if (sqlite3_column_bytes(st, 1) == CRYPTO_HASHBYTES)
			memcpy(prev, sqlite3_column_blob(st, 1), sizeof(prev));
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	if (audit_hash(tenant, id, at, e, prev, hash) == -1) {
		LOG_ERR("%s: out of memory", s->path);
		return -1;
	}
	if ((st = store_stmt(s, &audit_role, A_ADD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	bind_opt_id(st, 3, e->staff);
	sqlite3_bind_text(st, 4, e->actor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, e->action, -1, SQLITE_TRANSIENT);
	bind_opt_id(st, 6, e->unit);
	bind_opt_id(st, 7, e->invite);
	bind_opt_text(st, 8, e->child);
	bind_opt_text(st, 9, e->detail);
	bind_opt_text(st, 10, e->request);
	sqlite3_bind_blob(st, 11, prev, sizeof(prev), SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 12, hash, sizeof(hash), SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

/* Appends e in a transaction of its own.  0, or -1 (logged). */
int
store_audit_add(struct store *s, const char *tenant,
    const struct audit_entry *e)
{
	if (store_tx_begin(s) == -1)
		return -1;
	return store_tx_end(s, store_audit_add_in(s, tenant, e));
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL :
	    (const char *)sqlite3_column_text(st, i);
}

/*
 * Walks the whole trail in order and checks each row's link to the one
 * before and its own hash.  Returns 0 when every row holds (*rows: how
 * many), 1 when one does not (*bad: the first row found changed, or the
 * row after a gap or a move, and why in a short English phrase), -1 when
 * the database failed (logged).
 */
int
store_audit_verify(struct store *s, const char *tenant, int64_t *rows,
    int64_t *bad, const char **why)
{
	sqlite3_stmt		*st;
	struct audit_entry	 e;
	unsigned char		 prev[CRYPTO_HASHBYTES], hash[CRYPTO_HASHBYTES];
	int64_t			 id, expect = 1, at;
	int			 rc, result = 0;

	*rows = 0;
	*bad = 0;
	*why = NULL;
	memset(prev, 0, sizeof(prev));
	if ((st = store_stmt(s, &audit_role, A_WALK)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		at = sqlite3_column_int64(st, 1);
		e.staff = sqlite3_column_int64(st, 2);
		e.actor = col_text(st, 3);
		e.action = col_text(st, 4);
		e.unit = sqlite3_column_int64(st, 5);
		e.invite = sqlite3_column_int64(st, 6);
		e.child = col_text(st, 7);
		e.detail = col_text(st, 8);
		e.request = col_text(st, 9);
		if (id != expect) {
			*why = id > expect ? "a row before it was removed" :
			    "rows were reordered";
			result = 1;
		} else if (sqlite3_column_bytes(st, 10) != CRYPTO_HASHBYTES ||
		    sodium_memcmp(sqlite3_column_blob(st, 10), prev,
		    CRYPTO_HASHBYTES) != 0) {
			*why = "its link to the row before does not hold: a "
			    "row before it was removed, replaced or moved";
			result = 1;
		} else if (audit_hash(tenant, id, at, &e, prev, hash) == -1) {
			rc = SQLITE_NOMEM;
			break;
		} else if (sqlite3_column_bytes(st, 11) != CRYPTO_HASHBYTES ||
		    sodium_memcmp(sqlite3_column_blob(st, 11), hash,
		    CRYPTO_HASHBYTES) != 0) {
			*why = "its content was changed";
			result = 1;
		}
		if (result) {
			*bad = id;
			break;
		}
		memcpy(prev, hash, sizeof(prev));
		expect = id + 1;
		(*rows)++;
	}
	store_done(st);
	if (!result && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return result;
}

/* The newest rows of the trail that pass filter (at most filter->max),
 * copied into the arena.  0, or -1 (logged). */
int
store_audit_list(struct store *s, struct arena *a,
    const struct audit_filter *f, struct audit_row **out, size_t *n)
{
	sqlite3_stmt	*st;
	struct audit_row *rows, *r;
	size_t		 cap = f->max > 0 ? f->max : 100;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((rows = arena_alloc(a, cap * sizeof(*rows))) == NULL)
		return -1;
	if ((st = store_stmt(s, &audit_role, A_LIST)) == NULL)
		return -1;
	bind_opt_text(st, 1, f->actor);
	bind_opt_text(st, 2, f->child);
	bind_opt_text(st, 3, f->action);
	if (f->from > 0)
		sqlite3_bind_int64(st, 4, f->from);
	if (f->to > 0)
		sqlite3_bind_int64(st, 5, f->to);
	bind_opt_id(st, 6, f->invite);
	sqlite3_bind_int64(st, 7, (int64_t)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
		r = &rows[(*n)++];
		r->id = sqlite3_column_int64(st, 0);
		r->at = sqlite3_column_int64(st, 1);
		r->actor = arena_strdup(a, col_text(st, 2) ? col_text(st, 2) : "");
		r->action = arena_strdup(a, col_text(st, 3) ? col_text(st, 3) : "");
		r->unit = sqlite3_column_int64(st, 4);
		r->invite = sqlite3_column_int64(st, 5);
		r->child = col_text(st, 6) ? arena_strdup(a, col_text(st, 6)) : NULL;
		r->detail = col_text(st, 7) ? arena_strdup(a, col_text(st, 7)) : NULL;
		r->request = col_text(st, 8) ? arena_strdup(a, col_text(st, 8)) : NULL;
		if (r->actor == NULL || r->action == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	store_done(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		STORE_FAIL(s);
		return -1;
	}
	*out = rows;
	return 0;
}
