/* match.c: gitignore-style ignore rules, without allocation or system calls. */
#include <errno.h>
#include <string.h>

#include "watch/match.h"

enum {
	MATCH_NEGATE = 1,   /* "!pattern": a match re-includes */
	MATCH_DIR_ONLY = 2, /* "pattern/": only directories match */
	MATCH_ANCHORED = 4, /* a '/' inside: match the whole path */
};

/* The end of the '/'-separated component that starts at s. */
static const char *
comp_end(const char *s)
{
	return strchrnul(s, '/');
}

/* The character a backslash at p escapes, or p itself. */
static const char *
unescape(const char *p, const char *pe)
{
	return *p == '\\' && p + 1 < pe ? p + 1 : p;
}

/* Whether c is in the POSIX class named by [p, p + n) as in "[:alpha:]",
 * in the C locale as git has it; -1 for a name that is none. Each class
 * is its name, then pairs of first and last characters. */
static int
posix_class(const char *p, size_t n, unsigned char c)
{
	static const char classes[] = "alnum:09AZaz\0alpha:AZaz\0blank:\t\t  \0"
				      "cntrl:\001\037\177\177\0digit:09\0graph:!~\0lower:az\0"
				      "print: ~\0punct:!/:@[`{~\0space:\t\r  \0upper:AZ\0"
				      "xdigit:09AFaf\0";
	const char *q, *r;

	for (q = classes; *q; q = r + strlen(r) + 1) {
		r = strchr(q, ':') + 1;
		if ((size_t)(r - q - 1) != n || memcmp(q, p, n))
			continue;
		for (; *r; r += 2)
			if ((unsigned char)r[0] <= c && c <= (unsigned char)r[1])
				return 1;
		return 0;
	}
	return -1;
}

/*
 * Matches c against the bracket expression whose text starts just after
 * '[' and sets *hit. Returns the pattern position after the closing ']',
 * or NULL when there is none before pe: the caller then takes the '['
 * literally, as fnmatch does (git instead lets such a pattern match
 * nothing). A ']' right after "[", "[!" or "[^" is a member.
 */
static const char *
class_match(const char *p, const char *pe, unsigned char c, int *hit)
{
	const char *first;
	unsigned char lo, hi;
	int neg = 0, in = 0;

	if (p < pe && (*p == '!' || *p == '^')) {
		neg = 1;
		p++;
	}
	for (first = p; p < pe; p++) {
		if (*p == ']' && p != first) {
			*hit = in != neg;
			return p + 1;
		}
		if (*p == '[' && p + 1 < pe && p[1] == ':') {
			const char *e = p + 2;
			int m;

			while (e + 1 < pe && !(e[0] == ':' && e[1] == ']'))
				e++;
			if (e + 1 < pe) {
				/* As git: "[[:foo:]]" with an unknown name
				 * matches nothing. */
				if ((m = posix_class(p + 2, (size_t)(e - p - 2), c)) < 0)
					return NULL;
				in |= m;
				p = e + 1;
				continue;
			}
		}
		p = unescape(p, pe);
		lo = hi = (unsigned char)*p;
		if (p + 2 < pe && p[1] == '-' && p[2] != ']') {
			p = unescape(p + 2, pe);
			hi = (unsigned char)*p;
		}
		if (lo <= c && c <= hi)
			in = 1;
	}
	return NULL;
}

/*
 * Matches one component pattern [p, pe) against one path component
 * [s, se), neither holding a '/'. Every token but '*' takes exactly one
 * character, so on a mismatch it is enough to let the last '*' swallow one
 * more character and retry from there: earlier stars never need to move.
 * That keeps the work at O(len(p) * len(s)) for any number of stars.
 */
static int
comp_match(const char *p, const char *pe, const char *s, const char *se)
{
	const char *star_p = NULL, *star_s = NULL, *q;
	int hit = 0;

	for (;;) {
		if (p < pe && *p == '*') {
			while (p < pe && *p == '*')
				p++;
			if (p == pe)
				return 1;
			star_p = p;
			star_s = s;
			continue;
		}
		if (s == se)
			return p == pe;
		if (p < pe) {
			q = NULL;
			if (*p == '?') {
				hit = 1;
				q = p + 1;
			} else if (*p == '[') {
				q = class_match(p + 1, pe, (unsigned char)*s, &hit);
			}
			if (q == NULL) {
				p = unescape(p, pe);
				hit = *p == *s;
				q = p + 1;
			}
			if (hit) {
				p = q;
				s++;
				continue;
			}
		}
		if (star_p == NULL)
			return 0;
		p = star_p;
		s = ++star_s;
	}
}

