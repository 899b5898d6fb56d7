/* feed: one exec of a sync: runs a command with FILE on its stdin, written
 * at RATE bytes/s (0: all at once; FILE "-": nothing), and prints
 * "begin <ns> end <ns> status <n>" on CLOCK_MONOTONIC: begin just before the
 * fork, end once the command has been reaped, the moment a caller such as
 * kubectl exec would see it end. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 4096

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	static char buf[CHUNK];
	long long rate, t0, t1, off = 0, t, left;
	struct timespec ts;
	struct pollfd pf = {.events = POLLIN};
	int p[2], in = -1, st;
	ssize_t n, w, k;
	pid_t pid;

	if (argc < 4) {
		fputs("usage: feed RATE FILE|- command [args...]\n", stderr);
		return 2;
	}
	rate = atoll(argv[1]);
	if (strcmp(argv[2], "-") && (in = open(argv[2], O_RDONLY | O_CLOEXEC)) < 0) {
		perror(argv[2]);
		return 2;
	}
	/* A command that stops reading early must not kill us: its status
	 * is what counts. */
	signal(SIGPIPE, SIG_IGN);
	t0 = now_ns();
	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		perror("feed");
		return 2;
	}
	if (pid == 0) {
		dup2(p[0], 0);
		execvp(argv[3], argv + 3);
		perror("feed: exec");
		_exit(127);
	}
	close(p[0]);
	/* A tar stops at the archive's end marker: its end must be seen
	 * then, not at our next paced write. */
	pf.fd = (int)syscall(SYS_pidfd_open, pid, 0);
	while (in >= 0 && (n = read(in, buf, sizeof(buf))) > 0) {
		if (rate > 0) {
			/* Paced from the start, so a late write does not
			 * slow the whole stream down. */
			t = t0 + off * 1000000000LL / rate;
			while ((left = t - now_ns()) > 0) {
				ts.tv_sec = left / 1000000000LL;
				ts.tv_nsec = left % 1000000000LL;
				/* A negative fd (no pidfd) is ignored. */
				if (ppoll(&pf, 1, &ts, NULL) > 0)
					goto done;
			}
		}
		for (w = 0; w < n; w += k)
			if ((k = write(p[1], buf + w, (size_t)(n - w))) < 0) {
				if (errno == EINTR) {
					k = 0;
					continue;
				}
				goto done;
			}
		off += n;
	}
done:
	close(p[1]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 2;
	t1 = now_ns();
	printf("begin %lld end %lld status %d\n", t0, t1,
	       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}
