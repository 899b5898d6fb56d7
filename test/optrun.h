/* optrun.h: opts_parse on a list of words, for the unit tests of opts and
 * wexec, and its reason for failing as the one line reinit prints. */
#ifndef REINIT_TEST_OPTRUN_H
#define REINIT_TEST_OPTRUN_H

#include <stdio.h>
#include <string.h>

#include "init/opts.h"

/* Large: keep it out of the stack frames. */
static struct opts o;

/* Writable copies of the words of one call, since opts keeps pointers. */
static char words[32][256];
static char *av[33];
static char why[1024];

/* opts_parse on a NULL-terminated list of words (argv[0] first) and a
 * NULL-terminated environment (NULL for none). */
static int
run(const char *const *args, const char *const *env)
{
	int n;

	for (n = 0; args[n]; n++) {
		snprintf(words[n], sizeof(words[n]), "%s", args[n]);
		av[n] = words[n];
	}
	av[n] = 0;
	return opts_parse(&o, n, av, (char *const *)env);
}

/* The reason for the last failure as the one line the caller prints. */
static const char *
joined(void)
{
	size_t i;

	why[0] = 0;
	for (i = 0; i < sizeof(o.why) / sizeof(o.why[0]) && o.why[i]; i++)
		strncat(why, o.why[i], sizeof(why) - strlen(why) - 1);
	return why;
}

#endif
