/* leftover: leave a process behind in our own process group, then exit 0.
 *
 * The process left behind blocks every signal it can, so whatever is sent
 * to it stays pending in /proc/PID/status for a test to read; it prints
 * "left PID" before the parent exits, and lives until SIGKILL. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	sigset_t set;
	int p[2], null;
	char c;

	sigfillset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (pipe(p) == -1) {
		perror("leftover: pipe");
		return 1;
	}
	switch (fork()) {
	case -1:
		perror("leftover: fork");
		return 1;
	case 0:
		printf("left %d\n", (int)getpid());
		fflush(stdout);
		/* Hold no one's output open: the test waits for its end. */
		null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		close(p[0]);
		close(p[1]);
		for (;;)
			pause();
	default:
		close(p[1]);
		/* EOF once the one left behind has printed its line. */
		while (read(p[0], &c, 1) > 0)
			;
		return 0;
	}
}
