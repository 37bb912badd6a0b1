/*
 * session.c: sessions, for every family of routes: the session cookie and
 * its token, looking a session up once per request, beginning one at a
 * login (always a new token) and ending one, the CSRF check, and the
 * throttling of failed logins.  No other file reads a session cookie.
 *
 * A token is 256 random bits (libsodium) in the cookie; the database keeps
 * only its keyed hash.  Before login, CSRF is a double-submit token: a
 * random cookie that the form repeats.  After login it is the session's
 * own token, kept with the session.  Both are compared in constant time.
 *
 * A staff session is a second kind with its own cookie, read only on the
 * staff family's routes (a child's only on the child's), so a child's and
 * an adult's session never mix in one browser.  It has a stage (enrolling
 * the second factor, the factor due, in), an idle time and a lifetime of
 * the tenant's.  What a session may do is not decided here but in
 * auth_allow.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"

#define PRE_COOKIE	"beratta_pre"
#define PRE_TOKEN_LEN	43	/* crypto_token's text of 32 bytes */
#define SEC		((int64_t)1000000)

static int
is_staff(const struct request *req)
{
	return req->route != NULL && req->route->family == FAMILY_STAFF;
}

/* The session cookie of the request's family: __Host- and Secure under
 * TLS. */
static const char *
session_cookie_name(const struct request *req)
{
	if (is_staff(req))
		return req->https ? "__Host-beratta_staff" : "beratta_staff";
	return req->https ? "__Host-beratta" : "beratta";
}

/* 1 if a and b are the same token of at least 32 characters, compared in
 * constant time; 0 otherwise. */
