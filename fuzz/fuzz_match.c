/* fuzz_match.c: the ignore matcher on rules and paths from the input:
 * an ignore file, then after a NUL byte one path a line (as the watcher
 * asks: relative, never empty). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "watch/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct match_set m;
	const char *nul = memchr(data, 0, size), *s, *e;
	char *paths;
	size_t rules = nul ? (size_t)(nul - (const char *)data) : size, i, start;

	memset(&m, 0, sizeof(m));
	for (start = i = 0; i <= rules; i++)
		if (i == rules || data[i] == '\n') {
			match_add(&m, (const char *)data + start, i - start);
			start = i + 1;
		}
	if (!nul)
		return 0;
	paths = malloc(size - rules);
	memcpy(paths, nul + 1, size - rules - 1);
	paths[size - rules - 1] = 0;
	for (s = paths; *s; s = *e ? e + 1 : e) {
		char path[4096];
		size_t l;

		for (e = s; *e && *e != '\n'; e++)
			;
		l = (size_t)(e - s);
		if (!l || l >= sizeof(path) || *s == '/')
			continue;
		memcpy(path, s, l);
		path[l] = 0;
		match_ignored(&m, path, l & 1);
		if (m.n)
			match_glob(m.pool, path);
	}
	free(paths);
	return 0;
}
