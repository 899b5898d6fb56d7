/* unit_changed.c: the changed-paths list for REINIT_CHANGED and the
 * restart line. */
#include <string.h>

#include "test/tap.h"
#include "watch/changed.h"

static struct changed c;

int
main(void)
{
	char name[64];
	int i;

	changed_clear(&c);
	is_str(changed_env(&c), "REINIT_CHANGED=", "empty at first");
	changed_note(&c, "a");
	changed_note(&c, "b/c");
	changed_note(&c, "a");
	is_str(changed_env(&c), "REINIT_CHANGED=a\nb/c", "one path a line, each once");
	is_str(changed_summary(&c), "2 changes: a, b/c", "the summary counts and lists");
	changed_note(&c, "x\n../etc/passwd");
	is_str(changed_env(&c), "REINIT_CHANGED=a\nb/c", "a name with a newline is left out");
	is_int(c.count, 3, "and counted");
	changed_note(&c, "red\033[31m");
	is_str(changed_summary(&c), "4 changes: a, b/c, red?[31m",
	       "control bytes are '?' in the summary");
	ok(strchr(changed_env(&c), '\033') != 0, "but kept in REINIT_CHANGED");
	changed_clear(&c);
	for (i = 0; i < 500; i++) {
		memset(name, 'n', 40);
		name[40] = 0;
		name[0] = (char)('A' + i % 26);
		name[1] = (char)('A' + i / 26 % 26);
		changed_note(&c, name);
	}
	ok(strlen(changed_env(&c)) < CHANGED_MAX, "REINIT_CHANGED stays below 4 KiB");
	is_int(c.count, 500, "every change is counted");
	{
		const char *e = changed_env(&c) + 15, *p;
		int whole = 1;

		for (p = e; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0))
			whole &= strcspn(p, "\n") == 40;
		ok(whole, "each listed name is whole");
	}
	ok(strlen(changed_summary(&c)) < 256, "the summary is cut to fit");
	changed_clear(&c);
	is_str(changed_summary(&c), "changes that have no name (a deletion, or lost events)",
	       "no names: the summary says so");
	return tap_done();
}
