/* report.c: the text of `reinit status`: one screen of plain text. */
#include "init/report.h"

#include <unistd.h>

#include "init/log.h"
#include "watch/watch.h"

struct out {
	char *p, *end;
};

/* Appends the strings up to a NULL. */
#define put(o, ...) put_(o, __VA_ARGS__, (const char *)0)

static void
put_(struct out *o, const char *s, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, s);
	for (; s; s = __builtin_va_arg(ap, const char *))
		while (*s && o->p < o->end)
			*o->p++ = *s++;
	__builtin_va_end(ap);
}

static void
put_num(struct out *o, long long n)
{
	char num[LOG_NUM];

	put(o, log_num(num, n));
}

/* A duration as people read it: 950ms, 42s, 3m07s, 2h05m, 3d04h. */
static void
put_dur(struct out *o, long long ms)
{
	static const struct {
		long long unit;
		char name[2];
	} u[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
	unsigned i;

	if (ms < 1000) {
		put_num(o, ms < 0 ? 0 : ms);
		put(o, "ms");
		return;
	}
	for (i = 0; i < 3 && ms < u[i].unit; i++)
		;
	put_num(o, ms / u[i].unit);
	put(o, u[i].name);
	if (i < 3) {
		ms = ms % u[i].unit / u[i + 1].unit;
		if (ms < 10)
			put(o, "0");
		put_num(o, ms);
		put(o, u[i + 1].name);
	}
}

static const char *const state_words[] = {
#define SUP_X(name, doc) #name,
	SUP_STATES(SUP_X)
#undef SUP_X
};

static void
child(struct out *o, const struct loop *l, long long now)
{
	const struct opts *op = l->o;

	put(o, "child: ");
	if (!op->argv)
		put(o, "none (--pause)\n");
	else if (l->child > 0) {
		put(o, "'", op->argv[0], "' pid ");
		put_num(o, l->child);
		put(o, ", up ");
		put_dur(o, now - l->sup.started);
		put(o, l->sup.state == SUP_RUNNING ? "" : ", ",
		    l->sup.state == SUP_RUNNING ? "" : state_words[l->sup.state], "\n");
	} else {
		put(o, "'", op->argv[0], "' not running (", state_words[l->sup.state]);
		if (l->starts)
			put(o, ", last exit status "), put_num(o, l->code);
		put(o, ")\n");
	}
	put(o, "restarts: ");
	put_num(o, l->starts > 1 ? l->starts - 1 : 0);
	if (l->restarted_at) {
		put(o, ", the last ");
		put_dur(o, now - l->restarted_at);
		put(o, " ago: ", l->cause);
	}
	put(o, "\n");
}

static void
holds(struct out *o, const struct loop *l, long long now)
{
	int i, n = 0;

	put(o, "sync holds: ");
	for (i = 0; i < l->srv.n; i++)
		if (l->srv.c[i].holds) {
			put(o, n++ ? ", " : "", "one since ");
			put_dur(o, now - l->srv.c[i].since);
			put(o, " ago");
		}
	if (!n)
		put(o, l->hold.linger != NEVER ? "none, waiting for a further step" : "none");
	put(o, l->srv.fd < 0 ? " (no request channel)\n" : "\n");
}

unsigned long
report_status(const struct loop *l, long long now, char *buf, unsigned long size)
{
	struct out o = {buf, buf + size};

	put(&o, "reinit " REINIT_VERSION ", pid ");
	put_num(&o, getpid());
	put(&o, ", up ");
	put_dur(&o, now - l->began);
	put(&o, "\n");
	child(&o, l, now);
	holds(&o, l, now);
	if (l->watch)
		o.p += watch_report(l->watch, o.p, (unsigned long)(o.end - o.p));
	return (unsigned long)(o.p - buf);
}
