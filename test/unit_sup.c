/* unit_sup.c: the supervisor's state table, driven by a fake clock. */
#include "init/sup.h"
#include "test/tap.h"

/* Three different graces, so that each deadline shows which one it took. */
#define STOP_MS    5000
#define RESTART_MS 7000
#define DRAIN_MS   2000

static const struct sup_graces graces = {STOP_MS, RESTART_MS, DRAIN_MS};
/* No -t: a stop has no deadline of reinit's own. */
static const struct sup_graces no_stop = {-1, RESTART_MS, DRAIN_MS};

static struct sup s;
static long long now; /* the fake monotonic clock, in ms */

/* Names for the failure lines, from the same lists as the enums. */
static const char *const state_names[] = {
#define SUP_X(name, doc) #name,
	SUP_STATES(SUP_X)
#undef SUP_X
};
static const char *const event_names[] = {
#define SUP_X(name, doc) #name,
	SUP_EVENTS(SUP_X)
#undef SUP_X
};

/* One event at the current time: the actions must be want and the state
 * must become state. */
static void
step(enum sup_event ev, unsigned want, enum sup_state state)
{
	enum sup_state from = s.state;
	unsigned got = sup_step(&s, ev, now);

	if (!ok(got == want && s.state == state, "%s + %s -> actions 0x%02x, state %s",
		state_names[from], event_names[ev], want, state_names[state]))
		printf("#   got actions 0x%02x, state %s\n", got,
		       s.state <= SUP_DONE ? state_names[s.state] : "?");
}

/* A fresh supervisor with graces g and a child started at t. */
static void
running_with(const struct sup_graces *g, int on_exit, long long t)
{
	now = t;
	sup_init(&s, g, on_exit, 0);
	step(SUP_EV_STARTED, 0, SUP_RUNNING);
}

static void
running(int on_exit, long long t)
{
	running_with(&graces, on_exit, t);
}

/* Every event in DONE does nothing and stays DONE. */
static void
done_is_final(void)
{
	int ev;

	for (ev = SUP_EV_EXIT; ev <= SUP_EV_BUSY; ev++)
		step((enum sup_event)ev, 0, SUP_DONE);
}

static void
test_init(void)
{
	struct sup_graces g = {STOP_MS, RESTART_MS, DRAIN_MS};

	/* Whatever was there before, sup_init sets every field. */
	memset(&s, 0xff, sizeof(s));
	sup_init(&s, &g, SUP_ON_EXIT_EXIT, 0);
	g.stop = g.restart = g.drain = 1;
	is_int(s.state, SUP_IDLE, "sup_init starts IDLE");
	is_int(s.deadline, NEVER, "sup_init sets no deadline");
	is_int(s.killed, 0, "sup_init: nothing killed");
	is_int(s.respawn, 0, "sup_init: no respawn pending");
	is_int(s.no_drain, 0, "sup_init: draining is on unless asked");
	is_int(s.on_exit, SUP_ON_EXIT_EXIT, "sup_init keeps on_exit");
	is_int(s.backoff_ms, SUP_BACKOFF_MIN_MS, "sup_init starts the back-off at its floor");
	is_int(s.g.stop, STOP_MS, "sup_init keeps a copy of the stop grace");
	is_int(s.g.restart, RESTART_MS, "sup_init keeps a copy of the restart grace");
	is_int(s.g.drain, DRAIN_MS, "sup_init keeps a copy of the drain grace");
	sup_init(&s, &no_stop, SUP_ON_EXIT_WAIT, 1);
	is_int(s.no_drain, 1, "sup_init keeps no_drain");
	is_int(s.g.stop, -1, "sup_init keeps a negative stop grace as it is");
	is_int(s.on_exit, SUP_ON_EXIT_WAIT, "sup_init keeps on_exit wait");

	s.killed = 1;
	s.deadline = 99;
	now = 1234;
	step(SUP_EV_STARTED, 0, SUP_RUNNING);
	is_int(s.started, 1234, "STARTED records the start time");
	is_int(s.deadline, NEVER, "a running child has no deadline");
	is_int(s.killed, 0, "STARTED clears killed");
	is_int(SUP_ON_EXIT_WAIT, 0, "SUP_ON_EXIT_WAIT is 0");
	is_int(SUP_ON_EXIT_EXIT, 1, "SUP_ON_EXIT_EXIT is 1");
	is_int(SUP_ON_EXIT_RESTART, 2, "SUP_ON_EXIT_RESTART is 2");

	/* Events that mean nothing to a running child. */
	running(SUP_ON_EXIT_EXIT, 0);
	step(SUP_EV_TIMER, 0, SUP_RUNNING);
	step(SUP_EV_REAPED, 0, SUP_RUNNING);
	step(SUP_EV_EMPTY, 0, SUP_RUNNING);
	is_int(s.deadline, NEVER, "a running child still has no deadline");
}

