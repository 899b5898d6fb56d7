/* burst N: leaves N live orphans for init, all blocked on one pipe; prints
 * "ready", and on a line on stdin releases them at once, then prints
 * "exited" once every one of them is a zombie. Exits at the end of stdin. */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void
say(const char *s, int len)
{
	if (write(1, s, (size_t)len) != len)
		_exit(1);
}

/* Waits for a line, or the end, on stdin. */
static int
wait_stdin(void)
{
	char c;
	ssize_t n;

	while ((n = read(0, &c, 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (c == '\n')
			return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int rel[2], pids[2], tries, st, fd;
	struct pollfd pfd;
	static pid_t list[1 << 20];
	long i, n, got = 0;
	ssize_t r;
	pid_t m, pid;
	char c;

	if (argc != 2 || (n = atol(argv[1])) <= 0 || n > (1 << 20)) {
		fputs("usage: burst N\n", stderr);
		return 2;
	}
	if (pipe(rel) < 0 || pipe(pids) < 0)
		return 1;
	m = fork();
	if (m < 0)
		return 1;
	if (m == 0) {
		/* The middle process: its children outlive it and so become
		 * init's; it tells us their pids. */
		close(rel[1]);
		close(pids[0]);
		for (i = 0; i < n; i++) {
			for (tries = 0;; tries++) {
				pid = fork();
				if (pid >= 0 || errno != EAGAIN || tries == 10000)
					break;
				sched_yield();
			}
			if (pid < 0)
				_exit(1);
			if (pid == 0) {
				close(pids[1]);
				while (read(rel[0], &c, 1) < 0 && errno == EINTR)
					;
				_exit(0);
			}
			if (write(pids[1], &pid, sizeof(pid)) != sizeof(pid))
				_exit(1);
		}
		_exit(0);
	}
	close(rel[0]);
	close(pids[1]);
	while ((r = read(pids[0], (char *)list + got, sizeof(list) - (size_t)got)) > 0)
		got += r;
	got /= (long)sizeof(pid_t);
	if (waitpid(m, &st, 0) != m || st != 0 || got != n) {
		fputs("burst: could not make the orphans\n", stderr);
		return 1;
	}
	say("ready\n", 6);
	if (wait_stdin() <= 0)
		return 1;
	/* The release: every orphan sees the end of the pipe at once. */
	close(rel[1]);
	/* A pidfd becomes readable when its process has exited, that is when
	 * it is a zombie (init is stopped and cannot reap it yet). No /proc
	 * lookups: they would leave dentries for the reaper to flush. */
	for (i = 0; i < n; i++) {
		fd = (int)syscall(SYS_pidfd_open, list[i], 0);
		if (fd < 0) {
			perror("burst: pidfd_open");
			return 1;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
			;
		close(fd);
	}
	say("exited\n", 7);
	wait_stdin();
	return 0;
}
