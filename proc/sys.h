/* sys.h: a few kernel calls made directly, without libc's wrappers.
 *
 * musl's wrappers for these carry code reinit never needs (vDSO lookup,
 * stat conversion for other architectures, signal restorers): together about 2 KiB of a
 * 32 KiB budget. reinit runs no threads and installs no handlers, so the
 * plain system calls do the same job here. They are out of line, in
 * sys.c: a static inline copy in each file that calls one cost more. */
#ifndef REINIT_SYS_H
#define REINIT_SYS_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* fstatat(2): struct stat on x86-64 and arm64 is the kernel's own. */
int sys_stat(int dirfd, const char *path, struct stat *st, int flags);

/* The clock's time in milliseconds. */
long long sys_clock_ms(clockid_t clock);

/* Sets sig's disposition to handler (SIG_DFL or SIG_IGN) with set, or only
 * reads it; returns the one that was in force. */
void (*sys_disposition(int sig, int set, void (*handler)(int)))(int);

/* openat(2): libc's is variadic, for nothing here. A file it creates gets
 * mode 0600 (the built-in tar's temporary files, private until renamed). */
int sys_openat(int dirfd, const char *path, int flags);

/* open(2) for reading; flags beyond O_RDONLY as given. */
int sys_open(const char *path, int flags);

/* read(2), write(2), close(2) and waitpid(2): libc's are cancellation
 * points, with the machinery of threads that reinit never starts. */
long sys_read(int fd, void *buf, size_t n);
long sys_write(int fd, const void *buf, size_t n);
int sys_close(int fd);
int sys_waitpid(int pid, int *status, int flags);

/* ioctl(2): libc's is variadic and converts structures of old ABIs. */
int sys_ioctl(int fd, unsigned long req, void *arg);

/* tcsetpgrp(3): hands the terminal fd to process group pg. */
int sys_tcsetpgrp(int fd, int pg);

/* Whether path in dirfd ("" for dirfd itself) is the root directory,
 * symlinks followed: 1, or 0 (also when either cannot be looked at). */
int sys_is_root(int dirfd, const char *path);

/* getcwd(2) into buf: musl's getcwd brings malloc in for a NULL buf. The
 * length with the NUL, or -errno; a path that is unreachable (a moved
 * root) does not start with '/'. */
long sys_getcwd(char *buf, unsigned long size);

/* The watcher's calls, each returning what the kernel did: a result of
 * zero or more, or -errno (never -1 with errno). */
int sys_inotify_init1(int flags);
int sys_inotify_add_watch(int fd, const char *path, unsigned mask);
int sys_inotify_rm_watch(int fd, int wd);
long sys_getdents64(int fd, void *buf, size_t n);
long sys_readlinkat(int dirfd, const char *path, char *buf, size_t n);
int sys_clock_gettime(clockid_t clock, struct timespec *ts);

#endif
