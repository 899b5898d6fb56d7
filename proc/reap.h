/* reap.h: collect every child that has exited, adopted orphans included. */
#ifndef REINIT_REAP_H
#define REINIT_REAP_H

#include <sys/types.h>

struct reap {
	int main_exited; /* the watched child was among them */
	int main_status; /* its wait status */
	int none_left;   /* no child of any kind remains */
	unsigned count;  /* how many were reaped */
};

/* Waits without blocking until nothing more can be reaped. */
void proc_reap(pid_t main, struct reap *r);

/* The processes already sent the stop signal, so that none gets it twice:
 * for many programs a second SIGTERM means "now, without cleaning up". */
#define PROC_TOLD_MAX 64
struct proc_told {
	int n;
	pid_t pid[PROC_TOLD_MAX];
};

/* Sends sig to every process reinit is responsible for. With everyone set,
 * every process in the PID namespace but reinit (kill(-1)); otherwise its
 * own children (orphans are re-parented to reinit, so these are the
 * descendants that need a word) that told does not hold yet, each then
 * added to it (told may be NULL: every child). Returns how many were
 * signalled, or -errno. */
int proc_signal_all(int sig, int everyone, struct proc_told *told);

#endif
