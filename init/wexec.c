/* wexec.c: reinit run as watchexec: what its options mean beyond opts.c's
 * table (the roots, the ignores, the shell), and its changed-path
 * variables for the child (pure). */
#include "init/wexec.h"

#include <string.h>

/* Copies s to the end of the pool; with sep, onto the string before it in
 * place of its NUL: "a" then "b" with ' ' make "a b". 0, or -1 when full. */
static int
pool_cat(struct opts *o, const char *s, char sep)
{
	size_t n = strlen(s) + 1;

	if (n > sizeof(o->pool) - o->used)
		return -1;
	if (sep)
		o->pool[o->used - 1] = sep;
	memcpy(o->pool + o->used, s, n);
	o->used += n;
	return 0;
}

int
wexec_command(struct opts *o, int argc, char **argv, int i, int first)
{
	static char *sh_argv[4];
	char *start;
	int j, k;

	if (!o->nwatch)
		o->watch[o->nwatch++] = ".";
	/* An absolute --ignore names a path: under a watch root it becomes a
	 * pattern anchored there; outside every root it can match nothing. */
	for (j = first; j < o->nignore; j++) {
		struct opts_str *g = &o->ignore[j];

		for (k = 0; g->s[0] == '/' && k < o->nwatch; k++) {
			size_t rl = strlen(o->watch[k]);

			while (rl && o->watch[k][rl - 1] == '/')
				rl--;
			if (!strncmp(g->s, o->watch[k], rl) && (g->s[rl] == '/' || !g->s[rl])) {
				g->s += rl, g->len -= rl;
				break;
			}
		}
		if (g->s[0] == '/' && (k == o->nwatch || g->len < 2))
			g->len = 0;
	}
	o->argv = argv + i;
	if (o->shell) {
		/* Not "none": the words joined by spaces, through the shell. */
		for (start = o->pool + o->used, j = i; j < argc; j++)
			if (pool_cat(o, argv[j], j > i ? ' ' : 0))
				return o->why[0] = "the command is too long for --shell", -1;
		sh_argv[0] = (char *)o->shell;
		sh_argv[1] = (char *)"-c";
		sh_argv[2] = start;
		o->argv = sh_argv;
	}
	return 0;
}

/*
 * watchexec's variables say where the changed paths are: prepending
 * WATCHEXEC_COMMON_PATH and '/' to each path of the list gives the path.
 * reinit's common path is the watch root, and since it knows that a path
 * changed but not how, every path goes into the variable for other kinds of
 * change. With several roots a path's own root is not known: no common path.
 */
void
wexec_env(const struct opts *o, const char *changed, const char **out)
{
	static char common[4096 + 24], paths[4096 + 40];
	const char *c = changed ? strchr(changed, '=') : 0;
	size_t n;

	if (o->personality != PERS_WEXEC || !c || !*++c)
		return;
	memcpy(paths, "WATCHEXEC_OTHERWISE_CHANGED_PATH=", 33);
	for (n = 0; c[n] && n < 4096; n++)
		paths[33 + n] = c[n] == '\n' ? ':' : c[n];
	paths[33 + n] = 0;
	out[1] = paths;
	if (o->nwatch == 1 && (n = strlen(o->watch[0])) < 4096) {
		memcpy(common, "WATCHEXEC_COMMON_PATH=", 22);
		memcpy(common + 22, o->watch[0], n + 1);
		out[0] = common;
	}
}
