/* tarx.c: extracting a tar stream below a directory, never outside it.
 *
 * Paths are walked one component at a time with directory descriptors:
 * openat(O_NOFOLLOW) for each, and openat2(RESOLVE_BENEATH) from the
 * top when a component is a symlink, so no name, '..', symlink or hard
 * link in the archive can reach outside. When the top is "/" (Tilt's and
 * Skaffold's -C /), everything is inside: RESOLVE_IN_ROOT then follows
 * an absolute symlink of the image (a buildpack's /workspace, an /app
 * that links elsewhere) from "/", as the kernel would, where
 * RESOLVE_BENEATH refuses every absolute one. Files, symlinks and hard links
 * are made under a temporary name and renamed into place: a running
 * program is replaced, never written to, and a watcher sees each file
 * appear once, whole. */
#include "sync/tarx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc/sys.h"
#include "sync/args.h"
#include "sync/rmtree.h"
#include "sync/tarhdr.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* Directories get their mode and times after their contents. */
struct later {
	int fd;
	unsigned mode;
	long long mtime;
};

static struct tarhdr h;
static struct later dirs[128];
static int ndirs;
static unsigned char buf[65536];
static char tmp[24] = ".reinit-tar-";

/* Reads (nr SYS_read) or writes (SYS_write) n bytes at b, again after a
 * signal; the count done, short only at the end of the input or on an
 * error (*err then set). */
static size_t
io(long nr, int fd, unsigned char *b, size_t n, int *err)
{
	size_t done = 0;
	long r;

	while (done < n && (r = syscall(nr, fd, b + done, n - done))) {
		if (r > 0)
			done += (size_t)r;
		else if (errno != EINTR) {
			*err = -errno;
			break;
		}
	}
	return done;
}

/* Reads up to n bytes of the archive; fewer only at its end or on an
 * error (x->fatal then set). */
static size_t
rd(struct tarx *x, unsigned char *b, size_t n)
{
	return io(SYS_read, x->in, b, n, &x->fatal);
}

/* Reads size bytes of data and their padding, writing them to fd unless
 * it is -1; 0, or the write error (the data is still read). */
static int
data(struct tarx *x, int fd, long long size)
{
	unsigned long long pad = ((unsigned long long)size + 511) & ~511ULL;
	size_t n, w;
	int err = 0;

	while (pad && !x->fatal) {
		n = pad < sizeof(buf) ? (size_t)pad : sizeof(buf);
		if (rd(x, buf, n) != n) {
			x->fatal = x->fatal ? x->fatal : TARX_ETRUNC;
			break;
		}
		pad -= n;
		w = size < (long long)n ? (size_t)size : n;
		size -= (long long)w;
		if (fd >= 0 && !err)
			io(SYS_write, fd, buf, w, &err);
	}
	return err;
}

/* Removes leading slashes and trailing ones; NULL when a component is
 * '..'. */
static char *
clean(char *n)
{
	char *p;
	size_t len;

	while (*n == '/')
		n++;
	for (p = n; *p; p++)
		if ((p == n || p[-1] == '/') && p[0] == '.' && p[1] == '.' &&
		    (!p[2] || p[2] == '/'))
			return 0;
	for (len = (size_t)(p - n); len && n[len - 1] == '/';)
		n[--len] = 0;
	return n;
}

/* Opens directory c in fd, making it if missing. path is the name from
 * the top down to c, for when c is a symlink: it is then followed only
 * if it stays below the top. */
static int
open_dir(struct tarx *x, int fd, const char *c, const char *path)
{
	struct {
		unsigned long long flags, mode, resolve;
	} how = {O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, (x->in_root ? 0x10 : 0x08) | 0x02};
	int d, made = 0;

	for (;;) {
		d = sys_openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		/* A symlink: RESOLVE_IN_ROOT or RESOLVE_BENEATH, and
		 * RESOLVE_NO_MAGICLINKS. */
		if (d < 0 && (errno == ELOOP || errno == ENOTDIR))
			d = (int)syscall(SYS_openat2, x->root, path, &how, sizeof(how));
		if (d >= 0 || errno != ENOENT || made++)
			return d < 0 ? -errno : d;
		if (syscall(SYS_mkdirat, fd, c, 0777) && errno != EEXIST)
			return -errno;
	}
}

