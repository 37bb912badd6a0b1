/*
 * store_child.c: the statements of the child's routes and their
 * functions: finding an invitation by its code's hash, the child's secret
 * and language, failed logins, sessions, the response and its answers
 * (kept as history: a changed answer marks the old row replaced), and the
 * state of the child's next page.  No other file reaches these
 * statements.  A lookup that finds nothing returns 0 with an empty
 * result; -1 is a failed query, logged here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "store_int.h"

enum child_stmt {
	C_INVITE_FIND,
	C_INVITE_AGE,
	C_SECRET_GET,
	C_SECRET_SET,
	C_LANG_GET,
	C_LANG_SET,
	C_FAILURE_GET,
	C_FAILURE_PUT,
	C_FAILURE_CLEAR,
	C_SESSION_ADD,
	C_SESSION_FIND,
	C_SESSION_TOUCH,
	C_SESSION_END,
	C_SESSION_EXPIRE,
	C_RESPONSE_FIND,
	C_RESPONSE_ADD,
	C_RESPONSE_FINISH,
	C_RESPONSE_FINISHED,
	C_RESPONSE_GEN,
	C_RESPONSE_FLOW,
	C_ANSWER_CURRENT,
	C_ANSWER_REPLACE,
	C_ANSWER_ADD,
	C_ANSWERS,
	C_ALERT_RAISE,
	C_COUNT_ADD,
	C_ALERTS_OF,
	C_LEVEL_GET,
	C_LEVEL_PUT,
	C__MAX
};

static const char *const child_sql[C__MAX] = {
	[C_ALERT_RAISE] = "INSERT OR IGNORE INTO alerts (response_id, alert,"
	    " raised_at) VALUES (?, ?, ?)",
	[C_COUNT_ADD] = "INSERT INTO mapping_counts (group_id, question, value,"
	    " n) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (group_id, question, value)"
	    " DO UPDATE SET n = n + ?4",
	[C_ALERTS_OF] = "SELECT count(*) FROM alerts WHERE response_id = ?",
	[C_LEVEL_GET] = "SELECT band FROM mapping_levels WHERE response_id = ?"
	    " AND area = ? AND kind = ?",
	[C_LEVEL_PUT] = "INSERT INTO mapping_levels (response_id, area, kind,"
	    " band) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (response_id, area, kind)"
	    " DO UPDATE SET band = ?4",
	[C_INVITE_FIND] = "SELECT id FROM invitations WHERE code_hash = ?",
	[C_INVITE_AGE] = "SELECT age_band FROM invitations WHERE id = ?",
	[C_SECRET_GET] = "SELECT secret_hash FROM invitations WHERE id = ?",
	[C_SECRET_SET] = "UPDATE invitations SET secret_hash = ?"
	    " WHERE id = ? AND secret_hash IS NULL",
	[C_LANG_GET] = "SELECT lang FROM invitations WHERE id = ?",
	[C_LANG_SET] = "UPDATE invitations SET lang = ? WHERE id = ?",
	[C_FAILURE_GET] = "SELECT failures, locked_until FROM login_failures"
	    " WHERE code_hash = ?",
	[C_FAILURE_PUT] = "INSERT INTO login_failures (code_hash, failures,"
	    " locked_until) VALUES (?, ?, ?) ON CONFLICT (code_hash) DO UPDATE"
	    " SET failures = excluded.failures,"
	    " locked_until = excluded.locked_until",
	[C_FAILURE_CLEAR] = "DELETE FROM login_failures WHERE code_hash = ?",
	[C_SESSION_ADD] = "INSERT INTO sessions (token_hash, invitation_id,"
	    " csrf, created_at, seen_at) VALUES (?, ?, ?, ?, ?)",
	[C_SESSION_FIND] = "SELECT s.invitation_id, s.csrf, s.seen_at, r.id,"
	    " i.age_band, r.locked_at IS NOT NULL, r.gen,"
	    " CASE WHEN r.flow_gen = r.gen THEN r.flow END, r.flow_version,"
	    " coalesce(i.group_id, 0)"
	    " FROM sessions s"
	    " JOIN invitations i ON i.id = s.invitation_id"
	    " LEFT JOIN responses r ON r.invitation_id = s.invitation_id"
	    " WHERE s.token_hash = ? AND s.seen_at > ?",
	[C_SESSION_TOUCH] = "UPDATE sessions SET seen_at = ?"
	    " WHERE token_hash = ? AND seen_at < ?",
	[C_SESSION_END] = "DELETE FROM sessions WHERE token_hash = ?",
	[C_SESSION_EXPIRE] = "DELETE FROM sessions WHERE seen_at <= ?",
	[C_RESPONSE_FIND] = "SELECT id FROM responses WHERE invitation_id = ?",
	[C_RESPONSE_ADD] = "INSERT INTO responses (invitation_id, set_version,"
	    " started_at) VALUES (?, ?, ?)",
	[C_RESPONSE_FINISH] = "UPDATE responses SET finished_at = ?"
	    " WHERE id = ? AND finished_at IS NULL",
	[C_RESPONSE_FINISHED] = "SELECT finished_at IS NOT NULL FROM responses"
	    " WHERE id = ?",
	[C_RESPONSE_GEN] = "UPDATE responses SET gen = gen + 1 WHERE id = ?"
	    " RETURNING gen",
	[C_RESPONSE_FLOW] = "UPDATE responses SET flow = ?1, flow_gen = gen,"
	    " flow_version = ?2 WHERE id = ?3 AND gen = ?4",
	[C_ANSWER_CURRENT] = "SELECT value FROM answers WHERE response_id = ?"
	    " AND question = ? AND replaced_at IS NULL",
	[C_ANSWER_REPLACE] = "UPDATE answers SET replaced_at = ?"
	    " WHERE response_id = ? AND question = ? AND replaced_at IS NULL",
	[C_ANSWER_ADD] = "INSERT INTO answers (response_id, question, value,"
	    " answered_at, set_version) VALUES (?, ?, ?, ?, ?)",
	[C_ANSWERS] = "SELECT question, value, answered_at, set_version"
	    " FROM answers WHERE response_id = ? AND replaced_at IS NULL"
	    " ORDER BY id",
};

static const struct store_role child_role = {
	STORE_ROLE_CHILD, "child", child_sql, C__MAX
};

/* Finds the invitation with this code hash: 0 and *id (0 when there is
 * none), or -1 when the query failed. */
