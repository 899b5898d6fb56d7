/* roots.c: where each watch root leads, and keeping it watched. A root is a
 * directory, a file (its directory is watched for that one name), or a
 * link to either, followed again whenever the link or what it led to
 * changes, and so is a root a mount replaced. A root that is gone is
 * waited for with a sentinel (a watch on its parent for its name) and,
 * when even that fails, a look every second: the watcher never goes blind
 * without saying so. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "proc/sys.h"
#include "watch/wi.h"

/* Follows the links that to (len bytes) is, as the kernel would; the new
 * length, or -1 when the result is too long. *links counts them. */
static long
follow(char *to, size_t len, int *links)
{
	char link[PATH_MAX];
	size_t d;
	long n;

	for (; *links < 40 && (n = sys_readlinkat(AT_FDCWD, to, link, sizeof(link) - 1)) > 0;
	     ++*links) {
		for (d = len; d > 0 && to[d - 1] != '/'; d--)
			;
		if (link[0] == '/')
			d = 0;
		if (d + (size_t)n + 3 >= PATH_MAX)
			return -1;
		memcpy(to + d, link, (size_t)n);
		to[len = d + (size_t)n] = 0;
	}
	return (long)len;
}

/* lead() found a file mounted on its own: a bind mount of one file. */
#define LEAD_BIND 0x100

/* Where root t leads now, into to (PATH_MAX bytes): a directory; or, for a
 * file, its directory with a '/' and a NUL, then the file's name, in
 * *only ("./\0name" for "name"). *st is the directory's. Links are
 * followed only for a root given as one: a link put in place of a
 * directory does not lead the watch out of its tree. The number of links
 * followed (with LEAD_BIND), or -errno when nothing is there, it is a link
 * not to be followed, or the name is too long. */
