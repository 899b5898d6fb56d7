/* main.c: parse, set up, run the loop, exit with the child's status. */
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/log.h"
#include "init/loop.h"
#include "init/serve.h"
#include "init/opts.h"
#include "init/ask.h"
#include "init/chan.h"
#include "proc/shown.h"
#include "init/tool.h"
#include "proc/sys.h"
#include "signals/sigfd.h"
#include "watch/watch.h"

extern char **environ;

/* Short: every byte counts against the budget; the README has the rest. */
static const char usage[] =
	"usage: reinit [options] [--] command [args...]   reinit -P|-R|-h|-V|status\n"
	" -g --group  -s --subreaper  -p --pdeathsig SIG  -e --remap-exit CODE\n"
	" -r --rewrite FROM:TO  -t --stop-timeout DUR (none)  --drain-timeout DUR (2s)\n"
	" --stop-signal SIG  -P --pause  -v -q  -R --restart\n"
	" -w --watch DIR  -i --ignore GLOB  --ignore-file F  --no-default-ignores\n"
	" --reload DIR  --reload-signal SIG (HUP)\n"
	" -x --exts LIST  --trigger F  -d --debounce DUR (10ms)  --debounce-max DUR\n"
	" --on-exit wait|exit|restart  --postpone  --poll DUR\n"
	"Each has a variable: -t is REINIT_STOP_TIMEOUT.\n";

static const char license[] =
	"reinit is free software under the MIT license; see the LICENSE file.\n";

