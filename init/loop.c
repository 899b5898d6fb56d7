/* loop.c: the one poll loop; owns the descriptors and carries out actions. */
#include "init/loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "init/ask.h"
#include "init/log.h"
#include "init/wexec.h"
#include "proc/sys.h"
#include "proc/spawn.h"
#include "proc/status.h"
#include "signals/sigfd.h"
#include "signals/signame.h"
#include "watch/watch.h"

/* A start that failed because the file is still being written is tried
 * again at its close, or after this long at the latest. */
#define BUSY_RETRY_MS 1000

/* The time of this turn of the loop, read once and only when needed: a
 * forwarded signal never waits for the clock. */
static long long
now(struct loop *l)
{
	if (l->now < 0)
		l->now = sys_clock_ms(CLOCK_MONOTONIC);
	return l->now;
}

static void event(struct loop *l, enum sup_event ev, int sig);

static void
spawn(struct loop *l)
{
	char num[LOG_NUM], restarts[40] = "REINIT_RESTARTS=";
	const char *extra[5] = {0};
	const char *n = log_num(num, l->starts++);
	const struct opts *o = l->o;
	struct spawn *s = &l->sp;
	int err;
	pid_t pid;

	/* A child started again (a watch, --restart) can tell which start
	 * it is; the first one of a plain init sees nothing of reinit's. */
	if (l->watch || l->starts > 1) {
		char *p = restarts + 16;

		while ((*p++ = *n++))
			;
		extra[0] = restarts;
		if (l->watch)
			extra[1] = watch_changed_env(l->watch);
		wexec_env(o, extra[1], extra + 2);
	}
	s->extra_env = extra;
	pid = proc_spawn(s, &err);
	if (pid < 0) {
		/* No process could be made (out of memory or pids): the same
		 * as a child that failed at once. */
		log_msg(LOG_ERROR, "cannot start '", o->argv[0], "': ", log_strerror(-pid));
		l->code = 1;
		sup_spawned(&l->sup, now(l));
		event(l, SUP_EV_EXIT, 0);
		return;
	}
	l->child = pid;
	l->pgrp = s->same_group ? 0 : pid;
	l->group_told = 0;
	l->none_left = 0;
	sup_spawned(&l->sup, now(l));
	if (l->by_change)
		l->change_spawn = now(l);
	l->by_change = 0;
	if (err == ETXTBSY && l->watch) {
		/* Something still writes the file (a build, a copy): not the
		 * child's exit, so no --on-exit policy applies. Its close is
		 * a change, and that starts it. */
		sys_waitpid(pid, 0, 0);
		l->child = 0;
		l->starts--;
		log_msg(LOG_WARN, "cannot run '", o->argv[0],
			"' yet: it is being written; starting it once it is closed");
		l->sup.state = SUP_IDLE;
		l->sup.deadline = now(l) + BUSY_RETRY_MS;
		return;
	}
	if (err)
		log_msg(LOG_ERROR, "cannot run '", o->argv[0], "': ", log_strerror(err),
			err == ENOEXEC ? " (no #! line, and no /bin/sh to run it with)" : "");
	else
		log_msg(LOG_INFO, "started '", o->argv[0], "' as pid ", log_num(num, pid));
	if (l->watch)
		watch_spawned(l->watch);
}

/* Sends sig to the child: to its process group with -g (or when reinit
 * itself is stopping it), else to the child alone. */
static void
to_child(struct loop *l, int sig, int group)
{
	if (l->child > 0 && sig > 0) {
		group = group && l->pgrp > 0;
		kill(group ? -l->pgrp : l->child, sig);
		l->group_told |= group;
	}
}

/* The stop signal or SIGKILL to whatever the child left behind: as PID 1 at
 * the end, every process; otherwise reinit's own children (orphans come to
 * it as their parents die) and the old child's process group. Returns how
 * many were signalled. */
static int
signal_all(struct loop *l, int sig)
{
	unsigned bit = sig == SIGKILL ? 2 : 1;
	int n;

	/* Nobody is left to tell: the last reap said so. */
	if (l->none_left)
		return 0;
	if (l->pid1 && !l->sup.respawn) {
		/* kill(-1) told them all at once: nobody gets it twice. */
		if (bit == 1 && l->swept)
			return 0;
		l->swept = 1;
		n = proc_signal_all(sig, 1, 0);
	} else {
		if (l->pgrp > 0 && !(l->pg_done & bit)) {
			l->pg_done |= bit;
			kill(-l->pgrp, sig);
		}
		n = proc_signal_all(sig, 0, bit == 1 ? &l->told : 0);
	}
	if (n < 0)
		log_msg(LOG_WARN, "cannot signal the remaining processes: ", log_strerror(-n));
	return n;
}

