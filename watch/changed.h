/* changed.h: the paths changed since the child started, for REINIT_CHANGED
 * and the restart line (pure). */
#ifndef REINIT_CHANGED_H
#define REINIT_CHANGED_H

#include <stddef.h>

#define CHANGED_MAX 4096

/*
 * "REINIT_CHANGED=" then one path a line, each once, cut at whole names
 * within CHANGED_MAX bytes. A name holding a newline cannot be told apart
 * from two names in that form: it is left out, and counted all the same.
 */
struct changed {
	char env[CHANGED_MAX];
	size_t len;
	unsigned count; /* changed paths, listed or not */
	char summary[256];
};

/* Empties the list (and makes env "REINIT_CHANGED="). */
void changed_clear(struct changed *c);

/* Adds path (relative to its root) unless it is there already. */
void changed_note(struct changed *c, const char *path);

/* "REINIT_CHANGED=a\nb/c". */
const char *changed_env(const struct changed *c);

/* "3 changes: a, b/c, ..." with control bytes shown as '?', for a log line. */
const char *changed_summary(struct changed *c);

/* Writes v in decimal to end before a NUL at end; returns its start. */

#endif
