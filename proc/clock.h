/* clock.h: times and deadlines in milliseconds on the monotonic clock. */
#ifndef REINIT_CLOCK_H
#define REINIT_CLOCK_H

/* A time or a deadline, in ms on CLOCK_MONOTONIC: every module that keeps
 * one (the supervisor, the holds, the loop, the watcher) uses this type.
 * Unsigned, so that NEVER, its largest value, is later than any time in
 * every comparison, and costs an immediate -1 to write (a signed maximum
 * takes a ten-byte one on x86-64, about 220 bytes over the binary); a
 * comparison with a signed number is a -Wsign-compare error, not a quiet
 * wrong answer. */
typedef unsigned long long msec;

/* A deadline that never comes: the nearest of several deadlines is their
 * minimum and one is due when now >= it, with no special case for "none";
 * a time is never NEVER. The one spelling of "no deadline". */
#define NEVER ((msec)-1)

/* The nearer of two deadlines. */
static inline msec
clock_sooner(msec a, msec b)
{
	return a < b ? a : b;
}

#endif