/* A stop with -t: forward, grace, SIGKILL to the child alone, then the
 * others are told and get the drain grace, then SIGKILL, then exit. */
static void
test_stop(void)
{
	running(SUP_ON_EXIT_EXIT, 1000);
	now = 2000;
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	is_int(s.deadline, 2000 + STOP_MS, "the stop starts a grace of g.stop");
	now = 3000;
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	is_int(s.deadline, 2000 + STOP_MS, "a second stop forwards again, grace unchanged");
	step(SUP_EV_REAPED, 0, SUP_STOPPING);
	step(SUP_EV_CHANGE, 0, SUP_STOPPING);
	step(SUP_EV_EMPTY, 0, SUP_STOPPING);
	is_int(s.killed, 0, "nothing killed before the deadline");

	/* The loop sends TIMER only once now >= deadline. */
	now = 2000 + STOP_MS;
	step(SUP_EV_TIMER, SUP_KILL_CHILD, SUP_STOPPING);
	is_int(s.killed, 1, "out of grace: killed is set");
	is_int(s.deadline, NEVER, "after SIGKILL to the child no deadline is left");
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	now += 5;
	step(SUP_EV_EXIT, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.killed, 0, "the killed child's leftovers are told before they are killed");
	is_int(s.respawn, 0, "a stop's drain ends in an exit");
	is_int(s.deadline, 2000 + STOP_MS + 5 + DRAIN_MS, "draining gets a fresh g.drain");
	step(SUP_EV_REAPED, SUP_TERM_ALL, SUP_DRAINING);
	now = 2000 + STOP_MS + 5 + DRAIN_MS;
	step(SUP_EV_TIMER, SUP_KILL_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.killed, 1, "draining out of grace: killed is set");
	is_int(s.deadline, NEVER, "draining after SIGKILL: no deadline");
	step(SUP_EV_REAPED, SUP_KILL_ALL, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);
	done_is_final();

	/* The child obeys in time: the others get g.drain from its exit,
	 * not what was left of the stop's grace. */
	running(SUP_ON_EXIT_EXIT, 0);
	now = 100;
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	now = 600;
	step(SUP_EV_EXIT, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.deadline, 600 + DRAIN_MS, "draining starts its own grace at the child's exit");
	step(SUP_EV_REAPED, SUP_TERM_ALL, SUP_DRAINING);
	is_int(s.killed, 0, "reaping before the deadline kills nothing");
	step(SUP_EV_EXIT, 0, SUP_DRAINING);
	step(SUP_EV_CHANGE, 0, SUP_DRAINING);
	now = 600 + DRAIN_MS;
	step(SUP_EV_TIMER, SUP_KILL_ALL | SUP_CHECK, SUP_DRAINING);
	step(SUP_EV_REAPED, SUP_KILL_ALL, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);

	/* Nothing left at once. */
	running(SUP_ON_EXIT_EXIT, 0);
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	step(SUP_EV_EXIT, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);

	/* -t 0: the deadline is now. */
	running_with(&(struct sup_graces){0, RESTART_MS, DRAIN_MS}, SUP_ON_EXIT_EXIT, 0);
	now = 300;
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	is_int(s.deadline, 300, "g.stop 0: the deadline is the stop itself");
}

/* No -t: the runtime's SIGKILL is the only clock on the child; what it
 * leaves still gets g.drain. */
static void
test_stop_no_deadline(void)
{
	running_with(&no_stop, SUP_ON_EXIT_EXIT, 0);
	now = 100;
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	is_int(s.deadline, NEVER, "g.stop < 0: a stop sets no deadline");
	now = 100000;
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	is_int(s.deadline, NEVER, "g.stop < 0: a second stop sets none either");
	is_int(s.killed, 0, "g.stop < 0: nothing killed however long it takes");
	step(SUP_EV_EXIT, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.deadline, 100000 + DRAIN_MS, "g.stop < 0: the leftovers still get g.drain");
	now = 100000 + DRAIN_MS;
	step(SUP_EV_TIMER, SUP_KILL_ALL | SUP_CHECK, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);
}

