/* sigfd.c: block every signal and take them one at a time instead. */
#include "signals/sigfd.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>

#include "proc/sys.h"

int
sigfd_block_all(uint64_t *old)
{
	uint64_t all = SIGFD_ALL;

	return sys_sigprocmask(SIG_SETMASK, &all, old);
}

int
sigfd_setmask(uint64_t mask)
{
	return sys_sigprocmask(SIG_SETMASK, &mask, 0);
}

int
sigfd_wait(struct signalfd_siginfo *si, const struct timespec *timeout, int fd, int *pri)
{
	/* Made when first needed: it tells ppoll() that a signal waits. */
	static int sfd = -1;
	static const struct timespec at_once;
	uint64_t all = SIGFD_ALL;
	siginfo_t info;
	int sig;

	if (fd >= 0 && (sfd >= 0 || (sfd = sys_signalfd(&all)) >= 0)) {
		struct pollfd p[2] = {{sfd, POLLIN, 0}, {fd, POLLPRI, 0}};
		struct timespec ts, *t = 0;

		if (timeout)
			ts = *timeout, t = &ts;
		sig = sys_ppoll(p, 2, t);
		*pri = p[1].revents != 0;
		if (!p[0].revents)
			return sig == -EINTR || sig >= 0 ? 0 : sig;
		/* The signal is taken as ever, without waiting. */
		timeout = &at_once;
	}
	sig = sys_sigtimedwait(&all, &info, timeout);

	if (sig < 0)
		return sig == -EAGAIN || sig == -EINTR ? 0 : sig;
	si->ssi_signo = (uint32_t)sig;
	si->ssi_code = info.si_code;
	si->ssi_pid = (uint32_t)info.si_pid;
	si->ssi_int = info.si_value.sival_int;
	return 1;
}
