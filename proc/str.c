/* str.c: the string functions reinit calls, a byte at a time, in place of
 * libc's.
 *
 * musl's read a word at a time and are aligned for speed: about 900 bytes
 * for the first seven, against about 180 here; its memcpy and memmove
 * are 91 bytes of assembly, against about 35 here. reinit's strings are option
 * values, file names and paths of at most a few KiB, read once an event;
 * no figure in `make bench` moves. Only the static build links this file
 * (the host's libc and its sanitizers keep their own); test/unit_str.c
 * checks each function against the host's libc under other names.
 *
 * GCC turns some loops into calls to the very function being defined
 * (a loop that finds a NUL becomes strlen): the attribute keeps the loops
 * loops. */
#include <stddef.h>

#define LOOPS __attribute__((optimize("no-tree-loop-distribute-patterns")))

size_t strlen(const char *s);
char *strchrnul(const char *s, int c);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memcpy(void *restrict d, const void *restrict s, size_t n);

LOOPS size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

LOOPS char *
strchrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
}

LOOPS char *
strchr(const char *s, int c)
{
	s = strchrnul(s, c);
	return *s == (char)c ? (char *)s : 0;
}

LOOPS void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return 0;
}

LOOPS int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *l = a, *r = b;

	for (; n && *l == *r; n--, l++, r++)
		;
	return n ? *l - *r : 0;
}

LOOPS int
strcmp(const char *a, const char *b)
{
	const unsigned char *l = (const void *)a, *r = (const void *)b;

	for (; *l && *l == *r; l++, r++)
		;
	return *l - *r;
}

LOOPS int
strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *l = (const void *)a, *r = (const void *)b;

	if (!n--)
		return 0;
	for (; *l && *l == *r && n; l++, r++, n--)
		;
	return *l - *r;
}

/* Forwards when d is below s, else backwards from the end: right for
 * every overlap. */
LOOPS void *
memmove(void *d, const void *s, size_t n)
{
	unsigned char *l = d;
	const unsigned char *r = s;

	if (l < r)
		for (; n; n--)
			*l++ = *r++;
	else
		while (n--)
			l[n] = r[n];
	return d;
}

/* A loop of its own: written as a call to memmove, GCC turns the call
 * back into memcpy (the areas do not overlap), which then calls itself
 * for ever (seen on arm64). */
LOOPS void *
memcpy(void *restrict d, const void *restrict s, size_t n)
{
	unsigned char *l = d;
	const unsigned char *r = s;

	for (; n; n--)
		*l++ = *r++;
	return d;
}
