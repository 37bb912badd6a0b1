/*
 * store_mapping.c: the statements of anonymous mapping: rounds of a unit
 * and their groups, the anonymous invitations of a group, how many of a
 * group have answered, and closing a round, which erases what links a
 * slip to its answers (the code hashes, secrets, languages, sessions and
 * failed tries of the round's invitations, and the times that could tell
 * one child's answers from another's) while every answer stays to be
 * counted.  Nothing here reads a mapping response's answers: no function
 * of this file, or of any other, returns them one response at a time.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "extern.h"
#include "store_int.h"

enum mapping_stmt {
	M_ROUND_ADD,
	M_GROUP_ADD,
	M_ROUND_GET,
	M_ROUNDS,
	M_GROUPS,
	M_GROUP_GET,
	M_GROUP_NAMES,
	M_INVITE_ADD,
	M_DUE,
	M_SESSIONS_END,
	M_FAILURES_FORGET,
	M_INVITES_ERASE,
	M_RESPONSES_BLUR,
	M_ANSWERS_BLUR,
	M_ALERTS_BLUR,
	M_ROUND_CLOSE,
	M_ROUND_VERSION,
	M_ROUND_TOTALS,
	M_COUNTS,
	M_GROUP_COUNTS,
	M_RESPONDENTS,
	M__MAX
};

/* The invitations of round ?1. */
#define OF_ROUND " (SELECT id FROM invitations WHERE group_id IN" \
	" (SELECT id FROM mapping_groups WHERE round_id = ?1))"

static const char *const mapping_sql[M__MAX] = {
	[M_ROUND_ADD] = "INSERT INTO mapping_rounds (unit_id, name, opens,"
	    " closes, created_at) VALUES (?, ?, ?, ?, ?)",
	[M_GROUP_ADD] = "INSERT INTO mapping_groups (round_id, name, expected)"
	    " VALUES (?, ?, ?)",
	[M_ROUND_GET] = "SELECT id, unit_id, name, opens, closes,"
	    " coalesce(closed_at, 0), version FROM mapping_rounds WHERE id = ?",
	[M_ROUNDS] = "SELECT id, unit_id, name, opens, closes,"
	    " coalesce(closed_at, 0), version FROM mapping_rounds"
	    " WHERE unit_id = ?"
	    " ORDER BY opens DESC, id DESC",
	/* Per group: invited, answering (a response begun), finished. */
	[M_GROUPS] = "SELECT g.id, g.round_id, g.name, g.expected,"
	    " count(i.id), count(r.id), count(r.finished_at)"
	    " FROM mapping_groups g"
	    " LEFT JOIN invitations i ON i.group_id = g.id"
	    " LEFT JOIN responses r ON r.invitation_id = i.id"
	    " WHERE g.round_id = ? GROUP BY g.id ORDER BY g.name",
	/* The groups alone, for a report: nothing counted per response. */
	[M_GROUP_NAMES] = "SELECT id, round_id, name, expected, 0, 0, 0"
	    " FROM mapping_groups WHERE round_id = ? ORDER BY name",
	[M_GROUP_GET] = "SELECT id, round_id, name, expected, 0, 0, 0"
	    " FROM mapping_groups WHERE id = ?",
	[M_INVITE_ADD] = "INSERT INTO invitations (code_hash, created_at,"
	    " age_band, group_id) VALUES (?, ?, ?, ?)",
	/* Rounds past their last day (?1: today, YYYY-MM-DD) not closed. */
	[M_DUE] = "SELECT id, unit_id FROM mapping_rounds"
	    " WHERE closed_at IS NULL AND closes < ?1",
	[M_SESSIONS_END] = "DELETE FROM sessions WHERE invitation_id IN"
	    OF_ROUND,
	[M_FAILURES_FORGET] = "DELETE FROM login_failures WHERE code_hash IN"
	    " (SELECT code_hash FROM invitations WHERE id IN" OF_ROUND ")",
	/* A code hash no code has (random bytes), no secret, no language. */
	[M_INVITES_ERASE] = "UPDATE invitations SET code_hash = randomblob(32),"
	    " secret_hash = NULL, lang = NULL, label = NULL, created_at = ?2"
	    " WHERE id IN" OF_ROUND,
	[M_RESPONSES_BLUR] = "UPDATE responses SET started_at = ?2,"
	    " finished_at = CASE WHEN finished_at IS NULL THEN NULL ELSE ?2 END,"
	    " locked_at = NULL, flow = NULL WHERE invitation_id IN" OF_ROUND,
	[M_ANSWERS_BLUR] = "UPDATE answers SET answered_at = ?2,"
	    " replaced_at = CASE WHEN replaced_at IS NULL THEN NULL ELSE ?2 END"
	    " WHERE response_id IN (SELECT id FROM responses"
	    " WHERE invitation_id IN" OF_ROUND ")",
	[M_ALERTS_BLUR] = "UPDATE alerts SET raised_at = ?2"
	    " WHERE response_id IN (SELECT id FROM responses"
	    " WHERE invitation_id IN" OF_ROUND ")",
	[M_ROUND_CLOSE] = "UPDATE mapping_rounds SET closed_at = ?2"
	    " WHERE id = ?1 AND closed_at IS NULL",
	/* The set version the round was last answered under. */
	[M_ROUND_VERSION] = "UPDATE mapping_rounds SET version ="
	    " (SELECT a.set_version FROM answers a WHERE a.response_id IN"
	    " (SELECT id FROM responses WHERE invitation_id IN" OF_ROUND ")"
	    " ORDER BY a.id DESC LIMIT 1) WHERE id = ?1",
	/* The round's counts summed over its groups, once, as it closes. */
	[M_ROUND_TOTALS] = "INSERT INTO mapping_round_counts (round_id,"
	    " question, value, n) SELECT ?1, c.question, c.value, sum(c.n)"
	    " FROM mapping_counts c JOIN mapping_groups g ON g.id = c.group_id"
	    " WHERE g.round_id = ?1 GROUP BY c.question, c.value"
	    " HAVING sum(c.n) > 0",
	/* What a closed round counts, or one group (never a response). */
	[M_COUNTS] = "SELECT 0, question, value, n FROM mapping_round_counts"
	    " WHERE round_id = ?1 ORDER BY question, value",
	[M_GROUP_COUNTS] = "SELECT group_id, question, value, n"
	    " FROM mapping_counts WHERE group_id = ?1 AND n > 0"
	    " ORDER BY question, value",
	[M_RESPONDENTS] = "SELECT coalesce(sum(n), 0) FROM mapping_round_counts"
	    " WHERE round_id = ?1 AND question = '' AND value = 'respondents'",
};

