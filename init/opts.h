/* opts.h: the command line and the environment, read into one struct (pure). */
#ifndef REINIT_OPTS_H
#define REINIT_OPTS_H

#include <stddef.h>

/* Which program reinit is standing in for, by the name it was run as. */
enum { PERS_REINIT, PERS_TINI, PERS_DUMB, PERS_WEXEC };

/* What a watching reinit does when its child exits on its own. */
enum { ONEXIT_WAIT, ONEXIT_EXIT, ONEXIT_RESTART };
/* Until opts_parse() ends: then wait with -w or --trigger, else (--reload
 * alone: a server) exit, as a plain init does. */
#define ONEXIT_DEFAULT (-1)

#define OPTS_MAX_LIST 64
#define OPTS_POOL     4096

/* No deadline of reinit's own on a stop: the runtime's grace is the clock. */
#define OPTS_STOP_MS (-1L)
/* A restart has no runtime behind it: reinit's own grace bounds it. */
#define OPTS_RESTART_MS 10000
/* What the child leaves behind: long enough to flush a file or remove a
 * pid file, short enough that a container never noticeably outlives its
 * main process. */
#define OPTS_DRAIN_MS         2000
#define OPTS_DEBOUNCE_MS      10
#define OPTS_DEBOUNCE_MAX_MS  2000
#define OPTS_FALLBACK_POLL_MS 1000

struct opts_str {
	const char *s;
	size_t len;
};

struct opts {
	char **argv; /* the command; NULL when there is none to run */
	int personality;
	int group;     /* forward to the child's process group */
	int setsid;    /* the child gets a session of its own */
	int subreaper; /* asked for explicitly */
	int pause, restart, help, version, license;
	int warn_reap; /* tini -w */
	int verbosity; /* 0 quiet, 1 default, 2 and 3 more */
	int pdeathsig, stop_signal;
	long stop_ms;             /* -t, or OPTS_STOP_MS */
	long drain_ms;            /* --drain-timeout */
	unsigned char sigmap[65]; /* signal n is forwarded as sigmap[n]; 0 drops it */
	unsigned char remap[32];  /* bit n set: exit code n becomes 0 */
	unsigned rewrote;         /* bit n set: -r gave signal n (below 32) its own */

	/* Live reload: --reload roots first, then -w roots, nwatch in all,
	 * so that a directory under both is the -w root's (the watcher's
	 * last walk of a directory names its root). */
	const char *watch[OPTS_MAX_LIST];
	int nwatch, nreload;
	int reload_signal;
	struct opts_str ignore[OPTS_MAX_LIST];
	int nignore;
	const char *ignore_file, *exts, *trigger;
	int no_default_ignores, postpone, on_exit;
	long debounce_ms, debounce_max_ms, poll_ms;
	const char *shell; /* as watchexec: runs the command's words with -c */

	/* Why opts_parse failed: strings that make one line when joined. */
	const char *why[8];

	size_t used;
	/* Last: an idle init touches only what it used of it. */
	char pool[OPTS_POOL]; /* NUL-terminated copies of parts of variables */
};

/* Reads argv (argv[0] picks the personality) and envp into o. Returns 0, or
 * -1 with the reason in o->why (the caller prints it and exits 2). */
int opts_parse(struct opts *o, int argc, char **argv, char *const *envp);

/* The exit code reinit reports for the child's code, after --remap-exit. */
int opts_exit_code(const struct opts *o, int code);

/* Parses a duration: "500ms", "10s", "2m", "1h" or plain seconds. Returns
 * milliseconds, or -1. */
long opts_duration(const char *s, size_t len);

#endif
