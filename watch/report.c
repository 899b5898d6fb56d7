/* report.c: the watcher's part of `reinit status`: each root and its
 * state, and the inotify watches in use against the node's limit. */
#include <fcntl.h>

#include "proc/sys.h"
#include "watch/wi.h"

/* Appends s to the text at *p, up to end. */
static void
add(char **p, char *end, const char *s)
{
	while (*s && *p < end)
		*(*p)++ = *s++;
}

static void
add_num(char **p, char *end, unsigned long long n)
{
	char d[24];
	int i = 0;

	do
		d[i++] = (char)('0' + n % 10);
	while ((n /= 10));
	while (i && *p < end)
		*(*p)++ = d[--i];
}

unsigned long
watch_report(const struct watch *w, char *buf, unsigned long size)
{
	char *p = buf, *end = buf + size, max[24];
	long n;
	int r, fd;

	for (r = 0; r < w->c.nroots; r++) {
		add(&p, end, "watch: ");
		add(&p, end, w->root[r].path);
		add(&p, end,
		    w->fd < 0         ? " polled\n"
		    : w->root[r].lost ? " waiting for it to exist\n"
				      : " watched\n");
	}
	if (w->fd < 0)
		return (unsigned long)(p - buf);
	add(&p, end, "inotify watches: ");
	add_num(&p, end, DIRTAB_N(&w->dirs) - w->dirs.ndead);
	/* The limit is the node's, shared by every container of the user. */
	if ((fd = sys_open("/proc/sys/fs/inotify/max_user_watches", O_CLOEXEC)) >= 0) {
		if ((n = sys_read(fd, max, sizeof(max) - 1)) > 1) {
			max[n - 1] = 0;
			add(&p, end, " of max_user_watches ");
			add(&p, end, max);
		}
		sys_close(fd);
	}
	add(&p, end, "\n");
	return (unsigned long)(p - buf);
}
