/* matchcheck: reinit's ignore matcher as the watcher applies it, for a
 * side-by-side test with git check-ignore. argv[1] is a gitignore-style
 * file; each line of stdin is "d PATH" or "f PATH", and the answer is a
 * line "1" (ignored: the path or a directory above it matches) or "0".
 * Exits 2 when a pattern is refused. */
#include <stdio.h>
#include <string.h>

#include "watch/match.h"

static struct match_set set;

int
main(int argc, char **argv)
{
	char line[4096];
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "r")))
		return 3;
	while (fgets(line, sizeof(line), f))
		if (match_add(&set, line, strlen(line)) < 0)
			return 2;
	fclose(f);
	while (fgets(line, sizeof(line), stdin)) {
		char *p = line + 2, *s;
		int ign = 0;

		line[strcspn(line, "\n")] = 0;
		/* The walk never enters an ignored directory. */
		for (s = p; !ign && (s = strchr(s, '/')); s++) {
			*s = 0;
			ign = match_ignored(&set, p, 1);
			*s = '/';
		}
		ign = ign || match_ignored(&set, p, line[0] == 'd');
		printf("%d\n", ign);
	}
	return 0;
}
