/* report.c: what the watcher tells `reinit status`. */
#include "watch/wi.h"

const char *
watch_root(const struct watch *w, int i, const char **kind, const char **state)
{
	if (i >= w->c.nroots)
		return 0;
	*kind = i < w->c.nreload ? "reload: " : "watch: ";
	*state = w->in.fd < 0 ? "polled" : w->roots.r[i].lost ? "waiting for it to exist" : "watched";
	return w->roots.r[i].only ? w->roots.r[i].arg : w->roots.r[i].path;
}

long
watch_count(const struct watch *w)
{
	return w->in.fd < 0 ? -1 : (long)(DIRTAB_N(&w->in.dirs) - w->in.dirs.ndead);
}
