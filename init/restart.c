/* restart.c: reinit --restart, the client that asks a running reinit. */
#include "init/restart.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "init/log.h"
#include "init/loop.h"
#include "proc/sys.h"

#define ANSWER_MS 5000

/* Is pid running this very binary? Compared by device and inode, so that a
 * reinit renamed tini or dumb-init is still found. */
static int
same_binary(const char *pid, const struct stat *self)
{
	char path[40] = "/proc/", *p = path + 6;
	const char *s;
	struct stat st;

	for (s = pid; *s && p < path + 24; s++)
		*p++ = *s;
	for (s = "/exe"; (*p++ = *s++);)
		;
	return sys_stat(AT_FDCWD, path, &st, 0) == 0 && st.st_dev == self->st_dev &&
	       st.st_ino == self->st_ino;
}

/* PID 1 when it is reinit (the usual container); else the first reinit in
 * /proc that is not this process (a pod that shares its PID namespace). */
static pid_t
find_reinit(void)
{
	char buf[2048];
	struct stat self;
	long n, off;
	int fd;

	if (sys_stat(AT_FDCWD, "/proc/self/exe", &self, 0) < 0)
		return 1; /* no /proc to look in: PID 1 is the only guess */
	if (getpid() != 1 && same_binary("1", &self))
		return 1;
	if ((fd = sys_open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			struct dirent *d = (struct dirent *)(buf + off);
			const char *c = d->d_name;
			pid_t pid = 0;

			off += d->d_reclen;
			while (*c >= '0' && *c <= '9')
				pid = pid * 10 + (*c++ - '0');
			if (*c || !pid || pid == getpid() || !same_binary(d->d_name, &self))
				continue;
			close(fd);
			return pid;
		}
	}
	close(fd);
	return 0;
}

int
restart_client(void)
{
	struct timespec ts = {ANSWER_MS / 1000, 0};
	union sigval v = {.sival_int = LOOP_RESTART_ASK};
	char num[LOG_NUM];
	siginfo_t si;
	sigset_t set;
	pid_t pid = find_reinit();

	if (!pid) {
		log_msg(LOG_ERROR, "no running reinit found in this container (looked at PID 1 "
				   "and /proc): nothing to restart");
		return 1;
	}
	/* The answer is a signal: blocked before asking, so none is lost. */
	sigemptyset(&set);
	sigaddset(&set, SIGCONT);
	sigprocmask(SIG_BLOCK, &set, 0);
	if (sigqueue(pid, SIGCONT, v) < 0) {
		log_msg(LOG_ERROR, "cannot ask reinit (pid ", log_num(num, pid),
			") to restart: ", log_strerror(errno));
		return 1;
	}
	for (;;) {
		if (sigtimedwait(&set, &si, &ts) < 0) {
			if (errno == EINTR)
				continue;
			log_msg(LOG_ERROR, "pid ", log_num(num, pid),
				" did not answer the restart request within 5s: is it reinit?");
			return 1;
		}
		if (si.si_code != SI_QUEUE || si.si_pid != pid)
			continue;
		if (si.si_value.sival_int == LOOP_RESTART_BEGUN)
			return 0;
		log_msg(LOG_ERROR, "reinit (pid ", log_num(num, pid),
			") refused: it is stopping, or runs no command (--pause)");
		return 1;
	}
}
