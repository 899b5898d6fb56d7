/* loop.h: the one poll loop; owns the descriptors and carries out actions. */
#ifndef REINIT_LOOP_H
#define REINIT_LOOP_H

#include <stdint.h>
#include <sys/types.h>

#include "init/opts.h"
#include "init/sup.h"

/* A restart request is SIGCONT sent with sigqueue() and this value; the
 * answer goes back to the sender the same way. */
#define LOOP_RESTART_ASK     0x72656e74 /* "rent" */
#define LOOP_RESTART_BEGUN   0x72656e75
#define LOOP_RESTART_REFUSED 0x72656e76

struct watch;

struct loop {
	const struct opts *o;
	struct sup sup;
	struct watch *watch; /* NULL without --watch or --trigger */
	int sigfd;
	int pid1;
	int tty;          /* stdin is a terminal reinit hands to the child */
	uint64_t mask;    /* the signal mask reinit inherited */
	int chld_ignored; /* SIGCHLD was inherited as ignored */
	pid_t child;      /* 0 when none runs */
	pid_t pgrp;       /* the process group of the child, or of the last one */
	int none_left;    /* the last reap found no child of any kind */
	int code;         /* the exit code to report, before remapping */
	unsigned starts;  /* children started so far */
	long long now;    /* this turn's time, or -1 until it is needed */
};

/* Starts the first child unless paused or postponed, then runs until
 * nothing is left. Returns the exit code for the process. */
int loop_run(struct loop *l);

#endif
