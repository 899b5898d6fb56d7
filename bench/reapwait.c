/* reapwait PID N: init PID, stopped by SIGSTOP, has N zombie children
 * (burst said so) and one live one: sends SIGCONT and prints the ns until
 * at most one child (the burst helper) is left. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* How many children the file lists, up to two: the kernel makes each entry
 * under tasklist_lock, which the reaper needs for writing, so a poll reads
 * only the first few entries. -1 on error. */
static int
children_upto2(const char *path)
{
	char buf[64];
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), words = 0, i;

	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0) {
		len += n;
		for (words = 0, i = 0; i < len; i++)
			words += buf[i] == ' ';
		if (words >= 2)
			break;
	}
	close(fd);
	return words > 2 ? 2 : words;
}

/* The full count, once, before the clock starts. */
static long
children_all(const char *path)
{
	char buf[65536];
	ssize_t n, i;
	long words = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			words += buf[i] == ' ';
	close(fd);
	return words;
}

int
main(int argc, char **argv)
{
	struct timespec pause = {0, 1000000};
	char path[64];
	long n;
	long long t0, deadline;
	int pid;

	if (argc != 3) {
		fputs("usage: reapwait PID N\n", stderr);
		return 2;
	}
	pid = atoi(argv[1]);
	n = atol(argv[2]);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
	if (children_all(path) < n + 1) {
		fprintf(stderr, "reapwait: %d has fewer than %ld children\n", pid, n + 1);
		return 1;
	}
	t0 = now_ns();
	if (kill(pid, SIGCONT) < 0)
		return 1;
	deadline = t0 + 60000000000LL;
	while (now_ns() < deadline) {
		int c = children_upto2(path);

		if (c < 0)
			return 1;
		if (c <= 1) {
			printf("%lld\n", now_ns() - t0);
			return 0;
		}
		nanosleep(&pause, NULL);
	}
	fputs("reapwait: zombies left after 60 s\n", stderr);
	return 1;
}
