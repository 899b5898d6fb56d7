/* loop.h: the one poll loop; owns the descriptors and carries out actions. */
#ifndef REINIT_LOOP_H
#define REINIT_LOOP_H

#include <stdint.h>
#include <sys/types.h>

#include "init/opts.h"
#include "init/sup.h"
#include "proc/reap.h"
#include "proc/spawn.h"

/* A sync step that says another may follow (Skaffold's tar, whose rm comes
 * when files were deleted) holds restarts this much longer: a new exec
 * through the API server and the kubelet takes tens to hundreds of
 * milliseconds. One that says another follows (Tilt's rm, always followed
 * by its tar) holds them until that one ends, or LOOP_NEXT_MS at most. */
#define LOOP_LINGER_MS 1000
#define LOOP_NEXT_MS   10000
/* The holders of a hold are checked this often: one that died mid-sync
 * (a killed tar) lets go within this time. */
#define LOOP_HOLD_CHECK_MS 1000
/* A restart asked for this soon after the child was started for changes,
 * with nothing changed since, is the same restart (Tilt's run() step after
 * a sync that already restarted it). */
#define LOOP_SAME_RESTART_MS 2000
#define LOOP_MAX_HOLDERS     4

struct watch;

struct loop {
	const struct opts *o;
	struct sup sup;
	struct watch *watch; /* NULL without --watch or --trigger */
	int sigfd;
	int pid1;
	int tty;           /* stdin is a terminal reinit hands to the child */
	unsigned skip;     /* bit n: drop the next signal n (the terminal's hand-off) */
	uint64_t mask;     /* the signal mask reinit inherited */
	int chld_ignored;  /* SIGCHLD was inherited as ignored */
	pid_t child;       /* 0 when none runs */
	pid_t pgrp;        /* the process group of the child, or of the last one */
	int group_told;    /* the child's whole group has had the stop signal */
	int none_left;     /* the last reap found no child of any kind */
	int code;          /* the exit code to report, before remapping */
	unsigned starts;   /* children started so far */
	long long now;     /* this turn's time, or -1 until it is needed */
	long long told_at; /* when the stop signal went out last */
	int swept;         /* kill(-1) has told everyone during this drain */
	unsigned pg_done;  /* the old group had: 1 the stop signal, 2 SIGKILL */
	struct proc_told told;

	/* Restarts held by syncs (the built-in tar and rm). */
	pid_t holder[LOOP_MAX_HOLDERS];
	int nheld;
	long long linger;       /* held until then, or SUP_NEVER */
	long long hold_check;   /* the holders are checked then, or SUP_NEVER */
	int held_change;        /* a restart came due while held */
	int by_change;          /* the next child starts because of changes */
	long long change_spawn; /* when a child was last started for changes */
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