static const struct store_role mapping_role = {
	STORE_ROLE_MAPPING, "mapping", mapping_sql, M__MAX
};

/*
 * A mapping round of unit with its n groups (names[i], expected[i]) and
 * the audit row e, in one transaction: 0 with *id, or -1 (a group's name
 * twice included: nothing is made).
 */
int
store_mapping_add(struct store *s, const char *tenant, int64_t unit,
    const char *name, const char *opens, const char *closes,
    const char *const *names, const int *expected, size_t n,
    struct audit_entry *e, int64_t *id)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if (store_tx_begin(s) == -1)
		return -1;
	if ((st = store_stmt(s, &mapping_role, M_ROUND_ADD)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, unit);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, opens, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, closes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, store_now());
	if (store_step_in(st) == -1)
		goto failed;
	*id = sqlite3_last_insert_rowid(s->db);
	for (i = 0; i < n; i++) {
		if ((st = store_stmt(s, &mapping_role, M_GROUP_ADD)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_text(st, 2, names[i], -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, expected[i]);
		if (store_step_in(st) == -1)
			goto failed;
	}
	e->unit = unit;
	e->detail = name;
	if (store_audit_add_in(s, tenant, e) == -1)
		goto fail;
	return store_tx_end(s, 0);
failed:
	STORE_FAIL(s);
fail:
	store_tx_end(s, -1);
	return -1;
}

static int
round_fill(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct mapping_round	*r = row;

	r->id = sqlite3_column_int64(st, 0);
	r->unit = sqlite3_column_int64(st, 1);
	r->name = arena_strdup(a, store_text(st, 2));
	r->opens = arena_strdup(a, store_text(st, 3));
	r->closes = arena_strdup(a, store_text(st, 4));
	r->closed = sqlite3_column_int64(st, 5);
	r->version = sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL :
	    arena_strdup(a, store_text(st, 6));
	return r->name && r->opens && r->closes ? 0 : -1;
}

/* Round id (out->id 0 when there is none). */
int
store_mapping_get(struct store *s, struct arena *a, int64_t id,
    struct mapping_round *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, &mapping_role, M_ROUND_GET)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW && round_fill(a, st, out) == -1)
		rc = SQLITE_NOMEM;
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

