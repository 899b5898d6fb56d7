/* sigrec: appends the number of every signal it gets to FILE, one a line,
 * and ignores them all; FILE and "ready" appear once it is set up. With
 * -g N it exits 0 on signal N, after MS more milliseconds with -d MS (an
 * app that takes that long to shut down), writing "done" last. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int sig, fd, quit = 0;
	long delay = 0;
	sigset_t all;
	char line[16];
	struct timespec ts;

	if (argc >= 4 && !strcmp(argv[1], "-g")) {
		quit = atoi(argv[2]);
		argv += 2, argc -= 2;
	}
	if (argc >= 4 && !strcmp(argv[1], "-d")) {
		delay = atol(argv[2]);
		argv += 2, argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: sigrec [-g SIG [-d MS]] FILE\n");
		return 2;
	}
	/* FILE exists once every signal is caught: a script can wait for
	 * it before it goes on. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror("sigrec: open");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		if (sigwait(&all, &sig) != 0)
			return 1;
		snprintf(line, sizeof(line), "%d\n", sig);
		if (write(fd, line, strlen(line)) < 0)
			return 1;
		if (sig != quit)
			continue;
		ts.tv_sec = delay / 1000;
		ts.tv_nsec = delay % 1000 * 1000000L;
		while (nanosleep(&ts, &ts) < 0)
			;
		return write(fd, "done\n", 5) != 5;
	}
}
