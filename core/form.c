/*
 * form.c: the fields each route takes, as tables of { name, validator,
 * limit }, checked by the router before the handler runs; the pure
 * valid_* validators; and the limits, written down once here and handed
 * to the views (data.limits) so a form's maxlength says the same.
 *
 * A field the table does not name is ignored; a named field given twice
 * (unless it may be), over its limit or refused by its validator makes
 * the whole request fail with the clear error page, and nothing of it is
 * stored.  A handler reads only fields that passed.  The request parser
 * (request.c) has already checked every value as UTF-8 and NFC.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <lua.h>

#include "extern.h"

#define NFIELDS(a)	(sizeof(a) / sizeof((a)[0]))

/* A question id as question sets write them: a-z, then a-z, 0-9, _. */
int
valid_qid(const char *s, size_t len)
{
	size_t	 i;

	if (len < 1 || len > FORM_QID_MAX || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* The answers that are no answer: "skip" and "unclear". */
int
valid_special(const char *s, size_t len)
{
	return (len == 4 && memcmp(s, "skip", 4) == 0) ||
	    (len == 7 && memcmp(s, "unclear", 7) == 0);
}

/* Where a changed answer goes back to: the child's overview. */
int
valid_from(const char *s, size_t len)
{
	return len == 8 && memcmp(s, "overview", 8) == 0;
}

/* A flag that is set: "1". */
int
valid_flag(const char *s, size_t len)
{
	return len == 1 && s[0] == '1';
}

/* A language of the interface. */
int
valid_lang(const char *s, size_t len)
{
	return len < 16 && strlen(s) == len && is_i18n_lang(s);
}

/* A path of the child's pages the language menu may come back to. */
int
valid_back(const char *s, size_t len)
{
	static const char *const back[] = { "/", "/q", "/thanks", "/secret",
	    "/care", "/overview", "/help" };
	size_t	 i;

	for (i = 0; i < NFIELDS(back); i++)
		if (strlen(back[i]) == len && memcmp(back[i], s, len) == 0)
			return 1;
	return 0;
}

/* The child's forms.  The csrf field is not in the tables: the form's
 * csrf names its check (valid_csrf: a missing, doubled or wrong token is
 * 403, the page for a stale form). */
static const struct field f_login[] = {
	{ "code", NULL, FORM_CODE_MAX, FIELD_REQUIRED },
};
static const struct field f_secret[] = {
	{ "secret", NULL, SECRET_MAX, FIELD_REQUIRED },
	{ "again", NULL, SECRET_MAX, 0 },
};
static const struct field f_question[] = {
	{ "id", valid_qid, FORM_QID_MAX, 0 },
	{ "from", valid_from, 32, 0 },
};
static const struct field f_answer[] = {
	{ "q", valid_qid, FORM_QID_MAX, FIELD_REQUIRED },
	{ "answer", NULL, FORM_ANSWER_MAX, FIELD_MANY },
	{ "special", valid_special, 32, 0 },
	{ "from", valid_from, 32, 0 },
	{ "easy", valid_flag, 32, 0 },
};
static const struct field f_logout[] = {
};
static const struct field f_language[] = {
	{ "lang", valid_lang, 64, FIELD_REQUIRED },
	{ "next", NULL, 1024, 0 },	/* valid_back, or "/" */
};

/* A row id: 1 to 18 digits, no sign, no leading zero. */
int
valid_id(const char *s, size_t len)
{
	size_t	 i;

	if (len < 1 || len > 18 || s[0] == '0')
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* A date as a date field sends it (YYYY-MM-DD), or nothing. */
int
valid_date(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0)
		return 1;
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < len; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

/* An age band of the invitation form, or none chosen. */
static int
valid_age_field(const char *s, size_t len)
{
	return len == 0 || (strlen(s) == len && valid_age_band(s));
}

/* A child's pseudonym or initials as the invitation form sends it, or
 * none. */
static int
valid_label_field(const char *s, size_t len)
{
	return len == 0 || (strlen(s) == len && valid_invite_label(s));
}

/* A day as a date field sends it, required (YYYY-MM-DD). */
static int
valid_day(const char *s, size_t len)
{
	return len == 10 && valid_date(s, len);
}

/* A name of a round: a label, not empty. */
static int
valid_name_field(const char *s, size_t len)
{
	return len > 0 && valid_label_field(s, len);
}

/* How many slips of a mapping group to print: 1 to MAPPING_SLIPS_MAX. */
static int
valid_slips(const char *s, size_t len)
{
	return valid_id(s, len) && atoi(s) >= 1 && atoi(s) <= MAPPING_SLIPS_MAX;
}

/* An id, or none. */
static int
valid_id_field(const char *s, size_t len)
{
	return len == 0 || valid_id(s, len);
}

/* A mapping round to compare with, and optionally one of its groups:
 * "ROUND" or "ROUND-GROUP". */
static int
valid_round_ref(const char *s, size_t len)
{
	const char	*dash = memchr(s, '-', len);

	if (dash == NULL)
		return valid_id(s, len);
	return valid_id(s, (size_t)(dash - s)) &&
	    valid_id(dash + 1, len - (size_t)(dash - s) - 1);
}

/* A number of children of a group invitation (1 to GROUP_MAX), or none. */
static int
valid_count(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0)
		return 1;
	if (len > 2)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return atoi(s) >= 1 && atoi(s) <= INVITE_GROUP_MAX;
}

/* A birth year (four digits, 1900 to 2199), or none. */
static int
valid_year(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0)
		return 1;
	if (len != 4)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[0] == '1' ? s[1] == '9' : s[0] == '2' && s[1] <= '1';
}

/* A language the child will likely choose, or none. */
static int
valid_lang_field(const char *s, size_t len)
{
	return len == 0 || valid_lang(s, len);
}

/* The pseudonyms of a group, one per line: each line a label (checked
 * again line by line by the handler), no control character but the line
 * breaks. */
static int
valid_labels(const char *s, size_t len)
{
	size_t	 i;

	if (strlen(s) != len)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' &&
		    s[i] != '\t')
			return 0;
	return 1;
}

