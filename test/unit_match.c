/* unit_match.c: the ignore matcher against git's documented behaviour. */
#include <errno.h>
#include <string.h>

#include "test/tap.h"
#include "watch/match.h"

/* Large: keep it out of main's stack frame. */
static struct match_set set;

/* Rebuilds the set from lines; each must add cleanly, as a test point. */
static void
load(const char *lines[], size_t n)
{
	size_t i;

	memset(&set, 0, sizeof(set));
	for (i = 0; i < n; i++)
		is_int(match_add(&set, lines[i], strlen(lines[i])), 0,
		    "add '%s'", lines[i]);
}

#define LOAD(...)                                                       \
	do {                                                            \
		const char *l_[] = { __VA_ARGS__ };                     \
		load(l_, sizeof(l_) / sizeof(l_[0]));                   \
	} while (0)

static void
glob(const char *pat, const char *str, int want)
{
	is_int(match_glob(pat, str), want, "glob '%s' %s '%s'", pat,
	    want ? "matches" : "does not match", str);
}

static void
ign(const char *path, int is_dir, int want)
{
	is_int(match_ignored(&set, path, is_dir), want, "%s %s '%s' is %s",
	    set.n ? set.pool : "(no rules)", is_dir ? "dir" : "file", path,
	    want ? "ignored" : "kept");
}

static void
test_glob(void)
{
	glob("abc", "abc", 1);
	glob("abc", "abd", 0);
	glob("abc", "ab", 0);
	glob("ab", "abc", 0);
	glob("", "", 1);
	glob("", "a", 0);
	glob("*", "", 1);
	glob("*", "anything", 1);
	glob("*", "a/b", 0);
	glob("a*", "a/b", 0);
	glob("*.c", "x.c", 1);
	glob("*.c", "x.h", 0);
	glob("*.c", "d/x.c", 0);
	glob("*/*.c", "d/x.c", 1);
	glob("a*b*c", "aXXbYYc", 1);
	glob("a*b*c", "aXXbYY", 0);
	glob("*a", "baba", 1);
	glob("*a", "bab", 0);
	glob("*ab", "aab", 1);
	glob("?", "a", 1);
	glob("?", "/", 0);
	glob("?", "", 0);
	glob("a?c", "a/c", 0);
	glob("a?c", "abc", 1);
	glob("??", "a", 0);

	glob("[abc].c", "b.c", 1);
	glob("[abc].c", "d.c", 0);
	glob("[!abc].c", "d.c", 1);
	glob("[!abc].c", "a.c", 0);
	glob("[^abc].c", "d.c", 1);
	glob("[^abc].c", "c.c", 0);
	glob("[a-c].c", "b.c", 1);
	glob("[a-c].c", "d.c", 0);
	glob("[a-cx-z]", "y", 1);
	glob("[a-cx-z]", "m", 0);
	glob("[]]", "]", 1);
	glob("[]a]", "a", 1);
	glob("[!]]", "]", 0);
	glob("[!]]", "x", 1);
	glob("[a-]", "-", 1);
	glob("[\\]]", "]", 1);
	glob("[\\!a]", "!", 1);
	glob("[!a]", "/", 0);
	glob("[abc", "[abc", 1);
	glob("[abc", "a", 0);
	glob("[", "[", 1);
	glob("a[/]b", "a/b", 0);

	glob("\\*", "*", 1);
	glob("\\*", "x", 0);
	glob("\\?", "?", 1);
	glob("\\?", "x", 0);
	glob("\\[a]", "[a]", 1);
	glob("\\[a]", "a", 0);
	glob("\\#x", "#x", 1);
	glob("\\a", "a", 1);

	glob("**", "a", 1);
	glob("**", "a/b/c", 1);
	glob("**/node_modules", "node_modules", 1);
	glob("**/node_modules", "a/b/node_modules", 1);
	glob("**/node_modules", "a/node_modules/x", 0);
	glob("**/node_modules", "xnode_modules", 0);
	glob("a/**/b", "a/b", 1);
	glob("a/**/b", "a/x/b", 1);
	glob("a/**/b", "a/x/y/b", 1);
	glob("a/**/b", "a/x/y/c", 0);
	glob("a/**/b", "ab", 0);
	glob("a/**/b", "x/a/b", 0);
	glob("a/**", "a/x", 1);
	glob("a/**", "a/x/y", 1);
	glob("a/**", "a", 0);
	glob("a/**", "b/x", 0);
	glob("**/a/**/b/**", "x/a/y/b/z", 1);
	glob("**/a/**/b/**", "x/a/y/b", 0);
	glob("**/*.c", "src/x/y.c", 1);
	glob("**/*.c", "y.c", 1);
	glob("**/*.c", "y.h", 0);
	glob("a**b", "aXb", 1);
	glob("a**b", "a/b", 0);
	glob("**x", "a/x", 0);
	glob("**/**/x", "x", 1);
	glob("**/**/x", "a/b/x", 1);
	glob("a/**/b/c", "a/b/b/c", 1);
	glob("a/**/b/c", "a/b/c/b/d", 0);
}

