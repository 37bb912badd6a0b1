/*
 * sandbox.c: the Lua host.  A sandboxed state opens only the pure
 * libraries, strips string.dump, locks the string metatable, refuses __gc
 * metatables (finalizers run with hooks off), and hands each chunk an
 * environment built from the allow list below: no io, os, debug, package,
 * dofile or loadfile; load takes text only; require reads only from the
 * state's root folder.  An allocator with a ceiling bounds memory, and an
 * instruction budget bounds each call: once a call has run 10 to 20 ms of
 * its thread's CPU time a timer arms a count hook that counts it (each 64
 * bytes allocated count as one instruction).  C enters Lua only through sandbox_call, which turns any Lua error
 * into -1 and a message naming file and line; no Lua error unwinds
 * through C.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "extern.h"

#define SANDBOX_FILE_MAX	(1024 * 1024)
#define SANDBOX_HOOK_STEP	1000
#define SANDBOX_ALLOC_COST	64	/* bytes allocated per instruction */
/* The period of the budget's alarm: a call runs free for two of them less
 * one (10 to 20 ms of its thread's CPU time); then the count hook is armed
 * and the instruction budget is counted.  Lua calls into luaG_traceexec on
 * every instruction while a count hook is set, which cost every page
 * dearly; an ordinary call never gets there. */
#define SANDBOX_TICK_NS		(10 * 1000 * 1000)

struct sandbox {
	lua_State	*L;
	size_t		 used;
	size_t		 limit;
	long		 budget;
	long		 left;
	int		 in_call;
	int		 oom;
	char		 oom_where[128];
	char		 where[192];	/* the last error's file and line */
	int		 spent;		/* the budget stopped the call */
};

/* The allow list: globals copied into every chunk's environment. */
static const char *const sandbox_globals[] = {
	"assert", "error", "getmetatable", "ipairs", "next", "pairs",
	"pcall", "rawequal", "rawget", "rawlen", "rawset", "select",
	"setmetatable", "tonumber", "tostring", "type", "xpcall",
	"_VERSION", NULL
};
static const char *const sandbox_string[] = {
	"byte", "char", "find", "format", "gmatch", "gsub", "len", "lower",
	"match", "pack", "packsize", "rep", "reverse", "sub", "unpack",
	"upper", NULL
};
static const char *const sandbox_table[] = {
	"concat", "insert", "move", "pack", "remove", "sort", "unpack", NULL
};
static const char *const sandbox_math[] = {
	"abs", "ceil", "exp", "floor", "fmod", "huge", "log", "max",
	"maxinteger", "min", "mininteger", "modf", "pi", "sqrt", "tointeger",
	"type", "ult", NULL
};
static const char *const sandbox_utf8[] = {
	"char", "charpattern", "codepoint", "codes", "len", "offset", NULL
};
static const struct {
	const char		*name;
	const char *const	*fields;
} sandbox_libs[] = {
	{ "string", sandbox_string },
	{ "table", sandbox_table },
	{ "math", sandbox_math },
	{ "utf8", sandbox_utf8 },
};

static struct sandbox *
sandbox_of(lua_State *L)
{
	return *(struct sandbox **)lua_getextraspace(L);
}

/* The allocator: refuses growth past the ceiling and notes where. */
static void *
sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct sandbox	*sb = ud;
	lua_Debug	 ar;
	size_t		 old = ptr != NULL ? osize : 0;

	if (nsize == 0) {
		free(ptr);
		sb->used -= old;
		return NULL;
	}
	if (nsize > old && sb->used - old + nsize > sb->limit) {
		if (sb->in_call && !sb->oom) {
			int	 level;

			sb->oom = 1;
			sb->oom_where[0] = '\0';
			/* The nearest Lua function (a C one such as string.rep
			 * may be the one allocating). */
			for (level = 0; level < 8 &&
			    lua_getstack(sb->L, level, &ar); level++)
				if (lua_getinfo(sb->L, "Sl", &ar) &&
				    ar.currentline > 0) {
					snprintf(sb->oom_where,
					    sizeof(sb->oom_where), "%s:%d: ",
					    ar.short_src, ar.currentline);
					break;
				}
		}
		return NULL;
	}
	if ((ptr = realloc(ptr, nsize)) == NULL)
		return NULL;
	sb->used = sb->used - old + nsize;
	/* Bulk work in one instruction (string.rep, ..) spends the budget
	 * too, or a loop churning large strings runs for seconds on it. */
	if (sb->in_call && nsize > old)
		sb->left -= (long)((nsize - old) / SANDBOX_ALLOC_COST);
	return ptr;
}

