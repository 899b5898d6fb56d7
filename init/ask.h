/* ask.h: how another process asks the running reinit for something. */
#ifndef REINIT_ASK_H
#define REINIT_ASK_H

#include <sys/types.h>

/* A request is this signal, sent with sigqueue() and one of the values
 * below. Not SIGCONT: the kernel lets any process of the same session send
 * SIGCONT whatever its user, while this one only reaches reinit from a
 * process that may also send it SIGTERM. SIGRTMAX-4 as the kernel numbers
 * it, not SIGRTMAX: qemu-user, which runs arm64 images on amd64 hosts (and
 * the reverse), keeps the top real-time signals for itself (63 and 64 in
 * 7.2, 61 to 64 since 8.2) and refuses them with EINVAL. Any other signal,
 * or this one with another value, is forwarded as usual. */
#define ASK_SIG 60

enum {
	ASK_RESTART = 0x72656e74, /* restart the child; answered BEGUN or REFUSED */
	ASK_BEGUN,
	ASK_REFUSED,
	ASK_HOLD,         /* a sync begins: no restart until it ends */
	ASK_RELEASE,      /* it ended: restart now if anything changed */
	ASK_RELEASE_SOON, /* it ended, and another step may follow */
	ASK_RELEASE_NEXT, /* it ended, and another step follows */
	ASK_LAST = ASK_RELEASE_NEXT,
};

/* Is pid running this very binary? By device and inode, so a reinit linked
 * as tini, dumb-init, tar or rm is still itself. 1, 0, or -errno when
 * /proc does not say. */
int ask_same_binary(pid_t pid);

/* The running reinit: PID 1 when it is reinit (the usual container), else
 * the first reinit in /proc that is not this process (a pod sharing its PID
 * namespace); 0 when there is none, -EACCES when PID 1 runs as another user. */
pid_t ask_find(void);

/* Sends what to pid: 0 or -errno. */
int ask_send(pid_t pid, int what);

/* reinit --restart: asks and waits for the answer; the exit code. */
int ask_restart(void);

/* Tells the running reinit, if there is one, that a sync holds or releases
 * its restarts; quietly nothing without one. */
void ask_hold(int what);

#endif
