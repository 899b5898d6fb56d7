/* rmtree.h: removing a file or a whole tree without following symlinks. */
#ifndef REINIT_RMTREE_H
#define REINIT_RMTREE_H

/* Removes path: a file, a symlink, an empty directory, or with recursive a
 * whole tree. 0 or -errno (-ENOENT when it was missing). */
int rmtree(const char *path, int recursive);

/* openat(2) made directly; files it creates get mode 0600. */
int sync_openat(int fd, const char *name, int flags);

#endif
