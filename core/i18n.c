/*
 * i18n.c: the product's own UI strings and the choice of language.  The
 * strings are gettext PO files in locales/, compiled at build time into ICU
 * resource bundles (root = Swedish, the product's default).  i18n_init
 * reads every bundle once, with ICU's fallback to root, into UTF-8 tables
 * that threads then only read.  ICU negotiates Accept-Language against the
 * languages present, formats positional messages and tells the direction.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <unicode/uclean.h>
#include <unicode/uenum.h>
#include <unicode/uloc.h>
#include <unicode/umsg.h>
#include <unicode/unumsys.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>

#include "extern.h"

struct i18n_str {
	char	*key;
	char	*val;
};

struct i18n_lang {
	char		 code[16];
	char		 name[64];	/* the language named in itself */
	int		 rtl;
	char		 digits[48];	/* 0-9 in the locale's own digits, UTF-8;
					 * "" when they are 0-9 */
	struct i18n_str	*s;
	size_t		 n;
};

static struct i18n_lang	 langs[I18N_LANGS_MAX];
static size_t		 nlangs;
static char		 default_lang[16] = "sv";

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(((const struct i18n_str *)a)->key,
	    ((const struct i18n_str *)b)->key);
}

static char *
utf16_to_utf8(const UChar *u, int32_t len)
{
	UErrorCode	 st = U_ZERO_ERROR;
	int32_t		 n = 0;
	char		*p;

	u_strToUTF8(NULL, 0, &n, u, len, &st);
	if ((p = malloc((size_t)n + 1)) == NULL)
		return NULL;
	st = U_ZERO_ERROR;
	u_strToUTF8(p, n + 1, NULL, u, len, &st);
	if (U_FAILURE(st)) {
		free(p);
		return NULL;
	}
	return p;
}

/* Loads every key of root, resolved in lang with ICU's fallback. */
/* The digits of the language's default numbering system (Persian
 * "۰۱۲…", Arabic "٠١٢…"), kept when they are not 0-9: text shows numbers
 * in them, while input accepts any digits. */
static void
i18n_load_digits(struct i18n_lang *l)
{
	UErrorCode		 st = U_ZERO_ERROR;
	UNumberingSystem	*ns;
	UChar			 d[16];
	int32_t			 n, len;

	l->digits[0] = '\0';
	if ((ns = unumsys_open(l->code, &st)) == NULL || U_FAILURE(st))
		return;
	n = unumsys_getDescription(ns, d, 16, &st);
	if (U_SUCCESS(st) && !unumsys_isAlgorithmic(ns) &&
	    unumsys_getRadix(ns) == 10 && n == 10 && d[0] != u'0') {
		u_strToUTF8(l->digits, sizeof(l->digits), &len, d, n, &st);
		if (U_FAILURE(st))
			l->digits[0] = '\0';
	}
	unumsys_close(ns);
}

/* The language's own digits 0-9 as UTF-8, or "" when they are 0-9. */
const char *
i18n_digits(const char *code)
{
	size_t	 i;

	for (i = 0; i < nlangs; i++)
		if (strcmp(langs[i].code, code) == 0)
			return langs[i].digits;
	return "";
}

