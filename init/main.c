/* main.c: parse, set up, run the loop, exit with the child's status. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/log.h"
#include "init/loop.h"
#include "init/opts.h"
#include "init/restart.h"
#include "proc/sys.h"
#include "signals/sigfd.h"
#include "watch/watch.h"

extern char **environ;

static const char usage[] =
	"usage: reinit [options] [--] command [args...]\n"
	"       reinit -P | -R | -h | -V\n"
	"  -g, --group            signal the child's process group\n"
	"  -s, --subreaper        be a child subreaper\n"
	"  -p, --pdeathsig SIG    signal when reinit's parent dies\n"
	"  -e, --remap-exit CODE  exit 0 instead of CODE\n"
	"  -r, --rewrite FROM:TO  forward FROM as TO (0 drops)\n"
	"  -t, --stop-timeout DUR grace before SIGKILL (10s)\n"
	"      --stop-signal SIG  (TERM)\n"
	"  -P, --pause            no command: reap and sleep\n"
	"  -v / -q                more / less output\n"
	"  -w, --watch DIR        restart the child when DIR changes\n"
	"  -i, --ignore GLOB      --ignore-file FILE  --no-default-ignores\n"
	"  -x, --exts LIST        only these extensions (go,html)\n"
	"      --trigger FILE     restart only when FILE is touched\n"
	"  -d, --debounce DUR     quiet period (10ms); --debounce-max DUR (2s)\n"
	"      --on-exit wait|exit|restart   --postpone   --poll DUR\n"
	"  -R, --restart          restart the running reinit's child\n"
	"Each option has a variable: -t is REINIT_STOP_TIMEOUT.\n";

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
		log_msg(LOG_ERROR, "cannot read --ignore-file '", path, "': ", log_strerror(errno));
		return 1;
	}
	if (sys_stat(fd, "", &st, AT_EMPTY_PATH) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		log_msg(LOG_ERROR, "cannot read --ignore-file '", path, "': not a regular file");
		return 1;
	}
	while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (n < 0 || len == sizeof(buf)) {
		log_msg(LOG_ERROR, "cannot read --ignore-file '", path,
			"': ", n < 0 ? log_strerror(errno) : "larger than 8 KiB");
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

/* --watch and friends as the watcher wants them. NULL after saying why;
 * an invalid pattern is a usage error, which exits 2 here. */
static struct watch *
open_watch(const struct opts *o)
{
	static struct match_set ignores;
	struct watch_cfg c = {
		.roots = o->watch,
		.nroots = o->nwatch,
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

			for (p[n] = 0; n--;)
				p[n] = (unsigned char)o->ignore[i].s[n] < 32 ? '?'
									     : o->ignore[i].s[n];
			log_msg(LOG_ERROR, "invalid --ignore pattern '", p, pattern_error(r));
			exit(2);
		}
	if (o->ignore_file && (r = read_ignore_file(&ignores, o->ignore_file)))
		exit(r);
	return watch_open(&c);
}

/* The one place that turns a failed set-up step into an exit. */
static int
fatal(const char *what, int err)
{
	log_msg(LOG_ERROR, "fatal: unable to ", what, ": ", log_strerror(err));
	return 1;
}

int
main(int argc, char **argv)
{
	/* Large and zeroed: kept out of the stack and out of the file. */
	static struct opts o;
	static struct loop l;
	int err;

	if (opts_parse(&o, argc, argv, environ) < 0) {
		log_msg(LOG_ERROR, o.why[0], o.why[1], o.why[2], o.why[3], o.why[4], o.why[5]);
		return 2;
	}
	log_level = o.verbosity;
	if (o.help || o.version || o.license) {
		const char *t = o.help      ? usage
				: o.license ? license
					    : "reinit " REINIT_VERSION "\n";

		return write(1, t, strlen(t)) < 0;
	}
	if (o.restart)
		return restart_client();

	l.o = &o;
	l.pid1 = getpid() == 1;
	/* From here on every signal waits, blocked, until reinit takes it:
	 * none is lost between the fork and the first wait. */
	if ((err = sigfd_block_all(&l.mask)) < 0)
		return fatal("block signals", -err);
	/* An inherited SIGCHLD=SIG_IGN would have the kernel reap the child
	 * before reinit could learn its status; the child gets it back. */
	if (sys_disposition(SIGCHLD, 1, SIG_DFL) == SIG_IGN)
		l.chld_ignored = 1;
	if ((o.subreaper || !l.pid1) && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		log_msg(LOG_WARN, "cannot become a child subreaper (", log_strerror(errno),
			"): orphans will not be reaped");
	if (o.pdeathsig && prctl(PR_SET_PDEATHSIG, o.pdeathsig) < 0)
		return fatal("set the parent-death signal", errno);
	/* A signalfd only where signals are polled together with inotify. */
	if ((o.nwatch || o.trigger) && (l.sigfd = sigfd_open()) < 0)
		return fatal("open a signalfd", -l.sigfd);
	l.tty = isatty(0) && (o.setsid || tcgetpgrp(0) == getpgrp());
	/* A process group from outside reinit's PID namespace has no number
	 * in it, so the terminal could not be handed back to it: reinit makes
	 * a group of its own to hand it back to. */
	if (l.tty && !o.setsid && getpgrp() == 0)
		setpgid(0, 0);
	if ((o.nwatch || o.trigger) && !(l.watch = open_watch(&o)))
		return 1;
	/* After this point reinit never exits on an error: it warns and goes
	 * on, because the container ends with it. */
	return opts_exit_code(&o, loop_run(&l));
}
