/*
 * test_i18n.c: the UI strings compiled from the PO files of locales/
 * into ICU bundles (by make, before the tests), the language negotiation
 * and message formatting.  The keys are read from the Swedish catalogue,
 * the source of root.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>

#include "extern.h"
#include "tap.h"

#define KEYS_MAX	512

static char	*keys[KEYS_MAX];
static size_t	 nkeys;

/* Reads every msgctxt of the PO file at path into keys[]. */
static int
read_keys(const char *path)
{
	FILE	*f;
	char	 line[1024], *p, *q;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL && nkeys < KEYS_MAX) {
		if (strncmp(line, "msgctxt \"", 9) != 0)
			continue;
		p = line + 9;
		if ((q = strchr(p, '"')) == NULL)
			continue;
		*q = '\0';
		if ((keys[nkeys] = strdup(p)) == NULL)
			break;
		nkeys++;
	}
	fclose(f);
	return 0;
}

static void
free_keys(void)
{
	while (nkeys > 0)
		free(keys[--nkeys]);
}

static int
is_lang(const char *got, const char *want)
{
	return got != NULL && strcmp(got, want) == 0;
}

static void
test_init(void)
{
	ok(i18n_init(tap_build("no-such-locales"), "sv") == -1,
	    "i18n_init: a missing folder refused");
	ok(i18n_init(tap_build("locales"), "fr") == -1,
	    "i18n_init: a default language without a bundle refused");
	ok(i18n_init(tap_build("locales"), "sv") == 0,
	    "i18n_init: loads the compiled bundles of %s",
	    tap_build("locales"));
	ok(i18n_count() == 4 && i18n_lang(4) == NULL,
	    "i18n_count: four languages (sv, en, ar, fa), root not counted");
	ok(is_i18n_lang("sv") && is_i18n_lang("en") &&
	    is_i18n_lang("ar") && is_i18n_lang("fa"),
	    "is_i18n_lang: sv, en, ar and fa");
	ok(!is_i18n_lang("root") && !is_i18n_lang("fr") &&
	    !is_i18n_lang(NULL) && !is_i18n_lang(""),
	    "is_i18n_lang: root, fr, NULL and \"\" are not languages");
	ok(i18n_lang(0) != NULL && i18n_lang(1) != NULL &&
	    is_i18n_lang(i18n_lang(0)) && is_i18n_lang(i18n_lang(1)) &&
	    strcmp(i18n_lang(0), i18n_lang(1)) != 0,
	    "i18n_lang: lists each language once");
}

static void
test_text(void)
{
	char		 bad[256];
	size_t		 i, missing_sv = 0, missing_en = 0;
	const char	*first = NULL;

	bad[0] = '\0';
	ok(i18n_check(bad, sizeof(bad)) == 0,
	    "i18n_check: every message is a valid pattern %s", bad);

	ok(read_keys(tap_src("locales/sv.po")) == 0 && nkeys > 20,
	    "the keys of root read from locales/sv.po (%zu)", nkeys);
	for (i = 0; i < nkeys; i++) {
		if (i18n_text("sv", keys[i]) == keys[i] ||
		    *i18n_text("sv", keys[i]) == '\0') {
			missing_sv++;
			first = first ? first : keys[i];
		}
		if (i18n_text("en", keys[i]) == keys[i] ||
		    *i18n_text("en", keys[i]) == '\0') {
			missing_en++;
			first = first ? first : keys[i];
		}
	}
	ok(missing_sv == 0 && missing_en == 0,
	    "i18n_text: every key of root has a value in sv and en "
	    "(missing %zu sv, %zu en, first %s)", missing_sv, missing_en,
	    first ? first : "-");
	free_keys();
	ok(strcmp(i18n_text("sv", "start.heading"), "V\xc3\xa4lkommen") == 0,
	    "i18n_text: start.heading in sv");
	ok(strcmp(i18n_text("en", "start.heading"), "Welcome") == 0,
	    "i18n_text: start.heading in en");
	ok(strcmp(i18n_text("en", "start.heading"),
	    i18n_text("sv", "start.heading")) != 0,
	    "i18n_text: en and sv differ for start.heading");
	ok(strcmp(i18n_text("en", "error.404"),
	    "The page could not be found.") == 0 &&
	    strcmp(i18n_text("sv", "error.404"), i18n_text("en", "error.404"))
	    != 0, "i18n_text: error.404 in en, translated in sv");
	ok(strcmp(i18n_text("no.such.key", "no.such.key"), "no.such.key") == 0 &&
	    strcmp(i18n_text("sv", "no.such.key"), "no.such.key") == 0,
	    "i18n_text: an unknown key returns the key itself");
	ok(strcmp(i18n_text("fr", "start.heading"),
	    i18n_text("sv", "start.heading")) == 0 &&
	    strcmp(i18n_text(NULL, "start.heading"),
	    i18n_text("sv", "start.heading")) == 0,
	    "i18n_text: an unknown language falls back to the default (sv)");
}

