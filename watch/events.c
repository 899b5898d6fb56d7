/* events.c: inotify events, read in batches, turned into changes and into
 * watches on new directories. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "proc/sys.h"
#include "watch/wi.h"

int
wi_add_watch(struct watch *w, const char *path, unsigned mask)
{
	return (int)syscall(SYS_inotify_add_watch, w->fd, path, mask);
}

void
wi_rm_watch(void *w, int wd)
{
	syscall(SYS_inotify_rm_watch, ((struct watch *)w)->fd, wd);
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
	return changed_num(buf + 23, n);
}

/* Closes the inotify descriptor, and with it every watch: no directory,
 * root sentinel or file being written is watched any more (a new watch
 * may reuse a number). */
static void
forget(struct watch *w)
{
	int r;

	if (w->fd >= 0)
		sys_close(w->fd);
	w->fd = -1;
	dirtab_clear(&w->dirs);
	w->writing.n = 0;
	for (r = 0; r < w->c.nroots; r++) {
		w->root[r].lost = 0;
		w->root[r].sentinel = -1;
	}
}

#define RAISE "): raise it on the node with sysctl -w fs.inotify.max_user_"

/* inotify cannot do the job (out of watches or instances): say which limit
 * to raise, then poll instead of giving up. */
void
wi_fall_back(struct watch *w, int instances)
{
	char a[24], b[24], c[24];

	forget(w); /* polling sees no writes */
	w->c.poll_ms = POLL_FALLBACK_MS;
	wi_poll_scan(w, 0);
	if (instances) {
		const char *m[8] = {
			"inotify instance limit reached (",
			num(a, read_limit("/proc/sys/user/max_inotify_instances")),
			RAISE,
			"instances=1024; polling every 1s meanwhile",
			0};

		w->c.log(1, m);
	} else {
		/* Eight parts, as many as a line takes: m[8] ends them. */
		const char *m[9] = {
			"inotify watch limit reached (",
			num(a, read_limit("/proc/sys/user/max_inotify_watches")),
			"; the watched trees need ",
			num(b, w->ndirs),
			RAISE,
			"watches=",
			num(c, w->ndirs * 2 > 524288 ? w->ndirs * 2 : 524288),
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
	w->ndirs = 0;
	if ((w->fd = (int)syscall(SYS_inotify_init1, IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		e = errno;
		if (e == EMFILE)
			wi_fall_back(w, 1);
		return -e;
	}
	for (r = 0; r < w->c.nroots; r++)
		if ((e = wi_root_add(w, r, 0)) == -ENOSPC) {
			wi_fall_back(w, 0);
			return e;
		} else if (e < 0) {
			wi_root_lost(w, r, wi_why(-e));
		}
	return w->c.trigger ? wi_trigger_watch(w) : 0;
}

/* A directory appeared at w->path (below root r, in the directory whose
 * wd is parent): watch it and what is in it, all of it new. */
static void
new_dir(struct watch *w, int r, int parent, size_t len, size_t l)
{
	int fd = wi_open_rel(w, r, len);

	if (fd >= 0 && wi_walk(w, fd, len, w->path + len - l, parent, r, 1) == -ENOSPC)
		wi_fall_back(w, 0);
}

/* A new regular file is still being written: its IN_CLOSE_WRITE counts.
 * Links and special files count now. */
static int
counts_now(struct watch *w, int r, size_t len, size_t l)
{
	struct stat st;
	/* The directory's path ends before the '/' and the name. */
	int fd = wi_open_rel(w, r, len - l - (len > l)), ok;

	ok = fd >= 0 && sys_stat(fd, w->path + len - l, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	     (!S_ISREG(st.st_mode) || st.st_nlink > 1);
	if (fd >= 0)
		sys_close(fd);
	return ok;
}

static void
event(struct watch *w, const struct inotify_event *ev)
{
	struct dir_node *n;
	long len;
	size_t l;
	int r, wd, dir = !!(ev->mask & IN_ISDIR);

	if (ev->mask & IN_Q_OVERFLOW) {
		/* Events were lost: something changed, and only a fresh look
		 * tells which directories exist now. */
		wi_say(w, 1, "inotify queue overflowed: rescanning the watched trees", 0, 0, 0);
		wi_note(w, 0);
		w->rescan = 1;
		return;
	}
	wi_trigger_event(w, ev);
	wi_roots_event(w, ev);
	if (!(n = dirtab_find(&w->dirs, ev->wd)))
		return;
	r = n->root;
	if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
		if (n->parent < 0) {
			wi_note_dir(w, 0);
			wi_root_lost(w, r,
				     ev->mask & IN_MOVE_SELF ? "' was moved away"
							     : "' was deleted");
		} else if (ev->mask & IN_IGNORED) {
			dirtab_del(&w->dirs, n);
		} else if (ev->mask & IN_MOVE_SELF && n->moved) {
			n->moved = 0; /* moved within the tree, and watched there */
		} else if (ev->mask & IN_MOVE_SELF) {
			/* Moved out of the tree: nothing there is watched. */
			dirtab_drop(&w->dirs, n, 0, wi_rm_watch, w);
		}
		return;
	}
	if (!ev->len)
		return;
	wd = n->wd;
	l = strlen(ev->name);
	if ((len = dirtab_path(&w->dirs, n, w->path, PATH_MAX - l - 1)) < 0)
		return;
	len = (long)wi_join(w, (size_t)len, ev->name, l);
	if (wi_ignored(w, w->path, dir))
		return;
	if (dir) {
		wi_note_dir(w, w->path);
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			new_dir(w, r, wd, (size_t)len, l);
		return;
	}
	if (ev->mask & IN_MODIFY || (ev->mask & IN_CREATE && !counts_now(w, r, (size_t)len, l))) {
		if (wi_counts(w, ev->name))
			writers_note(&w->writing, wd, ev->name, w->now);
		return;
	}
	writers_note(&w->writing, wd, ev->name, WRITERS_DONE);
	wi_note_file(w, w->path, ev->name);
}

void
watch_read(struct watch *w, long long now)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n, off;

	w->now = now;
	while (w->fd >= 0 && (n = sys_read(w->fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n && w->fd >= 0;) {
			const struct inotify_event *ev = (const struct inotify_event *)(buf + off);

			off += (ssize_t)(sizeof(*ev) + ev->len);
			event(w, ev);
		}
	if (w->rescan && w->fd >= 0) {
		w->rescan = 0;
		wi_build(w);
	}
	dirtab_tidy(&w->dirs);
}
