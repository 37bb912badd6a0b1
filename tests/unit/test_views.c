/*
 * test_views.c: the Lua runtime of a tenant: lua/host.lua with the demo
 * plugin loaded by tenant_load_lua, the question flow (next, accept), the
 * views (render) and the HTML builder, and plugins that must not load
 * (tests/fixtures/plugins).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lua.h>
#include <sodium.h>

#include "extern.h"
#include "tap.h"

static struct config		 conf;
static char			 lua_dir[4096], plugin_dir[4096];
static struct tenant_conf	 demo = {
	.name = "demo", .plugin = "demo", .language = "sv"
};

/* Pushes host[name], host being lua/host.lua's table. */
static void
host_fn(lua_State *L, const char *name)
{
	lua_getfield(L, LUA_REGISTRYINDEX, "beratta.host");
	lua_getfield(L, -1, name);
	lua_remove(L, -2);
}

/* Pushes a table of the NULL-terminated key, value pairs kv. */
static void
push_map(lua_State *L, const char *const *kv)
{
	lua_newtable(L);
	for (; kv != NULL && kv[0] != NULL; kv += 2) {
		lua_pushstring(L, kv[1]);
		lua_setfield(L, -2, kv[0]);
	}
}

/* Pushes a submission { special = special, answer = { given... } }. */
static void
push_submission(lua_State *L, const char *special, const char *const *given)
{
	lua_Integer	 i;

	lua_newtable(L);
	if (special != NULL) {
		lua_pushstring(L, special);
		lua_setfield(L, -2, "special");
	}
	lua_newtable(L);
	for (i = 0; given != NULL && given[i] != NULL; i++) {
		lua_pushstring(L, given[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "answer");
}

/* host.next(answers): 1 if it returns want (NULL: nil). */
static int
next_is(lua_State *L, const char *const *answers, const char *want)
{
	char		 err[512];
	const char	*got;
	int		 r;

	host_fn(L, "next");
	push_map(L, answers);
	if (sandbox_call(L, 1, 1, err, sizeof(err)) == -1)
		return 0;
	got = lua_tostring(L, -1);
	r = want == NULL ? lua_isnil(L, -1) : got != NULL && strcmp(got, want) == 0;
	if (!r)
		printf("# next gave %s\n", got ? got : "nil");
	lua_pop(L, 1);
	return r;
}

/* host.accept(answers, id, submission): 1 if it returns value (NULL:
 * nil) and, when value is NULL, the message key msg. */
static int
accept_is(lua_State *L, const char *const *answers, const char *id,
    const char *special, const char *const *given, const char *value,
    const char *msg)
{
	char		 err[512];
	const char	*v, *m;
	int		 r;

	host_fn(L, "accept");
	push_map(L, answers);
	lua_pushstring(L, id);
	push_submission(L, special, given);
	if (sandbox_call(L, 3, 2, err, sizeof(err)) == -1)
		return 0;
	v = lua_tostring(L, -2);
	m = lua_tostring(L, -1);
	if (value != NULL)
		r = v != NULL && strcmp(v, value) == 0;
	else
		r = lua_isnil(L, -2) && m != NULL && strcmp(m, msg) == 0;
	if (!r)
		printf("# accept gave %.60s, %s\n", v ? v : "nil", m ? m : "nil");
	lua_pop(L, 2);
	return r;
}

static int
is_hex64(const char *s)
{
	size_t	 i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

static void
test_flow(lua_State *L)
{
	static const char *const bad[] = { "bad", NULL };
	static const char *const good[] = { "good", NULL };
	static const char *const two[] = { "good", "bad", NULL };
	static const char *const nosuch[] = { "nosuch", NULL };
	static const char *const feel_bad[] = { "home_feel", "o:bad", NULL };
	static const char *const feel_good[] = { "home_feel", "o:good", NULL };
	static const char *const all[] = { "home_feel", "o:good",
	    "home_adult", "o:yes", "friends_break", "s:skip", NULL };
	const char	*text[2] = { NULL, NULL };
	char		*s, *want;
	size_t		 i;

	ok(next_is(L, NULL, "home_feel"), "host.next: {} gives home_feel");
	ok(accept_is(L, NULL, "home_feel", NULL, bad, "o:bad", NULL),
	    "host.accept: option bad gives \"o:bad\"");
	ok(next_is(L, feel_bad, "home_worry"),
	    "host.next: after a bad home_feel the follow-up home_worry comes");
	ok(next_is(L, feel_good, "home_adult"),
	    "host.next: after a good home_feel the follow-up is skipped");
	ok(next_is(L, all, NULL), "host.next: nil when all is answered");
	ok(accept_is(L, feel_good, "home_worry", NULL, good, NULL,
	    "answer.inactive"),
	    "host.accept: an inactive follow-up is \"answer.inactive\"");
	ok(accept_is(L, NULL, "no_such_question", NULL, good, NULL,
	    "answer.inactive"),
	    "host.accept: an unknown question is \"answer.inactive\"");
	ok(accept_is(L, NULL, "home_feel", NULL, nosuch, NULL,
	    "answer.invalid"),
	    "host.accept: an unknown option is \"answer.invalid\"");
	ok(accept_is(L, NULL, "home_feel", NULL, two, NULL, "answer.invalid"),
	    "host.accept: two options for a single choice are "
	    "\"answer.invalid\"");
	ok(accept_is(L, NULL, "home_feel", NULL, NULL, NULL, "answer.invalid"),
	    "host.accept: no option is \"answer.invalid\"");
	ok(accept_is(L, NULL, "home_feel", "skip", NULL, "s:skip", NULL),
	    "host.accept: special skip gives \"s:skip\"");
	ok(accept_is(L, NULL, "home_feel", "unclear", NULL, "s:unclear", NULL),
	    "host.accept: special unclear gives \"s:unclear\"");
	ok(accept_is(L, NULL, "home_feel", "delete", NULL, NULL,
	    "answer.invalid"),
	    "host.accept: another special is \"answer.invalid\"");

	/* home_worry is text of at most 1000 characters (not bytes). */
	if ((s = malloc(2 * 1001 + 3)) == NULL || (want = malloc(2 * 1001 + 3))
	    == NULL)
		abort();
	memset(s, 'x', 1000);
	s[1000] = '\0';
	snprintf(want, 2 * 1001 + 3, "t:%s", s);
	text[0] = s;
	ok(accept_is(L, feel_bad, "home_worry", NULL, text, want, NULL),
	    "host.accept: text of exactly max characters accepted");
	s[1000] = 'x';
	s[1001] = '\0';
	ok(accept_is(L, feel_bad, "home_worry", NULL, text, NULL,
	    "answer.too_long"),
	    "host.accept: text longer than max is \"answer.too_long\"");
	for (i = 0; i < 1000; i++)
		memcpy(s + 2 * i, "\xc3\xa4", 2);
	s[2000] = '\0';
	snprintf(want, 2 * 1001 + 3, "t:%s", s);
	ok(accept_is(L, feel_bad, "home_worry", NULL, text, want, NULL),
	    "host.accept: max counts characters (1000 x U+00E4 = 2000 bytes)");
	memcpy(s, "\xc3\x28", 2);
	ok(accept_is(L, feel_bad, "home_worry", NULL, text, NULL,
	    "answer.invalid"),
	    "host.accept: text that is not UTF-8 is \"answer.invalid\"");
	free(s);
	free(want);
}

/* Renders page with the demo data for home_worry; returns the HTML
 * (malloc'd) or NULL with err set. */
static char *
render(lua_State *L, const char *page, char *err, size_t errlen)
{
	static const char *const data[] = { "lang", "sv", "dir", "ltr",
	    "path", "/q", "tenant", "demo", "csrf", "x",
	    "question", "home_worry", NULL };
	static const char *const answers[] = { "home_feel", "o:bad",
	    "home_worry", "t:<script>alert(1)</script>", NULL };
	const char	*html;
	char		*r;

	host_fn(L, "render");
	lua_pushstring(L, page);
	push_map(L, data);
	push_map(L, answers);
	lua_setfield(L, -2, "answers");
	lua_newtable(L);
	lua_pushstring(L, "N\xc3\xa4sta \"<b>\"");
	lua_setfield(L, -2, "answer.next");
	lua_setfield(L, -2, "t");
	lua_newtable(L);
	lua_setfield(L, -2, "langs");
	if (sandbox_call(L, 2, 1, err, errlen) == -1)
		return NULL;
	html = lua_tostring(L, -1);
	r = html != NULL ? strdup(html) : NULL;
	lua_pop(L, 1);
	return r;
}

static void
test_render(lua_State *L)
{
	char	 err[512], *html;

	html = render(L, "question", err, sizeof(err));
	ok(html != NULL && strncmp(html, "<!DOCTYPE html>", 15) == 0 &&
	    strstr(html, "<html dir=\"ltr\" lang=\"sv\">") != NULL,
	    "host.render: the question page is an HTML document");
	ok(html != NULL && strstr(html, "<textarea") != NULL &&
	    strstr(html, "name=\"q\" type=\"hidden\" value=\"home_worry\"") !=
	    NULL, "host.render: the page asks home_worry with a text area");
	ok(html != NULL && strstr(html, "<script>") == NULL &&
	    strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
	    "host.render: the child's text appears only escaped");
	ok(html != NULL && strstr(html, "<b>") == NULL &&
	    strstr(html, "N\xc3\xa4sta &quot;&lt;b&gt;&quot;") != NULL,
	    "host.render: UI strings are escaped too");
	free(html);
	ok(render(L, "nosuch", err, sizeof(err)) == NULL &&
	    strstr(err, "unknown page nosuch") != NULL,
	    "host.render: an unknown page fails (%s)", err);
	ok(render(L, "render", err, sizeof(err)) == NULL &&
	    strstr(err, "unknown page render") != NULL,
	    "host.render: the dispatcher itself is not a page");
	ok(lua_gettop(L) == 0, "host: the stack is balanced after the calls");
}

/* Runs the chunk s with lua/ as require root; the string result or NULL
 * (malloc'd) with err set. */
static char *
run_html(lua_State *L, const char *s, char *err, size_t errlen)
{
	char	*r = NULL;

	sandbox_env(L, tap_src("lua"));
	if (sandbox_loadstring(L, s, strlen(s), "test.lua", err, errlen) == -1 ||
	    sandbox_call(L, 0, 1, err, errlen) == -1)
		return NULL;
	if (lua_tostring(L, -1) != NULL)
		r = strdup(lua_tostring(L, -1));
	lua_pop(L, 1);
	return r;
}

/* 1 if the html chunk s gives exactly want. */
static int
html_is(lua_State *L, const char *s, const char *want)
{
	char	 chunk[1024], err[512], *got;
	int	 r;

	snprintf(chunk, sizeof(chunk), "local h = require \"html\"; "
	    "return h.render(%s)", s);
	got = run_html(L, chunk, err, sizeof(err));
	r = got != NULL && strcmp(got, want) == 0;
	if (!r)
		printf("# got %s\n", got != NULL ? got : err);
	free(got);
	return r;
}

static void
test_html(void)
{
	struct sandbox_limits	 lim = { 8 * 1024 * 1024, 1000000 };
	lua_State		*L;
	char			 err[512], *got;

	if ((L = sandbox_new(&lim)) == NULL) {
		ok(0, "sandbox_new");
		return;
	}
	ok(html_is(L, "h.a{href=\"javascript:alert(1)\", \"x\"}",
	    "<a href=\"#\">x</a>"),
	    "html: a javascript: href becomes \"#\"");
	ok(html_is(L, "h.a{href=\"  JaVaScRiPt:alert(1)\", \"x\"}",
	    "<a href=\"#\">x</a>"),
	    "html: scheme case and leading spaces do not hide javascript:");
	ok(html_is(L, "h.a{href=\"java\\tscript:alert(1)\", \"x\"}",
	    "<a href=\"#\">x</a>") &&
	    html_is(L, "h.a{href=\"java\\nscript:alert(1)\", \"x\"}",
	    "<a href=\"#\">x</a>"),
	    "html: a tab or newline inside the scheme does not hide "
	    "javascript: (browsers drop them)");
	ok(html_is(L, "h.a{href=\"\\1javascript:alert(1)\", \"x\"}",
	    "<a href=\"#\">x</a>"),
	    "html: a leading control character does not hide javascript:");
	ok(html_is(L, "h.img{src=\"data:text/html;base64,PHNjcmlwdD4=\"}",
	    "<img src=\"#\">") &&
	    html_is(L, "h.form{action=\"vbscript:x\"}",
	    "<form action=\"#\"></form>"),
	    "html: data: and other schemes refused in src and action");
	ok(html_is(L, "h.a{href=\"https://example.org/?a=1&b=2\", \"x\"}",
	    "<a href=\"https://example.org/?a=1&amp;b=2\">x</a>") &&
	    html_is(L, "h.a{href=\"/q?x=javascript:1\", \"x\"}",
	    "<a href=\"/q?x=javascript:1\">x</a>") &&
	    html_is(L, "h.a{href=\"mailto:a@example.org\", \"x\"}",
	    "<a href=\"mailto:a@example.org\">x</a>"),
	    "html: https, relative and mailto URLs kept (escaped)");
	ok(html_is(L, "h.p{title=\"a\\\"b'c<d>&\", \"t\"}",
	    "<p title=\"a&quot;b&#39;c&lt;d&gt;&amp;\">t</p>"),
	    "html: quotes and markup in attribute values escaped");
	ok(html_is(L, "h.p{\"<i>\", h.strong \"&\"}",
	    "<p>&lt;i&gt;<strong>&amp;</strong></p>"),
	    "html: text children escaped, element children nested");
	ok(html_is(L, "h.p{h.raw \"<i>ok</i>\"}", "<p><i>ok</i></p>"),
	    "html: h.raw is inserted as it is");
	ok(html_is(L, "h.input{type=\"checkbox\", checked=true, "
	    "disabled=false}", "<input checked type=\"checkbox\">"),
	    "html: boolean attributes, void elements without a closing tag");
	ok(html_is(L, "h.ul{nil, h.li \"b\"}", "<ul><li>b</li></ul>"),
	    "html: holes in children are skipped");
	got = run_html(L, "local h = require \"html\"; "
	    "return h.render(h.p{[\"on click\"] = \"x\"})", err, sizeof(err));
	ok(got == NULL && strstr(err, "bad attribute name") != NULL,
	    "html: a bad attribute name is an error");
	free(got);
	got = run_html(L, "local h = require \"html\"; "
	    "return h.render(h.p{function() end})", err, sizeof(err));
	ok(got == NULL && strstr(err, "cannot render a function") != NULL,
	    "html: a function child is an error");
	free(got);
	got = run_html(L, "local h = require \"html\"; "
	    "return tostring(h[\"script><x\"])", err, sizeof(err));
	ok(got != NULL && strcmp(got, "nil") == 0,
	    "html: no element constructor for a bad tag name");
	free(got);
	sandbox_close(L);
}

static void
test_load(void)
{
	struct tenant_conf	 tc = demo;
	lua_State		*L = NULL, *L2 = NULL;
	char			 version[65], version2[65], err[512];

	memset(&conf, 0, sizeof(conf));
	snprintf(lua_dir, sizeof(lua_dir), "%s", tap_src("lua"));
	snprintf(plugin_dir, sizeof(plugin_dir), "%s", tap_src("plugins"));
	conf.lua_dir = lua_dir;
	conf.plugin_dir = plugin_dir;
	conf.lua_memory = 32 * 1024 * 1024;
	conf.lua_budget = 10000000;
	conf.tenants = &demo;
	conf.ntenants = 1;

	err[0] = '\0';
	ok(tenant_load_lua(&conf, &demo, &L, version, err, sizeof(err)) == 0 &&
	    L != NULL, "tenant_load_lua: the demo plugin loads %s", err);
	if (L == NULL)
		return;
	ok(is_hex64(version), "tenant_load_lua: a 64-hex version (%s)",
	    version);
	ok(lua_gettop(L) == 0, "tenant_load_lua: the stack is left empty");
	ok(tenant_load_lua(&conf, &demo, &L2, version2, err, sizeof(err)) ==
	    0 && strcmp(version, version2) == 0,
	    "tenant_load_lua: loading twice gives the same version");
	sandbox_close(L2);
	L2 = NULL;
	tc.language = "en";
	ok(tenant_load_lua(&conf, &tc, &L2, version2, err, sizeof(err)) ==
	    0 && strcmp(version, version2) == 0,
	    "tenant_load_lua: the version is of the set, not the tenant");
	sandbox_close(L2);
	L2 = NULL;

	test_flow(L);
	test_render(L);
	sandbox_close(L);

	snprintf(plugin_dir, sizeof(plugin_dir), "%s",
	    tap_src("tests/fixtures/plugins"));
	tc = demo;
	tc.name = tc.plugin = "broken";
	ok(tenant_load_lua(&conf, &tc, &L2, version2, err, sizeof(err)) ==
	    -1 && L2 == NULL && strstr(err, "broken/init.lua:4:") != NULL,
	    "tenant_load_lua: a plugin with a syntax error fails naming file "
	    "and line (%s)", err);
	tc.name = tc.plugin = "dupid";
	ok(tenant_load_lua(&conf, &tc, &L2, version2, err, sizeof(err)) ==
	    -1 && L2 == NULL && strstr(err, "duplicate question id same") !=
	    NULL, "tenant_load_lua: a duplicate question id fails (%s)", err);
	tc.name = tc.plugin = "loop";
	ok(tenant_load_lua(&conf, &tc, &L2, version2, err, sizeof(err)) ==
	    -1 && L2 == NULL && strstr(err, "loop/init.lua:") != NULL &&
	    strstr(err, "instruction budget") != NULL,
	    "tenant_load_lua: a plugin that loops fails (%s)", err);
	tc.name = tc.plugin = "osexec";
	ok(tenant_load_lua(&conf, &tc, &L2, version2, err, sizeof(err)) ==
	    -1 && L2 == NULL && strstr(err, "osexec/init.lua:2:") != NULL,
	    "tenant_load_lua: a plugin reaching for os fails (%s)", err);
	tc.name = tc.plugin = "nosuch";
	ok(tenant_load_lua(&conf, &tc, &L2, version2, err, sizeof(err)) ==
	    -1 && L2 == NULL && strstr(err, "nosuch/init.lua") != NULL,
	    "tenant_load_lua: a missing plugin fails (%s)", err);
	snprintf(lua_dir, sizeof(lua_dir), "%s", tap_src("tests/fixtures"));
	ok(tenant_load_lua(&conf, &demo, &L2, version2, err, sizeof(err)) ==
	    -1 && L2 == NULL && strstr(err, "lua/host.lua") != NULL,
	    "tenant_load_lua: a missing runtime fails (%s)", err);
}

int
main(void)
{
	/* A budget that stops nothing must fail the test, not hang it. */
	alarm(60);
	if (sodium_init() < 0)
		return 99;
	test_load();
	test_html();
	return tap_done();
}