/* Patterns that would take exponential time with naive backtracking. */
static void
test_no_blowup(void)
{
	char s[101];
	int i;

	memset(s, 'a', 100);
	s[100] = '\0';
	glob("a*a*a*a*a*a*a*b", s, 0);
	glob("a*a*a*a*a*a*a*a", s, 1);
	glob("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", s, 0);

	/* 50 components of "a", and a pattern of many "**" that must fail. */
	for (i = 0; i < 50; i++) {
		s[2 * i] = 'a';
		s[2 * i + 1] = '/';
	}
	s[99] = '\0';
	glob("**/a/**/a/**/a/**/a/**/a/**/a/**/b", s, 0);
	glob("**/a/**/a/**/a/**/a/**/a/**/a/**/a", s, 1);
}

static void
test_add(void)
{
	char big[MATCH_POOL + 2];
	unsigned i;

	memset(&set, 0, sizeof(set));
	is_int(match_add(&set, "", 0), 0, "empty line accepted");
	is_int(match_add(&set, "   ", 3), 0, "line of spaces accepted");
	is_int(match_add(&set, "#comment", 8), 0, "comment accepted");
	is_int(match_add(&set, "# x/", 4), 0, "comment with a slash accepted");
	is_int(match_add(&set, "\n", 1), 0, "bare newline accepted");
	is_int(set.n, 0, "blank lines and comments add no rule");
	is_int(match_add(&set, "!", 1), -EINVAL, "'!' alone is -EINVAL");
	is_int(match_add(&set, "/", 1), -EINVAL, "'/' alone is -EINVAL");
	is_int(match_add(&set, "!/", 2), -EINVAL, "'!/' is -EINVAL");
	is_int(match_add(&set, "//", 2), -EINVAL, "'//' is -EINVAL");
	is_int(match_add(&set, "! ", 2), -EINVAL, "'! ' is -EINVAL");
	is_int(match_add(&set, "a\\", 2), 0,
	    "a line ending in a lone backslash is dropped, as git drops it");
	is_int(match_add(&set, "a\0b", 3), -EINVAL, "NUL byte is -EINVAL");
	is_int(set.n, 0, "invalid lines add no rule");
	is_int(set.used, 0, "invalid lines use no pool");

	is_int(match_add(&set, "xyz", 2), 0, "len is honoured");
	is_str(set.pool, "xy", "only len bytes stored");
	is_int(set.used, 3, "pool holds text and NUL");

	memset(&set, 0, sizeof(set));
	is_int(match_add(&set, "a  \t  ", 6), 0, "add with tab then spaces");
	is_str(set.pool, "a  \t", "only trailing spaces stripped");
	memset(&set, 0, sizeof(set));
	is_int(match_add(&set, "a\\  ", 4), 0, "add escaped trailing space");
	is_str(set.pool, "a\\ ", "escaped space kept, later one stripped");
	memset(&set, 0, sizeof(set));
	is_int(match_add(&set, "a\\\\ ", 4), 0,
	    "add escaped backslash then space");
	is_str(set.pool, "a\\\\", "space after an escaped backslash stripped");
	memset(&set, 0, sizeof(set));
	is_int(match_add(&set, "x.o\r\n", 5), 0, "add CRLF line");
	is_str(set.pool, "x.o", "line ending stripped");

	memset(&set, 0, sizeof(set));
	memset(big, 'x', sizeof(big));
	is_int(match_add(&set, big, MATCH_POOL), -ENOSPC,
	    "pattern as long as the pool (no room for NUL) is -ENOSPC");
	is_int(match_add(&set, big, MATCH_POOL + 2), -ENOSPC,
	    "pattern longer than the pool is -ENOSPC");
	is_int(match_add(&set, big, MATCH_POOL - 1), 0,
	    "pattern that exactly fills the pool fits");
	is_int(set.used, MATCH_POOL, "pool full");
	is_int(match_add(&set, "a", 1), -ENOSPC, "one more byte is -ENOSPC");
	is_int(match_add(&set, "#c", 2), 0, "comment still accepted when full");
	is_int(set.n, 1, "one rule after the failures");

	memset(&set, 0, sizeof(set));
	for (i = 0; i < MATCH_MAX_RULES; i++)
		if (match_add(&set, "r", 1) != 0)
			break;
	is_int(i, MATCH_MAX_RULES, "256 rules fit");
	is_int(match_add(&set, "r", 1), -ENOSPC, "257th rule is -ENOSPC");
	is_int(set.n, MATCH_MAX_RULES, "rule count stays at the maximum");
}

