/* ask.c: the client side of the request channel: reinit --restart,
 * reinit status, and the hold that the built-in tar and rm put on restarts
 * while they write. */
#include "init/ask.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "init/chan.h"
#include "init/log.h"
#include "proc/clock.h"
#include "proc/sys.h"

/* How long --restart and status wait for their answer. */
#define ANSWER_MS 5000
/* A reinit that takes holds answers at once; a hold is not waited for
 * longer than this. */
#define HOLD_ANSWER_MS 1000
/* A hold's stream is said to move at most this often. */
#define MOVED_EVERY_MS 1000

/* Connects to the channel of the reinit at pid: the descriptor, or -errno
 * (-ESRCH when another process listens at its name: nothing is sent). The
 * kernel's word that pid itself listens at the name made for pid is the
 * proof that it is reinit: no other program binds that name. It needs no
 * look at /proc/PID/exe, which another user's process (PID 1 under
 * another uid, an exec without CAP_SYS_PTRACE) does not show. */
static int
ask_open(pid_t pid)
{
	struct sockaddr_un a;
	struct ucred cr;
	socklen_t len = sizeof(cr);
	int fd = sys_socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return fd;
	if ((err = sys_connect(fd, (struct sockaddr *)&a, chan_addr(&a, pid))) >= 0 &&
	    (err = sys_getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len)) >= 0 && cr.pid != pid)
		err = -ESRCH;
	if (err) {
		sys_close(fd);
		return err;
	}
	return fd;
}

/* The running reinit's channel: PID 1's (the usual container), else that
 * of the first process in /proc that listens at its own name (a pod
 * sharing its PID namespace, reinit started by another init). The
 * descriptor, or PID 1's -errno (-ECONNREFUSED: nothing listens). */
static int
ask_find(void)
{
	char buf[2048];
	long n, off;
	int fd, dir, first = ask_open(1);

	if (first >= 0 || (dir = sys_open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return first;
	while ((n = sys_getdents64(dir, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			struct dirent *d = (struct dirent *)(buf + off);
			const char *c = d->d_name;
			pid_t pid = 0;

			off += d->d_reclen;
			while (*c >= '0' && *c <= '9')
				pid = pid * 10 + (*c++ - '0');
			if (*c || pid <= 1 || pid == getpid() || (fd = ask_open(pid)) < 0)
				continue;
			sys_close(dir);
			return fd;
		}
	}
	sys_close(dir);
	return first;
}

/* Waits up to ms for a message on fd, into buf: its length, 0 at the end,
 * -ETIMEDOUT, or -errno. */
static long
answer(int fd, char *buf, unsigned long size, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};
	long n;

	/* Nothing interrupts it: the client installs no handler. */
	if ((n = sys_ppoll(&p, 1, &ts)) == 0)
		return -ETIMEDOUT;
	/* reinit closed the connection with the request unread (a refusal
	 * sent at once): the kernel says so first, then gives the answer. */
	if (n > 0 && (n = sys_read(fd, buf, size)) == -ECONNRESET)
		n = sys_read(fd, buf, size);
	return n;
}

/* Sends request c to fd and waits up to ms for the answer, into buf: its
 * length, or -errno (-ECONNRESET when reinit hung up). */
static long
request(int fd, char c, char *buf, unsigned long size, int ms)
{
	long err = sys_send(fd, &c, 1, 0), n;

	/* A refusal may have come before the request could be sent. */
	n = answer(fd, buf, size, err < 0 ? 0 : ms);
	return n > 0 ? n : err < 0 ? err : n < 0 ? n : -ECONNRESET;
}

int
ask_main(int c)
{
	static char buf[8192];
	int fd = ask_find();
	long n = fd;
	char a = 0;

	if (fd >= 0) {
		n = request(fd, (char)c, buf, sizeof(buf), ANSWER_MS);
		sys_close(fd);
		/* The status text, or a one-byte answer. */
		if (n > 1)
			return sys_write(1, buf, (unsigned long)n) != n;
		if (n == 1 && (a = buf[0]) == CHAN_BEGUN)
			return 0;
	}
	log_msg(LOG_ERROR,
		c == CHAN_STATUS ? "no status from reinit: " : "cannot ask reinit to restart: ",
		a == CHAN_DENIED    ? "permission denied (only root and reinit's own user may ask)"
		: a == CHAN_REFUSED ? "it refused: it is stopping, or runs no command (--pause)"
		: a                 ? "it answered something else"
		: n == -ECONNREFUSED
			? "no running reinit found in this container (looked at PID 1 and /proc)"
		: n == -ESRCH     ? "another process listens at reinit's name; nothing was sent"
		: n == -ETIMEDOUT ? "no answer within 5s"
				  : log_strerror((int)-n));
	return 1;
}

static int hold_fd = -1;
static msec hold_moved;

void
ask_hold_begin(void)
{
	/* The hold is answered: reinit has taken it before anything is
	 * written, so the events of the files written are seen after it. */
	char r = 0;

	if ((hold_fd = ask_find()) >= 0 &&
	    (request(hold_fd, CHAN_HOLD, &r, 1, HOLD_ANSWER_MS) != 1 || r != CHAN_BEGUN)) {
		sys_close(hold_fd);
		hold_fd = -1;
	}
	hold_moved = sys_clock_ms(CLOCK_MONOTONIC);
}

void
ask_hold_moved(void)
{
	char c = CHAN_PROGRESS;
	msec now;

	if (hold_fd < 0 || (now = sys_clock_ms(CLOCK_MONOTONIC)) - hold_moved < MOVED_EVERY_MS)
		return;
	hold_moved = now;
	sys_send(hold_fd, &c, 1, MSG_DONTWAIT);
}

void
ask_hold_end(int more)
{
	char c = more ? CHAN_MORE : CHAN_DONE;

	if (hold_fd < 0)
		return;
	sys_send(hold_fd, &c, 1, MSG_DONTWAIT);
	sys_close(hold_fd);
	hold_fd = -1;
}
