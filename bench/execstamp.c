/* execstamp: appends "exec <CLOCK_MONOTONIC ns>" to FILE, then execs the
 * command: the start of a watcher's set-up, without a launcher's delay. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec ts;
	char line[64];
	int fd, n;

	if (argc < 3) {
		fputs("usage: execstamp FILE command [args...]\n", stderr);
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = snprintf(line, sizeof(line), "exec %lld\n",
		     (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	if (write(fd, line, (size_t)n) != n)
		return 1;
	close(fd);
	execvp(argv[2], argv + 2);
	perror("execstamp: exec");
	return 127;
}
