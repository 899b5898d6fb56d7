/* loop.c: the one poll loop; owns the descriptors and carries out actions. */
#include "init/loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "init/log.h"
#include "init/wexec.h"
#include "proc/reap.h"
#include "proc/sys.h"
#include "proc/spawn.h"
#include "proc/status.h"
#include "signals/sigfd.h"
#include "signals/signame.h"
#include "watch/watch.h"

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
	struct spawn s = {
		.argv = l->o->argv,
		.extra_env = extra,
		.mask = l->mask,
		.chld_ignored = l->chld_ignored,
		.setsid = l->o->setsid,
		.tty = l->tty,
	};
	int err;
	pid_t pid;

	if (l->watch) {
		char *p = restarts + 16;

		while ((*p++ = *n++))
			;
		extra[0] = restarts;
		extra[1] = watch_changed_env(l->watch);
		wexec_env(l->o, extra[1], extra + 2);
	}
	pid = proc_spawn(&s, &err);
	if (pid < 0) {
		/* No process could be made (out of memory or pids): the same
		 * as a child that failed at once. */
		log_msg(LOG_ERROR, "cannot start '", l->o->argv[0], "': ", log_strerror(-pid));
		l->code = 1;
		sup_spawned(&l->sup, now(l));
		event(l, SUP_EV_EXIT, 0);
		return;
	}
	if (err)
		log_msg(LOG_ERROR, "cannot run '", l->o->argv[0], "': ", log_strerror(err));
	else
		log_msg(LOG_INFO, "started '", l->o->argv[0], "' as pid ", log_num(num, pid));
	l->child = l->pgrp = pid;
	l->none_left = 0;
	sup_spawned(&l->sup, now(l));
	if (l->watch)
		watch_spawned(l->watch);
}

/* Sends sig to the child: to its process group with -g (or when reinit
 * itself is stopping it), else to the child alone. */
static void
to_child(struct loop *l, int sig, int group)
{
	if (l->child > 0 && sig > 0)
		kill(group ? -l->child : l->child, sig);
}

static void
signal_all(struct loop *l, int sig)
{
	int n;

	/* Nobody is left to tell: the last reap said so. */
	if (l->none_left)
		return;
	n = proc_signal_all(sig, l->pid1);

	if (n < 0)
		log_msg(LOG_WARN, "cannot signal the remaining processes: ", log_strerror(-n));
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
		if (l->tty && !l->o->setsid)
			tcsetpgrp(0, getpgrp());
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

	if (a & SUP_FORWARD)
		to_child(l, o->sigmap[sig], o->group);
	if (a & SUP_TERM_CHILD)
		to_child(l, o->stop_signal, 1);
	if (a & SUP_KILL_CHILD) {
		/* The group outlives its leader when what the child started
		 * ignored the stop signal; and the child may have left its
		 * group. Each gets the kill. */
		if (l->pgrp > 0)
			kill(-l->pgrp, SIGKILL);
		to_child(l, SIGKILL, 0);
	}
	if (a & SUP_TERM_ALL)
		signal_all(l, o->stop_signal);
	if (a & SUP_KILL_ALL)
		signal_all(l, SIGKILL);
	if (a & SUP_SPAWN) {
		/* A restart: the old child's pid names no one any more. */
		l->child = 0;
		spawn(l);
	}
	if (a & SUP_CHECK)
		reap(l);
}

/* A restart request from reinit --restart: honoured unless reinit is
 * stopping, and answered either way so the asker need not guess. */
static void
restart_request(struct loop *l, pid_t from)
{
	union sigval v;
	char num[LOG_NUM];
	enum sup_state st = l->sup.state;
	int ok = l->o->argv && (st == SUP_IDLE || st == SUP_RUNNING || st == SUP_RESTARTING);

	if (ok) {
		log_msg(LOG_WARN, "restart: requested by pid ", log_num(num, from));
		event(l, SUP_EV_CHANGE, 0);
	}
	v.sival_int = ok ? LOOP_RESTART_BEGUN : LOOP_RESTART_REFUSED;
	if (from > 0)
		sigqueue(from, SIGCONT, v);
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
	if (sig == SIGCONT && si->ssi_code == SI_QUEUE && si->ssi_int == LOOP_RESTART_ASK) {
		restart_request(l, (pid_t)si->ssi_pid);
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
}

/* The timeout to the nearest deadline in *ts, or NULL for none: then the
 * loop sleeps in one call until something happens. */
static struct timespec *
timeout(struct loop *l, struct timespec *ts)
{
	long long due = l->sup.deadline, ms;

	if (l->watch) {
		long long w = watch_due(l->watch);

		if (w != SUP_NEVER && (due == SUP_NEVER || w < due))
			due = w;
	}
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

	n = ppoll(pfd, pfd[1].fd < 0 ? 1 : 2, tp, 0);
	l->now = -1;
	if (n < 0 && errno != EINTR)
		log_msg(LOG_WARN, "poll: ", log_strerror(errno));
	/* Fewer signals than asked for means none is left. */
	if (n > 0 && pfd[0].revents)
		do
			for (i = 0, n = sigfd_read(l->sigfd, si, 16); i < n; i++)
				on_signal(l, &si[i]);
		while (n == 16);
	if (pfd[1].fd >= 0 && pfd[1].revents)
		watch_read(l->watch, now(l));
	if (watch_tick(l->watch, now(l))) {
		if (l->sup.state == SUP_RUNNING || l->sup.state == SUP_IDLE)
			log_msg(LOG_WARN, l->sup.state == SUP_RUNNING ? "restart: " : "start: ",
				watch_summary(l->watch));
		event(l, SUP_EV_CHANGE, 0);
	}
}

int
loop_run(struct loop *l)
{
	struct timespec ts;

	l->now = -1;
	sup_init(&l->sup, l->o->stop_ms, l->watch ? l->o->on_exit : SUP_ON_EXIT_EXIT);
	if (!l->o->pause && !l->o->postpone)
		spawn(l);
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
