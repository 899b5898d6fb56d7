/* serve.c: the running reinit's side of its request channel. */
#include "init/serve.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "init/chan.h"
#include "proc/sys.h"

static struct serve_conn conns[SERVE_MAX];

int
serve_open(struct serve *s)
{
	struct sockaddr_un a;
	int fd = sys_socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), err;

	s->fd = -1;
	s->c = conns;
	if (fd < 0)
		return fd;
	if ((err = sys_bind(fd, (struct sockaddr *)&a, chan_addr(&a, getpid()))) < 0 ||
	    (err = sys_listen(fd, SERVE_MAX)) < 0 || (err = sys_async(fd)) < 0) {
		sys_close(fd);
		return err;
	}
	s->fd = fd;
	return 0;
}

void
serve_accept(struct serve *s)
{
	struct ucred cr;
	socklen_t len;
	int fd;
	char no = CHAN_DENIED;

	while ((fd = sys_accept4(s->fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		len = sizeof(cr);
		/* The kernel's word on who asks, not the client's. */
		if (sys_getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 ||
		    (cr.uid != 0 && cr.uid != geteuid())) {
			sys_send(fd, &no, 1, MSG_DONTWAIT);
			sys_close(fd);
		} else if (s->n == SERVE_MAX || sys_async(fd) < 0) {
			sys_close(fd);
		} else {
			s->c[s->n].fd = fd;
			s->c[s->n].pid = cr.pid;
			s->c[s->n++].holds = 0;
		}
	}
}

int
serve_request(struct serve *s, int i)
{
	char b[2];
	long n = sys_read(s->c[i].fd, b, sizeof(b));

	if (n == -EAGAIN || n == -EINTR)
		return -1;
	return n == 1 ? (unsigned char)b[0] : 0;
}

void
serve_send(struct serve *s, int i, const char *buf, size_t n)
{
	sys_send(s->c[i].fd, buf, n, MSG_DONTWAIT);
}

void
serve_close(struct serve *s, int i)
{
	sys_close(s->c[i].fd);
	s->c[i] = s->c[--s->n];
}