/* A handled alert's note: something written, not only blanks. */
static int
valid_note(const char *s, size_t len)
{
	size_t	 i;

	if (strlen(s) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 1;
	return 0;
}

static int
valid_kind_field(const char *s, size_t len)
{
	return strlen(s) == len && valid_unit_kind(s);
}

/* A staff page the language menu may come back to: /staff/ and a-z, '/',
 * '-' after it; the activation page with its link's token. */
int
valid_staff_back(const char *s, size_t len)
{
	static const char act[] = "/staff/activate?t=";
	size_t	 i, from = 7;

	if (len >= sizeof(act) - 1 && memcmp(s, act, sizeof(act) - 1) == 0) {
		for (i = sizeof(act) - 1; i < len; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= 'A' && s[i] <= 'Z') ||
			    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
			    s[i] == '_'))
				return 0;
		return len <= sizeof(act) - 1 + 64;
	}
	if (len < 7 || len > 64 || memcmp(s, "/staff/", 7) != 0)
		return 0;
	for (i = from; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '/' ||
		    s[i] == '-'))
			return 0;
	return 1;
}

/* The staff pages' forms. */
static const struct field f_staff_login[] = {
	{ "login", NULL, STAFF_LOGIN_MAX * 2, FIELD_REQUIRED },
	{ "password", NULL, PASSWORD_MAX, FIELD_REQUIRED },
};
static const struct field f_staff_code[] = {
	{ "code", NULL, FORM_CODE_MAX, FIELD_REQUIRED },
};
static const struct field f_staff_activate_page[] = {
	{ "t", NULL, 64, 0 },
};
static const struct field f_staff_activate[] = {
	{ "token", NULL, 64, FIELD_REQUIRED },
	{ "password", NULL, PASSWORD_MAX, FIELD_REQUIRED },
	{ "again", NULL, PASSWORD_MAX, FIELD_REQUIRED },
};
static const struct field f_staff_id[] = {
	{ "id", valid_id, 18, FIELD_REQUIRED },
};
static const struct field f_staff_invite[] = {
	{ "unit", valid_id, 18, FIELD_REQUIRED },
	{ "label", valid_label_field, INVITE_LABEL_MAX, 0 },
	{ "labels", valid_labels, INVITE_LABELS_MAX, 0 },
	{ "count", valid_count, 2, 0 },
	{ "age", valid_age_field, 16, 0 },
	{ "year", valid_year, 4, 0 },
	{ "lang", valid_lang_field, 16, 0 },
};
static const struct field f_staff_mapping[] = {
	{ "unit", valid_id, 18, FIELD_REQUIRED },
	{ "name", valid_name_field, INVITE_LABEL_MAX, FIELD_REQUIRED },
	{ "opens", valid_day, 10, FIELD_REQUIRED },
	{ "closes", valid_day, 10, FIELD_REQUIRED },
	{ "groups", valid_labels, MAPPING_GROUPS_TEXT_MAX, FIELD_REQUIRED },
};
static const struct field f_staff_mapping_slips[] = {
	{ "id", valid_id, 18, FIELD_REQUIRED },
	{ "count", valid_slips, 3, FIELD_REQUIRED },
	{ "age", valid_age_field, 16, 0 },
};
static const struct field f_staff_report[] = {
	{ "id", valid_id, 18, FIELD_REQUIRED },
	{ "group", valid_id_field, 18, 0 },
};
static const struct field f_staff_report_compare[] = {
	{ "id", valid_id, 18, FIELD_REQUIRED },
	{ "group", valid_id_field, 18, 0 },
	{ "with", valid_round_ref, 37, FIELD_REQUIRED },
};
static const struct field f_staff_compare[] = {
	{ "id", valid_id, 18, FIELD_REQUIRED },
	{ "with", valid_id, 18, FIELD_REQUIRED },
};
static const struct field f_staff_alert[] = {
	{ "id", valid_id, 18, FIELD_REQUIRED },
	{ "alert", valid_qid, FORM_QID_MAX, FIELD_REQUIRED },
	{ "note", valid_note, ALERT_NOTE_MAX, FIELD_REQUIRED },
};
static const struct field f_staff_unit[] = {
	{ "name", NULL, UNIT_NAME_MAX, FIELD_REQUIRED },
	{ "kind", valid_kind_field, 32, FIELD_REQUIRED },
};
static const struct field f_staff_person[] = {
	{ "login", NULL, STAFF_LOGIN_MAX, FIELD_REQUIRED },
	{ "name", NULL, STAFF_NAME_MAX, FIELD_REQUIRED },
	{ "admin", valid_flag, 1, 0 },
	{ "unit", valid_id, 18, FIELD_MANY },
};
static const struct field f_staff_roles[] = {
	{ "id", valid_id, 18, FIELD_REQUIRED },
	{ "admin", valid_flag, 1, 0 },
	{ "unit", valid_id, 18, FIELD_MANY },
};
static const struct field f_staff_audit[] = {
	{ "actor", NULL, STAFF_LOGIN_MAX, 0 },
	{ "child", NULL, INVITE_LABEL_MAX, 0 },
	{ "action", NULL, 32, 0 },
	{ "from", valid_date, 10, 0 },
	{ "to", valid_date, 10, 0 },
};
static const struct field f_staff_language[] = {
	{ "lang", valid_lang, 64, FIELD_REQUIRED },
	{ "next", valid_staff_back, 128, 0 },
};

