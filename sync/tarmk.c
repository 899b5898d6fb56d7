/* tarmk.c: making one tar entry below the top directory, never outside it.
 *
 * Paths are walked one component at a time with directory descriptors:
 * openat(O_NOFOLLOW) for each, and openat2(RESOLVE_BENEATH) from the top
 * when a component is a symlink, so no name, '..', symlink or hard link
 * in the archive can reach outside. When the top is "/" (Tilt's and
 * Skaffold's -C /), everything is inside: RESOLVE_IN_ROOT then follows an
 * absolute symlink of the image (a buildpack's /workspace, an /app that
 * links elsewhere) from "/", as the kernel would.
 *
 * Root extracting into a directory another user owns (kubectl cp into the
 * app user's /app) works where that user can swap any name at any moment.
 * So a regular file is written unnamed (O_TMPFILE) where the filesystem
 * allows, else under a fresh random name made with O_EXCL; its owner,
 * mode and times are set on its descriptor; only then is it named, and
 * the one call made by name is the final rename. A symlink's owner and
 * time go through an O_PATH descriptor checked to be that symlink. A
 * running program is replaced, never written to, and a watcher sees each
 * file appear once, whole. */
#include "sync/tarmk.h"

#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/num.h"
#include "proc/sys.h"
#include "sync/args.h"

/* Directories get their mode and times after their contents. */
struct later {
	int fd;
	unsigned mode;
	long long mtime;
};

