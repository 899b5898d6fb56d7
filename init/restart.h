/* restart.h: reinit --restart, the client that asks a running reinit. */
#ifndef REINIT_RESTART_H
#define REINIT_RESTART_H

/* Finds the running reinit, asks it to restart its child and waits for the
 * answer. Returns the exit code: 0 once the restart has begun. */
int restart_client(void);

#endif