const struct form form_staff_login = { CSRF_PRE, f_staff_login,
    NFIELDS(f_staff_login) };
const struct form form_staff_code = { CSRF_SESSION, f_staff_code,
    NFIELDS(f_staff_code) };
const struct form form_staff_activate_page = { CSRF_NONE,
    f_staff_activate_page, NFIELDS(f_staff_activate_page) };
const struct form form_staff_activate = { CSRF_EITHER, f_staff_activate,
    NFIELDS(f_staff_activate) };
const struct form form_staff_post = { CSRF_SESSION, NULL, 0 };
const struct form form_staff_id = { CSRF_SESSION, f_staff_id,
    NFIELDS(f_staff_id) };
const struct form form_staff_child = { CSRF_NONE, f_staff_id,
    NFIELDS(f_staff_id) };
const struct form form_staff_invite = { CSRF_SESSION, f_staff_invite,
    NFIELDS(f_staff_invite) };
const struct form form_staff_mapping = { CSRF_SESSION, f_staff_mapping,
    NFIELDS(f_staff_mapping) };
const struct form form_staff_mapping_slips = { CSRF_SESSION,
    f_staff_mapping_slips, NFIELDS(f_staff_mapping_slips) };
const struct form form_staff_report = { CSRF_NONE, f_staff_report,
    NFIELDS(f_staff_report) };
