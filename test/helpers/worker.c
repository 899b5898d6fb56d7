/* worker: a daemon left behind by its parent, which flushes FILE on SIGTERM. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: worker [-i] [-s SIG] [-d MS] FILE\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int ignore = 0, sig = SIGTERM, opt, fd, got;
	long delay = 0;
	struct timespec ts;
	sigset_t set;

	while ((opt = getopt(argc, argv, "is:d:")) != -1) {
		switch (opt) {
		case 'i':
			ignore = 1;
			break;
		case 's':
			sig = atoi(optarg);
			break;
		case 'd':
			delay = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();

	/* Set up before the fork, so a signal sent as soon as the parent
	 * is gone is not lost. */
	sigemptyset(&set);
	if (ignore)
		signal(SIGTERM, SIG_IGN);
	else
		sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);

	switch (fork()) {
	case -1:
		perror("worker: fork");
		return 1;
	case 0:
		break;
	default:
		_exit(0);
	}
	setsid();
	printf("ready\n");
	fflush(stdout);
	if (ignore)
		for (;;)
			pause();
	if (sigwait(&set, &got) != 0)
		return 1;
	if (delay > 0) {
		ts.tv_sec = delay / 1000;
		ts.tv_nsec = delay % 1000 * 1000000L;
		nanosleep(&ts, NULL);
	}
	fd = open(argv[optind], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1 || write(fd, "flushed\n", 8) != 8 || fsync(fd) == -1 ||
	    close(fd) == -1) {
		perror("worker: flush");
		return 1;
	}
	return 0;
}