int
valid_token_pair(const char *a, const char *b)
{
	size_t	 n;

	if (a == NULL || b == NULL || (n = strlen(a)) != strlen(b) || n < 32)
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

/* The keyed hash of the token in the session cookie: 0, or -1 when the
 * request has no well-formed token. */
static int
session_token_hash(struct request *req, unsigned char hash[CRYPTO_HASHBYTES])
{
	const char	*tok = request_cookie(req, session_cookie_name(req));
	unsigned char	 raw[CRYPTO_TOKENBYTES];

	if (tok == NULL || crypto_token_decode(tok, raw) == -1)
		return -1;
	crypto_keyed_hash(is_staff(req) ? "staff-session" : "session",
	    req->tenant->conf->name, raw, sizeof(raw), hash);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

/*
 * Reads the staff session of the token hash into s, with its account's
 * roles: 0, 1 when there is no live session (or the account is
 * disabled), -1 when the database failed.
 */
static int
session_load_staff(struct request *req, struct session *s)
{
	struct staff_session_row row;
	struct staff_row	*acc;
	struct store		*st = req->tenant->store;
	const struct tenant_conf *tc = req->tenant->conf;

	if (store_staff_session_get(st, s->hash, tc->staff_idle,
	    tc->staff_lifetime, &row) == -1)
		return -1;
	if (row.staff == 0)
		return 1;
	if ((acc = arena_alloc(req->arena, sizeof(*acc))) == NULL ||
	    store_staff_get(st, row.staff, acc) == -1)
		return -1;
	if (acc->id == 0 || acc->disabled)
		return 1;
	s->kind = SESSION_STAFF;
	s->staff = acc->id;
	s->stage = (enum staff_stage)row.stage;
	s->admin = acc->admin;
	memcpy(s->csrf, row.csrf, sizeof(s->csrf));
	if ((s->login = arena_strdup(req->arena, acc->login)) == NULL ||
	    (s->name = arena_strdup(req->arena, acc->name)) == NULL ||
	    (s->staff_lang = arena_strdup(req->arena, acc->lang)) == NULL)
		return -1;
	sodium_memzero(acc, sizeof(*acc));
	return store_staff_units(st, req->arena, s->staff, &s->units,
	    &s->nunits) == -1 ? -1 : 0;
}

/*
 * Reads the child's session of the token hash into s: 0 with s filled
 * (its response opened if the child had none yet), 1 when there is no
 * live session, -1 when the database failed.
 */
static int
session_load_child(struct request *req, struct session *s)
{
	struct session_row	 row;
	struct store		*st = req->tenant->store;

	if (store_session_get(st, s->hash, store_now(),
	    req->tenant->conf->session_idle, &row) == -1)
		return -1;
	if (row.invite == 0)
		return 1;
	s->kind = SESSION_CHILD;
	s->invite = row.invite;
	s->response = row.response;
	memcpy(s->csrf, row.csrf, sizeof(s->csrf));
	memcpy(s->age, row.age, sizeof(s->age));
	s->locked = row.locked;
	s->gen = row.gen;
	s->group = row.group;
	if (row.flow[0] != '\0' &&
	    strcmp(row.flow_version, req->tenant->version) == 0 &&
	    (s->flow = arena_strdup(req->arena, row.flow)) == NULL)
		return -1;
	if (s->response == 0 && store_response_open(st, s->invite,
	    req->tenant->version, store_now(), &s->response) == -1)
		return -1;
	return 0;
}

/*
 * The session this request carries, looked up once per request (in the
 * request's arena), or NULL when there is none (or the lookup failed,
 * which the store has logged).  Takes the tenant's store lock if the
 * request does not hold it yet.
 */
struct session *
session_find(struct request *req)
{
	struct session	*s;

	if (req->session_looked)
		return req->session;
	req->session_looked = 1;
	if (tenant_enter(req) == -1 ||
	    (s = arena_alloc(req->arena, sizeof(*s))) == NULL)
		return NULL;
	memset(s, 0, sizeof(*s));
	if (session_token_hash(req, s->hash) == -1)
		return NULL;
	if ((is_staff(req) ? session_load_staff(req, s) :
	    session_load_child(req, s)) == 0)
		req->session = s;
	return req->session;
}

/*
 * The pre-login CSRF token: the browser's double-submit cookie, set now
 * when it has none.  Never NULL ("" when out of memory: every form with it
 * is then refused, which is safe).
 */
const char *
session_pre_token(struct request *req, struct response *resp)
{
	const char	*t = request_cookie(req, PRE_COOKIE);
	char		*n;

	if (t != NULL && strlen(t) == PRE_TOKEN_LEN)
		return t;
	if ((n = arena_alloc(req->arena, 64)) == NULL)
		return "";
	crypto_token(n, 64);
	http_cookie(resp, req, PRE_COOKIE, n, -1);
	return n;
}

/* The token a page's forms carry: the session's, else the pre-login one. */
const char *
session_csrf(struct request *req, struct response *resp)
{
	struct session	*s = session_find(req);

	return s != NULL ? s->csrf : session_pre_token(req, resp);
}

/* 1 if the request's "csrf" field passes the check the route's form
 * names, else 0.  Deny by default. */
int
valid_csrf(struct request *req, enum csrf how)
{
	const char	*sent = request_param(req, "csrf");
	struct session	*s;

	switch (how) {
	case CSRF_NONE:
		return 1;
	case CSRF_PRE:
		return valid_token_pair(sent, request_cookie(req, PRE_COOKIE));
	case CSRF_SESSION:
		return (s = session_find(req)) != NULL &&
		    valid_token_pair(sent, s->csrf);
	case CSRF_EITHER:
		if ((s = session_find(req)) != NULL)
			return valid_token_pair(sent, s->csrf);
		return valid_token_pair(sent, request_cookie(req, PRE_COOKIE));
	case CSRF_IF_SESSION:
		if ((s = session_find(req)) != NULL)
			return valid_token_pair(sent, s->csrf);
		return 1;
	}
	return 0;
}

/*
 * Begins a session for the child of invitation subject: a new token, so
 * a login never keeps one that someone may have planted; the session this
 * browser brought along ends, idle ones are cleared, the pre-login cookie
 * goes.  Returns 0 with the cookie set in resp, or -1.
 */
int
session_begin(struct request *req, struct response *resp, int64_t subject)
{
	struct store	*st = req->tenant->store;
	struct session	*old;
	char		 tok[64], csrf[64];
	unsigned char	 hash[CRYPTO_HASHBYTES], raw[CRYPTO_TOKENBYTES];
	int		 rc = -1;

	crypto_token(tok, sizeof(tok));
	crypto_token(csrf, sizeof(csrf));
	if (crypto_token_decode(tok, raw) == -1)
		goto done;
	crypto_keyed_hash("session", req->tenant->conf->name, raw, sizeof(raw),
	    hash);
	/* Idle sessions are worthless; clear them while here. */
	if (store_session_expire(st, store_now() -
	    (int64_t)req->tenant->conf->session_idle * SEC) == -1)
		goto done;
	if ((old = session_find(req)) != NULL &&
	    store_session_end(st, old->hash) == -1)
		goto done;
	req->session = NULL;
	if (store_session_add(st, hash, subject, csrf, store_now()) == -1)
		goto done;
	http_cookie(resp, req, session_cookie_name(req), tok, -1);
	http_cookie(resp, req, PRE_COOKIE, "", 0);
	rc = 0;
done:
	sodium_memzero(tok, sizeof(tok));
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(csrf, sizeof(csrf));
	return rc;
}

/*
 * Begins a staff session for the account staff at a stage: always a new
 * token (each stage a login passes gets a new one), the session this
 * browser brought along ends, sessions no longer live are cleared, the
 * pre-login cookie goes.  Returns 0 with the cookie set, or -1.
 */
int
session_begin_staff(struct request *req, struct response *resp,
    int64_t staff, enum staff_stage stage)
{
	struct store	*st = req->tenant->store;
	const struct tenant_conf *tc = req->tenant->conf;
	struct session	*old;
	char		 tok[64], csrf[64];
	unsigned char	 hash[CRYPTO_HASHBYTES], raw[CRYPTO_TOKENBYTES];
	int		 rc = -1;

	crypto_token(tok, sizeof(tok));
	crypto_token(csrf, sizeof(csrf));
	if (crypto_token_decode(tok, raw) == -1)
		goto done;
	crypto_keyed_hash("staff-session", tc->name, raw, sizeof(raw), hash);
	if (store_staff_session_expire(st, tc->staff_idle,
	    tc->staff_lifetime) == -1)
		goto done;
	if ((old = session_find(req)) != NULL &&
	    store_staff_session_end(st, old->hash) == -1)
		goto done;
	req->session = NULL;
	if (store_staff_session_add(st, hash, staff, (int)stage, csrf,
	    req->agent) == -1)
		goto done;
	http_cookie(resp, req, session_cookie_name(req), tok, -1);
	http_cookie(resp, req, PRE_COOKIE, "", 0);
	rc = 0;
done:
	sodium_memzero(tok, sizeof(tok));
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(csrf, sizeof(csrf));
	return rc;
}

/* Ends the request's session, if it has one, and clears its cookie.
 * Returns 0, or -1 when the database failed (the cookie is cleared all
 * the same). */
int
session_end(struct request *req, struct response *resp)
{
	struct session	*s = session_find(req);
	int		 rc = 0;

	if (s != NULL && (s->kind == SESSION_STAFF ?
	    store_staff_session_end(req->tenant->store, s->hash) :
	    store_session_end(req->tenant->store, s->hash)) == -1)
		rc = -1;
	req->session = NULL;
	http_cookie(resp, req, session_cookie_name(req), "", 0);
	return rc;
}

/*
 * Login throttling, counted per key (a code's hash; an account's next),
 * never per address: session_throttled tells whether key is locked now
 * (*until > now; INT64_MAX: until unlocked by hand), session_failed counts
 * a failure and sets the lock it earns (secret_locked_until),
 * session_passed forgets the failures after a good login.  Each returns 0,
 * or -1 when the database failed.
 */
int
session_throttled(struct request *req, const unsigned char key[CRYPTO_HASHBYTES],
    int64_t *until)
{
	int	 failures;

	return store_failure_get(req->tenant->store, key, &failures, until);
}

int
session_failed(struct request *req, const unsigned char key[CRYPTO_HASHBYTES],
    int64_t *until)
{
	int64_t	 locked;
	int	 failures;

	if (store_failure_get(req->tenant->store, key, &failures, &locked) == -1)
		return -1;
	failures++;
	/* A child's code locks for good after many tries (a professional
	 * opens it); a staff account never does, so that nobody can shut a
	 * colleague out (account.c). */
	*until = is_staff(req) ? account_locked_until(failures, store_now()) :
	    secret_locked_until(failures, store_now());
	return store_failure_put(req->tenant->store, key, failures, *until);
}

int
session_passed(struct request *req, const unsigned char key[CRYPTO_HASHBYTES])
{
	return store_failure_clear(req->tenant->store, key);
}
