/* loop.c: the one poll loop; owns the descriptors and carries out actions. */
#include "init/loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "init/chan.h"
#include "init/log.h"
#include "init/report.h"
#include "init/wexec.h"
#include "proc/sys.h"
#include "proc/spawn.h"
#include "proc/status.h"
#include "signals/sigfd.h"
#include "signals/signame.h"
#include "watch/watch.h"

/* The time of this turn of the loop, read once and only when needed: a
 * forwarded signal never waits for the clock. */
static msec
now(struct loop *l)
{
	if (!l->clock_read) {
		l->now = sys_clock_ms(CLOCK_MONOTONIC);
		l->clock_read = 1;
	}
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
		char *p = restarts + sizeof("REINIT_RESTARTS=") - 1;

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
		l->pgrp = 0;
		event(l, SUP_EV_STARTED, 0);
		event(l, SUP_EV_EXIT, 0);
		return;
	}
	l->child = pid;
	l->pgrp = s->same_group ? 0 : pid;
	l->group_told = 0;
	l->none_left = 0;
	event(l, SUP_EV_STARTED, 0);
	if (l->by_change)
		l->change_spawn = now(l);
	l->by_change = 0;
	if (err == ETXTBSY && l->watch) {
		/* Something still writes the file (a build, a copy): its
		 * close is a change, and that starts it. */
		sys_waitpid(pid, 0, 0);
		l->child = 0;
		l->starts--;
		log_msg(LOG_WARN, "cannot run '", o->argv[0],
			"' yet: it is being written; starting it once it is closed");
		event(l, SUP_EV_BUSY, 0);
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
		sys_kill(group ? -l->pgrp : l->child, sig);
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
		if (bit == 1 && l->drain.swept)
			return 0;
		l->drain.swept = 1;
		n = proc_signal_all(sig, 1, 0);
	} else {
		if (l->pgrp > 0 && !(l->drain.pg_done & bit)) {
			l->drain.pg_done |= bit;
			sys_kill(-l->pgrp, sig);
		}
		n = proc_signal_all(sig, 0, bit == 1 ? &l->drain.told : 0);
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
		log_num(ms, now(l) - l->drain.told_at), "ms after the stop signal");
}

static void act(struct loop *l, unsigned a, int sig);

static void
event(struct loop *l, enum sup_event ev, int sig)
{
	act(l, sup_step(&l->sup, ev, now(l)), sig);
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
		l->drain.told_at = now(l);
	}
	if (a & SUP_TERM_CHILD) {
		to_child(l, o->stop_signal, 1);
		l->drain.told_at = now(l);
	}
	if ((a & SUP_KILL_CHILD) && l->child > 0) {
		/* Only what had the stop signal: the rest of the group is
		 * told and given the drain grace once the child is gone. */
		sys_kill(l->group_told ? -l->pgrp : l->child, SIGKILL);
		log_kill(l, "the child '", o->argv[0],
			 l->sup.state == SUP_STOPPING
				 ? "' after --stop-timeout"
				 : "' after --stop-timeout (10s for a restart)");
	}
	if (a & SUP_DRAIN_BEGIN) {
		/* Nobody has been told anything yet in this drain. */
		l->drain.told.n = 0;
		l->drain.swept = 0;
		l->drain.pg_done = 0;
		l->drain.told_at = now(l);
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
	if (a & SUP_EXIT && l->sup.no_drain && o->personality == PERS_DUMB && o->setsid &&
	    l->pgrp > 0)
		/* dumb-init's last word to the child's session (none when no
		 * child could be made: -0 would be reinit's own group). */
		sys_kill(-l->pgrp, SIGTERM);
	if (a & SUP_CHECK)
		reap(l);
}

/* A change restarts the child, or starts it when none runs: files (a
 * sync's among them), or a request (files 0). */
static void
change(struct loop *l, const char *what, int files)
{
	/* Out of struct loop, which an idle init keeps in one page. */
	static char cause[160];
	enum sup_state st = l->sup.state;
	char *p = cause, *e = cause + sizeof(cause) - 1;

	if (st == SUP_RUNNING || st == SUP_IDLE)
		log_msg(LOG_WARN, st == SUP_RUNNING ? "restart: " : "start: ", what);
	while (p < e && *what)
		*p++ = *what++;
	*p = 0;
	l->cause = cause;
	l->restarted_at = now(l);
	l->by_change = files;
	event(l, SUP_EV_CHANGE, 0);
}

