/* rmtree.h: removing a file or a whole tree without following symlinks. */
#ifndef REINIT_RMTREE_H
#define REINIT_RMTREE_H

/* Removes path: a file, a symlink, an empty directory, or with recursive a
 * whole tree. 0 or -errno (-ENOENT when it was missing). */
int rmtree(const char *path, int recursive);

#endif
