/* chan.h: the channel on which other processes ask the running reinit:
 * `reinit --restart`, `reinit status`, and the built-in tar and rm, which
 * hold its restarts while they write. */
#ifndef REINIT_CHAN_H
#define REINIT_CHAN_H

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

/* A Unix socket in the abstract namespace: no file in the image (scratch,
 * read-only root filesystems), gone with reinit. Its name is
 * "reinit:PIDNS:PID", the inode of reinit's PID namespace and its pid
 * there, so that reinits in other containers of a pod (one network
 * namespace, their own PID namespaces) or in a shared PID namespace never
 * collide, and so that a client that found reinit's pid knows the name
 * and the kernel tells it who answers there (SO_PEERCRED). Every process
 * of the network namespace can connect: reinit serves only root and its
 * own uid, by the kernel's word (SO_PEERCRED). SOCK_SEQPACKET: each
 * request and answer is one message, and a closed connection is seen at
 * once, which ends a sync's hold however the sync ended. */

/* Requests, a byte each. */
#define CHAN_RESTART  'R' /* restart the child; answered */
#define CHAN_STATUS   'S' /* answered with a screen of text, then closed */
#define CHAN_HOLD     'H' /* a sync step begins; answered; held while open */
#define CHAN_PROGRESS 'p' /* the step's stream moved */
#define CHAN_DONE     'd' /* the step ended, and the sync with it */
#define CHAN_MORE     'm' /* the step ended, and another may follow */
/* Answers. */
#define CHAN_BEGUN   'B' /* done, or under way */
#define CHAN_REFUSED 'N' /* not now: stopping, or no command (--pause) */
#define CHAN_DENIED  'P' /* the asker is neither root nor reinit's user */

/* The address of the channel of the reinit whose pid (in this PID
 * namespace) is pid; its length for bind and connect. */
socklen_t chan_addr(struct sockaddr_un *a, pid_t pid);

#endif
