/* rmtree.c: removing a file or a whole tree without following symlinks.
 *
 * The walk keeps one directory descriptor and a depth count, not a stack
 * of frames: it goes down with openat(O_NOFOLLOW) into a directory that
 * is not empty, back up with "..", and scans the parent again from the
 * start, where that child is now empty and removed. Depth costs neither
 * C stack nor descriptors. */
#include "sync/rmtree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "proc/sys.h"

/* Removes name in fd: 0, 1 when it is a directory that is not empty, or
 * -errno. A name already gone counts as removed. */
static int
rm1(int fd, const char *name)
{
	int r = sys_unlinkat(fd, name, 0);

	if (r == -EISDIR)
		r = sys_unlinkat(fd, name, AT_REMOVEDIR);
	if (r == -ENOENT)
		return 0;
	return r == -ENOTEMPTY || r == -EEXIST ? 1 : r;
}

int
rmtree(const char *path, int recursive)
{
	static char buf[8192];
	struct dirent64 *d;
	long n, i;
	int fd, nfd, depth = 0, r;

	if ((r = sys_unlinkat(AT_FDCWD, path, 0)) != -EISDIR || !recursive)
		return r;
	if ((r = rm1(AT_FDCWD, path)) <= 0)
		return r;
	if ((fd = sys_openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return fd;
	for (;;) {
		if ((n = sys_getdents64(fd, buf, sizeof(buf))) < 0) {
			r = (int)n;
			break;
		}
		/* A scan that ends: everything here is removed. */
		if (n == 0) {
			if (!depth--)
				break;
			nfd = sys_openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		} else {
			for (i = 0, nfd = fd; i < n && nfd == fd; i += d->d_reclen) {
				d = (struct dirent64 *)(buf + i);
				if (d->d_name[0] == '.' &&
				    (!d->d_name[1] || (d->d_name[1] == '.' && !d->d_name[2])))
					continue;
				if ((r = rm1(fd, d->d_name)) < 0)
					break;
				if (r) {
					nfd = sys_openat(fd, d->d_name,
							 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
								 O_CLOEXEC);
					depth++;
				}
			}
			if (r < 0)
				break;
			if (nfd == fd)
				continue;
		}
		sys_close(fd);
		if ((fd = nfd) < 0)
			return fd;
	}
	sys_close(fd);
	if (r < 0)
		return r;
	/* Empty now, unless something was added meanwhile. */
	return (r = rm1(AT_FDCWD, path)) > 0 ? -ENOTEMPTY : r;
}