int
store_invite_find(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	*id = 0;
	if ((st = store_stmt(s, &child_role, C_INVITE_FIND)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		*id = 0;
		return -1;
	}
	return 0;
}

/* One text column of an invitation into out ("" when NULL or none). */
static int
store_invite_text(struct store *s, int which, int64_t invite,
    char *out, size_t outlen)
{
	sqlite3_stmt	*st;
	int		 rc;

	out[0] = '\0';
	if ((st = store_stmt(s, &child_role, which)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invite);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

/* Writes one text column of an invitation: the rows changed, or -1. */
static int
store_invite_set(struct store *s, int which, int64_t invite,
    const char *text)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, &child_role, which)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, invite);
	rc = store_step_write(s, st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return sqlite3_changes(s->db);
}

/* The invitation's age band into out (empty when none was set). */
int
store_invite_age(struct store *s, int64_t invite, char *out, size_t outlen)
{
	return store_invite_text(s, C_INVITE_AGE, invite, out, outlen);
}

/* The invitation's secret hash (argon2id string), "" when none yet. */
int
store_secret_get(struct store *s, int64_t invite, char *out, size_t outlen)
{
	return store_invite_text(s, C_SECRET_GET, invite, out, outlen);
}

/* Sets the secret once: returns 0 if set, 1 if one was set already. */
int
store_secret_set(struct store *s, int64_t invite, const char *hash)
{
	int	 n = store_invite_set(s, C_SECRET_SET, invite, hash);

	return n == -1 ? -1 : n == 1 ? 0 : 1;
}

int
store_lang_get(struct store *s, int64_t invite, char *out, size_t outlen)
{
	return store_invite_text(s, C_LANG_GET, invite, out, outlen);
}

int
store_lang_set(struct store *s, int64_t invite, const char *lang)
{
	return store_invite_set(s, C_LANG_SET, invite, lang) == -1 ? -1 : 0;
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
	if ((st = store_stmt(s, &child_role, C_FAILURE_GET)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*failures = sqlite3_column_int(st, 0);
		*locked_until = sqlite3_column_int64(st, 1);
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

int
store_failure_put(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int failures, int64_t locked_until)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &child_role, C_FAILURE_PUT)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, failures);
	sqlite3_bind_int64(st, 3, locked_until);
	return store_write(s, st);
}

/* Forgets the failures of a code hash (after a good login, or unlock). */
int
store_failure_clear(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES])
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &child_role, C_FAILURE_CLEAR)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	return store_write(s, st);
}

