/* hold.c: syncs hold restarts while they write (pure). */
#include "init/hold.h"

void
hold_init(struct hold *h)
{
	h->steps = 0;
	h->due = 0;
	h->linger = h->deadline = NEVER;
	h->moved = 0;
}

/* A running step that has not moved for HOLD_STALL_MS holds nothing. */
static int
stalled(const struct hold *h, msec now)
{
	return h->steps && now - h->moved >= HOLD_STALL_MS;
}

int
hold_held(const struct hold *h, msec now)
{
	return (h->steps && !stalled(h, now)) || h->linger != NEVER;
}

/* The hold is over: what came due meanwhile restarts now, and so does
 * what is still pending, undebounced, as the writer said it is done. */
static unsigned
let_go(struct hold *h)
{
	unsigned a = h->due ? HOLD_FLUSH | HOLD_RESTART : HOLD_FLUSH;

	h->due = 0;
	return a;
}

/* A step ended, as ev says. */
static unsigned
ended(struct hold *h, enum hold_event ev, msec now)
{
	unsigned say = ev == HOLD_EV_CUT ? HOLD_SAY_CUT : 0;

	if (h->steps > 0)
		h->steps--;
	if (h->steps)
		return say;
	if (ev == HOLD_EV_MORE) {
		h->linger = now + HOLD_LINGER_MS;
		return say;
	}
	h->linger = NEVER;
	return say | let_go(h);
}

static unsigned
step(struct hold *h, enum hold_event ev, msec now)
{
	switch (ev) {
	case HOLD_EV_BEGIN:
		h->steps++;
		h->linger = NEVER;
		h->moved = now;
		return 0;
	case HOLD_EV_PROGRESS:
		h->moved = now;
		return 0;
	case HOLD_EV_DONE:
	case HOLD_EV_MORE:
	case HOLD_EV_CUT:
		return ended(h, ev, now);
	case HOLD_EV_FILES:
		/* Someone else writes the sync's files (Compose's engine):
		 * the sync goes on until they settle. */
		if (!h->steps && h->linger != NEVER && h->linger < now + HOLD_SETTLE_MS)
			h->linger = now + HOLD_SETTLE_MS;
		return 0;
	case HOLD_EV_DUE:
		if (!hold_held(h, now))
			return (stalled(h, now) ? HOLD_SAY_STALL : 0) | HOLD_RESTART;
		h->due = 1;
		return 0;
	case HOLD_EV_TIMER:
		if (h->linger != NEVER && now >= h->linger) {
			h->linger = NEVER;
			return let_go(h);
		}
		if (h->due && stalled(h, now))
			return HOLD_SAY_STALL | let_go(h);
		return 0;
	}
	return 0;
}

unsigned
hold_step(struct hold *h, enum hold_event ev, msec now)
{
	unsigned a = step(h, ev, now);

	/* A stall matters only to a restart that is due. */
	h->deadline = h->linger;
	if (h->steps && h->due)
		h->deadline = clock_sooner(h->deadline, h->moved + HOLD_STALL_MS);
	return a;
}
