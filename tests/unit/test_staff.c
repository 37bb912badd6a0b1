/*
 * test_staff.c: the staff side's core: what a login, a name and a unit
 * may be; passwords refused by libpwquality with its dictionary; TOTP
 * (the RFC 6238 vector, one step of drift allowed, two refused, a step
 * never used twice); recovery codes used once; the throttle's schedule;
 * crypto_box_text; the QR code's SVG; the audit trail's chain, with rows
 * changed, removed and swapped by hand named by store_audit_verify; and a
 * staff read of answers that always leaves its audit row, in the same
 * transaction.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "extern.h"
#include "tap.h"

#define SEC	((int64_t)1000000)

static char	 dir[] = "/tmp/beratta-staff-XXXXXX";
static char	 path[300];

static int
exec_sql(const char *sql)
{
	sqlite3	*db;
	int	 rc;

	if (sqlite3_open(path, &db) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

static long long
query_int(const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st = NULL;
	long long	 v = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
test_valid(void)
{
	ok(valid_staff_login("anna.berg") && valid_staff_login("a1") &&
	    valid_staff_login("kim_k-2@skolan"),
	    "valid_staff_login: a-z, 0-9 and . _ - @");
	ok(!valid_staff_login("Anna") && !valid_staff_login("a") &&
	    !valid_staff_login(".anna") && !valid_staff_login("anna berg") &&
	    !valid_staff_login("anna<b>") && !valid_staff_login(NULL) &&
	    !valid_staff_login("\xc3\xa5sa"),
	    "valid_staff_login: upper case, one character, a leading mark, "
	    "spaces, markup and non-ASCII refused");
	ok(valid_staff_name("\xc3\x85sa \xc3\x96" "berg") &&
	    !valid_staff_name("") && !valid_staff_name("   ") &&
	    !valid_staff_name("a\nb") && !valid_staff_name("\xff"),
	    "valid_staff_name: UTF-8 text, not empty, no control characters");
	ok(valid_unit_kind("school") && valid_unit_kind("child_psychiatry") &&
	    !valid_unit_kind("School") && !valid_unit_kind(""),
	    "valid_unit_kind: the five kinds only");
}

static void
test_password(void)
{
	ok(account_password_check("correct horse battery staple", "anna") ==
	    NULL, "password: a long phrase of words is accepted");
	ok(account_password_check("Xq7#vL2pTz9w", "anna") == NULL,
	    "password: 12 random characters are accepted (no rule on kinds)");
	ok(account_password_check("kort ord", "anna") != NULL &&
	    strcmp(account_password_check("kort ord", "anna"),
	    "password.short") == 0, "password: under 12 characters is short");
	ok(strcmp(account_password_check("\xc3\xa5\xc3\xa4\xc3\xb6\xc3\xa5"
	    "\xc3\xa4\xc3\xb6\xc3\xa5\xc3\xa4\xc3\xb6\xc3\xa5\xc3\xa4", "anna"),
	    "password.short") == 0,
	    "password: characters are counted, not bytes (11 letters = short)");
	ok(strcmp(account_password_check("password123456", "anna"),
	    "password.weak") == 0,
	    "password: a dictionary word with digits is weak (cracklib)");
	ok(strcmp(account_password_check("abcdefghijkl", "anna"),
	    "password.weak") == 0, "password: a run of letters is weak");
	ok(strcmp(account_password_check("annaberg2024!!Zz", "annaberg"),
	    "password.user") == 0, "password: one with the login in it");
	{
		char	 big[PASSWORD_MAX + 2];

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ok(strcmp(account_password_check(big, "anna"),
		    "password.long") == 0, "password: over %d bytes is long",
		    PASSWORD_MAX);
	}
}

static void
test_totp(void)
{
	unsigned char	 seed[TOTP_SEED_BYTES], other[TOTP_SEED_BYTES];
	char		 b32[TOTP_B32_LEN + 1], code[8];
	int64_t		 step, now = 1700000015;

	ok(account_totp_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", seed) == 0 &&
	    memcmp(seed, "12345678901234567890", 20) == 0,
	    "account_totp_decode: the RFC 6238 key");
	ok(account_totp_code(seed, 59, code) == 0 &&
	    strcmp(code, "287082") == 0,
	    "account_totp_code: the RFC 6238 vector at t=59 (287082)");
	ok(account_totp_check(seed, "287082", 59, &step) == 1 && step == 1,
	    "account_totp_check: the right code, its step");
	account_totp_code(seed, now - 30, code);
	ok(account_totp_check(seed, code, now, &step) == 1 &&
	    step == now / 30 - 1, "account_totp_check: one step late is taken");
	account_totp_code(seed, now + 30, code);
	ok(account_totp_check(seed, code, now, &step) == 1,
	    "account_totp_check: one step early is taken");
	account_totp_code(seed, now - 60, code);
	ok(account_totp_check(seed, code, now, &step) == 0,
	    "account_totp_check: two steps late is refused");
	account_totp_code(seed, now + 60, code);
	ok(account_totp_check(seed, code, now, &step) == 0,
	    "account_totp_check: two steps early is refused");
	ok(account_totp_check(seed, "12345a", now, &step) == 0 &&
	    account_totp_check(seed, "1234567", now, &step) == 0 &&
	    account_totp_check(seed, NULL, now, &step) == 0,
	    "account_totp_check: not six digits is refused");
	ok(account_totp_new(seed, b32) == 0 && strlen(b32) == 32 &&
	    account_totp_decode(b32, other) == 0 &&
	    memcmp(seed, other, sizeof(seed)) == 0,
	    "account_totp_new: a 20-byte seed, 32 characters of base32");
	{
		char	 sealed[256];

		ok(account_totp_seal("demo", seed, sealed, sizeof(sealed)) == 0 &&
		    strstr(sealed, b32) == NULL &&
		    account_totp_open("demo", sealed, other) == 0 &&
		    memcmp(seed, other, sizeof(seed)) == 0 &&
		    account_totp_open("other", sealed, other) == -1,
		    "account_totp_seal: encrypted, opens only for its tenant");
	}
}

static void
test_box(void)
{
	char		 box[400];
	unsigned char	 out[CRYPTO_BOX_MAX];
	size_t		 n;

	ok(crypto_box_text("once", "demo", (const unsigned char *)"hemligt", 7,
	    store_now() + 60 * SEC, box, sizeof(box)) == 0 &&
	    crypto_open_text("once", "demo", box, store_now(), out, sizeof(out),
	    &n) == 0 && n == 7 && memcmp(out, "hemligt", 7) == 0,
	    "crypto_box_text: round trip");
	ok(crypto_open_text("other", "demo", box, store_now(), out, sizeof(out),
	    &n) == -1 && crypto_open_text("once", "x", box, store_now(), out,
	    sizeof(out), &n) == -1,
	    "crypto_open_text: another purpose or tenant does not open it");
	ok(crypto_open_text("once", "demo", box, store_now() + 61 * SEC, out,
	    sizeof(out), &n) == -1, "crypto_open_text: expired");
	box[10] = box[10] == 'A' ? 'B' : 'A';
	ok(crypto_open_text("once", "demo", box, store_now(), out, sizeof(out),
	    &n) == -1, "crypto_open_text: a changed text is refused");
	ok(crypto_open_text("once", "demo", "!!", store_now(), out,
	    sizeof(out), &n) == -1 && crypto_open_text("once", "demo", NULL,
	    store_now(), out, sizeof(out), &n) == -1,
	    "crypto_open_text: garbage and NULL refused");
}

static void
test_throttle(void)
{
	int64_t	 now = 1000 * SEC;

	ok(account_locked_until(4, now) == 0 &&
	    account_locked_until(5, now) == now + 60 * SEC &&
	    account_locked_until(10, now) == now + 120 * SEC &&
	    account_locked_until(1000, now) == now + 3600 * SEC,
	    "account_locked_until: from 5 failures a minute, doubling, at "
	    "most an hour, never for good");
}

static void
test_qr(void)
{
	struct buf	 b = { NULL, 0, 0 };

	ok(qr_svg("otpauth://totp/x?secret=ABC", "QR \"code\"", 6, &b) == 0 &&
	    b.data != NULL && strncmp(b.data, "<svg ", 5) == 0 &&
	    strstr(b.data, "<rect width=") != NULL &&
	    strstr(b.data, "fill=\"#fff\"") != NULL &&
	    strstr(b.data, "aria-label=\"QR &quot;code&quot;\"") != NULL,
	    "qr_svg: an SVG with the white quiet zone and an escaped label");
	buf_free(&b);
	ok(qr_svg("", "x", 6, &b) == -1, "qr_svg: empty text refused");
	buf_free(&b);
}

static void
test_audit(void)
{
	struct store		*s;
	struct audit_entry	 e;
	const char		*why;
	int64_t			 rows, bad, id;
	struct answer		*v;
	size_t			 n;
	struct arena		*a = arena_new();
	unsigned char		 h[CRYPTO_HASHBYTES];
	int			 i;

	if (store_open(path, &s) == -1) {
		ok(0, "store_open");
		return;
	}
	memset(&e, 0, sizeof(e));
	e.actor = "anna";
	e.action = "login";
	e.request = "r1";
	for (i = 0; i < 5; i++)
		store_audit_add(s, "demo", &e);
	ok(store_audit_verify(s, "demo", &rows, &bad, &why) == 0 && rows == 5,
	    "store_audit_verify: five rows, the chain holds");
	ok(exec_sql("UPDATE audit SET actor = 'eve' WHERE id = 3") == -1 &&
	    exec_sql("DELETE FROM audit WHERE id = 3") == -1,
	    "the audit trail refuses UPDATE and DELETE (its triggers)");
	ok(store_audit_verify(s, "other", &rows, &bad, &why) == 1 && bad == 1,
	    "store_audit_verify: under another tenant's key the first row fails");

	/* A read of answers leaves its row in the same transaction. */
	memset(h, 1, sizeof(h));
	store_invite_add(s, h, "A.B.", NULL, &id);
	e.action = "read";
	e.invite = id;
	e.child = "A.B.";
	ok(store_staff_answers(s, a, "demo", &e, 0, &v, &n) == 0 && n == 0 &&
	    query_int("SELECT count(*) FROM audit WHERE action = 'read'") == 1,
	    "store_staff_answers: the read's audit row is written");
	exec_sql("CREATE TRIGGER no_more BEFORE INSERT ON audit BEGIN "
	    "SELECT RAISE(ABORT, 'full'); END;");
	ok(store_staff_answers(s, a, "demo", &e, 0, &v, &n) == -1,
	    "store_staff_answers: no audit row, no read");
	exec_sql("DROP TRIGGER no_more;");
	store_close(s);

	/* Tampering by hand, the triggers dropped first. */
	exec_sql("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
	exec_sql("UPDATE audit SET actor = 'eve' WHERE id = 3");
	store_open(path, &s);
	ok(store_audit_verify(s, "demo", &rows, &bad, &why) == 1 && bad == 3 &&
	    rows == 2 && strstr(why, "changed") != NULL,
	    "store_audit_verify: a changed row is named (row 3: %s)",
	    why ? why : "-");
	store_close(s);
	exec_sql("UPDATE audit SET actor = 'anna' WHERE id = 3");
	exec_sql("UPDATE audit SET id = 100 WHERE id = 2;"
	    "UPDATE audit SET id = 2 WHERE id = 3;"
	    "UPDATE audit SET id = 3 WHERE id = 100;");
	store_open(path, &s);
	ok(store_audit_verify(s, "demo", &rows, &bad, &why) == 1 && bad == 2,
	    "store_audit_verify: swapped rows are named (row 2: %s)",
	    why ? why : "-");
	store_close(s);
	exec_sql("UPDATE audit SET id = 100 WHERE id = 2;"
	    "UPDATE audit SET id = 2 WHERE id = 3;"
	    "UPDATE audit SET id = 3 WHERE id = 100;");
	store_open(path, &s);
	ok(store_audit_verify(s, "demo", &rows, &bad, &why) == 0 && rows == 6,
	    "store_audit_verify: swapped back, the chain holds again");
	store_close(s);
	exec_sql("DELETE FROM audit WHERE id = 2");
	store_open(path, &s);
	ok(store_audit_verify(s, "demo", &rows, &bad, &why) == 1 && bad == 3,
	    "store_audit_verify: a removed row is named by the row after it "
	    "(row 3: %s)", why ? why : "-");
	store_close(s);
	arena_free(a);
}