static void
test_exit(void)
{
	/* --on-exit exit, and every run without --watch. */
	running(SUP_ON_EXIT_EXIT, 0);
	now = 700;
	step(SUP_EV_EXIT, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.deadline, 700 + DRAIN_MS, "the child's own exit gives the rest g.drain");
	is_int(s.respawn, 0, "the child's own exit drains towards an exit");
	now = 900;
	step(SUP_EV_STOP, 0, SUP_DRAINING);
	is_int(s.deadline, 700 + DRAIN_MS, "a stop while draining does not move the deadline");
	step(SUP_EV_CHANGE, 0, SUP_DRAINING);
	is_int(s.respawn, 0, "a change while draining to exit starts nothing");
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);

	/* --on-exit wait: nothing happens until a change. */
	running(SUP_ON_EXIT_WAIT, 0);
	now = 700;
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	is_int(s.deadline, NEVER, "on-exit wait: no deadline while idle");
	step(SUP_EV_TIMER, 0, SUP_IDLE);
	step(SUP_EV_REAPED, 0, SUP_IDLE);
	step(SUP_EV_EMPTY, 0, SUP_IDLE);
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	/* The last generation's leftovers go before the next child. */
	now = 800;
	step(SUP_EV_CHANGE, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.respawn, 1, "a change while idle drains towards a new child");
	is_int(s.deadline, 800 + DRAIN_MS, "a change while idle gives the leftovers g.drain");
	now = 900;
	step(SUP_EV_CHANGE, 0, SUP_DRAINING);
	is_int(s.deadline, 800 + DRAIN_MS, "changes while draining fold into it");
	step(SUP_EV_REAPED, SUP_TERM_ALL, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_SPAWN, SUP_DRAINING);
	step(SUP_EV_STARTED, 0, SUP_RUNNING);
	is_int(s.state, SUP_RUNNING, "spawned again after the change");
	/* A stop now ends in an exit: the respawn was for that drain only. */
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	step(SUP_EV_EXIT, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.respawn, 0, "a stop after a respawn drains towards an exit");
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);

	/* A respawn drain out of grace: SIGKILL, then the new child. */
	running(SUP_ON_EXIT_WAIT, 0);
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	now = 100;
	step(SUP_EV_CHANGE, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	now = 100 + DRAIN_MS;
	step(SUP_EV_TIMER, SUP_KILL_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.killed, 1, "respawn drain out of grace: killed is set");
	step(SUP_EV_REAPED, SUP_KILL_ALL, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_SPAWN, SUP_DRAINING);
	step(SUP_EV_STARTED, 0, SUP_RUNNING);
	is_int(s.killed, 0, "the new child starts with killed clear");

	/* A stop during a respawn drain: it ends in an exit. */
	running(SUP_ON_EXIT_WAIT, 0);
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	now = 100;
	step(SUP_EV_CHANGE, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	now = 150;
	step(SUP_EV_STOP, 0, SUP_DRAINING);
	is_int(s.respawn, 0, "a stop during a respawn drain clears respawn");
	is_int(s.deadline, 100 + DRAIN_MS, "and leaves the drain's deadline alone");
	step(SUP_EV_CHANGE, 0, SUP_DRAINING);
	is_int(s.respawn, 0, "a change after the stop brings no respawn back");
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);

	/* A stop while idle: the leftovers go, then reinit exits. */
	running(SUP_ON_EXIT_WAIT, 0);
	now = 50;
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	now = 80;
	step(SUP_EV_STOP, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.deadline, 80 + DRAIN_MS, "a stop while idle gives the others g.drain");
	is_int(s.respawn, 0, "a stop while idle drains towards an exit");
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);
}

static void
no_drain_running(const struct sup_graces *g)
{
	now = 0;
	sup_init(&s, g, SUP_ON_EXIT_EXIT, 1);
	step(SUP_EV_STARTED, 0, SUP_RUNNING);
}

/* Not PID 1 under tini's or dumb-init's name: reinit exits with the child. */
static void
test_no_drain(void)
{
	no_drain_running(&graces);
	now = 40;
	step(SUP_EV_EXIT, SUP_EXIT, SUP_DONE);
	done_is_final();

	no_drain_running(&graces);
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	step(SUP_EV_EXIT, SUP_EXIT, SUP_DONE);

	/* Out of grace: the child is killed, and its exit is reinit's. */
	no_drain_running(&graces);
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	now = STOP_MS;
	step(SUP_EV_TIMER, SUP_KILL_CHILD, SUP_STOPPING);
	step(SUP_EV_EXIT, SUP_EXIT, SUP_DONE);

	no_drain_running(&no_stop);
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	is_int(s.deadline, NEVER, "no_drain, g.stop < 0: no deadline either");
	step(SUP_EV_EXIT, SUP_EXIT, SUP_DONE);
}

