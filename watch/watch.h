/* watch.h: notice file changes under the watched trees, with inotify or by
 * polling, and say when the child is due for a restart. */
#ifndef REINIT_WATCH_H
#define REINIT_WATCH_H

#include "proc/clock.h"
#include "watch/match.h"

struct watch_cfg {
	/* Directories watched recursively, or files; the first nreload of
	 * them reload instead of restarting. */
	const char *const *roots;
	int nroots, nreload;
	const struct match_set *ignores; /* paths never watched nor counted */
	const char *exts;                /* "go,html": only these files count */
	const char *trigger;             /* only this file counts */
	long debounce_ms, debounce_max_ms;
	long poll_ms; /* > 0: poll at this interval instead of using inotify */
	/* Tells the user what happened: parts up to a NULL make one line. */
	void (*log)(int level, const char *const *parts);
};

struct watch;

/* Watches everything; NULL (after logging why) when that cannot start. */
struct watch *watch_open(const struct watch_cfg *c);

/* The inotify descriptor to poll, or -1 while polling. */
int watch_fd(const struct watch *w);

/* When watch_tick wants to run next (ms on the monotonic clock), or NEVER
 * (LLONG_MAX, proc/clock.h) when nothing is due. */
msec watch_due(const struct watch *w);

/* Reads every pending inotify event. */
void watch_read(struct watch *w, msec now);

/* Polls when that is due; 1 when the changes so far are due a restart. */
int watch_tick(struct watch *w, msec now);

/* 1 when every change pending is under a --reload root. */
int watch_reloads(const struct watch *w);

/* The mount table changed: each root is looked at again. */
void watch_mounts(struct watch *w, msec now);

/* "3 changes: main.go, a/b.go, c.go" for the restart line. */
const char *watch_summary(struct watch *w);

/* "REINIT_CHANGED=main.go\na/b.go" for the next child. */
const char *watch_changed_env(struct watch *w);

/* 1 when changes are pending that have not come due yet; with take, they
 * are taken as due now (the caller restarts for them). */
int watch_flush(struct watch *w, int take);

/* A child was started, or told to reload: it has seen every change so
 * far, and none is pending. */
void watch_spawned(struct watch *w);

/* For reinit status: root i (NULL past the last), "watch: " or "reload: ",
 * and its state in words;
 * the inotify watches in use, or -1 while polling. */
const char *watch_root(const struct watch *w, int i, const char **kind, const char **state);
long watch_count(const struct watch *w);

/* Adds the default ignores: VCS directories and editors' droppings. */
int watch_default_ignores(struct match_set *m);

#endif