static int
i18n_load(const char *dir, struct i18n_lang *l)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UResourceBundle	*root, *b, *r = NULL;
	const UChar	*u;
	const char	*key;
	int32_t		 len, i, n;
	UChar		 name[64];

	root = ures_open(dir, "root", &st);
	if (U_FAILURE(st)) {
		LOG_ERR("%s: root bundle: %s", dir, u_errorName(st));
		return -1;
	}
	b = ures_open(dir, l->code, &st);
	if (U_FAILURE(st)) {
		LOG_ERR("%s: bundle %s: %s", dir, l->code, u_errorName(st));
		ures_close(root);
		return -1;
	}
	n = ures_getSize(root);
	if ((l->s = calloc((size_t)n, sizeof(*l->s))) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		st = U_ZERO_ERROR;
		r = ures_getByIndex(root, i, r, &st);
		if (U_FAILURE(st) || (key = ures_getKey(r)) == NULL)
			continue;
		st = U_ZERO_ERROR;
		u = ures_getStringByKey(b, key, &len, &st);
		if (U_FAILURE(st))
			continue;
		if ((l->s[l->n].key = strdup(key)) == NULL ||
		    (l->s[l->n].val = utf16_to_utf8(u, len)) == NULL)
			goto fail;
		l->n++;
	}
	qsort(l->s, l->n, sizeof(*l->s), str_cmp);
	st = U_ZERO_ERROR;
	len = uloc_getDisplayName(l->code, l->code, name, 64, &st);
	if (U_SUCCESS(st) && len > 0) {
		char *p = utf16_to_utf8(name, len);
		if (p != NULL) {
			snprintf(l->name, sizeof(l->name), "%s", p);
			free(p);
		}
	} else
		memcpy(l->name, l->code, sizeof(l->code));
	l->rtl = uloc_isRightToLeft(l->code);
	i18n_load_digits(l);
	ures_close(r);
	ures_close(b);
	ures_close(root);
	return 0;
fail:
	LOG_ERR("out of memory");
	ures_close(r);
	ures_close(b);
	ures_close(root);
	return -1;
}

/*
 * Loads every bundle in dir (files LANG.res; root.res must exist).  Sets
 * ICU's default locale to def so that fallback never passes through the
 * machine's LANG.
 */
int
i18n_init(const char *dir, const char *def)
{
	UErrorCode	 st = U_ZERO_ERROR;
	DIR		*d;
	struct dirent	*e;
	char		 path[4096], code[16];
	size_t		 len;

	if (nlangs > 0) {
		/*
		 * A reload: ICU keeps the bundles it opened mapped from their
		 * files, and a file rewritten since then must not be read
		 * through an old mapping.  Only the master reloads, with no
		 * other thread and no ICU object open, so a full cleanup is
		 * safe here.
		 */
		i18n_free();
		u_cleanup();
	}
	snprintf(default_lang, sizeof(default_lang), "%s", def);
	uloc_setDefault(def, &st);
	snprintf(path, sizeof(path), "%s/", dir);
	if ((d = opendir(dir)) == NULL) {
		LOG_ERR("%s: cannot open the locale folder", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL && nlangs < I18N_LANGS_MAX) {
		len = strlen(e->d_name);
		if (len < 5 || len - 4 >= sizeof(code) ||
		    strcmp(e->d_name + len - 4, ".res") != 0)
			continue;
		memcpy(code, e->d_name, len - 4);
		code[len - 4] = '\0';
		if (strcmp(code, "root") == 0 || strcmp(code, "res_index") == 0)
			continue;
		snprintf(langs[nlangs].code, sizeof(langs[nlangs].code), "%s", code);
		if (i18n_load(path, &langs[nlangs]) == -1) {
			closedir(d);
			return -1;
		}
		nlangs++;
	}
	closedir(d);
	if (nlangs == 0 || !is_i18n_lang(def)) {
		LOG_ERR("%s: no bundle for the default language %s", dir, def);
		return -1;
	}
	return 0;
}

void
i18n_free(void)
{
	size_t	 i, j;

	for (i = 0; i < nlangs; i++) {
		for (j = 0; j < langs[i].n; j++) {
			free(langs[i].s[j].key);
			free(langs[i].s[j].val);
		}
		free(langs[i].s);
		memset(&langs[i], 0, sizeof(langs[i]));
	}
	nlangs = 0;
}

static struct i18n_lang *
i18n_find(const char *code)
{
	size_t	 i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < nlangs; i++)
		if (strcmp(langs[i].code, code) == 0)
			return &langs[i];
	return NULL;
}

int
is_i18n_lang(const char *code)
{
	return i18n_find(code) != NULL;
}

