/* debounce.c: a trailing quiet period with a ceiling (pure). */
#include "watch/debounce.h"

void
debounce_init(struct debounce *d, long quiet, long max)
{
	d->quiet = quiet;
	d->max = max;
	debounce_clear(d);
}

void
debounce_clear(struct debounce *d)
{
	d->first = d->last = NEVER;
}

void
debounce_note(struct debounce *d, msec now)
{
	if (d->first == NEVER)
		d->first = now;
	d->last = now;
}

msec
debounce_due(const struct debounce *d)
{
	if (d->first == NEVER)
		return NEVER;
	return clock_sooner(d->last + d->quiet, d->first + d->max);
}

int
debounce_fire(struct debounce *d, msec now)
{
	msec due = debounce_due(d);

	if (now < due)
		return 0;
	debounce_clear(d);
	return 1;
}
