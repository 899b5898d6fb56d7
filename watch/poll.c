/* poll.c: without inotify, a look at every watched tree each interval. */
#include <fcntl.h>

#include "proc/sys.h"
#include "watch/wi.h"

static unsigned long long
poll_walk(struct watch *w, int report)
{
	int r;

	w->sum = 0;
	w->ndirs = 0;
	for (r = 0; r < w->c.nroots; r++)
		wi_root_add(w, r, report);
	return w->sum;
}

/* One look at everything, and the time of the next. A first walk only sums; when the sum moved, a
 * second names what is newer than the start of the previous look, which
 * takes in what changed behind that walk as it went. */
void
wi_poll_scan(struct watch *w, int report)
{
	unsigned long long before = w->sum;
	unsigned noted = w->noted;
	struct timespec start;

	/* The coarse clock, as the kernel stamps files with it: a file made
	 * just after this may carry a time a little before the fine one. */
	syscall(SYS_clock_gettime, CLOCK_REALTIME_COARSE, &start);
	if (poll_walk(w, 0) != before && report) {
		poll_walk(w, 1);
		/* A deletion leaves no entry to name: the sum says it anyway. */
		if (w->noted == noted)
			wi_note_dir(w, 0);
	}
	wi_trigger_poll(w, report);
	w->since = start;
	w->next_poll = w->now + w->c.poll_ms;
}
