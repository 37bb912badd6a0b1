/*
 * child.c: the child's pages: the start page with the code form, login,
 * one question per page, storing an answer, the thank-you page, logout and
 * the language choice.  The question set decides (in Lua) which question
 * comes next and whether an answer is valid; this file checks identity,
 * CSRF and input, stores, and answers every POST with a 303.
 *
 * Before login, CSRF is a double-submit token: a random cookie that the
 * form repeats.  After login it is the session's own token.  Both are
 * compared in constant time.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <sodium.h>

#include "extern.h"

#define PRE_COOKIE	"beratta_pre"
#define LANG_MAX_AGE	(365 * 24 * 3600)

static const char *
session_cookie_name(const struct request *req)
{
	return req->https ? "__Host-beratta" : "beratta";
}

/* Constant-time comparison of two tokens of any length. */
static int
valid_token_pair(const char *a, const char *b)
{
	size_t	 n;

	if (a == NULL || b == NULL || (n = strlen(a)) != strlen(b) || n < 32)
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

/* Finds the child's session: 0 and c filled, or -1 when there is none. */
static int
child_session(struct request *req, struct child *c)
{
	const char		*tok = request_cookie(req, session_cookie_name(req));
	unsigned char		 raw[CRYPTO_TOKENBYTES];
	struct session_row	 row;

	memset(c, 0, sizeof(*c));
	if (tok == NULL || crypto_token_decode(tok, raw) == -1)
		return -1;
	crypto_keyed_hash("session", req->tenant->conf->name, raw, sizeof(raw),
	    c->hash);
	sodium_memzero(raw, sizeof(raw));
	if (store_session_get(req->tenant->store, c->hash, store_now(),
	    req->tenant->conf->session_idle, &row) == -1)
		return -1;
	c->invite = row.invite;
	c->response = row.response;
	memcpy(c->csrf, row.csrf, sizeof(c->csrf));
	memcpy(c->age, row.age, sizeof(c->age));
	c->locked = row.locked;
	c->gen = row.gen;
	if (row.flow[0] != '\0' &&
	    strcmp(row.flow_version, req->tenant->version) == 0)
		c->flow = arena_strdup(req->arena, row.flow);
	if (c->response == 0 && store_response_open(req->tenant->store,
	    c->invite, req->tenant->version, store_now(), &c->response) == -1)
		return -1;
	return 0;
}

/*
 * The child whose session this request carries, looked up once per
 * request (in the request's arena), or NULL.  Whether a route needs one is
 * decided by auth_allow, not here.
 */
struct child *
child_find(struct request *req)
{
	struct child	*c;

	if (req->child_looked)
		return req->child;
	req->child_looked = 1;
	if ((c = arena_alloc(req->arena, sizeof(*c))) != NULL &&
	    child_session(req, c) == 0)
		req->child = c;
	return req->child;
}

/* Pushes the child's context for the question set: { age = band }. */
static void
push_ctx(lua_State *L, const struct child *c)
{
	lua_createtable(L, 0, 2);
	if (c->age[0] != '\0') {
		lua_pushstring(L, c->age);
		lua_setfield(L, -2, "age");
	}
	if (c->locked) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "locked");
	}
}

/* The CSRF check for a POST: the session's token, else the pre-login
 * double-submit cookie. */
static int
valid_csrf(struct request *req, const struct child *c)
{
	const char	*sent = request_param(req, "csrf");

	if (c != NULL && c->invite > 0)
		return valid_token_pair(sent, c->csrf);
	return valid_token_pair(sent, request_cookie(req, PRE_COOKIE));
}

/* The pre-login token, set as a cookie when the browser has none. */
static const char *
pre_token(struct request *req, struct response *resp)
{
	const char	*t = request_cookie(req, PRE_COOKIE);
	char		*n;

	if (t != NULL && strlen(t) == 43)
		return t;
	if ((n = arena_alloc(req->arena, 64)) == NULL)
		return "";
	crypto_token(n, 64);
	http_cookie(resp, req, PRE_COOKIE, n, -1);
	return n;
}

