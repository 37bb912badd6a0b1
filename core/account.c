/*
 * account.c: staff accounts, for the staff pages and the admin tool
 * alike: what a login, a name and a unit may be, passwords (argon2id
 * through secret.c; weak ones refused by libpwquality with its cracklib
 * dictionary), the second factor (TOTP, RFC 6238, through liboath; the
 * seed kept encrypted), recovery codes (only their keyed hash kept),
 * activation links (likewise), and the throttle of failed logins.
 *
 * libpwquality is not thread-safe (cracklib keeps the open dictionary in
 * one static struct), so its checks take a mutex.  liboath keeps no state
 * after oath_init.
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oath.h>
#include <pwquality.h>
#include <sodium.h>

#include "extern.h"

#define TOTP_STEP	30	/* seconds */
#define TOTP_DIGITS	6

static const char *const unit_kinds[] = {
	"school", "student_health", "social_services", "child_psychiatry",
	"other",
};

static pthread_mutex_t	 pwq_lock = PTHREAD_MUTEX_INITIALIZER;
static pwquality_settings_t *pwq;

/* Before any thread starts.  0, or -1 (logged). */
int
account_init(void)
{
	if (oath_init() != OATH_OK) {
		LOG_ERR("liboath: initialisation failed");
		return -1;
	}
	if (pwq == NULL) {
		if ((pwq = pwquality_default_settings()) == NULL ||
		    pwquality_set_int_value(pwq, PWQ_SETTING_MIN_LENGTH,
		    PASSWORD_MIN) != 0 ||
		    pwquality_set_int_value(pwq, PWQ_SETTING_DICT_CHECK, 1) != 0 ||
		    pwquality_set_int_value(pwq, PWQ_SETTING_USER_CHECK, 1) != 0) {
			LOG_ERR("libpwquality: settings failed");
			return -1;
		}
	}
	return 0;
}

void
account_free(void)
{
	if (pwq != NULL)
		pwquality_free_settings(pwq);
	pwq = NULL;
	oath_done();
}

size_t
account_unit_kind_count(void)
{
	return sizeof(unit_kinds) / sizeof(unit_kinds[0]);
}

const char *
account_unit_kind(size_t i)
{
	return i < account_unit_kind_count() ? unit_kinds[i] : NULL;
}

int
valid_unit_kind(const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < account_unit_kind_count(); i++)
		if (strcmp(s, unit_kinds[i]) == 0)
			return 1;
	return 0;
}

/* A login: 2 to STAFF_LOGIN_MAX of a-z, 0-9, '.', '_', '-', '@', not
 * starting with a punctuation mark (people type it: no look-alikes). */
int
valid_staff_login(const char *s)
{
	size_t	 n;

	if (s == NULL || (n = strlen(s)) < 2 || n > STAFF_LOGIN_MAX ||
	    !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return 0;
	for (; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    strchr("._-@", *s) == NULL)
			return 0;
	return 1;
}

/* A person's or a unit's name: 1 to max bytes of UTF-8 text without
 * control characters, not only spaces. */
static int
valid_name(const char *s, size_t max)
{
	size_t	 n, i;
	int	 seen = 0;

	if (s == NULL || (n = strlen(s)) == 0 || n > max || !valid_utf8(s, n))
		return 0;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
		if (s[i] != ' ')
			seen = 1;
	}
	return seen;
}

int
valid_staff_name(const char *s)
{
	return valid_name(s, STAFF_NAME_MAX);
}

int
valid_unit_name(const char *s)
{
	return valid_name(s, UNIT_NAME_MAX);
}

/* The characters (code points) of UTF-8 text. */
static size_t
utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * Whether pw will do as the password of login: NULL if so, else the key
 * of the UI message that says why ("password.short", "password.long",
 * "password.user", "password.weak").  At least PASSWORD_MIN characters
 * and no rule on their kinds; libpwquality refuses what its dictionary,
 * the login and its simple patterns find weak.
 */
