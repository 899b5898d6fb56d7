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
#include <sys/random.h>
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
static char tmp[32] = ".reinit-tar-";

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
	size_t got = io(SYS_read, x->in, b, n, &x->fatal);

	if (got && x->moved)
		x->moved();
	return got;
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

/* Reads n bytes of the archive and drops them. */
static void
skip(struct tarx *x, unsigned long long n)
{
	size_t k;

	for (; n && !x->fatal; n -= k) {
		k = n < sizeof(buf) ? (size_t)n : sizeof(buf);
		if (rd(x, buf, k) != k && !x->fatal)
			x->fatal = TARX_ETRUNC;
	}
}

/* Reads the data of an extended header (a GNU long name, pax records)
 * through buf, record by record: one larger than buf is skipped whole when
 * reinit ignores its keyword (a large xattr), and refused otherwise. */
static void
ext(struct tarx *x)
{
	unsigned long long rest = (unsigned long long)h.num[TARHDR_SIZE];
	size_t have = 0, n;
	long long r;

	_Static_assert(sizeof(buf) >= TARHDR_EXT_BUF, "a record tarhdr_ext needs whole fits");
	while (!x->fatal && (rest || have)) {
		n = rest < sizeof(buf) - have ? (size_t)rest : sizeof(buf) - have;
		if (rd(x, buf + have, n) != n) {
			x->fatal = x->fatal ? x->fatal : TARX_ETRUNC;
			break;
		}
		have += n;
		rest -= n;
		if ((r = tarhdr_ext(&h, (char *)buf, have, rest)) < 0)
			x->fatal = TARX_EHDR + (int)r;
		else if ((unsigned long long)r >= have) {
			rest -= (unsigned long long)r - have;
			skip(x, (unsigned long long)r - have);
			have = 0;
		} else {
			memmove(buf, buf + r, have - (size_t)r);
			have -= (size_t)r;
		}
	}
	skip(x, -(unsigned long long)h.num[TARHDR_SIZE] & 511);
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

/* Opens directory c in fd, making it if missing and make is set. path is
 * the name from the top down to c, for when c is a symlink: it is then
 * followed only if it stays below the top. */
static int
open_dir(struct tarx *x, int fd, const char *c, const char *path, int make)
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
		if (d >= 0 || errno != ENOENT || !make || made++)
			return d < 0 ? -errno : d;
		if (syscall(SYS_mkdirat, fd, c, 0777) && errno != EEXIST)
			return -errno;
	}
}

/* The directory that holds the last component of name, its missing
 * directories made if make is set; *last points to that component. An fd
 * or -errno. */
static int
parent(struct tarx *x, char *name, char **last, int make)
{
	int fd = sys_openat(x->root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), d;
	char *p = name, *s;

	*last = p;
	if (fd < 0)
		return -errno;
	while (fd >= 0 && (s = strchr(p, '/'))) {
		*s = 0;
		d = open_dir(x, fd, p, name, make);
		*s = '/';
		sys_close(fd);
		fd = d;
		for (p = s; *p == '/';)
			p++;
	}
	*last = p;
	return fd;
}

/* A fresh temporary name in tmp: ".reinit-tar-" and 16 random hex digits.
 * Nobody can prepare a link under it ahead of time; and once the name
 * exists, its directory's owner can see it and swap it, so nothing is ever
 * changed through it but the final rename: owner, mode and times are set
 * on a descriptor. */
static void
tmp_name(void)
{
	static unsigned long long seq;
	unsigned long long v;
	char *p = tmp + sizeof(".reinit-tar-") - 1;
	int i;

	if (syscall(SYS_getrandom, &v, sizeof(v), GRND_NONBLOCK) != sizeof(v))
		v = (unsigned long long)sys_clock_ms(CLOCK_MONOTONIC) ^ (unsigned long long)getpid()
										<< 40;
	/* Never the same twice in one run, random or not. */
	v += ++seq * 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < 16; i++, v >>= 4)
		*p++ = "0123456789abcdef"[v & 15];
	*p = 0;
}

/* Makes the temporary entry with make(), under fresh names until one is
 * free; the descriptor (or 0) or -errno. */
static int
make_tmp(int (*make)(struct tarx *, int), struct tarx *x, int pfd)
{
	int r, tries = 0;

	do {
		tmp_name();
		r = make(x, pfd);
	} while (r == -EEXIST && ++tries < 8);
	return r;
}