/* Pushes the child's current answers as { [question] = value }. */
static int
push_answers(struct request *req, lua_State *L, const struct child *c)
{
	struct answer	*a;
	size_t		 n, i;

	/* Read once per request, then the same table (the views and the set
	 * read it and never change it). */
	if (req->answers_ref > 0) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, req->answers_ref);
		return 0;
	}
	if (store_answers(req->tenant->store, req->arena, c->response, &a,
	    &n) == -1)
		return -1;
	lua_createtable(L, 0, (int)n);
	for (i = 0; i < n; i++) {
		lua_pushstring(L, a[i].value);
		lua_setfield(L, -2, a[i].question);
	}
	lua_pushvalue(L, -1);
	req->answers_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

/* Lets go of what this request keeps in the tenant's Lua state; called
 * while the tenant's lock is still held. */
void
child_release(struct request *req)
{
	if (req->answers_ref > 0 && req->tenant != NULL && req->tenant->L != NULL)
		luaL_unref(req->tenant->L, LUA_REGISTRYINDEX, req->answers_ref);
	req->answers_ref = 0;
}

static void
push_string(lua_State *L, void *arg)
{
	lua_pushstring(L, arg);
}

/* Calls host[fn](answers, ..., ctx): push adds nargs more arguments after
 * the child's answers.  Returns 0 with nres results on the stack, or -1. */
static int
host_call(struct request *req, const struct child *c, const char *fn,
    void (*push)(lua_State *, void *), void *arg, int nargs, int nres)
{
	lua_State	*L = req->tenant->L;
	char		 err[512];

	lua_getfield(L, LUA_REGISTRYINDEX, "beratta.host");
	lua_getfield(L, -1, fn);
	lua_remove(L, -2);
	if (push_answers(req, L, c) == -1) {
		lua_pop(L, 2);
		return -1;
	}
	if (push != NULL)
		push(L, arg);
	push_ctx(L, c);
	if (sandbox_call(L, 2 + nargs, nres, err, sizeof(err)) == -1) {
		LOG_ERR("tenant %s: %s: %s", req->tenant->conf->name, fn, err);
		return -1;
	}
	return 0;
}

struct start_data {
	const char	*csrf;
	const char	*error;
};

static int
fill_start(lua_State *L, void *arg)
{
	struct start_data *d = arg;

	view_push_kv(L, "csrf", d->csrf);
	if (d->error != NULL)
		view_push_kv(L, "error", d->error);
	return 0;
}

/* GET /: the start page, or on to the questions when logged in. */
int
child_start(struct request *req, struct response *resp)
{
	struct child		 c;
	struct start_data	 d = { NULL, NULL };

	if (child_session(req, &c) == 0) {
		http_redirect(resp, "/q");
		return 0;
	}
	d.csrf = pre_token(req, resp);
	return view_render(req, resp, "start", fill_start, &d);
}

#define CODE_COOKIE	"beratta_code"
#define CODE_SECONDS	900

/* Lets the tenant's lock go for slow work; relock() takes it back. */
static void
unlock_for_work(struct request *req)
{
	child_release(req);
	tenant_release(req->tenant);
	req->tenant_held = 0;
}

static int
relock(struct request *req)
{
	if (tenant_acquire(req->tenant) == -1)
		return -1;
	req->tenant_held = 1;
	return 0;
}

/* POST /login: a well-formed code goes on to the secret, sealed in a
 * short-lived cookie; whether it exists is not told here. */
