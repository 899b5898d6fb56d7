/* starts: the child of the live-reload tests. On start it prints, in one
 * write, "start <REINIT_RESTARTS> changed <REINIT_CHANGED>" with the
 * changed paths joined by '|' ("(unset)" for a missing variable), then
 * waits for SIGTERM and exits 0 at once.
 *   --ignore-term   ignore SIGTERM: only SIGKILL ends it
 *   --exit N        exit with N right after printing */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
on_term(int sig)
{
	(void)sig;
	_exit(0);
}

int
main(int argc, char **argv)
{
	/* REINIT_CHANGED is at most 4 KiB: the line always fits. */
	static char line[16384];
	const char *restarts = getenv("REINIT_RESTARTS");
	const char *changed = getenv("REINIT_CHANGED");
	int ignore_term = 0, code = -1, i, n;
	char *p;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ignore-term")) {
			ignore_term = 1;
		} else if (!strcmp(argv[i], "--exit") && i + 1 < argc) {
			code = atoi(argv[++i]);
		} else {
			fprintf(stderr, "starts: unknown argument '%s'\n", argv[i]);
			return 99;
		}
	}
	/* The handler is in place before the line: once a test has read
	 * it, SIGTERM has its intended effect. */
	signal(SIGTERM, ignore_term ? SIG_IGN : on_term);
	n = snprintf(line, sizeof(line), "start %s changed %s\n", restarts ? restarts : "(unset)",
		     changed ? changed : "(unset)");
	if (n < 0 || (size_t)n >= sizeof(line))
		return 98;
	for (p = line; p < line + n - 1; p++)
		if (*p == '\n')
			*p = '|';
	if (write(1, line, (size_t)n) != n)
		return 97;
	if (code >= 0)
		return code;
	for (;;)
		pause();
}
