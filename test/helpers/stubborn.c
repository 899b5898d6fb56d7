/* stubborn: ignore SIGTERM, print "ready", then pause forever. With a
 * command, first start it as a child in the same process group (a worker
 * the stop signal does not reach unless the whole group is told). */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	signal(SIGTERM, SIG_IGN);
	if (argc > 1) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			execv(argv[1], argv + 1);
			_exit(127);
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