static void
sandbox_hook(lua_State *L, lua_Debug *ar)
{
	struct sandbox	*sb = sandbox_of(L);

	(void)ar;
	if ((sb->left -= SANDBOX_HOOK_STEP) > 0)
		return;
	/* Spent: fire on every instruction from now on, so a pcall that
	 * catches this error cannot run on. */
	lua_sethook(L, sandbox_hook, LUA_MASKCOUNT, 1);
	sb->spent = 1;
	if (lua_getstack(L, 0, ar) && lua_getinfo(L, "Sl", ar) &&
	    ar->currentline > 0)
		lua_pushfstring(L, "%s:%d: instruction budget of %d exceeded",
		    ar->short_src, ar->currentline, (int)sb->budget);
	else
		lua_pushfstring(L, "instruction budget of %d exceeded",
		    (int)sb->budget);
	lua_error(L);
}

/*
 * The budget's alarm: a periodic timer on each thread's CPU clock, made
 * the first time the thread calls in and never rearmed, so a call costs no
 * system call.  Its signal counts ticks while a call runs; the second tick
 * of one call (the call has run 10 to 20 ms) arms the count hook from the
 * handler (Lua allows lua_sethook from one; lua.c stops scripts that way).
 * Between calls a tick does nothing.  The handler is installed
 * SA_RESTART, so libfcgi's reads and writes go on through a tick; the
 * workers accept and wait in epoll themselves and take EINTR there (never
 * libfcgi's accept, whose select would take a tick for a dead connection).
 * Coroutines are not in the allow list, so the state the call runs on is
 * the one to stop.
 */
static _Thread_local lua_State *volatile	sandbox_running;
static _Thread_local volatile sig_atomic_t	sandbox_ticks;
static _Thread_local int			sandbox_timer_made; /* 1, or -1: none */
static pthread_once_t				sandbox_once = PTHREAD_ONCE_INIT;

static void
sandbox_alarm(int sig)
{
	lua_State	*L = sandbox_running;

	(void)sig;
	if (L != NULL && ++sandbox_ticks == 2)
		lua_sethook(L, sandbox_hook, LUA_MASKCOUNT, SANDBOX_HOOK_STEP);
}

/* A child of fork has none of its parent's timers. */
static void
sandbox_forked(void)
{
	sandbox_timer_made = 0;
	sandbox_running = NULL;
}

static void
sandbox_signal_init(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sandbox_alarm;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGRTMIN + 3, &sa, NULL);
	pthread_atfork(NULL, NULL, sandbox_forked);
}

/* Makes this thread's alarm: 1, or -1 when it has none (the budget is then
 * counted from a call's first instruction). */
static int
sandbox_timer_start(void)
{
	struct sigevent		 sev;
	struct itimerspec	 its;
	timer_t			 t;

	pthread_once(&sandbox_once, sandbox_signal_init);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGRTMIN + 3;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &t) == -1)
		return -1;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_nsec = SANDBOX_TICK_NS;
	its.it_interval.tv_nsec = SANDBOX_TICK_NS;
	if (timer_settime(t, 0, &its, NULL) == -1) {
		timer_delete(t);
		return -1;
	}
	return 1;
}

/* load(text [, chunkname [, mode [, env]]]): text chunks only. */
static int
sandbox_lua_load(lua_State *L)
{
	size_t		 len;
	const char	*s = luaL_checklstring(L, 1, &len);
	const char	*name = luaL_optstring(L, 2, "=(load)");

	if (len > SANDBOX_FILE_MAX)
		return luaL_error(L, "load: chunk too large");
	if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	if (!lua_isnoneornil(L, 4))
		lua_pushvalue(L, 4);
	else
		lua_pushvalue(L, lua_upvalueindex(1));
	lua_setupvalue(L, -2, 1);
	return 1;
}

static int
valid_module_name(const char *s)
{
	size_t	 i;

	if (*s == '\0' || strlen(s) > 64 || *s == '.')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) ||
		    s[i] == '_' || (s[i] == '.' && s[i + 1] != '.' && s[i + 1] != '\0')))
			return 0;
	return 1;
}

/* require(name): loads ROOT/name.lua (dots become slashes) once, as text,
 * in the environment the require belongs to. */