static struct later dirs[128];
static int ndirs;
static char tmp[32] = ".reinit-tar-";

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
	struct sys_open_how how = {O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0,
				   (x->in_root ? RESOLVE_IN_ROOT : RESOLVE_BENEATH) |
					   RESOLVE_NO_MAGICLINKS};
	int d, made = 0;

	for (;;) {
		d = sys_openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (d == -ELOOP || d == -ENOTDIR)
			d = sys_openat2(x->root, path, &how);
		if (d != -ENOENT || !make || made++)
			return d;
		if ((d = sys_mkdirat(fd, c, 0777)) < 0 && d != -EEXIST)
			return d;
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

/* Makes the temporary entry of kind ('0' a file, '1' a hard link to
 * lfd/llast, '2' a symlink to h->link, 'n' a name for the unnamed file
 * fd) under a fresh temporary name: ".reinit-tar-" and 16 random hex
 * digits, again until one is free. Nobody can prepare a link under it
 * ahead of time. The file's descriptor, or 0, or -errno. */
static int
make(const struct tarhdr *h, int pfd, int kind, int fd, int lfd, const char *llast)
{
	static unsigned long long seq;
	char proc[40] = "/proc/self/fd/", *p = proc + sizeof("/proc/self/fd/") - 1, d[NUM_MAX];
	const char *s = num_dec(d + sizeof(d) - 1, (unsigned long long)fd);
	unsigned long long v;
	int r, i, tries = 0;

	while ((*p++ = *s++))
		;
	do {
		/* Without getrandom (before Linux 3.17, or refused by a
		 * seccomp filter) the names are only distinct, not secret:
		 * still safe, as O_EXCL makes each afresh and nothing is done
		 * through one but the final rename. */
		v = 0;
		sys_getrandom(&v, sizeof(v), GRND_NONBLOCK);
		v += ++seq * 0x9e3779b97f4a7c15ULL;
		for (p = tmp + sizeof(".reinit-tar-") - 1, i = 0; i < 16; i++, v >>= 4)
			*p++ = "0123456789abcdef"[v & 15];
		*p = 0;
		r = kind == '0'   ? sys_openat(pfd, tmp,
					       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)
		    : kind == '1' ? sys_linkat(lfd, llast, pfd, tmp, 0)
		    : kind == '2' ? sys_symlinkat(h->link, pfd, tmp)
				  /* linkat(AT_EMPTY_PATH) would need
				   * CAP_DAC_READ_SEARCH, which a container's
				   * root lacks: through /proc. */
				  : sys_linkat(AT_FDCWD, proc, pfd, tmp, AT_SYMLINK_FOLLOW);
	} while (r == -EEXIST && ++tries < 8);
	return r;
}

/* The owner of entry h, given to the open fd if the options say so. */
static int
own(const struct tarx *x, const struct tarhdr *h, int fd)
{
	return x->flags & SYNC_OWN ? sys_fchownat(fd, "", (uid_t)h->num[TARHDR_UID],
						  (gid_t)h->num[TARHDR_GID], AT_EMPTY_PATH)
				   : 0;
}

/* Mode and mtime of the open fd (a file or a directory), as the options
 * say. The times first: a directory made unsearchable by its mode still
 * takes them. Each is tried, as GNU tar does, and the last error kept. */
static int
attrs(const struct tarx *x, int fd, unsigned mode, long long mtime)
{
	struct timespec ts[2] = {{0, UTIME_OMIT}, {mtime, 0}};
	int err = x->flags & SYNC_M ? 0 : sys_futimens(fd, ts), r;

	/* GNU tar: with --no-same-permissions, no set-id or sticky bits. */
	if (!(x->flags & SYNC_PERM))
		mode &= 0777 & ~x->umask;
	return (r = sys_fchmod(fd, mode)) < 0 ? r : err;
}

/* Owner and mtime of the symlink just made under tmp in pfd, through an
 * O_PATH descriptor of it: if its name was swapped meanwhile for anything
 * but a symlink, nothing is changed. */
static int
link_attrs(const struct tarx *x, const struct tarhdr *h, int pfd)
{
	struct timespec ts[2] = {{0, UTIME_OMIT}, {h->num[TARHDR_MTIME], 0}};
	struct stat st;
	int fd = sys_openat(pfd, tmp, O_PATH | O_NOFOLLOW | O_CLOEXEC), err;

	if (fd < 0)
		return fd;
	if ((err = sys_stat(fd, "", &st, AT_EMPTY_PATH)) >= 0 && !S_ISLNK(st.st_mode))
		err = -EEXIST;
	if (err >= 0 && (err = own(x, h, fd)) >= 0 && !(x->flags & SYNC_M))
		err = sys_utimensat(fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
	sys_close(fd);
	return err;
}

void
tarmk_flush(struct tarx *x)
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
dir(struct tarx *x, const struct tarhdr *h, int pfd, const char *last, const char *name)
{
	int fd = open_dir(x, pfd, *last ? last : ".", name, 1), err;

	if (fd < 0)
		return fd;
	err = own(x, h, fd);
	if (ndirs == sizeof(dirs) / sizeof(dirs[0]))
		tarmk_flush(x);
	dirs[ndirs].fd = fd;
	dirs[ndirs].mode = h->mode;
	dirs[ndirs++].mtime = h->num[TARHDR_MTIME];
	return err;
}

int
tarmk_begin(struct tarx *x, const struct tarhdr *h, char *name, struct tarmk *m)
{
	char *llast;
	int lfd, r;

	m->pfd = m->fd = -1;
	m->named = 0;
	if (!strchr("0125", h->type))
		return TARX_SKIP;
	if (!(name = clean(name)))
		return TARX_EDOTDOT;
	if ((m->pfd = parent(x, name, &m->last, 1)) < 0)
		return m->pfd;
	if (h->type == '5' || !*m->last || !strcmp(m->last, "."))
		return h->type != '5' ? -EISDIR : dir(x, h, m->pfd, m->last, name);
	if (h->type == '1') {
		/* The target's directories must exist: none is made for it. */
		if (!(h->link[0] && (llast = clean((char *)h->link))))
			return TARX_EDOTDOT;
		if ((lfd = parent(x, llast, &llast, 0)) < 0)
			return lfd;
		r = make(h, m->pfd, '1', 0, lfd, llast);
		sys_close(lfd);
	} else if (h->type == '2') {
		r = make(h, m->pfd, '2', 0, -1, 0);
	} else if (x->tmpfile &&
		   (m->fd = sys_openat(m->pfd, ".", O_WRONLY | O_TMPFILE | O_CLOEXEC)) >= 0) {
		return 0;
	} else if ((r = m->fd = make(h, m->pfd, '0', 0, -1, 0)) >= 0) {
		r = 0;
	}
	m->named = r == 0;
	return r;
}

/* Puts the temporary entry in pfd under its final name. A file replaces
 * an empty directory of that name, as with GNU tar. */
static int
put(int pfd, const char *last)
{
	int r = sys_renameat(pfd, tmp, pfd, last);

	if (r == -EISDIR && !(r = sys_unlinkat(pfd, last, AT_REMOVEDIR)))
		r = sys_renameat(pfd, tmp, pfd, last);
	return r;
}

int
tarmk_end(struct tarx *x, const struct tarhdr *h, struct tarmk *m, int err)
{
	int r = 0, a;

	/* As GNU tar: an entry whose owner or mode could not be set is still
	 * put in place, and the error reported. */
	if (m->fd >= 0 && !err) {
		r = own(x, h, m->fd);
		if ((a = attrs(x, m->fd, h->mode, h->num[TARHDR_MTIME])))
			r = a;
		if (!m->named && !(err = make(h, m->pfd, 'n', m->fd, -1, 0)))
			m->named = 1;
	} else if (m->named && h->type == '2' && !err) {
		r = link_attrs(x, h, m->pfd);
	}
	if (m->fd >= 0 && (a = sys_close(m->fd)) < 0 && !err)
		err = a;
	if (m->named && !err && !(err = put(m->pfd, m->last))) {
		err = r;
		/* A hard link onto a name that already is that file: the
		 * rename did nothing, and the temporary name is still there. */
		m->named = h->type == '1';
	}
	if (m->named)
		sys_unlinkat(m->pfd, tmp, 0);
	if (m->pfd >= 0)
		sys_close(m->pfd);
	return err;
}
