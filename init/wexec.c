/* wexec.c: reinit run as watchexec: its command line into struct opts, and
 * its changed-path variables for the child (pure). */
#include "init/wexec.h"

#include <string.h>

#include "signals/signame.h"

/* Flags first, then the options that take a value. */
enum {
	W_NONE,
	W_NOSHELL,
	W_POSTPONE,
	W_VERBOSE,
	W_SHELL,
	W_WATCH,
	W_IGNORE,
	W_EXTS,
	W_DEBOUNCE,
	W_SIGNAL,
	W_STOPTIME
};

/* Each option as its letter ('-' for none), '0' + its kind, its long name:
 * one string, so no table of pointers. */
static const char wopts[] = "r0restart\0-0no-vcs-ignore\0n1\0p2postpone\0v3verbose\0"
			    "-4shell\0w5watch\0i6ignore\0e7exts\0d8debounce\0s9signal\0"
			    "-9stop-signal\0-:stop-timeout\0";

static int
why(struct opts *o, const char *a, const char *b, const char *c)
{
	o->why[0] = a, o->why[1] = b, o->why[2] = c, o->why[3] = 0;
	return -1;
}

/* The kind of the option named by a short letter, or by [name, name + len);
 * -1 for none. */
static int
wfind(char sh, const char *name, size_t len)
{
	const char *p;

	for (p = wopts; *p; p += strlen(p) + 1)
		if (name ? len && !strncmp(p + 2, name, len) && !p[2 + len] : *p == sh)
			return p[1] - '0';
	return -1;
}

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

/* Sets the option of kind k to the value v (NULL for a flag); -1 for a
 * value it cannot take. */
static int
wset(struct opts *o, int k, const char *v, const char **shell)
{
	long n;

	switch (k) {
	case W_NONE:
		return 0;
	case W_NOSHELL:
		*shell = 0;
		return 0;
	case W_POSTPONE:
		o->postpone = 1;
		return 0;
	case W_VERBOSE:
		o->verbosity++;
		return 0;
	case W_SHELL:
		*shell = strcmp(v, "none") ? v : 0;
		return 0;
	case W_WATCH:
		if (o->nwatch >= OPTS_MAX_LIST)
			return -1;
		o->watch[o->nwatch++] = v;
		return 0;
	case W_IGNORE:
		if (o->nignore >= OPTS_MAX_LIST)
			return -1;
		o->ignore[o->nignore].s = v;
		o->ignore[o->nignore++].len = strlen(v);
		return 0;
	case W_EXTS:
		o->exts = v;
		return 0;
	case W_SIGNAL:
		return (o->stop_signal = signame_parse(v, strlen(v))) < 0 ? -1 : 0;
	}
	/* watchexec reads a bare number as milliseconds for --debounce, and as
	 * seconds for --stop-timeout as reinit does. */
	if ((n = opts_duration(v, strlen(v))) < 0)
		return -1;
	if (k == W_STOPTIME)
		o->stop_ms = n;
	else
		o->debounce_ms = o->debounce_max_ms = v[strlen(v) - 1] <= '9' ? n / 1000 : n;
	return 0;
}

int
wexec_parse(struct opts *o, int argc, char **argv)
{
	static char *sh_argv[4];
	const char *shell = "sh", *v, *p, *a;
	char *start;
	int i, j, k, first_ignore = o->nignore;

	/* watchexec runs the command in a process group of its own and
	 * signals the group: a forwarded signal reaches all of it here too. */
	o->group = 1;
	for (i = 1; i < argc && (a = argv[i])[0] == '-' && a[1]; i++) {
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		/* --name, --name=value, --name value; -rp, -wDIR, -w DIR */
		for (p = a + 1; *p; p++) {
			v = 0;
			if (*p == '-') {
				v = strchr(p, '=');
				k = wfind(0, p + 1, v ? (size_t)(v++ - p - 1) : strlen(p + 1));
				p = " ";
			} else {
				k = wfind(*p, 0, 0);
			}
			if (k < 0 || (v && k < W_SHELL))
				return why(o, "watchexec option '", a, "' is not supported");
			if (k >= W_SHELL) {
				if (!v && !*(v = p + 1) && (v = argv[i + 1]))
					i++;
				p = " ";
			}
			if ((k >= W_SHELL && !v) || wset(o, k, v, &shell) < 0)
				return why(o, "invalid or missing value for '", a, "'");
		}
	}
	if (i >= argc)
		return why(o, "no command given", "", "");
	if (!o->nwatch)
		o->watch[o->nwatch++] = ".";
	/* An absolute --ignore names a path: under a watch root it becomes a
	 * pattern anchored there; outside every root it can match nothing. */
	for (j = first_ignore; j < o->nignore; j++) {
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
	if (shell) {
		/* Not "none": the words joined by spaces, through the shell. */
		for (start = o->pool + o->used, j = i; j < argc; j++)
			if (pool_cat(o, argv[j], j > i ? ' ' : 0))
				return why(o, "the command is too long for --shell", "", "");
		sh_argv[0] = (char *)shell;
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