int
child_login(struct request *req, struct response *resp)
{
	struct start_data	 d = { NULL, "login.format" };
	const char		*code = request_param(req, "code");
	char			 norm[CODE_CHARS + 1], sealed[160];
	unsigned char		 hash[CRYPTO_HASHBYTES];

	if (!valid_csrf(req, NULL)) {
		http_error(req, resp, 403);
		return -1;
	}
	if (code == NULL || code_normalize(code, norm) == -1) {
		d.csrf = pre_token(req, resp);
		resp->status = 400;
		return view_render(req, resp, "start", fill_start, &d);
	}
	crypto_keyed_hash("code", req->tenant->conf->name, norm, CODE_CHARS,
	    hash);
	sodium_memzero(norm, sizeof(norm));
	if (crypto_seal("code-cookie", req->tenant->conf->name, hash,
	    sizeof(hash), store_now() + (int64_t)CODE_SECONDS * 1000000,
	    sealed, sizeof(sealed)) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	http_cookie(resp, req, CODE_COOKIE, sealed, CODE_SECONDS);
	http_redirect(resp, "/secret");
	return 0;
}

struct secret_data {
	const char	*csrf;
	const char	*mode;		/* "choose" or "enter" */
	const char	*error;
	int		 allow_pin;
};

static int
fill_secret(lua_State *L, void *arg)
{
	struct secret_data *d = arg;

	view_push_kv(L, "csrf", d->csrf);
	view_push_kv(L, "mode", d->mode);
	if (d->error != NULL)
		view_push_kv(L, "error", d->error);
	lua_pushboolean(L, d->allow_pin);
	lua_setfield(L, -2, "allow_pin");
	return 0;
}

/*
 * The code from the sealed cookie, its invitation (0 when none) and
 * whether that invitation still needs a secret.  -1 without a valid cookie.
 */
static int
code_of(struct request *req, unsigned char hash[CRYPTO_HASHBYTES],
    int64_t *invite, char *secret, size_t secretlen)
{
	*invite = 0;
	secret[0] = '\0';
	if (crypto_unseal("code-cookie", req->tenant->conf->name,
	    request_cookie(req, CODE_COOKIE), store_now(), hash,
	    CRYPTO_HASHBYTES) == -1)
		return -1;
	if (store_invite_find(req->tenant->store, hash, invite) == 0 &&
	    store_secret_get(req->tenant->store, *invite, secret,
	    secretlen) == -1)
		return -1;
	return 0;
}

/* Starts the child's session: a new token, the child's language back. */
static int
child_begin(struct request *req, struct response *resp, int64_t invite)
{
	char		 tok[64], csrf[64], lang[16];
	const char	*chosen;
	unsigned char	 hash[CRYPTO_HASHBYTES], raw[CRYPTO_TOKENBYTES];
	int		 rc = -1;

	crypto_token(tok, sizeof(tok));
	crypto_token(csrf, sizeof(csrf));
	if (crypto_token_decode(tok, raw) == -1)
		goto done;
	crypto_keyed_hash("session", req->tenant->conf->name, raw, sizeof(raw),
	    hash);
	/* Idle sessions are worthless; clear them while here. */
	store_session_expire(req->tenant->store, store_now() -
	    (int64_t)req->tenant->conf->session_idle * 1000000);
	/* A session this browser brought along ends: a login always gets a
	 * new token, never one that someone may have planted. */
	{
		struct child	 old;

		if (child_session(req, &old) == 0)
			store_session_end(req->tenant->store, old.hash);
	}
	if (store_session_add(req->tenant->store, hash, invite, csrf,
	    store_now()) == -1)
		goto done;
	http_cookie(resp, req, session_cookie_name(req), tok, -1);
	http_cookie(resp, req, PRE_COOKIE, "", 0);
	http_cookie(resp, req, CODE_COOKIE, "", 0);
	/* The child's language comes back; one chosen on the start page by a
	 * child who has none yet is kept with the child from now on. */
	if (store_lang_get(req->tenant->store, invite, lang, sizeof(lang)) == 0) {
		if (is_i18n_lang(lang))
			http_cookie(resp, req, "lang", lang, LANG_MAX_AGE);
		else if ((chosen = request_cookie(req, "lang")) != NULL &&
		    is_i18n_lang(chosen))
			store_lang_set(req->tenant->store, invite, chosen);
	}
	http_redirect(resp, "/q");
	rc = 0;
done:
	sodium_memzero(tok, sizeof(tok));
	sodium_memzero(raw, sizeof(raw));
	return rc;
}

/* GET /secret: choose a secret the first time, else enter it. */
int
child_secret_page(struct request *req, struct response *resp)
{
	struct secret_data	 d = { NULL, "enter", NULL, 0 };
	unsigned char		 hash[CRYPTO_HASHBYTES];
	char			 secret[SECRET_HASHBYTES];
	int64_t			 invite;

	if (code_of(req, hash, &invite, secret, sizeof(secret)) == -1) {
		http_redirect(resp, "/");
		return 0;
	}
	d.csrf = pre_token(req, resp);
	d.allow_pin = req->tenant->conf->allow_pin;
	if (invite > 0 && secret[0] == '\0')
		d.mode = "choose";
	return view_render(req, resp, "secret", fill_secret, &d);
}

/*
 * POST /secret: chooses the secret, or checks it.  A wrong code and a
 * wrong secret get the same answer and count alike: after 5 failures the
 * code locks for 15 minutes, doubling, and after 20 until unlocked.
 */
int
child_secret(struct request *req, struct response *resp)
{
	struct secret_data	 d = { NULL, "enter", "login.wrong", 0 };
	const char		*raw = request_param(req, "secret");
	const char		*raw_again = request_param(req, "again");
	char			 given[SECRET_MAX * 2], again[SECRET_MAX * 2];
	unsigned char		 hash[CRYPTO_HASHBYTES];
	char			 stored[SECRET_HASHBYTES];
	int64_t			 invite, locked_until, now = store_now();
	int			 failures, ok;

	if (!valid_csrf(req, NULL)) {
		http_error(req, resp, 403);
		return -1;
	}
	if (code_of(req, hash, &invite, stored, sizeof(stored)) == -1) {
		http_redirect(resp, "/");
		return 0;
	}
	d.csrf = pre_token(req, resp);
	d.allow_pin = req->tenant->conf->allow_pin;
	if (raw == NULL || strlen(raw) > SECRET_MAX ||
	    secret_canon(raw, given, sizeof(given)) == -1 ||
	    secret_canon(raw_again != NULL && strlen(raw_again) <= SECRET_MAX ?
	    raw_again : "", again, sizeof(again)) == -1) {
		http_error(req, resp, 400);
		return -1;
	}
	if (invite > 0 && stored[0] == '\0') {
		/* The first time: choose. */
		d.mode = "choose";
		if ((d.error = secret_check(given, d.allow_pin)) == NULL &&
		    strcmp(again, given) != 0)
			d.error = "secret.mismatch";
		if (d.error != NULL) {
			resp->status = 400;
			return view_render(req, resp, "secret", fill_secret, &d);
		}
		unlock_for_work(req);
		ok = secret_hash(given, stored) == 0;
		if (relock(req) == -1 || !ok) {
			http_error(req, resp, 500);
			return -1;
		}
		if (store_secret_set(req->tenant->store, invite, stored) != 0) {
			http_error(req, resp, 500);
			return -1;
		}
		goto begin;
	}
	if (store_failure_get(req->tenant->store, hash, &failures,
	    &locked_until) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	if (locked_until > now) {
		d.error = locked_until == INT64_MAX ? "login.locked_hard" :
		    "login.locked";
		resp->status = 403;
		return view_render(req, resp, "secret", fill_secret, &d);
	}
	unlock_for_work(req);
	ok = secret_verify(invite > 0 ? stored : NULL, given);
	if (relock(req) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	if (ok) {
		store_failure_clear(req->tenant->store, hash);
		goto begin;
	}
	failures++;
	locked_until = secret_locked_until(failures, now);
	if (store_failure_put(req->tenant->store, hash, failures,
	    locked_until) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	if (locked_until > now)
		d.error = locked_until == INT64_MAX ? "login.locked_hard" :
		    "login.locked";
	sodium_memzero(given, sizeof(given));
	resp->status = 403;
	return view_render(req, resp, "secret", fill_secret, &d);
begin:
	sodium_memzero(given, sizeof(given));
	sodium_memzero(again, sizeof(again));
	if (child_begin(req, resp, invite) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	return 0;
}

struct question_data {
	const struct child	*c;
	const char		*qid;
	const char		*error;
	const char		*from;		/* "overview" to go back there */
	int			 easy;		/* show the easy-read wording */
};

static int
fill_question(lua_State *L, void *arg)
{
	struct question_data	*d = arg;

	view_push_kv(L, "csrf", d->c->csrf);
	view_push_kv(L, "question", d->qid);
	if (d->error != NULL)
		view_push_kv(L, "error", d->error);
	if (d->from != NULL)
		view_push_kv(L, "from", d->from);
	return 0;
}

static int
fill_answers(lua_State *L, void *arg)
{
	struct request		*req = ((void **)arg)[0];
	struct question_data	*d = ((void **)arg)[1];

	if (push_answers(req, L, d->c) == -1)
		return -1;
	lua_setfield(L, -2, "answers");
	push_ctx(L, d->c);
	if (d->easy) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "easy");
	}
	lua_setfield(L, -2, "ctx");
	return fill_question(L, d);
}

/* The data of a cached question page: the CSRF token and the context. */
static int
fill_cached(lua_State *L, void *arg)
{
	const struct child	*c = arg;

	view_push_kv(L, "csrf", c->csrf);
	push_ctx(L, c);
	lua_setfield(L, -2, "ctx");
	return 0;
}

/* Renders the question page for qid, with an error key if the last
 * answer was refused. */
static int
render_question(struct request *req, struct response *resp,
    const struct child *c, const char *qid, const char *error)
{
	struct question_data	 d = { c, qid, error, NULL, 0 };
	void			*arg[2] = { req, &d };
	const char		*from = request_param(req, "from");

	if (from != NULL && strcmp(from, "overview") == 0)
		d.from = "overview";
	/* "I don't understand" on a question with an easy-read wording: the
	 * same question in easier words, to answer now (not an error). */
	if (error != NULL && strcmp(error, "answer.easy") == 0)
		d.easy = 1;

	return view_render(req, resp, "question", fill_answers, arg);
}

/* The next question to ask, or NULL when all are answered; -1 on error. */
static int
next_question(struct request *req, const struct child *c, const char **qid)
{
	lua_State	*L = req->tenant->L;

	if (host_call(req, c, "next", NULL, NULL, 0, 1) == -1)
		return -1;
	*qid = lua_isstring(L, -1) ? arena_strdup(req->arena,
	    lua_tostring(L, -1)) : NULL;
	lua_pop(L, 1);
	return 0;
}

/* 1 if question qid is active for this child now, 0 if not, -1 on error. */
static int
is_active_question(struct request *req, const struct child *c, const char *qid)
{
	lua_State	*L = req->tenant->L;
	int		 active;

	if (host_call(req, c, "is_active", push_string, (void *)qid, 1, 1) == -1)
		return -1;
	active = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return active;
}

/*
 * GET /q: the next question for this child, or with ?id= one of the
 * active questions (to go back or to change an answer).
 */
int
child_question(struct request *req, struct response *resp)
{
	struct child	 c;
	const char	*qid = request_param(req, "id");
	int		 active;

	c = *req->child;	/* auth_allow let in only a child's session */
	if (c.locked) {
		http_redirect(resp, "/thanks");
		return 0;
	}
	if (qid != NULL) {
		if (strlen(qid) > 64 ||
		    (active = is_active_question(req, &c, qid)) == 0) {
			http_error(req, resp, 404);
			return -1;
		}
		if (active == -1) {
			http_error(req, resp, 500);
			return -1;
		}
		return render_question(req, resp, &c, qid, NULL);
	}
	/* The next page as the last answer left it (or the first page, for a
	 * child who has not answered yet), if the views have it: no answers
	 * read, no walk through the set. */
	if (c.flow != NULL || c.gen == 0) {
		int	 rc = view_cached(req, resp, c.flow != NULL ? c.flow : "",
		    fill_cached, &c);

		if (rc != 0)
			return rc == 1 ? 0 : -1;
	}
	if (next_question(req, &c, &qid) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	if (qid == NULL) {
		http_redirect(resp, "/thanks");
		return 0;
	}
	return render_question(req, resp, &c, qid, NULL);
}

struct answer_args {
	struct request	*req;
	const char	*qid;
};

/* Pushes the question id and the submitted form as { answer = {...},
 * special = ... }. */
static void
push_submission(lua_State *L, void *arg)
{
	struct answer_args	*a = arg;
	const struct kvlist	*f = &a->req->form;
	size_t			 i;
	int			 n = 0;

	lua_pushstring(L, a->qid);
	lua_createtable(L, 0, 2);
	lua_newtable(L);
	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, "answer") == 0) {
			lua_pushlstring(L, f->v[i].val, f->v[i].vlen);
			lua_rawseti(L, -2, ++n);
		}
	lua_setfield(L, -2, "answer");
	if (request_get(f, "special", NULL) != NULL) {
		lua_pushstring(L, request_get(f, "special", NULL));
		lua_setfield(L, -2, "special");
	}
	/* The page showed the easy-read wording already. */
	if (request_get(f, "easy", NULL) != NULL &&
	    strcmp(request_get(f, "easy", NULL), "1") == 0) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "easy");
	}
}