static void
test_restart(void)
{
	running(SUP_ON_EXIT_WAIT, 0);
	now = 1000;
	step(SUP_EV_CHANGE, SUP_TERM_CHILD, SUP_RESTARTING);
	is_int(s.deadline, 1000 + RESTART_MS, "a restart gives the old child g.restart");
	now = 1500;
	step(SUP_EV_CHANGE, 0, SUP_RESTARTING);
	is_int(s.deadline, 1000 + RESTART_MS, "changes during a restart fold into it");
	step(SUP_EV_REAPED, 0, SUP_RESTARTING);
	step(SUP_EV_EMPTY, 0, SUP_RESTARTING);
	/* The old generation goes before the new one starts. */
	step(SUP_EV_EXIT, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.respawn, 1, "the old child's exit drains towards a new child");
	is_int(s.deadline, 1500 + DRAIN_MS, "the old child's leftovers get g.drain");
	step(SUP_EV_CHANGE, 0, SUP_DRAINING);
	step(SUP_EV_REAPED, SUP_TERM_ALL, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_SPAWN, SUP_DRAINING);
	step(SUP_EV_STARTED, 0, SUP_RUNNING);
	is_int(s.state, SUP_RUNNING, "the new child runs");
	is_int(s.deadline, NEVER, "the new child has no deadline");

	/* The old child will not go: SIGKILL to it alone, then the drain. */
	now = 2000;
	step(SUP_EV_CHANGE, SUP_TERM_CHILD, SUP_RESTARTING);
	now = 2000 + RESTART_MS;
	step(SUP_EV_TIMER, SUP_KILL_CHILD, SUP_RESTARTING);
	is_int(s.killed, 1, "restart out of grace: killed is set");
	is_int(s.deadline, NEVER, "restart after SIGKILL: no deadline");
	now += 3;
	step(SUP_EV_EXIT, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.killed, 0, "the killed child's leftovers are told first");
	is_int(s.respawn, 1, "a killed old child still leads to a new one");
	is_int(s.deadline, 2000 + RESTART_MS + 3 + DRAIN_MS, "and its leftovers get g.drain");
	now += DRAIN_MS;
	step(SUP_EV_TIMER, SUP_KILL_ALL | SUP_CHECK, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_SPAWN, SUP_DRAINING);
	step(SUP_EV_STARTED, 0, SUP_RUNNING);
	is_int(s.killed, 0, "a new child starts with killed clear");

	/* Without -t a restart still has its own deadline. */
	running_with(&no_stop, SUP_ON_EXIT_WAIT, 0);
	now = 10;
	step(SUP_EV_CHANGE, SUP_TERM_CHILD, SUP_RESTARTING);
	is_int(s.deadline, 10 + RESTART_MS, "g.stop < 0: a restart still gets g.restart");

	/* A stop during a restart: nothing starts after it. */
	running(SUP_ON_EXIT_WAIT, 0);
	now = 1000;
	step(SUP_EV_CHANGE, SUP_TERM_CHILD, SUP_RESTARTING);
	now = 1200;
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	is_int(s.deadline, 1000 + RESTART_MS,
	       "a stop during a restart keeps the restart's deadline");
	now = 1300;
	step(SUP_EV_EXIT, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.respawn, 0, "a stop during a restart drains towards an exit");
	is_int(s.deadline, 1300 + DRAIN_MS, "and the drain gets g.drain");
	step(SUP_EV_CHANGE, 0, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);

	/* ... and out of the restart's grace. */
	running(SUP_ON_EXIT_WAIT, 0);
	step(SUP_EV_CHANGE, SUP_TERM_CHILD, SUP_RESTARTING);
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	now = RESTART_MS;
	step(SUP_EV_TIMER, SUP_KILL_CHILD, SUP_STOPPING);
	step(SUP_EV_EXIT, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);
}

/* --on-exit restart: a crash loop backs off, a healthy run resets it; each
 * restart drains the last generation first. */