static int
sandbox_lua_require(lua_State *L)
{
	const char	*root = lua_tostring(L, lua_upvalueindex(3));
	const char	*name = luaL_checkstring(L, 1);
	char		 rel[128], path[PATH_MAX + 160], err[512];
	size_t		 i;

	if (!valid_module_name(name))
		return luaL_error(L, "require: invalid module name '%s'", name);
	lua_pushvalue(L, lua_upvalueindex(2));
	lua_getfield(L, -1, name);
	if (!lua_isnil(L, -1))
		return 1;
	lua_pop(L, 1);
	snprintf(rel, sizeof(rel), "%s", name);
	for (i = 0; rel[i] != '\0'; i++)
		if (rel[i] == '.')
			rel[i] = '/';
	snprintf(path, sizeof(path), "%s/%s.lua", root, rel);
	snprintf(rel + strlen(rel), sizeof(rel) - strlen(rel), ".lua");
	lua_pushvalue(L, lua_upvalueindex(1));
	if (sandbox_loadfile(L, path, rel, err, sizeof(err)) == -1)
		return luaL_error(L, "require '%s': %s", name, err);
	lua_call(L, 0, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, name);
	return 1;
}

/* setmetatable(t, mt) refusing a finalizer: Lua runs __gc with hooks off,
 * where no instruction budget could stop a loop (and lua_close would
 * run it). */
static int
sandbox_setmetatable(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L, "setmetatable: __gc is not allowed");
		lua_pop(L, 1);
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static int
sandbox_locked(lua_State *L)
{
	return luaL_error(L, "the string metatable is read-only");
}

/* Returns a new sandboxed state, or NULL; the state owns its context. */
lua_State *
sandbox_new(const struct sandbox_limits *lim)
{
	struct sandbox	*sb;
	lua_State	*L;

	if ((sb = calloc(1, sizeof(*sb))) == NULL)
		return NULL;
	sb->limit = lim->memory;
	sb->budget = lim->budget;
	if ((L = lua_newstate(sandbox_alloc, sb)) == NULL) {
		LOG_ERR("lua_newstate failed");
		free(sb);
		return NULL;
	}
	sb->L = L;
	*(struct sandbox **)lua_getextraspace(L) = sb;
	luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
	luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
	luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
	luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
	luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
	lua_pop(L, 5);
	/* No bytecode can leave the state, even through ("").dump. */
	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	lua_getglobal(L, "setmetatable");
	lua_pushcclosure(L, sandbox_setmetatable, 1);
	lua_setglobal(L, "setmetatable");
	/* Plugins must not redefine string methods the views rely on. */
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushliteral(L, "locked");
	lua_setfield(L, -2, "__metatable");
	lua_pushcfunction(L, sandbox_locked);
	lua_setfield(L, -2, "__newindex");
	lua_pop(L, 2);
	return L;
}

void
sandbox_close(lua_State *L)
{
	struct sandbox	*sb;

	if (L == NULL)
		return;
	sb = sandbox_of(L);
	lua_close(L);
	free(sb);
}

size_t
sandbox_memory(lua_State *L)
{
	return sandbox_of(L)->used;
}

/* Pushes a fresh environment table built from the allow list, with its
 * own copies of the library tables, its own load, and a require that reads
 * only ROOT/name.lua. */
void
sandbox_env(lua_State *L, const char *root)
{
	size_t	 i, j;

	lua_newtable(L);
	for (i = 0; sandbox_globals[i] != NULL; i++) {
		lua_getglobal(L, sandbox_globals[i]);
		lua_setfield(L, -2, sandbox_globals[i]);
	}
	for (i = 0; i < sizeof(sandbox_libs) / sizeof(sandbox_libs[0]); i++) {
		lua_getglobal(L, sandbox_libs[i].name);
		lua_newtable(L);
		for (j = 0; sandbox_libs[i].fields[j] != NULL; j++) {
			lua_getfield(L, -2, sandbox_libs[i].fields[j]);
			lua_setfield(L, -2, sandbox_libs[i].fields[j]);
		}
		lua_setfield(L, -3, sandbox_libs[i].name);
		lua_pop(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -2, "_G");
	lua_pushvalue(L, -1);
	lua_pushcclosure(L, sandbox_lua_load, 1);
	lua_setfield(L, -2, "load");
	lua_pushvalue(L, -1);		/* upvalue 1: the environment */
	lua_newtable(L);		/* upvalue 2: its loaded modules */
	lua_pushstring(L, root);	/* upvalue 3: the only folder */
	lua_pushcclosure(L, sandbox_lua_require, 3);
	lua_setfield(L, -2, "require");
}

/*
 * Loads a text chunk and gives it the environment on top of the stack,
 * which it pops; pushes the function.  On error returns -1 with the message
 * in err, the environment popped and nothing pushed.
 */
int
sandbox_loadstring(lua_State *L, const char *s, size_t len,
    const char *chunkname, char *err, size_t errlen)
{
	char	 name[PATH_MAX];

	snprintf(name, sizeof(name), "@%s", chunkname);
	if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		lua_pop(L, 2);
		return -1;
	}
	lua_insert(L, -2);
	lua_setupvalue(L, -2, 1);
	return 0;
}

