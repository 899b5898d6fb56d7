/* sigfd.c: block every signal and read them from a signalfd instead. */
#include "signals/sigfd.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc/sys.h"

int
sigfd_block_all(uint64_t *old)
{
	uint64_t all = SIGFD_ALL;

	if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, old, sizeof(all)) < 0)
		return -errno;
	return 0;
}

int
sigfd_setmask(uint64_t mask)
{
	if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, (void *)0, sizeof(mask)) < 0)
		return -errno;
	return 0;
}

int
sigfd_open(void)
{
	uint64_t all = SIGFD_ALL;
	long fd = syscall(SYS_signalfd4, -1, &all, sizeof(all), SFD_NONBLOCK | SFD_CLOEXEC);

	return fd < 0 ? -errno : (int)fd;
}

int
sigfd_wait(struct signalfd_siginfo *si, const struct timespec *timeout)
{
	uint64_t all = SIGFD_ALL;
	siginfo_t info;
	long sig = syscall(SYS_rt_sigtimedwait, &all, &info, timeout, sizeof(all));

	if (sig < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	si->ssi_signo = (uint32_t)sig;
	si->ssi_code = info.si_code;
	si->ssi_pid = (uint32_t)info.si_pid;
	si->ssi_int = info.si_value.sival_int;
	return 1;
}

int
sigfd_read(int fd, struct signalfd_siginfo *buf, int max)
{
	ssize_t n;

	do
		n = sys_read(fd, buf, sizeof(*buf) * (size_t)max);
	while (n == -EINTR);
	if (n < 0)
		return n == -EAGAIN ? 0 : (int)n;
	return (int)(n / (ssize_t)sizeof(*buf));
}
