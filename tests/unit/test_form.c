/*
 * test_form.c: the field tables (core/form.c): the validators, and
 * form_check refusing a request before its handler runs: a field over its
 * limit (413), missing, given twice, or refused by its validator (400);
 * unnamed fields are ignored; a field that may repeat can.
 */
#include "config.h"

#include <string.h>

#include "extern.h"
#include "tap.h"

/* A request of method with the fields kv (NULL-terminated pairs). */
static void
make(struct request *req, struct kv *store, const char *method,
    const char *const *kv)
{
	size_t	 n = 0;

	memset(req, 0, sizeof(*req));
	req->method = method;
	for (; kv[0] != NULL; kv += 2, n++) {
		store[n].key = kv[0];
		store[n].val = kv[1];
		store[n].vlen = strlen(kv[1]);
	}
	if (strcmp(method, "POST") == 0) {
		req->form.v = store;
		req->form.n = n;
	} else {
		req->query.v = store;
		req->query.n = n;
	}
}

static int
check(const struct form *f, const char *method, const char *const *kv)
{
	struct request	 req;
	struct kv	 store[16];

	make(&req, store, method, kv);
	return form_check(&req, f);
}

int
main(void)
{
	char	 big[FORM_ANSWER_MAX + 2], qid[FORM_QID_MAX + 2];
	const char *tok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memset(qid, 'a', sizeof(qid) - 1);
	qid[sizeof(qid) - 1] = '\0';

	ok(valid_qid("home_feel", 9) && valid_qid("a1_b", 4),
	    "valid_qid: a question id");
	ok(!valid_qid("", 0) && !valid_qid("1abc", 4) &&
	    !valid_qid("Home", 4) && !valid_qid("a-b", 3) &&
	    !valid_qid(qid, strlen(qid)),
	    "valid_qid: empty, a leading digit, capitals, '-', 65 bytes refused");
	ok(valid_special("skip", 4) && valid_special("unclear", 7) &&
	    !valid_special("seen", 4) && !valid_special("skip ", 5),
	    "valid_special: skip and unclear only");
	ok(valid_from("overview", 8) && !valid_from("/overview", 9),
	    "valid_from: overview only");
	ok(valid_flag("1", 1) && !valid_flag("0", 1) && !valid_flag("11", 2),
	    "valid_flag: 1 only");
	ok(valid_back("/q", 2) && valid_back("/", 1) &&
	    !valid_back("//evil.example", 14) && !valid_back("/qx", 3),
	    "valid_back: the child's own pages only");

	ok(check(&form_answer, "POST", (const char *const[]){ "csrf", tok,
	    "q", "home_feel", "answer", "good", NULL }) == 0,
	    "form_check: a good answer passes");
	ok(check(&form_answer, "POST", (const char *const[]){ "q", "home_feel",
	    "answer", "a", "answer", "b", NULL }) == 0,
	    "form_check: answer may repeat (several choices)");
	ok(check(&form_answer, "POST", (const char *const[]){ "q", "home_feel",
	    "answer", big, NULL }) == 413,
	    "form_check: an answer over %d bytes is 413", FORM_ANSWER_MAX);
	ok(check(&form_answer, "POST", (const char *const[]){ "q", qid,
	    NULL }) == 413, "form_check: a question id over its limit is 413");
	ok(check(&form_answer, "POST", (const char *const[]){ "answer", "good",
	    NULL }) == 400, "form_check: a missing q is 400");
	ok(check(&form_answer, "POST", (const char *const[]){ "q", "a", "q", "b",
	    NULL }) == 400, "form_check: q given twice is 400");
	ok(check(&form_answer, "POST", (const char *const[]){ "q", "home_feel",
	    "special", "seen", NULL }) == 400,
	    "form_check: a special answer the form does not offer is 400");
	ok(check(&form_answer, "POST", (const char *const[]){ "q", "Home!",
	    NULL }) == 400, "form_check: a malformed question id is 400");
	ok(check(&form_answer, "POST", (const char *const[]){ "q", "home_feel",
	    "whatever", "x", NULL }) == 0,
	    "form_check: a field the table does not name is ignored");
	ok(check(&form_question, "GET", (const char *const[]){ "id", "home_feel",
	    "from", "overview", NULL }) == 0 &&
	    check(&form_question, "GET", (const char *const[]){ "from",
	    "elsewhere", NULL }) == 400,
	    "form_check: GET reads the query (from=overview only)");
	ok(check(&form_question, "POST", (const char *const[]){ "id", "Home!",
	    NULL }) == 400, "form_check: POST reads the form");
	{
		char	 secret[SECRET_MAX + 2];

		memset(secret, 's', sizeof(secret) - 1);
		secret[sizeof(secret) - 1] = '\0';
		ok(check(&form_secret, "POST", (const char *const[]){ "secret",
		    secret, NULL }) == 413,
		    "form_check: a secret over SECRET_MAX (%d) is 413",
		    SECRET_MAX);
		ok(check(&form_secret, "POST", (const char *const[]){ NULL }) ==
		    400, "form_check: a missing secret is 400");
	}
	ok(check(&form_login, "POST", (const char *const[]){ "csrf", "short",
	    "csrf", "again", "code", "K7Q2-M9XH-4RTP", NULL }) == 0,
	    "form_check: csrf is left to valid_csrf (403, not 400)");
	ok(check(&form_none, "GET", (const char *const[]){ "anything", "x",
	    NULL }) == 0, "form_check: a form with no fields takes anything");
	ok(form_login.csrf == CSRF_PRE && form_answer.csrf == CSRF_SESSION &&
	    form_logout.csrf == CSRF_IF_SESSION &&
	    form_language.csrf == CSRF_EITHER && form_none.csrf == CSRF_NONE,
	    "each form names its CSRF check");
	return tap_done();
}
