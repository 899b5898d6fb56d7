/* unit_status.c: wait statuses -> the exit code a shell would show. */
#include <sys/wait.h>

#include "proc/status.h"
#include "test/tap.h"

#ifndef WCOREFLAG
#define WCOREFLAG 0x80
#endif

int
main(void)
{
	int n, s, bad;

	/* One test point per family, naming the first value that is wrong. */
	for (bad = -1, n = 0; n <= 255 && bad < 0; n++)
		if (status_code(W_EXITCODE(n, 0)) != n)
			bad = n;
	is_int(bad, -1, "exit(n) gives n for every n in 0..255 (else the first n that does not)");
	is_int(status_code(W_EXITCODE(0, 0)), 0, "exit(0) gives 0");
	is_int(status_code(W_EXITCODE(1, 0)), 1, "exit(1) gives 1");
	is_int(status_code(W_EXITCODE(255, 0)), 255, "exit(255) gives 255");

	for (bad = -1, s = 1; s <= 64 && bad < 0; s++)
		if (status_code(W_EXITCODE(0, s)) != 128 + s)
			bad = s;
	is_int(bad, -1, "death by signal s gives 128+s for every s in 1..64 (else the first s)");
	for (bad = -1, s = 1; s <= 64 && bad < 0; s++)
		if (status_code(W_EXITCODE(0, s) | WCOREFLAG) != 128 + s)
			bad = s;
	is_int(bad, -1,
	       "death by signal s with a core dump gives 128+s for every s in 1..64 (else the first s)");

	is_int(status_code(W_EXITCODE(0, 9)), 137, "SIGKILL gives 137");
	is_int(status_code(W_EXITCODE(0, 15)), 143, "SIGTERM gives 143");
	is_int(status_code(W_EXITCODE(0, 6) | WCOREFLAG), 134, "SIGABRT with a core dump gives 134");
	is_int(status_code(W_EXITCODE(0, 64)), 192, "signal 64 gives 192");
	return tap_done();
}
