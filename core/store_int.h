/*
 * store_int.h: what the store's files share, and nothing else sees: the
 * connection, the write lock, and the statement tables of the roles
 * (store_child.c, store_invite.c, store_staff.c, store_audit.c;
 * store_report.c next).
 * A role's statements are static to its file, so each caller reaches only
 * the queries of its own role, through that file's functions.
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>

enum store_role_id {
	STORE_ROLE_CORE,	/* store.c: transactions, set versions */
	STORE_ROLE_CHILD,	/* store_child.c */
	STORE_ROLE_INVITE,	/* store_invite.c */
	STORE_ROLE_STAFF,	/* store_staff.c */
	STORE_ROLE_AUDIT,	/* store_audit.c */
	STORE_ROLE_MAPPING,	/* store_mapping.c */
	STORE_ROLES
};

struct store_role {
	enum store_role_id	 id;
	const char		*name;
	const char *const	*sql;	/* indexed by the role's own enum */
	size_t			 n;
};

struct store {
	sqlite3		*db;
	char		*path;
	int		 lockfd;	/* PATH.lock: one writer at a time */
	sqlite3_stmt	**stmt[STORE_ROLES];	/* prepared once, kept */
	size_t		 nstmt[STORE_ROLES];
};

/* Logs the connection's last error once, at the failing function. */
#define STORE_FAIL(s)	log_msg("error", __func__, "%s: %s", (s)->path, \
			    sqlite3_errmsg((s)->db))

sqlite3_stmt	*store_stmt(struct store *, const struct store_role *, int);
void		 store_done(sqlite3_stmt *);
int		 store_step_write(struct store *, sqlite3_stmt *);
int		 store_write_at(struct store *, sqlite3_stmt *, const char *);
/* Steps a bound statement that writes and returns no row, under the write
 * lock, and resets it: 0, or -1 logged as the calling function's. */
#define store_write(s, st)	store_write_at((s), (st), __func__)
void		 store_wlock(struct store *);
void		 store_wunlock(struct store *);
int		 store_begin(struct store *);
int		 store_commit(struct store *);
void		 store_rollback(struct store *);
int		 store_savepoint(struct store *);
int		 store_release(struct store *);
int		 store_rollback_to(struct store *);
int		 store_tx_begin(struct store *);
int		 store_tx_end(struct store *, int ok);
const char	*store_text(sqlite3_stmt *, int);
int		 store_step_in(sqlite3_stmt *);
struct arena;
struct store_rows {
	void		*v;		/* the arena array */
	size_t		 n, cap;
};
int		 store_rows(struct store *, struct arena *, sqlite3_stmt *,
		    size_t, int (*)(struct arena *, sqlite3_stmt *, void *),
		    struct store_rows *);

#endif
