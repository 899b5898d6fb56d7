/* sup.c: the supervisor as a table of (state, event) -> actions (pure). */
#include "init/sup.h"

void
sup_init(struct sup *s, long stop_ms, int on_exit)
{
	s->state = SUP_IDLE;
	s->deadline = SUP_NEVER;
	s->started = 0;
	s->stop_ms = stop_ms;
	s->backoff_ms = SUP_BACKOFF_MIN_MS;
	s->on_exit = on_exit;
	s->killed = 0;
}

void
sup_spawned(struct sup *s, long long now)
{
	s->state = SUP_RUNNING;
	s->deadline = SUP_NEVER;
	s->started = now;
	s->killed = 0;
}

/* The child is gone for good: whatever is left gets the rest of the grace
 * (a fresh one if no stop was under way), then SIGKILL. */
static unsigned
drain(struct sup *s, long long now)
{
	s->state = SUP_DRAINING;
	if (s->killed)
		return SUP_KILL_ALL | SUP_CHECK;
	if (s->deadline == SUP_NEVER)
		s->deadline = now + s->stop_ms;
	return SUP_TERM_ALL | SUP_CHECK;
}

/* The child exited by itself while running. */
static unsigned
exited(struct sup *s, long long now)
{
	switch (s->on_exit) {
	case SUP_ON_EXIT_WAIT:
		s->state = SUP_IDLE;
		s->deadline = SUP_NEVER;
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
		s->deadline = SUP_NEVER;
		return drain(s, now);
	}
}

unsigned
sup_step(struct sup *s, enum sup_event ev, long long now)
{
	switch (s->state) {
	case SUP_IDLE:
		if (ev == SUP_EV_CHANGE || (ev == SUP_EV_TIMER && s->deadline != SUP_NEVER))
			return SUP_SPAWN;
		if (ev == SUP_EV_STOP) {
			s->deadline = SUP_NEVER;
			return drain(s, now);
		}
		return 0;
	case SUP_RUNNING:
		if (ev == SUP_EV_EXIT)
			return exited(s, now);
		if (ev == SUP_EV_STOP || ev == SUP_EV_CHANGE) {
			s->state = ev == SUP_EV_STOP ? SUP_STOPPING : SUP_RESTARTING;
			s->deadline = now + s->stop_ms;
			return ev == SUP_EV_STOP ? SUP_FORWARD : SUP_TERM_CHILD;
		}
		return 0;
	case SUP_RESTARTING:
		if (ev == SUP_EV_EXIT)
			/* Whatever of the old process group outlived its
			 * leader goes too: never two generations at once. */
			return SUP_KILL_CHILD | SUP_SPAWN;
		if (ev == SUP_EV_STOP) {
			/* Nothing starts after a stop; the deadline that was
			 * running goes on running. */
			s->state = SUP_STOPPING;
			return SUP_FORWARD;
		}
		break;
	case SUP_STOPPING:
		if (ev == SUP_EV_EXIT)
			return drain(s, now);
		if (ev == SUP_EV_STOP)
			return SUP_FORWARD;
		if (ev == SUP_EV_TIMER) {
			s->deadline = SUP_NEVER;
			s->killed = 1;
			return SUP_KILL_CHILD | SUP_KILL_ALL;
		}
		return 0;
	case SUP_DRAINING:
		if (ev == SUP_EV_EMPTY) {
			s->state = SUP_DONE;
			return SUP_EXIT;
		}
		if (ev == SUP_EV_TIMER) {
			s->deadline = SUP_NEVER;
			s->killed = 1;
			return SUP_KILL_ALL | SUP_CHECK;
		}
		/* Orphans of what was killed come to a subreaper after their
		 * parents die: they are killed in turn. */
		if (ev == SUP_EV_REAPED && s->killed)
			return SUP_KILL_ALL;
		return 0;
	case SUP_DONE:
		return 0;
	}
	/* SUP_RESTARTING, out of grace: the child is killed, and its exit
	 * brings the next one. */
	if (ev == SUP_EV_TIMER) {
		s->deadline = SUP_NEVER;
		s->killed = 1;
		return SUP_KILL_CHILD;
	}
	return 0;
}
