/* wi.h: what the parts of the watcher share (internal to watch/). */
#ifndef REINIT_WI_H
#define REINIT_WI_H

#include <limits.h>
#include <sys/inotify.h>
#include <sys/types.h>
#include <time.h>

#include "proc/clock.h"
#include "watch/changed.h"
#include "watch/debounce.h"
#include "watch/dirtab.h"
#include "watch/watch.h"
#include "watch/writers.h"

/* Directories only. A file being written (IN_CREATE, IN_MODIFY) is no
 * change yet: its IN_CLOSE_WRITE is, and until then it holds the restart. */
#define TREE_MASK                                                                                  \
	(IN_CLOSE_WRITE | IN_CREATE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE |        \
	 IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
/* The directory of the trigger file, of a watch root that went away, or of
 * a root given as a link (its removal too): added to whatever mask the
 * directory already has. */
#define SENTINEL_MASK                                                                              \
	(IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB |       \
	 IN_MOVE_SELF | IN_ONLYDIR | IN_MASK_ADD)

#define MAX_ROOTS        64
#define RETRY_MS         1000
#define POLL_FALLBACK_MS 1000
/* How long files being written hold a due restart, at most: far more than
 * copying a large binary takes, short enough that a file left open (a log)
 * or a writer that never stops delays a restart only this much. */
#define WRITING_MAX_MS 2000
#define DIR_FLAGS      (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* Why inotify cannot do the job, for wi_fall_back(). */
enum wi_lack {
	WI_NO_WATCHES,   /* max_user_watches reached */
	WI_NO_INSTANCES, /* max_user_instances reached */
};

/* A watch root (roots.c writes it): where the path given leads now. */
struct watch_root {
	const char *arg;  /* as given */
	const char *name; /* its last component, as a sentinel sees it */
	const char *path; /* the directory watched: arg, or where it leads */
	const char *only; /* a file root: the one name that counts, or NULL */
	dev_t dev; /* the directory watched, when it was last looked at */
	ino_t ino;
	int sentinel; /* a watch on arg's parent (lost, or a link), or -1 */
	unsigned char lost, link;
};

/*
 * struct watch is one part per concern, each written by one file only; the
 * others read it, or ask its file through a function below. So a part's
 * fields mean what its file says, whoever calls in.
 */

/* watch.c: the changes noted, and when they and a retry are due. */
struct wi_changes {
	msec now;      /* the time of the call into the watcher */
	msec retry_at; /* a look for lost roots and the trigger, or NEVER */
	struct debounce db;
	unsigned noted; /* changes noted, named or not */
	int restart;    /* one of them was under a root that restarts */
};

/* events.c: inotify and the directories it watches. */
struct wi_inotify {
	int fd;        /* -1 while polling */
	unsigned mask; /* TREE_MASK, less IN_MODIFY with a trigger */
	int rescan;    /* events were lost: walk every root again */
	struct dirtab dirs;
};

/* walk.c: one walk at a time, its levels, names to visit and path. */
struct wi_walk {
	struct dirtab_vec frames, pend;
	unsigned ndirs;            /* directories walked since wi_walk_begin() */
	unsigned moves;            /* fchdir() calls made by the walk under way */
	unsigned long long sum;    /* polling: over every entry walked */
	unsigned char warned_long; /* said once: paths past PATH_MAX */
	unsigned char stale;       /* the tree moved under a walk */
	/* The walk under way: its top's parent (-1 for a root), its root,
	 * and whether what it finds is a change. */
	int parent, root, report;
	/* The path below the root of the directory being visited, then '/'
	 * and the entry's name: only walk.c writes it. */
	char path[PATH_MAX + NAME_MAX + 2];
};

/* poll.c: without inotify. */
struct wi_poll {
	long every;     /* ms; 0 when not polling */
	msec next; /* the next look, when every > 0 */
	struct timespec since;
};

/* roots.c */
struct wi_roots {
	struct watch_root r[MAX_ROOTS];
};

/* trigger.c */
struct wi_trigger {
	int wd;           /* its directory's watch, or -1 */
	const char *name; /* its file name */
	struct timespec stamp;
};

struct watch {
	struct watch_cfg c; /* watch.c, at start-up only */
	struct wi_inotify in;
	struct wi_changes ch;
	struct wi_poll poll;
	struct wi_trigger trig;
	struct wi_walk wk;
	struct wi_roots roots;
	/* The two large tables, last so that the small fields above are a
	 * short offset from w in the code that uses them. */
	struct writers writing; /* events.c: files being written */
	struct changed changed; /* watch.c: the changed paths */
};

/* watch.c */
void wi_say(struct watch *w, int level, const char *a, const char *b, const char *c, const char *d);
const char *wi_why(int err);
/* r: the root the change is under, -1 when that is not known, or
 * WI_TRIGGER (past every root: a restart). */
#define WI_TRIGGER MAX_ROOTS
void wi_note(struct watch *w, int r, const char *path);
void wi_note_file(struct watch *w, int r, const char *rel, const char *name);
int wi_counts(const struct watch *w, const char *name);
void wi_note_dir(struct watch *w, int r, const char *rel);
int wi_ext_ok(const struct watch *w, const char *name);
size_t wi_join(char *path, size_t len, const char *name, size_t l);
int wi_ignored(const struct watch *w, int r, const char *rel, int is_dir);
void wi_retry_later(struct watch *w);

/* walk.c */
void wi_walk_begin(struct watch *w);
int wi_walk(struct watch *w, int fd, const char *rel, int parent, int root, int report);
int wi_open_rel(const struct watch *w, int r, char *rel, size_t len);

/* events.c */
int wi_build(struct watch *w);
void wi_inotify_init(struct watch *w);
void wi_fall_back(struct watch *w, enum wi_lack why);
int wi_add_watch(struct watch *w, const char *path, unsigned mask);
void wi_rm_watch(void *w, int wd);
int wi_dir_add(struct watch *w, int wd, int parent, const char *name, int root);
void wi_unwatch_root(struct watch *w, int r);
void wi_events_read(struct watch *w);

/* poll.c */
void wi_poll_start(struct watch *w, long every);
void wi_poll_scan(struct watch *w, int report);

/* roots.c */
int wi_roots_init(struct watch *w);
void wi_roots_forget(struct watch *w);
int wi_root_add(struct watch *w, int r, int report);
void wi_root_lost(struct watch *w, int r, const char *why);
void wi_root_gone(struct watch *w, int r, unsigned mask);
void wi_roots_check(struct watch *w);
void wi_roots_event(struct watch *w, const struct inotify_event *ev);
void wi_roots_retry(struct watch *w);

/* trigger.c */
void wi_trigger_init(struct watch *w);
int wi_trigger_watch(struct watch *w);
int wi_watch_parent(struct watch *w, const char *path, const char *name, unsigned more);
void wi_trigger_event(struct watch *w, const struct inotify_event *ev);
void wi_trigger_retry(struct watch *w);
void wi_trigger_poll(struct watch *w, int report);

#endif
