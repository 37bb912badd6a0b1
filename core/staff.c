/*
 * staff.c: the staff family's handlers, under /staff/: logging in with a
 * password and a second factor (TOTP or a recovery code), activating an
 * account from its link and enrolling the second factor, one's sessions
 * and "log out everywhere", the children of one's units (invite one, read
 * what a child answered, unlock a locked-out code, lock a round), and for
 * administrators the units, the staff and the audit trail.
 *
 * The router has checked the fields, the route's access and CSRF before a
 * handler runs; a handler that touches a child, an invitation or a unit
 * asks auth_allow again with that object's unit first.  Every action the
 * issue lists is appended to the audit trail; a read of a child's answers
 * only through store_staff_answers, which writes its row in the same
 * transaction.  What is shown once (a new code, an activation link,
 * recovery codes) goes to the next page in an encrypted cookie that lives
 * five minutes, so every POST still answers with a 303.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <sodium.h>

#include "extern.h"
#include "staff_int.h"

#define ONCE_COOKIE	"beratta_once"
#define ONCE_SECONDS	300
#define LANG_MAX_AGE	(365 * 24 * 3600)
#define AUDIT_ROWS	200


/* ------------------------------------------------------------------ */
/* Pages. */

struct page {
	const char	*csrf;
	const char	*error;		/* a message key, or NULL */
	const char	*notice;
	int		(*fill)(lua_State *, void *);
	void		*arg;
};

/* A time (microseconds) as the pages show it: UTC, to the minute. */
void
staff_push_time(lua_State *L, const char *k, int64_t us)
{
	char		 out[32];
	time_t		 t = (time_t)(us / SEC);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, sizeof(out), "%Y-%m-%d %H:%M UTC", &tm);
	view_push_kv(L, k, out);
}

static int
fill_page(lua_State *L, void *arg)
{
	struct page	*p = arg;

	view_push_kv(L, "csrf", p->csrf);
	view_push_kv(L, "lang_action", "/staff/language");
	if (p->error != NULL)
		view_push_kv(L, "error", p->error);
	if (p->notice != NULL)
		view_push_kv(L, "notice", p->notice);
	return p->fill != NULL ? p->fill(L, p->arg) : 0;
}

/* The logged-in person as the pages show them, as data.me. */
static void
push_me(lua_State *L, const struct session *s)
{
	lua_createtable(L, 0, 4);
	view_push_kv(L, "login", s->login);
	view_push_kv(L, "name", s->name);
	push_bool(L, "admin", s->admin);
	push_bool(L, "professional", s->nunits > 0);
	lua_setfield(L, -2, "me");
}

struct me_page {
	const struct session *s;
	int		(*fill)(lua_State *, void *);
	void		*arg;
};

static int
fill_me(lua_State *L, void *arg)
{
	struct me_page	*m = arg;

	push_me(L, m->s);
	return m->fill != NULL ? m->fill(L, m->arg) : 0;
}

/*
 * Renders a staff page with status, in the person's own language when
 * they chose one; with data.me when they are logged in.
 */
int
staff_page(struct request *req, struct response *resp, int status,
    const char *page, const char *error, int (*fill)(lua_State *, void *),
    void *arg)
{
	struct session	*s = session_find(req);
	struct me_page	 m = { s, fill, arg };
	struct page	 p = { NULL, error, NULL, fill, arg };

	if (s != NULL && s->staff_lang != NULL && is_i18n_lang(s->staff_lang))
		req->lang = s->staff_lang;
	p.csrf = session_csrf(req, resp);
	if (s != NULL && s->stage == STAGE_IN) {
		p.fill = fill_me;
		p.arg = &m;
	}
	resp->status = status;
	return view_render(req, resp, page, fill_page, &p);
}

int
staff_fail(struct request *req, struct response *resp, int status)
{
	http_error(req, resp, status);
	return -1;
}

/* ------------------------------------------------------------------ */
/* What is shown once: kind and text, encrypted in a short-lived cookie. */

int
staff_once_set(struct request *req, struct response *resp, const char *kind,
    const char *text)
{
	unsigned char	 plain[CRYPTO_BOX_MAX];
	char		 box[480];
	size_t		 k = strlen(kind), n = strlen(text);
	int		 rc;

	if (k + 1 + n > sizeof(plain))
		return -1;
	memcpy(plain, kind, k);
	plain[k] = '\n';
	memcpy(plain + k + 1, text, n);
	rc = crypto_box_text("once", req->tenant->conf->name, plain, k + 1 + n,
	    store_now() + ONCE_SECONDS * SEC, box, sizeof(box));
	sodium_memzero(plain, sizeof(plain));
	if (rc == 0)
		http_cookie(resp, req, ONCE_COOKIE, box, ONCE_SECONDS);
	sodium_memzero(box, sizeof(box));
	return rc;
}

/* The text of kind the cookie holds, in the arena, and the cookie gone;
 * NULL when there is none. */
char *
staff_once_take(struct request *req, struct response *resp, const char *kind)
{
	unsigned char	 plain[CRYPTO_BOX_MAX + 1];
	const char	*c = request_cookie(req, ONCE_COOKIE);
	size_t		 n, k = strlen(kind);
	char		*out = NULL;

	if (c == NULL)
		return NULL;
	http_cookie(resp, req, ONCE_COOKIE, "", 0);
	if (crypto_open_text("once", req->tenant->conf->name, c, store_now(),
	    plain, CRYPTO_BOX_MAX, &n) == -1)
		return NULL;
	plain[n] = '\0';
	if (n > k && memcmp(plain, kind, k) == 0 && plain[k] == '\n')
		out = arena_strdup(req->arena, (char *)plain + k + 1);
	sodium_memzero(plain, sizeof(plain));
	return out;
}

