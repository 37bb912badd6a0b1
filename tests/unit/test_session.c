/*
 * test_session.c: sessions (core/session.c) over a real database: a
 * login begins a session with a new token whose hash alone is stored; the
 * cookie finds it again, once per request; CSRF is checked as each form
 * says (a missing or wrong token is refused, the pre-login double-submit
 * cookie before login, the session's own token after); ending the session
 * clears it; failed logins lock a key and a good one clears them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "extern.h"
#include "tap.h"

static struct tenant_conf	 tc = { .name = "demo", .session_idle = 1800 };
static struct tenant		 t;
static struct kv		 cookies[4], form[4];

/* A fresh request of method with cookie "beratta" (or none) and a csrf
 * field (or none). */
static void
make(struct request *req, const char *method, const char *cookie,
    const char *pre, const char *csrf)
{
	size_t	 n = 0;

	memset(req, 0, sizeof(*req));
	req->arena = arena_new();
	req->method = method;
	req->tenant = &t;
	req->tenant_held = 1;
	if (cookie != NULL) {
		cookies[n].key = "beratta";
		cookies[n].val = cookie;
		cookies[n++].vlen = strlen(cookie);
	}
	if (pre != NULL) {
		cookies[n].key = "beratta_pre";
		cookies[n].val = pre;
		cookies[n++].vlen = strlen(pre);
	}
	req->cookies.v = cookies;
	req->cookies.n = n;
	n = 0;
	if (csrf != NULL) {
		form[n].key = "csrf";
		form[n].val = csrf;
		form[n++].vlen = strlen(csrf);
	}
	req->form.v = form;
	req->form.n = n;
}

static void
done(struct request *req)
{
	arena_free(req->arena);
}

/* The value of cookie name set in resp's headers, into out. */
static int
set_cookie(const struct response *resp, const char *name, char *out,
    size_t outlen)
{
	char		 pat[64];
	const char	*p, *e;

	snprintf(pat, sizeof(pat), "Set-Cookie: %s=", name);
	if (resp->headers.data == NULL ||
	    (p = strstr(resp->headers.data, pat)) == NULL)
		return -1;
	p += strlen(pat);
	e = p + strcspn(p, ";\r\n");
	snprintf(out, outlen, "%.*s", (int)(e - p), p);
	return 0;
}

