/* sys.c: the calls of sys.h that are more than one instruction. */
#include "proc/sys.h"

int
sys_openat(int dirfd, const char *path, int flags)
{
	return (int)sys_call4(SYS_openat, dirfd, (long)path, flags, 0600);
}

int
sys_open(const char *path, int flags)
{
	return sys_openat(AT_FDCWD, path, flags | O_RDONLY);
}

int
sys_stat(int dirfd, const char *path, struct stat *st, int flags)
{
	return (int)sys_call4(SYS_newfstatat, dirfd, (long)path, (long)st, flags);
}

int
sys_close(int fd)
{
	return (int)sys_call1(SYS_close, fd);
}

msec
sys_clock_ms(clockid_t clock)
{
	struct timespec ts;

	sys_clock_gettime(clock, &ts);
	return (msec)ts.tv_sec * 1000 + (msec)ts.tv_nsec / 1000000;
}

/* The kernel's struct sigaction, for SIG_DFL and SIG_IGN only. */
struct sys_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long long mask;
};

void (*sys_disposition(int sig, int set, void (*handler)(int)))(int)
{
	struct sys_sigaction sa = {handler, 0, 0, 0}, old = {SIG_DFL, 0, 0, 0};

	sys_call4(SYS_rt_sigaction, sig, set ? (long)&sa : 0, (long)&old, 8);
	return old.handler;
}

int
sys_is_root(int dirfd, const char *path)
{
	struct stat st, root;

	return !sys_stat(dirfd, path, &st, *path ? 0 : AT_EMPTY_PATH) &&
	       !sys_stat(AT_FDCWD, "/", &root, 0) && st.st_dev == root.st_dev &&
	       st.st_ino == root.st_ino;
}

long
sys_getcwd(char *buf, unsigned long size)
{
	long n = sys_call2(SYS_getcwd, (long)buf, (long)size);

	return n > 0 && buf[0] != '/' ? -ENOENT : n;
}

int
sys_async(int fd)
{
	int r = sys_fcntl(fd, F_SETOWN, (long)sys_call1(SYS_getpid, 0));

	return r < 0 ? r : sys_fcntl(fd, F_SETFL, O_NONBLOCK | O_ASYNC);
}