/* Children and their rounds, alerts handled once, sealed slips. */
static void
test_children(void)
{
	struct store		*s;
	struct arena		*a = arena_new();
	struct child_new	 v[3];
	struct audit_entry	 e[3];
	struct round_read	 r[2];
	char			 codes[3][CODE_DISPLAY];
	unsigned char		*sealed;
	size_t			 len;
	int64_t			 unit, id, responses[2];
	int			 i;

	if (store_open(path, &s) == -1) {
		ok(0, "store_open");
		return;
	}
	store_unit_add(s, "Skola", "school", &unit);
	exec_sql("INSERT INTO staff (id, login, name, created_at)"
	    " VALUES (7, 'anna', 'Anna', 1), (8, 'bo', 'Bo', 1)");
	memset(v, 0, sizeof(v));
	for (i = 0; i < 3; i++) {
		v[i].unit = unit;
		v[i].lang = "ar";
		memset(&e[i], 0, sizeof(e[i]));
		e[i].actor = "anna";
		e[i].action = "invite";
	}
	v[0].pseudonym = "Ali";
	v[1].pseudonym = "Bo";
	v[2].pseudonym = "Cy\tx";	/* not a label: the group fails */
	ok(invite_children(s, a, "demo", v, 3, e, codes) == -1 &&
	    query_int("SELECT count(*) FROM children") == 0 &&
	    query_int("SELECT count(*) FROM invitations WHERE label = 'Ali'") == 0,
	    "invite_children: one bad pseudonym, no child of the group made");
	v[2].pseudonym = "Cy";
	ok(invite_children(s, a, "demo", v, 3, e, codes) == 0 &&
	    query_int("SELECT count(*) FROM children WHERE lang = 'ar'") == 3 &&
	    query_int("SELECT count(*) FROM invitations WHERE round = 1"
	    " AND lang = 'ar' AND child_id IS NOT NULL") == 3 &&
	    query_int("SELECT count(*) FROM audit WHERE action = 'invite'"
	    " AND invitation_id IS NOT NULL") == 3 &&
	    strcmp(codes[0], codes[1]) != 0,
	    "invite_children: a group in one transaction, each with its code "
	    "and its audit row");
	memset(&v[0], 0, sizeof(v[0]));
	v[0].id = v[1].id;
	ok(invite_children(s, a, "demo", v, 1, e, codes) == 0 &&
	    v[0].round == 2 && strcmp(v[0].pseudonym, "Bo") == 0 &&
	    v[0].unit == unit && query_int("SELECT count(*) FROM invitations"
	    " WHERE label = 'Bo' AND round = 2 AND lang = 'ar'") == 1,
	    "invite_children: a new round of a child, its name and language "
	    "kept");

	/* Two rounds read in one transaction, each read audited. */
	exec_sql("INSERT INTO responses (id, invitation_id, set_version,"
	    " started_at) VALUES (41, 2, 'v', 1), (42, 4, 'v', 2);"
	    "INSERT INTO answers (response_id, question, value, answered_at,"
	    " replaced_at, set_version) VALUES (41, 'q', 'o:a', 1, 2, 'v'),"
	    " (41, 'q', 'o:b', 2, NULL, 'v'), (42, 'q', 'o:c', 3, NULL, 'w');"
	    "INSERT INTO alerts (response_id, alert, raised_at)"
	    " VALUES (41, 'hurt', 2);");
	responses[0] = 41;
	responses[1] = 42;
	e[0].action = e[1].action = "compare";
	ok(store_staff_rounds(s, a, "demo", e, responses, 2, r) == 0 &&
	    r[0].nanswers == 1 && strcmp(r[0].answers[0].value, "o:b") == 0 &&
	    r[0].nhistory == 1 && strcmp(r[0].history[0].value, "o:a") == 0 &&
	    r[0].nalerts == 1 && strcmp(r[0].alerts[0].id, "hurt") == 0 &&
	    r[0].alerts[0].handled == 0 && r[1].nanswers == 1 &&
	    strcmp(r[1].answers[0].version, "w") == 0 &&
	    query_int("SELECT count(*) FROM audit WHERE action = 'compare'")
	    == 2,
	    "store_staff_rounds: answers, earlier answers and alerts of two "
	    "rounds, two audit rows");
	e[0].action = "alert";
	ok(store_alert_exists(s, 41, "hurt") == 1 &&
	    store_alert_exists(s, 41, "other") == 0 &&
	    store_alert_handle(s, "demo", &e[0], 41, "hurt", 7, "talked") == 1 &&
	    store_alert_handle(s, "demo", &e[0], 41, "hurt", 7, "again") == 0 &&
	    query_int("SELECT count(*) FROM alerts WHERE note = 'talked'"
	    " AND handled_at IS NOT NULL") == 1 &&
	    query_int("SELECT count(*) FROM audit WHERE action = 'alert'") == 1,
	    "store_alert_handle: handled once, with its note and one audit "
	    "row");

	/* Sealed slips: taken once, by whom they were made for, in time. */
	ok(store_slips_put(s, 7, "sealed", 6, store_now() + 60000000, &id) ==
	    0 && store_slips_take(s, a, id, 8, &sealed, &len) == 0 &&
	    store_slips_take(s, a, id, 7, &sealed, &len) == 1 && len == 6 &&
	    memcmp(sealed, "sealed", 6) == 0 &&
	    store_slips_take(s, a, id, 7, &sealed, &len) == 0,
	    "store_slips_take: only for their maker, only once");
	ok(store_slips_put(s, 7, "old", 3, store_now() - 1, &id) == 0 &&
	    store_slips_take(s, a, id, 7, &sealed, &len) == 0,
	    "store_slips_take: expired slips are not given");
	store_slips_put(s, 7, "new", 3, store_now() + 60000000, &id);
	ok(query_int("SELECT count(*) FROM slip_batches") == 1,
	    "store_slips_put: the expired batches are dropped");
	store_close(s);
	arena_free(a);
}

int
main(void)
{
	unsigned char	 key[CRYPTO_KEYBYTES];
	char		 p[350];

	if (sodium_init() == -1 || mkdtemp(dir) == NULL ||
	    account_init() == -1) {
		ok(0, "libsodium, liboath, libpwquality and a temporary folder");
		return tap_done();
	}
	memset(key, 7, sizeof(key));
	crypto_set_key(key);
	snprintf(path, sizeof(path), "%s/demo.db", dir);
	test_valid();
	test_password();
	test_totp();
	test_box();
	test_throttle();
	test_qr();
	test_audit();
	test_children();
	account_free();
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s.lock", path);
	unlink(p);
	rmdir(dir);
	return tap_done();
}