static int
make_file(struct tarx *x, int pfd)
{
	int fd = sys_openat(pfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int
make_symlink(struct tarx *x, int pfd)
{
	return syscall(SYS_symlinkat, h.link, pfd, tmp) ? -errno : 0;
}

static int
make_link(struct tarx *x, int pfd)
{
	return syscall(SYS_linkat, x->lfd, x->llast, pfd, tmp, 0) ? -errno : 0;
}

/* Names the unnamed file fd in pfd, through /proc: linkat(AT_EMPTY_PATH)
 * would need CAP_DAC_READ_SEARCH, which a container's root lacks. */
static int
name_file(struct tarx *x, int pfd)
{
	char path[32] = "/proc/self/fd/";
	char *p = path + sizeof("/proc/self/fd/") - 1, d[12];
	int n = 0, fd = x->fd;

	do
		d[n++] = (char)('0' + fd % 10);
	while ((fd /= 10));
	while (n)
		*p++ = d[--n];
	*p = 0;
	return syscall(SYS_linkat, AT_FDCWD, path, pfd, tmp, AT_SYMLINK_FOLLOW) ? -errno : 0;
}

/* The owner of the entry in h, given to the open fd if the options say so. */
static int
own(struct tarx *x, int fd)
{
	if (x->flags & SYNC_OWN && syscall(SYS_fchownat, fd, "", (uid_t)h.num[TARHDR_UID],
					   (gid_t)h.num[TARHDR_GID], AT_EMPTY_PATH))
		return -errno;
	return 0;
}

/* Mode and mtime of the open fd (a file or a directory), as the options
 * say: on the descriptor, so that nothing put under its name meanwhile is
 * touched. The times first: a directory made unsearchable by its mode still
 * takes them. Each is tried, as GNU tar does, and the last error kept. */
static int
attrs(struct tarx *x, int fd, unsigned mode, long long mtime)
{
	struct timespec ts[2] = {{0, UTIME_OMIT}, {mtime, 0}};
	int err = 0;

	if (!(x->flags & SYNC_M) && syscall(SYS_utimensat, fd, (void *)0, ts, 0))
		err = -errno;
	/* GNU tar: with --no-same-permissions, no set-id or sticky bits. */
	if (!(x->flags & SYNC_PERM))
		mode &= 0777 & ~x->umask;
	if (syscall(SYS_fchmod, fd, mode))
		err = -errno;
	return err;
}

/* Owner and mtime of the symlink just made under tmp in pfd, through an
 * O_PATH descriptor of it: if its name was swapped meanwhile for anything
 * but a symlink, nothing is changed. */
static int
link_attrs(struct tarx *x, int pfd)
{
	struct timespec ts[2] = {{0, UTIME_OMIT}, {h.num[TARHDR_MTIME], 0}};
	struct stat st;
	int fd = sys_openat(pfd, tmp, O_PATH | O_NOFOLLOW | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	if ((err = sys_stat(fd, "", &st, AT_EMPTY_PATH)) < 0 || !S_ISLNK(st.st_mode))
		err = err < 0 ? -errno : -EEXIST;
	else if (!(err = own(x, fd)) && !(x->flags & SYNC_M) &&
		 syscall(SYS_utimensat, fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		err = -errno;
	sys_close(fd);
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
		if ((r = attrs(x, l->fd, l->mode, l->mtime))) {
			x->note("a directory's mode or time", r);
			x->failed = 1;
		}
		sys_close(l->fd);
	}
}

/* A directory entry: made (or found), its owner set now so that an error
 * can name it, its mode and times after its contents. */
static int
entry_dir(struct tarx *x, int pfd, const char *last, const char *name)
{
	int fd = open_dir(x, pfd, *last ? last : ".", name, 1), err;

	if (fd < 0)
		return fd;
	err = own(x, fd);
	if (ndirs == sizeof(dirs) / sizeof(dirs[0]))
		flush_dirs(x);
	dirs[ndirs].fd = fd;
	dirs[ndirs].mode = h.mode;
	dirs[ndirs++].mtime = h.num[TARHDR_MTIME];
	return err;
}

/* Puts the temporary entry in pfd under its final name. A file replaces
 * an empty directory of that name, as with GNU tar. */
static int
put(int pfd, const char *last)
{
	int r = (int)syscall(SYS_renameat, pfd, tmp, pfd, last);

	if (r && errno == EISDIR && !syscall(SYS_unlinkat, pfd, last, AT_REMOVEDIR))
		r = (int)syscall(SYS_renameat, pfd, tmp, pfd, last);
	return r ? -errno : 0;
}

/* Makes one entry and reads its data; 0, TARX_SKIP for a type not
 * extracted, or -errno. A regular file is written unnamed (O_TMPFILE)
 * where the filesystem allows, else under a fresh temporary name, given its
 * owner, mode and times on its descriptor, and only then named: a running
 * program is replaced, never written to, a watcher sees each file appear
 * once and whole, and the owner of the directory, who can swap any name in
 * it, never gets root to change anything but the file it wrote. */
static int
entry(struct tarx *x, char *name)
{
	char *last = 0;
	int pfd = -1, fd = -1, err = 0, named = 0, r, a;

	x->lfd = -1;
	if (!strchr("0125", h.type))
		err = TARX_SKIP;
	else if (!(name = clean(name)))
		err = TARX_EDOTDOT;
	else if ((pfd = parent(x, name, &last, 1)) < 0)
		err = pfd;
	else if (h.type == '5' || !*last || !strcmp(last, "."))
		err = h.type != '5' ? -EISDIR : entry_dir(x, pfd, last, name);
	else if (h.type == '1') {
		/* The target's directories must exist: none is made for it. */
		if (!(h.link[0] && (x->llast = clean(h.link))))
			err = TARX_EDOTDOT;
		else if ((x->lfd = parent(x, x->llast, &x->llast, 0)) < 0)
			err = x->lfd;
		else if (!(err = make_tmp(make_link, x, pfd)))
			named = 1;
	} else if (h.type == '2') {
		if (!(err = make_tmp(make_symlink, x, pfd)))
			named = 1;
	} else if ((fd = x->tmpfile ? sys_openat(pfd, ".", O_WRONLY | O_TMPFILE | O_CLOEXEC) : -1) <
			   0 &&
		   (fd = make_tmp(make_file, x, pfd)) >= 0)
		named = 1;
	else if (fd < 0)
		err = fd;
	/* The data is read whatever happened, to reach the next header. */
	r = data(x, fd, h.num[TARHDR_SIZE]);
	if (!err)
		err = r;
	/* As GNU tar: an entry whose owner or mode could not be set is still
	 * put in place, and the error reported. */
	r = 0;
	if (fd >= 0 && !err && !x->fatal) {
		r = own(x, fd);
		if ((a = attrs(x, fd, h.mode, h.num[TARHDR_MTIME])))
			r = a;
		x->fd = fd;
		if (!named && !(err = make_tmp(name_file, x, pfd)))
			named = 1;
	} else if (named && h.type == '2')
		r = link_attrs(x, pfd);
	if (fd >= 0 && sys_close(fd) && !err)
		err = -errno;
	if (named && !err && !x->fatal && !(err = put(pfd, last))) {
		named = 0;
		err = r;
		/* A hard link onto a name that already is that file: the
		 * rename did nothing, and the temporary name is still there. */
		if (h.type == '1')
			named = 1;
	}
	if (named)
		syscall(SYS_unlinkat, pfd, tmp, 0);
	if (x->lfd >= 0)
		sys_close(x->lfd);
	if (pfd >= 0)
		sys_close(pfd);
	return err;
}

/* Reports what to the caller with the entry's name as shown: C0 controls,
 * DEL and UTF-8's C1 controls (U+0080 to U+009F, CSI among them, which
 * terminals act on) each as one '?', so that a message or a listed name
 * is one line and no archive can move the cursor or forge a line. */
static void
note(struct tarx *x, int what)
{
	static char shown[TARHDR_PATH];
	const unsigned char *p = (const unsigned char *)h.name;
	char *q = shown;
	unsigned char c;

	for (; (c = *p); p++) {
		if (c == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			c = 0, p++;
		*q++ = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	*q = 0;
	x->note(shown, what);
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
	struct stat st;
	int r, i, first = 1;

	/* Files are written unnamed only where they can be named through
	 * /proc afterwards. */
	x->tmpfile = sys_stat(AT_FDCWD, "/proc/self/fd", &st, 0) == 0;
	x->in_root = sys_is_root(x->root, "");
	/* Past `ulimit -f`, a write fails with EFBIG and the entry is
	 * reported, instead of tar being killed in the middle of a file. */
	sys_disposition(SIGXFSZ, 1, SIG_IGN);
	for (;;) {
		h.name[0] = 0;
		r = (int)rd(x, blk, sizeof(blk));
		if (x->fatal || (!r && !first))
			break;
		if (r != sizeof(blk))
			x->fatal = TARX_ETRUNC;
		else if ((r = tarhdr_block(&h, blk)) == TARHDR_END)
			break;
		else if (r < 0)
			x->fatal = TARX_EHDR + r;
		if (x->fatal) {
			/* As GNU tar: a stream that does not start with a
			 * header (empty, short, or not tar at all) is one
			 * line, its garbage not shown as a name. */
			if (first &&
			    (x->fatal == TARX_ETRUNC || x->fatal == TARX_EHDR + TARHDR_ESUM))
				x->fatal = TARX_ENOTTAR, h.name[0] = 0;
			for (i = 0; first && i < 4; i++)
				if (!memcmp(blk, zmagic[i], strlen(zmagic[i])))
					x->fatal = TARX_EZIP;
			break;
		}
		first = 0;
		if (r == TARHDR_EXT) {
			ext(x);
			continue;
		}
		note(x, TARX_LIST);
		if ((r = entry(x, h.name))) {
			note(x, r);
			if (r != TARX_SKIP)
				x->failed = 1;
		}
		if (x->fatal)
			break;
	}
	if (x->fatal)
		note(x, x->fatal);
	flush_dirs(x);
	/* Read the rest, so that a writer behind a pipe does not fail. */
	while (!x->fatal && rd(x, buf, sizeof(buf)) == sizeof(buf))
		;
	return x->failed || x->fatal ? -1 : 0;
}
