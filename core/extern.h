/*
 * extern.h: the surface of every module of the core, one heading per file.
 *
 * The core owns I/O, identity and secrets: the FastCGI loop, request parsing,
 * storage, crypto, ICU and the Lua host.  Questions, rules and pages are Lua
 * (lua/, plugins/).  A function that can fail returns 0 or -1 and logs at the
 * failure site; a predicate returns 1 or 0 and is named is_* or valid_*.
 */
#ifndef EXTERN_H
#define EXTERN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

struct audit_entry;
struct commit_item;
struct lua_State;
struct sqlite3;
struct sqlite3_stmt;

/* log.c */
void	 log_init(const char *prog);
void	 log_msg(const char *lvl, const char *func, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
#define LOG_ERR(...)	log_msg("error", __func__, __VA_ARGS__)
#define LOG_WARN(...)	log_msg("warn", __func__, __VA_ARGS__)
#define LOG_INFO(...)	log_msg("info", __func__, __VA_ARGS__)
void	 log_request(const char *method, const char *path, int status,
	    long usec);

/* arena.c: memory that lives for one request, freed at once at its end. */
struct arena;
struct arena	*arena_new(void);
void		 arena_free(struct arena *);
void		 arena_wipe(struct arena *);
void		*arena_alloc(struct arena *, size_t);
void		*arena_grow(struct arena *, void *, size_t n, size_t *cap,
		    size_t size);
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_strdup(struct arena *, const char *);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* buf.c: a growable byte buffer (malloc'd; buf_free releases it). */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};
int	 buf_append(struct buf *, const void *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_free(struct buf *);

/* text.c: UTF-8 checking and NFC normalisation through ICU. */
enum text_err {
	TEXT_OK = 0,
	TEXT_BAD_UTF8,		/* malformed, overlong, surrogate */
	TEXT_CONTROL,		/* NUL or a control character */
	TEXT_TOO_LONG,
	TEXT_NOMEM
};
int	 valid_utf8(const char *, size_t);
enum text_err text_clean(struct arena *, const char *, size_t, size_t max,
	    int allow_newlines, char **out, size_t *outlen);

/* request.c: parsed, checked input of one request. */
struct limits {
	size_t	 body_max;	/* bytes of a request body */
	size_t	 fields_max;	/* fields in a query, form or cookie header */
	size_t	 field_max;	/* bytes of one decoded value */
	size_t	 key_max;	/* bytes of one decoded key */
};
struct kv {
	const char	*key;
	const char	*val;
	size_t		 vlen;
};
struct kvlist {
	struct kv	*v;
	size_t		 n;
};
enum req_err {
	REQ_OK = 0,
	REQ_BAD,		/* malformed: 400 */
	REQ_TOO_LARGE,		/* over a limit: 413 */
	REQ_NOMEM		/* 500 */
};
struct route;
struct session;
struct request {
	struct arena	*arena;		/* wiped and freed at the request's end */
	const char	*method;
	const char	*path;
	const char	*host;
	const char	*port;		/* SERVER_PORT, digits, or NULL */
	const char	*tenant_param;
	const char	*accept_language;
	const char	*agent;		/* User-Agent, checked, or NULL */
	const char	*content_type;
	int		 https;
	struct kvlist	 query;
	struct kvlist	 form;
	struct kvlist	 cookies;
	const char	*lang;		/* negotiated UI language */
	struct tenant	*tenant;
	const struct route *route;	/* the route the router chose */
	int		 tenant_held;	/* holds the tenant's store lock */
	int		 lua_held;	/* holds the tenant's Lua lock */
	struct session	*session;	/* the session it carries, if any */
	int		 session_looked;
	int		 answers_ref;
	const char	*id;		/* for the audit trail (request_id) */	/* the child's answers in Lua (> 0) */
};
enum req_err	 request_parse_urlencoded(struct arena *, const char *,
		    size_t, const struct limits *, struct kvlist *);
enum req_err	 request_parse_cookies(struct arena *, const char *,
		    const struct limits *, struct kvlist *);
const char	*request_get(const struct kvlist *, const char *, int *dup);
const char	*request_param(const struct request *, const char *);
const char	*request_cookie(const struct request *, const char *);
size_t		 request_count(const struct kvlist *, const char *);
const char	*request_id(struct request *);

/* config.c: the configuration, a Lua file read in the sandbox. */
#define TENANT_HOSTS_MAX 8
struct tenant_conf {
	char	*name;
	char	*hosts[TENANT_HOSTS_MAX];
	size_t	 nhosts;
	char	*plugin;
	char	*language;
	int	 allow_pin;	/* a PIN of >= 6 digits may be the secret */
	int	 session_idle;	/* seconds */
	char	*quick_exit;	/* where "leave quickly" goes */
	int	 staff_idle;	/* seconds a staff session may be idle */
	int	 staff_lifetime;	/* seconds a staff session may last */
	int	 report_min;	/* respondents a mapping report needs */
	int	 demo;		/* a demo tenant: fixed demo staff allowed */
};
struct config {
	char			*path;
	char			*socket;
	int			 socket_mode;
	char			*pid_file;
	int			 workers;
	int			 threads;
	char			*data_dir;
	char			*plugin_dir;
	char			*lua_dir;
	char			*locale_dir;
	char			*secret_file;
	int			 session_idle;	/* seconds */
	int			 hash_concurrency; /* argon2id per process */
	struct limits		 limits;
	size_t			 lua_memory;	/* bytes per state */
	long			 lua_budget;	/* instructions per call */
	struct tenant_conf	*tenants;
	size_t			 ntenants;
};
int	 config_load(const char *path, struct config **out);
void	 config_free(struct config *);
const struct tenant_conf *config_tenant(const struct config *, const char *);

/* sandbox.c: sandboxed Lua states and calls into them. */
struct sandbox_limits {
	size_t	 memory;	/* allocator ceiling in bytes */
	long	 budget;	/* instructions per call */
};
struct lua_State *sandbox_new(const struct sandbox_limits *);
void	 sandbox_close(struct lua_State *);
void	 sandbox_env(struct lua_State *, const char *root);
int	 sandbox_loadfile(struct lua_State *, const char *path,
	    const char *chunkname, char *err, size_t errlen);
int	 sandbox_loadstring(struct lua_State *, const char *, size_t,
	    const char *chunkname, char *err, size_t errlen);
int	 sandbox_call(struct lua_State *, int nargs, int nresults,
	    char *err, size_t errlen);
size_t	 sandbox_memory(struct lua_State *);
const char *sandbox_where(struct lua_State *);
int	 sandbox_stopped(struct lua_State *);

/* plugin.c: a question set's runtime and plugin chain in one state. */
int	 valid_plugin_name(const char *);
int	 plugin_open(const char *lua_dir, const char *plugin_dir,
	    const char *name, const struct sandbox_limits *,
	    struct lua_State **, char *err, size_t errlen);
int	 plugin_call(struct lua_State *, const char *fn, const char *lang,
	    int nargs, int nres, char *err, size_t errlen);

/* i18n.c: UI strings from ICU resource bundles, language negotiation.
 * i18n_init loads every bundle once per process; the rest only reads. */
#define I18N_LANGS_MAX 32
int	 i18n_init(const char *locale_dir, const char *default_lang);
void	 i18n_free(void);
const char *i18n_negotiate(const char *cookie, const char *accept,
	    const char *fallback);
int	 is_i18n_lang(const char *);
size_t	 i18n_count(void);
const char *i18n_lang(size_t i);
const char *i18n_text(const char *lang, const char *key);
int	 i18n_is_rtl(const char *lang);
const char *i18n_digits(const char *lang);
void	 i18n_push_strings(struct lua_State *, const char *lang);
void	 i18n_push_langs(struct lua_State *);
int	 i18n_check(char *bad, size_t badlen);
void	 i18n_push_icu(struct lua_State *);

/* crypto.c: keys, keyed hashes, random tokens, codes. */
#define CRYPTO_KEYBYTES 32
#define CRYPTO_HASHBYTES 32
#define CRYPTO_TOKENBYTES 32
#define CODE_CHARS 12
#define CODE_DISPLAY (CODE_CHARS + CODE_CHARS / 4)	/* with dashes + NUL */
int	 crypto_init(const char *secret_file);
void	 crypto_set_key(const unsigned char key[CRYPTO_KEYBYTES]);
void	 crypto_keyed_hash(const char *purpose, const char *tenant,
	    const void *, size_t, unsigned char out[CRYPTO_HASHBYTES]);
void	 crypto_token(char *out, size_t outlen);
int	 crypto_token_decode(const char *, unsigned char out[CRYPTO_TOKENBYTES]);
int	 crypto_seal(const char *purpose, const char *tenant,
	    const unsigned char *, size_t, int64_t expires, char *, size_t);
int	 crypto_unseal(const char *purpose, const char *tenant, const char *,
	    int64_t now, unsigned char *, size_t);
#define CRYPTO_BOX_MAX 256	/* bytes of data crypto_box_text takes */
int	 crypto_box_text(const char *purpose, const char *tenant,
	    const unsigned char *, size_t, int64_t expires, char *, size_t);
int	 crypto_open_text(const char *purpose, const char *tenant,
	    const char *, int64_t now, unsigned char *, size_t max, size_t *n);
void	 code_generate(char out[CODE_DISPLAY]);
int	 code_normalize(const char *in, char out[CODE_CHARS + 1]);
void	 code_format(const char norm[CODE_CHARS + 1], char out[CODE_DISPLAY]);

/* secret.c: the child's secret: rules, argon2id, bounded concurrency. */
#define SECRET_MAX		200	/* bytes */
#define SECRET_HASHBYTES	128	/* crypto_pwhash_STRBYTES */
void	 secret_init(int concurrency);
int	 secret_canon(const char *, char *, size_t);
const char *secret_check(const char *, int allow_pin);
int	 secret_hash(const char *, char out[SECRET_HASHBYTES]);
int	 secret_verify(const char *hash, const char *);
int64_t	 secret_locked_until(int failures, int64_t now);

/* store.c: one SQLite database per tenant: the connection, numbered
 * migrations, the write lock, the versions of the question set.  The
 * statements live with the role that uses them (store_child.c,
 * store_invite.c); no other file holds SQL.  A lookup that finds nothing
 * returns 0 with a zero id or an empty result; -1 means the database
 * failed, and the store has logged it. */
struct store;
struct answer {
	const char	*question;
	const char	*value;
	const char	*version;	/* of the set it was answered under */
	int64_t		 at;
};
int	 store_open(const char *path, struct store **);
int	 store_open_at(const char *path, int max_version, struct store **);
void	 store_close(struct store *);
int	 store_version(struct store *);
int	 store_version_put(struct store *, const char *version,
	    const char *canonical);
int	 store_version_get(struct store *, struct arena *,
	    const char *version, const char **canonical);
int64_t	 store_now(void);

/* store_child.c: what the child's routes read and write. */
struct session_row {
	int64_t	 invite;	/* 0 when there is no live session */
	int64_t	 response;	/* 0 when none yet */
	char	 csrf[64];
	char	 age[16];	/* "" when unknown */
	int	 locked;	/* the round is locked: no more changes */
	int64_t	 gen;		/* the response's answers changed this often */
	int64_t	 group;		/* a mapping group's invitation: its group */
	char	 flow[1024];	/* the next page's state, "" when stale */
	char	 flow_version[65];	/* the set version it holds for */
};
int	 store_invite_find(struct store *, const unsigned char hash[CRYPTO_HASHBYTES],
	    int64_t *id);
int	 store_invite_age(struct store *, int64_t invite, char *, size_t);
int	 store_secret_get(struct store *, int64_t invite, char *, size_t);
int	 store_secret_set(struct store *, int64_t invite, const char *hash);
int	 store_lang_get(struct store *, int64_t invite, char *, size_t);
int	 store_lang_set(struct store *, int64_t invite, const char *lang);
int	 store_failure_get(struct store *, const unsigned char hash[CRYPTO_HASHBYTES],
	    int *failures, int64_t *locked_until);
int	 store_failure_put(struct store *, const unsigned char hash[CRYPTO_HASHBYTES],
	    int failures, int64_t locked_until);
int	 store_failure_clear(struct store *,
	    const unsigned char hash[CRYPTO_HASHBYTES]);
int	 store_session_add(struct store *, const unsigned char hash[CRYPTO_HASHBYTES],
	    int64_t invite, const char *csrf, int64_t now);
int	 store_session_get(struct store *, const unsigned char hash[CRYPTO_HASHBYTES],
	    int64_t now, int idle, struct session_row *);
int	 store_session_find(struct store *, const unsigned char hash[CRYPTO_HASHBYTES],
	    int64_t now, int idle, int64_t *invite, char *csrf, size_t csrflen);
int	 store_session_end(struct store *, const unsigned char hash[CRYPTO_HASHBYTES]);
int	 store_session_expire(struct store *, int64_t before);
int	 store_response_open(struct store *, int64_t invite, const char *version,
	    int64_t now, int64_t *response);
int	 store_answer_put(struct store *, int64_t response, const char *question,
	    const char *value, const char *version, int64_t now);
int	 store_answers_put(struct store *, struct commit_item *);
int	 store_answers(struct store *, struct arena *, int64_t response,
	    struct answer **, size_t *);
int	 store_response_finish(struct store *, int64_t response, int64_t now);
int	 store_response_finished(struct store *, int64_t response);

/* disclose.c: disclosure control of mapping reports. */
#define DISCLOSE_MIN_GROUP	10	/* respondents, at least */
#define DISCLOSE_SMALL_MAX	4	/* cells of 1 to this are hidden */
struct disclose_table {
	size_t		 rows, cols;
	const int64_t	*cell;			/* rows * cols counts */
	unsigned char	*hidden;		/* rows * cols, zeroed */
	unsigned char	*row_total_hidden;	/* rows, zeroed */
	unsigned char	*col_total_hidden;	/* cols, zeroed */
};
struct disclose_population {
	const int64_t	*groups;	/* sorted group ids */
	size_t		 ngroups;
	int64_t		 respondents;
};
int	 disclose_min_group(int tenant_min);
int	 disclose_group_ok(int64_t respondents, int tenant_min);
size_t	 disclose_table(struct disclose_table *);
int	 disclose_differencing(const struct disclose_population *,
	    const struct disclose_population *, int tenant_min);

/* store_mapping.c: anonymous mapping rounds, their groups, closing. */
struct mapping_round {
	int64_t		 id, unit;
	const char	*name, *opens, *closes;	/* dates: YYYY-MM-DD */
	int64_t		 closed;		/* 0: open */
	const char	*version;	/* closed: the set's last, or NULL */
};
struct mapping_group {
	int64_t		 id, round;
	const char	*name;
	int		 expected, invited, begun, finished;
};
int	 store_mapping_add(struct store *, const char *tenant, int64_t unit,
	    const char *name, const char *opens, const char *closes,
	    const char *const *names, const int *expected, size_t,
	    struct audit_entry *, int64_t *id);
int	 store_mapping_get(struct store *, struct arena *, int64_t,
	    struct mapping_round *);
int	 store_mapping_rounds(struct store *, struct arena *, int64_t unit,
	    struct mapping_round **, size_t *n, size_t *cap);
int	 store_mapping_groups(struct store *, struct arena *, int64_t round,
	    int counted,
	    struct mapping_group **, size_t *);
int	 store_mapping_group(struct store *, struct arena *, int64_t,
	    struct mapping_group *);
int	 store_mapping_invite(struct store *, const char *tenant, int64_t group,
	    const char *age, const unsigned char (*hashes)[CRYPTO_HASHBYTES],
	    size_t, struct audit_entry *);
int	 store_mapping_close(struct store *, const char *tenant, int64_t round,
	    struct audit_entry *);
int	 store_mapping_close_due(struct store *, const char *tenant,
	    const char *today);
struct mapping_count {
	int64_t		 group;
	const char	*question;	/* "": of the group (respondents,
					 * alerted, each alert) */
	const char	*value;
	int64_t		 n;
};
int	 store_mapping_counts(struct store *, struct arena *, int64_t round,
	    int64_t group, struct mapping_count **, size_t *);
int	 store_mapping_respondents(struct store *, int64_t round, int64_t *);

/* store_invite.c: invitations as the admin tool (and staff) make them. */
struct child_new {
	int64_t		 id;		/* 0: a new child; else a new round */
	int64_t		 unit;
	const char	*pseudonym, *age, *lang;	/* NULL: not given */
	int		 birth_year;	/* 0: not given */
	int64_t		 invite;	/* set: the round's invitation */
	int		 round;		/* set: its number */
};
int	 store_invite_children(struct store *, struct arena *,
	    const unsigned char (*hashes)[CRYPTO_HASHBYTES], struct child_new *,
	    size_t, const char *tenant, struct audit_entry *);
int	 store_invite_add(struct store *, const unsigned char hash[CRYPTO_HASHBYTES],
	    const char *label, const char *age_band, int64_t *id);
struct audit_entry;
int	 store_invite_add_audited(struct store *,
	    const unsigned char hash[CRYPTO_HASHBYTES], const char *label,
	    const char *age_band, int64_t unit, const char *tenant,
	    struct audit_entry *, int64_t *id);
int	 store_invite_hash(struct store *, int64_t id,
	    unsigned char hash[CRYPTO_HASHBYTES]);
int	 store_invite_renew(struct store *, const char *tenant, int64_t id,
	    const unsigned char hash[CRYPTO_HASHBYTES],
	    const struct audit_entry *);
int	 store_round_lock(struct store *, int64_t invite, int64_t now);
int	 store_invite_round(struct store *, int64_t invite, int64_t *response,
	    int *finished, int *locked);

/* store_audit.c: the tenant's append-only, hash-chained audit trail. */
struct audit_entry {
	int64_t		 staff;		/* 0: none (the admin tool, unknown) */
	const char	*actor;		/* login, or who else acted */
	const char	*action;	/* audit_actions */
	int64_t		 unit;		/* 0: none */
	int64_t		 invite;	/* the child's invitation, 0: none */
	const char	*child;		/* the child's pseudonym then */
	const char	*detail;	/* what else, never answer content */
	const char	*request;	/* the request's id */
};
struct audit_filter {
	const char	*actor, *child, *action;	/* NULL: any */
	int64_t		 from, to;	/* microseconds, 0: open */
	int64_t		 invite;	/* 0: any */
	size_t		 max;		/* rows, 0: 100 */
};
struct audit_row {
	int64_t		 id, at;
	const char	*actor, *action;
	int64_t		 unit, invite;
	const char	*child, *detail, *request;
};
int	 store_audit_add(struct store *, const char *tenant,
	    const struct audit_entry *);
int	 store_audit_add_in(struct store *, const char *tenant,
	    const struct audit_entry *);
int	 store_audit_verify(struct store *, const char *tenant, int64_t *rows,
	    int64_t *bad, const char **why);
int	 store_audit_list(struct store *, struct arena *,
	    const struct audit_filter *, struct audit_row **, size_t *);

/* store_staff.c: units, staff, their sessions and second factors, the
 * children of a unit, and staff's one way to read answers (audited). */
#define STAFF_LOGIN_MAX	64
#define STAFF_NAME_MAX	100
#define UNIT_NAME_MAX	100
struct unit_row {
	int64_t		 id;
	const char	*name, *kind;
};
struct staff_row {
	int64_t	 id;		/* 0: no such account */
	char	 login[STAFF_LOGIN_MAX + 1];
	char	 name[STAFF_NAME_MAX + 1];
	int	 admin;
	char	 password[SECRET_HASHBYTES];	/* "" until activated */
	char	 totp[256];		/* the sealed seed, "" until enrolled */
	char	 totp_pending[256];	/* being enrolled */
	int64_t	 totp_last;		/* the last step used */
	char	 lang[16];
	int	 disabled;
};
struct staff_item {
	int64_t		 id;
	const char	*login, *name, *units;
	const char	*unit_ids;	/* "1,3": the ids of units */
	int		 admin, disabled, active, enrolled;
};
struct staff_session_row {
	int64_t	 staff;		/* 0: no live session */
	int	 stage;
	char	 csrf[64];
	int64_t	 created, seen;
};
struct staff_session_item {
	unsigned char	 hash[CRYPTO_HASHBYTES];
	int64_t		 created, seen;
	const char	*agent;
};
struct child_row {
	int64_t		 invite;	/* 0: no such child */
	int64_t		 unit;
	const char	*label, *age;
	int64_t		 created;
	int64_t		 response;	/* 0: not started */
	int		 finished, locked, has_secret;
	int64_t		 child;		/* 0: an invitation of no child */
	int		 round;		/* 1, 2, ... */
	const char	*lang;		/* chosen, else likely; "" unknown */
	int		 birth_year;	/* 0: not given */
	int		 alerts;	/* raised and not yet handled */
	int64_t		 started, finished_at;	/* 0: not yet */
	int64_t		 gen;		/* the response's answers changed */
	int64_t		 locked_until;	/* wrong tries lock the code until */
};
struct alert_row {
	const char	*id;		/* the set's alert rule */
	int64_t		 raised, handled;	/* 0: not handled */
	const char	*by, *note;	/* "" when not handled */
};
struct round_read {
	struct answer	*answers;	/* current, oldest first */
	size_t		 nanswers;
	struct answer	*history;	/* replaced, oldest first */
	size_t		 nhistory;
	struct alert_row *alerts;
	size_t		 nalerts;
};
int	 store_unit_add(struct store *, const char *name, const char *kind,
	    int64_t *id);
int	 store_unit_find(struct store *, const char *name, int64_t *id);
int	 store_units(struct store *, struct arena *, struct unit_row **,
	    size_t *);
int	 store_staff_add(struct store *, const char *login, const char *name,
	    int admin, const unsigned char act[CRYPTO_HASHBYTES], int64_t until,
	    int64_t *id);
int	 store_staff_find(struct store *, const char *login, int64_t *id);
int	 store_staff_get(struct store *, int64_t id, struct staff_row *);
int	 store_staff_list(struct store *, struct arena *, struct staff_item **,
	    size_t *);
int	 store_staff_roles(struct store *, const char *tenant, int64_t staff,
	    int admin, const int64_t *units, size_t n,
	    const struct audit_entry *);
int	 store_staff_units(struct store *, struct arena *, int64_t staff,
	    int64_t **, size_t *);
int	 store_staff_activation(struct store *,
	    const unsigned char act[CRYPTO_HASHBYTES], int64_t now, int64_t *id);
int	 store_staff_reset(struct store *, const char *tenant, int64_t staff,
	    const unsigned char act[CRYPTO_HASHBYTES], int64_t until,
	    const struct audit_entry *);
int	 store_staff_activate(struct store *, int64_t staff, const char *pwhash,
	    const char *totp_pending);
int	 store_staff_enrol(struct store *, const char *tenant, int64_t staff,
	    int64_t step, const unsigned char (*codes)[CRYPTO_HASHBYTES],
	    size_t n, const struct audit_entry *);
int	 store_staff_totp_step(struct store *, int64_t staff, int64_t step);
int	 store_staff_disable(struct store *, const char *tenant, int64_t staff,
	    const struct audit_entry *);
int	 store_staff_lang(struct store *, int64_t staff, const char *lang);
int	 store_recovery_set_in(struct store *, int64_t staff,
	    const unsigned char (*codes)[CRYPTO_HASHBYTES], size_t n);
int	 store_recovery_set(struct store *, const char *tenant, int64_t staff,
	    const unsigned char (*codes)[CRYPTO_HASHBYTES], size_t n,
	    const struct audit_entry *);
int	 store_recovery_use(struct store *, int64_t staff,
	    const unsigned char code[CRYPTO_HASHBYTES]);
int	 store_recovery_left(struct store *, int64_t staff, int64_t *n);
int	 store_staff_session_add(struct store *,
	    const unsigned char hash[CRYPTO_HASHBYTES], int64_t staff,
	    int stage, const char *csrf, const char *agent);
int	 store_staff_session_get(struct store *,
	    const unsigned char hash[CRYPTO_HASHBYTES], int idle, int life,
	    struct staff_session_row *);
int	 store_staff_session_end(struct store *,
	    const unsigned char hash[CRYPTO_HASHBYTES]);
int	 store_staff_session_end_all(struct store *, int64_t staff);
int	 store_staff_session_expire(struct store *, int idle, int life);
int	 store_staff_sessions(struct store *, struct arena *, int64_t staff,
	    int idle, int life, struct staff_session_item **, size_t *);
int	 store_child_get(struct store *, struct arena *, int64_t invite,
	    struct child_row *);
int	 store_children(struct store *, struct arena *, int64_t unit,
	    struct child_row **, size_t *n, size_t *cap);
int	 store_staff_answers(struct store *, struct arena *, const char *tenant,
	    const struct audit_entry *, int64_t response, struct answer **,
	    size_t *);
int	 store_staff_rounds(struct store *, struct arena *, const char *tenant,
	    const struct audit_entry *, const int64_t *responses, size_t,
	    struct round_read *);
int	 store_staff_rounds_in(struct store *, struct arena *,
	    const char *tenant, const struct audit_entry *, const int64_t *,
	    size_t, struct round_read *);
int	 store_rounds(struct store *, struct arena *, int64_t child,
	    struct child_row **, size_t *);
int	 store_alert_handle(struct store *, const char *tenant,
	    const struct audit_entry *, int64_t response, const char *alert,
	    int64_t staff, const char *note);
int	 store_alert_exists(struct store *, int64_t response, const char *);
int	 store_slips_put(struct store *, int64_t staff, const void *sealed,
	    size_t, int64_t expires, int64_t *id);
int	 store_slips_take(struct store *, struct arena *, int64_t id,
	    int64_t staff, unsigned char **sealed, size_t *);

/* commit.c: group commit of answers, one durable transaction for all
 * that wait at that moment. */
struct commit_item {
	int64_t			 response;
	const char		*question;
	const char		*value;
	const char		*version;
	int64_t			 now;
	const char		*flow;	/* the next page's state, or NULL */
	const char		*alerts; /* ids of alerts it raised, or NULL */
	int64_t			 group;	/* a mapping group's: count it there */
	const char		*levels; /* its bands then (Q.levels), or NULL */
	/* Instead of an answer, work of its own in the same durable
	 * transaction (an audited read, staff_child.c), with its argument. */
	int			(*work)(struct store *, struct commit_item *);
	void			*arg;
	int64_t			 gen;	/* the response's gen the request read */
	int			 changed;	/* the answer was new or other */
	int			 done;
	int			 rc;	/* 0 stored, -1 not */
	struct commit_item	*next;
};
struct committer {
	pthread_mutex_t			 mu;
	pthread_cond_t			 cv;
	struct commit_item		*head, *tail;
	int				 leading;
	long				 batches;
	struct store			*store;	/* its own connection */
	const struct config		*cfg;
	const struct tenant_conf	*tc;
};
void	 commit_init(struct committer *, const struct config *,
	    const struct tenant_conf *);
void	 commit_free(struct committer *);
int	 commit_answer(struct committer *, struct commit_item *);

/* tenant.c: per-worker runtime of each configured tenant (lazy). */
struct tenant {
	const struct tenant_conf *conf;
	pthread_mutex_t		 lock;		/* the store lock: guards store */
	pthread_mutex_t		 lua_lock;	/* guards L (taken after lock) */
	struct store		*store;
	struct lua_State	*L;
	char			 version[65];	/* question set hash */
	struct committer	 commit;
};
int	 tenant_init(const struct config *, struct lua_State **states,
	    char (*versions)[65]);
int	 tenant_load_all(const struct config *, struct lua_State **states,
	    char (*versions)[65]);
void	 tenant_shutdown(void);
struct tenant *tenant_find(const char *param, const char *host);
int	 tenant_enter(struct request *);
void	 tenant_leave(struct request *);
int	 tenant_load_lua(const struct config *, const struct tenant_conf *,
	    struct lua_State **, char version[65], char *err, size_t errlen);
int	 tenant_open_store(const struct config *, const struct tenant_conf *,
	    struct store **);

/* http.c: responses, security headers, error pages. */
struct response {
	int		 status;
	struct buf	 headers;
	struct buf	 body;
	const char	*content_type;
	int		 no_store;
};
void	 http_init(struct response *);
void	 http_free(struct response *);
void	 http_header(struct response *, const char *name, const char *value);
void	 http_redirect(struct response *, const char *location);
void	 http_redirect_away(struct response *, const char *url);
void	 http_cookie(struct response *, const struct request *, const char *name,
	    const char *value, int max_age);
int	 http_serialize(const struct response *, int https, struct buf *out);
const char *http_reason(int status);
int	 http_escape(struct buf *, const char *);
void	 http_error(struct request *, struct response *, int status);

/* view.c: pages rendered by Lua view functions in lua/; the store lock
 * is let go first (a view never reads the store) and the Lua lock taken. */
int	 view_cached(struct request *, struct response *, const char *state,
	    int (*)(struct lua_State *, void *), void *);
int	 view_render(struct request *, struct response *, const char *page,
	    int (*fill)(struct lua_State *, void *), void *arg);
void	 view_push_kv(struct lua_State *, const char *k, const char *v);

/* host.c: the one C entry into lua/host.lua; the Lua lock of a request;
 * the child's answers and context handed to the question set. */
#define HOST_PRIVATE	1	/* the call carries a child's answers */
void	 host_push(struct lua_State *, const char *fn);
int	 host_call(struct lua_State *, const char *who, const char *fn,
	    int nargs, int nres, int flags, char *err, size_t errlen);
int	 host_enter(struct request *);
void	 host_leave(struct request *);
int	 host_push_answers(struct request *);
void	 host_push_ctx(struct request *, int easy);
int	 host_child(struct request *, const char *fn,
	    void (*push)(struct lua_State *, void *), void *, int nargs,
	    int nres);

/* session.c: session cookies and tokens, CSRF, login throttling, for
 * every family of routes; the only reader of a session cookie. */
enum csrf {
	CSRF_NONE,		/* no state changes: no check */
	CSRF_PRE,		/* the pre-login double-submit cookie */
	CSRF_SESSION,		/* the session's own token */
	CSRF_EITHER,		/* the session's, else the pre-login cookie */
	CSRF_IF_SESSION		/* the session's, none without a session */
};
enum session_kind {
	SESSION_CHILD = 1,
	SESSION_STAFF
};
enum staff_stage {
	STAGE_ENROL = 1,	/* activated: the second factor to set up */
	STAGE_FACTOR,		/* the password was right: the factor due */
	STAGE_IN		/* logged in */
};
struct session {
	enum session_kind kind;
	unsigned char	 hash[CRYPTO_HASHBYTES];	/* of its token */
	char		 csrf[64];
	/* A child's session. */
	int64_t		 invite;
	int64_t		 response;
	char		 age[16];	/* age band, "" when unknown */
	int		 locked;	/* the round is locked */
	int64_t		 gen;		/* how often the answers changed */
	int64_t		 group;		/* of a mapping round: its group */
	const char	*flow;		/* the next page's state, or NULL */
	struct answer	*answers;	/* read by the handler (answers_read) */
	size_t		 nanswers;
	int		 answers_read;
	/* A staff session. */
	int64_t		 staff;
	enum staff_stage stage;
	int		 admin;
	int64_t		*units;		/* professional of these units */
	size_t		 nunits;
	const char	*login;
	const char	*name;
	const char	*staff_lang;	/* "" when not chosen */
};
int	 valid_token_pair(const char *, const char *);
struct session *session_find(struct request *);
const char *session_pre_token(struct request *, struct response *);
const char *session_csrf(struct request *, struct response *);
int	 valid_csrf(struct request *, enum csrf);
int	 session_begin(struct request *, struct response *, int64_t subject);
int	 session_begin_staff(struct request *, struct response *,
	    int64_t staff, enum staff_stage);
int	 session_end(struct request *, struct response *);
int	 session_throttled(struct request *,
	    const unsigned char key[CRYPTO_HASHBYTES], int64_t *until);
int	 session_failed(struct request *,
	    const unsigned char key[CRYPTO_HASHBYTES], int64_t *until);
int	 session_passed(struct request *,
	    const unsigned char key[CRYPTO_HASHBYTES]);

/* form.c: each route's fields and their validators, checked before the
 * handler runs; the limits, handed to the views as data.limits. */
#define FORM_CODE_MAX	64	/* bytes of a typed invitation code */
#define FORM_QID_MAX	64	/* bytes of a question id */
#define FORM_ANSWER_MAX	8192	/* bytes of one answer value */
enum field_flags {
	FIELD_REQUIRED = 1,	/* missing: 400 */
	FIELD_MANY = 2		/* may be given more than once */
};
struct field {
	const char	*name;
	int		(*valid)(const char *, size_t);	/* NULL: any text */
	size_t		 max;		/* bytes; over it: 413 */
	int		 flags;
};
struct form {
	enum csrf		 csrf;
	const struct field	*fields;
	size_t			 nfields;
};
extern const struct form form_none, form_login, form_secret, form_question,
	    form_answer, form_logout, form_language;
int	 valid_qid(const char *, size_t);
int	 valid_special(const char *, size_t);
int	 valid_from(const char *, size_t);
int	 valid_flag(const char *, size_t);
int	 valid_lang(const char *, size_t);
int	 valid_back(const char *, size_t);
int	 valid_id(const char *, size_t);
int	 valid_date(const char *, size_t);
int	 valid_staff_back(const char *, size_t);
extern const struct form form_staff_login, form_staff_code,
	    form_staff_activate_page, form_staff_activate, form_staff_post,
	    form_staff_id, form_staff_child, form_staff_invite, form_staff_unit,
	    form_staff_person, form_staff_roles, form_staff_audit,
	    form_staff_language, form_staff_compare, form_staff_alert,
	    form_staff_mapping, form_staff_mapping_slips, form_staff_report,
	    form_staff_report_compare;
int	 form_check(const struct request *, const struct form *);
void	 form_push_limits(struct lua_State *);

/* auth.c: the one place that says who may do what to which object;
 * deny by default. */
enum access {
	ACCESS_PUBLIC,		/* anyone of the tenant */
	ACCESS_CHILD,		/* a child with a valid session */
	ACCESS_STAFF_ENROL,	/* staff, setting up the second factor */
	ACCESS_STAFF_FACTOR,	/* staff, past the password, factor due */
	ACCESS_STAFF,		/* staff, logged in */
	ACCESS_PROFESSIONAL,	/* a professional (of the object's unit) */
	ACCESS_MAPPER,		/* an administrator, or a professional of
				 * the object's unit: mapping rounds */
	ACCESS_ADMIN		/* a tenant administrator */
};
#define AUTH_ROUTE	(-1)	/* no object yet: may the route be used */
int	 auth_allow(struct request *, enum access, int64_t unit);

/* router.c: the route table, by family. */
enum family {
	FAMILY_CHILD,		/* the child's pages, at / */
	FAMILY_STAFF,		/* the professionals' pages, at /staff/ */
	FAMILY_REPORT		/* group reports (to come) */
};
struct route {
	const char	*method;
	const char	*path;
	enum family	 family;
	enum access	 access;
	const struct form *form;
	int		 lock;		/* takes the tenant's store lock */
	int		(*handler)(struct request *, struct response *);
};
int	 router_dispatch(struct request *, struct response *);

/* child.c: the child's handlers. */
int	 child_start(struct request *, struct response *);
int	 child_login(struct request *, struct response *);
int	 child_secret_page(struct request *, struct response *);
int	 child_secret(struct request *, struct response *);
int	 child_question(struct request *, struct response *);
int	 child_answer(struct request *, struct response *);
int	 child_thanks(struct request *, struct response *);
int	 child_care(struct request *, struct response *);
int	 child_overview(struct request *, struct response *);
int	 child_help(struct request *, struct response *);
int	 child_leave(struct request *, struct response *);
int	 child_alive(struct request *, struct response *);
int	 child_logout(struct request *, struct response *);
int	 child_language(struct request *, struct response *);

/* staff.c: the staff family's handlers, under /staff/. */
int	 staff_slash(struct request *, struct response *);
int	 staff_home(struct request *, struct response *);
int	 staff_login(struct request *, struct response *);
int	 staff_factor_page(struct request *, struct response *);
int	 staff_factor(struct request *, struct response *);
int	 staff_logout(struct request *, struct response *);
int	 staff_language(struct request *, struct response *);
int	 staff_activate_page(struct request *, struct response *);
int	 staff_activate(struct request *, struct response *);
int	 staff_enrol_page(struct request *, struct response *);
int	 staff_enrol(struct request *, struct response *);
int	 staff_recovery_page(struct request *, struct response *);
int	 staff_recovery_renew(struct request *, struct response *);
int	 staff_sessions_page(struct request *, struct response *);
int	 staff_end_all(struct request *, struct response *);
int	 staff_invite(struct request *, struct response *);
int	 staff_child(struct request *, struct response *);
int	 staff_child_action(struct request *, struct response *);
int	 staff_child_renew(struct request *, struct response *);
int	 staff_child_round(struct request *, struct response *);
int	 staff_compare(struct request *, struct response *);
int	 staff_alert(struct request *, struct response *);
int	 staff_slips(struct request *, struct response *);

/* mapping.c: anonymous mapping rounds on the staff pages. */
int	 mapping_close_due(struct store *, const char *tenant);
int	 staff_mapping(struct request *, struct response *);
int	 staff_mapping_add(struct request *, struct response *);
int	 staff_mapping_slips(struct request *, struct response *);
int	 staff_mapping_close(struct request *, struct response *);

/* report.c: the reports of a closed mapping round, suppressed in C. */
int	 staff_report(struct request *, struct response *);
int	 staff_report_compare(struct request *, struct response *);
int	 staff_units(struct request *, struct response *);
int	 staff_unit_add(struct request *, struct response *);
int	 staff_people(struct request *, struct response *);
int	 staff_person_add(struct request *, struct response *);
int	 staff_person_action(struct request *, struct response *);
int	 staff_person_roles(struct request *, struct response *);
int	 staff_audit(struct request *, struct response *);

/* invite.c: invitations: codes made (only their keyed hash is stored),
 * age bands, a round locked, a locked-out code opened, a code's state. */
#define INVITE_LABEL_MAX 200	/* bytes of an invitation's label */
#define INVITE_GROUP_MAX 60	/* children of one group invitation */
#define INVITE_LABELS_MAX (INVITE_GROUP_MAX * (INVITE_LABEL_MAX + 2))
#define ALERT_NOTE_MAX	1000	/* bytes of a handled alert's note */
#define MAPPING_GROUPS_TEXT_MAX	20000	/* the groups of a round, as typed */
#define MAPPING_SLIPS_MAX	300	/* slips of a group printed at once */
enum invite_rc {
	INVITE_FAILED = -1,	/* the store failed (logged) */
	INVITE_DONE = 0,
	INVITE_NO_CODE,		/* the tenant has no such code */
	INVITE_NO_ROUND		/* the child has not started answering */
};
enum invite_state {
	INVITE_NONE,		/* the tenant has no such code */
	INVITE_UNUSED,		/* no secret chosen yet */
	INVITE_NOT_STARTED,	/* a secret, no round begun */
	INVITE_ANSWERING,	/* a round begun, not finished */
	INVITE_FINISHED,
	INVITE_ROUND_LOCKED,	/* locked after it was talked through */
	INVITE_LOCKED_OUT	/* too many wrong tries: until locked_until */
};
struct invite_status {
	enum invite_state state;
	int		 failures;	/* wrong tries counted now */
	int64_t		 locked_until;	/* INVITE_LOCKED_OUT: the end, or
					 * INT64_MAX until unlocked; else 0 */
};
int	 valid_age_band(const char *);
size_t	 invite_age_band_count(void);
const char *invite_age_band(size_t i);
int	 valid_invite_label(const char *);
int	 valid_invite_code(const char *);
int	 invite_create(struct store *, const char *tenant, const char *label,
	    const char *age_band, char code[CODE_DISPLAY]);
int	 invite_create_in(struct store *, const char *tenant, const char *label,
	    const char *age_band, int64_t unit, struct audit_entry *,
	    char code[CODE_DISPLAY]);
int	 invite_children(struct store *, struct arena *, const char *tenant,
	    struct child_new *, size_t, struct audit_entry *,
	    char (*codes)[CODE_DISPLAY]);
enum invite_state invite_state_from(int locked_out, int locked, int finished,
	    int64_t response, int has_secret);
int	 invite_status_id(struct store *, const char *tenant, int64_t id,
	    int64_t now, struct invite_status *);
enum invite_rc invite_unlock_id(struct store *, int64_t id, int *failures);
enum invite_rc invite_lock_id(struct store *, int64_t id, int reopen);
int	 invite_renew(struct store *, const char *tenant, int64_t id,
	    const struct audit_entry *, char code[CODE_DISPLAY]);
enum invite_rc invite_lock(struct store *, const char *tenant,
	    const char *code, int reopen);
enum invite_rc invite_unlock(struct store *, const char *tenant,
	    const char *code, int *failures);
int	 invite_status(struct store *, const char *tenant, const char *code,
	    int64_t now, struct invite_status *);

/* account.c: staff accounts: names, passwords (libpwquality), the
 * second factor (TOTP, liboath), recovery codes, activation links, the
 * throttle of failed logins. */
#define PASSWORD_MIN	12	/* characters */
#define PASSWORD_MAX	200	/* bytes */
#define TOTP_SEED_BYTES	20
#define TOTP_B32_LEN	32
#define RECOVERY_CODES	10
#define ACTIVATION_HOURS 72
int	 account_init(void);
void	 account_free(void);
size_t	 account_unit_kind_count(void);
const char *account_unit_kind(size_t);
int	 valid_unit_kind(const char *);
int	 valid_staff_login(const char *);
int	 valid_staff_name(const char *);
int	 valid_unit_name(const char *);
const char *account_password_check(const char *pw, const char *login);
int	 account_totp_new(unsigned char seed[TOTP_SEED_BYTES],
	    char b32[TOTP_B32_LEN + 1]);
int	 account_totp_b32(const unsigned char seed[TOTP_SEED_BYTES],
	    char b32[TOTP_B32_LEN + 1]);
int	 account_totp_decode(const char *, unsigned char seed[TOTP_SEED_BYTES]);
int	 account_totp_code(const unsigned char seed[TOTP_SEED_BYTES],
	    int64_t now, char out[7]);
int	 account_totp_check(const unsigned char seed[TOTP_SEED_BYTES],
	    const char *code, int64_t now, int64_t *step);
int	 account_totp_seal(const char *tenant,
	    const unsigned char seed[TOTP_SEED_BYTES], char *, size_t);
int	 account_totp_open(const char *tenant, const char *sealed,
	    unsigned char seed[TOTP_SEED_BYTES]);
int	 account_recovery_hash(const char *tenant, const char *typed,
	    unsigned char hash[CRYPTO_HASHBYTES]);
void	 account_recovery_new(const char *tenant, char (*codes)[CODE_DISPLAY],
	    unsigned char (*hashes)[CRYPTO_HASHBYTES]);
void	 account_activation_new(const char *tenant, char token[64],
	    unsigned char hash[CRYPTO_HASHBYTES]);
int	 account_activation_hash(const char *tenant, const char *token,
	    unsigned char hash[CRYPTO_HASHBYTES]);
void	 account_throttle_key(const char *tenant, const char *login,
	    unsigned char key[CRYPTO_HASHBYTES]);
int64_t	 account_locked_until(int failures, int64_t now);
int	 account_create(struct store *, const char *tenant, const char *login,
	    const char *name, int admin, const int64_t *units, size_t n,
	    struct audit_entry *, char token[64]);
int	 account_reset(struct store *, const char *tenant, int64_t id,
	    const struct audit_entry *, char token[64]);

/* qr.c: QR codes as inline SVG. */
int	 qr_svg(const char *text, const char *label, int scale, struct buf *);

/* worker.c: FastCGI threads of one worker process. */
extern const struct config *worker_config;
int	 worker_run(const struct config *, int listen_fd,
	    struct lua_State **states, char (*versions)[65]);

/* master.c: the listening socket, worker supervision and signals. */
int	 master_listen(const struct config *, int *fd, int *owned);
int	 master_run(struct config *, int listen_fd);

#endif