int
store_session_add(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int64_t invite, const char *csrf, int64_t now)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &child_role, C_SESSION_ADD)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, invite);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now);
	return store_write(s, st);
}

/*
 * Finds a session seen within idle seconds, with its invitation, response
 * (0 when none yet), CSRF token and age band, in one query; refreshes its
 * time at most once a minute.  Returns 0 (out->invite is 0 when there is
 * no such session), or -1 when the database failed.
 */
int
store_session_get(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int64_t now, int idle, struct session_row *out)
{
	sqlite3_stmt	*st;
	int		 rc, found = 0;
	int64_t		 seen = 0;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, &child_role, C_SESSION_FIND)) == NULL)
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
		out->group = sqlite3_column_int64(st, 9);
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
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	if (!found)
		return 0;
	/* Most requests write nothing: the time moves once a minute. */
	if (seen > now - 60 * (int64_t)1000000)
		return 0;
	if ((st = store_stmt(s, &child_role, C_SESSION_TOUCH)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_blob(st, 2, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now - 60 * (int64_t)1000000);
	return store_write(s, st);
}

/* As store_session_get, for the invitation (0 when none) and the CSRF
 * token only. */
int
store_session_find(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES],
    int64_t now, int idle, int64_t *invite, char *csrf, size_t csrflen)
{
	struct session_row	 r;

	*invite = 0;
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

	if ((st = store_stmt(s, &child_role, C_SESSION_EXPIRE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	return store_write(s, st);
}

int
store_session_end(struct store *s, const unsigned char hash[CRYPTO_HASHBYTES])
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &child_role, C_SESSION_END)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, CRYPTO_HASHBYTES, SQLITE_STATIC);
	return store_write(s, st);
}

/* Finds or starts the invitation's response; the version is recorded
 * when the response starts. */
