/* sys.h: a few kernel calls made directly, without libc's wrappers.
 *
 * musl's wrappers for these carry code reinit never needs (vDSO lookup,
 * stat conversion for other architectures, signal restorers): together about 2 KiB of a
 * 32 KiB budget. reinit runs no threads and installs no handlers, so the
 * plain system calls do the same job here. */
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
static inline int
sys_stat(int dirfd, const char *path, struct stat *st, int flags)
{
	return (int)syscall(SYS_newfstatat, dirfd, path, st, flags);
}

static inline long long
sys_clock_ms(clockid_t clock)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, clock, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The kernel's struct sigaction, for SIG_DFL and SIG_IGN only. */
struct sys_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long long mask;
};

/* Sets sig's disposition to handler (SIG_DFL or SIG_IGN) with set, or only
 * reads it; returns the one that was in force. */
static inline void (*sys_disposition(int sig, int set, void (*handler)(int)))(int)
{
	struct sys_sigaction sa = {handler, 0, 0, 0}, old = {SIG_DFL, 0, 0, 0};

	syscall(SYS_rt_sigaction, sig, set ? &sa : 0, &old, 8);
	return old.handler;
}

/* open(2) for reading; flags beyond O_RDONLY as given. */
static inline int
sys_open(const char *path, int flags)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags | O_RDONLY, 0);
}

/* getcwd(2) into buf: musl's getcwd brings malloc in for a NULL buf. The
 * length with the NUL, or -errno; a path that is unreachable (a moved
 * root) does not start with '/'. */
static inline long
sys_getcwd(char *buf, unsigned long size)
{
	long n = syscall(SYS_getcwd, buf, size);

	return n > 0 && buf[0] != '/' ? -ENOENT : n;
}

#endif
