/* trigger.c: --trigger FILE: only that file counts. Its directory is
 * watched; when the directory goes, it is looked for again every second. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "proc/sys.h"
#include "watch/wi.h"

/* Before anything: REINIT_CHANGED names the trigger by its file name, in
 * either mode. */
void
wi_trigger_init(struct watch *w)
{
	const char *p;

	w->trig.wd = -1;
	for (w->trig.name = p = w->c.trigger; p && *p; p++)
		if (*p == '/')
			w->trig.name = p + 1;
}

/* Watches the trigger's directory; 0, or -errno when that cannot be done
 * now (and a retry is due). */
int
wi_trigger_watch(struct watch *w)
{
	int wd = wi_watch_parent(w, w->c.trigger, w->trig.name, 0);

	w->trig.wd = wd < 0 ? -1 : wd;
	if (wd < 0)
		wi_retry_later(w);
	return wd < 0 ? wd : 0;
}

void
wi_trigger_event(struct watch *w, const struct inotify_event *ev)
{
	/* No event but an overflow, taken before, has wd -1. */
	if (ev->wd != w->trig.wd)
		return;
	if (ev->mask & (IN_IGNORED | IN_MOVE_SELF)) {
		/* Gone, or somewhere else now: the path is what counts. */
		if (ev->mask & IN_MOVE_SELF && !dirtab_find(&w->in.dirs, ev->wd))
			wi_rm_watch(w, ev->wd);
		w->trig.wd = -1;
		wi_retry_later(w);
	} else if (ev->len && !strcmp(ev->name, w->trig.name) &&
		   (ev->mask & (IN_CLOSE_WRITE | IN_ATTRIB | IN_MOVED_TO | IN_CREATE))) {
		wi_note(w, WI_TRIGGER, w->trig.name);
	}
}

/* The directory is back: a trigger already in it was touched meanwhile. */
void
wi_trigger_retry(struct watch *w)
{
	struct stat st;

	if (!w->c.trigger || w->trig.wd >= 0 || w->in.fd < 0 || wi_trigger_watch(w) < 0)
		return;
	if (sys_stat(AT_FDCWD, w->c.trigger, &st, AT_SYMLINK_NOFOLLOW) == 0)
		wi_note(w, WI_TRIGGER, w->trig.name);
}

/* Watches the directory of path, whose last component starts at name:
 * "/" for "/f", "." for "f"; more is added to the mask. The wd, or
 * -errno. */
int
wi_watch_parent(struct watch *w, const char *path, const char *name, unsigned more)
{
	size_t d = (size_t)(name - path), l = d > 1 ? d - 1 : 1;
	char dir[PATH_MAX];

	if (l >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, d ? path : ".", l);
	dir[l] = 0;
	return wi_add_watch(w, dir, SENTINEL_MASK | more);
}

/* Polling: the trigger counts when its change time moved. */
void
wi_trigger_poll(struct watch *w, int report)
{
	struct stat st;

	if (w->c.trigger && sys_stat(AT_FDCWD, w->c.trigger, &st, 0) == 0) {
		if (report && (st.st_ctim.tv_sec != w->trig.stamp.tv_sec ||
			       st.st_ctim.tv_nsec != w->trig.stamp.tv_nsec))
			wi_note(w, WI_TRIGGER, w->trig.name);
		w->trig.stamp = st.st_ctim;
	}
}