/* The rounds of unit, appended to *out (*n of them, *cap room), the
 * newest first. */
int
store_mapping_rounds(struct store *s, struct arena *a, int64_t unit,
    struct mapping_round **out, size_t *n, size_t *cap)
{
	struct store_rows	 r = { *out, *n, *cap };
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = store_stmt(s, &mapping_role, M_ROUNDS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, unit);
	rc = store_rows(s, a, st, sizeof(**out), round_fill, &r);
	*out = r.v;
	*n = r.n;
	*cap = r.cap;
	return rc;
}

static int
group_fill(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct mapping_group	*g = row;

	g->id = sqlite3_column_int64(st, 0);
	g->round = sqlite3_column_int64(st, 1);
	g->name = arena_strdup(a, store_text(st, 2));
	g->expected = sqlite3_column_int(st, 3);
	g->invited = sqlite3_column_int(st, 4);
	g->begun = sqlite3_column_int(st, 5);
	g->finished = sqlite3_column_int(st, 6);
	return g->name != NULL ? 0 : -1;
}

/* The groups of round; when counted, with how many are invited, have
 * begun and have finished (counts of a group, never a response; they read
 * every invitation of the round, which a report has no need of). */
int
store_mapping_groups(struct store *s, struct arena *a, int64_t round,
    int counted, struct mapping_group **out, size_t *n)
{
	struct store_rows	 r = { NULL, 0, 0 };
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = store_stmt(s, &mapping_role, counted ? M_GROUPS :
	    M_GROUP_NAMES)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	rc = store_rows(s, a, st, sizeof(**out), group_fill, &r);
	*out = r.v;
	*n = r.n;
	return rc;
}

/* Group id (out->id 0 when there is none). */
int
store_mapping_group(struct store *s, struct arena *a, int64_t id,
    struct mapping_group *out)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, &mapping_role, M_GROUP_GET)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW && group_fill(a, st, out) == -1)
		rc = SQLITE_NOMEM;
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

/*
 * n anonymous invitations of group (the codes' hashes; the age band, or
 * NULL) and the one audit row e of the group's slips, in one transaction:
 * 0, or -1 with none made.  Nothing but the group is kept with them.
 */
int
store_mapping_invite(struct store *s, const char *tenant, int64_t group,
    const char *age, const unsigned char (*hashes)[CRYPTO_HASHBYTES],
    size_t n, struct audit_entry *e)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if (store_tx_begin(s) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((st = store_stmt(s, &mapping_role, M_INVITE_ADD)) == NULL)
			goto fail;
		sqlite3_bind_blob(st, 1, hashes[i], CRYPTO_HASHBYTES,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, store_now());
		if (age != NULL)
			sqlite3_bind_text(st, 3, age, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, group);
		if (store_step_in(st) == -1) {
			STORE_FAIL(s);
			goto fail;
		}
	}
	if (store_audit_add_in(s, tenant, e) == -1)
		goto fail;
	return store_tx_end(s, 0);
fail:
	store_tx_end(s, -1);
	return -1;
}

/*
 * Closes round (when open) with the audit row e (NULL: none), in one
 * transaction: its sessions and failed tries go, its invitations keep no
 * code hash, secret or language, and every time of its responses, answers
 * and alerts becomes the closing time; the answers stay, to be counted,
 * and the round keeps the set version it was last answered under.
 * Then the write-ahead log is emptied into the database (secure_delete
 * has overwritten what was removed), so the file keeps no old copy.
 * 1 when it was closed now, 0 when it was closed before, -1.
 */
