/* writers.h: files being written in the watched trees. Each holds a restart
 * until it is closed, for a bounded time, so that the app never starts on
 * half a file while another file's close has made the restart due (pure). */
#ifndef REINIT_WRITERS_H
#define REINIT_WRITERS_H

/* More files written at once than this: the oldest is forgotten (it has
 * held longest already). */
#include "proc/clock.h"

#define WRITERS_MAX 32
/* Given as the time of a note: the file was closed. Not a time, nor a
 * deadline: a clock value is never negative. */
#define WRITERS_DONE NEVER

struct writers {
	struct {
		int wd;        /* the directory's watch */
		unsigned name; /* a hash of the file's name in it */
		msec since;
	} f[WRITERS_MAX]; /* in the order they were opened */
	int n;
};

/* The file name in the directory wd was created or written at now, or
 * (now WRITERS_DONE) closed, removed or moved away. A file open already
 * keeps its first time: a log written all day holds once. */
void writers_note(struct writers *ws, int wd, const char *name, msec now);

/* Until when they hold a restart: ceiling ms after the newest was opened,
 * or NEVER when none is open. */
msec writers_until(const struct writers *ws, long ceiling);

#endif