/* Changes came due: under --reload roots alone, the reload signal (or a
 * line, when no child runs); else a restart. */
static void
due(struct loop *l)
{
	char name[SIGNAME_BUF];
	const char *what = watch_summary(l->watch);
	enum sup_state st = l->sup.state;

	/* The first change starts a postponed child, whatever it is. */
	if (!watch_reloads(l->watch) || !l->starts) {
		change(l, what, 1);
		return;
	}
	/* A restart under way reads the new files anyway. */
	if (st != SUP_RUNNING && st != SUP_IDLE)
		return;
	log_msg(LOG_WARN, "reload (", signame_str(l->o->reload_signal, name), "): ",
		st == SUP_RUNNING ? "" : "no child to signal: ", what);
	to_child(l, l->o->reload_signal, l->o->group);
	watch_spawned(l->watch);
}

/* What a sync's hold decides, carried out. */
static void
hold_event(struct loop *l, enum hold_event ev)
{
	unsigned a;

	if (!l->watch)
		return;
	a = hold_step(&l->hold, ev, now(l));
	if (a & HOLD_SAY_CUT)
		log_msg(LOG_WARN, "a sync ended without saying so: its changes count now");
	if (a & HOLD_SAY_STALL)
		log_msg(LOG_WARN, "a sync has not moved for 5s: its changes count now");
	/* The writer said it is done: what it wrote counts now, debounced
	 * or not. Its last events may wait unread behind its word. */
	if ((a & HOLD_FLUSH) && watch_fd(l->watch) >= 0)
		watch_read(l->watch, now(l));
	if ((a & HOLD_RESTART) || ((a & HOLD_FLUSH) && watch_flush(l->watch, 1)))
		due(l);
}

/* --restart: honoured unless reinit is stopping, and answered either way
 * so the asker need not guess. */
static void
restart_request(struct loop *l, int i)
{
	char num[LOG_NUM];
	enum sup_state st = l->sup.state;
	int ok = l->o->argv && (st == SUP_IDLE || st == SUP_RUNNING || st == SUP_RESTARTING ||
				(st == SUP_DRAINING && l->sup.respawn));
	char answer = ok ? CHAN_BEGUN : CHAN_REFUSED;

	if (ok && l->watch && st == SUP_RUNNING && !hold_held(&l->hold, now(l)) &&
	    !watch_flush(l->watch, 0) && l->change_spawn &&
	    now(l) - l->change_spawn < LOOP_SAME_RESTART_MS) {
		log_msg(LOG_INFO, "restart: already done for these changes");
	} else if (ok) {
		char why[48] = "requested by pid ", *p = why + sizeof("requested by pid ") - 1;
		const char *n = log_num(num, l->srv.c[i].pid);

		while ((*p++ = *n++))
			;
		change(l, why, 0);
	}
	serve_send(&l->srv, i, &answer, 1);
}

/* Every request waiting on connection i, carried out; the connection is
 * closed once it is done with. */
static void
requests(struct loop *l, int i)
{
	struct serve_conn *k = &l->srv.c[i];
	/* Not on the stack: the loop's frames are the idle init's stack,
	 * and a page more of it is a page more of Pss. */
	static char text[2048];
	char yes = CHAN_BEGUN;
	int c;

	while ((c = serve_request(&l->srv, i)) >= 0) {
		if (c == CHAN_HOLD && !k->holds) {
			k->holds = 1;
			k->since = now(l);
			hold_event(l, HOLD_EV_BEGIN);
			serve_send(&l->srv, i, &yes, 1);
			continue;
		}
		if (c == CHAN_PROGRESS && k->holds) {
			hold_event(l, HOLD_EV_PROGRESS);
			continue;
		}
		if (c == CHAN_RESTART)
			restart_request(l, i);
		else if (c == CHAN_STATUS)
			serve_send(&l->srv, i, text, report_status(l, now(l), text, sizeof(text)));
		if (k->holds)
			hold_event(l, c == CHAN_DONE   ? HOLD_EV_DONE
				      : c == CHAN_MORE ? HOLD_EV_MORE
						       : HOLD_EV_CUT);
		serve_close(&l->srv, i);
		return;
	}
}

