/* args.c: the command lines of the built-in tar and rm -> options; pure. */
#include "sync/args.h"

#include <string.h>

/* The letters, tar's and then rm's after a NUL, and the bits each sets
 * and clears. S and P stand for --same-owner and --no-same-permissions. */
static const char letters[] = "xmvpoSP\0rRf";
static const unsigned short set[] = {
	SYNC_X,        SYNC_M,
	SYNC_V,        SYNC_PERM | SYNC_PERM_SET,
	SYNC_OWN_SET,  SYNC_OWN | SYNC_OWN_SET,
	SYNC_PERM_SET, 0,
	SYNC_R,        SYNC_R,
	SYNC_F,
};
static const unsigned char clr[] = {0, 0, 0, 0, SYNC_OWN, 0, SYNC_PERM, 0, 0, 0, 0};
/* tar's long options, and the letters they stand for. */
static const char *const longs[] = {"no-same-owner", "same-owner", "no-same-permissions",
				    "same-permissions"};
static const char long_letters[] = "oSPp";

/* Sets what letter c stands for. */
static int
letter(struct sync_args *a, int c, int tar)
{
	/* strchr stops at the NUL that ends tar's letters. */
	const char *w = strchr(tar ? letters : letters + 8, c);

	a->badopt[1] = (char)c;
	if (!w)
		return SYNC_EOPT;
	a->flags = (a->flags | set[w - letters]) & ~(unsigned)clr[w - letters];
	return 0;
}

/* Options anywhere before "--", as GNU's getopt permutes them; operands
 * move to argv[1...], their number returned. tar's first word may be a
 * bundle without '-' ("xmf - -C /") whose letters take their arguments
 * from the words that follow it. */
static int
parse(struct sync_args *a, int argc, char **argv, int tar)
{
	const char *w, *p, *v;
	int i, k, r, old, n = 0, dd = 0, next = 2;

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
			for (k = 0; tar && k < 4 && strcmp(w + 2, longs[k]); k++)
				;
			if (!tar || k == 4)
				return SYNC_EOPT;
			letter(a, long_letters[k], 1);
			continue;
		}
		a->bad = a->badopt;
		for (p = w + !old; *p; p++) {
			if (tar && (*p == 'f' || *p == 'C')) {
				/* The next word (old style), or the rest of the
				 * bundle, or the next word. */
				v = old            ? (next < argc ? argv[next++] : 0)
				    : p[1]         ? p + 1
				    : i + 1 < argc ? argv[++i]
						   : 0;
				*(*p == 'f' ? &a->file : &a->dir) = v;
				a->badopt[1] = *p;
				if (!v)
					return SYNC_EARG;
				if (!old)
					break;
			} else if ((r = letter(a, *p, tar)))
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
	return parse(a, argc, argv, 0);
}
