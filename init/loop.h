/* loop.h: the one poll loop; owns the descriptors and carries out actions. */
#ifndef REINIT_LOOP_H
#define REINIT_LOOP_H

#include <stdint.h>
#include <sys/types.h>

#include "init/hold.h"
#include "init/opts.h"
#include "init/serve.h"
#include "init/sup.h"
#include "proc/reap.h"
#include "proc/spawn.h"

/* A restart asked for this soon after the child was started for changes,
 * with nothing changed since, is the same restart (Tilt's run() step after
 * a sync that already restarted it). */
#define LOOP_SAME_RESTART_MS 2000

struct watch;

/* Who has been told what during one drain (the supervisor's SUP_DRAINING):
 * reset by SUP_DRAIN_BEGIN, written by the signalling code only. */
struct drain {
	msec told_at; /* when the stop signal went out last */
	int swept;         /* kill(-1) has told everyone */
	unsigned pg_done;  /* the old group had: 1 the stop signal, 2 SIGKILL */
	struct proc_told told;
};

/* A map of the loop's state, by who decides and who writes:
 * - sup: the child's life (state, deadlines); written by sup_step only,
 *   which loop.c feeds events and whose actions it carries out.
 * - hold: whether syncs hold restarts; written by hold_step only, fed by
 *   the request channel (srv) and the watcher.
 * - drain: who has been told to go; reset when sup says a drain begins.
 * - the child (child, pgrp, group_told, code, starts): what the last spawn
 *   and reap found.
 * - restart attribution (by_change, change_spawn, restarts, cause): for the
 *   restart line, REINIT_RESTARTS, a repeated --restart, and status.
 * Everything else is set once at start-up (main.c) and read after. */
struct loop {
	const struct opts *o;
	struct sup sup;
	struct hold hold;
	struct drain drain;
	struct serve srv;    /* the request channel; srv.fd < 0 without one */
	struct watch *watch; /* NULL without --watch, --reload or --trigger */
	int mounts;          /* the mount table, to poll while watching, or -1 */
	int pid1;
	int tty;          /* stdin is a terminal reinit hands to the child */
	unsigned skip;    /* bit n: drop the next signal n (the terminal's hand-off) */
	uint64_t mask;    /* the signal mask reinit inherited */
	int chld_ignored; /* SIGCHLD was inherited as ignored */
	pid_t child;      /* 0 when none runs */
	pid_t pgrp;       /* the process group of the child, or of the last one */
	int group_told;   /* the child's whole group has had the stop signal */
	int none_left;    /* the last reap found no child of any kind */
	int code;         /* the exit code to report, before remapping */
	unsigned starts;  /* children started so far */
	msec now;    /* this turn's time, once clock_read */
	int clock_read;   /* now has been read this turn */

	int by_change;          /* the next child starts because of changes */
	msec change_spawn; /* when a child was last started for changes */
	msec restarted_at; /* when the last restart was decided, or 0 */
	const char *cause;      /* what it was for, as its line said, or NULL */
	struct spawn sp;        /* how every child is started */
	/* Where the child starts once reinit has left it for /. A longer
	 * path keeps reinit where it is. Small, next to the options: an idle
	 * init touches as few pages as it can. */
	char cwd[1024];
};

/* Starts the first child unless paused or postponed, then runs until
 * nothing is left. Returns the exit code for the process. */
int loop_run(struct loop *l);

#endif