int
store_mapping_close(struct store *s, const char *tenant, int64_t round,
    struct audit_entry *e)
{
	static const int steps[] = { M_ROUND_VERSION, M_ROUND_TOTALS,
	    M_SESSIONS_END,
	    M_FAILURES_FORGET,
	    M_INVITES_ERASE, M_RESPONSES_BLUR, M_ANSWERS_BLUR, M_ALERTS_BLUR };
	sqlite3_stmt	*st;
	int64_t		 now = store_now();
	size_t		 i;
	int		 closed;

	if (store_tx_begin(s) == -1)
		return -1;
	if ((st = store_stmt(s, &mapping_role, M_ROUND_CLOSE)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, round);
	sqlite3_bind_int64(st, 2, now);
	if (store_step_in(st) == -1)
		goto failed;
	if ((closed = sqlite3_changes(s->db)) == 0)
		return store_tx_end(s, 0) == -1 ? -1 : 0;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if ((st = store_stmt(s, &mapping_role, steps[i])) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, round);
		if (sqlite3_bind_parameter_count(st) >= 2)
			sqlite3_bind_int64(st, 2, now);
		if (store_step_in(st) == -1)
			goto failed;
	}
	if (e != NULL && store_audit_add_in(s, tenant, e) == -1)
		goto fail;
	if (store_tx_end(s, 0) == -1)
		return -1;
	store_wlock(s);
	if (sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    NULL, NULL) != SQLITE_OK)
		LOG_WARN("%s: the log was not emptied after a mapping round "
		    "closed (it is, at the next checkpoint): %s", s->path,
		    sqlite3_errmsg(s->db));
	store_wunlock(s);
	return 1;
failed:
	STORE_FAIL(s);
fail:
	store_tx_end(s, -1);
	return -1;
}

/* The rounds past their last day (today: YYYY-MM-DD) not yet closed,
 * closed now (audited as the daemon's).  The number closed, or -1. */
int
store_mapping_close_due(struct store *s, const char *tenant,
    const char *today)
{
	sqlite3_stmt		*st;
	struct audit_entry	 e;
	int64_t			 ids[16], units[16];
	size_t			 i, n = 0;
	int			 rc, closed = 0;

	if ((st = store_stmt(s, &mapping_role, M_DUE)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	while (n < sizeof(ids) / sizeof(ids[0]) &&
	    (rc = sqlite3_step(st)) == SQLITE_ROW) {
		ids[n] = sqlite3_column_int64(st, 0);
		units[n++] = sqlite3_column_int64(st, 1);
	}
	store_done(st);
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		e.actor = "berattad";
		e.action = "mapping_close";
		e.unit = units[i];
		e.detail = "its last day passed";
		if ((rc = store_mapping_close(s, tenant, ids[i], &e)) == -1)
			return -1;
		closed += rc;
	}
	return closed;
}

static int
count_fill(struct arena *a, sqlite3_stmt *st, void *row)
{
	struct mapping_count	*c = row;

	c->group = sqlite3_column_int64(st, 0);
	c->question = arena_strdup(a, store_text(st, 1));
	c->value = arena_strdup(a, store_text(st, 2));
	c->n = sqlite3_column_int64(st, 3);
	return c->question && c->value ? 0 : -1;
}

/* What a closed round counts (group 0: summed over its groups when it
 * closed), or one of its groups, by question and value: the aggregates a
 * report is made of (the caller suppresses them). */
int
store_mapping_counts(struct store *s, struct arena *a, int64_t round,
    int64_t group, struct mapping_count **out, size_t *n)
{
	struct store_rows	 r = { NULL, 0, 0 };
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = store_stmt(s, &mapping_role, group != 0 ? M_GROUP_COUNTS :
	    M_COUNTS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, group != 0 ? group : round);
	rc = store_rows(s, a, st, sizeof(**out), count_fill, &r);
	*out = r.v;
	*n = r.n;
	return rc;
}

/* How many answered in the whole of a closed round: 0 with *n, or -1. */
int
store_mapping_respondents(struct store *s, int64_t round, int64_t *n)
{
	sqlite3_stmt	*st;
	int		 rc;

	*n = 0;
	if ((st = store_stmt(s, &mapping_role, M_RESPONDENTS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, round);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	store_done(st);
	if (rc != SQLITE_ROW) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}
