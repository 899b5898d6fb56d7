/* args.c: the command lines of the built-in tar and rm -> options; pure. */
#include "sync/args.h"

#include <string.h>

/*
 * Every option of tar and rm, one row each: its tool, its letter (0: none),
 * its long name ("": none), the bits it sets and those it clears; both
 * count as given, so that the default for being root applies to the others.
 * -f and -C, which take an argument, are parse()'s own.
 */
#define SYNC_OPTIONS(X)                                                                            \
	X(TAR, 'x', "", SYNC_X, 0)                                                                 \
	X(TAR, 'm', "", SYNC_M, 0)                                                                 \
	X(TAR, 'v', "", SYNC_V, 0)                                                                 \
	X(TAR, 'p', "same-permissions", SYNC_PERM, 0)                                              \
	X(TAR, 0, "no-same-permissions", 0, SYNC_PERM)                                             \
	X(TAR, 0, "same-owner", SYNC_OWN, 0)                                                       \
	X(TAR, 'o', "no-same-owner", 0, SYNC_OWN)                                                  \
	X(RM, 'r', "", SYNC_R, 0)                                                                  \
	X(RM, 'R', "", SYNC_R, 0)                                                                  \
	X(RM, 'f', "", SYNC_F, 0)

enum { RM, TAR };

struct sync_opt {
	char tool, letter;
	unsigned char set, clr;
};

#define OPT_ROW(tool, letter, name, set, clr)  {tool, letter, set, clr},
#define OPT_NAME(tool, letter, name, set, clr) name "\0"

static const struct sync_opt opts[] = {SYNC_OPTIONS(OPT_ROW)};
/* The long names in the order of opts: one string, not a pointer each. */
static const char names[] = SYNC_OPTIONS(OPT_NAME);

/* Sets what the option of letter c (or, when c is 0, of long name w)
 * stands for. */
static int
option(struct sync_args *a, int tar, int c, const char *w)
{
	const struct sync_opt *o;
	const char *name = names;

	for (o = opts; o < opts + sizeof(opts) / sizeof(opts[0]); o++, name += strlen(name) + 1)
		if (o->tool == tar && (c ? o->letter == c : *name && !strcmp(name, w))) {
			a->flags = (a->flags | o->set) & ~(unsigned)o->clr;
			a->given |= o->set | o->clr;
			return 0;
		}
	return SYNC_EOPT;
}

/* Options anywhere before "--", as GNU's getopt permutes them; operands
 * move to argv[1...], their number returned. tar's first word may be a
 * bundle without '-' ("xmf - -C /") whose letters take their arguments
 * from the words that follow it. */
static int
parse(struct sync_args *a, int argc, char **argv, int tar)
{
	const char *w, *p, *v;
	int i, r, old, n = 0, dd = 0, next = 2;

	memset(a, 0, sizeof(*a));
	a->badopt[0] = '-';
	for (i = 1; i < argc; i++) {
		w = argv[i];
		old = tar && i == 1 && *w != '-';
		if (!dd && !strcmp(w, "--")) {
			dd = 1;
			continue;
		}
		if (dd || (!old && (*w != '-' || !w[1]))) {
			argv[++n] = (char *)w;
			continue;
		}
		a->bad = w;
		if (!old && w[1] == '-') {
			if ((r = option(a, tar, 0, w + 2)))
				return r;
			continue;
		}
		a->bad = a->badopt;
		for (p = w + !old; *p; p++) {
			a->badopt[1] = *p;
			if (tar && (*p == 'f' || *p == 'C')) {
				/* The next word (old style), or the rest of the
				 * bundle, or the next word. */
				v = old            ? (next < argc ? argv[next++] : 0)
				    : p[1]         ? p + 1
				    : i + 1 < argc ? argv[++i]
						   : 0;
				*(*p == 'f' ? &a->file : &a->dir) = v;
				if (!v)
					return SYNC_EARG;
				if (!old)
					break;
			} else if ((r = option(a, tar, *p, 0)))
				return r;
		}
		if (old)
			i = next - 1;
	}
	return n;
}

int
sync_tar_args(struct sync_args *a, int argc, char **argv)
{
	int n = parse(a, argc, argv, 1);

	if (n > 0)
		a->bad = argv[1], n = SYNC_EMEMBER;
	if (!n && !(a->flags & SYNC_X))
		a->bad = 0, n = SYNC_ENOX;
	return n;
}

int
sync_rm_args(struct sync_args *a, int argc, char **argv)
{
	int n = parse(a, argc, argv, 0);

	if (!n && !(a->flags & SYNC_F))
		a->bad = 0, n = SYNC_ENOOPERAND;
	return n;
}