const struct form form_staff_report_compare = { CSRF_NONE,
    f_staff_report_compare, NFIELDS(f_staff_report_compare) };
const struct form form_staff_compare = { CSRF_NONE, f_staff_compare,
    NFIELDS(f_staff_compare) };
const struct form form_staff_alert = { CSRF_SESSION, f_staff_alert,
    NFIELDS(f_staff_alert) };
const struct form form_staff_unit = { CSRF_SESSION, f_staff_unit,
    NFIELDS(f_staff_unit) };
const struct form form_staff_person = { CSRF_SESSION, f_staff_person,
    NFIELDS(f_staff_person) };
const struct form form_staff_roles = { CSRF_SESSION, f_staff_roles,
    NFIELDS(f_staff_roles) };
const struct form form_staff_audit = { CSRF_NONE, f_staff_audit,
    NFIELDS(f_staff_audit) };
const struct form form_staff_language = { CSRF_EITHER, f_staff_language,
    NFIELDS(f_staff_language) };

const struct form form_none = { CSRF_NONE, NULL, 0 };
const struct form form_login = { CSRF_PRE, f_login, NFIELDS(f_login) };
const struct form form_secret = { CSRF_PRE, f_secret, NFIELDS(f_secret) };
const struct form form_question = { CSRF_NONE, f_question,
    NFIELDS(f_question) };
const struct form form_answer = { CSRF_SESSION, f_answer, NFIELDS(f_answer) };
const struct form form_logout = { CSRF_IF_SESSION, f_logout,
    NFIELDS(f_logout) };
const struct form form_language = { CSRF_EITHER, f_language,
    NFIELDS(f_language) };

/*
 * Checks the request's fields (the form of a POST, else the query)
 * against the form: 0 when every named field passes, else the status of
 * the error page to answer with (400 malformed, missing or twice; 413
 * over its limit).  CSRF is checked apart (valid_csrf), after the session
 * is known.
 */
int
form_check(const struct request *req, const struct form *f)
{
	const struct kvlist	*l;
	const struct field	*fd;
	size_t			 i, j, seen;

	l = strcmp(req->method, "POST") == 0 ? &req->form : &req->query;
	for (i = 0; i < f->nfields; i++) {
		fd = &f->fields[i];
		seen = 0;
		for (j = 0; j < l->n; j++) {
			if (strcmp(l->v[j].key, fd->name) != 0)
				continue;
			if (++seen > 1 && !(fd->flags & FIELD_MANY))
				return 400;
			if (l->v[j].vlen > fd->max)
				return 413;
			if (fd->valid != NULL &&
			    !fd->valid(l->v[j].val, l->v[j].vlen))
				return 400;
		}
		if (seen == 0 && (fd->flags & FIELD_REQUIRED))
			return 400;
	}
	return 0;
}

/* Pushes the limits the views write into their forms: { code = 40, ... }. */
void
form_push_limits(lua_State *L)
{
	static const struct {
		const char	*name;
		size_t		 max;
	} limits[] = {
		{ "code", FORM_CODE_MAX },
		{ "secret", SECRET_MAX },
		{ "answer", FORM_ANSWER_MAX },
		{ "login", STAFF_LOGIN_MAX },
		{ "name", STAFF_NAME_MAX },
		{ "unit", UNIT_NAME_MAX },
		{ "label", INVITE_LABEL_MAX },
		{ "password", PASSWORD_MAX },
		{ "labels", INVITE_LABELS_MAX },
		{ "note", ALERT_NOTE_MAX },
		{ "group", INVITE_GROUP_MAX },
		{ "groups", MAPPING_GROUPS_TEXT_MAX },
	};
	size_t	 i;

	/* Made once per Lua state; the views only read it. */
	if (lua_getfield(L, LUA_REGISTRYINDEX, "beratta.limits") == LUA_TTABLE)
		return;
	lua_pop(L, 1);
	lua_createtable(L, 0, (int)NFIELDS(limits));
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, "beratta.limits");
	for (i = 0; i < NFIELDS(limits); i++) {
		lua_pushinteger(L, (lua_Integer)limits[i].max);
		lua_setfield(L, -2, limits[i].name);
	}
}