size_t
i18n_count(void)
{
	return nlangs;
}

const char *
i18n_lang(size_t i)
{
	return i < nlangs ? langs[i].code : NULL;
}

/*
 * The UI language: the child's own choice (cookie) if we have it, else the
 * best match of Accept-Language, else fallback (the tenant's default).
 * Returns a string owned by this module.
 */
const char *
i18n_negotiate(const char *cookie, const char *accept, const char *fallback)
{
	UErrorCode		 st = U_ZERO_ERROR;
	UAcceptResult		 res;
	UEnumeration		*en;
	const char		*codes[I18N_LANGS_MAX];
	char			 out[32];
	struct i18n_lang	*l;
	size_t			 i;

	if ((l = i18n_find(cookie)) != NULL)
		return l->code;
	if (accept != NULL && *accept != '\0' && strlen(accept) < 512) {
		for (i = 0; i < nlangs; i++)
			codes[i] = langs[i].code;
		en = uenum_openCharStringsEnumeration(codes, (int32_t)nlangs, &st);
		if (U_SUCCESS(st)) {
			uloc_acceptLanguageFromHTTP(out, sizeof(out), &res, accept,
			    en, &st);
			uenum_close(en);
			if (U_SUCCESS(st) && res != ULOC_ACCEPT_FAILED &&
			    (l = i18n_find(out)) != NULL)
				return l->code;
		}
	}
	if ((l = i18n_find(fallback)) != NULL)
		return l->code;
	return i18n_find(default_lang) != NULL ? i18n_find(default_lang)->code :
	    langs[0].code;
}

int
i18n_is_rtl(const char *code)
{
	struct i18n_lang *l = i18n_find(code);

	return l != NULL && l->rtl;
}

/* The string for key in lang (with root's fallback), or the key itself so
 * that a missing string is visible, never a crash. */
const char *
i18n_text(const char *code, const char *key)
{
	struct i18n_lang	*l = i18n_find(code);
	struct i18n_str		 k, *f;

	if (l == NULL && (l = i18n_find(default_lang)) == NULL)
		return key;
	k.key = (char *)key;
	f = bsearch(&k, l->s, l->n, sizeof(*l->s), str_cmp);
	return f != NULL ? f->val : key;
}

/* Pushes the table { key = text } of lang, built once per Lua state. */
void
i18n_push_strings(lua_State *L, const char *code)
{
	struct i18n_lang	*l = i18n_find(code);
	size_t			 i;

	if (l == NULL)
		l = i18n_find(default_lang);
	lua_getfield(L, LUA_REGISTRYINDEX, "beratta.strings");
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, "beratta.strings");
	}
	if (lua_getfield(L, -1, l->code) == LUA_TTABLE) {
		lua_remove(L, -2);
		return;
	}
	lua_pop(L, 1);
	lua_createtable(L, 0, (int)l->n);
	for (i = 0; i < l->n; i++) {
		lua_pushstring(L, l->s[i].val);
		lua_setfield(L, -2, l->s[i].key);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, l->code);
	lua_remove(L, -2);
}

/* Pushes the list of languages: { {code=, name=, dir=}, ... }, built once
 * per Lua state (the views only read it). */
