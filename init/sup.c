/* sup.c: the supervisor as a table of (state, event) -> actions (pure). */
#include "init/sup.h"

void
sup_init(struct sup *s, const struct sup_graces *g, int on_exit, int no_drain)
{
	s->state = SUP_IDLE;
	s->deadline = NEVER;
	s->started = 0;
	s->g = *g;
	s->backoff_ms = SUP_BACKOFF_MIN_MS;
	s->on_exit = on_exit;
	s->no_drain = no_drain;
	s->respawn = 0;
	s->killed = 0;
}

/* A child was started: it runs, with no deadline. */
static unsigned
started(struct sup *s, msec now)
{
	s->state = SUP_RUNNING;
	s->deadline = NEVER;
	s->started = now;
	s->killed = 0;
	return 0;
}

/* No child runs: whatever the last one left behind gets the stop signal and
 * the drain grace, then SIGKILL; a new child or the exit follows once
 * nothing is left. Each process is told before it can be killed, even when
 * the child itself was killed. */
static unsigned
drain(struct sup *s, msec now, int respawn)
{
	s->state = SUP_DRAINING;
	s->respawn = respawn;
	s->killed = 0;
	s->deadline = now + s->g.drain;
	return SUP_DRAIN_BEGIN | SUP_TERM_ALL | SUP_CHECK;
}

/* The child is gone and reinit ends with it. */
static unsigned
end(struct sup *s, msec now)
{
	if (!s->no_drain)
		return drain(s, now, 0);
	s->state = SUP_DONE;
	return SUP_EXIT;
}

/* The child exited by itself while running. */
static unsigned
exited(struct sup *s, msec now)
{
	switch (s->on_exit) {
	case SUP_ON_EXIT_WAIT:
		s->state = SUP_IDLE;
		s->deadline = NEVER;
		return 0;
	case SUP_ON_EXIT_RESTART:
		/* A run long enough to call healthy starts the back-off
		 * again; a crash loop doubles it up to the ceiling. */
		if (now - s->started >= SUP_HEALTHY_MS)
			s->backoff_ms = SUP_BACKOFF_MIN_MS;
		s->state = SUP_IDLE;
		s->deadline = now + s->backoff_ms;
		s->backoff_ms *= 2;
		if (s->backoff_ms > SUP_BACKOFF_MAX_MS)
			s->backoff_ms = SUP_BACKOFF_MAX_MS;
		return 0;
	default:
		return end(s, now);
	}
}

/* Out of grace: the child is killed; its exit moves things on. */
static unsigned
kill_child(struct sup *s)
{
	s->deadline = NEVER;
	s->killed = 1;
	return SUP_KILL_CHILD;
}

unsigned
sup_step(struct sup *s, enum sup_event ev, msec now)
{
	switch (s->state) {
	case SUP_IDLE:
		/* A new generation starts only once the last one is gone. */
		if (ev == SUP_EV_CHANGE || (ev == SUP_EV_TIMER && s->deadline != NEVER))
			return drain(s, now, 1);
		if (ev == SUP_EV_STOP)
			return drain(s, now, 0);
		if (ev == SUP_EV_STARTED)
			return started(s, now);
		return 0;
	case SUP_RUNNING:
		if (ev == SUP_EV_EXIT)
			return exited(s, now);
		if (ev == SUP_EV_BUSY) {
			/* Not the child's exit: no --on-exit policy applies.
			 * The file's close is a change, and that starts it. */
			s->state = SUP_IDLE;
			s->deadline = now + SUP_BUSY_RETRY_MS;
			return 0;
		}
		if (ev == SUP_EV_STOP) {
			/* The runtime's grace is the only clock unless -t set
			 * one of reinit's own. */
			s->state = SUP_STOPPING;
			s->deadline = s->g.stop < 0 ? NEVER : now + s->g.stop;
			return SUP_FORWARD;
		}
		if (ev == SUP_EV_CHANGE) {
			s->state = SUP_RESTARTING;
			s->deadline = now + s->g.restart;
			return SUP_TERM_CHILD;
		}
		return 0;
	case SUP_RESTARTING:
		if (ev == SUP_EV_EXIT)
			/* Whatever the old child left goes too: never two
			 * generations at once. */
			return drain(s, now, 1);
		if (ev == SUP_EV_STOP) {
			/* Nothing starts after a stop; the restart's grace,
			 * already under way, stays the deadline. */
			s->state = SUP_STOPPING;
			return SUP_FORWARD;
		}
		if (ev == SUP_EV_TIMER)
			return kill_child(s);
		return 0;
	case SUP_STOPPING:
		if (ev == SUP_EV_EXIT)
			return end(s, now);
		if (ev == SUP_EV_STOP)
			return SUP_FORWARD;
		if (ev == SUP_EV_TIMER)
			return kill_child(s);
		return 0;
	case SUP_DRAINING:
		if (ev == SUP_EV_STARTED)
			return started(s, now);
		if (ev == SUP_EV_EMPTY) {
			if (s->respawn)
				return SUP_SPAWN;
			s->state = SUP_DONE;
			return SUP_EXIT;
		}
		if (ev == SUP_EV_STOP)
			s->respawn = 0;
		if (ev == SUP_EV_TIMER) {
			s->deadline = NEVER;
			s->killed = 1;
			return SUP_KILL_ALL | SUP_CHECK;
		}
		/* Orphans of what was told or killed come to reinit as their
		 * parents die: they are told in turn, or killed once the
		 * grace is over. */
		if (ev == SUP_EV_REAPED)
			return s->killed ? SUP_KILL_ALL : SUP_TERM_ALL;
		return 0;
	case SUP_DONE:
		break;
	}
	return 0;
}
