/* unit_dirtab.c: the directory table: lookups, paths, deletion, subtree
 * drops and memory given back. */
#include <string.h>

#include "test/tap.h"
#include "watch/dirtab.h"

static struct dirtab t;
static int gone[4096], ngone;

static void
on_gone(void *arg, int wd)
{
	(void)arg;
	if (ngone < 4096)
		gone[ngone++] = wd;
}

static const char *
path(int wd)
{
	static char buf[8192];
	struct dir_node *n = dirtab_find(&t, wd);

	if (!n || dirtab_path(&t, n, buf, sizeof(buf)) < 0)
		return "(none)";
	return buf;
}

static void
test_paths(void)
{
	dirtab_add(&t, 1, -1, "", 0);
	dirtab_add(&t, 2, 1, "a", 0);
	dirtab_add(&t, 3, 2, "b", 0);
	dirtab_add(&t, 5, 3, "c", 0);
	dirtab_add(&t, 4, -1, "", 1);
	is_str(path(1), "", "a root's path is empty");
	is_str(path(5), "a/b/c", "a path is the parents' names");
	ok(dirtab_find(&t, 6) == 0, "an unknown wd is not found");
	/* The same wd again, elsewhere: a move. */
	dirtab_add(&t, 3, 1, "z", 0);
	is_str(path(5), "z/c", "a moved directory takes its children along");
	ok(dirtab_find(&t, 3)->moved, "a node added again elsewhere is marked moved");
	dirtab_add(&t, 2, 1, "a", 0);
	ok(!dirtab_find(&t, 2)->moved, "the same place again is no move");
	{
		char small[3];

		is_int(dirtab_path(&t, dirtab_find(&t, 5), small, sizeof(small)), -1,
		       "a path that does not fit is -1");
	}
	dirtab_clear(&t);
}

static void
test_drop_subtree(void)
{
	int i;

	/* A child whose wd is lower than its parent's: moved in from
	 * elsewhere. */
	dirtab_add(&t, 10, -1, "", 0);
	dirtab_add(&t, 20, 10, "a", 0);
	dirtab_add(&t, 30, 20, "b", 0);
	dirtab_add(&t, 15, 30, "c", 0);
	dirtab_add(&t, 40, 10, "keep", 0);
	dirtab_add(&t, 50, 40, "k2", 0);
	ngone = 0;
	dirtab_drop(&t, dirtab_find(&t, 20), 0, on_gone, 0);
	is_int(ngone, 3, "dropping a/ drops a, a/b and a/b/c");
	ok(!dirtab_find(&t, 15) && !dirtab_find(&t, 30) && !dirtab_find(&t, 20),
	   "none of them is found after");
	is_str(path(50), "keep/k2", "the rest stays");
	ngone = 0;
	dirtab_drop(&t, 0, 0, on_gone, 0);
	is_int(ngone, 3, "dropping root 0 drops what is left of it");
	dirtab_clear(&t);
	/* A chain 3,000 deep: no recursion. */
	dirtab_add(&t, 1, -1, "", 0);
	for (i = 2; i <= 3000; i++)
		dirtab_add(&t, i, i - 1, "d", 0);
	ngone = 0;
	dirtab_drop(&t, dirtab_find(&t, 2), 0, on_gone, 0);
	is_int(ngone, 2999, "a 3,000-deep chain is dropped whole");
	dirtab_clear(&t);
}

static void
test_memory(void)
{
	char name[32];
	size_t peak;
	int i, r;

	dirtab_add(&t, 1, -1, "", 0);
	for (r = 0; r < 100; r++) {
		for (i = 0; i < 1000; i++) {
			memset(name, 'n', 20);
			name[20] = 0;
			dirtab_add(&t, 2 + r * 1000 + i, 1, name, 0);
		}
		for (i = 0; i < 1000; i++)
			dirtab_del(&t, dirtab_find(&t, 2 + r * 1000 + i));
		dirtab_tidy(&t);
	}
	peak = t.nodes.cap + t.names.cap;
	ok(peak <= 64 * 1024, "100,000 adds and deletes hold %zu bytes, not megabytes", peak);
	is_str(path(1), "", "the root is still there");
	ok(DIRTAB_N(&t) <= 65, "at most a few marked nodes remain (%zu)", DIRTAB_N(&t));
	dirtab_clear(&t);
	is_int((long long)(t.nodes.cap + t.names.cap), 0, "clear gives every page back");
}

int
main(void)
{
	test_paths();
	test_drop_subtree();
	test_memory();
	return tap_done();
}