static void
test_ignored(void)
{
	memset(&set, 0, sizeof(set));
	ign("a", 0, 0);
	ign("a", 1, 0);

	LOAD("*.swp");
	ign("a/b/x.swp", 0, 1);
	ign("x.swp", 0, 1);
	ign("x.swp", 1, 1);
	ign("a/b/x.swpx", 0, 0);

	LOAD("/build");
	ign("build", 1, 1);
	ign("build", 0, 1);
	ign("src/build", 1, 0);

	LOAD("build/");
	ign("build", 1, 1);
	ign("a/build", 1, 1);
	ign("build", 0, 0);
	ign("a/build", 0, 0);

	LOAD("/build/");
	ign("build", 1, 1);
	ign("build", 0, 0);
	ign("a/build", 1, 0);

	LOAD("docs/*.md");
	ign("docs/a.md", 0, 1);
	ign("docs/x/a.md", 0, 0);
	ign("a/docs/a.md", 0, 0);
	ign("a.md", 0, 0);

	LOAD("a/b");
	ign("a/b", 0, 1);
	ign("x/a/b", 0, 0);

	LOAD("**/node_modules");
	ign("node_modules", 1, 1);
	ign("a/b/node_modules", 1, 1);
	ign("a/b/node_modulesx", 1, 0);

	LOAD("node_modules/");
	ign("node_modules", 1, 1);
	ign("a/b/node_modules", 1, 1);
	ign("node_modules", 0, 0);

	LOAD("a/**/b");
	ign("a/b", 0, 1);
	ign("a/x/b", 0, 1);
	ign("a/x/y/b", 0, 1);
	ign("x/a/b", 0, 0);

	LOAD("a/**");
	ign("a/x", 0, 1);
	ign("a/x/y", 1, 1);
	ign("a", 1, 0);

	LOAD("*.log", "!keep.log");
	ign("keep.log", 0, 0);
	ign("d/keep.log", 0, 0);
	ign("x.log", 0, 1);
	ign("d/x.log", 0, 1);

	/* The last match wins: a later rule ignores again. */
	LOAD("*.log", "!keep.log", "/keep.log");
	ign("keep.log", 0, 1);
	ign("d/keep.log", 0, 0);

	/* A directory-only negation leaves files ignored. */
	LOAD("tmp*", "!tmp/");
	ign("tmp", 1, 0);
	ign("tmp", 0, 1);
	ign("tmpx", 1, 1);

	LOAD("[abc].c", "[!abc].h", "[a-c].o");
	ign("b.c", 0, 1);
	ign("d.c", 0, 0);
	ign("d.h", 0, 1);
	ign("a.h", 0, 0);
	ign("c.o", 0, 1);
	ign("d.o", 0, 0);

	LOAD("\\#x");
	ign("#x", 0, 1);
	ign("d/#x", 0, 1);
	ign("\\#x", 0, 0);

	LOAD("\\!x");
	ign("!x", 0, 1);
	ign("x", 0, 0);

	LOAD("#comment", "x");
	is_int(set.n, 1, "'#comment' adds no rule");
	ign("#comment", 0, 0);

	/* The temporary files editors write next to the file they save. */
	LOAD("4913", ".#*", "\\#*#", "*~", "*___jb_tmp___", ".goutputstream-*",
	    "*.sw[a-p]");
	ign("a/4913", 0, 1);
	ign("4913", 0, 1);
	ign("49130", 0, 0);
	ign(".#foo", 0, 1);
	ign("src/.#foo.c", 0, 1);
	ign(".foo", 0, 0);
	ign("#foo#", 0, 1);
	ign("#foo", 0, 0);
	ign("x.c~", 0, 1);
	ign("x.c", 0, 0);
	ign("x.c___jb_tmp___", 0, 1);
	ign("x.c___jb_old___", 0, 0);
	ign(".goutputstream-ABC123", 0, 1);
	ign("d/.goutputstream-", 0, 1);
	ign("goutputstream-x", 0, 0);
	ign(".x.c.swp", 0, 1);
	ign(".x.c.swx", 0, 0);

	LOAD("a\\ ", "b ");
	ign("a ", 0, 1);
	ign("a", 0, 0);
	ign("b", 0, 1);
	ign("b ", 0, 0);

	LOAD("*", "!*/", "!*.c");
	ign("x.o", 0, 1);
	ign("src", 1, 0);
	ign("src/x.c", 0, 0);
	ign("src/x.h", 0, 1);

	LOAD("**");
	ign("a", 0, 1);
	ign("a/b", 1, 1);
}

int
main(void)
{
	test_glob();
	test_no_blowup();
	test_add();
	test_ignored();
	return tap_done();
}
