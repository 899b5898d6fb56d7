/* status.h: a wait status as the exit code a shell would show (pure). */
#ifndef REINIT_STATUS_H
#define REINIT_STATUS_H

/* WEXITSTATUS for a normal exit, 128+N for death by signal N. */
int status_code(int wstatus);

#endif
