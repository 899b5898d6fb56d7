/* args.c: the command lines of the built-in tar and rm -> options; pure. */
#include "sync/args.h"

#include <string.h>

/* One option: its short letter (0 for none), long name, bits to set and to
 * clear. */
struct opt {
	char c;
	const char *name;
	unsigned short set, clr;
};

static const struct opt tar_opts[] = {
	{'x', "extract", SYNC_X, 0},
	{'m', "touch", SYNC_M, 0},
	{'v', "verbose", SYNC_V, 0},
	{'p', "same-permissions", SYNC_PERM | SYNC_PERM_SET, 0},
	{0, "no-same-permissions", SYNC_PERM_SET, SYNC_PERM},
	{0, "same-owner", SYNC_OWN | SYNC_OWN_SET, 0},
	{'o', "no-same-owner", SYNC_OWN_SET, SYNC_OWN},
	{'f', "file", 0, 0},
	{'C', "directory", 0, 0},
	{0, 0, 0, 0},
};

static const struct opt rm_opts[] = {
	{'r', "recursive", SYNC_R, 0},
	{'R', 0, SYNC_R, 0},
	{'f', "force", SYNC_F, 0},
	{0, 0, 0, 0},
};

/* An option with nothing to set takes an argument (tar's -f and -C). */
#define TAKES_ARG(o) (!(o)->set && !(o)->clr)

static const struct opt *
find(const struct opt *t, char c, const char *name)
{
	for (; t->name || t->c; t++)
		if (c ? t->c == c : t->name && !strcmp(t->name, name))
			return t;
	return 0;
}

/* Sets what o stands for; its argument, if it takes one, is *val. */
static int
take(struct sync_args *a, const struct opt *o, const char *val)
{
	if (TAKES_ARG(o)) {
		if (!val)
			return SYNC_EARG;
		*(o->c == 'f' ? &a->file : &a->dir) = val;
	}
	a->flags = (a->flags | o->set) & ~(unsigned)o->clr;
	return 0;
}

/* Options of argv[i]; *i moves past the words an option took. Returns 1
 * for an operand, 0, or an error. */
static int
word(struct sync_args *a, const struct opt *t, int argc, char **argv, int *i)
{
	const char *w = argv[*i], *p, *val;
	const struct opt *o;
	int r;

	if (w[0] != '-' || !w[1])
		return 1;
	a->bad = w;
	if (w[1] == '-') {
		/* --name or --name=value; "--" was handled by the caller. */
		const char *eq = strchr(w, '=');
		char name[24];
		size_t n = eq ? (size_t)(eq - w - 2) : strlen(w + 2);

		if (n >= sizeof(name))
			return SYNC_EOPT;
		memcpy(name, w + 2, n);
		name[n] = 0;
		if (!(o = find(t, 0, name)) || (eq && !TAKES_ARG(o)))
			return SYNC_EOPT;
		val = eq ? eq + 1 : TAKES_ARG(o) && *i + 1 < argc ? argv[++*i] : 0;
		return take(a, o, val);
	}
	for (p = w + 1; *p; p++) {
		a->badopt[0] = '-';
		a->badopt[1] = *p;
		a->bad = a->badopt;
		if (!(o = find(t, *p, 0)))
			return SYNC_EOPT;
		if (TAKES_ARG(o)) {
			/* The rest of the bundle, or the next word. */
			val = p[1] ? p + 1 : *i + 1 < argc ? argv[++*i] : 0;
			return take(a, o, val);
		}
		if ((r = take(a, o, 0)))
			return r;
	}
	return 0;
}

int
sync_tar_args(struct sync_args *a, int argc, char **argv)
{
	const struct opt *o;
	const char *p;
	int i = 1, r, dashdash = 0;

	memset(a, 0, sizeof(*a));
	/* Old style: "xmf - -C /" is -x -m -f - -C /. */
	if (argc > 1 && argv[1][0] != '-') {
		for (p = argv[i++]; *p; p++) {
			a->badopt[0] = '-';
			a->badopt[1] = *p;
			a->bad = a->badopt;
			if (!(o = find(tar_opts, *p, 0)))
				return SYNC_EOPT;
			if ((r = take(a, o, TAKES_ARG(o) && i < argc ? argv[i++] : 0)))
				return r;
		}
	}
	for (; i < argc; i++) {
		if (!dashdash && !strcmp(argv[i], "--")) {
			dashdash = 1;
			continue;
		}
		r = dashdash ? 1 : word(a, tar_opts, argc, argv, &i);
		if (r) {
			if (r > 0)
				a->bad = argv[i], r = SYNC_EMEMBER;
			return r;
		}
	}
	return a->flags & SYNC_X ? 0 : SYNC_ENOX;
}

int
sync_rm_args(struct sync_args *a, int argc, char **argv)
{
	int i, r, n = 0, dashdash = 0;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		if (!dashdash && !strcmp(argv[i], "--")) {
			dashdash = 1;
			continue;
		}
		r = dashdash ? 1 : word(a, rm_opts, argc, argv, &i);
		if (r < 0)
			return r;
		if (r)
			argv[1 + n++] = argv[i];
	}
	return n;
}
