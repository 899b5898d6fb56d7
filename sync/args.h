/* args.h: the command lines of the built-in tar and rm -> options; pure. */
#ifndef REINIT_SYNC_ARGS_H
#define REINIT_SYNC_ARGS_H

/* Option bits. */
enum {
	SYNC_X = 1,    /* tar -x */
	SYNC_M = 2,    /* tar -m: do not restore mtimes */
	SYNC_V = 4,    /* tar -v */
	SYNC_PERM = 8, /* tar -p: modes as archived, no umask */
	SYNC_OWN = 16, /* tar --same-owner */
	SYNC_R = 32,   /* rm -r, -R */
	SYNC_F = 64,   /* rm -f */
};

/*
 * The errors of both command lines, one row each: its name and the start of
 * its message, which bad (when not NULL) ends. The first row is -1, the next
 * -2...; a new error is one row.
 */
#define SYNC_ERRORS(X)                                                                             \
	/* An option that is not supported. */                                                     \
	X(SYNC_EOPT, "unsupported option: ")                                                       \
	/* An option missing its argument. */                                                      \
	X(SYNC_EARG, "option needs an argument: ")                                                 \
	/* tar: member names (extracting only some). */                                            \
	X(SYNC_EMEMBER, "member names not supported: ")                                            \
	/* tar: no -x. */                                                                          \
	X(SYNC_ENOX, "-x is missing")                                                              \
	/* rm: nothing to remove, and no -f. */                                                    \
	X(SYNC_ENOOPERAND, "missing operand")

#define SYNC_ERR_ROW(e, text)  e##_ROW,
#define SYNC_ERR_ENUM(e, text) e = -1 - e##_ROW,
#define SYNC_ERR_TEXT(e, text) text "\0"

enum { SYNC_ERRORS(SYNC_ERR_ROW) };
enum { SYNC_ERRORS(SYNC_ERR_ENUM) };

/* The texts as one string, error e's the SYNC_ERR_NTH(e)th:
 * log_nth(SYNC_ERR_TEXTS, SYNC_ERR_NTH(e)). */
#define SYNC_ERR_TEXTS  SYNC_ERRORS(SYNC_ERR_TEXT)
#define SYNC_ERR_NTH(e) (-1 - (e))

struct sync_args {
	unsigned flags;
	unsigned given;         /* the bits an option set or cleared */
	const char *file, *dir; /* tar -f, -C; NULL when not given */
	const char *bad;        /* the argument an error is about */
	char badopt[3];         /* "-z" when bad is a letter in a bundle */
};

/* tar's options, as GNU tar reads them: a first argument without '-' is a
 * bundle whose letters take their arguments from the words that follow. */
int sync_tar_args(struct sync_args *a, int argc, char **argv);

/* rm's options anywhere before "--"; the operands are moved to the front
 * of argv + 1, and their number is returned (or an error, SYNC_ENOOPERAND
 * when there is none and no -f). */
int sync_rm_args(struct sync_args *a, int argc, char **argv);

#endif
