/* walk.c: goes through a directory tree by directory descriptors, each one
 * opened relative to its parent without following symbolic links, so a
 * directory swapped for a link cannot lead the walk outside the tree. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "proc/sys.h"
#include "watch/wi.h"

/* Levels whose descriptors stay open; a deeper walk finds its way back up
 * through "..", checked against the inode it left. */
#define KEEP_FDS 32

/* One directory being visited: its names still to visit are in w->pend
 * from next on, up to where its first child's begin. */
struct frame {
	int fd, wd;
	size_t start, next, rel;
	dev_t dev;
	ino_t ino;
} __attribute__((aligned(64))); /* a power of two: NFRAMES is a shift */

#define FRAMES(w)  ((struct frame *)(w)->frames.p)
#define NFRAMES(w) ((w)->frames.len / sizeof(struct frame))

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
	w->sum += fingerprint(w->path, st);
	return report && (newer(&st->st_mtim, &w->since) || newer(&st->st_ctim, &w->since));
}

/* An error from inotify_add_watch() as the walk returns it. */
static int
add_error(int e)
{
	return e == ENOSPC || e == ENOMEM ? -ENOSPC : -e;
}

/* Visits the directory open as fd (taken over), whose path is w->path
 * [0, rel) and whose watch is wd. At the top of a walk (wd -1) the watch
 * is put by fchdir() and ".", which names that very directory. Files count
 * as changed with report (or, polling, when newer than the last look);
 * subdirectories go into w->pend. */
static int
enter(struct watch *w, int fd, int wd, size_t rel, const char *name, int parent, int root,
      int report)
{
	char buf[2048];
	struct frame *f;
	long n, off;
	int e = -ENOSPC, polling = w->fd < 0;

	if (dirtab_reserve(&w->frames, sizeof(*f)) < 0)
		goto fail;
	if (!polling) {
		if (wd < 0) {
			if (syscall(SYS_fchdir, fd) < 0 ||
			    (wd = wi_add_watch(w, ".", w->mask)) < 0) {
				e = add_error(errno);
				goto fail;
			}
			w->at = (int)NFRAMES(w);
		}
		if (dirtab_add(&w->dirs, wd, parent, name, root) < 0)
			goto fail;
	}
	w->ndirs++;
	f = FRAMES(w) + NFRAMES(w);
	w->frames.len += sizeof(*f);
	f->fd = fd;
	f->wd = wd;
	f->rel = rel;
	f->start = f->next = w->pend.len;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n;) {
			struct dirent *d = (struct dirent *)(buf + off);
			size_t l = strlen(d->d_name);
			struct stat st;
			int dir, changed = report;

			off += d->d_reclen;
			if (d->d_name[0] == '.' &&
			    (!d->d_name[1] || (d->d_name[1] == '.' && !d->d_name[2])))
				continue;
			/* The path, a '/', the name and a NUL. At the top
			 * (rel 0) there is no '/', but a name (NAME_MAX at
			 * most) fits there anyway. */
			if (rel + 1 + l + 1 > PATH_MAX) {
				if (!w->warned_long)
					wi_say(w, 1, "paths longer than 4 KiB below '",
					       w->root[root].path, "' are not watched", 0);
				w->warned_long = 1;
				continue;
			}
			if (polling && sys_stat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			wi_join(w, rel, d->d_name, l);
			dir = polling ? S_ISDIR(st.st_mode) : is_dir_entry(fd, d);
			if (wi_ignored(w, w->path, dir))
				continue;
			if (polling)
				changed = poll_entry(w, d->d_name, &st, dir, report);
			if (changed && dir)
				wi_note_dir(w, w->path);
			else if (changed)
				wi_note_file(w, w->path, d->d_name);
			if (dir && dirtab_reserve(&w->pend, l + 1) == 0) {
				memcpy(w->pend.p + w->pend.len, d->d_name, l + 1);
				w->pend.len += l + 1;
			}
		}
	return 0;
fail:
	sys_close(fd);
	return e;
}

/* Leaves the top level for its parent's; -ESTALE when the way back up no
 * longer leads where the walk came from. */
static int
leave(struct watch *w)
{
	struct frame *f = FRAMES(w) + NFRAMES(w) - 1, *p = f - 1;
	struct stat st;
	int r = 0;

	w->pend.len = f->start;
	w->frames.len -= sizeof(*f);
	if (NFRAMES(w) && p->fd < 0) {
		p->fd = sys_openat(f->fd, "..", DIR_FLAGS);
		if (p->fd < 0 || sys_stat(p->fd, "", &st, AT_EMPTY_PATH) < 0 ||
		    st.st_dev != p->dev || st.st_ino != p->ino)
			r = -ESTALE;
	}
	sys_close(f->fd);
	return r;
}