static void
test_negotiate(void)
{
	ok(is_lang(i18n_negotiate("en", "sv", "sv"), "en"),
	    "i18n_negotiate: the cookie wins over Accept-Language");
	ok(is_lang(i18n_negotiate(NULL, "en-GB,en;q=0.9", "sv"), "en"),
	    "i18n_negotiate: \"en-GB,en;q=0.9\" gives en");
	ok(is_lang(i18n_negotiate(NULL, "fr-FR,fr;q=0.9,sv;q=0.5", "en"),
	    "sv"), "i18n_negotiate: a lower-weighted language we have wins");
	ok(is_lang(i18n_negotiate(NULL, "fr", "en"), "en") &&
	    is_lang(i18n_negotiate(NULL, "fr", "sv"), "sv"),
	    "i18n_negotiate: \"fr\" gives the tenant's default");
	ok(is_lang(i18n_negotiate(NULL, ";;q=zz,,\xff\x01", "en"), "en"),
	    "i18n_negotiate: a garbage header gives the tenant's default");
	ok(is_lang(i18n_negotiate("xx", "en", "sv"), "en"),
	    "i18n_negotiate: an unknown cookie is ignored");
	ok(is_lang(i18n_negotiate("../../etc", NULL, "sv"), "sv"),
	    "i18n_negotiate: a hostile cookie is ignored");
	ok(is_lang(i18n_negotiate(NULL, "", "en"), "en") &&
	    is_lang(i18n_negotiate(NULL, NULL, "en"), "en"),
	    "i18n_negotiate: no header gives the tenant's default");
	ok(is_lang(i18n_negotiate(NULL, NULL, "fr"), "sv"),
	    "i18n_negotiate: an unknown tenant default gives the product's "
	    "default");
}

static void
test_format(void)
{
	ok(i18n_is_rtl("sv") == 0 && i18n_is_rtl("en") == 0,
	    "i18n_is_rtl: sv and en are left to right");
	ok(i18n_is_rtl("ar") && i18n_is_rtl("fa"),
	    "i18n_is_rtl: ar and fa are right to left");
	ok(i18n_is_rtl("fr") == 0, "i18n_is_rtl: unknown language is 0");
	/* Messages that take values use plain positional {0}; the views fill
	 * them.  A typed argument ({0,number}) is refused by i18n_check. */
	ok(strstr(i18n_text("en", "progress.position"), "{0}") != NULL &&
	    strstr(i18n_text("sv", "progress.position"), "{1}") != NULL,
	    "progress.position has its positional values in sv and en");
}

static void
test_lua(void)
{
	struct sandbox_limits	 lim = { 8 * 1024 * 1024, 1000000 };
	lua_State		*L;
	const char		*s;
	int			 same;

	if ((L = sandbox_new(&lim)) == NULL) {
		ok(0, "sandbox_new");
		return;
	}
	i18n_push_strings(L, "en");
	lua_getfield(L, -1, "start.heading");
	s = lua_tostring(L, -1);
	ok(s != NULL && strcmp(s, "Welcome") == 0,
	    "i18n_push_strings: a table of the language's strings");
	lua_pop(L, 1);
	i18n_push_strings(L, "en");
	same = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	ok(same, "i18n_push_strings: the table is built once per state");
	i18n_push_strings(L, "fr");
	lua_getfield(L, -1, "start.heading");
	s = lua_tostring(L, -1);
	ok(s != NULL && strcmp(s, i18n_text("sv", "start.heading")) == 0,
	    "i18n_push_strings: an unknown language gives the default's");
	lua_pop(L, 2);
	i18n_push_langs(L);
	ok(lua_rawlen(L, -1) == i18n_count() &&
	    lua_rawgeti(L, -1, 1) == LUA_TTABLE &&
	    lua_getfield(L, -1, "dir") == LUA_TSTRING &&
	    lua_getfield(L, -2, "name") == LUA_TSTRING &&
	    lua_getfield(L, -3, "code") == LUA_TSTRING &&
	    is_i18n_lang(lua_tostring(L, -1)) &&
	    strcmp(lua_tostring(L, -3), i18n_is_rtl(lua_tostring(L, -1)) ?
	    "rtl" : "ltr") == 0,
	    "i18n_push_langs: a list of {code, name, dir}, one per language");
	lua_settop(L, 0);
	sandbox_close(L);
}

int
main(void)
{
	test_init();
	test_text();
	test_negotiate();
	test_format();
	test_lua();
	i18n_free();
	ok(i18n_count() == 0 && !is_i18n_lang("sv"),
	    "i18n_free: nothing is left loaded");
	return tap_done();
}
