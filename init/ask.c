/* ask.c: the client side of asking a running reinit: --restart, and the
 * hold that the built-in tar and rm put on restarts while they write. */
#include "init/ask.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "init/log.h"
#include "proc/sys.h"

#define ANSWER_MS 5000
/* A reinit that takes holds answers at once; anything else is not waited
 * for longer than this. */
#define HOLD_ANSWER_MS 1000

int
ask_same_binary(pid_t pid)
{
	char path[40] = "/proc/", num[LOG_NUM], *p = path + 6;
	const char *s;
	struct stat self, st;

	for (s = log_num(num, pid); *s;)
		*p++ = *s++;
	for (s = "/exe"; (*p++ = *s++);)
		;
	if (sys_stat(AT_FDCWD, "/proc/self/exe", &self, 0) < 0 ||
	    sys_stat(AT_FDCWD, path, &st, 0) < 0)
		return -errno;
	return st.st_dev == self.st_dev && st.st_ino == self.st_ino;
}

pid_t
ask_find(void)
{
	char buf[2048];
	long n, off;
	int fd, r;

	/* Another user's PID 1 cannot be looked at, only asked: the
	 * kernel's answer to that is the one to give. Without /proc, PID 1
	 * is the only guess. */
	if (getpid() != 1 && ((r = ask_same_binary(1)) > 0 || r == -EACCES || r == -ENOENT))
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
			if (*c || !pid || pid == getpid() || ask_same_binary(pid) != 1)
				continue;
			sys_close(fd);
			return pid;
		}
	}
	sys_close(fd);
	return 0;
}

int
ask_send(pid_t pid, int what)
{
	siginfo_t si = {.si_signo = ASK_SIG, .si_code = SI_QUEUE};

	/* sigqueue(3) by hand: musl's brings signal-set code for nothing. */
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = what;
	return syscall(SYS_rt_sigqueueinfo, pid, ASK_SIG, &si) < 0 ? -errno : 0;
}

/* Asks pid for what and waits up to ms for its answer: the answer's value,
 * -ETIMEDOUT, or -errno from sending. The answer is a signal, blocked
 * before asking so that none is lost. */
static int
ask(pid_t pid, int what, int ms)
{
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};
	uint64_t set = (uint64_t)1 << (ASK_SIG - 1);
	siginfo_t si;
	int r;

	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, sizeof(set));
	if ((r = ask_send(pid, what)) < 0)
		return r;
	for (;;) {
		if (syscall(SYS_rt_sigtimedwait, &set, &si, &ts, sizeof(set)) < 0) {
			if (errno == EINTR)
				continue;
			return -ETIMEDOUT;
		}
		if (si.si_code == SI_QUEUE && si.si_pid == pid)
			return si.si_value.sival_int;
	}
}

int
ask_restart(void)
{
	char num[LOG_NUM];
	pid_t pid = ask_find();
	int r;

	if (!pid) {
		log_msg(LOG_ERROR, "no running reinit found in this container (looked at PID 1 "
				   "and /proc): nothing to restart");
		return 1;
	}
	if ((r = ask(pid, ASK_RESTART, ANSWER_MS)) == ASK_BEGUN)
		return 0;
	log_msg(LOG_ERROR, "cannot ask reinit (pid ", log_num(num, pid), ") to restart: ",
		r == -EPERM       ? "permission denied (it runs as another user)"
		: r == -ETIMEDOUT ? "no answer within 5s: is it reinit?"
		: r < 0           ? log_strerror(-r)
				  : "it refused: it is stopping, or runs no command (--pause)");
	return 1;
}

void
ask_hold(int what)
{
	static pid_t pid = -1;

	if (pid < 0)
		pid = ask_find();
	/* The hold is answered: reinit has taken it (and seen this process
	 * alive) before anything is written. The release needs no answer. */
	if (pid > 0 && what == ASK_HOLD)
		ask(pid, what, HOLD_ANSWER_MS);
	else if (pid > 0)
		ask_send(pid, what);
}
