/* sigecho: print "ready", then the number of every signal received, one per line. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The kernel's struct sigaction, for the signals musl will not touch. */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

static void
usage(void)
{
	fprintf(stderr, "usage: sigecho [--pgrp] [--mask | [--fork] "
			"[--exit-on-term]]\n");
	exit(2);
}

/*
 * musl's sigaddset() and sigaction() refuse signals 32 to 34, which it keeps
 * for its own use, but the kernel delivers them and reinit must forward them.
 * So the set is built as the kernel's 64-bit word and the signals are read
 * from a signalfd: blocked signals also cannot stop us (SIGTSTP) or kill us.
 */
static void
catch_all(sigset_t *set)
{
	struct ksigaction dfl;
	uint64_t bits = 0;
	int sig;

	memset(set, 0, sizeof(*set));
	memset(&dfl, 0, sizeof(dfl));
	for (sig = 1; sig <= 64; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		bits |= (uint64_t)1 << (sig - 1);
		/* An inherited SIG_IGN would discard the signal even while
		 * blocked: every disposition goes back to the default. */
		syscall(SYS_rt_sigaction, sig, &dfl, NULL, 8);
	}
	memcpy(set, &bits, sizeof(bits));
	if (sigprocmask(SIG_BLOCK, set, NULL) == -1) {
		perror("sigecho: sigprocmask");
		exit(1);
	}
}

static void
print_status_line(const char *field, const char *label)
{
	char line[256];
	size_t n = strlen(field);
	FILE *f;

	f = fopen("/proc/self/status", "r");
	if (f == NULL) {
		perror("sigecho: /proc/self/status");
		exit(1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, field, n) == 0 && line[n] == ':') {
			printf("%s %s", label, line + n + 1 + strspn(line + n + 1,
			    " \t"));
			fclose(f);
			return;
		}
	}
	fprintf(stderr, "sigecho: no %s in /proc/self/status\n", field);
	exit(1);
}

static void
echo_loop(const sigset_t *set, const char *prefix, int exit_on_term)
{
	struct signalfd_siginfo si[16];
	ssize_t n;
	int fd, i;

	fd = signalfd(-1, set, SFD_CLOEXEC);
	if (fd == -1) {
		perror("sigecho: signalfd");
		exit(1);
	}
	printf("%sready\n", prefix);
	fflush(stdout);
	for (;;) {
		n = read(fd, si, sizeof(si));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror("sigecho: read");
			exit(1);
		}
		for (i = 0; i < n / (ssize_t)sizeof(si[0]); i++) {
			if (exit_on_term && si[i].ssi_signo == SIGTERM) {
				printf("%sterm\n", prefix);
				fflush(stdout);
				exit(0);
			}
			printf("%s%u\n", prefix, si[i].ssi_signo);
			fflush(stdout);
		}
	}
}

int
main(int argc, char **argv)
{
	int pgrp = 0, mask = 0, fork_child = 0, exit_on_term = 0;
	sigset_t set;
	pid_t pid;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--pgrp") == 0)
			pgrp = 1;
		else if (strcmp(argv[i], "--mask") == 0)
			mask = 1;
		else if (strcmp(argv[i], "--fork") == 0)
			fork_child = 1;
		else if (strcmp(argv[i], "--exit-on-term") == 0)
			exit_on_term = 1;
		else
			usage();
	}
	if (pgrp) {
		printf("pgid %d sid %d pid %d\n", (int)getpgrp(), (int)getsid(0),
		    (int)getpid());
		fflush(stdout);
	}
	if (mask) {
		print_status_line("SigBlk", "mask");
		print_status_line("SigIgn", "ign");
		return 0;
	}
	catch_all(&set);
	if (fork_child) {
		/* A second echoer in the same process group, its lines
		 * prefixed "child ", for the tests of group forwarding. */
		pid = fork();
		if (pid == -1) {
			perror("sigecho: fork");
			return 1;
		}
		if (pid == 0)
			echo_loop(&set, "child ", exit_on_term);
	}
	echo_loop(&set, "", exit_on_term);
	return 0;
}
