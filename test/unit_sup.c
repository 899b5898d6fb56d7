/* unit_sup.c: the supervisor's state table, driven by a fake clock. */
#include "init/sup.h"
#include "test/tap.h"

#define STOP_MS 5000

static struct sup s;
static long long now; /* the fake monotonic clock, in ms */

/* Names for the failure lines. */
static const char *const state_names[] = {"IDLE", "RUNNING", "RESTARTING", "STOPPING",
					  "DRAINING", "DONE"};
static const char *const event_names[] = {"EXIT", "STOP", "TIMER", "CHANGE", "REAPED",
					  "EMPTY"};

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

/* A fresh supervisor with a child started at t. */
static void
running(int on_exit, long long t)
{
	now = t;
	sup_init(&s, STOP_MS, on_exit);
	sup_spawned(&s, now);
}

static void
test_init(void)
{
	sup_init(&s, STOP_MS, SUP_ON_EXIT_EXIT);
	is_int(s.state, SUP_IDLE, "sup_init starts IDLE");
	is_int(s.deadline, SUP_NEVER, "sup_init sets no deadline");
	is_int(s.killed, 0, "sup_init: nothing killed");
	is_int(s.stop_ms, STOP_MS, "sup_init keeps stop_ms");
	sup_spawned(&s, 1234);
	is_int(s.state, SUP_RUNNING, "sup_spawned marks RUNNING");
	is_int(s.started, 1234, "sup_spawned records the start time");
	is_int(s.deadline, SUP_NEVER, "a running child has no deadline");
	is_int(SUP_ON_EXIT_WAIT, 0, "SUP_ON_EXIT_WAIT is 0");
	is_int(SUP_ON_EXIT_EXIT, 1, "SUP_ON_EXIT_EXIT is 1");
	is_int(SUP_ON_EXIT_RESTART, 2, "SUP_ON_EXIT_RESTART is 2");
}

/* A stop: forward, grace, SIGKILL, drain, exit. */
static void
test_stop(void)
{
	running(SUP_ON_EXIT_EXIT, 1000);
	now = 2000;
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	is_int(s.deadline, 2000 + STOP_MS, "the stop starts a grace of stop_ms");
	now = 3000;
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	is_int(s.deadline, 2000 + STOP_MS, "a second stop forwards again, grace unchanged");
	step(SUP_EV_REAPED, 0, SUP_STOPPING);
	step(SUP_EV_CHANGE, 0, SUP_STOPPING);
	is_int(s.killed, 0, "nothing killed before the deadline");

	/* The loop sends TIMER only once now >= deadline. */
	now = 2000 + STOP_MS;
	step(SUP_EV_TIMER, SUP_KILL_CHILD | SUP_KILL_ALL, SUP_STOPPING);
	is_int(s.killed, 1, "out of grace: killed is set");
	is_int(s.deadline, SUP_NEVER, "after SIGKILL no deadline is left");
	now += 5;
	step(SUP_EV_EXIT, SUP_KILL_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.deadline, SUP_NEVER, "draining after SIGKILL needs no deadline");
	step(SUP_EV_REAPED, SUP_KILL_ALL, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);
	step(SUP_EV_TIMER, 0, SUP_DONE);
	step(SUP_EV_EXIT, 0, SUP_DONE);

	/* The child obeys in time: the rest of the grace is for the others. */
	running(SUP_ON_EXIT_EXIT, 0);
	now = 100;
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	now = 600;
	step(SUP_EV_EXIT, SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.deadline, 100 + STOP_MS, "draining keeps the stop's deadline (the rest of the grace)");
	step(SUP_EV_REAPED, 0, SUP_DRAINING);
	is_int(s.killed, 0, "reaping before the deadline kills nothing");
	now = 100 + STOP_MS;
	step(SUP_EV_TIMER, SUP_KILL_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.killed, 1, "draining out of grace: killed is set");
	is_int(s.deadline, SUP_NEVER, "draining after SIGKILL: no deadline");
	step(SUP_EV_REAPED, SUP_KILL_ALL, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);

	/* Nothing left at once. */
	running(SUP_ON_EXIT_EXIT, 0);
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	step(SUP_EV_EXIT, SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);
}

static void
test_exit(void)
{
	/* --on-exit exit, and every run without --watch. */
	running(SUP_ON_EXIT_EXIT, 0);
	now = 700;
	step(SUP_EV_EXIT, SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.deadline, 700 + STOP_MS, "the child's own exit starts a fresh grace for the rest");
	step(SUP_EV_STOP, 0, SUP_DRAINING);
	is_int(s.deadline, 700 + STOP_MS, "a stop while draining does not move the deadline");
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);

	/* --on-exit wait. */
	running(SUP_ON_EXIT_WAIT, 0);
	now = 700;
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	is_int(s.deadline, SUP_NEVER, "on-exit wait: no deadline while idle");
	step(SUP_EV_TIMER, 0, SUP_IDLE);
	step(SUP_EV_REAPED, 0, SUP_IDLE);
	step(SUP_EV_EMPTY, 0, SUP_IDLE);
	step(SUP_EV_CHANGE, SUP_SPAWN, SUP_IDLE);
	sup_spawned(&s, now);
	is_int(s.state, SUP_RUNNING, "spawned again after the change");

	/* A stop while idle: the leftovers go, then reinit exits. */
	running(SUP_ON_EXIT_WAIT, 0);
	now = 50;
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	now = 80;
	step(SUP_EV_STOP, SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.deadline, 80 + STOP_MS, "a stop while idle gives the others stop_ms");
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);
}

