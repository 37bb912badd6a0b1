/*
 * invite.c: invitations, whoever asks for them (the admin tool today, the
 * staff pages next): codes made and stored as keyed hashes, the age bands
 * an invitation may carry, a round locked after it was talked through, a
 * code opened again after too many wrong tries, and the state of a code.
 *
 * A code's text exists only in what invite_create hands its caller: the
 * database keeps its keyed hash ("code", per tenant), so every function
 * that takes a code hashes it again.  This file holds no SQL (store.c),
 * prints nothing (its callers do) and logs each failure where it happens.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"

/* The age bands, youngest first: a question set words and picks its
 * questions by them, and an invitation names one (or none). */
static const char *const invite_age_bands[] = {
	"6-9", "10-12", "13-15", "16-18",
};
#define INVITE_AGE_BANDS (sizeof(invite_age_bands) / sizeof(invite_age_bands[0]))

int
valid_age_band(const char *s)
{
	size_t	 i;

	for (i = 0; i < INVITE_AGE_BANDS; i++)
		if (strcmp(s, invite_age_bands[i]) == 0)
			return 1;
	return 0;
}

size_t
invite_age_band_count(void)
{
	return INVITE_AGE_BANDS;
}

/* The ith age band, youngest first; NULL past the last. */
const char *
invite_age_band(size_t i)
{
	return i < INVITE_AGE_BANDS ? invite_age_bands[i] : NULL;
}

/* A label: UTF-8 of at most INVITE_LABEL_MAX bytes. */
int
valid_invite_label(const char *s)
{
	size_t	 i, n = strlen(s);

	/* One line of text: no control character (a tab or a line break
	 * would also split the slips' records, staff_child.c). */
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return n <= INVITE_LABEL_MAX && valid_utf8(s, n);
}

/* Something a child could type as a code (code_normalize's rules). */
int
valid_invite_code(const char *s)
{
	char	 norm[CODE_CHARS + 1];
	int	 ok = code_normalize(s, norm) == 0;

	sodium_memzero(norm, sizeof(norm));
	return ok;
}

/*
 * Makes one invitation for the tenant: a new code into code (the only copy
 * there will ever be), its keyed hash, label and age band (either NULL) in
 * the store.  Returns 0, or -1 (logged) with code wiped.
 */
int
invite_create(struct store *s, const char *tenant, const char *label,
    const char *age_band, char code[CODE_DISPLAY])
{
	return invite_create_in(s, tenant, label, age_band, 0, NULL, code);
}

/* The same in unit (when > 0), with the audit row e (NULL: none) written
 * in the same transaction; e->invite is set to the new invitation. */
int
invite_create_in(struct store *s, const char *tenant, const char *label,
    const char *age_band, int64_t unit, struct audit_entry *e,
    char code[CODE_DISPLAY])
{
	char		 norm[CODE_CHARS + 1];
	unsigned char	 hash[CRYPTO_HASHBYTES];
	int		 rc = -1;

	code[0] = '\0';
	if ((label != NULL && !valid_invite_label(label)) ||
	    (age_band != NULL && !valid_age_band(age_band))) {
		LOG_ERR("tenant %s: an invalid label or age band", tenant);
		return -1;
	}
	code_generate(code);
	if (code_normalize(code, norm) == -1) {
		LOG_ERR("tenant %s: a generated code does not normalise", tenant);
		goto done;
	}
	crypto_keyed_hash("code", tenant, norm, CODE_CHARS, hash);
	if (store_invite_add_audited(s, hash, label, age_band, unit, tenant, e,
	    NULL) == -1)
		goto done;
	rc = 0;
done:
	sodium_memzero(norm, sizeof(norm));
	if (rc == -1)
		sodium_memzero(code, CODE_DISPLAY);
	return rc;
}

/*
 * Invites n children of a unit, or new rounds of children (v[i].id > 0),
 * each with a fresh code (codes[i]) and its audit row e[i], all in one
 * transaction.  0, or -1 with no code made (and codes wiped).
 */
