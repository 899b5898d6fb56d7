/* sigsend PID COUNT: COUNT times, reads the clock, sends SIGUSR1 to PID and
 * reads sigrecv's receipt time from stdin; prints each latency in ns. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* One line from fd 0, unbuffered: the receipts come one per signal. */
static long long
read_line(void)
{
	char buf[64];
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(buf) - 1) {
		n = read(0, buf + len, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = 0;
	return strtoll(buf, NULL, 10);
}

int
main(int argc, char **argv)
{
	struct timespec ts;
	long long t0, t1;
	int pid, count, i;

	if (argc != 3) {
		fputs("usage: sigsend PID COUNT\n", stderr);
		return 2;
	}
	pid = atoi(argv[1]);
	count = atoi(argv[2]);
	for (i = 0; i < count; i++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		t0 = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
		if (kill(pid, SIGUSR1) < 0) {
			perror("sigsend: kill");
			return 1;
		}
		if ((t1 = read_line()) < 0) {
			fputs("sigsend: no receipt\n", stderr);
			return 1;
		}
		printf("%lld\n", t1 - t0);
	}
	return 0;
}