/* The directory that holds the last component of name; *last points to
 * that component. An fd or -errno. */
static int
parent(struct tarx *x, char *name, char **last)
{
	int fd = sys_openat(x->root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), d;
	char *p = name, *s;

	*last = p;
	if (fd < 0)
		return -errno;
	while (fd >= 0 && (s = strchr(p, '/'))) {
		*s = 0;
		d = open_dir(x, fd, p, name);
		*s = '/';
		sys_close(fd);
		fd = d;
		for (p = s; *p == '/';)
			p++;
	}
	*last = p;
	return fd;
}

/* The owner of the entry in h, given to name in fd if the options say so. */
static int
own(struct tarx *x, int fd, const char *name)
{
	if (x->flags & SYNC_OWN && syscall(SYS_fchownat, fd, name, (uid_t)h.num[TARHDR_UID],
					   (gid_t)h.num[TARHDR_GID], AT_SYMLINK_NOFOLLOW))
		return -errno;
	return 0;
}

/* Owner (unless a directory, whose owner is set when it is made), mode
 * and mtime of name in fd, as the options say. */
static int
attrs(struct tarx *x, int fd, const char *name, char type, unsigned mode, long long mtime)
{
	struct timespec ts[2] = {{0, UTIME_OMIT}, {mtime, 0}};
	int err = type == '5' ? 0 : own(x, fd, name);

	/* GNU tar: with --no-same-permissions, no set-id or sticky bits. */
	if (!(x->flags & SYNC_PERM))
		mode &= 0777 & ~x->umask;
	/* Direct calls: libc's fchmodat and utimensat carry fallbacks for
	 * old kernels that cost more than all of this. Each is tried, as
	 * GNU tar does, and the last error kept. */
	if (type != '2' && syscall(SYS_fchmodat, fd, name, mode))
		err = -errno;
	if (!(x->flags & SYNC_M) && syscall(SYS_utimensat, fd, name, ts, AT_SYMLINK_NOFOLLOW))
		err = -errno;
	return err;
}

/* Sets the modes and times of the directories made so far. */
static void
flush_dirs(struct tarx *x)
{
	struct later *l;
	int r;

	/* The deepest last: a parent's time is set after its children's. */
	while (ndirs) {
		l = &dirs[--ndirs];
		if ((r = attrs(x, l->fd, ".", '5', l->mode, l->mtime))) {
			x->note("a directory's mode or time", r);
			x->failed = 1;
		}
		sys_close(l->fd);
	}
}

/* Makes one entry and reads its data; 0, TARX_SKIP for a type not
 * extracted, or -errno. */
