/* report.c: the text of `reinit status`: a few lines of plain text. */
#include "init/report.h"

#include <fcntl.h>

#include "init/log.h"
#include "proc/num.h"
#include "proc/sys.h"
#include "watch/watch.h"

struct out {
	char *p, *end;
};

/* Appends s, cut short where the buffer ends. */
static void
put(struct out *o, const char *s)
{
	while (*s && o->p < o->end)
		*o->p++ = *s++;
}

static void
put_num(struct out *o, unsigned long long n)
{
	char d[NUM_MAX];

	put(o, num_dec(d + sizeof(d) - 1, n));
}

/* A duration in ms, in whole seconds. */
static void
put_secs(struct out *o, msec ms)
{
	put_num(o, (unsigned long long)ms / 1000);
	put(o, "s");
}

/* The child, and the restarts so far. */
static void
child(struct out *o, const struct loop *l, msec now)
{
	put(o, "child: '");
	put(o, l->o->argv ? l->o->argv[0] : "none (--pause)");
	if (l->child > 0) {
		put(o, "' pid ");
		put_num(o, (unsigned long long)l->child);
		put(o, ", up ");
		put_secs(o, now - l->sup.started);
	} else {
		put(o, "' not running");
	}
	put(o, l->sup.state == SUP_STOPPING ? ", stopping\nrestarts: " : "\nrestarts: ");
	put_num(o, l->starts > 1 ? l->starts - 1 : 0);
	if (l->restarted_at) {
		put(o, ", ");
		put_secs(o, now - l->restarted_at);
		put(o, " ago, ");
		put(o, l->cause);
	}
}

/* The sync steps holding restarts, each by how long it has held. */
static void
holds(struct out *o, const struct loop *l, msec now)
{
	char *none;
	int i;

	put(o, "\nsync holds:");
	none = o->p;
	for (i = 0; i < l->srv.n; i++)
		if (l->srv.c[i].holds) {
			put(o, " one for ");
			put_secs(o, now - l->srv.c[i].since);
			put(o, ",");
		}
	if (l->hold.linger != NEVER)
		put(o, " waiting for a further step");
	if (o->p == none)
		put(o, " none");
	put(o, "\n");
}

/* Each root and its state; the watches against the node's limit, which
 * every container of the user shares. */
static void
roots(struct out *o, const struct watch *w)
{
	const char *path, *state;
	char max[24];
	long n;
	int i, fd;

	for (i = 0; (path = watch_root(w, i, &state)); i++) {
		put(o, "watch: ");
		put(o, path);
		put(o, " ");
		put(o, state);
		put(o, "\n");
	}
	if ((n = watch_count(w)) < 0)
		return;
	put_num(o, (unsigned long long)n);
	put(o, " inotify watches");
	if ((fd = sys_open("/proc/sys/fs/inotify/max_user_watches", O_CLOEXEC)) >= 0) {
		if ((n = sys_read(fd, max, sizeof(max) - 1)) > 1) {
			max[n - 1] = 0;
			put(o, " of max_user_watches ");
			put(o, max);
		}
		sys_close(fd);
	}
	put(o, "\n");
}

unsigned long
report_status(const struct loop *l, msec now, char *buf, unsigned long size)
{
	struct out o = {buf, buf + size};

	child(&o, l, now);
	holds(&o, l, now);
	if (l->watch)
		roots(&o, l->watch);
	return (unsigned long)(o.p - buf);
}
