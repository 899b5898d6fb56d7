/* watch.c: notice file changes under the watched trees, with inotify or by
 * polling, and say when the child is due for a restart. */
#include "watch/watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "proc/sys.h"
#include "watch/debounce.h"

/* Directories only, and never IN_MODIFY: a file still being written must
 * not restart the app; its IN_CLOSE_WRITE will. */
#define TREE_MASK                                                                                  \
	(IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_ATTRIB |        \
	 IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
/* The directory of the trigger file, or of a watch root that went away:
 * added to whatever mask the directory already has. */
#define SENTINEL_MASK                                                                              \
	(IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR | IN_MASK_ADD)

#define MAX_ROOTS        64
#define CHANGED_MAX      4096
#define RETRY_MS         1000
#define POLL_FALLBACK_MS 1000

/* One watched directory. A name, not a path: the path is rebuilt from the
 * parents, so memory grows with the directories only. */
struct node {
	int wd;
	int parent;    /* the parent's wd; -1 for a root */
	unsigned name; /* offset of the last component in names */
	unsigned short root;
	unsigned char dead;
};

/* A growable array in pages of its own, so that reinit needs no malloc. */
struct vec {
	char *p;
	size_t len, cap;
};

struct watch {
	struct watch_cfg c;
	int fd;
	struct vec nodes; /* struct node, sorted by wd */
	struct vec names;
	struct debounce db;
	long long now, next_poll;
	int rescan;
	/* Per root: still there, and the sentinel that waits for it if not. */
	unsigned char lost[MAX_ROOTS];
	int sentinel[MAX_ROOTS];
	int trig_wd;
	const char *trig_name;
	struct timespec trig_stamp;
	/* Polling: a sum over every entry's identity and times. */
	unsigned long long sum;
	struct timespec since;
	unsigned dirs, noted;
	/* The changes since the last start: "REINIT_CHANGED=" then one path a
	 * line, each once. */
	char changed[CHANGED_MAX];
	size_t clen;
	unsigned count;
	char summary[256];
	char path[PATH_MAX + NAME_MAX + 2];
};

static struct watch the_watch;

static void
say(struct watch *w, int level, const char *a, const char *b, const char *c, const char *d)
{
	const char *parts[5] = {a, b, c, d, 0};

	w->c.log(level, parts);
}

static int
vec_reserve(struct vec *v, size_t more)
{
	size_t cap = v->cap ? v->cap : 16384;
	void *p;

	if (v->len + more <= v->cap)
		return 0;
	while (cap < v->len + more)
		cap *= 2;
	p = v->cap ? mremap(v->p, v->cap, cap, MREMAP_MAYMOVE)
		   : mmap(0, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	v->p = p;
	v->cap = cap;
	return 0;
}

#define NODES(w)  ((struct node *)(w)->nodes.p)
#define NNODES(w) ((w)->nodes.len / sizeof(struct node))

/* Binary search by wd: the kernel hands out ever larger wds, so nodes are
 * appended in order and the array stays sorted almost for free. */
static size_t
node_pos(const struct watch *w, int wd)
{
	size_t lo = 0, hi = NNODES(w);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (NODES(w)[mid].wd < wd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct node *
node_find(struct watch *w, int wd)
{
	size_t i = node_pos(w, wd);

	return i < NNODES(w) && NODES(w)[i].wd == wd ? &NODES(w)[i] : 0;
}

static const char *
node_name(const struct watch *w, const struct node *n)
{
	return w->names.p + n->name;
}

static int
node_add(struct watch *w, int wd, int parent, const char *name, int root)
{
	size_t len = strlen(name) + 1, i;
	struct node *n;

	if (vec_reserve(&w->names, len) < 0 || vec_reserve(&w->nodes, sizeof(*n)) < 0)
		return -ENOMEM;
	i = node_pos(w, wd);
	n = &NODES(w)[i];
	/* The same directory seen twice (a bind mount, a move) keeps its wd. */
	if (i == NNODES(w) || n->wd != wd) {
		memmove(n + 1, n, (NNODES(w) - i) * sizeof(*n));
		w->nodes.len += sizeof(*n);
	}
	memcpy(w->names.p + w->names.len, name, len);
	n->wd = wd;
	n->parent = parent;
	n->name = (unsigned)w->names.len;
	n->root = (unsigned short)root;
	n->dead = 0;
	w->names.len += len;
	return 0;
}

/* Writes n's full path into w->path; returns its length, or 0. */
static size_t
node_path(struct watch *w, const struct node *n, int depth)
{
	const char *s;
	size_t len, l;

	if (n->parent < 0) {
		s = w->c.roots[n->root];
		len = strlen(s);
	} else {
		const struct node *p = node_find(w, n->parent);

		if (!p || depth > PATH_MAX / 2 || !(len = node_path(w, p, depth + 1)))
			return 0;
		s = node_name(w, n);
		if ((l = strlen(s)) + len + 2 > PATH_MAX)
			return 0;
		w->path[len++] = '/';
		memcpy(w->path + len, s, l);
		len += l;
	}
	if (n->parent < 0)
		memcpy(w->path, s, len);
	w->path[len] = 0;
	return len;
}

/* Forgets n and every directory below it; with rm, tells the kernel too
 * (after IN_IGNORED or a deletion it already knows). */
static void
node_drop(struct watch *w, struct node *n, int rm)
{
	struct node *a = NODES(w);
	size_t i, j, nn = NNODES(w);
	int more = 1;

	n->dead = 1;
	/* Mark the subtree: parents mostly precede their children, so this
	 * settles in a pass or two. */
	while (more)
		for (more = 0, i = 0; i < nn; i++) {
			struct node *p;

			if (a[i].dead || a[i].parent < 0 || !(p = node_find(w, a[i].parent)) ||
			    !p->dead)
				continue;
			a[i].dead = more = 1;
		}
	for (i = j = 0; i < nn; i++) {
		if (!a[i].dead) {
			a[j++] = a[i];
			continue;
		}
		if (rm && w->fd >= 0)
			inotify_rm_watch(w->fd, a[i].wd);
	}
	w->nodes.len = j * sizeof(*a);
}

static int
ext_ok(const struct watch *w, const char *name)
{
	const char *e = w->c.exts, *end;
	size_t nl = strlen(name), el;

	if (!e)
		return 1;
	for (; *e; e = *end ? end + 1 : end) {
		for (end = e; *end && *end != ','; end++)
			;
		el = (size_t)(end - e);
		if (el && *e == '.')
			e++, el--;
		if (el && nl > el + 1 && name[nl - el - 1] == '.' && !memcmp(name + nl - el, e, el))
			return 1;
	}
	return 0;
}

static size_t
line_len(const char *s)
{
	const char *e = s;

	while (*e && *e != '\n')
		e++;
	return (size_t)(e - s);
}

/* A change: due for a restart after the quiet period. path (relative to
 * its root, or NULL when unknown) goes once into REINIT_CHANGED. */
static void
note(struct watch *w, const char *path)
{
	size_t len, at;
	char *c = w->changed + 15;

	debounce_note(&w->db, w->now);
	w->noted++;
	if (!path)
		return;
	len = strlen(path);
	for (at = 0; at + 15 < w->clen;) {
		size_t l = line_len(c + at);

		if (l == len && !memcmp(c + at, path, len))
			return;
		at += l + 1;
	}
	w->count++;
	if (w->clen + len + 2 > sizeof(w->changed))
		return;
	if (w->clen > 15)
		w->changed[w->clen++] = '\n';
	memcpy(w->changed + w->clen, path, len + 1);
	w->clen += len;
}

/* A file (not a directory) changed: does it count? */
static void
note_file(struct watch *w, const char *rel, const char *name)
{
	if (!w->c.trigger && ext_ok(w, name))
		note(w, rel);
}

static void
note_dir(struct watch *w, const char *rel)
{
	if (!w->c.trigger && (!w->c.exts || !rel))
		note(w, rel);
}

static int
ignored(const struct watch *w, const char *rel, int is_dir)
{
	return *rel && w->c.ignores && match_ignored(w->c.ignores, rel, is_dir);
}

static int
is_dir_entry(int dirfd, const struct dirent *d)
{
	struct stat st;

	if (d->d_type != DT_UNKNOWN)
		return d->d_type == DT_DIR;
	return sys_stat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* 64-bit FNV-1a over the bytes of s, then a mix of the numbers: a
 * fingerprint of one entry. */
static unsigned long long
fingerprint(const char *s, const struct stat *st)
{
	unsigned long long h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	h ^= (unsigned long long)st->st_ino * 0x9e3779b97f4a7c15ULL;
	h ^= (unsigned long long)st->st_size * 0xc2b2ae3d27d4eb4fULL;
	h ^= (unsigned long long)st->st_mtim.tv_sec * 1000000007ULL +
	     (unsigned long long)st->st_mtim.tv_nsec;
	h ^= ((unsigned long long)st->st_ctim.tv_sec * 998244353ULL +
	      (unsigned long long)st->st_ctim.tv_nsec)
	     << 1;
	return h * 0xff51afd7ed558ccdULL;
}

static int
newer(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}

/* Walks the directory at w->path[0..len) and every directory below it that
 * is not ignored; rel is where the path below the root starts. With inotify
 * each directory gets a watch, and with report what is found counts as
 * changed: it appeared before its directory was watched. Polling, each
 * entry's fingerprint goes into w->sum, and with report what changed since
 * the last walk counts. 0, or -ENOSPC when out of watches. */
static int
walk(struct watch *w, size_t len, size_t rel, int parent, int root, int report)
{
	char buf[2048];
	const char *base = w->path + len;
	long n, off;
	int wd = -1, fd, r = 0, polling = w->fd < 0;

	if (!polling) {
		while (base > w->path + rel && base[-1] != '/')
			base--;
		if ((wd = inotify_add_watch(w->fd, w->path, TREE_MASK)) < 0)
			/* Gone already, or not a directory after all. */
			return errno == ENOSPC || errno == ENOMEM ? -ENOSPC : 0;
		if (node_add(w, wd, parent, parent < 0 ? "" : base, root) < 0)
			return -ENOSPC;
	}
	w->dirs++;
	if ((fd = sys_open(w->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	while (r == 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; r == 0 && off < n;) {
			struct dirent *d = (struct dirent *)(buf + off);
			size_t l = strlen(d->d_name);
			struct stat st;
			int dir, changed = report;

			off += d->d_reclen;
			if ((d->d_name[0] == '.' &&
			     (!d->d_name[1] || (d->d_name[1] == '.' && !d->d_name[2]))) ||
			    len + l + 2 > PATH_MAX ||
			    (polling && sys_stat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0))
				continue;
			w->path[len] = '/';
			memcpy(w->path + len + 1, d->d_name, l + 1);
			dir = polling ? S_ISDIR(st.st_mode) : is_dir_entry(fd, d);
			if (!ignored(w, w->path + rel, dir)) {
				if (polling) {
					changed = 0;
					/* With --exts a directory's times move with
					 * files that do not count: leave them out. */
					if (dir ? !w->c.exts : ext_ok(w, d->d_name)) {
						w->sum += fingerprint(w->path + rel, &st);
						changed =
							report && (newer(&st.st_mtim, &w->since) ||
								   newer(&st.st_ctim, &w->since));
					}
				}
				if (changed && dir)
					note_dir(w, w->path + rel);
				else if (changed)
					note_file(w, w->path + rel, d->d_name);
				if (dir)
					r = walk(w, len + 1 + l, rel, wd, root, report);
			}
			w->path[len] = 0;
		}
	}
	close(fd);
	return r;
}

static size_t
root_path(struct watch *w, int r)
{
	size_t len = strlen(w->c.roots[r]);

	memcpy(w->path, w->c.roots[r], len + 1);
	return len;
}

static int
add_root(struct watch *w, int r, int report)
{
	size_t len = root_path(w, r);

	return walk(w, len, len + 1, -1, r, report);
}

/* The trigger file's directory, or a lost root's parent: a watch for one
 * name in it. Returns the wd, or -1. */
static int
sentinel(struct watch *w, const char *path, const char **name)
{
	size_t len = strlen(path), d = len;

	while (d > 0 && path[d - 1] != '/')
		d--;
	*name = path + d;
	if (d == 0) {
		w->path[0] = '.', d = 1;
	} else {
		memcpy(w->path, path, d);
		if (d > 1)
			d--;
	}
	w->path[d] = 0;
	return inotify_add_watch(w->fd, w->path, SENTINEL_MASK);
}

static unsigned
read_limit(const char *path)
{
	char buf[24];
	unsigned v = 0;
	ssize_t n, i;
	int fd = sys_open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	for (i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		v = v * 10 + (unsigned)(buf[i] - '0');
	return v;
}

static const char *
num(char *buf, unsigned long n)
{
	char *p = buf + 23;

	*p = 0;
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10));
	return p;
}

static void poll_scan(struct watch *w, int report);

/* inotify cannot do the job (out of watches or instances): say which limit
 * to raise, then poll instead of giving up. */
static void
fall_back(struct watch *w, int instances)
{
	char a[24], b[24], c[24];

	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->nodes.len = w->names.len = 0;
	w->c.poll_ms = POLL_FALLBACK_MS;
	poll_scan(w, 0);
	w->next_poll = w->now + w->c.poll_ms;
	if (instances) {
		const char *m[] = {"inotify instance limit reached (",
				   num(a, read_limit("/proc/sys/user/max_inotify_instances")),
				   "): raise it on the node with sysctl -w "
				   "fs.inotify.max_user_instances=1024; polling every 1s meanwhile",
				   0};

		w->c.log(1, m);
	} else {
		const char *m[] = {
			"inotify watch limit reached (",
			num(a, read_limit("/proc/sys/user/max_inotify_watches")),
			"; the watched trees need ",
			num(b, w->dirs),
			"): raise it on the node with sysctl -w fs.inotify.max_user_watches=",
			num(c, w->dirs * 2 > 524288 ? w->dirs * 2 : 524288),
			"; polling every 1s meanwhile",
			0};

		w->c.log(1, m);
	}
}

/* Watches every root from scratch: at start, and after the queue
 * overflowed and events were lost. 0 or -errno. */
static int
build(struct watch *w)
{
	int r, e;

	if (w->fd >= 0)
		close(w->fd);
	w->nodes.len = w->names.len = 0;
	w->dirs = 0;
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		e = errno;
		if (e == EMFILE)
			fall_back(w, 1);
		return -e;
	}
	for (r = 0; r < w->c.nroots; r++) {
		w->lost[r] = 0;
		if ((e = add_root(w, r, 0)) == -ENOSPC) {
			fall_back(w, 0);
			return e;
		}
	}
	if (w->c.trigger && (w->trig_wd = sentinel(w, w->c.trigger, &w->trig_name)) < 0)
		return -errno;
	return 0;
}

static void
root_back(struct watch *w, int r)
{
	if (!w->lost[r] || access(w->c.roots[r], F_OK) < 0)
		return;
	w->lost[r] = 0;
	/* The parent's watch was only for this; unless it is watched anyway. */
	if (w->sentinel[r] >= 0 && w->sentinel[r] != w->trig_wd && !node_find(w, w->sentinel[r]))
		inotify_rm_watch(w->fd, w->sentinel[r]);
	if (add_root(w, r, 1) == -ENOSPC)
		fall_back(w, 0);
	say(w, 2, "watch root '", w->c.roots[r], "' is back", 0);
}

static void
root_lost(struct watch *w, int r, const char *why)
{
	const char *name;
	size_t i;

	for (i = 0; i < NNODES(w); i++)
		if (NODES(w)[i].root == r && NODES(w)[i].parent < 0) {
			node_drop(w, &NODES(w)[i], 1);
			break;
		}
	w->lost[r] = 1;
	w->sentinel[r] = sentinel(w, w->c.roots[r], &name);
	if (w->sentinel[r] < 0 && w->next_poll == WATCH_NEVER)
		w->next_poll = w->now + RETRY_MS;
	say(w, 2, "watch root '", w->c.roots[r], why, "; watching for it to come back");
	/* It may be back already, made before the parent had a watch. */
	root_back(w, r);
}

static void
event(struct watch *w, const struct inotify_event *ev)
{
	struct node *n;
	size_t len, rel;
	int r, dir = !!(ev->mask & IN_ISDIR);

	if (ev->mask & IN_Q_OVERFLOW) {
		/* Events were lost: something changed, and only a fresh look
		 * tells which directories exist now. */
		say(w, 1, "inotify queue overflowed: rescanning the watched trees", 0, 0, 0);
		note(w, 0);
		w->rescan = 1;
		return;
	}
	if (w->c.trigger && ev->wd == w->trig_wd && ev->len && !strcmp(ev->name, w->trig_name) &&
	    (ev->mask & (IN_CLOSE_WRITE | IN_ATTRIB | IN_MOVED_TO | IN_CREATE)))
		note(w, w->trig_name);
	for (r = 0; r < w->c.nroots; r++)
		if (w->lost[r] && ev->wd == w->sentinel[r] && ev->len &&
		    (ev->mask & (IN_CREATE | IN_MOVED_TO)) && dir)
			root_back(w, r);
	if (!(n = node_find(w, ev->wd)))
		return;
	if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
		if (n->parent < 0 && !w->lost[n->root])
			root_lost(w, n->root,
				  ev->mask & IN_MOVE_SELF ? "' was moved away" : "' was deleted");
		else if (ev->mask & IN_IGNORED)
			node_drop(w, n, 0);
		return;
	}
	if (!ev->len)
		return;
	r = n->root;
	if (!(len = node_path(w, n, 0)) || len + ev->len + 2 > PATH_MAX)
		return;
	rel = strlen(w->c.roots[r]) + 1;
	w->path[len] = '/';
	memcpy(w->path + len + 1, ev->name, strlen(ev->name) + 1);
	len += 1 + strlen(ev->name);
	if (ignored(w, w->path + rel, dir))
		return;
	if (dir) {
		/* node_drop() moves nodes about: n is not to be used after it. */
		int wd = n->wd;

		if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
			size_t i;

			for (i = 0; i < NNODES(w); i++)
				if (NODES(w)[i].parent == wd &&
				    !strcmp(node_name(w, &NODES(w)[i]), ev->name)) {
					node_drop(w, &NODES(w)[i], !!(ev->mask & IN_MOVED_FROM));
					break;
				}
		}
		note_dir(w, w->path + rel);
		if ((ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
		    walk(w, len, rel, wd, r, 1) == -ENOSPC)
			fall_back(w, 0);
		return;
	}
	if (ev->mask & IN_CREATE) {
		struct stat st;

		/* A new regular file is still being written: its
		 * IN_CLOSE_WRITE counts. Links and special files count now. */
		if (sys_stat(AT_FDCWD, w->path, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    (S_ISREG(st.st_mode) && st.st_nlink == 1))
			return;
	}
	note_file(w, w->path + rel, ev->name);
}

void
watch_read(struct watch *w, long long now)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n, off;

	w->now = now;
	while (w->fd >= 0 && (n = read(w->fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n && w->fd >= 0;) {
			const struct inotify_event *ev = (const struct inotify_event *)(buf + off);

			off += (ssize_t)(sizeof(*ev) + ev->len);
			event(w, ev);
		}
	if (w->rescan) {
		w->rescan = 0;
		build(w);
	}
}

static unsigned long long
poll_walk(struct watch *w, int report)
{
	int r;

	w->sum = 0;
	w->dirs = 0;
	for (r = 0; r < w->c.nroots; r++)
		add_root(w, r, report);
	return w->sum;
}

/* One look at everything. A first walk only sums; when the sum moved, a
 * second names what is newer than the start of the previous look, which
 * takes in what changed behind that walk as it went. */
static void
poll_scan(struct watch *w, int report)
{
	unsigned long long before = w->sum;
	unsigned noted = w->noted;
	struct timespec start;
	struct stat st;

	/* The coarse clock, as the kernel stamps files with it: a file made
	 * just after this may carry a time a little before the fine one. */
	syscall(SYS_clock_gettime, CLOCK_REALTIME_COARSE, &start);
	if (poll_walk(w, 0) != before && report) {
		poll_walk(w, 1);
		/* A deletion leaves no entry to name: the sum says it anyway. */
		if (w->noted == noted)
			note_dir(w, 0);
	}
	if (w->c.trigger && sys_stat(AT_FDCWD, w->c.trigger, &st, 0) == 0) {
		if (report && (st.st_ctim.tv_sec != w->trig_stamp.tv_sec ||
			       st.st_ctim.tv_nsec != w->trig_stamp.tv_nsec))
			note(w, w->trig_name);
		w->trig_stamp = st.st_ctim;
	}
	w->since = start;
}

int
watch_tick(struct watch *w, long long now)
{
	int r;

	w->now = now;
	if (w->next_poll != WATCH_NEVER && now >= w->next_poll) {
		if (w->fd < 0) {
			poll_scan(w, 1);
			w->next_poll = now + w->c.poll_ms;
		} else {
			/* A lost root whose parent could not be watched. */
			w->next_poll = WATCH_NEVER;
			for (r = 0; r < w->c.nroots; r++)
				if (w->lost[r]) {
					root_back(w, r);
					if (w->lost[r])
						w->next_poll = now + RETRY_MS;
				}
		}
	}
	return debounce_fire(&w->db, now);
}

long long
watch_due(const struct watch *w)
{
	long long d = debounce_due(&w->db);

	if (w->next_poll != WATCH_NEVER && (d == DEBOUNCE_NONE || w->next_poll < d))
		d = w->next_poll;
	return d == DEBOUNCE_NONE ? WATCH_NEVER : d;
}

int
watch_fd(const struct watch *w)
{
	return w->fd;
}

const char *
watch_changed_env(struct watch *w)
{
	w->changed[w->clen] = 0;
	return w->changed;
}

const char *
watch_summary(struct watch *w)
{
	char *s = w->summary, *end = s + sizeof(w->summary) - 5, nb[24];
	const char *p = w->changed + 15, *n = num(nb, w->count);
	size_t l;

	if (!w->count)
		return "changes that have no name (a deletion, or lost events)";
	while ((*s = *n++))
		s++;
	for (n = w->count == 1 ? " change: " : " changes: "; (*s = *n++);)
		s++;
	for (; *p && s < end; p += l + (p[l] != 0)) {
		l = line_len(p);
		if (p != w->changed + 15)
			*s++ = ',', *s++ = ' ';
		if (s + l >= end) {
			memcpy(s, "...", 4);
			return w->summary;
		}
		memcpy(s, p, l);
		s += l;
	}
	*s = 0;
	return w->summary;
}

int
watch_flush(struct watch *w, int take)
{
	int pending = debounce_due(&w->db) != DEBOUNCE_NONE;

	if (pending && take)
		debounce_clear(&w->db);
	return pending;
}

void
watch_spawned(struct watch *w)
{
	debounce_clear(&w->db);
	w->clen = 15;
	w->count = 0;
	w->changed[w->clen] = 0;
}

int
watch_default_ignores(struct match_set *m)
{
	static const char defaults[] = ".git\0.hg\0.svn\0*.swp\0*.swx\0*~\0.#*\0\\#*#\0"
				       "4913\0*___jb_tmp___\0*___jb_old___\0.goutputstream-*\0.reinit-tar-*\0";
	const char *p;
	int r;

	for (p = defaults; *p; p += strlen(p) + 1)
		if ((r = match_add(m, p, strlen(p))) < 0)
			return r;
	return 0;
}

struct watch *
watch_open(const struct watch_cfg *c)
{
	struct watch *w = &the_watch;
	const char *p;
	int r;

	w->c = *c;
	w->fd = -1;
	w->trig_wd = -1;
	w->next_poll = WATCH_NEVER;
	/* REINIT_CHANGED names the trigger by its file name in either mode. */
	for (w->trig_name = p = c->trigger; p && *p; p++)
		if (*p == '/')
			w->trig_name = p + 1;
	memcpy(w->changed, "REINIT_CHANGED=", 15);
	watch_spawned(w);
	debounce_init(&w->db, c->debounce_ms, c->debounce_max_ms);
	if (c->nroots > MAX_ROOTS) {
		say(w, 0, "too many --watch directories (at most 64)", 0, 0, 0);
		return 0;
	}
	for (r = 0; r < c->nroots; r++) {
		struct stat st;

		if (sys_stat(AT_FDCWD, c->roots[r], &st, 0) < 0 || !S_ISDIR(st.st_mode)) {
			say(w, 0, "cannot watch '", c->roots[r],
			    errno == ENOENT ? "': no such directory" : "': not a directory", 0);
			return 0;
		}
	}
	if (c->poll_ms > 0) {
		poll_scan(w, 0);
		w->next_poll = w->now + c->poll_ms;
		return w;
	}
	if (build(w) < 0 && w->fd >= 0) {
		say(w, 0, "cannot watch --trigger '", c->trigger, "': its directory does not exist",
		    0);
		return 0;
	}
	return w;
}
