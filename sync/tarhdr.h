/* tarhdr.h: tar header blocks (ustar, GNU, pax, v7) -> entries; pure. */
#ifndef REINIT_TARHDR_H
#define REINIT_TARHDR_H

#include <stddef.h>

#include "sync/tarerr.h"

#define TARHDR_BLOCK 512
/* The longest name or link target kept, NUL included (Linux's PATH_MAX). */
#define TARHDR_PATH 4096

/* The numeric fields an entry keeps, one row each: its index in every
 * num[] array, where it sits in a header and how wide, and its pax
 * keyword. The header's mode (offset 100, 8 wide) is read beside them. */
#define TARHDR_NUMS(X)                                                                             \
	X(TARHDR_SIZE, 124, 12, "size")                                                            \
	X(TARHDR_MTIME, 136, 12, "mtime")                                                          \
	X(TARHDR_UID, 108, 8, "uid")                                                               \
	X(TARHDR_GID, 116, 8, "gid")

enum {
#define TARHDR_X(name, off, len, key) name,
	TARHDR_NUMS(TARHDR_X)
#undef TARHDR_X
		TARHDR_NNUM,
	/* Bits of tarhdr_over.have past the numbers', and the pax keywords
	 * that set them. */
	TARHDR_HAVE_PATH = TARHDR_NNUM,
	TARHDR_HAVE_LINK,
};

/* What tarhdr_block returns, besides the TARHDR_E* codes of tarerr.h. */
enum {
	TARHDR_END,   /* a zero block: the end of the archive */
	TARHDR_ENTRY, /* h->type, name, link, mode, num[] describe an entry */
	TARHDR_EXT,   /* 'L', 'K', 'x' or 'g': pass its num[TARHDR_SIZE] bytes
		       * of data to tarhdr_ext */
};

/* Values a GNU long-name record or a pax header set for the next entry
 * (local) or for all that follow (global): bit i of have is num[i], bit
 * TARHDR_HAVE_PATH path, bit TARHDR_HAVE_LINK link. */
struct tarhdr_over {
	unsigned have;
	long long num[TARHDR_NNUM];
	char path[TARHDR_PATH], link[TARHDR_PATH];
};

struct tarhdr {
	/* The entry, once tarhdr_block returned TARHDR_ENTRY: type is '0'
	 * (regular file, v7 and contiguous ones too), '1' hard link, '2'
	 * symlink, '5' directory, or another type the caller skips;
	 * num[TARHDR_SIZE] is the size of the data that follows. */
	char type;
	unsigned mode;
	long long num[TARHDR_NNUM];
	char name[TARHDR_PATH], link[TARHDR_PATH];
	struct tarhdr_over local, global;
};

/* Parses one 512-byte block read where a header is due. */
int tarhdr_block(struct tarhdr *h, const unsigned char *b);

/* The least buffer a caller of tarhdr_ext must read through: a record it
 * needs whole (a path, a number) fits in it, and so does the start of any
 * record up to its keyword. */
#define TARHDR_EXT_BUF (TARHDR_PATH + 64)

/* Takes the data of the record tarhdr_block announced (h->type 'L', 'K',
 * 'x' or 'g'): len bytes of it at d, rest bytes more still to come. Returns
 * how many bytes it took, or a TARHDR_E* code. It takes whole pax records:
 * fewer than len when the last one is cut (pass its start again, with what
 * follows); more than len when that record is one it ignores (an xattr,
 * however large): the caller skips the difference unread. With rest 0,
 * it takes all len bytes or fails. */
long long tarhdr_ext(struct tarhdr *h, const char *d, size_t len, unsigned long long rest);

#endif
