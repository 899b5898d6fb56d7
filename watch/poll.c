/* poll.c: without inotify, a look at every watched tree each interval. */
#include <fcntl.h>

#include "proc/sys.h"
#include "watch/wi.h"

static unsigned long long
poll_walk(struct watch *w, int report)
{
	int r;

	wi_walk_begin(w);
	for (r = 0; r < w->c.nroots; r++)
		wi_root_add(w, r, report);
	return w->wk.sum;
}

/* Polls every every ms from now on, starting with a look that only
 * learns what is there. */
void
wi_poll_start(struct watch *w, long every)
{
	w->poll.every = every;
	wi_poll_scan(w, 0);
}

/* One look at everything, and the time of the next. A first walk only
 * sums; when the sum moved, a second names what is newer than the start
 * of the previous look, which takes in what changed behind that walk as
 * it went. */
void
wi_poll_scan(struct watch *w, int report)
{
	unsigned long long before = w->wk.sum;
	unsigned noted = w->ch.noted;
	struct timespec start;

	/* The coarse clock, as the kernel stamps files with it: a file made
	 * just after this may carry a time a little before the fine one. */
	sys_clock_gettime(CLOCK_REALTIME_COARSE, &start);
	/* A link replaced, or a mount: where each root leads now. */
	if (report)
		wi_roots_check(w);
	if (poll_walk(w, 0) != before && report) {
		poll_walk(w, 1);
		/* A deletion leaves no entry to name: the sum says it anyway. */
		if (w->ch.noted == noted)
			wi_note_dir(w, -1, 0);
	}
	wi_trigger_poll(w, report);
	w->poll.since = start;
	w->poll.next = w->ch.now + w->poll.every;
}