static void
test_restart(void)
{
	running(SUP_ON_EXIT_WAIT, 0);
	now = 1000;
	step(SUP_EV_CHANGE, SUP_TERM_CHILD, SUP_RESTARTING);
	is_int(s.deadline, 1000 + STOP_MS, "a restart gives the old child stop_ms");
	now = 1500;
	step(SUP_EV_CHANGE, 0, SUP_RESTARTING);
	is_int(s.deadline, 1000 + STOP_MS, "changes during a restart fold into it");
	step(SUP_EV_REAPED, 0, SUP_RESTARTING);
	step(SUP_EV_EXIT, SUP_KILL_CHILD | SUP_SPAWN, SUP_RESTARTING);
	sup_spawned(&s, now);
	is_int(s.state, SUP_RUNNING, "the new child runs");
	is_int(s.deadline, SUP_NEVER, "the new child has no deadline");

	/* The old child will not go. */
	now = 2000;
	step(SUP_EV_CHANGE, SUP_TERM_CHILD, SUP_RESTARTING);
	now = 2000 + STOP_MS;
	step(SUP_EV_TIMER, SUP_KILL_CHILD, SUP_RESTARTING);
	is_int(s.killed, 1, "restart out of grace: killed is set");
	is_int(s.deadline, SUP_NEVER, "restart after SIGKILL: no deadline");
	step(SUP_EV_EXIT, SUP_KILL_CHILD | SUP_SPAWN, SUP_RESTARTING);
	sup_spawned(&s, now);
	is_int(s.killed, 0, "a new child starts with killed clear");

	/* A stop during a restart: nothing starts after it. */
	running(SUP_ON_EXIT_WAIT, 0);
	now = 1000;
	step(SUP_EV_CHANGE, SUP_TERM_CHILD, SUP_RESTARTING);
	now = 1200;
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	is_int(s.deadline, 1000 + STOP_MS, "a stop during a restart keeps the restart's deadline");
	now = 1300;
	step(SUP_EV_EXIT, SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.deadline, 1000 + STOP_MS, "and draining keeps it still");
	step(SUP_EV_CHANGE, 0, SUP_DRAINING);
	step(SUP_EV_EMPTY, SUP_EXIT, SUP_DONE);
}

/* --on-exit restart: a crash loop backs off, a healthy run resets it. */
static void
test_backoff(void)
{
	static const long want[] = {100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000};
	size_t i;

	running(SUP_ON_EXIT_RESTART, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		now += 50; /* a short run: a crash */
		step(SUP_EV_EXIT, 0, SUP_IDLE);
		is_int(s.deadline - now, want[i], "crash %zu: restart after %ld ms", i + 1, want[i]);
		now = s.deadline;
		step(SUP_EV_TIMER, SUP_SPAWN, SUP_IDLE);
		sup_spawned(&s, now);
	}

	/* Just short of healthy: the back-off stays at its ceiling. */
	now += SUP_HEALTHY_MS - 1;
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	is_int(s.deadline - now, 10000, "a run of 9999 ms does not reset the back-off");
	now = s.deadline;
	step(SUP_EV_TIMER, SUP_SPAWN, SUP_IDLE);
	sup_spawned(&s, now);

	now += SUP_HEALTHY_MS;
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	is_int(s.deadline - now, 100, "a run of 10 s resets the back-off to 100 ms");
	now = s.deadline;
	step(SUP_EV_TIMER, SUP_SPAWN, SUP_IDLE);
	sup_spawned(&s, now);
	now += 10;
	step(SUP_EV_EXIT, 0, SUP_IDLE);
	is_int(s.deadline - now, 200, "and the next crash doubles it again");

	/* A stop during the back-off: no restart, the others drain. */
	now += 30;
	step(SUP_EV_STOP, SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);
	is_int(s.deadline - now, STOP_MS, "a stop during back-off gives a fresh grace");
	step(SUP_EV_TIMER, SUP_KILL_ALL | SUP_CHECK, SUP_DRAINING);

	/* A stop while running with --on-exit restart: the exit ends it. */
	running(SUP_ON_EXIT_RESTART, 0);
	step(SUP_EV_STOP, SUP_FORWARD, SUP_STOPPING);
	step(SUP_EV_EXIT, SUP_TERM_ALL | SUP_CHECK, SUP_DRAINING);

	/* IDLE: a timer with a deadline spawns, one without does nothing. */
	sup_init(&s, STOP_MS, SUP_ON_EXIT_RESTART);
	step(SUP_EV_TIMER, 0, SUP_IDLE);
	s.deadline = 500;
	now = 500;
	step(SUP_EV_TIMER, SUP_SPAWN, SUP_IDLE);
}

int
main(void)
{
	test_init();
	test_stop();
	test_exit();
	test_restart();
	test_backoff();
	return tap_done();
}