/* "killed the child 'app' after --stop-timeout: SIGKILL 2000ms after the
 * stop signal": what reinit killed, and which option to change. */
static void
log_kill(struct loop *l, const char *what, const char *name, const char *why)
{
	char ms[LOG_NUM];

	log_msg(LOG_WARN, "killed ", what, name, why, ": SIGKILL ",
		log_num(ms, now(l) - l->told_at), "ms after the stop signal");
}

static void act(struct loop *l, unsigned a, int sig);

static void
event(struct loop *l, enum sup_event ev, int sig)
{
	enum sup_state was = l->sup.state;
	unsigned a = sup_step(&l->sup, ev, now(l));

	if (l->sup.state == SUP_DRAINING && was != SUP_DRAINING) {
		/* A new drain: nobody has been told anything yet. */
		l->told.n = 0;
		l->swept = 0;
		l->pg_done = 0;
		l->told_at = now(l);
	}
	act(l, a, sig);
}

/* Reaps every child that has exited and feeds what happened to the
 * supervisor. */
static void
reap(struct loop *l)
{
	char num[LOG_NUM];
	struct reap r;

	proc_reap(l->child, &r);
	l->none_left = r.none_left;
	if (r.count > (unsigned)r.main_exited && l->o->warn_reap)
		log_msg(LOG_WARN, "reaped ", log_num(num, r.count - (unsigned)r.main_exited),
			" adopted process(es)");
	if (r.main_exited) {
		l->code = status_code(r.main_status);
		l->child = 0;
		/* The terminal comes back to reinit's group with the child's
		 * end, not only with reinit's own. */
		if (l->tty && !l->o->setsid && l->pgrp)
			sys_tcsetpgrp(0, getpgrp());
		log_msg(LOG_INFO, "child exited with status ", log_num(num, l->code));
		event(l, SUP_EV_EXIT, 0);
	}
	if (r.none_left)
		event(l, SUP_EV_EMPTY, 0);
	else if (r.count)
		event(l, SUP_EV_REAPED, 0);
}

static void
act(struct loop *l, unsigned a, int sig)
{
	const struct opts *o = l->o;
	int n;

	if (a & SUP_FORWARD) {
		to_child(l, o->sigmap[sig], o->group);
		l->told_at = now(l);
	}
	if (a & SUP_TERM_CHILD) {
		to_child(l, o->stop_signal, 1);
		l->told_at = now(l);
	}
	if ((a & SUP_KILL_CHILD) && l->child > 0) {
		/* Only what had the stop signal: the rest of the group is
		 * told and given the drain grace once the child is gone. */
		kill(l->group_told ? -l->pgrp : l->child, SIGKILL);
		log_kill(l, "the child '", o->argv[0],
			 l->sup.state == SUP_STOPPING
				 ? "' after --stop-timeout"
				 : "' after --stop-timeout (10s for a restart)");
	}
	if (a & SUP_TERM_ALL)
		signal_all(l, o->stop_signal);
	if ((a & SUP_KILL_ALL) && (n = signal_all(l, SIGKILL)) > 0 && (a & SUP_CHECK)) {
		char num[LOG_NUM];

		log_kill(l, log_num(num, n), " process(es) left behind", " after --drain-timeout");
	}
	if (a & SUP_SPAWN) {
		/* A restart: the old child's pid names no one any more. */
		l->child = 0;
		spawn(l);
	}
	if (a & SUP_EXIT && l->sup.no_drain && o->personality == PERS_DUMB && o->setsid)
		/* dumb-init's last word to the child's session. */
		kill(-l->pgrp, SIGTERM);
	if (a & SUP_CHECK)
		reap(l);
}

/* A change (files, a sync, or a request) restarts the child, or starts it
 * when none runs. */
static void
change(struct loop *l, const char *what)
{
	enum sup_state st = l->sup.state;

	if (st == SUP_RUNNING || st == SUP_IDLE)
		log_msg(LOG_WARN, st == SUP_RUNNING ? "restart: " : "start: ", what);
	l->by_change = l->watch != 0;
	event(l, SUP_EV_CHANGE, 0);
}

/* A restart request from reinit --restart: honoured unless reinit is
 * stopping, and answered either way so the asker need not guess. */
static void answer(pid_t to, int what);

