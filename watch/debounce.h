/* debounce.h: a trailing quiet period with a ceiling (pure). */
#ifndef REINIT_DEBOUNCE_H
#define REINIT_DEBOUNCE_H

#include "proc/clock.h"

/* Fires once nothing has happened for quiet ms, but never later than max ms
 * after the first event, so an endless stream still fires. Times are
 * milliseconds on any clock that only goes forward. */
struct debounce {
	long quiet, max;
	msec first, last; /* NEVER when nothing is pending */
};

void debounce_init(struct debounce *d, long quiet, long max);

/* Notes an event at now. */
void debounce_note(struct debounce *d, msec now);

/* When the pending events are due, or NEVER. */
msec debounce_due(const struct debounce *d);

/* 1 (and nothing is pending any more) when the events are due at now. */
int debounce_fire(struct debounce *d, msec now);

/* Forgets what is pending. */
void debounce_clear(struct debounce *d);

#endif