static int
lead(const struct watch_root *t, int links_ok, char *to, const char **only, struct stat *st)
{
	char name[NAME_MAX + 1];
	long len = (long)strlen(t->arg), d;
	size_t nl;
	int links = 0, e;
	dev_t dev;

	*only = 0;
	if (len + 3 >= PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(to, t->arg, (size_t)len + 1);
	if ((len = follow(to, (size_t)len, &links)) < 0)
		return -ENAMETOOLONG;
	if ((e = sys_stat(AT_FDCWD, to, st, 0)) < 0)
		return e;
	if (S_ISDIR(st->st_mode))
		return links && !links_ok ? -ELOOP : links;
	dev = st->st_dev;
	for (d = len; d > 0 && to[d - 1] != '/'; d--)
		;
	if ((nl = (size_t)(len - d)) > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, to + d, nl + 1);
	if (!d) {
		to[d++] = '.', to[d++] = '/';
	} else if (d > 1) {
		/* Its directory followed too: a key's link leads through
		 * ..data to the kubelet's dated directory. */
		to[d - 1] = 0;
		if ((d = follow(to, (size_t)d - 1, &links)) < 0)
			return -ENAMETOOLONG;
		to[d++] = '/';
	}
	if ((size_t)d + nl + 2 >= PATH_MAX)
		return -ENAMETOOLONG;
	to[d] = 0;
	*only = memcpy(to + d + 1, name, nl + 1);
	e = sys_stat(AT_FDCWD, to, st, 0);
	return e < 0                ? e
	       : links && !links_ok ? -ELOOP
				    : links | (dev != st->st_dev ? LEAD_BIND : 0);
}

/* Root r watches what to and only say, as lead() left them, from now on:
 * its own path, or a copy in its room. */
static void
settle(struct watch *w, int r, const char *to, const char *only, const struct stat *st)
{
	/* A page each, touched only for a root that needs one. */
	static char leads[MAX_ROOTS][PATH_MAX] __attribute__((aligned(PATH_MAX)));
	struct watch_root *t = &w->roots.r[r];

	t->dev = st->st_dev;
	t->ino = st->st_ino;
	t->path = t->arg;
	t->only = 0;
	if (t->link || only)
		t->path = memcpy(leads[r], to, PATH_MAX);
	if (only)
		t->only = leads[r] + (only - to);
}

/* "watch root 'ARG' WHAT 'PATH'": where root t leads. */
static void
say_lead(struct watch *w, const struct watch_root *t, const char *what)
{
	const char *m[8] = {"watch root '", t->arg, what, t->path, t->only ? t->only : "", "'", 0};

	w->c.log(1, m);
}

/* Checks the roots at start-up; 0, or -1 after saying why. */
int
wi_roots_init(struct watch *w)
{
	char to[PATH_MAX];
	const char *only, *p;
	struct stat st;
	int r, e;

	for (r = 0; r < w->c.nroots; r++) {
		struct watch_root *t = &w->roots.r[r];

		t->arg = w->c.roots[r];
		for (t->name = p = t->arg; *p; p++)
			if (*p == '/' && p[1])
				t->name = p + 1;
		t->sentinel = -1;
		if ((e = lead(t, 1, to, &only, &st)) < 0) {
			wi_say(w, 0, "watch root '", t->arg, wi_why(-e), 0);
			return -1;
		}
		t->link = (e & ~LEAD_BIND) != 0;
		settle(w, r, to, only, &st);
		if (e & LEAD_BIND)
			wi_say(w, 1, "'", t->arg,
			       "' is a single-file mount (a subPath): it is never updated in place; "
			       "mount the directory instead",
			       0);
		if (t->link)
			say_lead(w, t, "' is a symbolic link: watching '");
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

/* Lets go of the sentinel wd unless another root, the trigger or the tree
 * itself uses that watch too. */
static void
sentinel_drop(struct watch *w, int wd)
{
	int r, used = wd == w->trig.wd || dirtab_find(&w->in.dirs, wd);

	for (r = 0; r < w->c.nroots; r++)
		if (w->roots.r[r].sentinel == wd)
			used = 1;
	if (!used)
		wi_rm_watch(w, wd);
}

/* Watches the parent directory of root r's path as given for its name:
 * for a lost root, and always for a link. */
static void
sentinel_set(struct watch *w, int r)
{
	struct watch_root *t = &w->roots.r[r];
	/* Never through a link put in place of the parent: a sentinel
	 * that cannot be set is a look every second instead. */
	int wd = t->sentinel >= 0 ? t->sentinel
				  : wi_watch_parent(w, t->arg, t->name, IN_DONT_FOLLOW);

	t->sentinel = wd < 0 ? -1 : wd;
	if (wd < 0)
		wi_retry_later(w);
}

/* Watches root r where it leads now: when it was lost, or leads
 * somewhere else than before (a link replaced, what it led to gone, a
 * mount put over it or taken away). Then what is there is watched
 * instead, and that is a change; when nothing is, r is lost. */
static void
root_check(struct watch *w, int r)
{
	struct watch_root *t = &w->roots.r[r];
	char to[PATH_MAX];
	const char *only;
	struct stat st;
	int e = lead(t, t->link, to, &only, &st), lost = t->lost, wd = t->sentinel;

	if (!lost && e >= 0 && st.st_dev == t->dev && st.st_ino == t->ino &&
	    (!only || !t->only || !strcmp(only, t->only)))
		return;
	/* A file is still one, a directory still one. */
	if (e >= 0 && !only != !t->only)
		e = -ENOTDIR;
	if (!lost)
		wi_unwatch_root(w, r);
	if (e >= 0) {
		settle(w, r, to, only, &st);
		if ((e = wi_root_add(w, r, lost)) == -ENOSPC) {
			wi_fall_back(w, WI_NO_WATCHES);
			return;
		}
	}
	if (e < 0) {
		/* Half there (a file, unreadable): nothing of it stays. */
		wi_unwatch_root(w, r);
		if (!lost) {
			wi_note(w, r, t->name);
			wi_root_lost(w, r, wi_why(-e));
		}
		return;
	}
	t->lost = 0;
	/* Named by the root's own name: what it led to is gone, or is
	 * back (an empty directory too). */
	wi_note(w, r, t->name);
	if (lost) {
		if (!t->link && wd >= 0) {
			t->sentinel = -1;
			sentinel_drop(w, wd);
		}
		wi_say(w, 2, "watch root '", t->arg, "' is back", 0);
		return;
	}
	if (t->link)
		say_lead(w, t, "' now leads to '");
	else
		wi_say(w, 1, "watch root '", t->arg, "' was replaced by a mount: watching it again",
		       0);
}

void
wi_root_lost(struct watch *w, int r, const char *why)
{
	wi_unwatch_root(w, r);
	w->roots.r[r].lost = 1;
	sentinel_set(w, r);
	wi_say(w, 1, "watch root '", w->roots.r[r].arg, why, "; watching for it to come back");
	/* It may be back already, made before the parent had a watch. */
	root_check(w, r);
}

void
wi_roots_check(struct watch *w)
{
	int r;

	for (r = 0; r < w->c.nroots; r++)
		root_check(w, r);
}

/* Root r went (deleted, moved away): a link may lead somewhere else now. */
void
wi_root_gone(struct watch *w, int r, unsigned mask)
{
	if (w->roots.r[r].link) {
		root_check(w, r);
		return;
	}
	wi_note(w, r, 0);
	wi_root_lost(w, r, mask & IN_MOVE_SELF ? "' was moved away" : "' was deleted");
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
		struct watch_root *t = &w->roots.r[r];

		if (t->sentinel != ev->wd)
			continue;
		if (ev->mask & (IN_IGNORED | IN_MOVE_SELF)) {
			/* The parent went too: look again every second. */
			t->sentinel = -1;
			hit = 1;
			wi_retry_later(w);
		} else if (ev->len && !(ev->mask & IN_MODIFY) && is_root_name(ev->name, t->name)) {
			root_check(w, r);
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
		struct watch_root *t = &w->roots.r[r];

		/* A sentinel that could not be set needs another look in a
		 * second: sentinel_set() asks for it when it fails. */
		if ((t->lost || t->link) && t->sentinel < 0)
			sentinel_set(w, r);
		if (t->lost)
			root_check(w, r);
	}
}
