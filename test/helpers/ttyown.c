/* ttyown: report whether the controlling terminal is ours, then echo signals.
 *
 * Prints "tty ok fg 1" when /dev/tty opens and our process group is its
 * foreground group ("tty ERRNO-NAME" when it does not open), then "ready",
 * then "sig N" for every signal it receives, and exits after SIGWINCH: it
 * is numbered above SIGHUP and SIGCONT, so any of them sent before it is
 * taken first, by the init and by us. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

int
main(void)
{
	struct signalfd_siginfo si;
	sigset_t set;
	int fd, sfd;

	/* Caught from the first instruction on: a SIGHUP forwarded early
	 * must be seen, not kill us. */
	sigfillset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd == -1)
		printf("tty %s\n", errno == ENXIO ? "ENXIO" : strerror(errno));
	else
		printf("tty ok fg %d\n", tcgetpgrp(fd) == getpgrp());
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd == -1) {
		perror("ttyown: signalfd");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		if (read(sfd, &si, sizeof(si)) != sizeof(si)) {
			if (errno == EINTR)
				continue;
			perror("ttyown: read");
			return 1;
		}
		printf("sig %u\n", si.ssi_signo);
		fflush(stdout);
		if (si.ssi_signo == SIGWINCH)
			return 0;
	}
}
