/* roots.c: each watch root is watched, or waited for with a sentinel (a
 * watch on its parent for its name) and, when even that fails, a look
 * every second: the watcher never goes blind without saying so. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "proc/sys.h"
#include "watch/wi.h"

/* Resolves a root given as a symbolic link, once: afterwards the walk
 * never follows one, and a link put in its place is not the tree. */
static const char *
resolve(struct watch *w, const char *path)
{
	char link[PATH_MAX], to[PATH_MAX];
	size_t len = strlen(path), d, used;
	struct dirtab_vec *pool = &w->roots.pool;
	long n;
	int i;

	if (len >= sizeof(to))
		return path;
	memcpy(to, path, len + 1);
	for (i = 0; i < 40 && (n = sys_readlinkat(AT_FDCWD, to, link, sizeof(link) - 1)) > 0; i++) {
		link[n] = 0;
		for (d = len; d > 0 && to[d - 1] != '/'; d--)
			;
		if (link[0] == '/')
			d = 0;
		if (d + (size_t)n >= sizeof(to))
			return path;
		memcpy(to + d, link, (size_t)n + 1);
		len = d + (size_t)n;
	}
	/* One mapping, made when first needed and never moved, holds them. */
	used = pool->len;
	if (i == 0 || (!pool->cap && dirtab_reserve(pool, PATH_MAX) < 0) ||
	    used + len + 1 > pool->cap)
		return path;
	memcpy(pool->p + used, to, len + 1);
	pool->len += len + 1;
	wi_say(w, 1, "watch root '", path, "' is a symbolic link: watching '", pool->p + used);
	return pool->p + used;
}

/* Checks the roots at start-up; 0, or -1 after saying why. */
int
wi_roots_init(struct watch *w)
{
	struct stat st;
	const char *p;
	int r, e;

	for (r = 0; r < w->c.nroots; r++) {
		p = w->roots.r[r].path = resolve(w, w->c.roots[r]);
		if ((e = sys_stat(AT_FDCWD, p, &st, AT_SYMLINK_NOFOLLOW)) < 0 || !S_ISDIR(st.st_mode)) {
			wi_say(w, 0, "cannot watch '", w->c.roots[r],
			       e == -ENOENT ? "': no such directory" : "': not a directory", 0);
			return -1;
		}
		for (w->roots.r[r].name = p; *p; p++)
			if (*p == '/' && p[1])
				w->roots.r[r].name = p + 1;
		w->roots.r[r].sentinel = -1;
	}
	return 0;
}

/* After inotify was closed: no root is waited for with a sentinel. */
void
wi_roots_forget(struct watch *w)
{
	int r;

	for (r = 0; r < w->c.nroots; r++) {
		w->roots.r[r].lost = 0;
		w->roots.r[r].sentinel = -1;
	}
}

int
wi_root_add(struct watch *w, int r, int report)
{
	int fd = sys_openat(AT_FDCWD, w->roots.r[r].path, DIR_FLAGS);

	if (fd < 0)
		return fd;
	return wi_walk(w, fd, "", -1, r, report);
}

/* Lets go of the sentinel wd unless another lost root, the trigger or the
 * tree itself uses that watch too. */
static void
sentinel_drop(struct watch *w, int wd)
{
	int r, used = wd == w->trig.wd || dirtab_find(&w->in.dirs, wd);

	for (r = 0; r < w->c.nroots; r++)
		if (w->roots.r[r].lost && w->roots.r[r].sentinel == wd)
			used = 1;
	if (!used)
		wi_rm_watch(w, wd);
}

/* Watches the root's parent directory for its name. */
static void
sentinel_set(struct watch *w, int r)
{
	int wd = wi_watch_parent(w, w->roots.r[r].path, w->roots.r[r].name);

	w->roots.r[r].sentinel = wd < 0 ? -1 : wd;
	if (wd < 0)
		wi_retry_later(w);
}

/* Tries to watch a lost root again: r is lost, as each caller knows. */
static void
root_back(struct watch *w, int r)
{
	int e, wd = w->roots.r[r].sentinel;

	if ((e = wi_root_add(w, r, 1)) == -ENOSPC) {
		wi_fall_back(w, WI_NO_WATCHES);
		return;
	}
	if (e < 0) {
		/* Half there (a link, a file, unreadable): what is watched
		 * of it is dropped, and the sentinel waits on. */
		wi_unwatch_root(w, r);
		return;
	}
	w->roots.r[r].lost = 0;
	w->roots.r[r].sentinel = -1;
	if (wd >= 0)
		sentinel_drop(w, wd);
	wi_say(w, 2, "watch root '", w->roots.r[r].path, "' is back", 0);
}

void
wi_root_lost(struct watch *w, int r, const char *why)
{
	wi_unwatch_root(w, r);
	w->roots.r[r].lost = 1;
	sentinel_set(w, r);
	wi_say(w, 1, "watch root '", w->roots.r[r].path, why, "; watching for it to come back");
	/* It may be back already, made before the parent had a watch. */
	root_back(w, r);
}

/* The name an event is about is the root's last component. */
static int
is_root_name(const char *name, const char *root)
{
	while (*name && *name == *root)
		name++, root++;
	return !*name && (!*root || *root == '/');
}

void
wi_roots_event(struct watch *w, const struct inotify_event *ev)
{
	int r, hit = 0;

	for (r = 0; r < w->c.nroots; r++) {
		if (!w->roots.r[r].lost || w->roots.r[r].sentinel != ev->wd)
			continue;
		if (ev->mask & (IN_IGNORED | IN_MOVE_SELF)) {
			/* The parent went too: look again every second. */
			w->roots.r[r].sentinel = -1;
			hit = 1;
			wi_retry_later(w);
		} else if (ev->len && !(ev->mask & IN_MODIFY) &&
			   is_root_name(ev->name, w->roots.r[r].name)) {
			root_back(w, r);
		}
	}
	if (hit && ev->mask & IN_MOVE_SELF)
		sentinel_drop(w, ev->wd);
}

void
wi_roots_retry(struct watch *w)
{
	int r;

	for (r = 0; r < w->c.nroots && w->in.fd >= 0; r++) {
		if (!w->roots.r[r].lost)
			continue;
		/* A root left without a sentinel needs another look in a
		 * second: sentinel_set() asks for it when it fails. */
		if (w->roots.r[r].sentinel < 0)
			sentinel_set(w, r);
		root_back(w, r);
	}
}
