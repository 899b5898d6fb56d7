/* exitcode: "exitcode N" exits with N; "exitcode -s SIG" dies of signal SIG. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's struct sigaction: musl refuses signals 32 to 34. */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

static long
number(const char *s, long max)
{
	char *end;
	long n;

	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n < 0 || n > max) {
		fprintf(stderr, "exitcode: bad number '%s'\n", s);
		exit(99);
	}
	return n;
}

int
main(int argc, char **argv)
{
	struct ksigaction dfl;
	uint64_t bits;
	sigset_t set;
	long sig;

	if (argc == 2)
		return (int)number(argv[1], 255);
	if (argc != 3 || strcmp(argv[1], "-s") != 0) {
		fprintf(stderr, "usage: exitcode N | exitcode -s SIG\n");
		return 99;
	}
	sig = number(argv[2], 64);
	/* Whatever was inherited, the signal must kill: default, unblocked. */
	memset(&dfl, 0, sizeof(dfl));
	syscall(SYS_rt_sigaction, sig, &dfl, NULL, 8);
	memset(&set, 0, sizeof(set));
	bits = (uint64_t)1 << (sig - 1);
	memcpy(&set, &bits, sizeof(bits));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), (int)sig);
	fprintf(stderr, "exitcode: still alive after signal %ld\n", sig);
	return 99;
}