static void
restart_request(struct loop *l, pid_t from)
{
	char num[LOG_NUM];
	enum sup_state st = l->sup.state;
	int ok = l->o->argv && (st == SUP_IDLE || st == SUP_RUNNING || st == SUP_RESTARTING ||
				(st == SUP_DRAINING && l->sup.respawn));

	if (ok && l->watch && st == SUP_RUNNING && !l->nheld && !watch_flush(l->watch, 0) &&
	    l->change_spawn && now(l) - l->change_spawn < LOOP_SAME_RESTART_MS) {
		log_msg(LOG_INFO, "restart: already done for these changes");
	} else if (ok) {
		log_msg(LOG_WARN, "restart: requested by pid ", log_num(num, from));
		l->by_change = 0;
		event(l, SUP_EV_CHANGE, 0);
	}
	answer(from, ok ? ASK_BEGUN : ASK_REFUSED);
}

/* The last hold is gone: what changed meanwhile restarts the child now, with
 * no debounce, since the writer said it is done. */
static void
release(struct loop *l)
{
	l->linger = SUP_NEVER;
	if (watch_fd(l->watch) >= 0)
		watch_read(l->watch, now(l));
	if (watch_flush(l->watch, 1) || l->held_change) {
		l->held_change = 0;
		change(l, watch_summary(l->watch));
	}
}

/* Answers a process of this very binary (the sender pid in a queued signal
 * is whatever the sender wrote: no other process is ever signalled). */
static void
answer(pid_t to, int what)
{
	if (to > 0 && ask_same_binary(to) == 1)
		ask_send(to, what);
}

/* A sync's built-in tar or rm holds restarts while it writes; the hold is
 * answered, taken or not, so that the sync never waits for nothing. */
static void
hold(struct loop *l, int what, pid_t from)
{
	int i;

	for (i = 0; i < l->nheld && l->holder[i] != from; i++)
		;
	if (what == ASK_HOLD) {
		if (l->watch && i == l->nheld && l->nheld < LOOP_MAX_HOLDERS &&
		    ask_same_binary(from) == 1) {
			l->holder[l->nheld++] = from;
			l->linger = SUP_NEVER;
			if (l->hold_check == SUP_NEVER)
				l->hold_check = now(l) + LOOP_HOLD_CHECK_MS;
		}
		answer(from, ASK_BEGUN);
		return;
	}
	if (i == l->nheld)
		return;
	l->holder[i] = l->holder[--l->nheld];
	if (l->nheld)
		return;
	l->hold_check = SUP_NEVER;
	if (what != ASK_RELEASE)
		l->linger = now(l) + (what == ASK_RELEASE_NEXT ? LOOP_NEXT_MS : LOOP_LINGER_MS);
	else
		release(l);
}

/* Holders that died without letting go (a killed tar) let go now. */
static void
check_holders(struct loop *l)
{
	int i;

	for (i = l->nheld - 1; i >= 0; i--)
		if (kill(l->holder[i], 0) < 0 && errno == ESRCH) {
			log_msg(LOG_WARN, "a sync ended without saying so: its changes count now");
			hold(l, ASK_RELEASE, l->holder[i]);
		}
	l->hold_check = l->nheld ? now(l) + LOOP_HOLD_CHECK_MS : SUP_NEVER;
}

static void
on_signal(struct loop *l, const struct signalfd_siginfo *si)
{
	const struct opts *o = l->o;
	int sig = (int)si->ssi_signo;
	char name[SIGNAME_BUF];

	if (sig == SIGCHLD) {
		reap(l);
		return;
	}
	if (l->skip & (1u << sig)) {
		l->skip &= ~(1u << sig);
		return;
	}
	if (sig == ASK_SIG && si->ssi_code == SI_QUEUE &&
	    (unsigned)(si->ssi_int - ASK_RESTART) <= ASK_LAST - ASK_RESTART) {
		if (si->ssi_int == ASK_RESTART)
			restart_request(l, (pid_t)si->ssi_pid);
		else if (si->ssi_int >= ASK_HOLD)
			hold(l, si->ssi_int, (pid_t)si->ssi_pid);
		return;
	}
	if (sig == SIGTERM || sig == o->stop_signal || (o->pause && sig == SIGINT)) {
		log_msg(LOG_INFO, "stopping on ", signame_str(sig, name));
		/* Stopped while no child ran: a clean stop, whatever the last
		 * child did. */
		if (l->sup.state == SUP_IDLE)
			l->code = 0;
		event(l, SUP_EV_STOP, sig);
		return;
	}
	to_child(l, o->sigmap[sig], o->group);
	if (log_level >= LOG_DEBUG)
		log_msg(LOG_DEBUG, "forwarded ", signame_str(sig, name));
	/* dumb-init stops itself after passing on a job-control stop, so
	 * that the shell that started it gets its prompt back. */
	if (o->personality == PERS_DUMB && (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU))
		kill(getpid(), SIGSTOP);
}

