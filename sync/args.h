/* args.h: the command lines of the built-in tar and rm -> options; pure. */
#ifndef REINIT_SYNC_ARGS_H
#define REINIT_SYNC_ARGS_H

/* Option bits. *_SET says the option was given, so that the default (which
 * depends on being root) applies otherwise. */
enum {
	SYNC_X = 1,    /* tar -x */
	SYNC_M = 2,    /* tar -m: do not restore mtimes */
	SYNC_V = 4,    /* tar -v */
	SYNC_PERM = 8, /* tar -p: modes as archived, no umask */
	SYNC_PERM_SET = 16,
	SYNC_OWN = 32, /* tar --same-owner */
	SYNC_OWN_SET = 64,
	SYNC_R = 128, /* rm -r, -R */
	SYNC_F = 256, /* rm -f */
};

/* Errors: bad points at the option or argument at fault. */
enum {
	SYNC_EOPT = -1,    /* an option that is not supported */
	SYNC_EARG = -2,    /* an option missing its argument */
	SYNC_EMEMBER = -3, /* tar: member names (extracting only some) */
	SYNC_ENOX = -4,    /* tar: no -x */
};

struct sync_args {
	unsigned flags;
	const char *file, *dir; /* tar -f, -C; NULL when not given */
	const char *bad;        /* the argument an error is about */
	char badopt[3];         /* "-z" when bad is a letter in a bundle */
};

/* tar's options, as GNU tar reads them: a first argument without '-' is a
 * bundle whose letters take their arguments from the words that follow. */
int sync_tar_args(struct sync_args *a, int argc, char **argv);

/* rm's options anywhere before "--"; the operands are moved to the front
 * of argv + 1, and their number is returned (or an error). */
int sync_rm_args(struct sync_args *a, int argc, char **argv);

#endif
