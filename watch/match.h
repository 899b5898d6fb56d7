/* match.h: gitignore-style patterns that say which watched paths to ignore. */
#ifndef REINIT_MATCH_H
#define REINIT_MATCH_H

#include <stddef.h>

#define MATCH_MAX_RULES 256
#define MATCH_POOL      16384

/*
 * A fixed-size rule set, so that reading an ignore file needs no allocation.
 * Zero it (static storage or memset) before the first match_add().
 */
struct match_set {
	unsigned n;    /* rules in use */
	unsigned used; /* bytes of pool in use */
	struct {
		unsigned short off;
		unsigned char flags;
		char first, last; /* literal first and last characters, or 0 */
	} rule[MATCH_MAX_RULES];
	char pool[MATCH_POOL]; /* NUL-terminated pattern texts */
};

/*
 * Adds one gitignore-style line (a trailing "\n" or "\r\n" is allowed).
 * Blank lines, comments and a line ending in a lone backslash (as git
 * drops it) return 0 and add nothing. Returns -EINVAL for a line that can
 * never match ("!", "/", a NUL byte) and -ENOSPC when the rules or the
 * pool are full.
 */
int match_add(struct match_set *m, const char *line, size_t len);

/*
 * 1 when relpath (relative to the watch root, no leading '/', never empty)
 * is ignored; is_dir says whether it names a directory. The last matching
 * rule wins, so a later '!' rule re-includes.
 */
int match_ignored(const struct match_set *m, const char *relpath, int is_dir);

/*
 * 1 when pat matches the whole of str. '*' and '?' never match '/';
 * "[...]" takes ranges, POSIX classes ("[[:alpha:]]") and '!' or '^'
 * negation; a backslash escapes the next
 * character; "**" as a whole component matches zero or more components, or
 * one or more when it is the last component.
 */
int match_glob(const char *pat, const char *str);

#endif
