/* sigrecv: prints "ready", then for each SIGUSR1 the CLOCK_MONOTONIC time
 * (ns) at which it was received, one per line. */
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int
main(void)
{
	struct timespec ts;
	sigset_t set;
	char line[32];
	int n;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (write(1, "ready\n", 6) != 6)
		return 1;
	for (;;) {
		if (sigwaitinfo(&set, NULL) != SIGUSR1)
			continue;
		/* The receipt: read the clock before anything else. */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		n = snprintf(line, sizeof(line), "%lld\n",
			     (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
		if (write(1, line, (size_t)n) != n)
			return 1;
	}
}
