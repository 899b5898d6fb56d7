/* spawntime N cmdA args :: cmdB args :: ...: runs the commands in turn, N
 * rounds, and prints "INDEX NS" for each run: spawn to reaped, on
 * CLOCK_MONOTONIC. Every run must exit 0. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	char **cmd[32];
	int ncmd = 0, i, r, n, status;
	long long t0, t1;
	pid_t pid;

	if (argc < 3) {
		fputs("usage: spawntime N cmd args [:: cmd args]...\n", stderr);
		return 2;
	}
	n = atoi(argv[1]);
	cmd[ncmd++] = argv + 2;
	for (i = 2; i < argc; i++)
		if (strcmp(argv[i], "::") == 0) {
			argv[i] = NULL;
			if (ncmd == 32)
				return 2;
			cmd[ncmd++] = argv + i + 1;
		}
	for (r = 0; r < n; r++)
		for (i = 0; i < ncmd; i++) {
			t0 = now_ns();
			if (posix_spawn(&pid, cmd[i][0], NULL, NULL, cmd[i], environ) != 0) {
				perror("spawntime: spawn");
				return 1;
			}
			if (waitpid(pid, &status, 0) != pid || status != 0) {
				fprintf(stderr, "spawntime: '%s' failed (%d)\n", cmd[i][0], status);
				return 1;
			}
			t1 = now_ns();
			printf("%d %lld\n", i, t1 - t0);
		}
	return 0;
}
