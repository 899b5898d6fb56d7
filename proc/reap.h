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

/* Sends sig to every process that reinit is responsible for: with pid1 set,
 * every process in the PID namespace; otherwise its own children (orphans
 * are re-parented to a subreaper, so those are its descendants that need a
 * word). Returns how many were signalled, or -errno. */
int proc_signal_all(int sig, int pid1);

#endif
