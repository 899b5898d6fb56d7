/* report.c: the text of `reinit status`: a few lines of plain text. */
#include "init/report.h"

#include <fcntl.h>

#include "init/log.h"
#include "proc/num.h"
#include "proc/sys.h"
#include "watch/watch.h"

/* Where the text goes: one report at a time, so one place, which each
 * put() call need not be given (3 bytes a call on x86-64). */
static struct out {
	char *p, *end;
} out;

/* Appends s, cut short where the buffer ends. */
static void
put(const char *s)
{
	while (*s && out.p < out.end)
		*out.p++ = *s++;
}

static void
put_num(unsigned long long n)
{
	char d[NUM_MAX];

	put(num_dec(d + sizeof(d) - 1, n));
}

/* A duration in ms, in whole seconds. */
static void
put_secs(msec ms)
{
	put_num((unsigned long long)ms / 1000);
	put("s");
}

/* The child, and the restarts so far. */
static void
child(const struct loop *l, msec now)
{
	put("child: '");
	put(l->o->argv ? l->o->argv[0] : "none (--pause)");
	if (l->child > 0) {
		put("' pid ");
		put_num((unsigned long long)l->child);
		put(", up ");
		put_secs(now - l->sup.started);
	} else {
		put("' not running");
	}
	put(l->sup.state == SUP_STOPPING ? ", stopping\nrestarts: " : "\nrestarts: ");
	put_num(l->starts > 1 ? l->starts - 1 : 0);
	if (l->restarted_at) {
		put(", ");
		put_secs(now - l->restarted_at);
		put(" ago, ");
		put(l->cause);
	}
}

/* The sync steps holding restarts, each by how long it has held. */
static void
holds(const struct loop *l, msec now)
{
	char *none;
	int i;

	put("\nsync holds:");
	none = out.p;
	for (i = 0; i < l->srv.n; i++)
		if (l->srv.c[i].holds) {
			put(" one for ");
			put_secs(now - l->srv.c[i].since);
			put(",");
		}
	if (l->hold.linger != NEVER)
		put(" waiting for a further step");
	if (out.p == none)
		put(" none");
	put("\n");
}

/* Each root and its state; the watches against the node's limit, which
 * every container of the user shares. */
static void
roots(const struct watch *w)
{
	const char *path, *state, *kind;
	char max[24];
	long n;
	int i, fd;

	for (i = 0; (path = watch_root(w, i, &kind, &state)); i++) {
		put(kind);
		put(path);
		put(" ");
		put(state);
		put("\n");
	}
	if ((n = watch_count(w)) < 0)
		return;
	put_num((unsigned long long)n);
	put(" inotify watches");
	if ((fd = sys_open("/proc/sys/fs/inotify/max_user_watches", O_CLOEXEC)) >= 0) {
		if ((n = sys_read(fd, max, sizeof(max) - 1)) > 1) {
			max[n - 1] = 0;
			put(" of max_user_watches ");
			put(max);
		}
		sys_close(fd);
	}
	put("\n");
}

unsigned long
report_status(const struct loop *l, msec now, char *buf, unsigned long size)
{
	out.p = buf;
	out.end = buf + size;
	child(l, now);
	holds(l, now);
	if (l->watch)
		roots(l->watch);
	return (unsigned long)(out.p - buf);
}
