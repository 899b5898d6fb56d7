/* tarerr.h: every error of the built-in tar, with its text, in one list. */
#ifndef REINIT_TARERR_H
#define REINIT_TARERR_H

/*
 * One row per error: its name, whose it is (0: tarhdr returns it; TARX_EHDR:
 * tarx_extract's own), and its text. Each error has a code, -1 for the
 * first row, -2 for the next...: tarhdr returns the code itself, and
 * tarx_extract reports every error to note() as TARX_EHDR + its code, below
 * any -errno; the enum is the value that each reports. A new error is one row
 * here; its text comes with it.
 */
#define TAR_ERRORS(X)                                                                              \
	/* A checksum mismatch (or not a tar header). */                                           \
	X(TARHDR_ESUM, 0, "bad header checksum")                                                   \
	/* A corrupt numeric field. */                                                             \
	X(TARHDR_ENUM, 0, "bad number in header")                                                  \
	/* A name or link target too long. */                                                      \
	X(TARHDR_ELONG, 0, "name too long")                                                        \
	/* A malformed extended header. */                                                         \
	X(TARHDR_EPAX, 0, "bad pax header")                                                        \
	/* The archive ends in the middle. */                                                      \
	X(TARX_ETRUNC, TARX_EHDR, "unexpected end of archive")                                     \
	/* A compressed stream. */                                                                 \
	X(TARX_EZIP, TARX_EHDR, "compressed archive: not supported")                               \
	/* A name or link target with a '..'. */                                                   \
	X(TARX_EDOTDOT, TARX_EHDR, "refused: '..' in name")                                        \
	/* A stream that does not start with a header (empty, short, not tar). */                  \
	X(TARX_ENOTTAR, TARX_EHDR, "this does not look like a tar archive")

/* What tarx_extract reports for an error of code c is TARX_EHDR + c. */
enum { TARX_EHDR = -1000 };

#define TAR_ERR_ROW(e, base, text)  e##_ROW,
#define TAR_ERR_ENUM(e, base, text) e = (base)-1 - e##_ROW,
#define TAR_ERR_TEXT(e, base, text) text "\0"

enum { TAR_ERRORS(TAR_ERR_ROW) TAR_NERRORS };
enum { TAR_ERRORS(TAR_ERR_ENUM) };

/* The texts as one string, that of report r (TARX_EHDR + a code) the
 * TAR_ERR_NTH(r)th: log_nth(TAR_ERR_TEXTS, TAR_ERR_NTH(r)). */
#define TAR_ERR_TEXTS  TAR_ERRORS(TAR_ERR_TEXT)
#define TAR_ERR_NTH(r) (TARX_EHDR - 1 - (r))

#endif
