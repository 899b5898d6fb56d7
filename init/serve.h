/* serve.h: the running reinit's side of its request channel (chan.h). */
#ifndef REINIT_SERVE_H
#define REINIT_SERVE_H

#include <stddef.h>

#include "proc/clock.h"

/* Connections open at once: the sync steps holding restarts (two syncs
 * at once take two or three) and the odd --restart or status. One more
 * is closed at once, and its client says so. */
#define SERVE_MAX 8

struct serve_conn {
	int fd;
	int pid;    /* the client's, by the kernel's word */
	int holds;  /* it asked for a hold, and has not ended it */
	msec since; /* when the hold began */
};

/* In struct loop, which an idle init keeps in one page: the table of
 * connections is serve.c's own, in pages touched only when someone
 * connects. */
struct serve {
	int fd; /* listening, or -1 */
	int n;
	struct serve_conn *c;
};

/* Listens at this reinit's name: 0, or -errno (-EADDRINUSE: another
 * process has the name). The socket and every connection raise SIGIO
 * (si_code > 0, which no other process can send) when something comes:
 * reinit, blocked in one wait for signals, needs no other descriptor
 * polled, and a forwarded signal still costs that one wait and the kill. */
int serve_open(struct serve *s);

/* Takes every connection waiting. Those of other users than root and
 * reinit's own are answered CHAN_DENIED and closed. */
void serve_accept(struct serve *s);

/* The next request on connection i: its byte, 0 when the client has
 * gone (or sent more than a request), or -1 when none is waiting. */
int serve_request(struct serve *s, int i);

/* Sends n bytes on connection i, without waiting. */
void serve_send(struct serve *s, int i, const char *buf, size_t n);

/* Closes connection i; the last one takes its place. */
void serve_close(struct serve *s, int i);

#endif