int
main(void)
{
	unsigned char	 key[CRYPTO_KEYBYTES], code[CRYPTO_HASHBYTES];
	char		 dir[] = "/tmp/beratta-test-session-XXXXXX", path[4200];
	char		 tok[128], csrf[64], pre[64];
	struct request	 req;
	struct response	 resp;
	struct session	*s;
	int64_t		 invite, until;

	if (sodium_init() == -1 || mkdtemp(dir) == NULL)
		return 1;
	log_init("test_session");
	memset(key, 7, sizeof(key));
	crypto_set_key(key);
	secret_init(1);
	snprintf(path, sizeof(path), "%s/demo.db", dir);
	memset(&t, 0, sizeof(t));
	t.conf = &tc;
	snprintf(t.version, sizeof(t.version), "v1");
	memset(code, 3, sizeof(code));
	if (store_open(path, &t.store) == -1 ||
	    store_invite_add(t.store, code, "test", "10-12", &invite) == -1) {
		ok(0, "a database with one invitation");
		return tap_done();
	}

	ok(valid_token_pair("abcdefghijklmnopqrstuvwxyz0123456789",
	    "abcdefghijklmnopqrstuvwxyz0123456789") &&
	    !valid_token_pair("abcdefghijklmnopqrstuvwxyz0123456789",
	    "abcdefghijklmnopqrstuvwxyz012345678X") &&
	    !valid_token_pair("short", "short") &&
	    !valid_token_pair(NULL, NULL),
	    "valid_token_pair: equal tokens of 32+ characters only");

	/* No cookie: no session; the pre-login token is set once. */
	make(&req, "GET", NULL, NULL, NULL);
	http_init(&resp);
	ok(session_find(&req) == NULL, "session_find: no cookie, no session");
	ok(strlen(session_pre_token(&req, &resp)) == 43 &&
	    set_cookie(&resp, "beratta_pre", pre, sizeof(pre)) == 0 &&
	    strlen(pre) == 43, "session_pre_token: a new cookie of 43 characters");
	http_free(&resp);
	done(&req);

	/* Before login, CSRF is the double-submit cookie. */
	make(&req, "POST", NULL, pre, pre);
	ok(valid_csrf(&req, CSRF_PRE) && valid_csrf(&req, CSRF_EITHER) &&
	    valid_csrf(&req, CSRF_IF_SESSION) && !valid_csrf(&req, CSRF_SESSION),
	    "valid_csrf: the pre-login cookie repeated in the form passes, "
	    "but not where a session is needed");
	done(&req);
	make(&req, "POST", NULL, pre, NULL);
	ok(!valid_csrf(&req, CSRF_PRE) && !valid_csrf(&req, CSRF_EITHER),
	    "valid_csrf: a missing token is refused");
	done(&req);
	make(&req, "POST", NULL, pre, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ");
	ok(!valid_csrf(&req, CSRF_PRE), "valid_csrf: a wrong token is refused");
	ok(valid_csrf(&req, CSRF_NONE), "valid_csrf: CSRF_NONE asks nothing");
	done(&req);

	/* Login: a new session, only its hash stored. */
	make(&req, "POST", "plantedplantedplantedplantedplantedplanted1", pre,
	    pre);
	http_init(&resp);
	ok(session_begin(&req, &resp, invite) == 0 &&
	    set_cookie(&resp, "beratta", tok, sizeof(tok)) == 0 &&
	    strlen(tok) == 43, "session_begin: a session cookie with a new token");
	ok(strcmp(tok, "plantedplantedplantedplantedplantedplanted1") != 0,
	    "session_begin: never the token the browser brought");
	ok(strstr(resp.headers.data, "HttpOnly") != NULL &&
	    strstr(resp.headers.data, "SameSite=Strict") != NULL,
	    "session_begin: the cookie is HttpOnly and SameSite=Strict");
	{
		int64_t	 got;

		ok(store_session_find(t.store, (const unsigned char *)tok,
		    store_now(), 1800, &got, csrf, sizeof(csrf)) == 0 &&
		    got == 0, "the token itself is not what is stored");
	}
	http_free(&resp);
	done(&req);

	/* The cookie finds the session, once per request. */
	make(&req, "GET", tok, NULL, NULL);
	s = session_find(&req);
	ok(s != NULL && s->kind == SESSION_CHILD && s->invite == invite &&
	    strcmp(s->age, "10-12") == 0 && s->response > 0,
	    "session_find: the child's session, age band and response");
	ok(session_find(&req) == s, "session_find: looked up once per request");
	snprintf(csrf, sizeof(csrf), "%s", s != NULL ? s->csrf : "");
	done(&req);

	/* After login, CSRF is the session's own token. */
	make(&req, "POST", tok, NULL, csrf);
	ok(valid_csrf(&req, CSRF_SESSION) && valid_csrf(&req, CSRF_EITHER) &&
	    valid_csrf(&req, CSRF_IF_SESSION),
	    "valid_csrf: the session's token passes");
	done(&req);
	make(&req, "POST", tok, pre, pre);
	ok(!valid_csrf(&req, CSRF_SESSION) && !valid_csrf(&req, CSRF_EITHER) &&
	    !valid_csrf(&req, CSRF_IF_SESSION),
	    "valid_csrf: with a session, the pre-login token no longer passes");
	done(&req);

	/* Ending it. */
	make(&req, "POST", tok, NULL, csrf);
	http_init(&resp);
	ok(session_end(&req, &resp) == 0 && req.session == NULL &&
	    strstr(resp.headers.data, "Max-Age=0") != NULL,
	    "session_end: the session ends and its cookie is cleared");
	http_free(&resp);
	done(&req);
	make(&req, "GET", tok, NULL, NULL);
	ok(session_find(&req) == NULL, "session_find: an ended session is gone");
	done(&req);
	make(&req, "GET", "not a token", NULL, NULL);
	ok(session_find(&req) == NULL, "session_find: a malformed cookie is none");
	done(&req);

	/* Throttling per key. */
	make(&req, "POST", NULL, NULL, NULL);
	{
		int	 i;

		for (i = 0; i < 5; i++)
			if (session_failed(&req, code, &until) == -1)
				break;
		ok(i == 5 && until > store_now(),
		    "session_failed: 5 failures lock the key");
		ok(session_throttled(&req, code, &until) == 0 &&
		    until > store_now(), "session_throttled: and it says so");
		ok(session_passed(&req, code) == 0 &&
		    session_throttled(&req, code, &until) == 0 && until == 0,
		    "session_passed: a good login forgets the failures");
	}
	done(&req);

	store_close(t.store);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		return 1;
	return tap_done();
}
