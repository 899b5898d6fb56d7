/* tarx.h: extracting a tar stream below a directory, never outside it. */
#ifndef REINIT_TARX_H
#define REINIT_TARX_H

#include "sync/tarerr.h"

/* What tarx_extract reports through note(), besides -errno values and
 * the TAR_ERRORS of tarerr.h (TARX_EHDR + a code). */
enum {
	TARX_LIST = 0, /* -v: an entry's name, as archived */
	TARX_SKIP = 1, /* a warning: an entry of a type not extracted */
};

struct tarx {
	int in;         /* the archive */
	int root;       /* -C: every entry goes below it */
	unsigned flags; /* SYNC_M, SYNC_PERM, SYNC_OWN as they apply */
	unsigned umask;
	void (*note)(const char *name, int what);
	void (*moved)(void); /* the stream moved: data was read (may be NULL) */
	int fatal;           /* the error that stopped extraction, or 0 */
	int failed;          /* an entry failed */
	int in_root; /* root is "/": symlinks resolve from it (set by tarx_extract) */
	int tmpfile; /* files are made unnamed, O_TMPFILE (set by tarx_extract) */
};

/* Extracts every entry of x->in. 0, or -1 once any entry failed or the
 * archive was bad (each said through note). */
int tarx_extract(struct tarx *x);

#endif