const char *
account_password_check(const char *pw, const char *login)
{
	char		 msg[256];
	void		*aux = NULL;
	int		 rc;

	if (pw == NULL || utf8_chars(pw) < PASSWORD_MIN)
		return "password.short";
	if (strlen(pw) > PASSWORD_MAX)
		return "password.long";
	pthread_mutex_lock(&pwq_lock);
	rc = pwquality_check(pwq, pw, NULL, login, &aux);
	pwquality_strerror(msg, sizeof(msg), rc, aux);
	pthread_mutex_unlock(&pwq_lock);
	if (rc >= 0)
		return NULL;
	switch (rc) {
	case PWQ_ERROR_MIN_LENGTH:
		return "password.short";
	case PWQ_ERROR_USER_CHECK:
	case PWQ_ERROR_GECOS_CHECK:
		return "password.user";
	case PWQ_ERROR_CRACKLIB_CHECK:
		if (strstr(msg, "error loading dictionary") != NULL)
			LOG_ERR("libpwquality: the cracklib dictionary is "
			    "missing (install cracklib-runtime): %s", msg);
		return "password.weak";
	default:
		return "password.weak";
	}
}

/* A new TOTP seed: its 20 bytes and their base32 (32 characters, no
 * padding) for the person's authenticator app. */
int
account_totp_new(unsigned char seed[TOTP_SEED_BYTES],
    char b32[TOTP_B32_LEN + 1])
{
	randombytes_buf(seed, TOTP_SEED_BYTES);
	return account_totp_b32(seed, b32);
}

/* The base32 of a seed (32 characters). */
int
account_totp_b32(const unsigned char seed[TOTP_SEED_BYTES],
    char b32[TOTP_B32_LEN + 1])
{
	char	*out = NULL;
	size_t	 len = 0;

	if (oath_base32_encode((const char *)seed, TOTP_SEED_BYTES, &out,
	    &len) != OATH_OK || len != TOTP_B32_LEN) {
		free(out);
		return -1;
	}
	memcpy(b32, out, len);
	b32[len] = '\0';
	sodium_memzero(out, len);
	free(out);
	return 0;
}

/* The seed of a base32 text (spaces and lower case allowed): 0, or -1. */
int
account_totp_decode(const char *b32, unsigned char seed[TOTP_SEED_BYTES])
{
	char	*out = NULL;
	size_t	 len = 0;
	int	 rc = -1;

	if (oath_base32_decode(b32, strlen(b32), &out, &len) == OATH_OK &&
	    len == TOTP_SEED_BYTES) {
		memcpy(seed, out, len);
		rc = 0;
	}
	if (out != NULL) {
		sodium_memzero(out, len);
		free(out);
	}
	return rc;
}

/* The code of seed at time now (seconds), for tests and the demo. */
int
account_totp_code(const unsigned char seed[TOTP_SEED_BYTES], int64_t now,
    char out[TOTP_DIGITS + 1])
{
	return oath_totp_generate((const char *)seed, TOTP_SEED_BYTES,
	    (time_t)now, TOTP_STEP, 0, TOTP_DIGITS, out) == OATH_OK ? 0 : -1;
}

/*
 * Whether code is the TOTP of seed at now (seconds), one step of drift
 * either way allowed: 1 with *step the time step it matched (the caller
 * refuses a step not later than the last one used), else 0.
 */
int
account_totp_check(const unsigned char seed[TOTP_SEED_BYTES],
    const char *code, int64_t now, int64_t *step)
{
	uint64_t	 counter = 0;
	int		 pos = 0;
	size_t		 i;

	*step = 0;
	if (code == NULL || strlen(code) != TOTP_DIGITS)
		return 0;
	for (i = 0; i < TOTP_DIGITS; i++)
		if (!isdigit((unsigned char)code[i]))
			return 0;
	if (oath_totp_validate3((const char *)seed, TOTP_SEED_BYTES,
	    (time_t)now, TOTP_STEP, 0, 1, &pos, &counter, code) < 0)
		return 0;
	*step = (int64_t)counter;
	return 1;
}

/* The seed sealed for the database and opened again. */
int
account_totp_seal(const char *tenant, const unsigned char seed[TOTP_SEED_BYTES],
    char *out, size_t outlen)
{
	return crypto_box_text("totp", tenant, seed, TOTP_SEED_BYTES,
	    INT64_MAX, out, outlen);
}

int
account_totp_open(const char *tenant, const char *sealed,
    unsigned char seed[TOTP_SEED_BYTES])
{
	size_t	 n;

	if (crypto_open_text("totp", tenant, sealed, 0, seed, TOTP_SEED_BYTES,
	    &n) == -1 || n != TOTP_SEED_BYTES)
		return -1;
	return 0;
}

