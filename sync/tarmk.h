/* tarmk.h: making one tar entry below the top directory, never outside
 * it, with nothing done by a name that the directory's owner could swap
 * (internal to the built-in tar). */
#ifndef REINIT_TARMK_H
#define REINIT_TARMK_H

#include "sync/tarhdr.h"
#include "sync/tarx.h"

/* An entry being made, from tarmk_begin to tarmk_end. */
struct tarmk {
	int pfd;    /* the directory it goes in, or -1 */
	int fd;     /* a regular file's descriptor, for its data, or -1 */
	int named;  /* it exists under the temporary name */
	char *last; /* its name in pfd */
};

/* Starts entry h named name: its directories, and the file (unnamed, or
 * under a temporary name), symlink or hard link under a temporary name;
 * a directory is made or found at once. 0, TARX_SKIP for a type not
 * extracted, or -errno / a TARX_E* code. */
int tarmk_begin(struct tarx *x, const struct tarhdr *h, char *name, struct tarmk *m);

/* Ends the entry whose data is written (err: the error so far, or 0):
 * owner, mode and times set on descriptors, then the final name. 0 or the
 * first error. */
int tarmk_end(struct tarx *x, const struct tarhdr *h, struct tarmk *m, int err);

/* Sets the modes and times of the directories made so far, deepest last. */
void tarmk_flush(struct tarx *x);

#endif
