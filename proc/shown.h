/* shown.h: text from outside (file names, option values, names in an
 * archive) as a message shows it (pure). */
#ifndef REINIT_SHOWN_H
#define REINIT_SHOWN_H

#include <stddef.h>

/* Copies src[0..n) to dst with each C0 control byte, DEL and UTF-8 C1
 * control (U+0080 to U+009F, two bytes: CSI, which terminals act on, among
 * them) as one '?', so that what a line shows can neither end it, forge
 * another nor move the cursor. The bytes written, at most n; dst may be
 * src. */
size_t shown_copy(char *dst, const char *src, size_t n);

#endif