/* As sandbox_loadstring, reading the file at path (at most 1 MB). */
int
sandbox_loadfile(lua_State *L, const char *path, const char *chunkname,
    char *err, size_t errlen)
{
	FILE		*f;
	char		*text;
	size_t		 n;
	struct stat	 st;
	int		 rc;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", chunkname, strerror(errno));
		lua_pop(L, 1);
		return -1;
	}
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > SANDBOX_FILE_MAX) {
		snprintf(err, errlen, "%s: not a regular file under 1 MB",
		    chunkname);
		fclose(f);
		lua_pop(L, 1);
		return -1;
	}
	if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", chunkname);
		fclose(f);
		lua_pop(L, 1);
		return -1;
	}
	n = fread(text, 1, (size_t)st.st_size, f);
	fclose(f);
	rc = sandbox_loadstring(L, text, n, chunkname, err, errlen);
	free(text);
	return rc;
}

static int
sandbox_msgh(lua_State *L)
{
	struct sandbox	*sb = sandbox_of(L);
	lua_Debug	 ar;
	int		 level;

	/* Where it happened, kept apart from the message, which may quote
	 * what the call was given: the innermost Lua function with a line. */
	sb->where[0] = '\0';
	for (level = 0; lua_getstack(L, level, &ar) == 1; level++)
		if (lua_getinfo(L, "Sl", &ar) != 0 && ar.currentline > 0) {
			snprintf(sb->where, sizeof(sb->where), "%s:%d",
			    ar.short_src, ar.currentline);
			break;
		}
	if (lua_type(L, 1) != LUA_TSTRING && luaL_callmeta(L, 1, "__tostring")
	    && lua_type(L, -1) == LUA_TSTRING)
		return 1;
	if (lua_type(L, 1) != LUA_TSTRING)
		lua_pushfstring(L, "(error object is a %s value)",
		    luaL_typename(L, 1));
	return 1;
}

/*
 * Calls the function below nargs arguments with the instruction budget and
 * the memory ceiling in force.  Returns 0 with nresults pushed, or -1 with
 * err naming file and line, the stack as before the function was pushed.
 */
int
sandbox_call(lua_State *L, int nargs, int nresults, char *err, size_t errlen)
{
	struct sandbox	*sb = sandbox_of(L);
	int		 base, rc, outer = !sb->in_call;

	base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, sandbox_msgh);
	lua_insert(L, base);
	if (outer) {
		sb->left = sb->budget;
		sb->oom = 0;
		sb->spent = 0;
		sb->in_call = 1;
		if (sandbox_timer_made == 0)
			sandbox_timer_made = sandbox_timer_start();
		sandbox_ticks = 0;
		sandbox_running = L;
		if (sandbox_timer_made == -1)
			lua_sethook(L, sandbox_hook, LUA_MASKCOUNT,
			    SANDBOX_HOOK_STEP);
	}
	rc = lua_pcall(L, nargs, nresults, base);
	if (outer) {
		sandbox_running = NULL;
		lua_sethook(L, NULL, 0, 0);
		sb->in_call = 0;
	}
	if (rc == LUA_OK) {
		lua_remove(L, base);
		return 0;
	}
	if (rc == LUA_ERRMEM || sb->oom)
		snprintf(err, errlen, "%smemory ceiling of %zu bytes exceeded",
		    sb->oom_where, sb->limit);
	else
		snprintf(err, errlen, "%s", lua_tostring(L, -1) != NULL ?
		    lua_tostring(L, -1) : "unknown error");
	lua_pop(L, 2);
	lua_gc(L, LUA_GCCOLLECT);
	return -1;
}

/* 1 if the last call in L was stopped by the sandbox itself (its
 * instruction budget or memory ceiling): its message then holds nothing
 * but where and which limit. */
int
sandbox_stopped(lua_State *L)
{
	struct sandbox	*sb = sandbox_of(L);

	return sb->oom || sb->spent;
}

/* The file and line of the last error of a call in L ("" when unknown),
 * without its message. */
const char *
sandbox_where(lua_State *L)
{
	struct sandbox	*sb = sandbox_of(L);

	if (sb->oom)
		return sb->oom_where;
	return sb->where;
}
