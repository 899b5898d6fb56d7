/* opts_rows.h: the rows of opts.c's tables, one per kind of option and one
 * per option; opts.c makes the tables from them. */
#ifndef REINIT_OPTS_ROWS_H
#define REINIT_OPTS_ROWS_H

/* Each option's flags. */
enum {
	OPT_ARG = 1,   /* takes a value */
	OPT_NOENV = 2, /* no REINIT_* variable */
	OPT_EVERY = 4, /* its REINIT_* variable counts under every name */
	OPT_ONE = 8,   /* SET sets 1 (else 0); DUR takes 1 at least */
};

#define PERS_BIT(p) (1 << (p))

/*
 * What an option does with its value, one row per kind: its name; the type
 * of the struct opts member that its options name (NOFIELD: it writes
 * members of its own); the separator of the items of a REINIT_* variable (0:
 * the variable is one value); the end of the message for a bad value, after
 * the value ("" where no value is bad).
 */
#define KINDS(X)                                                                                   \
	/* The member = 1 with ONE, else 0. */                                                     \
	X(SET, int, 0, "': expected 1 or 0")                                                       \
	/* -v counts; the variable is a level. */                                                  \
	X(VERBOSE, NOFIELD, 0, "': expected a level from 0 to 3")                                  \
	/* dumb-init -c: no session, no group. */                                                  \
	X(SINGLE, NOFIELD, 0, "")                                                                  \
	X(SIG, int, 0, "': expected a signal such as TERM, SIGTERM or 15")                         \
	/* Milliseconds; 1 at least with ONE (zero is no interval). */                             \
	X(DUR, long, 0, "': expected a duration such as 500ms, 10s or 2m")                         \
	X(STR, const char *, 0, "': expected a value that is not empty")                           \
	/* One more --watch, --reload, --ignore, --remap-exit, --rewrite. */                       \
	X(WATCH, NOFIELD, ':', "")                                                                 \
	X(RELOAD, NOFIELD, ':', "")                                                                \
	X(IGNORE, NOFIELD, ',', "")                                                                \
	X(REMAP, NOFIELD, ',', "': expected an exit code from 0 to 255")                           \
	X(REWRITE, NOFIELD, ',', "': expected FROM:TO such as TERM:QUIT, or 15:0 to drop")         \
	X(ONEXIT, NOFIELD, 0, "': expected wait, exit or restart")                                 \
	/* watchexec's --debounce: bare milliseconds, a window (DUR's text). */                    \
	X(WINDOW, NOFIELD, 0, "")                                                                  \
	/* watchexec's --shell, or -n with no value: none. */                                      \
	X(SHELL, NOFIELD, 0, "")                                                                   \
	/* watchexec's options that reinit's defaults already are. */                              \
	X(NONE, NOFIELD, 0, "")

/*
 * Every option, one row each, in the order find() tries them: its letter (0:
 * none), its long name (REINIT_NAME_IN_CAPITALS is its variable), its kind,
 * the personalities that have it, its flags, and with OPT the member its
 * value goes to, of the kind's type (a compile error otherwise); R, T, D and W are the
 * personalities, ARG, NOENV, EVERY and ONE the OPT_* flags, as opts.c spells them; ACT rows are of
 * NOFIELD kinds. Adding an option is one row and, for a new kind, one row in KINDS and one case in
 * value().
 */
#define OPTIONS(OPT, ACT)                                                                          \
	OPT('g', "group", SET, R | T, ONE, group)                                                  \
	OPT('s', "subreaper", SET, R | T, ONE, subreaper)                                          \
	OPT('p', "pdeathsig", SIG, R | T, ARG, pdeathsig)                                          \
	ACT('e', "remap-exit", REMAP, R | T, ARG)                                                  \
	ACT('r', "rewrite", REWRITE, R | D, ARG)                                                   \
	OPT('t', "stop-timeout", DUR, R, ARG | EVERY, stop_ms)                                     \
	OPT(0, "drain-timeout", DUR, R, ARG | EVERY, drain_ms)                                     \
	OPT(0, "stop-signal", SIG, R | W, ARG, stop_signal)                                        \
	OPT('P', "pause", SET, R, ONE, pause)                                                      \
	ACT('v', "verbose", VERBOSE, R | T | D | W, 0)                                             \
	OPT('q', "quiet", SET, R, 0, verbosity)                                                    \
	OPT('h', "help", SET, R | T | D, NOENV | ONE, help)                                        \
	OPT('V', "version", SET, R | D, NOENV | ONE, version)                                      \
	OPT(0, "version", SET, T, NOENV | ONE, version)                                            \
	OPT('l', "license", SET, T, NOENV | ONE, license)                                          \
	OPT('w', "warn-reap", SET, T, ONE, warn_reap)                                              \
	ACT('c', "single-child", SINGLE, D, 0)                                                     \
	ACT('w', "watch", WATCH, R | W, ARG)                                                       \
	ACT(0, "reload", RELOAD, R, ARG)                                                           \
	OPT(0, "reload-signal", SIG, R, ARG, reload_signal)                                        \
	ACT('i', "ignore", IGNORE, R | W, ARG)                                                     \
	OPT(0, "ignore-file", STR, R, ARG, ignore_file)                                            \
	OPT(0, "no-default-ignores", SET, R, ONE, no_default_ignores)                              \
	OPT('x', "exts", STR, R, ARG, exts)                                                        \
	OPT(0, "trigger", STR, R, ARG, trigger)                                                    \
	OPT('d', "debounce", DUR, R, ARG, debounce_ms)                                             \
	OPT(0, "debounce-max", DUR, R, ARG, debounce_max_ms)                                       \
	ACT(0, "on-exit", ONEXIT, R, ARG)                                                          \
	OPT(0, "postpone", SET, R, ONE, postpone)                                                  \
	OPT(0, "poll", DUR, R, ARG | ONE, poll_ms)                                                 \
	OPT('R', "restart", SET, R, NOENV | ONE, restart)                                          \
	/* watchexec's own: the options its buildpacks write, and a few more. */                   \
	ACT('r', "restart", NONE, W, 0)                                                            \
	ACT(0, "no-vcs-ignore", NONE, W, 0)                                                        \
	OPT('p', "postpone", SET, W, ONE, postpone)                                                \
	OPT('e', "exts", STR, W, ARG, exts)                                                        \
	ACT('d', "debounce", WINDOW, W, ARG)                                                       \
	OPT('s', "signal", SIG, W, ARG, stop_signal)                                               \
	OPT(0, "stop-timeout", DUR, W, ARG, stop_ms)                                               \
	ACT(0, "shell", SHELL, W, ARG)                                                             \
	ACT('n', "shell", SHELL, W, 0)

#endif
