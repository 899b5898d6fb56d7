/* sup.h: the supervisor as a table of (state, event) -> actions (pure). */
#ifndef REINIT_SUP_H
#define REINIT_SUP_H

#include "proc/clock.h"

/* The whole table: a row a state, a column an event; "-" is nothing.
 * Actions in capitals, "->" the next state. "drain" is DRAIN_BEGIN |
 * TERM_ALL | CHECK -> DRAINING with the drain grace (with no_drain, tini
 * and dumb-init when not PID 1: EXIT -> DONE); "respawn" marks the drain
 * as one that ends in a new child.
 *
 * clang-format off
 *            EXIT           STOP          TIMER          CHANGE         STARTED   BUSY
 * IDLE       -              drain         drain,respawn  drain,respawn  ->RUNNING -
 *                                         (if deadline)
 * RUNNING    wait: ->IDLE   FORWARD       -              TERM_CHILD     -         ->IDLE,
 *            restart: ->IDLE ->STOPPING   ->RESTARTING   (restart grace)          retry
 *            after back-off; (-t grace)
 *            exit: drain
 * RESTARTING drain,respawn  FORWARD       KILL_CHILD     -              -         -
 *                           ->STOPPING
 * STOPPING   drain          FORWARD       KILL_CHILD     -              -         -
 * DRAINING   -              no respawn    KILL_ALL,CHECK -              ->RUNNING -
 * DONE       -              -             -              -              -         -
 *
 * REAPED, in DRAINING: TERM_ALL (KILL_ALL once killed); EMPTY, in
 * DRAINING: SPAWN when respawn, else EXIT -> DONE. Elsewhere both are
 * nothing.
 * clang-format on
 */

#define SUP_STATES(X)                                                                              \
	X(IDLE, "no child: paused, postponed, or waiting for a change or a retry")                 \
	X(RUNNING, "the child runs")                                                               \
	X(RESTARTING, "the child was told to stop, and a new one follows")                         \
	X(STOPPING, "reinit was told to stop; the child was told too")                             \
	X(DRAINING, "no child: what the last one left behind is told to go")                       \
	X(DONE, "nothing is left: exit")

#define SUP_EVENTS(X)                                                                              \
	X(EXIT, "the child exited")                                                                \
	X(STOP, "SIGTERM or the stop signal arrived")                                              \
	X(TIMER, "the deadline passed")                                                            \
	X(CHANGE, "files changed, or a restart was asked for")                                     \
	X(REAPED, "other processes were reaped and some remain")                                   \
	X(EMPTY, "no process is left but reinit")                                                  \
	X(STARTED, "a child was started")                                                          \
	X(BUSY, "the child could not run: its file is still being written")

enum sup_state {
#define SUP_X(name, doc) SUP_##name,
	SUP_STATES(SUP_X)
#undef SUP_X
};

enum sup_event {
#define SUP_X(name, doc) SUP_EV_##name,
	SUP_EVENTS(SUP_X)
#undef SUP_X
};

/* What the caller must do, as a set of bits, in this order. */
#define SUP_FORWARD     0x01  /* pass the signal just received to the child */
#define SUP_TERM_CHILD  0x02  /* the stop signal to the child's process group */
#define SUP_KILL_CHILD  0x04  /* SIGKILL to the child (its group if it was told) */
#define SUP_DRAIN_BEGIN 0x100 /* a new drain: nobody has been told anything yet */
#define SUP_TERM_ALL    0x08  /* the stop signal to every other process not told yet */
#define SUP_KILL_ALL    0x10  /* SIGKILL to every other process */
#define SUP_SPAWN       0x20  /* start a child */
#define SUP_CHECK       0x40  /* reap, then report SUP_EV_EMPTY if nothing is left */
#define SUP_EXIT        0x80  /* exit with the child's status */

#define SUP_BACKOFF_MIN_MS 100
#define SUP_BACKOFF_MAX_MS 10000
#define SUP_HEALTHY_MS     10000
/* A child whose file was still being written is started again at its
 * close (a change), or after this long at the latest. */
#define SUP_BUSY_RETRY_MS 1000

/* In the order of opts.h's ONEXIT_*. */
enum sup_on_exit { SUP_ON_EXIT_WAIT, SUP_ON_EXIT_EXIT, SUP_ON_EXIT_RESTART };

/* The graces, in ms. stop < 0: a stop has no deadline of reinit's own (the
 * runtime's SIGKILL ends it); the others always have one. */
struct sup_graces {
	long stop;    /* -t: the child's, on SIGTERM or the stop signal */
	long restart; /* the child's, on a restart */
	long drain;   /* what is left once the child is gone */
};

/* Written by sup_init and sup_step only. */
struct sup {
	enum sup_state state;
	msec deadline; /* ms on the monotonic clock, or NEVER */
	msec started;  /* when the running child started */
	struct sup_graces g;
	long backoff_ms; /* the next delay before an --on-exit restart */
	int on_exit;     /* what the child exiting on its own leads to */
	int no_drain;    /* exit with the child, leaving the rest as it is */
	int respawn;     /* DRAINING ends in a new child rather than an exit */
	int killed;      /* the grace has run out: SIGKILL from now on */
};

/* Starts in SUP_IDLE; the caller spawns the first child and reports
 * SUP_EV_STARTED. */
void sup_init(struct sup *s, const struct sup_graces *g, int on_exit, int no_drain);

/* Moves s on by one event at time now; returns the SUP_* actions. */
unsigned sup_step(struct sup *s, enum sup_event ev, msec now);

#endif
