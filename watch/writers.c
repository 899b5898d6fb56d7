/* writers.c: files being written in the watched trees (pure). */
#include <string.h>

#include "watch/writers.h"

void
writers_note(struct writers *ws, int wd, const char *name, msec now)
{
	/* FNV-1a: two names in one directory with one hash end a hold early. */
	unsigned h = 2166136261u;
	int i = 0, done = now == WRITERS_DONE;

	while (*name)
		h = (h ^ (unsigned char)*name++) * 16777619u;
	while (i < ws->n && (ws->f[i].wd != wd || ws->f[i].name != h))
		i++;
	if (done == (i == ws->n))
		return; /* done and not open, or open already */
	if (done || ws->n == WRITERS_MAX) {
		/* Out of the list: this one, or the oldest to make room. */
		i = done ? i : 0;
		memmove(&ws->f[i], &ws->f[i + 1], (size_t)(--ws->n - i) * sizeof(ws->f[0]));
		if (done)
			return;
	}
	i = ws->n++;
	ws->f[i].wd = wd;
	ws->f[i].name = h;
	ws->f[i].since = now;
}

msec
writers_until(const struct writers *ws, long ceiling)
{
	return ws->n ? ws->f[ws->n - 1].since + ceiling : NEVER;
}
