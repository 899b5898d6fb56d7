/* shown.c: text from outside as a message shows it (pure). */
#include "proc/shown.h"

size_t
shown_copy(char *dst, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src, *end = s + n;
	char *d = dst;
	unsigned c;

	for (; s < end; s++) {
		/* A C1 control, two bytes: one '?', as a C0 one. */
		if ((c = *s) == 0xc2 && s + 1 < end && s[1] - 0x80u < 0x20)
			c = 0, s++;
		*d++ = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	return (size_t)(d - dst);
}