static long long
sooner(long long a, long long b)
{
	return a == SUP_NEVER || (b != SUP_NEVER && b < a) ? b : a;
}

/* The timeout to the nearest deadline in *ts, or NULL for none: then the
 * loop sleeps in one call until something happens. */
static struct timespec *
timeout(struct loop *l, struct timespec *ts)
{
	long long due = l->sup.deadline, ms;

	if (l->watch)
		due = sooner(sooner(sooner(due, watch_due(l->watch)), l->linger), l->hold_check);
	if (due == SUP_NEVER)
		return 0;
	ms = due > now(l) ? due - now(l) : 0;
	ts->tv_sec = ms / 1000;
	ts->tv_nsec = (ms % 1000) * 1000000;
	return ts;
}

/* Signals are all there is to wait for: one call takes one, and a
 * forwarded signal costs that call and the kill, as in dumb-init. */
static void
take_signal(struct loop *l, const struct timespec *tp)
{
	struct signalfd_siginfo si;
	int n = sigfd_wait(&si, tp);

	l->now = -1;
	if (n > 0)
		on_signal(l, &si);
	else if (n < 0)
		log_msg(LOG_WARN, "sigtimedwait: ", log_strerror(-n));
}

/* Signals and inotify events together, through a signalfd. */
static void
poll_all(struct loop *l, const struct timespec *tp)
{
	struct signalfd_siginfo si[16];
	struct pollfd pfd[2] = {{l->sigfd, POLLIN, 0}, {watch_fd(l->watch), POLLIN, 0}};
	int n, i;

	/* Direct: libc's converts the timeout for old ABIs. The kernel
	 * writes the time left into *tp, which is this turn's own. */
	n = (int)syscall(SYS_ppoll, pfd, pfd[1].fd < 0 ? 1 : 2, tp, (void *)0, 8L);
	l->now = -1;
	if (n < 0 && errno != EINTR)
		log_msg(LOG_WARN, "poll: ", log_strerror(errno));
	/* Signals first: a sync's hold is always seen before the events of
	 * the files it writes. Fewer signals than asked for means none is
	 * left. */
	if (n > 0 && pfd[0].revents)
		do
			for (i = 0, n = sigfd_read(l->sigfd, si, 16); i < n; i++)
				on_signal(l, &si[i]);
		while (n == 16);
	if (pfd[1].fd >= 0 && pfd[1].revents)
		watch_read(l->watch, now(l));
	if (l->hold_check != SUP_NEVER && now(l) >= l->hold_check)
		check_holders(l);
	if (l->linger != SUP_NEVER && now(l) >= l->linger)
		release(l);
	if (watch_tick(l->watch, now(l))) {
		if (l->nheld || l->linger != SUP_NEVER)
			l->held_change = 1;
		else
			change(l, watch_summary(l->watch));
	}
}

int
loop_run(struct loop *l)
{
	const struct opts *o = l->o;
	struct sup_graces g = {o->stop_ms, o->stop_ms < 0 ? OPTS_RESTART_MS : o->stop_ms,
			       o->drain_ms};
	struct timespec ts;

	l->now = -1;
	l->linger = l->hold_check = SUP_NEVER;
	l->sp.argv = o->argv;
	l->sp.mask = l->mask;
	l->sp.chld_ignored = l->chld_ignored;
	l->sp.setsid = o->setsid;
	l->sp.tty = l->tty;
	l->sp.cwd = l->cwd;
	if (o->personality == PERS_DUMB) {
		l->sp.same_group = !o->setsid;
		l->sp.default_sigs = 1;
		l->sp.exec_code = 2;
	}
	sup_init(&l->sup, &g, l->watch ? o->on_exit : SUP_ON_EXIT_EXIT);
	/* Not PID 1, tini and dumb-init end with the child and leave the rest
	 * to whoever started them; as PID 1 the rest would die of the
	 * kernel's SIGKILL, so reinit gives it the grace under any name. */
	l->sup.no_drain = o->personality != PERS_REINIT && !l->pid1;
	if (!o->pause && !o->postpone)
		spawn(l);
	/* The init holds no directory busy (dumb-init's habit); a watching
	 * reinit starts its child again, so it keeps where it started. */
	if (!l->watch && o->argv && sys_getcwd(l->cwd, sizeof(l->cwd)) > 0)
		(void)!chdir("/");
	while (l->sup.state != SUP_DONE) {
		if (l->watch)
			poll_all(l, timeout(l, &ts));
		else
			take_signal(l, timeout(l, &ts));
		if (l->sup.deadline != SUP_NEVER && now(l) >= l->sup.deadline)
			event(l, SUP_EV_TIMER, 0);
	}
	return l->code;
}
