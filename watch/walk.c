/* walk.c: goes through a directory tree by directory descriptors, each one
 * opened relative to its parent without following symbolic links, so a
 * directory swapped for a link cannot lead the walk outside the tree. Each
 * walk runs in a child of its own (see wi_walk), free to change its
 * working directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "proc/spawn.h"
#include "proc/sys.h"
#include "watch/wi.h"

/* Levels whose descriptors stay open; a deeper walk finds its way back up
 * through "..", checked against the inode it left. */
#define KEEP_FDS 32

/* One directory being visited: its names still to visit are in w->pend
 * from next on, up to where its first child's begin; its path is
 * w->wk.path[0, rel). */
struct frame {
	int fd, wd;
	unsigned at; /* the fchdir() that took the walk here (see go_to), or 0 */
	size_t start, next, rel;
	dev_t dev;
	ino_t ino;
} __attribute__((aligned(64))); /* a power of two: NFRAMES is a shift */

#define FRAMES(k)  ((struct frame *)(k)->frames.p)
#define NFRAMES(k) ((k)->frames.len / sizeof(struct frame))

static int
is_dir_entry(int dirfd, const struct dirent *d)
{
	struct stat st;

	if (d->d_type != DT_UNKNOWN)
		return d->d_type == DT_DIR;
	return sys_stat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* 64-bit FNV-1a over the bytes of s, then over the numbers a whole word
 * at a time: a fingerprint of one entry. Each step is one-to-one, so a
 * change in any of them changes the fingerprint. */
static unsigned long long
fingerprint(const char *s, const struct stat *st)
{
	const unsigned long long p = 1099511628211ULL;
	unsigned long long h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * p;
	h = (h ^ (unsigned long long)st->st_ino) * p;
	h = (h ^ (unsigned long long)st->st_size) * p;
	h = (h ^ (unsigned long long)st->st_mtim.tv_sec) * p;
	h = (h ^ (unsigned long long)st->st_mtim.tv_nsec) * p;
	h = (h ^ (unsigned long long)st->st_ctim.tv_sec) * p;
	h = (h ^ (unsigned long long)st->st_ctim.tv_nsec) * p;
	return h;
}

static int
newer(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}

/* Polling: sums the entry and says whether it changed since the last look. */
static int
poll_entry(struct watch *w, const char *name, const struct stat *st, int dir, int report)
{
	/* With --exts a directory's times move with files that do not count:
	 * leave them out. */
	if (dir ? w->c.exts != 0 : !wi_ext_ok(w, name))
		return 0;
	w->wk.sum += fingerprint(w->wk.path, st);
	return report &&
	       (newer(&st->st_mtim, &w->poll.since) || newer(&st->st_ctim, &w->poll.since));
}

/* An error from inotify_add_watch() as the walk returns it. */
static int
add_error(int e)
{
	return e == -ENOSPC || e == -ENOMEM ? -ENOSPC : e;
}

/* Makes f's directory the working directory, unless the walk's last
 * fchdir() took it there already: k->moves counts them, and f->at is the
 * one that went to f, so one fchdir() serves all of f's subdirectories.
 * This is the walk's own process, never PID 1 (see wi_walk). 0 or -errno:
 * -EACCES when f cannot be searched. */
static int
go_to(struct wi_walk *k, struct frame *f)
{
	int e;

	if (f->at && f->at == k->moves)
		return 0;
	if ((e = sys_fchdir(f->fd)) < 0)
		return e;
	f->at = ++k->moves;
	return 0;
}

/* Watches name in f's directory by that name from inside it, never through
 * a link (IN_DONT_FOLLOW): the kernel looks it up in the very directory the
 * walk holds open, not along a path that may have changed. wd or -errno. */
static int
watch_at(struct watch *w, struct frame *f, const char *name)
{
	int e = go_to(&w->wk, f);

	return add_error(e < 0 ? e : wi_add_watch(w, name, w->in.mask));
}

/* An entry of the directory at the top of the walk: a change with report
 * (or, polling, when newer than the last look), and a directory to visit
 * goes into w->wk.pend. */
static void
entry(struct watch *w, const struct frame *f, const struct dirent *d)
{
	struct wi_walk *k = &w->wk;
	size_t l = strlen(d->d_name);
	struct stat st;
	int dir, changed = k->report, polling = w->in.fd < 0;

	if (d->d_name[0] == '.' && (!d->d_name[1] || (d->d_name[1] == '.' && !d->d_name[2])))
		return;
	/* The path, a '/', the name and a NUL. At the top (rel 0) there is
	 * no '/', but a name (NAME_MAX at most) fits there anyway. */
	if (f->rel + 1 + l + 1 > PATH_MAX) {
		if (!k->warned_long)
			wi_say(w, 1, "paths longer than 4 KiB below '", w->roots.r[k->root].path,
			       "' are not watched", 0);
		k->warned_long = 1;
		return;
	}
	if (polling && sys_stat(f->fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	wi_join(k->path, f->rel, d->d_name, l);
	dir = polling ? S_ISDIR(st.st_mode) : is_dir_entry(f->fd, d);
	if (wi_ignored(w, k->root, k->path, dir))
		return;
	if (polling)
		changed = poll_entry(w, d->d_name, &st, dir, k->report);
	if (changed && dir)
		wi_note_dir(w, k->root, k->path);
	else if (changed)
		wi_note_file(w, k->root, k->path, d->d_name);
	if (dir && dirtab_reserve(&k->pend, l + 1) == 0) {
		memcpy(k->pend.p + k->pend.len, d->d_name, l + 1);
		k->pend.len += l + 1;
	}
}

/* Visits the directory open as fd (taken over), whose path is w->wk.path
 * [0, rel), whose last component is name and whose watch is wd: at the
 * top of a walk (wd -1) the watch is put on "." in it, the directory
 * itself. Its entries are listed; 0, or -errno (-ENOSPC for want of
 * watches or memory) and the descriptor is closed. */
static int
enter(struct watch *w, int fd, int wd, size_t rel, const char *name)
{
	struct wi_walk *k = &w->wk;
	struct frame *f;
	char buf[2048];
	long n, off;
	int parent = NFRAMES(k) ? FRAMES(k)[NFRAMES(k) - 1].wd : k->parent;

	if (dirtab_reserve(&k->frames, sizeof(*f)) < 0) {
		sys_close(fd);
		return -ENOSPC;
	}
	f = FRAMES(k) + NFRAMES(k);
	k->frames.len += sizeof(*f);
	f->fd = fd;
	f->at = 0;
	f->rel = rel;
	f->start = f->next = k->pend.len;
	if (w->in.fd >= 0) {
		if (wd < 0)
			wd = watch_at(w, f, ".");
		if (wd < 0 || wi_dir_add(w, wd, parent, name, k->root) < 0) {
			k->frames.len -= sizeof(*f);
			sys_close(fd);
			return wd < 0 ? wd : -ENOSPC;
		}
	}
	f->wd = wd;
	k->ndirs++;
	while ((n = sys_getdents64(fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n; off += ((struct dirent *)(buf + off))->d_reclen)
			entry(w, f, (struct dirent *)(buf + off));
	return 0;
}

/* Leaves the top level for its parent's; -ESTALE when the way back up no
 * longer leads where the walk came from. */
static int
leave(struct watch *w)
{
	struct wi_walk *k = &w->wk;
	struct frame *f = FRAMES(k) + NFRAMES(k) - 1, *p = f - 1;
	struct stat st;
	int r = 0;

	k->pend.len = f->start;
	k->frames.len -= sizeof(*f);
	if (NFRAMES(k) && p->fd < 0) {
		p->fd = sys_openat(f->fd, "..", DIR_FLAGS);
		if (p->fd < 0 || sys_stat(p->fd, "", &st, AT_EMPTY_PATH) < 0 ||
		    st.st_dev != p->dev || st.st_ino != p->ino)
			r = -ESTALE;
	}
	sys_close(f->fd);
	return r;
}

/* Deep down, the parent of the top level lets go of its descriptor, to be
 * found again through "..". */
static void
let_go(struct wi_walk *k)
{
	struct frame *f = FRAMES(k) + NFRAMES(k) - 2;
	struct stat st;

	if (sys_stat(f->fd, "", &st, AT_EMPTY_PATH) == 0) {
		f->dev = st.st_dev;
		f->ino = st.st_ino;
		sys_close(f->fd);
		f->fd = -1;
	}
}

/* The directory f cannot be searched, only listed: nothing below it can
 * be watched. Said once, and the walk goes on with the rest. */
static void
unsearchable(struct watch *w, struct frame *f)
{
	w->wk.path[f->rel] = 0;
	wi_say(w, 1, "cannot watch inside '", w->wk.path,
	       "' (below a watch root): permission denied", 0);
	f->next = w->wk.pend.len;
}

/* Visits the next name of f, the top level: its watch, then the directory
 * opened by the same name, neither through a link, so both stay inside
 * the tree. 0, or -ENOSPC. */
static int
visit(struct watch *w, struct frame *f)
{
	struct wi_walk *k = &w->wk;
	const char *s = k->pend.p + f->next;
	size_t l = strlen(s), rel;
	int cfd, r, wd = -1;

	f->next += l + 1;
	rel = wi_join(k->path, f->rel, s, l);
	/* fchdir() needs search permission: without it f could be listed,
	 * and no name in it can be looked up. */
	if (w->in.fd >= 0 && go_to(k, f) < 0) {
		unsearchable(w, f);
		return 0;
	}
	if (w->in.fd >= 0 && (wd = watch_at(w, f, s)) < 0) {
		cfd = wd;
		wd = -1;
	} else {
		cfd = sys_openat(f->fd, s, DIR_FLAGS);
	}
	if (cfd < 0) {
		/* Gone already, or a link now: its parent's events tell.
		 * Unreadable: say so. */
		if (cfd == -EACCES)
			wi_say(w, 1, "cannot watch '", k->path,
			       "' (below a watch root): permission denied", 0);
		if (wd >= 0 && !dirtab_find(&w->in.dirs, wd))
			wi_rm_watch(w, wd);
		return cfd == -ENOSPC ? cfd : 0;
	}
	/* Below the top, enter() fails only for want of memory. */
	r = enter(w, cfd, wd, rel, k->path + rel - l);
	if (r == 0 && NFRAMES(k) > KEEP_FDS)
		let_go(k);
	return r == -ENOSPC ? r : 0;
}

void
wi_walk_begin(struct watch *w)
{
	w->wk.ndirs = 0;
	w->wk.sum = 0;
	w->wk.stale = 0;
}

/* One walk, as wi_walk() hands it to its child, and the child's result. */
struct call {
	struct watch *w;
	const char *rel;
	int fd;
	volatile int r; /* written by the child: read again after it */
};

/* In the walk's own process: the whole walk. */
static int
walk(void *arg)
{
	struct call *c = arg;
	struct watch *w = c->w;
	struct wi_walk *k = &w->wk;
	struct frame *f;
	size_t len = strlen(c->rel);
	const char *name;
	int r;

	/* The caller's path, copied: from here on only the walk writes it. */
	memcpy(k->path, c->rel, len + 1);
	for (name = k->path + len; name > k->path && name[-1] != '/'; name--)
		;
	k->frames.len = k->pend.len = 0;
	k->moves = 0;
	r = enter(w, c->fd, -1, len, name);
	while (r == 0 && NFRAMES(k)) {
		f = FRAMES(k) + NFRAMES(k) - 1;
		r = f->next < k->pend.len ? visit(w, f) : leave(w);
	}
	/* Stopped early (out of watches, or the tree moved under the walk):
	 * the levels left let go of their directories, for a walk run by
	 * reinit itself (below). */
	for (; NFRAMES(k); k->frames.len -= sizeof(*f))
		if ((f = FRAMES(k) + NFRAMES(k) - 1)->fd >= 0)
			sys_close(f->fd);
	k->pend.len = 0;
	/* A whole tree is walked at start-up and after an overflow: its
	 * scratch pages go back, not to sit idle. */
	if (k->parent < 0) {
		dirtab_vec_free(&k->frames);
		dirtab_vec_free(&k->pend);
	}
	if (r == -ESTALE) {
		k->stale = 1;
		r = 0;
	}
	c->r = r;
	return 0;
}

/*
 * inotify_add_watch() takes a path, with no directory descriptor to start
 * from: the walk adds each watch by a name relative to its working
 * directory, after an fchdir() into the directory it holds open. So that
 * this is never PID 1's working directory (which the child inherits, and
 * which anything relative starts from), the walk runs in a child made by
 * vfork(): it shares reinit's memory, so every table it fills is reinit's,
 * and the inotify instance, whose watches belong to it whatever process
 * adds them; but it has a working directory of its own. One child per walk,
 * not per directory; reinit waits meanwhile.
 */
int
wi_walk(struct watch *w, int fd, const char *rel, int parent, int root, int report)
{
	/* -ECHILD stands unless the walk got to its end. */
	struct call c = {w, rel, fd, -ECHILD};
	pid_t pid;

	w->wk.parent = parent;
	w->wk.root = root;
	w->wk.report = report;
	if ((pid = proc_vfork(walk, &c)) > 0)
		sys_waitpid(pid, 0, 0);
	if (pid > 0 && c.r == -ECHILD) {
		/* The child's tables are not reinit's: vfork ran as a fork
		 * (qemu-user, which runs arm64 images on amd64 hosts and the
		 * reverse, does so). The walk runs here, from fd's first entry
		 * again (the child read them through the same open file), closes
		 * fd as it goes, and reinit goes back to its working directory
		 * after it. */
		int here = sys_openat(AT_FDCWD, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

		/* No way back (out of descriptors): no walk that moves. */
		if (here < 0) {
			sys_close(fd);
			return here;
		}
		sys_lseek(fd, 0, SEEK_SET);
		walk(&c);
		sys_fchdir(here);
		sys_close(here);
		return c.r;
	}
	/* The child closed its own copy of fd: this is reinit's. */
	sys_close(fd);
	return pid < 0 ? pid : c.r;
}

/* Opens the directory rel[0, len) below root r one name at a time, each
 * relative to the one before and never through a link. The '/' after each
 * name is a NUL for a moment: rel is the caller's own, and as it was on
 * return. fd or -errno (a name too long is the kernel's to refuse). */
int
wi_open_rel(const struct watch *w, int r, char *rel, size_t len)
{
	int fd = sys_openat(AT_FDCWD, w->roots.r[r].path, DIR_FLAGS), nfd;
	char *end = rel + len, *e, c;

	for (; fd >= 0 && rel < end; rel = e + 1) {
		e = strchrnul(rel, '/');
		c = *e;
		*e = 0;
		nfd = sys_openat(fd, rel, DIR_FLAGS);
		*e = c;
		sys_close(fd);
		fd = nfd;
	}
	return fd;
}