/*
 * POST /answer: the set checks that the question is active and the answer
 * valid; a valid answer is stored durably before the 303.  A refused one
 * changes nothing and shows the question again with why.
 */
int
child_answer(struct request *req, struct response *resp)
{
	struct child		 c;
	struct answer_args	 a;
	lua_State		*L = req->tenant->L;
	const char		*value, *err, *flow;
	struct commit_item	 item;
	int			 alerts;

	c = *req->child;	/* auth_allow let in only a child's session */
	if (!valid_csrf(req, &c)) {
		http_error(req, resp, 403);
		return -1;
	}
	if (c.locked) {
		/* The professional has locked the round: nothing changes. */
		http_redirect(resp, "/thanks");
		return 0;
	}
	a.req = req;
	if ((a.qid = request_param(req, "q")) == NULL || strlen(a.qid) > 64) {
		http_error(req, resp, 400);
		return -1;
	}
	if (host_call(req, &c, "accept", push_submission, &a, 2, 4) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	value = lua_isstring(L, -4) ? arena_strdup(req->arena,
	    lua_tostring(L, -4)) : NULL;
	err = lua_isstring(L, -3) ? arena_strdup(req->arena,
	    lua_tostring(L, -3)) : "answer.invalid";
	alerts = (int)lua_tointeger(L, -2);
	flow = lua_isstring(L, -1) ? arena_strdup(req->arena,
	    lua_tostring(L, -1)) : NULL;
	lua_pop(L, 4);
	if (value == NULL) {
		if (strcmp(err, "answer.inactive") == 0) {
			http_error(req, resp, 400);
			return -1;
		}
		resp->status = strcmp(err, "answer.easy") == 0 ? 200 : 400;
		return render_question(req, resp, &c, a.qid, err);
	}
	/* Durable before the child is told it is saved: group commit, with
	 * the tenant's lock let go so that other requests go on meanwhile. */
	memset(&item, 0, sizeof(item));
	item.response = c.response;
	item.question = a.qid;
	item.value = value;
	item.version = req->tenant->version;
	item.now = store_now();
	item.flow = flow;
	item.gen = c.gen;
	unlock_for_work(req);
	if (commit_answer(&req->tenant->commit, &item) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	/* After an answer that raises an alert, care comes first. */
	if (alerts > 0)
		http_redirect(resp, "/care");
	else if (request_param(req, "from") != NULL &&
	    strcmp(request_param(req, "from"), "overview") == 0)
		http_redirect(resp, "/overview");
	else
		http_redirect(resp, "/q");
	return 0;
}

static int
fill_care(lua_State *L, void *arg)
{
	struct request		*req = ((void **)arg)[0];
	const struct child	*c = ((void **)arg)[1];

	view_push_kv(L, "csrf", c->csrf);
	if (push_answers(req, L, c) == -1)
		return -1;
	lua_setfield(L, -2, "answers");
	push_ctx(L, c);
	lua_setfield(L, -2, "ctx");
	return 0;
}

/* GET /care: the calm message and the help contacts after a hard answer. */
int
child_care(struct request *req, struct response *resp)
{
	struct child	 c;
	void		*arg[2] = { req, &c };

	c = *req->child;	/* auth_allow let in only a child's session */
	return view_render(req, resp, "care", fill_care, arg);
}

/*
 * The thank-you page shows what the child said, each answer as it was
 * asked: data.versions maps a question to the set version it was answered
 * under, data.canonicals a version other than the current one to its
 * canonical form, from the database.
 */
static int
fill_thanks(lua_State *L, void *arg)
{
	struct request		*req = ((void **)arg)[0];
	const struct child	*c = ((void **)arg)[1];
	struct answer		*a;
	const char		*canon;
	size_t			 n, i;

	view_push_kv(L, "csrf", c->csrf);
	if (store_answers(req->tenant->store, req->arena, c->response, &a,
	    &n) == -1)
		return -1;
	lua_createtable(L, 0, (int)n);		/* answers */
	lua_createtable(L, 0, (int)n);		/* versions */
	lua_newtable(L);			/* canonicals */
	for (i = 0; i < n; i++) {
		lua_pushstring(L, a[i].value);
		lua_setfield(L, -4, a[i].question);
		if (a[i].version == NULL)
			continue;
		lua_pushstring(L, a[i].version);
		lua_setfield(L, -3, a[i].question);
		if (strcmp(a[i].version, req->tenant->version) == 0 ||
		    lua_getfield(L, -1, a[i].version) != LUA_TNIL) {
			if (strcmp(a[i].version, req->tenant->version) != 0)
				lua_pop(L, 1);
			continue;
		}
		lua_pop(L, 1);
		if ((canon = store_version_get(req->tenant->store, req->arena,
		    a[i].version)) != NULL) {
			lua_pushstring(L, canon);
			lua_setfield(L, -2, a[i].version);
		}
	}
	lua_setfield(L, -4, "canonicals");
	lua_setfield(L, -3, "versions");
	lua_setfield(L, -2, "answers");
	view_push_kv(L, "version", req->tenant->version);
	push_ctx(L, c);
	lua_setfield(L, -2, "ctx");
	return 0;
}

/* GET /thanks: the end, once every active question has an answer. */
int
child_thanks(struct request *req, struct response *resp)
{
	struct child	 c;
	const char	*qid = NULL;

	c = *req->child;	/* auth_allow let in only a child's session */
	if (!c.locked && next_question(req, &c, &qid) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	if (!c.locked && qid != NULL) {
		http_redirect(resp, "/q");
		return 0;
	}
	if (store_response_finish(req->tenant->store, c.response,
	    store_now()) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	{
		void	*arg[2] = { req, &c };

		return view_render(req, resp, "thanks", fill_thanks, arg);
	}
}

/* GET /overview: the areas and the child's answers, each changeable. */
int
child_overview(struct request *req, struct response *resp)
{
	struct child	 c;
	void		*arg[2] = { req, &c };

	c = *req->child;	/* auth_allow let in only a child's session */
	return view_render(req, resp, "overview", fill_care, arg);
}

static int
fill_csrf(lua_State *L, void *arg)
{
	view_push_kv(L, "csrf", arg);
	return 0;
}

/* GET /help: whom to talk to now; also before logging in. */
int
child_help(struct request *req, struct response *resp)
{
	struct child	 c;

	if (child_session(req, &c) == 0)
		return view_render(req, resp, "help", fill_csrf, c.csrf);
	return view_render(req, resp, "help", fill_csrf,
	    (void *)pre_token(req, resp));
}

/*
 * GET /leave: "leave quickly".  Ends the session at once and sends the
 * browser to the tenant's neutral page.  A link, not a form, so it works
 * in one tap; the cookie is SameSite=Strict, so no other site can use it.
 */
int
child_leave(struct request *req, struct response *resp)
{
	struct child	 c;

	if (child_session(req, &c) == 0)
		store_session_end(req->tenant->store, c.hash);
	http_cookie(resp, req, session_cookie_name(req), "", 0);
	http_cookie(resp, req, CODE_COOKIE, "", 0);
	http_redirect_away(resp, req->tenant->conf->quick_exit);
	return 0;
}

/*
 * GET /alive: the page is in use (its script saw the child type or tap
 * after a quiet minute), so the session's idle time starts again, as with
 * any request a child's session passes (auth_allow); a child writing a long
 * answer is not logged out under the text.  Nothing else; 204.
 */
int
child_alive(struct request *req, struct response *resp)
{
	(void)req;
	resp->status = 204;
	return 0;
}

/* POST /logout: ends the session. */
int
child_logout(struct request *req, struct response *resp)
{
	struct child	 c;

	if (child_session(req, &c) == 0) {
		if (!valid_csrf(req, &c)) {
			http_error(req, resp, 403);
			return -1;
		}
		store_session_end(req->tenant->store, c.hash);
	}
	http_cookie(resp, req, session_cookie_name(req), "", 0);
	http_redirect(resp, "/");
	return 0;
}

/* POST /language: the child's own choice of language, kept in a cookie. */
int
child_language(struct request *req, struct response *resp)
{
	static const char *const back[] = { "/", "/q", "/thanks", "/secret",
	    "/care", "/overview", "/help" };
	struct child	 c;
	const char	*lang = request_param(req, "lang");
	const char	*next = request_param(req, "next");
	size_t		 i;
	int		 have = child_session(req, &c) == 0;

	if (!valid_csrf(req, have ? &c : NULL)) {
		http_error(req, resp, 403);
		return -1;
	}
	if (lang == NULL || !is_i18n_lang(lang)) {
		http_error(req, resp, 400);
		return -1;
	}
	http_cookie(resp, req, "lang", lang, LANG_MAX_AGE);
	/* The choice sticks to the child, across logins and devices. */
	if (have)
		store_lang_set(req->tenant->store, c.invite, lang);
	for (i = 0; i < sizeof(back) / sizeof(back[0]); i++)
		if (next != NULL && strcmp(next, back[i]) == 0) {
			http_redirect(resp, back[i]);
			return 0;
		}
	http_redirect(resp, "/");
	return 0;
}
