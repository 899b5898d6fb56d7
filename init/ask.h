/* ask.h: how another process asks the running reinit for something, on
 * its request channel (chan.h). */
#ifndef REINIT_ASK_H
#define REINIT_ASK_H

#include <sys/types.h>

/* reinit --restart (c CHAN_RESTART) and reinit status (CHAN_STATUS): asks
 * the running reinit and waits for its answer, the status text on stdout;
 * the exit code, 1 after one line that says why. */
int ask_main(int c);

/* A sync step begins: a watching reinit holds restarts until
 * ask_hold_end, or until this process ends however it ends. Quietly
 * nothing without a reinit. */
void ask_hold_begin(void);

/* The step's stream moved: said at most once a second, so that a stalled
 * stream is told from a slow one. */
void ask_hold_moved(void);

/* The step ended; more: another step of the same sync may follow. */
void ask_hold_end(int more);

#endif
