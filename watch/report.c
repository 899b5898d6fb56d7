/* report.c: what the watcher tells `reinit status`. */
#include "watch/wi.h"

const char *
watch_root(const struct watch *w, int i, const char **state)
{
	if (i >= w->c.nroots)
		return 0;
	*state = w->fd < 0 ? "polled" : w->root[i].lost ? "waiting for it to exist" : "watched";
	return w->root[i].path;
}

long
watch_count(const struct watch *w)
{
	return w->fd < 0 ? -1 : (long)(DIRTAB_N(&w->dirs) - w->dirs.ndead);
}