/*
 * The same backtracking one level up: components take the place of
 * characters and "**" that of '*'. A trailing "**" must take at least one
 * component: it matches what is inside a directory, never the directory.
 */
int
match_glob(const char *pat, const char *str)
{
	const char *p = pat, *s = str, *pe, *se;
	const char *star_p = NULL, *star_s = NULL;

	for (;;) {
		pe = comp_end(p);
		if (pe - p == 2 && p[0] == '*' && p[1] == '*') {
			if (*pe == '\0')
				return *s != '\0';
			p = star_p = pe + 1;
			star_s = s;
			continue;
		}
		se = comp_end(s);
		if (comp_match(p, pe, s, se)) {
			if (*pe == '\0' && *se == '\0')
				return 1;
			if (*pe != '\0' && *se != '\0') {
				p = pe + 1;
				s = se + 1;
				continue;
			}
		}
		if (star_p == NULL)
			return 0;
		se = comp_end(star_s);
		if (*se == '\0')
			return 0;
		p = star_p;
		s = star_s = se + 1;
	}
}

/* c itself when a pattern that starts or ends with it needs a path to start
 * or end with it too; 0 for wildcards and escapes. */
static char
literal(char c)
{
	return c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' ? 0 : c;
}

int
match_add(struct match_set *m, const char *line, size_t len)
{
	size_t i, start = 0, end = 0;
	unsigned flags = 0, bracket = 0;
	char *d;

	/* A line may come with its ending; CRLF files are common. */
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len == 0 || line[0] == '#')
		return 0;
	/* Drop trailing spaces unless escaped; end is past the last kept. */
	for (i = 0; i < len; i++) {
		if (line[i] == '\0')
			return -EINVAL;
		if (line[i] == '\\') {
			/* git drops a line that ends in a lone backslash. */
			if (++i == len)
				return 0;
			end = i + 1;
		} else if (line[i] != ' ') {
			end = i + 1;
		}
	}
	if (end == 0)
		return 0;
	if (line[0] == '!') {
		flags |= MATCH_NEGATE;
		start = 1;
	}
	if (end > start && line[end - 1] == '/') {
		flags |= MATCH_DIR_ONLY;
		end--;
	}
	for (i = start; i < end; i++)
		if (line[i] == '/')
			flags |= MATCH_ANCHORED;
	if (end > start && line[start] == '/')
		start++;
	if (end <= start)
		return -EINVAL;
	if (m->n >= MATCH_MAX_RULES || end - start >= MATCH_POOL - m->used)
		return -ENOSPC;
	m->rule[m->n].off = (unsigned short)m->used;
	m->rule[m->n].flags = (unsigned char)flags;
	m->rule[m->n].first = literal(line[start]);
	/* An escaped last character is taken as no hint at all. */
	m->rule[m->n].last = end - start > 1 && line[end - 2] == '\\' ? 0 : literal(line[end - 1]);
	for (d = m->pool + m->used, i = start; i < end; i++) {
		/* "\/" is a '/'; a '/' in brackets never matches (as in
		 * git) and, left out, cannot split the pattern in two. */
		if (line[i] == '\\' && i + 1 < end) {
			if (line[++i] != '/')
				*d++ = '\\';
		} else if (line[i] == '[') {
			bracket = 1;
		} else if (line[i] == ']') {
			bracket = 0;
		} else if (line[i] == '/' && bracket) {
			continue;
		}
		*d++ = line[i];
	}
	*d++ = '\0';
	m->used = (unsigned)(d - m->pool);
	m->n++;
	return 0;
}

/*
 * Walks the rules from the last, so the first match found is the one that
 * wins and most paths cost one glob per rule at most.
 */
int
match_ignored(const struct match_set *m, const char *relpath, int is_dir)
{
	const char *base = relpath, *q, *s;
	unsigned i, f;

	for (q = relpath; *q != '\0'; q++)
		if (*q == '/')
			base = q + 1;
	/* A first and a last character that cannot match turn most paths
	 * away before any glob runs: reinit asks for every file it sees. */
	for (i = m->n; i-- > 0;) {
		f = m->rule[i].flags;
		s = (f & MATCH_ANCHORED) ? relpath : base;
		if (((f & MATCH_DIR_ONLY) && !is_dir) ||
		    (m->rule[i].first && m->rule[i].first != *s) ||
		    (m->rule[i].last && m->rule[i].last != q[-1]))
			continue;
		if (match_glob(m->pool + m->rule[i].off, s))
			return !(f & MATCH_NEGATE);
	}
	return 0;
}
