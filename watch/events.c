/* events.c: inotify events, read in batches, turned into changes and into
 * watches on new directories. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "proc/num.h"
#include "proc/sys.h"
#include "watch/wi.h"

/* A watch on path (a name in the walk's working directory, else the
 * trigger's or a lost root's directory). wd or -errno. */
int
wi_add_watch(struct watch *w, const char *path, unsigned mask)
{
	return sys_inotify_add_watch(w->in.fd, path, mask);
}

void
wi_rm_watch(void *w, int wd)
{
	sys_inotify_rm_watch(((struct watch *)w)->in.fd, wd);
}

/* The walk put watch wd on a directory: its node in the table. */
int
wi_dir_add(struct watch *w, int wd, int parent, const char *name, int root)
{
	return dirtab_add(&w->in.dirs, wd, parent, name, root);
}

/* Root r is lost, or only half there: nothing of it stays watched. */
void
wi_unwatch_root(struct watch *w, int r)
{
	dirtab_drop(&w->in.dirs, 0, r, wi_rm_watch, w);
}

static unsigned
read_limit(const char *path)
{
	char buf[24];
	unsigned v = 0;
	ssize_t n, i;
	int fd = sys_open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = sys_read(fd, buf, sizeof(buf));
	sys_close(fd);
	for (i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		v = v * 10 + (unsigned)(buf[i] - '0');
	return v;
}

static const char *
num(char *buf, unsigned long n)
{
	return num_dec(buf + 23, n);
}

/* At start-up: no inotify descriptor yet (0 would be one). */
void
wi_inotify_init(struct watch *w)
{
	w->in.fd = -1;
}

/* Closes the inotify descriptor, and with it every watch: no directory,
 * root sentinel or file being written is watched any more (a new watch
 * may reuse a number). */
static void
forget(struct watch *w)
{
	if (w->in.fd >= 0)
		sys_close(w->in.fd);
	w->in.fd = -1;
	dirtab_clear(&w->in.dirs);
	w->writing.n = 0;
	wi_roots_forget(w);
}

/* inotify cannot do the job: say why (and which limit to raise), then poll
 * instead of giving up. */
void
wi_fall_back(struct watch *w, enum wi_lack why)
{
	char a[24], b[24], c[24];
	unsigned need = w->wk.ndirs * 2 > 524288 ? w->wk.ndirs * 2 : 524288;

	forget(w); /* polling sees no writes */
	wi_poll_start(w, POLL_FALLBACK_MS);
	if (why == WI_NO_INSTANCES) {
		const char *m[8] = {
			"inotify instance limit reached (",
			num(a, read_limit("/proc/sys/user/max_inotify_instances")),
			"): raise it on the node with sysctl -w "
			"fs.inotify.max_user_instances=1024; polling every 1s meanwhile",
			0};

		w->c.log(1, m);
	} else {
		const char *m[8] = {
			"inotify watch limit reached (",
			num(a, read_limit("/proc/sys/user/max_inotify_watches")),
			"; the watched trees need ",
			num(b, w->wk.ndirs),
			"): raise it on the node with sysctl -w fs.inotify.max_user_watches=",
			num(c, need),
			"; polling every 1s meanwhile",
			0};

		w->c.log(1, m);
	}
}

/* Watches every root from scratch: at start, and after the queue
 * overflowed and events were lost. A root that cannot be watched is
 * waited for. 0 or -errno. */
int
wi_build(struct watch *w)
{
	int r, e;

	forget(w);
	wi_walk_begin(w);
	/* Only the trigger counts: writes elsewhere need not wake reinit. */
	w->in.mask = w->c.trigger ? TREE_MASK & ~IN_MODIFY : TREE_MASK;
	/* Its events raise SIGIO: reinit waits for signals alone. */
	if ((w->in.fd = sys_inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) >= 0 &&
	    (e = sys_async(w->in.fd)) < 0) {
		sys_close(w->in.fd);
		w->in.fd = e;
	}
	if (w->in.fd < 0) {
		e = w->in.fd;
		if (e == -EMFILE)
			wi_fall_back(w, WI_NO_INSTANCES);
		return e;
	}
	for (r = 0; r < w->c.nroots; r++)
		if ((e = wi_root_add(w, r, 0)) == -ENOSPC) {
			wi_fall_back(w, WI_NO_WATCHES);
			return e;
		} else if (e < 0) {
			wi_root_lost(w, r, wi_why(-e));
		}
	/* Sentinels for roots given as links. */
	wi_roots_retry(w);
	return w->c.trigger ? wi_trigger_watch(w) : 0;
}

/* A directory appeared at path, len bytes long (below root r, in the
 * directory whose wd is parent): watch it and what is in it, all new. */
static void
new_dir(struct watch *w, int r, int parent, char *path, size_t len)
{
	int fd = wi_open_rel(w, r, path, len);

	if (fd >= 0 && wi_walk(w, fd, path, parent, r, 1) == -ENOSPC)
		wi_fall_back(w, WI_NO_WATCHES);
}

/* A new regular file is still being written: its IN_CLOSE_WRITE counts.
 * Links and special files count now. dir is its directory's path, dlen
 * bytes long. */
static int
counts_now(struct watch *w, int r, char *dir, size_t dlen, const char *name)
{
	struct stat st;
	int fd = wi_open_rel(w, r, dir, dlen), ok;

	ok = fd >= 0 && sys_stat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	     (!S_ISREG(st.st_mode) || st.st_nlink > 1);
	if (fd >= 0)
		sys_close(fd);
	return ok;
}

/* The watched directory n itself went, or moved. */
static void
dir_gone(struct watch *w, struct dir_node *n, unsigned mask)
{
	if (n->parent < 0) {
		wi_root_gone(w, n->root, mask);
	} else if (mask & IN_IGNORED) {
		dirtab_del(&w->in.dirs, n);
	} else if (mask & IN_MOVE_SELF && n->moved) {
		n->moved = 0; /* moved within the tree, and watched there */
	} else if (mask & IN_MOVE_SELF) {
		/* Moved out of the tree: nothing there is watched. */
		dirtab_drop(&w->in.dirs, n, 0, wi_rm_watch, w);
	}
}

/* Something happened to ev->name in the watched directory n. */
static void
named(struct watch *w, const struct dir_node *n, const struct inotify_event *ev)
{
	/* The event's path below its root, built here and only here. */
	char path[PATH_MAX];
	size_t l = strlen(ev->name), len;
	long dlen;
	int r = n->root, wd = n->wd, dir = !!(ev->mask & IN_ISDIR);

	if ((dlen = dirtab_path(&w->in.dirs, n, path, sizeof(path) - l - 1)) < 0)
		return;
	len = wi_join(path, (size_t)dlen, ev->name, l);
	if (wi_ignored(w, r, path, dir))
		return;
	if (dir) {
		wi_note_dir(w, r, path);
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			new_dir(w, r, wd, path, len);
		return;
	}
	if (ev->mask & IN_MODIFY ||
	    (ev->mask & IN_CREATE && !counts_now(w, r, path, (size_t)dlen, ev->name))) {
		if (wi_counts(w, ev->name))
			writers_note(&w->writing, wd, ev->name, w->ch.now);
		return;
	}
	writers_note(&w->writing, wd, ev->name, WRITERS_DONE);
	wi_note_file(w, r, path, ev->name);
}

static void
event(struct watch *w, const struct inotify_event *ev)
{
	struct dir_node *n;

	if (ev->mask & IN_Q_OVERFLOW) {
		/* Events were lost: something changed, and only a fresh look
		 * tells which directories exist now. */
		wi_say(w, 1, "inotify queue overflowed: rescanning the watched trees", 0, 0, 0);
		wi_note(w, -1, 0);
		w->in.rescan = 1;
		return;
	}
	wi_trigger_event(w, ev);
	wi_roots_event(w, ev);
	if (!(n = dirtab_find(&w->in.dirs, ev->wd)))
		return;
	if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))
		dir_gone(w, n, ev->mask);
	else if (ev->len)
		named(w, n, ev);
}

/* Reads every pending event; walks every root again when events were
 * lost, or a walk found the tree moved under it. */
void
wi_events_read(struct watch *w)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n, off;

	while (w->in.fd >= 0 && (n = sys_read(w->in.fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n && w->in.fd >= 0;) {
			const struct inotify_event *ev = (const struct inotify_event *)(buf + off);

			off += (ssize_t)(sizeof(*ev) + ev->len);
			event(w, ev);
		}
	if ((w->in.rescan || w->wk.stale) && w->in.fd >= 0) {
		w->in.rescan = 0;
		wi_build(w);
	}
	dirtab_tidy(&w->in.dirs);
}
