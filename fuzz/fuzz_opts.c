/* fuzz_opts.c: opts_parse() on an argv and an environment made from the
 * input: NUL-separated words, the argv first, then after an empty word
 * the environment. A failure must give a reason that is one line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "init/opts.h"

#define MAXW 96

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct opts o;
	static const char *const names[] = {"reinit", "tini", "dumb-init"};
	char *buf, *argv[MAXW + 2], *envp[MAXW + 1], *p, *end;
	int argc = 1, envc = 0, in_env = 0, i;

	if (size < 1)
		return 0;
	/* The first byte picks the name reinit runs as. */
	argv[0] = (char *)names[data[0] % 3];
	buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = 0;
	for (p = buf, end = buf + size - 1; p < end; p += strlen(p) + 1) {
		if (!*p && !in_env) {
			in_env = 1;
			continue;
		}
		if (in_env && envc < MAXW)
			envp[envc++] = p;
		else if (!in_env && argc < MAXW)
			argv[argc++] = p;
	}
	argv[argc] = 0;
	envp[envc] = 0;
	if (opts_parse(&o, argc, argv, envp) < 0) {
		if (!o.why[0])
			abort(); /* an empty line */
		for (i = 0; i < 8 && o.why[i]; i++)
			if (strchr(o.why[i], '\n'))
				abort(); /* a forged line */
	} else if (o.argv) {
		opts_exit_code(&o, 3);
	}
	free(buf);
	return 0;
}
