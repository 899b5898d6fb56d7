/* clock.h: times and deadlines in milliseconds on the monotonic clock. */
#ifndef REINIT_CLOCK_H
#define REINIT_CLOCK_H

#include <limits.h>

/* A deadline that never comes. It is later than any time, so the nearest
 * of several deadlines is their minimum and one is due when now >= it, with
 * no special case for "none"; a time is never NEVER. Every module that
 * keeps a deadline (the supervisor, the holds, the loop, the watcher)
 * spells "none" this one way. */
#define NEVER LLONG_MAX

/* The nearer of two deadlines. */
static inline long long
clock_sooner(long long a, long long b)
{
	return a < b ? a : b;
}

#endif