/* ------------------------------------------------------------------ */
/* The audit trail. */

void
staff_audit_of(struct request *req, const char *action, struct audit_entry *e)
{
	struct session	*s = session_find(req);

	memset(e, 0, sizeof(*e));
	e->action = action;
	e->request = request_id(req);
	if (s != NULL && s->kind == SESSION_STAFF) {
		e->staff = s->staff;
		e->actor = s->login;
	}
}

int
staff_audit_add(struct request *req, struct audit_entry *e)
{
	return store_audit_add(req->tenant->store, req->tenant->conf->name, e);
}

/* ------------------------------------------------------------------ */
/* Logging in. */

/* The login as typed, in lower case (logins are), in the arena. */
static char *
typed_login(struct request *req)
{
	const char	*in = request_param(req, "login");
	char		*l, *p;

	if (in == NULL || (l = arena_strdup(req->arena, in)) == NULL)
		return NULL;
	for (p = l; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	while (l[0] == ' ')
		l++;
	for (p = l + strlen(l); p > l && p[-1] == ' '; p--)
		p[-1] = '\0';
	return l;
}

struct login_data {
	const char	*login;
};

static int
fill_login(lua_State *L, void *arg)
{
	struct login_data *d = arg;

	if (d != NULL && d->login != NULL)
		view_push_kv(L, "login", d->login);
	return 0;
}

/* GET /staff: the address typed without its slash. */
int
staff_slash(struct request *req, struct response *resp)
{
	(void)req;
	http_redirect(resp, "/staff/");
	return 0;
}

/* GET /staff/: the login page; a half-done login goes on where it is;
 * logged in, the start page. */

int
staff_home(struct request *req, struct response *resp)
{
	struct session	*s = session_find(req);

	if (s == NULL)
		return staff_page(req, resp, 200, "staff_login", NULL,
		    fill_login, NULL);
	if (s->stage == STAGE_ENROL) {
		http_redirect(resp, "/staff/enrol");
		return 0;
	}
	if (s->stage == STAGE_FACTOR) {
		http_redirect(resp, "/staff/factor");
		return 0;
	}
	return staff_start(req, resp);
}

/* The login page again with why (403). */
static int
login_refused(struct request *req, struct response *resp, const char *why,
    const char *login)
{
	struct login_data d = { login };

	return staff_page(req, resp, 403, "staff_login", why, fill_login, &d);
}

/*
 * POST /staff/login: the password step.  An unknown login, a disabled
 * account, one not yet activated and a wrong password get the same answer
 * after the same work (argon2id against a dummy hash), and each counts
 * against the login typed, never the address.  The failures are
 * forgotten only when the second factor is right too.
 */
int
staff_login(struct request *req, struct response *resp)
{
	struct store		*st = req->tenant->store;
	const char		*tenant = req->tenant->conf->name;
	struct staff_row	*acc;
	struct audit_entry	 e;
	unsigned char		 key[CRYPTO_HASHBYTES];
	char			*login = typed_login(req);
	const char		*pw = request_param(req, "password");
	int64_t			 id = 0, until;
	int			 ok;

	if (login == NULL || pw == NULL ||
	    (acc = arena_alloc(req->arena, sizeof(*acc))) == NULL)
		return staff_fail(req, resp, 500);
	memset(acc, 0, sizeof(*acc));
	account_throttle_key(tenant, login, key);
	if (session_throttled(req, key, &until) == -1)
		return staff_fail(req, resp, 500);
	if (until > store_now())
		return login_refused(req, resp, "staff.login.locked", login);
	if (valid_staff_login(login) && (store_staff_find(st, login, &id) == -1 ||
	    (id > 0 && store_staff_get(st, id, acc) == -1)))
		return staff_fail(req, resp, 500);
	if (acc->disabled)
		acc->password[0] = '\0';
	tenant_leave(req);	/* argon2id takes a while */
	ok = secret_verify(acc->password[0] != '\0' ? acc->password : NULL,
	    pw);
	if (tenant_enter(req) == -1)
		return staff_fail(req, resp, 500);
	staff_audit_of(req, ok ? "login" : "login_failed", &e);
	if (acc->id > 0) {
		e.staff = acc->id;
		e.actor = acc->login;
	}
	if (!ok) {
		if (session_failed(req, key, &until) == -1 || staff_audit_add(req, &e) == -1)
			return staff_fail(req, resp, 500);
		sodium_memzero(acc, sizeof(*acc));
		return login_refused(req, resp, until > store_now() ?
		    "staff.login.locked" : "staff.login.failed", login);
	}
	if (staff_audit_add(req, &e) == -1 || session_begin_staff(req, resp, acc->id,
	    acc->totp[0] != '\0' ? STAGE_FACTOR : STAGE_ENROL) == -1)
		return staff_fail(req, resp, 500);
	http_redirect(resp, acc->totp[0] != '\0' ? "/staff/factor" :
	    "/staff/enrol");
	sodium_memzero(acc, sizeof(*acc));
	return 0;
}

/* GET /staff/factor: the second step. */
int
staff_factor_page(struct request *req, struct response *resp)
{
	return staff_page(req, resp, 200, "staff_factor", NULL, NULL, NULL);
}

/* 1 if code is the account's TOTP (not used before) or one of its unused
 * recovery codes (now used up), 0 if not, -1 on a failure. */
static int
factor_check(struct request *req, const struct staff_row *acc,
    const char *code, struct audit_entry *e)
{
	struct store	*st = req->tenant->store;
	const char	*tenant = req->tenant->conf->name;
	unsigned char	 seed[TOTP_SEED_BYTES], hash[CRYPTO_HASHBYTES];
	char		 digits[8];
	int64_t		 step;
	size_t		 i, n = 0;
	int		 rc = 0;

	for (i = 0; code[i] != '\0' && n < sizeof(digits) - 1; i++)
		if (code[i] != ' ')
			digits[n++] = code[i];
	digits[n] = '\0';
	if (n == 6 && strspn(digits, "0123456789") == 6) {
		if (account_totp_open(tenant, acc->totp, seed) == -1) {
			LOG_ERR("tenant %s: staff %lld: the second factor does "
			    "not open", tenant, (long long)acc->id);
			return -1;
		}
		if (account_totp_check(seed, digits, store_now() / SEC, &step))
			rc = store_staff_totp_step(st, acc->id, step);
		sodium_memzero(seed, sizeof(seed));
		return rc;
	}
	if (account_recovery_hash(tenant, code, hash) == -1)
		return 0;
	if ((rc = store_recovery_use(st, acc->id, hash)) == 1)
		e->detail = "recovery code";
	return rc;
}

/* POST /staff/factor: a TOTP or a recovery code; right, the session
 * begins anew (a new token) as logged in. */
int
staff_factor(struct request *req, struct response *resp)
{
	struct session		*s = session_find(req);
	struct staff_row	*acc;
	struct audit_entry	 e;
	unsigned char		 key[CRYPTO_HASHBYTES];
	int64_t			 until;
	int			 ok;

	if ((acc = arena_alloc(req->arena, sizeof(*acc))) == NULL ||
	    store_staff_get(req->tenant->store, s->staff, acc) == -1)
		return staff_fail(req, resp, 500);
	account_throttle_key(req->tenant->conf->name, acc->login, key);
	if (session_throttled(req, key, &until) == -1)
		return staff_fail(req, resp, 500);
	if (until > store_now()) {
		session_end(req, resp);
		return login_refused(req, resp, "staff.login.locked", NULL);
	}
	staff_audit_of(req, "factor", &e);
	if ((ok = factor_check(req, acc, request_param(req, "code"), &e)) == -1)
		return staff_fail(req, resp, 500);
	sodium_memzero(acc->totp, sizeof(acc->totp));
	if (!ok) {
		e.action = "factor_failed";
		if (session_failed(req, key, &until) == -1 || staff_audit_add(req, &e) == -1)
			return staff_fail(req, resp, 500);
		if (until > store_now()) {
			session_end(req, resp);
			return login_refused(req, resp, "staff.login.locked",
			    NULL);
		}
		return staff_page(req, resp, 403, "staff_factor",
		    "staff.factor.failed", NULL, NULL);
	}
	if (session_passed(req, key) == -1 || staff_audit_add(req, &e) == -1 ||
	    session_begin_staff(req, resp, acc->id, STAGE_IN) == -1)
		return staff_fail(req, resp, 500);
	http_redirect(resp, "/staff/");
	return 0;
}

/* POST /staff/logout. */
int
staff_logout(struct request *req, struct response *resp)
{
	struct audit_entry	 e;
	struct session		*s = session_find(req);

	if (s != NULL) {
		staff_audit_of(req, "logout", &e);
		if (staff_audit_add(req, &e) == -1)
			return staff_fail(req, resp, 500);
	}
	if (session_end(req, resp) == -1)
		return staff_fail(req, resp, 500);
	http_redirect(resp, "/staff/");
	return 0;
}

/* POST /staff/language: kept with the account when logged in, and in a
 * cookie of the staff pages' own (never the child's). */
int
staff_language(struct request *req, struct response *resp)
{
	struct session	*s = session_find(req);
	const char	*lang = request_param(req, "lang");
	const char	*next = request_param(req, "next");

	if (s != NULL && s->stage == STAGE_IN &&
	    store_staff_lang(req->tenant->store, s->staff, lang) == -1)
		return staff_fail(req, resp, 500);
	http_cookie(resp, req, "staff_lang", lang, LANG_MAX_AGE);
	http_redirect(resp, next != NULL ? next : "/staff/");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Activation and the second factor. */

struct activate_data {
	const char	*token, *login, *name;
	int		 invalid;
};

static int
fill_activate(lua_State *L, void *arg)
{
	struct activate_data *d = arg;

	if (d->invalid) {
		push_bool(L, "invalid", 1);
		return 0;
	}
	view_push_kv(L, "token", d->token);
	/* The language menu comes back here with the link. */
	lua_pushfstring(L, "/staff/activate?t=%s", d->token);
	lua_setfield(L, -2, "path");
	view_push_kv(L, "login", d->login);
	view_push_kv(L, "name", d->name);
	return 0;
}

/* The account of an activation token: 0 with *acc (acc->id 0 when the
 * link is unknown, used or out of date), -1. */
static int
activation_of(struct request *req, const char *token, struct staff_row *acc)
{
	unsigned char	 hash[CRYPTO_HASHBYTES];
	int64_t		 id = 0;

	memset(acc, 0, sizeof(*acc));
	if (account_activation_hash(req->tenant->conf->name, token, hash) == -1)
		return 0;
	if (store_staff_activation(req->tenant->store, hash, store_now(),
	    &id) == -1 || (id > 0 && store_staff_get(req->tenant->store, id,
	    acc) == -1))
		return -1;
	return 0;
}

/* GET /staff/activate?t=TOKEN: choose a password. */
int
staff_activate_page(struct request *req, struct response *resp)
{
	struct activate_data	 d = { request_param(req, "t"), NULL, NULL, 0 };
	struct staff_row	*acc;

	if ((acc = arena_alloc(req->arena, sizeof(*acc))) == NULL ||
	    activation_of(req, d.token, acc) == -1)
		return staff_fail(req, resp, 500);
	d.invalid = acc->id == 0;
	d.login = acc->login;
	d.name = acc->name;
	return staff_page(req, resp, d.invalid ? 404 : 200, "staff_activate",
	    NULL, fill_activate, &d);
}

/* POST /staff/activate: the password chosen (argon2id; refused when
 * weak), the second factor's seed made; on to enrolling it. */
int
staff_activate(struct request *req, struct response *resp)
{
	struct activate_data	 d = { request_param(req, "token"), NULL, NULL,
				    0 };
	const char		*tenant = req->tenant->conf->name;
	const char		*pw = request_param(req, "password");
	const char		*again = request_param(req, "again");
	const char		*why;
	struct staff_row	*acc;
	struct audit_entry	 e;
	unsigned char		 seed[TOTP_SEED_BYTES];
	char			 b32[TOTP_B32_LEN + 1], sealed[256];
	char			 hash[SECRET_HASHBYTES];
	int			 ok, rc = -1;

	if ((acc = arena_alloc(req->arena, sizeof(*acc))) == NULL ||
	    activation_of(req, d.token, acc) == -1)
		return staff_fail(req, resp, 500);
	d.login = acc->login;
	d.name = acc->name;
	if ((d.invalid = acc->id == 0))
		return staff_page(req, resp, 404, "staff_activate", NULL,
		    fill_activate, &d);
	if ((why = account_password_check(pw, acc->login)) == NULL &&
	    strcmp(pw, again) != 0)
		why = "staff.activate.mismatch";
	if (why != NULL)
		return staff_page(req, resp, 400, "staff_activate", why,
		    fill_activate, &d);
	tenant_leave(req);
	ok = secret_hash(pw, hash) == 0;
	if (tenant_enter(req) == -1 || !ok)
		goto done;
	if (account_totp_new(seed, b32) == -1 ||
	    account_totp_seal(tenant, seed, sealed, sizeof(sealed)) == -1)
		goto done;
	staff_audit_of(req, "activate", &e);
	e.staff = acc->id;
	e.actor = acc->login;
	if ((ok = store_staff_activate(req->tenant->store, acc->id, hash,
	    sealed)) == -1 || (ok == 1 && staff_audit_add(req, &e) == -1))
		goto done;
	if (ok == 0) {
		d.invalid = 1;
		rc = staff_page(req, resp, 404, "staff_activate", NULL,
		    fill_activate, &d);
		goto out;
	}
	if (session_begin_staff(req, resp, acc->id, STAGE_ENROL) == -1)
		goto done;
	http_redirect(resp, "/staff/enrol");
	rc = 0;
done:
	if (rc == -1)
		http_error(req, resp, 500);
out:
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(b32, sizeof(b32));
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

struct enrol_data {
	struct buf	 qr;
	char		 secret[TOTP_B32_LEN + TOTP_B32_LEN / 4 + 1];
};

static int
fill_enrol(lua_State *L, void *arg)
{
	struct enrol_data *d = arg;

	lua_pushlstring(L, d->qr.data, d->qr.len);
	lua_setfield(L, -2, "qr");
	view_push_kv(L, "secret", d->secret);
	return 0;
}

/* The pending seed of the session's account: 0, or -1. */
static int
pending_seed(struct request *req, unsigned char seed[TOTP_SEED_BYTES],
    struct staff_row *acc)
{
	if (store_staff_get(req->tenant->store, session_find(req)->staff,
	    acc) == -1 || acc->totp_pending[0] == '\0')
		return -1;
	return account_totp_open(req->tenant->conf->name, acc->totp_pending,
	    seed);
}

/* Percent-encodes s for an otpauth URI's label or parameter. */
static void
uri_put(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		if (isalnum((unsigned char)*s) || strchr("-._~", *s) != NULL)
			buf_append(b, s, 1);
		else
			buf_printf(b, "%%%02X", (unsigned char)*s);
}

/* The enrol page: the QR code and the seed to type by hand. */
static int
enrol_render(struct request *req, struct response *resp, int status,
    const char *error)
{
	struct enrol_data	 d;
	struct staff_row	*acc;
	unsigned char		 seed[TOTP_SEED_BYTES];
	char			 b32[TOTP_B32_LEN + 1];
	struct buf		 uri = { NULL, 0, 0 };
	char			 issuer[128];
	size_t			 i, j;
	int			 rc = -1;

	memset(&d, 0, sizeof(d));
	if ((acc = arena_alloc(req->arena, sizeof(*acc))) == NULL ||
	    pending_seed(req, seed, acc) == -1 ||
	    account_totp_b32(seed, b32) == -1)
		goto done;
	for (i = j = 0; b32[i] != '\0'; i++) {
		if (i > 0 && i % 4 == 0)
			d.secret[j++] = ' ';
		d.secret[j++] = b32[i];
	}
	d.secret[j] = '\0';
	snprintf(issuer, sizeof(issuer), "Ber\xc3\xa4tta %s",
	    req->tenant->conf->name);
	buf_puts(&uri, "otpauth://totp/");
	uri_put(&uri, issuer);
	buf_puts(&uri, ":");
	uri_put(&uri, acc->login);
	buf_printf(&uri, "?secret=%s&issuer=", b32);
	uri_put(&uri, issuer);
	buf_puts(&uri, "&algorithm=SHA1&digits=6&period=30");
	if (uri.data == NULL || buf_append(&uri, "", 1) == -1 ||
	    qr_svg(uri.data, i18n_text(req->lang, "staff.enrol.qr_label"), 6,
	    &d.qr) == -1)
		goto done;
	rc = staff_page(req, resp, status, "staff_enrol", error, fill_enrol,
	    &d);
done:
	if (uri.data != NULL)
		sodium_memzero(uri.data, uri.len);
	buf_free(&uri);
	if (d.qr.data != NULL)
		sodium_memzero(d.qr.data, d.qr.len);
	buf_free(&d.qr);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(b32, sizeof(b32));
	sodium_memzero(d.secret, sizeof(d.secret));
	if (rc == -1 && resp->status != 500)
		return staff_fail(req, resp, 500);
	return rc;
}

/* GET /staff/enrol. */
int
staff_enrol_page(struct request *req, struct response *resp)
{
	return enrol_render(req, resp, 200, NULL);
}

/* Ten new recovery codes: their hashes into hashes, the codes, space
 * separated, into text. */
static void
recovery_new(struct request *req, unsigned char (*hashes)[CRYPTO_HASHBYTES],
    char *text, size_t textlen)
{
	char	 codes[RECOVERY_CODES][CODE_DISPLAY];
	size_t	 i, n = 0;

	account_recovery_new(req->tenant->conf->name, codes, hashes);
	text[0] = '\0';
	for (i = 0; i < RECOVERY_CODES; i++)
		n += (size_t)snprintf(text + n, textlen - n, "%s%s",
		    i > 0 ? " " : "", codes[i]);
	sodium_memzero(codes, sizeof(codes));
}

/* POST /staff/enrol: the first code from the app; right, the factor is
 * the account's, recovery codes are made and shown once, and the
 * session begins anew as logged in. */
int
staff_enrol(struct request *req, struct response *resp)
{
	struct staff_row	*acc;
	struct audit_entry	 e;
	unsigned char		 seed[TOTP_SEED_BYTES];
	unsigned char		 hashes[RECOVERY_CODES][CRYPTO_HASHBYTES];
	char			 text[RECOVERY_CODES * CODE_DISPLAY];
	int64_t			 step;
	int			 ok, rc = -1;

	if ((acc = arena_alloc(req->arena, sizeof(*acc))) == NULL ||
	    pending_seed(req, seed, acc) == -1)
		return staff_fail(req, resp, 500);
	ok = account_totp_check(seed, request_param(req, "code"),
	    store_now() / SEC, &step);
	sodium_memzero(seed, sizeof(seed));
	if (!ok) {
		staff_audit_of(req, "factor_failed", &e);
		e.detail = "enrolment";
		if (staff_audit_add(req, &e) == -1)
			return staff_fail(req, resp, 500);
		return enrol_render(req, resp, 403, "staff.factor.failed");
	}
	recovery_new(req, hashes, text, sizeof(text));
	staff_audit_of(req, "enrol", &e);
	if (store_staff_enrol(req->tenant->store, req->tenant->conf->name,
	    acc->id, step, (const unsigned char (*)[CRYPTO_HASHBYTES])hashes,
	    RECOVERY_CODES, &e) != 1 ||
	    session_begin_staff(req, resp, acc->id, STAGE_IN) == -1 ||
	    staff_once_set(req, resp, "recovery", text) == -1)
		goto done;
	http_redirect(resp, "/staff/recovery");
	rc = 0;
done:
	sodium_memzero(text, sizeof(text));
	if (rc == -1)
		http_error(req, resp, 500);
	return rc;
}

/* Splits text at spaces into a Lua list at data[k]. */
static void
push_words(lua_State *L, const char *k, const char *text)
{
	const char	*p = text, *e;
	lua_Integer	 i = 0;

	lua_newtable(L);
	while (*p != '\0') {
		if ((e = strchr(p, ' ')) == NULL)
			e = p + strlen(p);
		lua_pushlstring(L, p, (size_t)(e - p));
		lua_rawseti(L, -2, ++i);
		p = *e == ' ' ? e + 1 : e;
	}
	lua_setfield(L, -2, k);
}

struct recovery_data {
	const char	*codes;		/* NULL: shown already */
	int64_t		 left;
};

static int
fill_recovery(lua_State *L, void *arg)
{
	struct recovery_data *d = arg;

	if (d->codes != NULL)
		push_words(L, "codes", d->codes);
	push_int(L, "left", d->left);
	return 0;
}

/* GET /staff/recovery: the new recovery codes, once. */
int
staff_recovery_page(struct request *req, struct response *resp)
{
	struct recovery_data	 d = { NULL, 0 };
	int			 rc;

	d.codes = staff_once_take(req, resp, "recovery");
	if (store_recovery_left(req->tenant->store, session_find(req)->staff,
	    &d.left) == -1)
		return staff_fail(req, resp, 500);
	rc = staff_page(req, resp, 200, "staff_recovery", NULL, fill_recovery,
	    &d);
	if (d.codes != NULL)
		sodium_memzero((char *)d.codes, strlen(d.codes));
	return rc;
}

/* POST /staff/recovery/new: ten new codes; the old ones stop working. */
int
staff_recovery_renew(struct request *req, struct response *resp)
{
	struct audit_entry	 e;
	unsigned char		 hashes[RECOVERY_CODES][CRYPTO_HASHBYTES];
	char			 text[RECOVERY_CODES * CODE_DISPLAY];
	int			 rc = -1;

	recovery_new(req, hashes, text, sizeof(text));
	staff_audit_of(req, "recovery_new", &e);
	if (store_recovery_set(req->tenant->store, req->tenant->conf->name,
	    session_find(req)->staff,
	    (const unsigned char (*)[CRYPTO_HASHBYTES])hashes, RECOVERY_CODES,
	    &e) == 0 && staff_once_set(req, resp, "recovery", text) == 0) {
		http_redirect(resp, "/staff/recovery");
		rc = 0;
	}
	sodium_memzero(text, sizeof(text));
	if (rc == -1)
		http_error(req, resp, 500);
	return rc;
}

/* ------------------------------------------------------------------ */
/* One's sessions. */

struct sessions_data {
	const struct session		*me;
	struct staff_session_item	*v;
	size_t				 n;
};

static int
fill_sessions(lua_State *L, void *arg)
{
	struct sessions_data	*d = arg;
	size_t			 i;

	lua_createtable(L, (int)d->n, 0);
	for (i = 0; i < d->n; i++) {
		lua_createtable(L, 0, 4);
		staff_push_time(L, "created", d->v[i].created);
		staff_push_time(L, "seen", d->v[i].seen);
		view_push_kv(L, "agent", d->v[i].agent);
		push_bool(L, "current", sodium_memcmp(d->v[i].hash, d->me->hash,
		    CRYPTO_HASHBYTES) == 0);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "sessions");
	return 0;
}

/* GET /staff/sessions: where one is logged in. */
int
staff_sessions_page(struct request *req, struct response *resp)
{
	struct sessions_data	 d = { session_find(req), NULL, 0 };
	const struct tenant_conf *tc = req->tenant->conf;

	if (store_staff_sessions(req->tenant->store, req->arena, d.me->staff,
	    tc->staff_idle, tc->staff_lifetime, &d.v, &d.n) == -1)
		return staff_fail(req, resp, 500);
	return staff_page(req, resp, 200, "staff_sessions", NULL,
	    fill_sessions, &d);
}

/* POST /staff/sessions/end-all: log out everywhere, here too. */
int
staff_end_all(struct request *req, struct response *resp)
{
	struct audit_entry	 e;
	int			 n;

	staff_audit_of(req, "logout_all", &e);
	if ((n = store_staff_session_end_all(req->tenant->store,
	    session_find(req)->staff)) == -1 || staff_audit_add(req, &e) == -1)
		return staff_fail(req, resp, 500);
	session_end(req, resp);
	http_redirect(resp, "/staff/");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Administration: units, staff, the audit trail. */

struct units_data {
	struct unit_row	*v;
	size_t		 n;
};

static int
fill_units(lua_State *L, void *arg)
{
	struct units_data	*d = arg;
	size_t			 i;

	lua_createtable(L, (int)d->n, 0);
	for (i = 0; i < d->n; i++) {
		lua_createtable(L, 0, 3);
		push_int(L, "id", d->v[i].id);
		view_push_kv(L, "name", d->v[i].name);
		view_push_kv(L, "kind", d->v[i].kind);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "units");
	lua_newtable(L);
	for (i = 0; i < account_unit_kind_count(); i++) {
		lua_pushstring(L, account_unit_kind(i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "kinds");
	return 0;
}

static int
units_render(struct request *req, struct response *resp, int status,
    const char *error)
{
	struct units_data	 d;

	if (store_units(req->tenant->store, req->arena, &d.v, &d.n) == -1)
		return staff_fail(req, resp, 500);
	return staff_page(req, resp, status, "staff_units", error, fill_units,
	    &d);
}

/* GET /staff/units. */
int
staff_units(struct request *req, struct response *resp)
{
	return units_render(req, resp, 200, NULL);
}

/* POST /staff/units: a new unit. */
int
staff_unit_add(struct request *req, struct response *resp)
{
	struct audit_entry	 e;
	const char		*name = request_param(req, "name");
	int64_t			 id;
	int			 rc;

	if (!valid_unit_name(name))
		return units_render(req, resp, 400, "staff.unit.invalid");
	if ((rc = store_unit_add(req->tenant->store, name,
	    request_param(req, "kind"), &id)) == -1)
		return staff_fail(req, resp, 500);
	if (rc == 1)
		return units_render(req, resp, 409, "staff.unit.exists");
	staff_audit_of(req, "unit_add", &e);
	e.unit = id;
	e.detail = name;
	if (staff_audit_add(req, &e) == -1)
		return staff_fail(req, resp, 500);
	http_redirect(resp, "/staff/units");
	return 0;
}

/* "1,3" as the list { 1, 3 } at data[k]. */
static void
push_ids(lua_State *L, const char *k, const char *list)
{
	lua_Integer	 n = 0;
	char		*end;
	long long	 v;

	lua_newtable(L);
	while (list != NULL && *list != '\0') {
		v = strtoll(list, &end, 10);
		if (end == list)
			break;
		lua_pushinteger(L, (lua_Integer)v);
		lua_rawseti(L, -2, ++n);
		list = *end == ',' ? end + 1 : end;
	}
	lua_setfield(L, -2, k);
}

struct people_data {
	struct staff_item	*v;
	size_t			 n;
	struct unit_row		*units;
	size_t			 nunits;
	const char		*link;	/* "login\nurl", once */
};

static int
fill_people(lua_State *L, void *arg)
{
	struct people_data	*d = arg;
	struct units_data	 u = { d->units, d->nunits };
	const char		*nl;
	size_t			 i;

	lua_createtable(L, (int)d->n, 0);
	for (i = 0; i < d->n; i++) {
		lua_createtable(L, 0, 8);
		push_int(L, "id", d->v[i].id);
		view_push_kv(L, "login", d->v[i].login);
		view_push_kv(L, "name", d->v[i].name);
		view_push_kv(L, "units", d->v[i].units);
		push_bool(L, "admin", d->v[i].admin);
		push_bool(L, "disabled", d->v[i].disabled);
		push_bool(L, "active", d->v[i].active);
		push_bool(L, "enrolled", d->v[i].enrolled);
		push_ids(L, "unit_ids", d->v[i].unit_ids);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "people");
	if (d->link != NULL && (nl = strchr(d->link, '\n')) != NULL) {
		lua_createtable(L, 0, 2);
		lua_pushlstring(L, d->link, (size_t)(nl - d->link));
		lua_setfield(L, -2, "login");
		view_push_kv(L, "url", nl + 1);
		lua_setfield(L, -2, "link");
	}
	return fill_units(L, &u);
}

static int
people_render(struct request *req, struct response *resp, int status,
    const char *error)
{
	struct people_data	 d;

	memset(&d, 0, sizeof(d));
	if (store_staff_list(req->tenant->store, req->arena, &d.v, &d.n) == -1 ||
	    store_units(req->tenant->store, req->arena, &d.units,
	    &d.nunits) == -1)
		return staff_fail(req, resp, 500);
	if (status == 200)
		d.link = staff_once_take(req, resp, "link");
	return staff_page(req, resp, status, "staff_people", error,
	    fill_people, &d);
}

/* GET /staff/people. */
int
staff_people(struct request *req, struct response *resp)
{
	return people_render(req, resp, 200, NULL);
}

/* The address the request came to: scheme, host and, when it is not the
 * scheme's own, port; in the arena (NULL out of memory). */
const char *
staff_base_url(struct request *req)
{
	const char	*port = req->port;

	if (port != NULL && strcmp(port, req->https ? "443" : "80") == 0)
		port = NULL;
	return arena_printf(req->arena, "%s://%s%s%s",
	    req->https ? "https" : "http",
	    req->host != NULL ? req->host : req->tenant->conf->hosts[0],
	    port != NULL ? ":" : "", port != NULL ? port : "");
}

/* The activation link of token, for the host the request came to, shown
 * once on the next page. */
static int
link_once(struct request *req, struct response *resp, const char *login,
    const char *token)
{
	const char	*base = staff_base_url(req);
	char		*once;
	int		 rc;

	if (base == NULL || (once = arena_printf(req->arena,
	    "%s\n%s/staff/activate?t=%s", login, base, token)) == NULL)
		return -1;
	rc = staff_once_set(req, resp, "link", once);
	sodium_memzero(once, strlen(once));
	return rc;
}

/* The units the form ticked ("unit", any number): 0 with them in the
 * arena, 1 when one is not a unit of the tenant, -1. */
static int
chosen_units(struct request *req, int64_t **out, size_t *n)
{
	struct unit_row	*units;
	size_t		 nunits, i, j;
	int64_t		*chosen;

	*n = 0;
	if (store_units(req->tenant->store, req->arena, &units, &nunits) == -1 ||
	    (chosen = arena_alloc(req->arena, (req->form.n + 1) *
	    sizeof(*chosen))) == NULL)
		return -1;
	for (i = 0; i < req->form.n; i++) {
		if (strcmp(req->form.v[i].key, "unit") != 0)
			continue;
		chosen[*n] = strtoll(req->form.v[i].val, NULL, 10);
		for (j = 0; j < nunits && units[j].id != chosen[*n]; j++)
			;
		if (j == nunits)
			return 1;
		(*n)++;
	}
	*out = chosen;
	return 0;
}

/* POST /staff/people: a new account, its activation link shown once. */
int
staff_person_add(struct request *req, struct response *resp)
{
	struct audit_entry	 e;
	size_t			 n = 0;
	int64_t			*chosen;
	char			*login = typed_login(req);
	const char		*name = request_param(req, "name");
	char			 token[64];
	int			 rc;

	if (login == NULL || !valid_staff_login(login))
		return people_render(req, resp, 400,
		    "staff.people.invalid_login");
	if (!valid_staff_name(name))
		return people_render(req, resp, 400,
		    "staff.people.invalid_name");
	if ((rc = chosen_units(req, &chosen, &n)) != 0)
		return rc == 1 ? people_render(req, resp, 400,
		    "staff.people.invalid_unit") : staff_fail(req, resp, 500);
	staff_audit_of(req, "staff_add", &e);
	rc = account_create(req->tenant->store, req->tenant->conf->name, login,
	    name, request_param(req, "admin") != NULL, chosen, n, &e, token);
	if (rc == 1)
		return people_render(req, resp, 409, "staff.people.exists");
	if (rc == -1 || link_once(req, resp, login, token) == -1) {
		sodium_memzero(token, sizeof(token));
		return staff_fail(req, resp, 500);
	}
	sodium_memzero(token, sizeof(token));
	http_redirect(resp, "/staff/people#new-link");
	return 0;
}

/* The account of the form's "id", its secrets wiped (an administrator's
 * action needs none): 1 with *acc, 0 when there is no such account, -1. */
static int
account_in_form(struct request *req, struct staff_row **acc)
{
	if ((*acc = arena_alloc(req->arena, sizeof(**acc))) == NULL ||
	    store_staff_get(req->tenant->store,
	    strtoll(request_param(req, "id"), NULL, 10), *acc) == -1)
		return -1;
	sodium_memzero((*acc)->password, sizeof((*acc)->password));
	sodium_memzero((*acc)->totp, sizeof((*acc)->totp));
	sodium_memzero((*acc)->totp_pending, sizeof((*acc)->totp_pending));
	return (*acc)->id > 0;
}

/* POST /staff/people/reset and /staff/people/disable. */
int
staff_person_action(struct request *req, struct response *resp)
{
	struct audit_entry	 e;
	struct staff_row	*acc;
	char			 token[64];
	int			 reset = strcmp(req->path, "/staff/people/reset") == 0;
	int			 rc;

	if ((rc = account_in_form(req, &acc)) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	staff_audit_of(req, reset ? "staff_reset" : "staff_disable", &e);
	e.detail = acc->login;
	if (reset) {
		if ((rc = account_reset(req->tenant->store,
		    req->tenant->conf->name, acc->id, &e, token)) == -1 ||
		    (rc == 0 && link_once(req, resp, acc->login, token) == -1)) {
			sodium_memzero(token, sizeof(token));
			return staff_fail(req, resp, 500);
		}
		sodium_memzero(token, sizeof(token));
	} else if (store_staff_disable(req->tenant->store,
	    req->tenant->conf->name, acc->id, &e) == -1)
		return staff_fail(req, resp, 500);
	http_redirect(resp, reset ? "/staff/people#new-link" : "/staff/people");
	return 0;
}

static const char *const audit_actions[] = {
	"login", "login_failed", "factor", "factor_failed", "logout",
	"logout_all", "activate", "enrol", "recovery_new", "invite", "read",
	"unlock", "lock", "reopen", "renew", "round", "compare", "alert",
	"mapping_add", "mapping_slips", "mapping_close", "mapping_report",
	"mapping_compare",
	"unit_add", "staff_add", "staff_reset",
	"staff_disable", "staff_roles", "audit_read",
};

static const char *const audit_fields[] = { "actor", "child", "action",
	"from", "to" };
#define AUDIT_FIELDS	(sizeof(audit_fields) / sizeof(audit_fields[0]))

struct audit_data {
	struct audit_row	*v;
	size_t			 n;
	const char		*filter[AUDIT_FIELDS];
};

/* Microseconds of a date field's day (UTC), plus days; 0 when empty. */
static int64_t
day_of(const char *s, int days)
{
	struct tm	 tm;

	if (s == NULL || *s == '\0')
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8) + days;
	return (int64_t)timegm(&tm) * SEC;
}

static int
fill_audit(lua_State *L, void *arg)
{
	struct audit_data	*d = arg;
	size_t			 i;

	lua_createtable(L, (int)d->n, 0);
	for (i = 0; i < d->n; i++) {
		lua_createtable(L, 0, 7);
		push_int(L, "id", d->v[i].id);
		staff_push_time(L, "at", d->v[i].at);
		view_push_kv(L, "actor", d->v[i].actor);
		view_push_kv(L, "action", d->v[i].action);
		if (d->v[i].child != NULL)
			view_push_kv(L, "child", d->v[i].child);
		if (d->v[i].detail != NULL)
			view_push_kv(L, "detail", d->v[i].detail);
		if (d->v[i].request != NULL)
			view_push_kv(L, "request", d->v[i].request);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "rows");
	lua_newtable(L);
	for (i = 0; i < sizeof(audit_actions) / sizeof(audit_actions[0]); i++) {
		lua_pushstring(L, audit_actions[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "actions");
	lua_newtable(L);
	for (i = 0; i < AUDIT_FIELDS; i++)
		if (d->filter[i] != NULL)
			view_push_kv(L, audit_fields[i], d->filter[i]);
	lua_setfield(L, -2, "filter");
	return 0;
}

/* GET /staff/audit: the trail, newest first, filtered. */
int
staff_audit(struct request *req, struct response *resp)
{
	struct audit_filter	 f;
	struct audit_data	 d;
	struct audit_entry	 e;
	const char		*v;
	int			 rc;

	memset(&f, 0, sizeof(f));
	if ((v = request_param(req, "actor")) != NULL && *v != '\0')
		f.actor = v;
	if ((v = request_param(req, "child")) != NULL && *v != '\0')
		f.child = v;
	if ((v = request_param(req, "action")) != NULL && *v != '\0')
		f.action = v;
	f.from = day_of(request_param(req, "from"), 0);
	f.to = day_of(request_param(req, "to"), 1);
	f.max = AUDIT_ROWS;
	staff_audit_of(req, "audit_read", &e);
	if (staff_audit_add(req, &e) == -1 || store_audit_list(req->tenant->store,
	    req->arena, &f, &d.v, &d.n) == -1)
		return staff_fail(req, resp, 500);
	for (rc = 0; rc < (int)AUDIT_FIELDS; rc++)
		d.filter[rc] = request_param(req, audit_fields[rc]);
	rc = staff_page(req, resp, 200, "staff_audit", NULL, fill_audit, &d);
	return rc;
}

/* POST /staff/people/roles: an account made administrator or not and a
 * professional of the units ticked.  An administrator cannot take their
 * own administrator role away (the tenant would be left without one
 * by a slip). */
int
staff_person_roles(struct request *req, struct response *resp)
{
	struct audit_entry	 e;
	struct staff_row	*acc;
	struct session		*me = session_find(req);
	int64_t			*chosen;
	size_t			 n;
	int			 admin = request_param(req, "admin") != NULL, rc;

	if ((rc = account_in_form(req, &acc)) != 1)
		return staff_fail(req, resp, rc == 0 ? 404 : 500);
	if (acc->id == me->staff && !admin)
		return people_render(req, resp, 400, "staff.people.self");
	if ((rc = chosen_units(req, &chosen, &n)) != 0)
		return rc == 1 ? people_render(req, resp, 400,
		    "staff.people.invalid_unit") : staff_fail(req, resp, 500);
	staff_audit_of(req, "staff_roles", &e);
	e.detail = acc->login;
	if (store_staff_roles(req->tenant->store, req->tenant->conf->name,
	    acc->id, admin, chosen, n, &e) == -1)
		return staff_fail(req, resp, 500);
	http_redirect(resp, "/staff/people");
	return 0;
}