static void
test_backoff(void)
{
	static const long want[] = {100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000};
	size_t i;

	running(SUP_ON_EXIT_RESTART, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		now += 50; /* a short run: a crash */
		step(SUP_EV_EXIT, 0, SUP_IDLE);
		is_int(s.deadline - now, want[i], "crash %zu: restart after %ld ms", i + 1,
		       want[i]);
		now = s.deadline;
		step(SUP_EV_TIMER, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
		is_int(s.respawn, 1, "crash %zu: the back-off's end drains towards a new child",
		       i + 1);
		is_int(s.deadline, now + DRAIN_MS, "crash %zu: the leftovers get g.drain", i + 1);
		step(SUP_EV_EMPTY, SUP_SPAWN, SUP_DRAINING);
		step(SUP_EV_STARTED, 0, SUP_RUNNING);
	}

	/* Just short of healthy: the back-off stays at its ceiling. */
	now += SUP_HEALTHY_MS - 1;
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	is_int(s.deadline - now, 10000, "a run of 9999 ms does not reset the back-off");
	now = s.deadline;
	step(SUP_EV_TIMER, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_SPAWN, SUP_DRAINING);
	step(SUP_EV_STARTED, 0, SUP_RUNNING);

	now += SUP_HEALTHY_MS;
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	is_int(s.deadline - now, 100, "a run of 10 s resets the back-off to 100 ms");
	now = s.deadline;
	step(SUP_EV_TIMER, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_SPAWN, SUP_DRAINING);
	step(SUP_EV_STARTED, 0, SUP_RUNNING);
	now += 10;
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	is_int(s.deadline - now, 200, "and the next crash doubles it again");

	/* A change during the back-off restarts at once, after the drain. */
	now += 20;
	step(SUP_EV_CHANGE, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.respawn, 1, "a change during the back-off drains towards a new child");
	is_int(s.deadline, now + DRAIN_MS, "the drain's deadline replaces the back-off's");
	step(SUP_EV_EMPTY, SUP_SPAWN, SUP_DRAINING);
	step(SUP_EV_STARTED, 0, SUP_RUNNING);
	now += 10;
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	is_int(s.deadline - now, 400, "the back-off goes on doubling after a change");

	/* A stop during the back-off: no restart, the others drain. */
	now += 30;
	step(SUP_EV_STOP, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.deadline - now, DRAIN_MS, "a stop during back-off gives a fresh g.drain");
	is_int(s.respawn, 0, "a stop during back-off drains towards an exit");
	now += DRAIN_MS;
	step(SUP_EV_TIMER, SUP_KILL_ALL | SUP_CHECK, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);

	/* A stop while running with --on-exit restart: the exit ends it. */
	running(SUP_ON_EXIT_RESTART, 0);
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	step(SUP_EV_EXIT, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);

	/* IDLE: a timer with a deadline restarts, one without does nothing. */
	sup_init(&s, &graces, SUP_ON_EXIT_RESTART, 0);
	step(SUP_EV_TIMER, 0, SUP_IDLE);
	s.deadline = 500;
	now = 500;
	step(SUP_EV_TIMER, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.respawn, 1, "an idle timer with a deadline drains towards a new child");
}

/* exec found the file busy (ETXTBSY): no --on-exit policy, a retry at the
 * file's close (a change) or after SUP_BUSY_RETRY_MS. */
static void
test_busy(void)
{
	running(SUP_ON_EXIT_EXIT, 0);
	now = 10;
	step(SUP_EV_BUSY, 0, SUP_IDLE);
	is_int(s.deadline, 10 + SUP_BUSY_RETRY_MS, "a busy file is tried again within the retry");
	step(SUP_EV_CHANGE, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.respawn, 1, "its close starts the child");
	step(SUP_EV_EMPTY, SUP_SPAWN, SUP_DRAINING);
	step(SUP_EV_STARTED, 0, SUP_RUNNING);

	running(SUP_ON_EXIT_RESTART, 0);
	step(SUP_EV_BUSY, 0, SUP_IDLE);
	is_int(s.backoff_ms, SUP_BACKOFF_MIN_MS, "a busy file is no crash: no back-off");
	now = SUP_BUSY_RETRY_MS;
	step(SUP_EV_TIMER, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.respawn, 1, "the retry starts the child");

	/* A stop meanwhile: nothing is started again. */
	running(SUP_ON_EXIT_EXIT, 0);
	step(SUP_EV_BUSY, 0, SUP_IDLE);
	step(SUP_EV_STOP, SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);
}

int
main(void)
{
	test_init();
	test_stop();
	test_stop_no_deadline();
	test_exit();
	test_no_drain();
	test_restart();
	test_backoff();
	test_busy();
	return tap_done();
}