static int
entry(struct tarx *x, char *name)
{
	char *last = 0, *llast = 0;
	int pfd = -1, lfd = -1, fd = -1, err = 0, made = 0, r;

	if (!strchr("0125", h.type))
		err = TARX_SKIP;
	else if (!(name = clean(name)))
		err = TARX_EDOTDOT;
	else if ((pfd = parent(x, name, &last)) < 0)
		err = pfd;
	else if (h.type == '5' || !*last || !strcmp(last, ".")) {
		if (h.type != '5')
			err = -EISDIR;
		else if ((r = open_dir(x, pfd, *last ? last : ".", name)) < 0)
			err = r;
		else {
			/* The owner now, so that an error can name the
			 * directory; its mode and times after its contents. */
			err = own(x, r, ".");
			if (ndirs == sizeof(dirs) / sizeof(dirs[0]))
				flush_dirs(x);
			dirs[ndirs].fd = r;
			dirs[ndirs].mode = h.mode;
			dirs[ndirs++].mtime = h.num[TARHDR_MTIME];
		}
	} else {
		if (h.type == '1') {
			if (!(h.link[0] && (llast = clean(h.link))))
				err = TARX_EDOTDOT;
			else if ((lfd = parent(x, llast, &llast)) < 0)
				err = lfd;
		}
		if (!err) {
			/* A temporary name left by a killed tar whose pid was
			 * ours goes first; no other live process uses it. */
			syscall(SYS_unlinkat, pfd, tmp, 0);
			if (h.type == '0')
				r = fd = sys_openat(pfd, tmp,
						    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
							    O_CLOEXEC);
			else if (h.type == '2')
				r = (int)syscall(SYS_symlinkat, h.link, pfd, tmp);
			else
				r = (int)syscall(SYS_linkat, lfd, llast, pfd, tmp, 0);
			if (r < 0)
				err = -errno;
			else
				made = 1;
		}
	}
	/* The data is read whatever happened, to reach the next header. */
	r = data(x, fd, h.num[TARHDR_SIZE]);
	if (!err)
		err = r;
	if (fd >= 0 && sys_close(fd) && !err)
		err = -errno;
	/* As GNU tar: a file whose owner or mode could not be set is still
	 * put in place, and the error reported. */
	if (made && !err && !x->fatal) {
		r = h.type == '1' ? 0 : attrs(x, pfd, tmp, h.type, h.mode, h.num[TARHDR_MTIME]);
		if (syscall(SYS_renameat, pfd, tmp, pfd, last))
			err = -errno;
		else
			made = 0, err = r;
	}
	if (made)
		syscall(SYS_unlinkat, pfd, tmp, 0);
	if (lfd >= 0)
		sys_close(lfd);
	if (pfd >= 0)
		sys_close(pfd);
	return err;
}

/* gzip, bzip2, xz and zstd streams begin so. */
static const char zmagic[4][6] = {"\x1f\x8b", "BZh",
				  "\xfd"
				  "7zXZ",
				  "\x28\xb5\x2f\xfd"};

int
tarx_extract(struct tarx *x)
{
	/* Zero where a short first read leaves it, for the magic numbers:
	 * tar runs once per process. */
	static unsigned char blk[TARHDR_BLOCK];
	int r, i, first = 1;
	pid_t pid = getpid();
	char *p = tmp + 12;

	for (; pid; pid >>= 4)
		*p++ = "0123456789abcdef"[pid & 15];
	x->in_root = sys_is_root(x->root, "");
	for (;;) {
		h.name[0] = 0;
		if (!(r = (int)rd(x, blk, sizeof(blk))) || x->fatal)
			break;
		if (r != sizeof(blk))
			x->fatal = TARX_ETRUNC;
		else if ((r = tarhdr_block(&h, blk)) == TARHDR_END)
			break;
		else if (r < 0)
			x->fatal = TARX_EHDR + r;
		if (x->fatal) {
			for (i = 0; first && i < 4; i++)
				if (!memcmp(blk, zmagic[i], strlen(zmagic[i])))
					x->fatal = TARX_EZIP, h.name[0] = 0;
			break;
		}
		first = 0;
		if (r == TARHDR_EXT) {
			if (h.num[TARHDR_SIZE] > (long long)sizeof(buf)) {
				x->fatal = TARX_EHDR + TARHDR_ELONG;
				break;
			}
			data(x, -1, h.num[TARHDR_SIZE]);
			if (!x->fatal &&
			    (r = tarhdr_ext(&h, (char *)buf, (size_t)h.num[TARHDR_SIZE])))
				x->fatal = TARX_EHDR + r;
			continue;
		}
		x->note(h.name, TARX_LIST);
		if ((r = entry(x, h.name))) {
			x->note(h.name, r);
			if (r != TARX_SKIP)
				x->failed = 1;
		}
		if (x->fatal)
			break;
	}
	if (x->fatal)
		x->note(h.name, x->fatal);
	flush_dirs(x);
	/* Read the rest, so that a writer behind a pipe does not fail. */
	while (!x->fatal && rd(x, buf, sizeof(buf)) == sizeof(buf))
		;
	return x->failed || x->fatal ? -1 : 0;
}
