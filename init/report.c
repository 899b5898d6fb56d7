/* report.c: the text of `reinit status`: a few lines of plain text. */
#include "init/report.h"

#include <fcntl.h>

#include "init/log.h"
#include "proc/sys.h"
#include "watch/watch.h"

/* Whole seconds between then and now, in words. */
static char *
secs(char *p, char *end, long long ms)
{
	char num[LOG_NUM];

	return log_cat(p, end, log_num(num, ms / 1000), "s");
}

/* The child, and the restarts so far. */
static char *
child(char *p, char *end, const struct loop *l, long long now)
{
	char num[LOG_NUM];

	p = log_cat(p, end, "child: '", l->o->argv ? l->o->argv[0] : "none (--pause)", "' ");
	if (l->child > 0)
		p = secs(log_cat(p, end, "pid ", log_num(num, l->child), ", up "), end,
			 now - l->sup.started);
	else
		p = log_cat(p, end, "not running");
	p = log_cat(p, end, l->sup.state == SUP_STOPPING ? ", stopping" : "",
		    "\nrestarts: ", log_num(num, l->starts > 1 ? l->starts - 1 : 0));
	if (l->restarted_at)
		p = log_cat(secs(log_cat(p, end, ", "), end, now - l->restarted_at), end, " ago, ",
			    l->cause);
	return log_cat(p, end, "\n");
}

/* The sync steps holding restarts, each by how long it has held. */
static char *
holds(char *p, char *end, const struct loop *l, long long now)
{
	char *none;
	int i;

	p = none = log_cat(p, end, "sync holds:");
	for (i = 0; i < l->srv.n; i++)
		if (l->srv.c[i].holds)
			p = log_cat(secs(log_cat(p, end, " one for "), end, now - l->srv.c[i].since),
				    end, ",");
	if (l->hold.linger != NEVER)
		p = log_cat(p, end, " waiting for a further step");
	if (p == none)
		p = log_cat(p, end, l->srv.fd < 0 ? " none (no request channel)" : " none");
	return log_cat(p, end, "\n");
}

/* Each root and its state; the watches against the node's limit, which
 * every container of the user shares. */
static char *
roots(char *p, char *end, const struct watch *w)
{
	const char *path, *state;
	char max[24];
	long n;
	int i, fd;

	for (i = 0; (path = watch_root(w, i, &state)); i++)
		p = log_cat(p, end, "watch: ", path, " ", state, "\n");
	if ((n = watch_count(w)) < 0)
		return p;
	p = log_cat(p, end, log_num(max, n), " inotify watches");
	if ((fd = sys_open("/proc/sys/fs/inotify/max_user_watches", O_CLOEXEC)) >= 0) {
		if ((n = sys_read(fd, max, sizeof(max) - 1)) > 1) {
			max[n - 1] = 0;
			p = log_cat(p, end, " of max_user_watches ", max);
		}
		sys_close(fd);
	}
	return log_cat(p, end, "\n");
}

unsigned long
report_status(const struct loop *l, long long now, char *buf, unsigned long size)
{
	char *p, *end = buf + size;

	p = holds(child(buf, end, l, now), end, l, now);
	if (l->watch)
		p = roots(p, end, l->watch);
	return (unsigned long)(p - buf);
}