void
i18n_push_langs(lua_State *L)
{
	size_t	 i;

	if (lua_getfield(L, LUA_REGISTRYINDEX, "beratta.langs") == LUA_TTABLE)
		return;
	lua_pop(L, 1);
	lua_createtable(L, (int)nlangs, 0);
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, "beratta.langs");
	for (i = 0; i < nlangs; i++) {
		lua_createtable(L, 0, 3);
		lua_pushstring(L, langs[i].code);
		lua_setfield(L, -2, "code");
		lua_pushstring(L, langs[i].name);
		lua_setfield(L, -2, "name");
		lua_pushstring(L, langs[i].rtl ? "rtl" : "ltr");
		lua_setfield(L, -2, "dir");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/*
 * Checks every message of every language: a valid ICU pattern whose
 * arguments are plain positional ones ({0}), which the views fill; a
 * named or typed argument is refused.  Returns the number of bad
 * messages, naming the first in bad.
 */
int
i18n_check(char *bad, size_t badlen)
{
	UErrorCode	 st;
	UParseError	 pe;
	UMessageFormat	*f;
	UChar		 pat[2048];
	int32_t		 plen;
	size_t		 i, j;
	const char	*p;
	int		 nbad = 0;

	for (i = 0; i < nlangs; i++)
		for (j = 0; j < langs[i].n; j++) {
			st = U_ZERO_ERROR;
			u_strFromUTF8(pat, 2048, &plen, langs[i].s[j].val, -1, &st);
			f = U_SUCCESS(st) ? umsg_open(pat, plen, langs[i].code,
			    &pe, &st) : NULL;
			if (f != NULL)
				umsg_close(f);
			/* Only plain positional arguments, as the views
			 * fill them: no {name}, no {0,number}. */
			for (p = langs[i].s[j].val; U_SUCCESS(st) && *p; p++)
				if (p[0] == '{' && (!isdigit((unsigned char)p[1]) ||
				    p[2] != '}'))
					st = U_ILLEGAL_ARGUMENT_ERROR;
			if (U_FAILURE(st)) {
				if (nbad++ == 0)
					snprintf(bad, badlen, "%s: %s: %s",
					    langs[i].code, langs[i].s[j].key,
					    u_errorName(st));
			}
		}
	return nbad;
}

/*
 * The plugin tools' ICU checks: icu.check(pattern, lang) in the runtime's
 * environment (plugin_open puts it there; plugins never see it).
 */

#define I18N_PATTERN_MAX	65536

/* Skips a quoted literal: p is just past an apostrophe that starts one;
 * returns the character after the closing apostrophe (or the end). */
static const char *
i18n_skip_quote(const char *p)
{
	for (; *p != '\0'; p++)
		if (*p == '\'') {
			if (p[1] != '\'')
				return p + 1;
			p++;
		}
	return p;
}

static const char *i18n_scan_arg(const char *, char *, size_t);

/* Walks a message up to the '}' that closes it (or the end), calling
 * i18n_scan_arg on each argument.  Returns where it stopped, or NULL
 * once a named argument is found (named in name). */
static const char *
i18n_scan_message(const char *p, char *name, size_t namelen)
{
	while (*p != '\0' && *p != '}') {
		if (*p == '\'' && p[1] == '\'')
			p += 2;
		else if (*p == '\'' && p[1] != '\0' && strchr("{}#|", p[1]) != NULL)
			p = i18n_skip_quote(p + 1);
		else if (*p == '{') {
			if ((p = i18n_scan_arg(p + 1, name, namelen)) == NULL)
				return NULL;
		} else
			p++;
	}
	return p;
}

/* p is just past the '{' of an argument: { name [, type [, style]] }.  The
 * styles of plural, select and selectordinal hold messages; others are
 * skipped to the matching brace.  Returns the character after the
 * argument's '}', or NULL for a named argument. */
static const char *
i18n_scan_arg(const char *p, char *name, size_t namelen)
{
	static const char *const nested[] = { "plural", "select",
	    "selectordinal", NULL };
	const char	*s;
	size_t		 n, i;
	int		 depth;

	p += strspn(p, " \t\r\n");
	n = strcspn(p, ",} \t\r\n");
	if (n > 0 && !(*p >= '0' && *p <= '9')) {
		snprintf(name, namelen, "%.*s", (int)n, p);
		return NULL;
	}
	p += n;
	p += strspn(p, " \t\r\n");
	if (*p != ',')
		return *p == '}' ? p + 1 : p;
	p++;
	p += strspn(p, " \t\r\n");
	s = p;
	p += strcspn(p, ",} \t\r\n");
	for (i = 0; nested[i] != NULL; i++)
		if ((size_t)(p - s) == strlen(nested[i]) &&
		    strncmp(s, nested[i], (size_t)(p - s)) == 0)
			break;
	if (nested[i] == NULL) {
		for (depth = 1; *p != '\0'; ) {
			if (*p == '\'' && p[1] == '\'')
				p += 2;
			else if (*p == '\'')
				p = i18n_skip_quote(p + 1);
			else if (*p == '{') {
				depth++;
				p++;
			} else if (*p++ == '}' && --depth == 0)
				return p;
		}
		return p;
	}
	/* , selector {message} selector {message} ... } */
	p += strspn(p, " \t\r\n");
	if (*p == ',')
		p++;
	while (*p != '\0') {
		p += strspn(p, " \t\r\n");
		if (*p == '}')
			return p + 1;
		if (*p == '{') {
			if ((p = i18n_scan_message(p + 1, name, namelen)) == NULL)
				return NULL;
			if (*p == '}')
				p++;
		} else
			p += 1 + strcspn(p + 1, "{} \t\r\n");
	}
	return p;
}

/*
 * Whether s (len bytes of UTF-8) is a MessageFormat pattern that ICU's C
 * API formats as written: it opens with umsg_open in lang, and it has no
 * named argument (the C API prints those literally).  Returns 1, or 0 with
 * the reason in why.
 */
static int
valid_i18n_pattern(const char *s, size_t len, const char *lang, char *why,
    size_t whylen)
{
	UErrorCode	 st = U_ZERO_ERROR;
	UParseError	 pe;
	UMessageFormat	*f;
	UChar		*pat;
	int32_t		 plen = 0;
	char		 name[64];

	if (len > I18N_PATTERN_MAX) {
		snprintf(why, whylen, "longer than %d bytes", I18N_PATTERN_MAX);
		return 0;
	}
	if (strlen(s) != len || !valid_utf8(s, len)) {
		snprintf(why, whylen, "not valid UTF-8");
		return 0;
	}
	u_strFromUTF8(NULL, 0, &plen, s, (int32_t)len, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) {
		snprintf(why, whylen, "not valid UTF-8");
		return 0;
	}
	if ((pat = calloc((size_t)plen + 1, sizeof(*pat))) == NULL) {
		snprintf(why, whylen, "out of memory");
		return 0;
	}
	st = U_ZERO_ERROR;
	u_strFromUTF8(pat, plen + 1, NULL, s, (int32_t)len, &st);
	memset(&pe, 0, sizeof(pe));
	f = U_SUCCESS(st) ? umsg_open(pat, plen, lang, &pe, &st) : NULL;
	if (f != NULL)
		umsg_close(f);
	free(pat);
	if (U_FAILURE(st)) {
		if (pe.offset > 0)
			snprintf(why, whylen, "%s at character %d",
			    u_errorName(st), (int)pe.offset + 1);
		else
			snprintf(why, whylen, "%s", u_errorName(st));
		return 0;
	}
	if (i18n_scan_message(s, name, sizeof(name)) == NULL) {
		snprintf(why, whylen, "named argument {%s}: the C API takes "
		    "positional arguments only ({0}, {1}, ...)", name);
		return 0;
	}
	return 1;
}

/* icu.check(pattern [, lang]) -> true, or false and the reason. */
static int
i18n_lua_check(lua_State *L)
{
	size_t		 len;
	const char	*s = luaL_checklstring(L, 1, &len);
	const char	*lang = luaL_optstring(L, 2, "root");
	char		 why[256];

	if (strlen(lang) > 32)
		return luaL_error(L, "icu.check: a language code is short");
	if (valid_i18n_pattern(s, len, lang, why, sizeof(why))) {
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushboolean(L, 0);
	lua_pushstring(L, why);
	return 2;
}

/* Pushes the table { check = icu.check } for the runtime's environment. */
void
i18n_push_icu(lua_State *L)
{
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, i18n_lua_check);
	lua_setfield(L, -2, "check");
}