int
store_response_open(struct store *s, int64_t invite, const char *version,
    int64_t now, int64_t *response)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, &child_role, C_RESPONSE_FIND)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invite);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*response = sqlite3_column_int64(st, 0);
	store_done(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
		return -1;
	}
	if ((st = store_stmt(s, &child_role, C_RESPONSE_ADD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invite);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	rc = store_step_write(s, st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		STORE_FAIL(s);
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
	if ((st = store_stmt(s, &child_role, C_RESPONSE_FLOW)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, it->flow, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, it->version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, it->response);
	sqlite3_bind_int64(st, 4, it->gen + it->changed);
	rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Adds delta to what group counts of (question, value, len bytes of it). */
static int
count_add(struct store *s, int64_t group, const char *question,
    const char *value, int len, int delta)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &child_role, C_COUNT_ADD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, group);
	sqlite3_bind_text(st, 2, question, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, value, len, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, delta);
	return store_step_in(st);
}

/*
 * Counts a mapping answer in its group (delta +1 when given, -1 when it is
 * replaced): each option of a choice, a special answer as it is, a number
 * as it is, words as "t" only (what they say is never counted); an
 * information page not at all.
 */
static int
count_answer(struct store *s, int64_t group, const char *question,
    const char *value, int delta)
{
	const char	*p;
	size_t		 len;

	if (strncmp(value, "o:", 2) == 0 || strncmp(value, "m:", 2) == 0) {
		for (p = value + 2; *p != '\0'; p += strspn(p, " ")) {
			len = strcspn(p, " ");
			if (len > 0 && count_add(s, group, question, p, (int)len,
			    delta) == -1)
				return -1;
			p += len;
		}
		return 0;
	}
	if (strcmp(value, "s:seen") == 0)
		return 0;
	if (strncmp(value, "t:", 2) == 0)
		return count_add(s, group, question, "t", -1, delta);
	return count_add(s, group, question, value, -1, delta);
}

/* The alerts the answer raised (it->alerts: their ids, space-separated),
 * each kept once per response, inside the open transaction; in a mapping
 * round, counted in the group (each alert, and the respondent's first). */
static int
store_alerts_write(struct store *s, const struct commit_item *it)
{
	sqlite3_stmt	*st;
	const char	*p = it->alerts;
	size_t		 len;
	int		 rc, added, total = 0;

	while (p != NULL && *p != '\0') {
		if ((len = strcspn(p, " ")) > 0) {
			if ((st = store_stmt(s, &child_role, C_ALERT_RAISE)) ==
			    NULL)
				return -1;
			sqlite3_bind_int64(st, 1, it->response);
			sqlite3_bind_text(st, 2, p, (int)len, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, it->now);
			rc = sqlite3_step(st);
			store_done(st);
			if (rc != SQLITE_DONE)
				return -1;
			added = sqlite3_changes(s->db);
			if (it->group > 0 && added) {
				if ((st = store_stmt(s, &child_role,
				    C_ALERTS_OF)) == NULL)
					return -1;
				sqlite3_bind_int64(st, 1, it->response);
				if (sqlite3_step(st) == SQLITE_ROW)
					total = sqlite3_column_int(st, 0);
				store_done(st);
				if ((total == 1 && count_add(s, it->group, "",
				    "alerted", -1, 1) == -1) ||
				    count_add(s, it->group, "", p, (int)len,
				    1) == -1)
					return -1;
			}
		}
		p += len;
		p += strspn(p, " ");
	}
	return 0;
}

/*
 * Moves a mapping response's bands (it->levels: "area:kind:band ..." from
 * Q.levels) in its group's counts, inside the open transaction: a band
 * that changed is counted out of its old value (question "kind:area") and
 * into its new one, so every respondent is counted once per area and kind.
 * Its bands are kept per response (mapping_levels) for the next answer.
 */
static int
store_levels_write(struct store *s, const struct commit_item *it)
{
	sqlite3_stmt	*st;
	const char	*p = it->levels, *area, *kind;
	char		 q[96], v[2] = { 0, 0 };
	size_t		 alen, klen;
	int		 rc, old;

	for (; p != NULL && *p != '\0'; p += strspn(p, " ")) {
		area = p;
		alen = strspn(area, "abcdefghijklmnopqrstuvwxyz0123456789_");
		kind = area + alen + 1;
		if (alen == 0 || alen > 64 || area[alen] != ':')
			return -1;
		klen = strncmp(kind, "risk:", 5) == 0 ? 4 :
		    strncmp(kind, "resource:", 9) == 0 ? 8 : 0;
		if (klen == 0 || kind[klen] != ':' || kind[klen + 1] < '0' ||
		    kind[klen + 1] > '2' || (kind[klen + 2] != ' ' &&
		    kind[klen + 2] != '\0'))
			return -1;
		p = kind + klen + 2;
		snprintf(q, sizeof(q), "%.*s:%.*s", (int)klen, kind, (int)alen,
		    area);
		if ((st = store_stmt(s, &child_role, C_LEVEL_GET)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, it->response);
		sqlite3_bind_text(st, 2, area, (int)alen, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, kind, (int)klen, SQLITE_STATIC);
		old = (rc = sqlite3_step(st)) == SQLITE_ROW ?
		    sqlite3_column_int(st, 0) : -1;
		store_done(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return -1;
		if (old == kind[klen + 1] - '0')
			continue;
		if (old >= 0) {
			v[0] = (char)('0' + old);
			if (count_add(s, it->group, q, v, 1, -1) == -1)
				return -1;
		}
		v[0] = kind[klen + 1];
		if (count_add(s, it->group, q, v, 1, 1) == -1 ||
		    (st = store_stmt(s, &child_role, C_LEVEL_PUT)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, it->response);
		sqlite3_bind_text(st, 2, area, (int)alen, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, kind, (int)klen, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, kind[klen + 1] - '0');
		if (store_step_in(st) == -1)
			return -1;
	}
	return 0;
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
	char		*was = NULL;
	int64_t		 gen = 0;
	int		 rc, same = 0;

	if ((st = store_stmt(s, &child_role, C_ANSWER_CURRENT)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, it->response);
	sqlite3_bind_text(st, 2, it->question, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		same = strcmp((const char *)sqlite3_column_text(st, 0),
		    it->value) == 0;
		/* A mapping answer replaced is counted out of its group. */
		if (!same && it->group > 0 && (was = strdup((const char *)
		    sqlite3_column_text(st, 0))) == NULL)
			rc = SQLITE_NOMEM;
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	if (same)
		return 0;
	if ((st = store_stmt(s, &child_role, C_RESPONSE_GEN)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, it->response);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		gen = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	store_done(st);
	if (rc != SQLITE_DONE)
		goto fail;
	it->changed = 1;
	if ((st = store_stmt(s, &child_role, C_ANSWER_REPLACE)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, it->now);
	sqlite3_bind_int64(st, 2, it->response);
	sqlite3_bind_text(st, 3, it->question, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE || (st = store_stmt(s, &child_role, C_ANSWER_ADD)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, it->response);
	sqlite3_bind_text(st, 2, it->question, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, it->value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, it->now);
	if (it->version != NULL)
		sqlite3_bind_text(st, 5, it->version, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		goto fail;
	/* A mapping round's counts move with its answers, in the same
	 * transaction: the first answer makes a respondent. */
	if (it->group > 0 && ((gen == 1 && count_add(s, it->group, "",
	    "respondents", -1, 1) == -1) || (was != NULL && count_answer(s,
	    it->group, it->question, was, -1) == -1) || count_answer(s,
	    it->group, it->question, it->value, 1) == -1 ||
	    store_levels_write(s, it) == -1))
		goto fail;
	free(was);
	return store_alerts_write(s, it);
fail:
	free(was);
	return -1;
}

/*
 * Stores a list of answers (and the work of items that have their own,
 * it->work) in one durable transaction; each in a savepoint of its own, so one that fails (it->rc = -1) leaves the others.
 * Returns -1 if the transaction as a whole failed (then every rc is -1).
 * Each failure is logged once: an answer's here, the transaction's where
 * it failed.
 */
int
store_answers_put(struct store *s, struct commit_item *list)
{
	struct commit_item	*it;

	store_wlock(s);
	if (store_begin(s) == -1) {
		store_wunlock(s);
		return -1;
	}
	for (it = list; it != NULL; it = it->next) {
		if (store_savepoint(s) == -1)
			goto fail;
		it->changed = 0;
		if (it->work != NULL)
			it->rc = it->work(s, it);
		else if ((it->rc = store_answer_write(s, it)) == 0 &&
		    store_flow_write(s, it) == -1)
			it->rc = -1;
		if (it->rc == -1) {
			LOG_ERR("%s: %s not stored: %s", s->path, it->work ?
			    "a read's audit row" : "answer",
			    sqlite3_errmsg(s->db));
			if (store_rollback_to(s) == -1)
				goto fail;
		}
		if (store_release(s) == -1)
			goto fail;
	}
	if (store_commit(s) == -1)
		goto fail;
	store_wunlock(s);
	return 0;
fail:
	store_rollback(s);
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
	if ((st = store_stmt(s, &child_role, C_ANSWERS)) == NULL)
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
		STORE_FAIL(s);
		return -1;
	}
	return 0;
}

int
store_response_finish(struct store *s, int64_t response, int64_t now)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, &child_role, C_RESPONSE_FINISH)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, response);
	return store_write(s, st);
}

/* 1 if the response is finished, 0 if not, -1 if there is no such
 * response or the query failed (logged). */
int
store_response_finished(struct store *s, int64_t response)
{
	sqlite3_stmt	*st;
	int		 rc, v = -1;

	if ((st = store_stmt(s, &child_role, C_RESPONSE_FINISHED)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		STORE_FAIL(s);
	return v;
}