/* The request channel or inotify raised SIGIO: every connection waiting
 * is taken and every request waiting carried out, then every inotify
 * event read (one SIGIO stands for any number of them). Requests first,
 * so that a sync's hold is taken before the events of the files it
 * writes, and its end seen with them. The newest connection first, as
 * requests() may close one and move the last into its place. */
static void
io_ready(struct loop *l)
{
	int i;

	serve_accept(&l->srv);
	for (i = l->srv.n - 1; i >= 0; i--)
		requests(l, i);
	if (l->watch && watch_fd(l->watch) >= 0) {
		watch_read(l->watch, now(l));
		if (watch_flush(l->watch, 0))
			hold_event(l, HOLD_EV_FILES);
	}
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
	/* The kernel's, for the channel or inotify (si_code > 0: no process
	 * can send that); a SIGIO that someone sent is forwarded as any
	 * signal. One pending SIGIO stands for both, as a second one is
	 * dropped while the first waits: the channel and inotify are looked
	 * at on every SIGIO. */
	if (sig == SIGIO) {
		io_ready(l);
		if ((int)si->ssi_code > 0)
			return;
	}
	if (sig < 32 && l->skip & (1u << sig)) {
		l->skip &= ~(1u << sig);
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
		sys_kill(getpid(), SIGSTOP);
}

/* The timeout to the nearest deadline in *ts, or NULL for none: then the
 * loop sleeps in one call until something happens. */
static struct timespec *
timeout(struct loop *l, struct timespec *ts)
{
	msec due = clock_sooner(l->sup.deadline, l->hold.deadline), ms;

	if (l->watch)
		due = clock_sooner(due, watch_due(l->watch));
	if (due == NEVER)
		return 0;
	ms = due > now(l) ? due - now(l) : 0;
	ts->tv_sec = ms / 1000;
	ts->tv_nsec = (ms % 1000) * 1000000;
	return ts;
}

/* One turn: one signal taken, or a deadline passed; then the watcher's
 * and the holds' deadlines. Signals are all there is to wait for: the
 * request channel and inotify raise SIGIO, so an idle reinit sleeps in one
 * call with no timeout, and a forwarded signal costs that call and the
 * kill, as in dumb-init. */
static void
turn(struct loop *l, const struct timespec *tp)
{
	struct signalfd_siginfo si;
	int mounted = 0, n = sigfd_wait(&si, tp, l->mounts, &mounted);

	l->clock_read = 0;
	if (mounted)
		watch_mounts(l->watch, now(l));
	if (n > 0)
		on_signal(l, &si);
	else if (n < 0)
		log_msg(LOG_WARN, "sigtimedwait: ", log_strerror(-n));
	/* Woken with nothing to do and no deadline (a debugger attaching
	 * interrupts the wait): an idle init stays without a system call. */
	if (!l->watch || (n == 0 && !tp))
		return;
	if (l->hold.deadline != NEVER && now(l) >= l->hold.deadline)
		hold_event(l, HOLD_EV_TIMER);
	if (watch_tick(l->watch, now(l)))
		hold_event(l, HOLD_EV_DUE);
}

int
loop_run(struct loop *l)
{
	const struct opts *o = l->o;
	struct sup_graces g = {o->stop_ms, o->stop_ms < 0 ? OPTS_RESTART_MS : o->stop_ms,
			       o->drain_ms};
	struct timespec ts;

	hold_init(&l->hold);
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
	/* Not PID 1, tini and dumb-init end with the child and leave the rest
	 * to whoever started them; as PID 1 the rest would die of the
	 * kernel's SIGKILL, so reinit gives it the grace under any name. */
	sup_init(&l->sup, &g, l->watch ? o->on_exit : SUP_ON_EXIT_EXIT,
		 o->personality != PERS_REINIT && !l->pid1);
	if (!o->pause && !o->postpone)
		spawn(l);
	/* The init holds no directory busy (dumb-init's habit); a watching
	 * reinit starts its child again, so it keeps where it started. */
	if (!l->watch && o->argv && sys_getcwd(l->cwd, sizeof(l->cwd)) > 0)
		(void)!chdir("/");
	while (l->sup.state != SUP_DONE) {
		turn(l, timeout(l, &ts));
		if (l->sup.deadline != NEVER && now(l) >= l->sup.deadline)
			event(l, SUP_EV_TIMER, 0);
	}
	return l->code;
}
