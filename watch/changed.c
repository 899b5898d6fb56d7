/* changed.c: the paths changed since the child started, for REINIT_CHANGED
 * and the restart line (pure). */
#include "watch/changed.h"

#include <string.h>

#include "proc/num.h"
#include "proc/shown.h"

#define PREFIX (sizeof("REINIT_CHANGED=") - 1)

static size_t
line_len(const char *s)
{
	return (size_t)(strchrnul(s, '\n') - s);
}

void
changed_clear(struct changed *c)
{
	memcpy(c->env, "REINIT_CHANGED=", PREFIX + 1);
	c->len = PREFIX;
	c->count = 0;
}

void
changed_note(struct changed *c, const char *path)
{
	size_t len = strlen(path), at, l;
	const char *nl = memchr(path, '\n', len);

	if (!nl)
		for (at = PREFIX; at < c->len; at += l + 1) {
			l = line_len(c->env + at);
			if (l == len && !memcmp(c->env + at, path, len))
				return;
		}
	c->count++;
	if (nl || c->len + len + 2 > sizeof(c->env))
		return;
	if (c->len > PREFIX)
		c->env[c->len++] = '\n';
	memcpy(c->env + c->len, path, len + 1);
	c->len += len;
}

const char *
changed_env(const struct changed *c)
{
	return c->env;
}

const char *
changed_summary(struct changed *c)
{
	char *s = c->summary, *end = s + sizeof(c->summary) - 5, nb[16];
	const char *p = c->env + PREFIX, *n = nb + sizeof(nb) - 1;
	size_t l;

	/* None named: a name with a newline cannot be one of REINIT_CHANGED's. */
	if (c->len == PREFIX)
		return "changes that have no name (a deletion, or lost events)";
	n = num_dec(nb + sizeof(nb) - 1, c->count);
	while ((*s = *n++))
		s++;
	for (n = c->count == 1 ? " change: " : " changes: "; (*s = *n++);)
		s++;
	for (; *p && s < end; p += l + (p[l] != 0)) {
		l = line_len(p);
		if (p != c->env + PREFIX)
			*s++ = ',', *s++ = ' ';
		if (s + l >= end) {
			memcpy(s, "...", 4);
			return c->summary;
		}
		/* A name must not move the terminal or fake a line. */
		s += shown_copy(s, p, l);
	}
	*s = 0;
	return c->summary;
}
