/*
 * child.c: the child's handlers: the start page with the code form, login
 * with code and secret, one question per page, storing an answer, the
 * care page, the overview, the thank-you page, help, logout, "leave
 * quickly" and the language choice.  The question set decides (in Lua,
 * through host.c) which question comes next and whether an answer is
 * valid; the router has checked the fields, the session and CSRF before a
 * handler runs (router.c, form.c, session.c, auth.c).  A handler reads
 * what its page shows from the store, then renders (view.c) outside the
 * store lock, and answers every POST with a 303.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <sodium.h>

#include "extern.h"

#define LANG_MAX_AGE	(365 * 24 * 3600)
#define CODE_COOKIE	"beratta_code"
#define CODE_SECONDS	900

/* Reads the child's current answers into the session, once per request,
 * taking the store lock if the request has let it go.  0, or -1
 * (logged). */
static int
child_answers(struct request *req)
{
	struct session	*s = req->session;

	if (s->answers_read)
		return 0;
	if (tenant_enter(req) == -1 || store_answers(req->tenant->store,
	    req->arena, s->response, &s->answers, &s->nanswers) == -1)
		return -1;
	s->answers_read = 1;
	return 0;
}

static void
push_string(lua_State *L, void *arg)
{
	lua_pushstring(L, arg);
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
	struct start_data	 d = { NULL, NULL };

	if (session_find(req) != NULL) {
		http_redirect(resp, "/q");
		return 0;
	}
	d.csrf = session_pre_token(req, resp);
	return view_render(req, resp, "start", fill_start, &d);
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

	if (code_normalize(code, norm) == -1) {
		d.csrf = session_pre_token(req, resp);
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
 * The code from the sealed cookie, its invitation (0 when none) and the
 * invitation's secret hash ("" when it needs one chosen): 0, 1 without a
 * valid cookie, -1 when the database failed.
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
		return 1;
	/* A mapping round past its last day is closed first: its codes no
	 * longer exist. */
	if (mapping_close_due(req->tenant->store, req->tenant->conf->name) ==
	    -1 || store_invite_find(req->tenant->store, hash, invite) == -1)
		return -1;
	if (*invite > 0 && store_secret_get(req->tenant->store, *invite,
	    secret, secretlen) == -1)
		return -1;
	return 0;
}

/* Starts the child's session (session_begin) and brings the child's
 * language back; one chosen on the start page by a child who has none
 * yet is kept with the child from now on. */
static int
child_begin(struct request *req, struct response *resp, int64_t invite)
{
	char		 lang[16];
	const char	*chosen;

	if (session_begin(req, resp, invite) == -1)
		return -1;
	http_cookie(resp, req, CODE_COOKIE, "", 0);
	if (store_lang_get(req->tenant->store, invite, lang, sizeof(lang)) == 0) {
		if (is_i18n_lang(lang))
			http_cookie(resp, req, "lang", lang, LANG_MAX_AGE);
		else if ((chosen = request_cookie(req, "lang")) != NULL &&
		    is_i18n_lang(chosen))
			store_lang_set(req->tenant->store, invite, chosen);
	}
	http_redirect(resp, "/q");
	return 0;
}

/* GET /secret: choose a secret the first time, else enter it. */
int
child_secret_page(struct request *req, struct response *resp)
{
	struct secret_data	 d = { NULL, "enter", NULL, 0 };
	unsigned char		 hash[CRYPTO_HASHBYTES];
	char			 secret[SECRET_HASHBYTES];
	int64_t			 invite;
	int			 rc;

	if ((rc = code_of(req, hash, &invite, secret, sizeof(secret))) != 0) {
		if (rc == -1) {
			http_error(req, resp, 500);
			return -1;
		}
		http_redirect(resp, "/");
		return 0;
	}
	d.csrf = session_pre_token(req, resp);
	d.allow_pin = req->tenant->conf->allow_pin;
	if (invite > 0 && secret[0] == '\0')
		d.mode = "choose";
	return view_render(req, resp, "secret", fill_secret, &d);
}

/* The secret page again, with why (a status of 400 or 403). */
static int
secret_refused(struct request *req, struct response *resp,
    struct secret_data *d, int status, int64_t locked_until)
{
	if (locked_until > store_now())
		d->error = locked_until == INT64_MAX ? "login.locked_hard" :
		    "login.locked";
	resp->status = status;
	return view_render(req, resp, "secret", fill_secret, d);
}

/*
 * POST /secret: chooses the secret, or checks it.  A wrong code and a
 * wrong secret get the same answer and count alike: after 5 failures the
 * code locks for 15 minutes, doubling, and after 20 until unlocked.  The
 * secret in its canonical form is wiped on every way out.
 */
int
child_secret(struct request *req, struct response *resp)
{
	struct secret_data	 d = { NULL, "enter", "login.wrong", 0 };
	const char		*raw = request_param(req, "secret");
	const char		*raw_again = request_param(req, "again");
	char			 given[SECRET_MAX * 2], again[SECRET_MAX * 2];
	char			 stored[SECRET_HASHBYTES];
	unsigned char		 hash[CRYPTO_HASHBYTES];
	int64_t			 invite, locked_until;
	int			 ok, rc = -1, status = 500;

	given[0] = again[0] = '\0';
	if ((ok = code_of(req, hash, &invite, stored, sizeof(stored))) != 0) {
		if (ok == 1) {
			http_redirect(resp, "/");
			rc = 0;
		}
		goto done;
	}
	d.csrf = session_pre_token(req, resp);
	d.allow_pin = req->tenant->conf->allow_pin;
	if (secret_canon(raw, given, sizeof(given)) == -1 ||
	    secret_canon(raw_again != NULL ? raw_again : "", again,
	    sizeof(again)) == -1) {
		status = 400;
		goto done;
	}
	if (invite > 0 && stored[0] == '\0') {
		/* The first time: choose. */
		d.mode = "choose";
		if ((d.error = secret_check(given, d.allow_pin)) == NULL &&
		    strcmp(again, given) != 0)
			d.error = "secret.mismatch";
		if (d.error != NULL) {
			rc = secret_refused(req, resp, &d, 400, 0);
			goto out;
		}
		tenant_leave(req);	/* argon2id takes a while */
		ok = secret_hash(given, stored) == 0;
		if (tenant_enter(req) == -1 || !ok ||
		    store_secret_set(req->tenant->store, invite, stored) == -1)
			goto done;
		goto begin;
	}
	if (session_throttled(req, hash, &locked_until) == -1)
		goto done;
	if (locked_until > store_now()) {
		rc = secret_refused(req, resp, &d, 403, locked_until);
		goto out;
	}
	tenant_leave(req);
	ok = secret_verify(invite > 0 ? stored : NULL, given);
	if (tenant_enter(req) == -1)
		goto done;
	if (ok) {
		if (session_passed(req, hash) == -1)
			goto done;
		goto begin;
	}
	if (session_failed(req, hash, &locked_until) == -1)
		goto done;
	rc = secret_refused(req, resp, &d, 403, locked_until);
	goto out;
begin:
	if (child_begin(req, resp, invite) == 0)
		rc = 0;
done:
	if (rc == -1)
		http_error(req, resp, status);
out:
	sodium_memzero(given, sizeof(given));
	sodium_memzero(again, sizeof(again));
	sodium_memzero(stored, sizeof(stored));
	return rc;
}

struct question_data {
	struct request	*req;
	const char	*qid;
	const char	*error;
	int		 from;		/* go back to the overview */
	int		 easy;		/* show the easy-read wording */
};

/* The data of a question page worked out from the answers. */
static int
fill_question(lua_State *L, void *arg)
{
	struct question_data	*d = arg;

	if (host_push_answers(d->req) == -1)
		return -1;
	lua_setfield(L, -2, "answers");
	host_push_ctx(d->req, d->easy);
	lua_setfield(L, -2, "ctx");
	view_push_kv(L, "csrf", d->req->session->csrf);
	view_push_kv(L, "question", d->qid);
	if (d->error != NULL)
		view_push_kv(L, "error", d->error);
	if (d->from)
		view_push_kv(L, "from", "overview");
	return 0;
}

/* The data of a cached question page: the CSRF token and the context. */
static int
fill_cached(lua_State *L, void *arg)
{
	struct request	*req = arg;

	view_push_kv(L, "csrf", req->session->csrf);
	host_push_ctx(req, 0);
	lua_setfield(L, -2, "ctx");
	return 0;
}

/* Renders the question page for qid, with an error key if the last
 * answer was refused ("answer.easy": the easy-read wording, no error). */
static int
render_question(struct request *req, struct response *resp,
    const char *qid, const char *error)
{
	struct question_data	 d = { req, qid, error, 0, 0 };

	d.from = request_param(req, "from") != NULL;
	d.easy = error != NULL && strcmp(error, "answer.easy") == 0;
	if (child_answers(req) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	return view_render(req, resp, "question", fill_question, &d);
}

/* The next question to ask, or NULL when all are answered; -1 on error. */
static int
next_question(struct request *req, const char **qid)
{
	lua_State	*L = req->tenant->L;

	if (child_answers(req) == -1 ||
	    host_child(req, "next", NULL, NULL, 0, 1) == -1)
		return -1;
	*qid = lua_isstring(L, -1) ? arena_strdup(req->arena,
	    lua_tostring(L, -1)) : NULL;
	lua_pop(L, 1);
	return 0;
}

/* 1 if question qid is active for this child now, 0 if not, -1 on error. */
static int
is_active_question(struct request *req, const char *qid)
{
	lua_State	*L = req->tenant->L;
	int		 active;

	if (child_answers(req) == -1 ||
	    host_child(req, "is_active", push_string, (void *)qid, 1, 1) == -1)
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
	struct session	*s = req->session;	/* a child's: auth_allow */
	const char	*qid = request_param(req, "id");
	int		 active;

	if (s->locked) {
		http_redirect(resp, "/thanks");
		return 0;
	}
	if (qid != NULL) {
		if ((active = is_active_question(req, qid)) == 0) {
			http_error(req, resp, 404);
			return -1;
		}
		if (active == -1) {
			http_error(req, resp, 500);
			return -1;
		}
		return render_question(req, resp, qid, NULL);
	}
	/* The next page as the last answer left it (or the first page, for a
	 * child who has not answered yet), if the views have it: no answers
	 * read, no walk through the set. */
	if (s->flow != NULL || s->gen == 0) {
		int	 rc = view_cached(req, resp, s->flow != NULL ? s->flow :
		    "", fill_cached, req);

		if (rc != 0)
			return rc == 1 ? 0 : -1;
	}
	if (next_question(req, &qid) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	if (qid == NULL) {
		http_redirect(resp, "/thanks");
		return 0;
	}
	return render_question(req, resp, qid, NULL);
}

/* Pushes the question id and the submitted form as { answer = {...},
 * special = ..., easy = true }. */
static void
push_submission(lua_State *L, void *arg)
{
	struct request		*req = arg;
	const struct kvlist	*f = &req->form;
	const char		*special = request_param(req, "special");
	size_t			 i;
	int			 n = 0;

	lua_pushstring(L, request_param(req, "q"));
	lua_createtable(L, 0, 3);
	lua_newtable(L);
	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, "answer") == 0) {
			lua_pushlstring(L, f->v[i].val, f->v[i].vlen);
			lua_rawseti(L, -2, ++n);
		}
	lua_setfield(L, -2, "answer");
	if (special != NULL) {
		lua_pushstring(L, special);
		lua_setfield(L, -2, "special");
	}
	/* The page showed the easy-read wording already. */
	if (request_param(req, "easy") != NULL) {
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
	struct session		*s = req->session;	/* auth_allow */
	lua_State		*L = req->tenant->L;
	const char		*qid = request_param(req, "q");
	const char		*value, *err, *flow, *alerts, *levels;
	struct commit_item	 item;

	if (s->locked) {
		/* The professional has locked the round: nothing changes. */
		http_redirect(resp, "/thanks");
		return 0;
	}
	if (child_answers(req) == -1 ||
	    host_child(req, "accept", push_submission, req, 2, 5) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	value = lua_isstring(L, -5) ? arena_strdup(req->arena,
	    lua_tostring(L, -5)) : NULL;
	err = lua_isstring(L, -4) ? arena_strdup(req->arena,
	    lua_tostring(L, -4)) : "answer.invalid";
	alerts = lua_isstring(L, -3) && lua_rawlen(L, -3) > 0 ?
	    arena_strdup(req->arena, lua_tostring(L, -3)) : NULL;
	flow = lua_isstring(L, -2) ? arena_strdup(req->arena,
	    lua_tostring(L, -2)) : NULL;
	levels = lua_isstring(L, -1) ? arena_strdup(req->arena,
	    lua_tostring(L, -1)) : NULL;
	lua_pop(L, 5);
	if (value == NULL) {
		if (strcmp(err, "answer.inactive") == 0) {
			http_error(req, resp, 400);
			return -1;
		}
		resp->status = strcmp(err, "answer.easy") == 0 ? 200 : 400;
		return render_question(req, resp, qid, err);
	}
	/* Durable before the child is told it is saved: group commit, with
	 * the tenant's locks let go so that other requests go on meanwhile. */
	memset(&item, 0, sizeof(item));
	item.response = s->response;
	item.question = qid;
	item.value = value;
	item.version = req->tenant->version;
	item.now = store_now();
	item.flow = flow;
	item.gen = s->gen;
	item.alerts = alerts;
	item.group = s->group;
	item.levels = levels;
	tenant_leave(req);
	if (commit_answer(&req->tenant->commit, &item) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	/* After an answer that raises an alert, care comes first. */
	if (alerts != NULL)
		http_redirect(resp, "/care");
	else if (request_param(req, "from") != NULL)
		http_redirect(resp, "/overview");
	else
		http_redirect(resp, "/q");
	return 0;
}

/* The data of the pages that show the child's answers. */
static int
fill_answers(lua_State *L, void *arg)
{
	struct request	*req = arg;

	view_push_kv(L, "csrf", req->session->csrf);
	if (host_push_answers(req) == -1)
		return -1;
	lua_setfield(L, -2, "answers");
	host_push_ctx(req, 0);
	lua_setfield(L, -2, "ctx");
	return 0;
}

/* Renders one of the pages that show the child's answers. */
static int
render_answers(struct request *req, struct response *resp, const char *page)
{
	if (child_answers(req) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	return view_render(req, resp, page, fill_answers, req);
}

/* GET /care: the calm message and the help contacts after a hard answer. */
int
child_care(struct request *req, struct response *resp)
{
	return render_answers(req, resp, "care");
}

/* GET /overview: the areas and the child's answers, each changeable. */
int
child_overview(struct request *req, struct response *resp)
{
	return render_answers(req, resp, "overview");
}

/* What the thank-you page shows besides the answers: the canonical form
 * of each older set version an answer was given under. */
struct thanks_data {
	struct request	*req;
	const char	**canon;	/* per answer, NULL: today's set */
};

/*
 * The thank-you page shows what the child said, each answer as it was
 * asked: data.versions maps a question to the set version it was answered
 * under, data.canonicals a version other than the current one to its
 * canonical form.
 */
static int
fill_thanks(lua_State *L, void *arg)
{
	struct thanks_data	*d = arg;
	const struct session	*s = d->req->session;
	size_t			 i;

	if (fill_answers(L, d->req) == -1)
		return -1;
	lua_createtable(L, 0, (int)s->nanswers);	/* versions */
	lua_newtable(L);				/* canonicals */
	for (i = 0; i < s->nanswers; i++) {
		if (s->answers[i].version == NULL)
			continue;
		lua_pushstring(L, s->answers[i].version);
		lua_setfield(L, -3, s->answers[i].question);
		if (d->canon[i] != NULL) {
			lua_pushstring(L, d->canon[i]);
			lua_setfield(L, -2, s->answers[i].version);
		}
	}
	lua_setfield(L, -3, "canonicals");
	lua_setfield(L, -2, "versions");
	view_push_kv(L, "version", d->req->tenant->version);
	return 0;
}

/* GET /thanks: the end, once every active question has an answer. */
int
child_thanks(struct request *req, struct response *resp)
{
	struct session		*s = req->session;	/* auth_allow */
	struct thanks_data	 d = { req, NULL };
	const char		*qid = NULL;
	size_t			 i, j;

	if (!s->locked && next_question(req, &qid) == -1)
		goto fail;
	if (!s->locked && qid != NULL) {
		http_redirect(resp, "/q");
		return 0;
	}
	if (tenant_enter(req) == -1 || child_answers(req) == -1 ||
	    store_response_finish(req->tenant->store, s->response,
	    store_now()) == -1)
		goto fail;
	if ((d.canon = arena_alloc(req->arena, (s->nanswers + 1) *
	    sizeof(*d.canon))) == NULL)
		goto fail;
	for (i = 0; i < s->nanswers; i++) {
		const char	*v = s->answers[i].version;

		if (v == NULL || strcmp(v, req->tenant->version) == 0)
			continue;
		for (j = 0; j < i; j++)
			if (d.canon[j] != NULL &&
			    strcmp(s->answers[j].version, v) == 0)
				break;
		if (j < i)
			continue;	/* read once per version */
		if (store_version_get(req->tenant->store, req->arena, v,
		    &d.canon[i]) == -1)
			goto fail;
	}
	return view_render(req, resp, "thanks", fill_thanks, &d);
fail:
	http_error(req, resp, 500);
	return -1;
}

static int
fill_csrf(lua_State *L, void *arg)
{
	view_push_kv(L, "csrf", arg);
	return 0;
}

static int
fill_help(lua_State *L, void *arg)
{
	struct request	*req = arg;

	/* A logged-in child's page shows its own links and logout. */
	if (host_push_answers(req) == -1)
		return -1;
	lua_setfield(L, -2, "answers");
	return fill_csrf(L, req->session->csrf);
}

/* GET /help: whom to talk to now; also before logging in. */
int
child_help(struct request *req, struct response *resp)
{
	if (session_find(req) != NULL) {
		if (child_answers(req) == -1) {
			http_error(req, resp, 500);
			return -1;
		}
		return view_render(req, resp, "help", fill_help, req);
	}
	return view_render(req, resp, "help", fill_csrf,
	    (void *)session_pre_token(req, resp));
}

/*
 * GET /leave: "leave quickly".  Ends the session at once and sends the
 * browser to the tenant's neutral page.  A link, not a form, so it works
 * in one tap; the cookie is SameSite=Strict, so no other site can use it.
 */
int
child_leave(struct request *req, struct response *resp)
{
	session_end(req, resp);
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

/* POST /logout: ends the session (the router checked its CSRF token). */
int
child_logout(struct request *req, struct response *resp)
{
	if (session_end(req, resp) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	http_redirect(resp, "/");
	return 0;
}

/* POST /language: the child's own choice of language, kept in a cookie
 * and, for a logged-in child, with the child. */
int
child_language(struct request *req, struct response *resp)
{
	struct session	*s = session_find(req);
	const char	*lang = request_param(req, "lang");
	const char	*next = request_param(req, "next");

	http_cookie(resp, req, "lang", lang, LANG_MAX_AGE);
	/* The choice sticks to the child, across logins and devices. */
	if (s != NULL && store_lang_set(req->tenant->store, s->invite,
	    lang) == -1) {
		http_error(req, resp, 500);
		return -1;
	}
	http_redirect(resp, next != NULL && valid_back(next, strlen(next)) ?
	    next : "/");
	return 0;
}
