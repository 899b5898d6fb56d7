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
/* The variables' names, and the length of each without its NUL. */
#define OTHER_VAR  "WATCHEXEC_OTHERWISE_CHANGED_PATH="
#define COMMON_VAR "WATCHEXEC_COMMON_PATH="
#define LEN(s)     (sizeof(s) - 1)

void
wexec_env(const struct opts *o, const char *changed, const char **out)
{
	static char common[LEN(COMMON_VAR) + 4096 + 1], paths[LEN(OTHER_VAR) + 4096 + 1];
	const char *c = changed ? strchr(changed, '=') : 0;
	char *p = paths + LEN(OTHER_VAR);
	size_t n;

	if (o->personality != PERS_WEXEC || !c || !*++c)
		return;
	memcpy(paths, OTHER_VAR, LEN(OTHER_VAR));
	for (n = 0; c[n] && n < 4096; n++)
		p[n] = c[n] == '\n' ? ':' : c[n];
	p[n] = 0;
	out[1] = paths;
	if (o->nwatch == 1 && (n = strlen(o->watch[0])) < 4096) {
		memcpy(common, COMMON_VAR, LEN(COMMON_VAR));
		memcpy(common + LEN(COMMON_VAR), o->watch[0], n + 1);
		out[0] = common;
	}
}