/* The keyed hash of a recovery code as typed (any case, with or without
 * dashes and spaces): 0, or -1 when it cannot be one. */
int
account_recovery_hash(const char *tenant, const char *typed,
    unsigned char hash[CRYPTO_HASHBYTES])
{
	char	 norm[CODE_CHARS + 1];

	if (typed == NULL || code_normalize(typed, norm) == -1)
		return -1;
	crypto_keyed_hash("recovery", tenant, norm, CODE_CHARS, hash);
	sodium_memzero(norm, sizeof(norm));
	return 0;
}

/* RECOVERY_CODES new recovery codes (shown once) and their hashes (kept). */
void
account_recovery_new(const char *tenant, char (*codes)[CODE_DISPLAY],
    unsigned char (*hashes)[CRYPTO_HASHBYTES])
{
	size_t	 i;

	for (i = 0; i < RECOVERY_CODES; i++) {
		code_generate(codes[i]);
		account_recovery_hash(tenant, codes[i], hashes[i]);
	}
}

/* A new activation token (for the link) and its keyed hash (kept). */
void
account_activation_new(const char *tenant, char token[64],
    unsigned char hash[CRYPTO_HASHBYTES])
{
	crypto_token(token, 64);
	account_activation_hash(tenant, token, hash);
}

/* The keyed hash of an activation token: 0, or -1 when it is none. */
int
account_activation_hash(const char *tenant, const char *token,
    unsigned char hash[CRYPTO_HASHBYTES])
{
	unsigned char	 raw[CRYPTO_TOKENBYTES];

	if (token == NULL || crypto_token_decode(token, raw) == -1)
		return -1;
	crypto_keyed_hash("activation", tenant, raw, sizeof(raw), hash);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

/* The key failed logins of a login are counted under (also for a login
 * that does not exist, which so looks the same). */
void
account_throttle_key(const char *tenant, const char *login,
    unsigned char key[CRYPTO_HASHBYTES])
{
	crypto_keyed_hash("staff-login", tenant, login, strlen(login), key);
}

/*
 * Until when an account is locked after its failures-th failed login in
 * a row (now and the result in microseconds): from the fifth, a minute,
 * doubling with every five more, at most an hour.  Never for good, so
 * that nobody can shut a colleague out by typing wrong passwords.
 */
int64_t
account_locked_until(int failures, int64_t now)
{
	int64_t	 minutes = 1;
	int	 i;

	if (failures < 5)
		return 0;
	for (i = 10; i <= failures && minutes < 60; i += 5)
		minutes *= 2;
	if (minutes > 60)
		minutes = 60;
	return now + minutes * 60 * 1000000;
}

/*
 * Creates an account of the tenant with the activation link's token in
 * token (shown once; valid ACTIVATION_HOURS), admin or not, professional
 * of the n units, with its audit row e (its staff/object filled here).
 * Returns 0, 1 when the login is taken, -1 (logged).
 */
int
account_create(struct store *s, const char *tenant, const char *login,
    const char *name, int admin, const int64_t *units, size_t n,
    struct audit_entry *e, char token[64])
{
	unsigned char	 act[CRYPTO_HASHBYTES];
	int64_t		 id;
	int		 rc;

	account_activation_new(tenant, token, act);
	rc = store_staff_add(s, login, name, admin, act, store_now() +
	    (int64_t)ACTIVATION_HOURS * 3600 * 1000000, &id);
	if (rc != 0) {
		sodium_memzero(token, 64);
		return rc;
	}
	e->detail = login;
	if (store_staff_roles(s, tenant, id, admin, units, n, e) == -1) {
		sodium_memzero(token, 64);
		return -1;
	}
	return 0;
}

/* Gives the account id a new activation link (token): its password,
 * second factor, recovery codes and sessions are gone.  0, 1 when there
 * is no such account, -1. */
int
account_reset(struct store *s, const char *tenant, int64_t id,
    const struct audit_entry *e, char token[64])
{
	unsigned char	 act[CRYPTO_HASHBYTES];
	int		 rc;

	account_activation_new(tenant, token, act);
	rc = store_staff_reset(s, tenant, id, act, store_now() +
	    (int64_t)ACTIVATION_HOURS * 3600 * 1000000, e);
	if (rc <= 0)
		sodium_memzero(token, 64);
	return rc == -1 ? -1 : rc == 0 ? 1 : 0;
}
