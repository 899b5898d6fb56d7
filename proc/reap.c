/* reap.c: collect every child that has exited, adopted orphans included. */
#include "proc/reap.h"
#include "proc/num.h"
#include "proc/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

void
proc_reap(pid_t main, struct reap *r)
{
	pid_t pid;
	int st;

	r->main_exited = r->main_status = 0;
	r->none_left = 0;
	r->count = 0;
	for (;;) {
		pid = sys_waitpid(-1, &st, WNOHANG);
		if (pid > 0) {
			r->count++;
			if (pid == main) {
				r->main_exited = 1;
				r->main_status = st;
			}
			continue;
		}
		if (pid == -EINTR)
			continue;
		r->none_left = pid == -ECHILD;
		return;
	}
}

/* Signals pid unless told already holds it. */
static int
tell(pid_t pid, int sig, struct proc_told *t)
{
	int i;

	if (t) {
		for (i = 0; i < t->n; i++)
			if (t->pid[i] == pid)
				return 0;
		/* Full: a second signal is better than none. */
		if (t->n < PROC_TOLD_MAX)
			t->pid[t->n++] = pid;
	}
	return sys_kill(pid, sig) == 0;
}

int
proc_signal_all(int sig, int everyone, struct proc_told *t)
{
	char path[48] = "/proc/self/task/", buf[4096], *o = path + 16;
	char num[NUM_MAX], *n;
	const char *p;
	ssize_t len, i;
	int fd, count = 0;
	pid_t self = getpid(), pid = 0;

	/* Nobody left to signal is no error. */
	if (everyone)
		return (fd = sys_kill(-1, sig)) == -ESRCH ? 0 : fd ? fd : 1;
	/* reinit runs no threads, so its only task's children are all of its
	 * children. */
	for (n = num_dec(num + sizeof(num) - 1, (unsigned long long)self); *n;)
		*o++ = *n++;
	for (p = "/children"; (*o++ = *p++);)
		;
	if ((fd = sys_open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return fd;
	/* A space-separated list of numbers; one may straddle two reads. */
	while ((len = sys_read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < len; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				pid = pid * 10 + (buf[i] - '0');
			} else if (pid > 0) {
				count += tell(pid, sig, t);
				pid = 0;
			}
		}
	if (pid > 0)
		count += tell(pid, sig, t);
	sys_close(fd);
	return count;
}
