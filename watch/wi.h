/* wi.h: what the parts of the watcher share (internal to watch/). */
#ifndef REINIT_WI_H
#define REINIT_WI_H

#include <limits.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

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
/* The directory of the trigger file, or of a watch root that went away:
 * added to whatever mask the directory already has. */
#define SENTINEL_MASK                                                                              \
	(IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_ATTRIB | IN_MOVE_SELF | IN_ONLYDIR |        \
	 IN_MASK_ADD)

#define MAX_ROOTS        64
#define RETRY_MS         1000
#define POLL_FALLBACK_MS 1000
/* How long files being written hold a due restart, at most: far more than
 * copying a large binary takes, short enough that a file left open (a log)
 * or a writer that never stops delays a restart only this much. */
#define WRITING_MAX_MS   2000
#define DIR_FLAGS        (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

struct watch_root {
	const char *path; /* resolved once at start-up when it was a link */
	const char *name; /* its last component, as the sentinel sees it */
	int sentinel;     /* a watch on the parent while lost, or -1 */
	unsigned char lost;
};

struct watch {
	struct watch_cfg c;
	int fd;  /* inotify; -1 while polling */
	int cwd; /* where reinit runs: a walk goes back to it */
	int at;  /* the walk's level whose directory is the working one, or -1 */
	struct dirtab dirs;
	struct dirtab_vec frames, pend; /* the walk's levels and names to visit */
	struct dirtab_vec rpool;        /* roots given as links, resolved */
	struct debounce db;
	long long now, next_poll, retry_at;
	int rescan;
	unsigned char warned_long;
	struct watch_root root[MAX_ROOTS];
	int trig_wd;
	const char *trig_name;
	struct timespec trig_stamp;
	/* Polling: a sum over every entry's identity and times. */
	unsigned long long sum;
	struct timespec since;
	unsigned ndirs, noted;
	struct changed changed;
	struct writers writing;
	unsigned mask; /* TREE_MASK, less IN_MODIFY with a trigger */
	/* A path below a root, built afresh by each user: what follows the
	 * part a walk or an event is at is scratch. */
	char path[PATH_MAX + NAME_MAX + 2];
};

/* watch.c */
void wi_say(struct watch *w, int level, const char *a, const char *b, const char *c, const char *d);
const char *wi_why(int err);
void wi_note(struct watch *w, const char *path);
void wi_note_file(struct watch *w, const char *rel, const char *name);
int wi_counts(const struct watch *w, const char *name);
void wi_note_dir(struct watch *w, const char *rel);
int wi_ext_ok(const struct watch *w, const char *name);
size_t wi_join(struct watch *w, size_t rel, const char *name, size_t l);
int wi_ignored(const struct watch *w, const char *rel, int is_dir);
void wi_retry_later(struct watch *w);

/* walk.c */
int wi_walk(struct watch *w, int fd, size_t rel, const char *name, int parent, int root,
	    int report);
int wi_open_rel(struct watch *w, int r, size_t len);

/* events.c */
int wi_build(struct watch *w);
void wi_fall_back(struct watch *w, int instances);
void wi_rm_watch(void *w, int wd);
int wi_add_watch(struct watch *w, const char *path, unsigned mask);

/* poll.c */
void wi_poll_scan(struct watch *w, int report);

/* roots.c */
int wi_roots_init(struct watch *w);
int wi_root_add(struct watch *w, int r, int report);
void wi_root_lost(struct watch *w, int r, const char *why);
void wi_roots_event(struct watch *w, const struct inotify_event *ev);
void wi_roots_retry(struct watch *w);

/* trigger.c */
int wi_trigger_watch(struct watch *w);
int wi_watch_parent(struct watch *w, const char *path, const char *name);
void wi_trigger_event(struct watch *w, const struct inotify_event *ev);
void wi_trigger_retry(struct watch *w);
void wi_trigger_poll(struct watch *w, int report);

#endif
