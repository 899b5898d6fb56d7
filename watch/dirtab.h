/* dirtab.h: the watched directories by inotify wd, each a name under its
 * parent (pure: memory only, no files). */
#ifndef REINIT_DIRTAB_H
#define REINIT_DIRTAB_H

#include <stddef.h>

/* One watched directory. A name, not a path: the path is the parents'
 * names, so memory grows with the directories only. */
struct dir_node {
	int wd;
	int parent;    /* the parent's wd; -1 for a watch root */
	unsigned name; /* offset of the name in the names */
	unsigned short root;
	unsigned char dead;  /* deleted, awaiting compaction */
	unsigned char moved; /* added again under another parent or name */
};

/* A growable array in pages of its own, so that reinit needs no malloc. */
struct dirtab_vec {
	char *p;
	size_t len, cap;
};

/* Nodes sorted by wd: the kernel hands out ever larger wds, so a new one
 * is appended. A deletion only marks the node; once half are marked, one
 * pass drops them and the names no node uses, and gives pages back. */
struct dirtab {
	struct dirtab_vec nodes, names;
	size_t ndead, live_names; /* marked nodes; bytes of names in use */
	/* Scratch for dirtab_drop(): one byte per node. */
	struct dirtab_vec marks;
};

#define DIRTAB_N(t)     ((t)->nodes.len / sizeof(struct dir_node))
#define DIRTAB_NODES(t) ((struct dir_node *)(t)->nodes.p)

/* Room for more bytes at the end of v; 0 or -ENOMEM. */
int dirtab_reserve(struct dirtab_vec *v, size_t more);

/* Gives v's pages back. */
void dirtab_vec_free(struct dirtab_vec *v);

/* Adds or updates wd. An update that changes the parent or the name sets
 * moved. 0 or -ENOMEM. Node pointers are not valid across this call. */
int dirtab_add(struct dirtab *t, int wd, int parent, const char *name, int root);

/* The live node for wd, or NULL. O(log n). */
struct dir_node *dirtab_find(const struct dirtab *t, int wd);

const char *dirtab_name(const struct dirtab *t, const struct dir_node *n);

/* Forgets n (not what is below it). O(1); pointers stay valid until the
 * next dirtab_add() or dirtab_tidy(). */
void dirtab_del(struct dirtab *t, struct dir_node *n);

/* Forgets n and every directory below it, calling gone(arg, wd) for each;
 * O(n log n). Then for each node of root r, when n is NULL. */
void dirtab_drop(struct dirtab *t, struct dir_node *n, int r, void (*gone)(void *, int), void *arg);

/* n's path below its root ("" for the root) into buf; its length, or -1
 * when it does not fit or a parent is missing. */
long dirtab_path(const struct dirtab *t, const struct dir_node *n, char *buf, size_t size);

/* Compacts once enough is marked or unused. */
void dirtab_tidy(struct dirtab *t);

/* Forgets everything and gives the pages back. */
void dirtab_clear(struct dirtab *t);

#endif