/* A line from the watcher: its parts up to a NULL, at most 8. */
static void
watch_log(int level, const char *const *m)
{
	const char *p[8] = {0};
	int i;

	for (i = 0; i < 8 && m[i]; i++)
		p[i] = m[i];
	log_msg(level, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
}

static const char *
pattern_error(int r)
{
	return r == -ENOSPC ? "': too many patterns" : "': it can never match";
}

/* Reads gitignore-style lines from path into m. 0, or the exit code after
 * saying why: 1 when it cannot be read, 2 for an invalid pattern. */
static int
read_ignore_file(struct match_set *m, const char *path)
{
	char buf[8192], num[LOG_NUM];
	size_t len = 0, start, i, line = 1;
	struct stat st;
	ssize_t n = 0;
	int fd, r = 0;

	/* Without O_NONBLOCK a FIFO would hold the start-up until some
	 * writer came, SIGTERM or not. */
	if ((fd = sys_open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		log_msg(LOG_ERROR, "cannot read --ignore-file '", path, "': ", log_strerror(-fd));
		return 1;
	}
	if (sys_stat(fd, "", &st, AT_EMPTY_PATH) < 0 || !S_ISREG(st.st_mode)) {
		sys_close(fd);
		log_msg(LOG_ERROR, "cannot read --ignore-file '", path, "': not a regular file");
		return 1;
	}
	while (len < sizeof(buf) && (n = sys_read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	sys_close(fd);
	if (n < 0 || len == sizeof(buf)) {
		log_msg(LOG_ERROR, "cannot read --ignore-file '", path,
			"': ", n < 0 ? log_strerror((int)-n) : "larger than 8 KiB");
		return 1;
	}
	for (start = i = 0; i <= len; i++)
		if (i == len || buf[i] == '\n') {
			if ((r = match_add(m, buf + start, i - start)) < 0) {
				buf[i] = 0;
				log_msg(LOG_ERROR, "invalid pattern in --ignore-file '", path,
					"' line ", log_num(num, (long long)line), ": '",
					buf + start, pattern_error(r));
				return 2;
			}
			start = i + 1;
			line++;
		}
	return 0;
}

/* --watch and friends as the watcher wants them. NULL after saying why,
 * with the exit code in *code: 2 for an invalid pattern (a usage error), 1
 * for a set-up step that failed. */
static struct watch *
open_watch(const struct opts *o, int *code)
{
	static struct match_set ignores;
	struct watch_cfg c = {
		.roots = o->watch,
		.nroots = o->nwatch,
		.nreload = o->nreload,
		.ignores = &ignores,
		.exts = o->exts,
		.trigger = o->trigger,
		.debounce_ms = o->debounce_ms,
		.debounce_max_ms = o->debounce_max_ms,
		.poll_ms = o->poll_ms,
		.log = watch_log,
	};
	int i, r = 0;

	if (!o->no_default_ignores)
		watch_default_ignores(&ignores);
	for (i = 0; i < o->nignore; i++)
		if ((r = match_add(&ignores, o->ignore[i].s, o->ignore[i].len)) < 0) {
			char p[80];
			size_t n = o->ignore[i].len < 79 ? o->ignore[i].len : 79;

			p[shown_copy(p, o->ignore[i].s, n)] = 0;
			log_msg(LOG_ERROR, "invalid --ignore pattern '", p, pattern_error(r));
			*code = 2;
			return 0;
		}
	if (o->ignore_file && (*code = read_ignore_file(&ignores, o->ignore_file)))
		return 0;
	*code = 1;
	return watch_open(&c);
}

/* The one place that turns a failed set-up step into an exit. */
static int
fatal(const char *what, int err)
{
	log_msg(LOG_ERROR, "fatal: unable to ", what, ": ", log_strerror(err));
	return 1;
}

/* The terminal and the signals the child may see: which stdin reinit
 * hands to the child, what the hand-off makes the kernel send, and what
 * tini as PID 1 never passes on. */
static void
terminal_and_signals(struct loop *l, struct opts *o)
{
	struct winsize ws;
	int pg;

	/* Is stdin a terminal (isatty) whose foreground group is reinit's
	 * (tcgetpgrp), or one that the child's new session takes? */
	l->tty = !sys_ioctl(0, TIOCGWINSZ, &ws) &&
		 (o->setsid || (!sys_ioctl(0, TIOCGPGRP, &pg) && pg == getpgrp()));
	/* dumb-init gives up its terminal so that the child's new session
	 * can take it; a session leader that does so gets SIGHUP and SIGCONT
	 * from the kernel, which are not the child's to see. */
	if (l->tty && o->setsid && sys_ioctl(0, TIOCNOTTY, 0) == 0 && getsid(0) == getpid())
		l->skip = 1u << SIGHUP | 1u << SIGCONT;
	/* tini ignores SIGTTIN and SIGTTOU. A terminal sends them to every
	 * process of a background group when one of them reads or writes
	 * it; the child, in a group of its own, did neither and would only
	 * be stopped. As PID 1 tini also leaves the fault signals
	 * unblocked, and the kernel drops those sent to an init. Not PID 1
	 * they kill tini and leave the child running without it: reinit
	 * passes them on (README, deliberate differences). */
	if (o->personality == PERS_TINI) {
		unsigned drop = 1u << SIGTTIN | 1u << SIGTTOU, sig;

		if (l->pid1)
			drop |= 1u << SIGFPE | 1u << SIGILL | 1u << SIGSEGV | 1u << SIGBUS |
				1u << SIGABRT | 1u << SIGTRAP | 1u << SIGSYS;
		for (sig = 1; sig < 32; sig++)
			if (drop >> sig & 1)
				o->sigmap[sig] = 0;
	}
	/* A process group from outside reinit's PID namespace has no number
	 * in it, so the terminal could not be handed back to it: reinit makes
	 * a group of its own to hand it back to. */
	if (l->tty && !o->setsid && getpgrp() == 0)
		setpgid(0, 0);
}

int
main(int argc, char **argv)
{
	/* Large and zeroed, so kept out of the stack and the file; one
	 * object that starts a page, the loop's fields next to the options'
	 * own and the options' pool last, so that an idle init touches one
	 * page of it: idle Pss is the point. */
	static struct {
		struct loop l;
		struct opts o;
	} m __attribute__((aligned(4096)));
	int err = tool_main(argc, argv);

	/* Run as tar or rm (a sync's exec), or reinit --install. */
	if (err >= 0)
		return err;
	/* kubectl exec POD -- /reinit status */
	if (argc == 2 && !strcmp(argv[1], "status"))
		return ask_main(CHAN_STATUS);
	if (opts_parse(&m.o, argc, argv, environ) < 0) {
		log_msg(LOG_ERROR, m.o.why[0], m.o.why[1], m.o.why[2], m.o.why[3], m.o.why[4],
			m.o.why[5]);
		/* tini and dumb-init exit 1 on a usage error; watchexec, like
		 * reinit, 2. */
		return m.o.personality == PERS_TINI || m.o.personality == PERS_DUMB ? 1 : 2;
	}
	log_level = m.o.verbosity;
	if (m.o.help || m.o.version || m.o.license) {
		/* Docker's daemon runs docker-init --version and reads the
		 * tini version from "tini version X"; dumb-init writes its
		 * usage and version on stderr. */
		const char *t = m.o.help      ? usage
				: m.o.license ? license
				: m.o.personality == PERS_TINI
					? "tini version 0.19.0 - reinit " REINIT_VERSION "\n"
					: "reinit " REINIT_VERSION "\n";

		return sys_write(m.o.personality == PERS_DUMB ? 2 : 1, t, strlen(t)) < 0;
	}
	if (m.o.restart)
		return ask_main(CHAN_RESTART);

	m.l.o = &m.o;
	m.l.pid1 = getpid() == 1;
	/* From here on every signal waits, blocked, until reinit takes it:
	 * none is lost between the fork and the first wait. */
	if ((err = sigfd_block_all(&m.l.mask)) < 0)
		return fatal("block signals", -err);
	/* An inherited SIGCHLD=SIG_IGN would have the kernel reap the child
	 * before reinit could learn its status; the child gets it back. */
	if (sys_disposition(SIGCHLD, 1, SIG_DFL) == SIG_IGN)
		m.l.chld_ignored = 1;
	if ((m.o.subreaper || !m.l.pid1) && (err = sys_prctl(PR_SET_CHILD_SUBREAPER, 1)) < 0)
		log_msg(LOG_WARN, "cannot become a child subreaper (", log_strerror(-err),
			"): orphans will not be reaped");
	if (m.o.pdeathsig && (err = sys_prctl(PR_SET_PDEATHSIG, (unsigned long)m.o.pdeathsig)) < 0)
		return fatal("set the parent-death signal", -err);
	/* Before the child: nothing it starts can take the name first. */
	if ((err = serve_open(&m.l.srv)) < 0)
		log_msg(LOG_WARN, "no request channel (--restart, status, sync holds): ",
			err == -EADDRINUSE ? "another process has reinit's name"
					   : log_strerror(-err));
	terminal_and_signals(&m.l, &m.o);
	m.l.mounts = -1;
	if ((m.o.nwatch || m.o.trigger) && !(m.l.watch = open_watch(&m.o, &err)))
		return err;
	/* A mount put over a root, or taken from it, makes no inotify event:
	 * the mount table's does (POLLPRI), which the loop waits for too. */
	if (m.l.watch && !m.o.poll_ms)
		m.l.mounts = sys_open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	/* After this point reinit never exits on an error: it warns and goes
	 * on, because the container ends with it. */
	return opts_exit_code(&m.o, loop_run(&m.l));
}
