/*
 * cli.h: what the files of the administrator's tool, beratta(8), share:
 * the run a command is part of, the helpers main.c gives every command,
 * and each command's entry point.  The daemon sees none of it; what the
 * staff pages will share with the tool lives in the core (invite.c).
 *
 * A command is called with its own name in argv[0] and returns the exit
 * status: 0 done, 1 failed (said why on stderr), 2 wrong usage.
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

struct config;
struct store;
struct tenant_conf;

/* One run of the tool.  The configuration is read only when a command
 * needs it, so --help and the plugin tools work without one. */
struct cli {
	const char	*config_path;	/* -c, $BERATTA_CONFIG or the default */
	struct config	*config;	/* NULL until cli_config */
};

/* main.c */
int	 cli_config(struct cli *);
int	 cli_store(struct cli *, const char *cmd, const char *tenant,
	    const struct tenant_conf **, struct store **);
void	 cli_help(FILE *, const char *cmd);
int	 cli_usage(const char *cmd);
const char *cli_srcdir(void);

/* cmd_admin.c: invitations over invite.c. */
int	 cmd_invite(struct cli *, int, char **);
void	 cmd_invite_help(FILE *);
int	 cmd_lock(struct cli *, int, char **);
int	 cmd_unlock(struct cli *, int, char **);
int	 cmd_status(struct cli *, int, char **);

/* cmd_staff.c: units, staff accounts, the audit trail. */
int	 cmd_unit(struct cli *, int, char **);
int	 cmd_staff(struct cli *, int, char **);
int	 cmd_audit(struct cli *, int, char **);
int	 cmd_mapping(struct cli *, int, char **);

/* cmd_plugin.c: the plugin authors' tools; no configuration. */
int	 cmd_plugin(struct cli *, int, char **);

#endif
