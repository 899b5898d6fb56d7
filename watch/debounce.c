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
	d->first = d->last = DEBOUNCE_NONE;
}

void
debounce_note(struct debounce *d, long long now)
{
	if (d->first == DEBOUNCE_NONE)
		d->first = now;
	d->last = now;
}

long long
debounce_due(const struct debounce *d)
{
	long long quiet = d->last + d->quiet, ceiling = d->first + d->max;

	if (d->first == DEBOUNCE_NONE)
		return DEBOUNCE_NONE;
	return quiet < ceiling ? quiet : ceiling;
}

int
debounce_fire(struct debounce *d, long long now)
{
	long long due = debounce_due(d);

	/* DEBOUNCE_NONE, -1, is never reached when unsigned. */
	if ((unsigned long long)now < (unsigned long long)due)
		return 0;
	debounce_clear(d);
	return 1;
}
