/* hold.h: syncs hold restarts while they write (pure). */
#ifndef REINIT_HOLD_H
#define REINIT_HOLD_H

#include "proc/clock.h"

/* A sync step is one exec of the built-in tar or rm: Tilt's rm then tar,
 * Skaffold's tar then rm, one tar for kubectl cp, one rm for Docker
 * Compose (whose files the engine then writes itself, with no exec). Each
 * step holds restarts while it runs, on a connection that the kernel
 * closes when the step ends however it ends, and says at its end whether
 * another step may follow. */

/* After a step that says another may follow, restarts stay held this long:
 * longer than the gap between two execs of one sync (about 30 ms locally,
 * hundreds on a remote cluster through the API server and the kubelet),
 * short enough that a sync with no further step restarts within it. */
#define HOLD_LINGER_MS 1000
/* Files that someone else writes meanwhile (Compose's engine, which copies
 * them with no exec) keep the hold until they have been quiet this long:
 * one restart, within a second of the last of them (this, the debounce
 * and the restart itself), not one per file. */
#define HOLD_SETTLE_MS 500
/* A step whose stream has not moved for this long (a half-open kubectl
 * exec, a client gone to sleep) no longer holds a restart that is due: one
 * line says so and the restart goes ahead. Far longer than any pause of a
 * live stream (TCP's first retransmission is at most a second), short
 * enough that someone waiting for the restart does not give up first. A
 * step that moves again holds again. */
#define HOLD_STALL_MS 5000

#define HOLD_EVENTS(X)                                                                             \
	X(BEGIN, "a sync step began: no restart until it ends")                                    \
	X(PROGRESS, "a step's stream moved")                                                       \
	X(DONE, "a step ended, and the sync with it")                                              \
	X(MORE, "a step ended, and another step may follow")                                       \
	X(CUT, "a step's connection closed without a word: killed, crashed, stream cut")           \
	X(FILES, "file events arrived, from whatever writer")                                      \
	X(DUE, "the watcher has changes due a restart")                                            \
	X(TIMER, "the deadline passed")

enum hold_event {
#define HOLD_X(name, doc) HOLD_EV_##name,
	HOLD_EVENTS(HOLD_X)
#undef HOLD_X
};

/* What the caller must do, as a set of bits. */
#define HOLD_RESTART   0x1 /* restart now: changes came due */
#define HOLD_FLUSH     0x2 /* the hold is over: changes still pending count now, undebounced */
#define HOLD_SAY_CUT   0x4 /* one line: a sync step ended without saying so */
#define HOLD_SAY_STALL 0x8 /* one line: a step has not moved for HOLD_STALL_MS, restarting */

/* Written by hold_step only. */
struct hold {
	int steps;          /* steps running now */
	int due;            /* changes came due while held */
	msec linger;   /* with no step running: held until then, or NEVER */
	msec moved;    /* when a running step last moved */
	msec deadline; /* when hold_step wants HOLD_EV_TIMER, or NEVER */
};

void hold_init(struct hold *h);

/* Moves h on by one event at time now; returns the HOLD_* actions. */
unsigned hold_step(struct hold *h, enum hold_event ev, msec now);

/* Whether restarts are held now. */
int hold_held(const struct hold *h, msec now);

#endif
