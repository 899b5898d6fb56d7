/* dirtab.c: the watched directories by inotify wd, each a name under its
 * parent (pure: memory only, no files). */
#include "watch/dirtab.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "proc/sys.h"

#define PAGE 4096

/* Sets v's capacity to cap bytes, growing or shrinking; 0 or -ENOMEM. */
static int
vec_map(struct dirtab_vec *v, size_t cap)
{
	long p;

	if (cap == v->cap)
		return 0;
	if (!cap) {
		sys_munmap(v->p, v->cap);
		v->p = 0;
		v->cap = v->len = 0;
		return 0;
	}
	p = v->cap ? sys_mremap(v->p, v->cap, cap, MREMAP_MAYMOVE)
		   : sys_mmap(0, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* An address, or -errno: the top page of the address space is
	 * never mapped, which is how the kernel tells the two apart. */
	if ((unsigned long)p > -4096UL)
		return -ENOMEM;
	v->p = (void *)p;
	v->cap = cap;
	return 0;
}

int
dirtab_reserve(struct dirtab_vec *v, size_t more)
{
	size_t cap = v->cap ? v->cap : PAGE;

	if (v->len + more <= v->cap)
		return 0;
	while (cap < v->len + more)
		cap *= 2;
	return vec_map(v, cap);
}

void
dirtab_vec_free(struct dirtab_vec *v)
{
	vec_map(v, 0);
}

/* Gives pages back once at most a quarter is in use. */
static void
vec_trim(struct dirtab_vec *v)
{
	size_t cap = v->cap;

	while (cap > PAGE && v->len <= cap / 4)
		cap /= 2;
	vec_map(v, cap);
}

/* The first position whose wd is not below wd. */
static size_t
pos(const struct dirtab *t, int wd)
{
	size_t lo = 0, hi = DIRTAB_N(t);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (DIRTAB_NODES(t)[mid].wd < wd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct dir_node *
dirtab_find(const struct dirtab *t, int wd)
{
	size_t i = pos(t, wd);
	struct dir_node *n;

	if (i >= DIRTAB_N(t))
		return 0;
	n = DIRTAB_NODES(t) + i;
	return n->wd == wd && !n->dead ? n : 0;
}

const char *
dirtab_name(const struct dirtab *t, const struct dir_node *n)
{
	return t->names.p + n->name;
}

/* Drops the marked nodes and copies the names in use to new pages. Kept
 * as it is when memory is short: it only costs room. */
static void
compact(struct dirtab *t)
{
	struct dirtab_vec names = {0, 0, 0};
	struct dir_node *a = DIRTAB_NODES(t);
	size_t i, j, l;

	if (dirtab_reserve(&names, t->live_names + 1) < 0)
		return;
	for (i = j = 0; i < DIRTAB_N(t); i++) {
		if (a[i].dead)
			continue;
		l = strlen(t->names.p + a[i].name) + 1;
		memcpy(names.p + names.len, t->names.p + a[i].name, l);
		a[i].name = (unsigned)names.len;
		names.len += l;
		a[j++] = a[i];
	}
	t->nodes.len = j * sizeof(*a);
	t->ndead = 0;
	vec_map(&t->names, 0);
	t->names = names;
	vec_trim(&t->nodes);
	vec_trim(&t->names);
	vec_map(&t->marks, 0);
}

void
dirtab_tidy(struct dirtab *t)
{
	/* Each pass costs what the deletions and renames since the last one
	 * left behind, so a deletion stays O(1) over time. */
	if ((t->ndead > 64 && t->ndead * 2 > DIRTAB_N(t)) ||
	    t->names.len > 2 * t->live_names + PAGE)
		compact(t);
}

int
dirtab_add(struct dirtab *t, int wd, int parent, const char *name, int root)
{
	size_t len = strlen(name) + 1, i;
	struct dir_node *n;
	unsigned char moved = 0;

	dirtab_tidy(t);
	if (dirtab_reserve(&t->names, len) < 0 || dirtab_reserve(&t->nodes, sizeof(*n)) < 0)
		return -ENOMEM;
	i = pos(t, wd);
	n = DIRTAB_NODES(t) + i;
	if (i < DIRTAB_N(t) && n->wd == wd) {
		/* The same directory again: found twice, or moved. Moved,
		 * it is deleted and comes back to life below, so that its
		 * old name counts as unused. */
		if (!n->dead) {
			if (n->parent == parent && n->root == root &&
			    !strcmp(dirtab_name(t, n), name))
				return 0;
			moved = 1;
			dirtab_del(t, n);
		}
		t->ndead--;
	} else {
		memmove(n + 1, n, (DIRTAB_N(t) - i) * sizeof(*n));
		t->nodes.len += sizeof(*n);
	}
	memcpy(t->names.p + t->names.len, name, len);
	n->wd = wd;
	n->parent = parent;
	n->name = (unsigned)t->names.len;
	n->root = (unsigned short)root;
	n->dead = 0;
	n->moved = moved;
	t->names.len += len;
	t->live_names += len;
	return 0;
}

void
dirtab_del(struct dirtab *t, struct dir_node *n)
{
	n->dead = 1;
	t->ndead++;
	t->live_names -= strlen(dirtab_name(t, n)) + 1;
}

/* The position of node j's parent: -1 for a root, -2 for an orphan. */
static long
up(const struct dirtab *t, size_t j)
{
	const struct dir_node *a = DIRTAB_NODES(t), *k;

	if (a[j].parent < 0)
		return -1;
	k = dirtab_find(t, a[j].parent);
	return k ? k - a : -2;
}

/* Whether node i is doomed (2) or kept (1): climbs to the first node whose
 * answer is known, then writes the answer along the way up. Each node is
 * settled once, so a whole pass costs O(n log n), whatever the depth. */
static unsigned char
settle(const struct dirtab *t, unsigned char *mark, size_t i)
{
	unsigned char m;
	long j = (long)i, p = 0;

	while (!mark[j] && (p = up(t, (size_t)j)) >= 0)
		j = p;
	m = mark[j] ? mark[j] : p == -2 ? 2 : 1; /* 2: an orphan */
	for (j = (long)i; !mark[j]; j = p) {
		mark[j] = m;
		if ((p = up(t, (size_t)j)) < 0)
			break;
	}
	return m;
}

void
dirtab_drop(struct dirtab *t, struct dir_node *n, int r, void (*gone)(void *, int), void *arg)
{
	struct dir_node *a = DIRTAB_NODES(t);
	size_t i, nn = DIRTAB_N(t);
	unsigned char *mark;

	if (n) {
		t->marks.len = 0;
		if (dirtab_reserve(&t->marks, nn) < 0)
			return;
		mark = (unsigned char *)t->marks.p;
		memset(mark, 0, nn);
		mark[n - a] = 2;
	}
	for (i = 0; i < nn; i++) {
		if (a[i].dead || (n ? settle(t, mark, i) != 2 : a[i].root != r))
			continue;
		gone(arg, a[i].wd);
		/* Marking dead after settling: a child may come later in wd
		 * order than its parent, and must still find it. */
		if (!n)
			dirtab_del(t, &a[i]);
	}
	if (n)
		for (i = 0; i < nn; i++)
			if (!a[i].dead && mark[i] == 2)
				dirtab_del(t, &a[i]);
}

long
dirtab_path(const struct dirtab *t, const struct dir_node *n, char *buf, size_t size)
{
	const struct dir_node *k;
	size_t len = 0, at, l, steps = 0;

	/* The length first, then the names from the end backwards: no
	 * recursion, however deep the tree. */
	for (k = n; k && k->parent >= 0; k = dirtab_find(t, k->parent))
		if (++steps > DIRTAB_N(t) || (len += strlen(dirtab_name(t, k)) + 1) > size)
			return -1;
	if (!k)
		return -1;
	at = len = len ? len - 1 : 0;
	buf[len] = 0;
	for (k = n; k->parent >= 0; k = dirtab_find(t, k->parent)) {
		l = strlen(dirtab_name(t, k));
		at -= l;
		memcpy(buf + at, dirtab_name(t, k), l);
		if (at)
			buf[--at] = '/';
	}
	return (long)len;
}

void
dirtab_clear(struct dirtab *t)
{
	vec_map(&t->nodes, 0);
	vec_map(&t->names, 0);
	vec_map(&t->marks, 0);
	t->ndead = t->live_names = 0;
}
