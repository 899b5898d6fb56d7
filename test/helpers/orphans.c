/* orphans: leave N orphans for init to reap, print "done", then exit or exec. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Runs in a child of the top process: fork a grandchild that waits for the
 * end of the pipe, which comes when this child exits, then exits itself. The
 * grandchild is then an orphan, reparented to the nearest reaper, and dies
 * there as a zombie that only the reaper can collect.
 */
static void
make_orphan(int report)
{
	pid_t parent = getpid();
	int p[2];
	char c;

	if (pipe(p) == -1)
		_exit(1);
	switch (fork()) {
	case -1:
		_exit(1);
	case 0:
		close(p[1]);
		while (read(p[0], &c, 1) == -1 && errno == EINTR)
			;
		if (report) {
			/* The pipe closes before the reparenting is done. */
			while (getppid() == parent)
				sched_yield();
			printf("ppid %d\n", (int)getppid());
			fflush(stdout);
		}
		_exit(0);
	}
	_exit(0);
}

static void
reap_some(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

int
main(int argc, char **argv)
{
	int report = 0, tries;
	long i, n;
	char *end;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "-p") == 0) {
		report = 1;
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: orphans [-p] N [command args...]\n");
		return 2;
	}
	n = strtol(argv[1], &end, 10);
	if (*end != '\0' || n < 0) {
		fprintf(stderr, "orphans: bad count '%s'\n", argv[1]);
		return 2;
	}
	for (i = 0; i < n; i++) {
		for (tries = 0;; tries++) {
			pid = fork();
			if (pid != -1 || errno != EAGAIN || tries == 1000)
				break;
			reap_some();
			sched_yield();
		}
		if (pid == -1) {
			perror("orphans: fork");
			return 1;
		}
		if (pid == 0)
			make_orphan(report && i == 0);
		/* The direct children may be reaped here or left to init:
		 * only the grandchildren must be orphans. */
		reap_some();
	}
	if (argc > 2) {
		/* The next program would never reap these. */
		while (wait(NULL) > 0)
			;
	}
	printf("done\n");
	fflush(stdout);
	if (argc > 2) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "orphans: cannot run '%s': %s\n", argv[2],
		    strerror(errno));
		return 127;
	}
	return 0;
}
