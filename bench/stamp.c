/* stamp: the watchers' child; appends "start <CLOCK_MONOTONIC ns> <pid>" to
 * FILE as the first thing it does, then waits to be killed. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec ts;
	char line[64];
	int fd, n, sig;

	/* First: the clock, before anything else can add to the latency. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (argc != 2) {
		fputs("usage: stamp FILE\n", stderr);
		return 2;
	}
	n = snprintf(line, sizeof(line), "start %lld %d\n",
		     (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, (int)getpid());
	fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, line, (size_t)n) != n)
		return 1;
	close(fd);
	/* A shell's background job inherits SIGINT and SIGQUIT ignored; every
	 * tool's stop signal must end us whatever we inherited. */
	for (sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD && sig != SIGCONT &&
		    sig != SIGWINCH && sig != SIGURG)
			signal(sig, SIG_DFL);
	for (;;)
		pause();
}
