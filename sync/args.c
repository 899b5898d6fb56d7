/* args.c: the command lines of the built-in tar and rm -> options; pure. */
#include "sync/args.h"

#include <string.h>

/* The letters, tar's first and rm's last, and the bits each sets and
 * clears. S and P stand for --same-owner and --no-same-permissions. */
static const char letters[] = "xmvpoSPrRf";
static const unsigned short set[] = {
	SYNC_X,        SYNC_M,
	SYNC_V,        SYNC_PERM | SYNC_PERM_SET,
	SYNC_OWN_SET,  SYNC_OWN | SYNC_OWN_SET,
	SYNC_PERM_SET, SYNC_R,
	SYNC_R,        SYNC_F,
};
static const unsigned char clr[] = {0, 0, 0, 0, SYNC_OWN, 0, SYNC_PERM, 0, 0, 0};
/* tar's long options, and the letters they stand for. */
static const char *const longs[] = {"no-same-owner", "same-owner", "no-same-permissions",
				    "same-permissions"};
static const char long_letters[] = "oSPp";

/* Options anywhere before "--", as GNU's getopt permutes them; operands
 * move to argv[1...], their number returned. tar's first word may be a
 * bundle without '-' ("xmf - -C /") whose letters take their arguments
 * from the words that follow it. */
static int
parse(struct sync_args *a, int argc, char **argv, int tar)
{
	const char *w, *p, **val;
	int i, k, n = 0, dd = 0, one, old = tar && argc > 1 && argv[1][0] != '-', next = 2;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		w = argv[i];
		if (!dd && !strcmp(w, "--")) {
			dd = 1;
			continue;
		}
		if (dd || ((w[0] != '-' || !w[1]) && !(old && i == 1))) {
			argv[++n] = (char *)w;
			continue;
		}
		a->bad = w;
		p = w + !(old && i == 1);
		if ((one = *p == '-')) {
			for (k = 0; tar && k < 4 && strcmp(p + 1, longs[k]); k++)
				;
			if (!tar || k == 4)
				return SYNC_EOPT;
			p = long_letters + k;
		}
		for (; *p; p++) {
			a->badopt[0] = '-';
			a->badopt[1] = *p;
			a->bad = a->badopt;
			if (tar && (*p == 'f' || *p == 'C')) {
				val = *p == 'f' ? &a->file : &a->dir;
				if (old && i == 1)
					*val = next < argc ? argv[next++] : 0;
				else if (p[1])
					*val = p + 1;
				else
					*val = i + 1 < argc ? argv[++i] : 0;
				if (!*val)
					return SYNC_EARG;
				if (!(old && i == 1))
					break;
				continue;
			}
			w = strchr(letters, *p);
			k = w ? (int)(w - letters) : 99;
			if (tar ? k > 6 : k < 7 || k > 9)
				return SYNC_EOPT;
			a->flags = (a->flags | set[k]) & ~(unsigned)clr[k];
			if (one)
				break;
		}
		if (old && i == 1)
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
	return n ? n : a->flags & SYNC_X ? 0 : SYNC_ENOX;
}

int
sync_rm_args(struct sync_args *a, int argc, char **argv)
{
	return parse(a, argc, argv, 0);
}