int
wi_walk(struct watch *w, int fd, size_t rel, const char *name, int parent, int root, int report)
{
	struct frame *f;
	const char *s;
	size_t l;
	int cfd, r, wd;

	w->frames.len = w->pend.len = 0;
	w->at = -1;
	r = enter(w, fd, -1, rel, name, parent, root, report);
	while (r == 0 && NFRAMES(w)) {
		f = FRAMES(w) + NFRAMES(w) - 1;
		if (f->next >= w->pend.len) {
			r = leave(w);
			continue;
		}
		s = w->pend.p + f->next;
		l = strlen(s);
		f->next += l + 1;
		rel = wi_join(w, f->rel, s, l);
		/* With inotify, the watch goes on by name from inside the
		 * parent (one fchdir() per parent, not per directory), never
		 * through a link (IN_DONT_FOLLOW), and the directory is then
		 * opened by the same name: both stay inside the tree. */
		wd = -1;
		if (w->fd >= 0 && w->at != (int)(f - FRAMES(w))) {
			if (syscall(SYS_fchdir, f->fd) < 0) {
				/* Readable, so listed, but not searchable:
				 * nothing below it can be watched. Said once,
				 * and the walk goes on with the rest. */
				w->path[f->rel] = 0;
				wi_say(w, 1, "cannot watch inside '", w->path,
				       "' (below a watch root): permission denied", 0);
				f->next = w->pend.len;
				continue;
			}
			w->at = (int)(f - FRAMES(w));
		}
		if (w->fd >= 0 && (wd = wi_add_watch(w, s, w->mask)) < 0)
			cfd = add_error(errno);
		else if ((cfd = sys_openat(f->fd, s, DIR_FLAGS)) < 0)
			cfd = -errno;
		if (cfd < 0) {
			/* Gone already, or a link now: its parent's events
			 * tell. Unreadable: say so. */
			if (cfd == -EACCES)
				wi_say(w, 1, "cannot watch '", w->path,
				       "' (below a watch root): permission denied", 0);
			if (wd >= 0 && !dirtab_find(&w->dirs, wd))
				wi_rm_watch(w, wd);
			if ((r = cfd == -ENOSPC ? cfd : 0))
				break;
			continue;
		}
		/* Below the top, enter() fails only for want of memory. */
		r = enter(w, cfd, wd, rel, w->path + rel - l, f->wd, root, report);
		if (r == 0 && NFRAMES(w) > KEEP_FDS) {
			struct stat st;

			f = FRAMES(w) + NFRAMES(w) - 2;
			/* Deep down: the parent is found again through "..". */
			if (sys_stat(f->fd, "", &st, AT_EMPTY_PATH) == 0) {
				f->dev = st.st_dev;
				f->ino = st.st_ino;
				sys_close(f->fd);
				f->fd = -1;
			}
		}
		if (r != -ENOSPC)
			r = 0;
	}
	/* Stopped early: out of watches, or the tree moved under the walk. */
	while (NFRAMES(w)) {
		f = FRAMES(w) + NFRAMES(w) - 1;
		if (f->fd >= 0)
			sys_close(f->fd);
		w->frames.len -= sizeof(*f);
	}
	w->pend.len = 0;
	/* A whole tree is walked at start-up and after an overflow: its
	 * scratch pages go back, not to sit idle. */
	if (parent < 0) {
		dirtab_vec_free(&w->frames);
		dirtab_vec_free(&w->pend);
	}
	if (w->fd >= 0)
		syscall(SYS_fchdir, w->cwd);
	if (r == -ESTALE) {
		w->rescan = 1;
		r = 0;
	}
	return r;
}

/* Opens the directory w->path[0, len) below root r one name at a time,
 * each relative to the one before and never through a link; the '/' after
 * each name is a NUL for a moment. fd or -errno (a name too long is the
 * kernel's to refuse). */
int
wi_open_rel(struct watch *w, int r, size_t len)
{
	int fd = sys_openat(AT_FDCWD, w->root[r].path, DIR_FLAGS), nfd;
	char *rel = w->path, *e, c;

	while (fd >= 0 && rel < w->path + len) {
		e = strchrnul(rel, '/');
		c = *e;
		*e = 0;
		nfd = sys_openat(fd, rel, DIR_FLAGS);
		*e = c;
		sys_close(fd);
		fd = nfd;
		rel = e + 1;
	}
	return fd < 0 ? -errno : fd;
}