int
invite_children(struct store *s, struct arena *a, const char *tenant,
    struct child_new *v, size_t n, struct audit_entry *e,
    char (*codes)[CODE_DISPLAY])
{
	char		 norm[CODE_CHARS + 1];
	unsigned char	(*hashes)[CRYPTO_HASHBYTES];
	size_t		 i;
	int		 rc = -1;

	if (n == 0 || (hashes = arena_alloc(a, n * sizeof(*hashes))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if ((v[i].pseudonym != NULL &&
		    !valid_invite_label(v[i].pseudonym)) ||
		    (v[i].age != NULL && !valid_age_band(v[i].age))) {
			LOG_ERR("tenant %s: an invalid label or age band",
			    tenant);
			goto done;
		}
		code_generate(codes[i]);
		if (code_normalize(codes[i], norm) == -1) {
			LOG_ERR("tenant %s: a generated code does not "
			    "normalise", tenant);
			goto done;
		}
		crypto_keyed_hash("code", tenant, norm, CODE_CHARS, hashes[i]);
	}
	rc = store_invite_children(s, a, (const unsigned char
	    (*)[CRYPTO_HASHBYTES])hashes, v, n, tenant, e);
done:
	sodium_memzero(norm, sizeof(norm));
	if (rc == -1)
		sodium_memzero(codes, n * CODE_DISPLAY);
	return rc;
}

/* The keyed hash of a code and its invitation: 0 with *id 0 when the
 * tenant has no such code (or it is no code at all); -1 on a failed query
 * (logged by the store). */
static int
invite_find(struct store *s, const char *tenant, const char *code,
    unsigned char hash[CRYPTO_HASHBYTES], int64_t *id)
{
	char	 norm[CODE_CHARS + 1];

	*id = 0;
	if (code_normalize(code, norm) == -1)
		return 0;
	crypto_keyed_hash("code", tenant, norm, CODE_CHARS, hash);
	sodium_memzero(norm, sizeof(norm));
	return store_invite_find(s, hash, id);
}

/*
 * Locks the round of a code (reopen: opens it again): a locked round's
 * answers can no longer be changed.  INVITE_DONE, INVITE_NO_CODE,
 * INVITE_NO_ROUND when the child has not started answering, or
 * INVITE_FAILED (logged).
 */
enum invite_rc
invite_lock(struct store *s, const char *tenant, const char *code, int reopen)
{
	unsigned char	 hash[CRYPTO_HASHBYTES];
	int64_t		 id;
	int		 n;

	if (invite_find(s, tenant, code, hash, &id) == -1)
		return INVITE_FAILED;
	if (id == 0)
		return INVITE_NO_CODE;
	if ((n = store_round_lock(s, id, reopen ? 0 : store_now())) == -1) {
		LOG_ERR("tenant %s: invitation %lld: the round's lock was not "
		    "written", tenant, (long long)id);
		return INVITE_FAILED;
	}
	return n == 0 ? INVITE_NO_ROUND : INVITE_DONE;
}

/*
 * Forgets the wrong tries of a code, so a code locked after too many opens
 * again; the child's secret is kept.  *failures is the count forgotten.
 * INVITE_DONE, INVITE_NO_CODE or INVITE_FAILED (logged).
 */
enum invite_rc
invite_unlock(struct store *s, const char *tenant, const char *code,
    int *failures)
{
	unsigned char	 hash[CRYPTO_HASHBYTES];
	int64_t		 id, locked_until;

	*failures = 0;
	if (invite_find(s, tenant, code, hash, &id) == -1)
		return INVITE_FAILED;
	if (id == 0)
		return INVITE_NO_CODE;
	if (store_failure_get(s, hash, failures, &locked_until) == -1 ||
	    store_failure_clear(s, hash) == -1) {
		LOG_ERR("tenant %s: invitation %lld: the failed logins were not "
		    "cleared", tenant, (long long)id);
		return INVITE_FAILED;
	}
	return INVITE_DONE;
}

/* The state of an invitation from what is known of it: being locked out
 * comes first (the child cannot get in at all), then a locked round, then
 * how far the child got. */
enum invite_state
invite_state_from(int locked_out, int locked, int finished, int64_t response,
    int has_secret)
{
	if (locked_out)
		return INVITE_LOCKED_OUT;
	if (locked)
		return INVITE_ROUND_LOCKED;
	if (finished)
		return INVITE_FINISHED;
	if (response > 0)
		return INVITE_ANSWERING;
	return has_secret ? INVITE_NOT_STARTED : INVITE_UNUSED;
}

/* The state of invitation id (hash: its code's) at now into st. */
static int
invite_state_of(struct store *s, const char *tenant, int64_t id,
    const unsigned char hash[CRYPTO_HASHBYTES], int64_t now,
    struct invite_status *st)
{
	char		 secret[SECRET_HASHBYTES];
	int64_t		 response;
	int		 finished, locked, rc = -1;

	if (store_failure_get(s, hash, &st->failures, &st->locked_until) == -1 ||
	    store_secret_get(s, id, secret, sizeof(secret)) == -1 ||
	    store_invite_round(s, id, &response, &finished, &locked) == -1) {
		LOG_ERR("tenant %s: invitation %lld: its state was not read",
		    tenant, (long long)id);
		goto done;
	}
	st->state = invite_state_from(st->locked_until > now, locked, finished,
	    response, secret[0] != '\0');
	if (st->locked_until <= now)
		st->locked_until = 0;
	rc = 0;
done:
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

/*
 * The state of a code at time now (microseconds, store_now): what a child
 * typing it would meet.  Being locked out comes first (the child cannot
 * get in at all), then a locked round, then how far the child got.
 * Returns 0 with *st filled (INVITE_NONE for no such code), or -1 (logged).
 */
int
invite_status(struct store *s, const char *tenant, const char *code,
    int64_t now, struct invite_status *st)
{
	unsigned char	 hash[CRYPTO_HASHBYTES];
	int64_t		 id;

	memset(st, 0, sizeof(*st));
	st->state = INVITE_NONE;
	if (invite_find(s, tenant, code, hash, &id) == -1)
		return -1;
	if (id == 0)
		return 0;
	return invite_state_of(s, tenant, id, hash, now, st);
}

/* The same for an invitation by its id (the staff pages know no code). */
int
invite_status_id(struct store *s, const char *tenant, int64_t id,
    int64_t now, struct invite_status *st)
{
	unsigned char	 hash[CRYPTO_HASHBYTES];
	int		 found;

	memset(st, 0, sizeof(*st));
	st->state = INVITE_NONE;
	if ((found = store_invite_hash(s, id, hash)) <= 0)
		return found;
	return invite_state_of(s, tenant, id, hash, now, st);
}

/* Forgets the wrong tries of an invitation by its id (invite_unlock). */
enum invite_rc
invite_unlock_id(struct store *s, int64_t id, int *failures)
{
	unsigned char	 hash[CRYPTO_HASHBYTES];
	int64_t		 locked_until;
	int		 found;

	*failures = 0;
	if ((found = store_invite_hash(s, id, hash)) == -1)
		return INVITE_FAILED;
	if (found == 0)
		return INVITE_NO_CODE;
	if (store_failure_get(s, hash, failures, &locked_until) == -1 ||
	    store_failure_clear(s, hash) == -1)
		return INVITE_FAILED;
	return INVITE_DONE;
}

/* Locks (or reopens) the round of an invitation by its id. */
enum invite_rc
invite_lock_id(struct store *s, int64_t id, int reopen)
{
	int	 n;

	if ((n = store_round_lock(s, id, reopen ? 0 : store_now())) == -1)
		return INVITE_FAILED;
	return n == 0 ? INVITE_NO_ROUND : INVITE_DONE;
}

/* A new code for invitation id (code: the only copy), the old one
 * refused from now on; answers and secret kept.  0, or -1 with code
 * wiped. */
int
invite_renew(struct store *s, const char *tenant, int64_t id,
    const struct audit_entry *e, char code[CODE_DISPLAY])
{
	char		 norm[CODE_CHARS + 1];
	unsigned char	 hash[CRYPTO_HASHBYTES];
	int		 rc = -1;

	code_generate(code);
	if (code_normalize(code, norm) == 0) {
		crypto_keyed_hash("code", tenant, norm, CODE_CHARS, hash);
		rc = store_invite_renew(s, tenant, id, hash, e);
	}
	sodium_memzero(norm, sizeof(norm));
	if (rc == -1)
		sodium_memzero(code, CODE_DISPLAY);
	return rc;
}
