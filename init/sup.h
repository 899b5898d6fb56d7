/* sup.h: the supervisor as a table of (state, event) -> actions (pure). */
#ifndef REINIT_SUP_H
#define REINIT_SUP_H

enum sup_state {
	SUP_IDLE,       /* no child: paused, postponed, or waiting for a change */
	SUP_RUNNING,    /* the child runs */
	SUP_RESTARTING, /* the child was told to stop, and a new one follows */
	SUP_STOPPING,   /* reinit was told to stop; the child was told too */
	SUP_DRAINING,   /* no child: what the last one left behind is told to go */
	SUP_DONE,       /* nothing is left: exit */
};

enum sup_event {
	SUP_EV_EXIT,   /* the child exited */
	SUP_EV_STOP,   /* SIGTERM or the stop signal arrived */
	SUP_EV_TIMER,  /* the deadline passed */
	SUP_EV_CHANGE, /* files changed, or a restart was asked for */
	SUP_EV_REAPED, /* other processes were reaped and some remain */
	SUP_EV_EMPTY,  /* no process is left but reinit */
};

/* What the caller must do, as a set of bits, in this order. */
#define SUP_FORWARD    0x01 /* pass the signal just received to the child */
#define SUP_TERM_CHILD 0x02 /* the stop signal to the child's process group */
#define SUP_KILL_CHILD 0x04 /* SIGKILL to the child (its group if it was told) */
#define SUP_TERM_ALL   0x08 /* the stop signal to every other process not told yet */
#define SUP_KILL_ALL   0x10 /* SIGKILL to every other process */
#define SUP_SPAWN      0x20 /* start a child */
#define SUP_CHECK      0x40 /* reap, then report SUP_EV_EMPTY if nothing is left */
#define SUP_EXIT       0x80 /* exit with the child's status */

#define SUP_NEVER          (-1LL)
#define SUP_BACKOFF_MIN_MS 100
#define SUP_BACKOFF_MAX_MS 10000
#define SUP_HEALTHY_MS     10000

/* In the order of opts.h's ONEXIT_*. */
enum sup_on_exit { SUP_ON_EXIT_WAIT, SUP_ON_EXIT_EXIT, SUP_ON_EXIT_RESTART };

/* The graces, in ms. stop < 0: a stop has no deadline of reinit's own (the
 * runtime's SIGKILL ends it); the others always have one. */
struct sup_graces {
	long stop;    /* -t: the child's, on SIGTERM or the stop signal */
	long restart; /* the child's, on a restart */
	long drain;   /* what is left once the child is gone */
};

struct sup {
	enum sup_state state;
	long long deadline; /* ms on the monotonic clock, or SUP_NEVER */
	long long started;  /* when the running child started */
	struct sup_graces g;
	long backoff_ms; /* the next delay before an --on-exit restart */
	int on_exit;     /* what the child exiting on its own leads to */
	int no_drain;    /* exit with the child, leaving the rest as it is */
	int respawn;     /* DRAINING ends in a new child rather than an exit */
	int killed;      /* the grace has run out: SIGKILL from now on */
};

/* Starts in SUP_IDLE; the caller spawns the first child with sup_spawned. */
void sup_init(struct sup *s, const struct sup_graces *g, int on_exit);

/* Records that a child was started at now. */
void sup_spawned(struct sup *s, long long now);

/* Moves s on by one event at time now; returns the SUP_* actions. */
unsigned sup_step(struct sup *s, enum sup_event ev, long long now);

#endif
