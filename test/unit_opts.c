/* unit_opts.c: the command line and the environment, for each personality. */
#include <signal.h>
#include <string.h>

#include "init/opts.h"
#include "init/sup.h"
#include "test/optrun.h"
#include "test/tap.h"

#define ARGS(...) ((const char *const[]){__VA_ARGS__, 0})
#define ENV(...)  ((const char *const[]){__VA_ARGS__, 0})

/* The call succeeds; its name is the command line. */
#define PARSES(env, ...)                                                                           \
	do {                                                                                       \
		int r_ = run(ARGS(__VA_ARGS__), env);                                              \
		is_int(r_, 0, "{%s} env %s is accepted", #__VA_ARGS__, #env);                      \
		if (r_)                                                                            \
			printf("#   why: %s\n", joined());                                         \
	} while (0)

/* The call fails and the message starts with want. */
#define FAILS(want, env, ...)                                                                      \
	do {                                                                                       \
		is_int(run(ARGS(__VA_ARGS__), env), -1, "{%s} env %s is refused", #__VA_ARGS__,    \
		       #env);                                                                      \
		starts(joined(), want, #__VA_ARGS__);                                              \
	} while (0)

static void
starts(const char *got, const char *want, const char *what)
{
	if (!ok(!strncmp(got, want, strlen(want)), "%s: message starts '%s'", what, want))
		printf("#   got '%s'\n", got);
}

static int
identity_map(void)
{
	int i;

	for (i = 0; i <= 64; i++)
		if (o.sigmap[i] != i)
			return 0;
	return 1;
}

static void
test_defaults(void)
{
	PARSES(0, "reinit", "cmd");
	is_int(o.personality, PERS_REINIT, "'reinit' is the native personality");
	is_int(o.stop_ms, -1, "the stop timeout defaults to none of reinit's own (-1)");
	is_int(OPTS_STOP_MS, -1, "OPTS_STOP_MS is -1");
	is_int(o.drain_ms, 2000, "the drain timeout defaults to 2000 ms");
	is_int(OPTS_DRAIN_MS, 2000, "OPTS_DRAIN_MS is 2000");
	is_int(o.stop_signal, 15, "the stop signal defaults to SIGTERM");
	is_int(o.verbosity, 1, "verbosity defaults to 1");
	ok(identity_map(), "every signal is forwarded as itself by default");
	is_int(o.debounce_ms, 10, "debounce defaults to 10 ms");
	is_int(o.debounce_max_ms, 2000, "debounce-max defaults to 2000 ms");
	is_int(o.on_exit, ONEXIT_EXIT, "on-exit defaults to exit with nothing watched");
	is_int(o.group, 0, "no group forwarding by default");
	is_int(o.setsid, 0, "no session of its own by default");
	is_int(o.subreaper, 0, "no subreaper request by default");
	is_int(o.pdeathsig, 0, "no parent-death signal by default");
	is_int(o.nwatch, 0, "nothing watched by default");
	is_int(o.poll_ms, 0, "no polling by default");
	is_int(opts_exit_code(&o, 3), 3, "exit codes pass through by default");
	is_int(opts_exit_code(&o, 0), 0, "exit code 0 stays 0");
	ok(o.argv == av + 1, "the command starts after argv[0]");
	is_str(o.argv[0], "cmd", "the command is 'cmd'");
	ok(o.argv[1] == 0, "the command's argv ends with NULL");

	/* The supervisor reads on_exit in opts' numbering. */
	is_int(ONEXIT_WAIT, SUP_ON_EXIT_WAIT, "ONEXIT_WAIT is SUP_ON_EXIT_WAIT");
	is_int(ONEXIT_EXIT, SUP_ON_EXIT_EXIT, "ONEXIT_EXIT is SUP_ON_EXIT_EXIT");
	is_int(ONEXIT_RESTART, SUP_ON_EXIT_RESTART, "ONEXIT_RESTART is SUP_ON_EXIT_RESTART");
}

static void
test_flags(void)
{
	PARSES(0, "reinit", "-g", "cmd");
	is_int(o.group, 1, "-g forwards to the group");
	PARSES(0, "reinit", "--group", "cmd");
	is_int(o.group, 1, "--group forwards to the group");
	PARSES(0, "reinit", "-s", "cmd");
	is_int(o.subreaper, 1, "-s asks for a subreaper");
	PARSES(0, "reinit", "--subreaper", "cmd");
	is_int(o.subreaper, 1, "--subreaper asks for a subreaper");
	PARSES(0, "reinit", "-p", "KILL", "cmd");
	is_int(o.pdeathsig, 9, "-p KILL sets the parent-death signal");
	PARSES(0, "reinit", "--pdeathsig=SIGUSR1", "cmd");
	is_int(o.pdeathsig, 10, "--pdeathsig=SIGUSR1 sets the parent-death signal");
	PARSES(0, "reinit", "--stop-signal", "QUIT", "cmd");
	is_int(o.stop_signal, 3, "--stop-signal QUIT");
	PARSES(0, "reinit", "--stop-signal=RTMIN+2", "cmd");
	is_int(o.stop_signal, 36, "--stop-signal=RTMIN+2");
	PARSES(0, "reinit", "-v", "cmd");
	is_int(o.verbosity, 2, "-v raises verbosity to 2");
	PARSES(0, "reinit", "-vv", "cmd");
	is_int(o.verbosity, 3, "-vv raises verbosity to 3");
	PARSES(0, "reinit", "--verbose", "--verbose", "cmd");
	is_int(o.verbosity, 3, "--verbose twice raises verbosity to 3");
	PARSES(0, "reinit", "-q", "cmd");
	is_int(o.verbosity, 0, "-q sets verbosity 0");
	PARSES(0, "reinit", "--quiet", "cmd");
	is_int(o.verbosity, 0, "--quiet sets verbosity 0");
	PARSES(0, "reinit", "-w", "/src", "cmd");
	is_int(o.nwatch, 1, "-w adds one watched path");
	is_str(o.watch[0], "/src", "-w /src watches /src");
	PARSES(0, "reinit", "--watch", "/a", "--watch=/b", "-w/c", "cmd");
	is_int(o.nwatch, 3, "--watch repeats");
	is_str(o.watch[0], "/a", "first watched path");
	is_str(o.watch[1], "/b", "second watched path");
	is_str(o.watch[2], "/c", "third watched path");
	is_int(o.on_exit, ONEXIT_WAIT, "on-exit defaults to wait with -w");
	PARSES(0, "reinit", "-w", "/a", "--reload", "/c1", "-w", "/b", "--reload=/c2", "cmd");
	is_int(o.nwatch, 4, "--reload roots count among the roots");
	is_int(o.nreload, 2, "two of them reload");
	ok(o.nwatch == 4 && !strcmp(o.watch[0], "/c1") && !strcmp(o.watch[1], "/c2") &&
		   !strcmp(o.watch[2], "/a") && !strcmp(o.watch[3], "/b"),
	   "--reload roots first, then -w roots, each in the order given");
	is_int(o.on_exit, ONEXIT_WAIT, "on-exit defaults to wait with -w and --reload");
	is_int(o.reload_signal, SIGHUP, "the reload signal defaults to SIGHUP");
	PARSES(0, "reinit", "--reload", "/etc/app", "--reload-signal", "USR1", "cmd");
	is_int(o.reload_signal, SIGUSR1, "--reload-signal USR1");
	is_int(o.on_exit, ONEXIT_EXIT, "on-exit defaults to exit with --reload alone: a server's init");
	PARSES(0, "reinit", "--reload", "/etc/app", "--on-exit", "wait", "cmd");
	is_int(o.on_exit, ONEXIT_WAIT, "--on-exit wait with --reload alone");
	PARSES(ENV("REINIT_RELOAD=/x:/y", "REINIT_RELOAD_SIGNAL=10"), "reinit", "-w", "/a", "cmd");
	ok(o.nwatch == 3 && o.nreload == 2 && !strcmp(o.watch[2], "/a"),
	   "REINIT_RELOAD=/x:/y is two --reload roots, before -w's");
	is_int(o.reload_signal, 10, "REINIT_RELOAD_SIGNAL=10");
	FAILS("invalid --reload-signal 'NOPE': expected a signal such as TERM, SIGTERM or 15", 0,
	      "reinit", "--reload", "/a", "--reload-signal", "NOPE", "cmd");
	PARSES(0, "reinit", "-w", "/a", "-i", "*.o", "--ignore", "tmp/", "cmd");
	is_int(o.nignore, 2, "-i and --ignore add two ignore rules");
	ok(o.nignore == 2 && o.ignore[0].len == 3 && !memcmp(o.ignore[0].s, "*.o", 3),
	   "first ignore rule is '*.o'");
	ok(o.nignore == 2 && o.ignore[1].len == 4 && !memcmp(o.ignore[1].s, "tmp/", 4),
	   "second ignore rule is 'tmp/'");
	PARSES(0, "reinit", "-w", "/a", "--ignore-file", "/a/.ignore", "--no-default-ignores",
	       "cmd");
	is_str(o.ignore_file, "/a/.ignore", "--ignore-file sets the file");
	is_int(o.no_default_ignores, 1, "--no-default-ignores");
	PARSES(0, "reinit", "-w", "/a", "-x", "c,h", "cmd");
	is_str(o.exts, "c,h", "-x sets the extensions");
	PARSES(0, "reinit", "-w", "/a", "--exts=go", "cmd");
	is_str(o.exts, "go", "--exts=go sets the extensions");
	PARSES(0, "reinit", "--trigger", "/run/t", "cmd");
	is_str(o.trigger, "/run/t", "--trigger sets the trigger file");
	PARSES(0, "reinit", "-d", "50ms", "cmd");
	is_int(o.debounce_ms, 50, "-d 50ms");
	PARSES(0, "reinit", "--debounce=0", "cmd");
	is_int(o.debounce_ms, 0, "--debounce=0 is allowed");
	PARSES(0, "reinit", "--debounce-max", "5s", "cmd");
	is_int(o.debounce_max_ms, 5000, "--debounce-max 5s");
	PARSES(0, "reinit", "--on-exit", "restart", "cmd");
	is_int(o.on_exit, ONEXIT_RESTART, "--on-exit restart");
	PARSES(0, "reinit", "--on-exit=exit", "cmd");
	is_int(o.on_exit, ONEXIT_EXIT, "--on-exit=exit");
	PARSES(0, "reinit", "--on-exit=restart", "--on-exit", "wait", "cmd");
	is_int(o.on_exit, ONEXIT_WAIT, "the last --on-exit wins");
	FAILS("invalid --on-exit 'sometimes': expected wait, exit or restart", 0, "reinit",
	      "--on-exit", "sometimes", "cmd");
	PARSES(0, "reinit", "-w", "/a", "--postpone", "cmd");
	is_int(o.postpone, 1, "--postpone with --watch");
	PARSES(0, "reinit", "--trigger", "/t", "--postpone", "cmd");
	is_int(o.postpone, 1, "--postpone with --trigger");
	PARSES(0, "reinit", "--poll", "2s", "cmd");
	is_int(o.poll_ms, 2000, "--poll 2s");
	FAILS("invalid --poll '0'", 0, "reinit", "--poll", "0", "cmd");
	PARSES(0, "reinit", "-P");
	is_int(o.pause, 1, "-P pauses");
	ok(o.argv == 0, "-P runs no command");
	PARSES(0, "reinit", "--pause");
	is_int(o.pause, 1, "--pause pauses");
	PARSES(0, "reinit", "-R");
	is_int(o.restart, 1, "-R asks for a restart, with no command");
	PARSES(0, "reinit", "--restart");
	is_int(o.restart, 1, "--restart asks for a restart, with no command");
}

static void
test_stop_timeout(void)
{
	PARSES(0, "reinit", "-t5s", "cmd");
	is_int(o.stop_ms, 5000, "-t5s");
	PARSES(0, "reinit", "-t", "5s", "cmd");
	is_int(o.stop_ms, 5000, "-t 5s");
	PARSES(0, "reinit", "--stop-timeout=5s", "cmd");
	is_int(o.stop_ms, 5000, "--stop-timeout=5s");
	PARSES(0, "reinit", "--stop-timeout", "5s", "cmd");
	is_int(o.stop_ms, 5000, "--stop-timeout 5s");
	ok(o.argv && !strcmp(o.argv[0], "cmd"), "--stop-timeout 5s leaves 'cmd' as the command");
	PARSES(0, "reinit", "-t", "0", "cmd");
	is_int(o.stop_ms, 0, "-t 0 is no grace at all");
	PARSES(0, "reinit", "-t", "250ms", "-t", "2m", "cmd");
	is_int(o.stop_ms, 120000, "the last -t wins");

	FAILS("invalid --stop-timeout '10x'", 0, "reinit", "-t", "10x", "cmd");
	FAILS("invalid --stop-timeout '10x': expected a duration", 0, "reinit", "-t10x", "cmd");
	FAILS("invalid --stop-timeout '10x'", 0, "reinit", "--stop-timeout=10x", "cmd");
	FAILS("invalid --stop-timeout '10x'", 0, "reinit", "--stop-timeout", "10x", "cmd");
	FAILS("invalid --stop-timeout ''", 0, "reinit", "--stop-timeout=", "cmd");
	FAILS("invalid --stop-timeout '1.5s'", 0, "reinit", "-t", "1.5s", "cmd");
	FAILS("invalid --stop-timeout '99999999999s'", 0, "reinit", "-t", "99999999999s", "cmd");
	FAILS("invalid --debounce 'soon'", 0, "reinit", "-d", "soon", "cmd");
}

static void
test_drain_timeout(void)
{
	PARSES(0, "reinit", "--drain-timeout", "5s", "cmd");
	is_int(o.drain_ms, 5000, "--drain-timeout 5s");
	is_int(o.stop_ms, -1, "--drain-timeout leaves the stop timeout alone");
	is_str(o.argv ? o.argv[0] : 0, "cmd", "--drain-timeout 5s leaves 'cmd' as the command");
	PARSES(0, "reinit", "--drain-timeout=250ms", "cmd");
	is_int(o.drain_ms, 250, "--drain-timeout=250ms");
	PARSES(0, "reinit", "--drain-timeout=0", "cmd");
	is_int(o.drain_ms, 0, "--drain-timeout=0 is no grace at all");
	PARSES(0, "reinit", "--drain-timeout=1s", "--drain-timeout", "3m", "cmd");
	is_int(o.drain_ms, 180000, "the last --drain-timeout wins");
	PARSES(0, "reinit", "-t", "4s", "cmd");
	is_int(o.drain_ms, 2000, "-t leaves the drain timeout alone");
	PARSES(0, "reinit", "-t", "4s", "--drain-timeout", "1s", "cmd");
	ok(o.stop_ms == 4000 && o.drain_ms == 1000, "-t 4s --drain-timeout 1s set one each");

	FAILS("invalid --drain-timeout '10x': expected a duration", 0, "reinit", "--drain-timeout",
	      "10x", "cmd");
	FAILS("invalid --drain-timeout ''", 0, "reinit", "--drain-timeout=", "cmd");
	FAILS("invalid --drain-timeout '-1'", 0, "reinit", "--drain-timeout=-1", "cmd");
	FAILS("option '--drain-timeout' needs a value: see reinit --help", 0, "reinit",
	      "--drain-timeout");
	FAILS("unknown option '--drain'", 0, "reinit", "--drain", "1s", "cmd");
}

static void
test_clusters(void)
{
	PARSES(0, "reinit", "-gs", "cmd");
	ok(o.group == 1 && o.subreaper == 1, "-gs sets both group and subreaper");
	PARSES(0, "reinit", "-gst5s", "cmd");
	ok(o.group && o.subreaper && o.stop_ms == 5000, "-gst5s: two flags and a timeout");
	PARSES(0, "reinit", "-gt", "3s", "cmd");
	ok(o.group && o.stop_ms == 3000, "-gt 3s takes the next word as the value");
	is_str(o.argv ? o.argv[0] : 0, "cmd", "-gt 3s leaves 'cmd' as the command");
	PARSES(0, "reinit", "-qv", "cmd");
	is_int(o.verbosity, 1, "-qv: quiet, then one level up");
	FAILS("unknown option '-z': see reinit --help", 0, "reinit", "-gz", "cmd");
}

static void
test_stop_at_command(void)
{
	PARSES(0, "reinit", "-g", "cmd", "-x");
	ok(o.argv == av + 2, "the command starts at the first word that is not an option");
	is_str(o.argv[0], "cmd", "argv[0] of the command");
	is_str(o.argv[1], "-x", "the command keeps its own option '-x'");
	ok(o.argv[2] == 0, "the command's argv ends with NULL");
	is_str(o.exts, 0, "'-x' after the command is not reinit's -x");

	PARSES(0, "reinit", "cmd", "-g", "--stop-timeout=bad");
	is_int(o.group, 0, "'-g' after the command is the command's");
	is_int(o.stop_ms, -1, "'--stop-timeout=bad' after the command is the command's");
	PARSES(0, "reinit", "cmd", "--drain-timeout=bad");
	is_int(o.drain_ms, 2000, "'--drain-timeout=bad' after the command is the command's");

	PARSES(0, "reinit", "-g", "--", "-cmd", "-g");
	is_str(o.argv[0], "-cmd", "'--' ends the options: '-cmd' is the command");
	is_str(o.argv[1], "-g", "words after the command stay the command's");
	PARSES(0, "reinit", "--", "--", "x");
	is_str(o.argv[0], "--", "only the first '--' is reinit's");
	PARSES(0, "reinit", "-", "x");
	is_str(o.argv[0], "-", "a lone '-' is a command, not an option");
}

static void
test_duration(void)
{
	static const struct {
		const char *s;
		long ms;
	} cases[] = {
		{"500ms", 500},
		{"10s", 10000},
		{"2m", 120000},
		{"1h", 3600000},
		{"7", 7000},
		{"0", 0},
		{"0ms", 0},
		{"0s", 0},
		{"007s", 7000},
		{"1000000s", 1000000000L},
		{"1000000000ms", 1000000000L},
		{"10x", -1},
		{"", -1},
		{"ms", -1},
		{"s", -1},
		{"1.5s", -1},
		{"-1s", -1},
		{" 5s", -1},
		{"5 s", -1},
		{"5S", -1},
		{"5sec", -1},
		{"5mss", -1},
		{"1000001s", -1},
		{"1000000001ms", -1},
		{"278h", -1},
		{"99999999999999999999", -1},
		{"99999999999999999999ms", -1},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(opts_duration(cases[i].s, strlen(cases[i].s)), cases[i].ms,
		       "duration '%s' is %ld", cases[i].s, cases[i].ms);
	is_int(opts_duration("5msX", 3), 5, "only len bytes are read: '5ms' of '5msX'");
	is_int(opts_duration("10s", 2), 10000, "only len bytes are read: '10' of '10s'");
}

static void
test_remap(void)
{
	PARSES(0, "reinit", "-e", "1", "-e2", "--remap-exit", "255", "--remap-exit=143", "cmd");
	is_int(opts_exit_code(&o, 1), 0, "-e 1 turns 1 into 0");
	is_int(opts_exit_code(&o, 2), 0, "-e2 turns 2 into 0");
	is_int(opts_exit_code(&o, 255), 0, "--remap-exit 255 turns 255 into 0");
	is_int(opts_exit_code(&o, 143), 0, "--remap-exit=143 turns 143 into 0");
	is_int(opts_exit_code(&o, 3), 3, "3 was not remapped and stays 3");
	is_int(opts_exit_code(&o, 142), 142, "142 was not remapped and stays 142");
	is_int(opts_exit_code(&o, 144), 144, "144 was not remapped and stays 144");
	is_int(opts_exit_code(&o, 0), 0, "0 stays 0");
	PARSES(0, "reinit", "-e", "0", "cmd");
	is_int(opts_exit_code(&o, 0), 0, "-e 0 keeps 0 as 0");
	is_int(opts_exit_code(&o, 8), 8, "-e 0 leaves 8 alone");

	FAILS("invalid --remap-exit '256': expected an exit code from 0 to 255", 0, "reinit", "-e",
	      "256", "cmd");
	FAILS("invalid --remap-exit '-1'", 0, "reinit", "-e", "-1", "cmd");
	FAILS("invalid --remap-exit 'x'", 0, "reinit", "--remap-exit=x", "cmd");
	FAILS("invalid --remap-exit ''", 0, "reinit", "--remap-exit=", "cmd");
}

static void
test_rewrite(void)
{
	PARSES(0, "reinit", "-r", "TERM:QUIT", "cmd");
	is_int(o.sigmap[15], 3, "-r TERM:QUIT forwards TERM as QUIT");
	is_int(o.sigmap[3], 3, "-r TERM:QUIT leaves QUIT as QUIT");
	is_int(o.sigmap[2], 2, "-r TERM:QUIT leaves INT as INT");
	PARSES(0, "reinit", "-r", "15:0", "cmd");
	is_int(o.sigmap[15], 0, "-r 15:0 drops TERM");
	PARSES(0, "reinit", "--rewrite=SIGINT:SIGTERM", "--rewrite", "RTMIN+1:USR1", "cmd");
	is_int(o.sigmap[2], 15, "--rewrite=SIGINT:SIGTERM");
	is_int(o.sigmap[35], 10, "--rewrite RTMIN+1:USR1");
	PARSES(0, "reinit", "-r", "HUP:1", "-r", "HUP:USR2", "cmd");
	is_int(o.sigmap[1], 12, "the last rewrite of a signal wins");

	FAILS("invalid --rewrite 'TERM': expected FROM:TO", 0, "reinit", "-r", "TERM", "cmd");
	FAILS("invalid --rewrite 'TERM:'", 0, "reinit", "-r", "TERM:", "cmd");
	FAILS("invalid --rewrite ':QUIT'", 0, "reinit", "-r", ":QUIT", "cmd");
	FAILS("invalid --rewrite 'TERM:BOGUS'", 0, "reinit", "-r", "TERM:BOGUS", "cmd");
	FAILS("invalid --rewrite 'BOGUS:QUIT'", 0, "reinit", "-r", "BOGUS:QUIT", "cmd");
	FAILS("invalid --rewrite '0:15'", 0, "reinit", "-r", "0:15", "cmd");
	FAILS("invalid --rewrite '65:1'", 0, "reinit", "-r", "65:1", "cmd");
	FAILS("invalid --rewrite 'TERM:QUIT:INT'", 0, "reinit", "-r", "TERM:QUIT:INT", "cmd");
	FAILS("invalid --rewrite 'TERM:00'", 0, "reinit", "-r", "TERM:00", "cmd");
}

static void
test_env(void)
{
	static const char *const yes[] = {"1", "true", "yes", "on"};
	static const char *const no[] = {"0", "false", "no", "off", ""};
	char var[64];
	size_t i;

	PARSES(ENV("REINIT_STOP_TIMEOUT=3s"), "reinit", "cmd");
	is_int(o.stop_ms, 3000, "REINIT_STOP_TIMEOUT=3s");
	PARSES(ENV("REINIT_STOP_TIMEOUT=3s"), "reinit", "-t", "1s", "cmd");
	is_int(o.stop_ms, 1000, "the flag -t 1s beats REINIT_STOP_TIMEOUT=3s");
	FAILS("invalid REINIT_STOP_TIMEOUT '10x'", ENV("REINIT_STOP_TIMEOUT=10x"), "reinit", "cmd");
	PARSES(ENV("REINIT_DRAIN_TIMEOUT=3s"), "reinit", "cmd");
	is_int(o.drain_ms, 3000, "REINIT_DRAIN_TIMEOUT=3s");
	is_int(o.stop_ms, -1, "REINIT_DRAIN_TIMEOUT leaves the stop timeout alone");
	PARSES(ENV("REINIT_DRAIN_TIMEOUT=0"), "reinit", "cmd");
	is_int(o.drain_ms, 0, "REINIT_DRAIN_TIMEOUT=0");
	PARSES(ENV("REINIT_DRAIN_TIMEOUT=3s"), "reinit", "--drain-timeout=1s", "cmd");
	is_int(o.drain_ms, 1000, "--drain-timeout=1s beats REINIT_DRAIN_TIMEOUT=3s");
	FAILS("invalid REINIT_DRAIN_TIMEOUT '10x': expected a duration",
	      ENV("REINIT_DRAIN_TIMEOUT=10x"), "reinit", "cmd");
	PARSES(ENV("REINIT_STOP_SIGNAL=SIGQUIT"), "reinit", "cmd");
	is_int(o.stop_signal, 3, "REINIT_STOP_SIGNAL=SIGQUIT");
	PARSES(ENV("PATH=/bin", "HOME=/", "REINIT_DEBOUNCE_MAX=4s", "REINIT_DEBOUNCE=20ms"),
	       "reinit", "cmd");
	is_int(o.debounce_max_ms, 4000, "REINIT_DEBOUNCE_MAX=4s, among other variables");
	is_int(o.debounce_ms, 20, "REINIT_DEBOUNCE=20ms is not taken for DEBOUNCE_MAX");
	PARSES(ENV("REINIT_ON_EXIT=restart"), "reinit", "cmd");
	is_int(o.on_exit, ONEXIT_RESTART, "REINIT_ON_EXIT=restart");

	for (i = 0; i < 4; i++) {
		snprintf(var, sizeof(var), "REINIT_GROUP=%s", yes[i]);
		PARSES(ENV(var), "reinit", "cmd");
		is_int(o.group, 1, "%s turns group forwarding on", var);
	}
	for (i = 0; i < 5; i++) {
		snprintf(var, sizeof(var), "REINIT_GROUP=%s", no[i]);
		PARSES(ENV(var), "reinit", "cmd");
		is_int(o.group, 0, "%s leaves group forwarding off", var);
	}
	FAILS("invalid REINIT_GROUP 'maybe': expected 1 or 0", ENV("REINIT_GROUP=maybe"), "reinit",
	      "cmd");
	PARSES(ENV("REINIT_GROUP=0"), "reinit", "-g", "cmd");
	is_int(o.group, 1, "-g beats REINIT_GROUP=0");
	PARSES(ENV("REINIT_SUBREAPER=yes"), "reinit", "cmd");
	is_int(o.subreaper, 1, "REINIT_SUBREAPER=yes");

	PARSES(ENV("REINIT_WATCH=/a:/b"), "reinit", "cmd");
	is_int(o.nwatch, 2, "REINIT_WATCH=/a:/b is two paths");
	is_str(o.nwatch > 0 ? o.watch[0] : 0, "/a", "first path of REINIT_WATCH");
	is_str(o.nwatch > 1 ? o.watch[1] : 0, "/b", "second path of REINIT_WATCH");
	PARSES(ENV("REINIT_WATCH=/a::/b:"), "reinit", "cmd");
	is_int(o.nwatch, 2, "empty items of REINIT_WATCH are skipped");
	PARSES(ENV("REINIT_WATCH=/a"), "reinit", "-w", "/c", "cmd");
	is_int(o.nwatch, 2, "REINIT_WATCH and -w add up");

	PARSES(ENV("REINIT_REMAP_EXIT=1,2"), "reinit", "cmd");
	is_int(opts_exit_code(&o, 1), 0, "REINIT_REMAP_EXIT=1,2 turns 1 into 0");
	is_int(opts_exit_code(&o, 2), 0, "REINIT_REMAP_EXIT=1,2 turns 2 into 0");
	is_int(opts_exit_code(&o, 12), 12, "REINIT_REMAP_EXIT=1,2 leaves 12 alone");
	FAILS("invalid REINIT_REMAP_EXIT '300'", ENV("REINIT_REMAP_EXIT=1,300"), "reinit", "cmd");

	PARSES(ENV("REINIT_REWRITE=TERM:QUIT,INT:0"), "reinit", "cmd");
	is_int(o.sigmap[15], 3, "REINIT_REWRITE=TERM:QUIT,INT:0 forwards TERM as QUIT");
	is_int(o.sigmap[2], 0, "REINIT_REWRITE=TERM:QUIT,INT:0 drops INT");
	is_int(o.sigmap[1], 1, "REINIT_REWRITE leaves HUP alone");
	FAILS("invalid REINIT_REWRITE 'INT'", ENV("REINIT_REWRITE=TERM:QUIT,INT"), "reinit", "cmd");

	PARSES(ENV("REINIT_IGNORE=*.o,tmp/"), "reinit", "cmd");
	is_int(o.nignore, 2, "REINIT_IGNORE=*.o,tmp/ is two rules");
	ok(o.nignore == 2 && o.ignore[0].len == 3 && !memcmp(o.ignore[0].s, "*.o", 3),
	   "first rule of REINIT_IGNORE is '*.o'");
	ok(o.nignore == 2 && o.ignore[1].len == 4 && !memcmp(o.ignore[1].s, "tmp/", 4),
	   "second rule of REINIT_IGNORE is 'tmp/'");

	PARSES(ENV("REINIT_VERBOSE=2"), "reinit", "cmd");
	is_int(o.verbosity, 3, "REINIT_VERBOSE=2 is verbosity 3");
	PARSES(ENV("REINIT_VERBOSE=0"), "reinit", "cmd");
	is_int(o.verbosity, 1, "REINIT_VERBOSE=0 is the default verbosity");
	FAILS("invalid REINIT_VERBOSE '4': expected a level from 0 to 3", ENV("REINIT_VERBOSE=4"),
	      "reinit", "cmd");
	PARSES(ENV("REINIT_QUIET=1"), "reinit", "cmd");
	is_int(o.verbosity, 0, "REINIT_QUIET=1 is verbosity 0");
	PARSES(ENV("REINIT_QUIET=0"), "reinit", "cmd");
	is_int(o.verbosity, 1, "REINIT_QUIET=0 leaves verbosity 1");

	/* Options that are actions, not settings, have no variable. */
	FAILS("no command given", ENV("REINIT_HELP=1"), "reinit");
	is_int(o.help, 0, "REINIT_HELP=1 does not ask for help");
	FAILS("no command given", ENV("REINIT_VERSION=1"), "reinit");
	FAILS("no command given", ENV("REINIT_RESTART=1"), "reinit");

	PARSES(ENV("REINIT_GROUPS=1", "REINIT_GROUP", "XREINIT_GROUP=1", "TINI_SUBREAPER=1"),
	       "reinit", "cmd");
	is_int(o.group, 0, "only the exact name REINIT_GROUP= counts");
	is_int(o.subreaper, 0, "TINI_SUBREAPER means nothing to reinit");
}

/* The pool that holds copies of list items can run out: a path must then be
 * refused, never kept as an empty string. */
static void
test_limits(void)
{
	static char big[3 * 2001 + 32];
	size_t i, n;
	int r;

	n = (size_t)snprintf(big, sizeof(big), "REINIT_WATCH=");
	for (i = 0; i < 3; i++) {
		memset(big + n, 'a' + (int)i, 2000);
		n += 2000;
		big[n++] = ':';
	}
	big[n] = 0;
	r = run(ARGS("reinit", "cmd"), ENV(big));
	for (i = 0; r == 0 && i < (size_t)o.nwatch; i++)
		if (strlen(o.watch[i]) != 2000 || o.watch[i][0] != 'a' + (int)i)
			break;
	if (!ok(r == -1 || (o.nwatch == 3 && i == 3),
		"REINIT_WATCH of three 2000-byte paths (over the %d-byte pool): each path "
		"kept whole, or the variable refused; never an empty path",
		OPTS_POOL))
		printf("#   accepted with %d paths; path %zu is %zu bytes\n", o.nwatch, i,
		       i < (size_t)o.nwatch ? strlen(o.watch[i]) : 0);

	n = (size_t)snprintf(big, sizeof(big), "REINIT_WATCH=");
	for (i = 0; i < 65; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "/%zu:", i);
	FAILS("too many REINIT_WATCH values (at most 64)", ENV(big), "reinit", "cmd");
	n = (size_t)snprintf(big, sizeof(big), "REINIT_WATCH=");
	for (i = 0; i < 64; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "/%zu:", i);
	PARSES(ENV(big), "reinit", "cmd");
	is_int(o.nwatch, 64, "64 paths in REINIT_WATCH fit");
}

static void
test_usage_errors(void)
{
	PARSES(0, "reinit", "-h");
	is_int(o.help, 1, "-h asks for help");
	ok(o.argv == 0, "-h needs no command");
	PARSES(0, "reinit", "--help");
	is_int(o.help, 1, "--help asks for help");
	PARSES(0, "reinit", "-V");
	is_int(o.version, 1, "-V asks for the version");
	PARSES(0, "reinit", "--version");
	is_int(o.version, 1, "--version asks for the version");

	FAILS("no command given: see reinit --help", 0, "reinit");
	FAILS("no command given", 0, "reinit", "-g");
	FAILS("no command given", 0, "reinit", "--");
	FAILS("--pause runs no command, yet got 'cmd'", 0, "reinit", "--pause", "cmd");
	FAILS("--postpone needs --watch or --trigger", 0, "reinit", "--postpone", "cmd");
	FAILS("unknown option '--bogus': see reinit --help", 0, "reinit", "--bogus", "cmd");
	FAILS("unknown option '--bogus'", 0, "reinit", "--bogus=1", "cmd");
	FAILS("unknown option '-z': see reinit --help", 0, "reinit", "-z", "cmd");
	FAILS("unknown option '--grou'", 0, "reinit", "--grou", "cmd");
	FAILS("unknown option '-l'", 0, "reinit", "-l", "cmd");
	FAILS("unknown option '-c'", 0, "reinit", "-c", "cmd");
	FAILS("unknown option '--warn-reap'", 0, "reinit", "--warn-reap", "cmd");
	FAILS("option '--group' takes no value", 0, "reinit", "--group=1", "cmd");
	FAILS("option '--stop-timeout' needs a value: see reinit --help", 0, "reinit",
	      "--stop-timeout");
	FAILS("option '--stop-timeout' needs a value", 0, "reinit", "-t");
	FAILS("option '--pdeathsig' needs a value", 0, "reinit", "-gp");
	FAILS("invalid --pdeathsig 'NOPE': expected a signal", 0, "reinit", "-p", "NOPE", "cmd");
	FAILS("invalid --stop-signal '0'", 0, "reinit", "--stop-signal=0", "cmd");

	is_int(opts_parse(&o, 0, 0, 0), -1, "no argv at all is refused");
	starts(joined(), "no command given", "argc 0");
}

/* A name is one personality or another, by its basename. */
static void
test_names(void)
{
	static const struct {
		const char *name;
		int pers;
	} cases[] = {
		{"/sbin/tini", PERS_TINI},
		{"tini", PERS_TINI},
		{"tini-static", PERS_TINI},
		{"/usr/local/bin/tini-amd64", PERS_TINI},
		{"tini-static-muslc-arm64", PERS_TINI},
		{"tini-", PERS_TINI},
		{"docker-init", PERS_TINI},
		{"/usr/bin/docker-init", PERS_TINI},
		{"/usr/bin/dumb-init", PERS_DUMB},
		{"dumb-init", PERS_DUMB},
		{"dumb-init_1.2.5_x86_64", PERS_DUMB},
		{"/opt/dumb-init_1.2.5_aarch64", PERS_DUMB},
		{"/sbin/tinix", PERS_REINIT},
		{"tini_static", PERS_REINIT},
		{"xtini", PERS_REINIT},
		{"Tini", PERS_REINIT},
		{"/tini/reinit", PERS_REINIT},
		{"/dumb-init/reinit", PERS_REINIT},
		{"docker-init-x", PERS_REINIT},
		{"docker-initx", PERS_REINIT},
		{"dumb-init-1.2.5", PERS_REINIT},
		{"dumb-initx", PERS_REINIT},
		{"dumb", PERS_REINIT},
		{"reinit", PERS_REINIT},
	};
	static const char *const pers_names[] = {"reinit", "tini", "dumb-init"};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		PARSES(0, cases[i].name, "cmd");
		is_int(o.personality, cases[i].pers, "'%s' is %s", cases[i].name,
		       pers_names[cases[i].pers]);
	}
}

static void
test_tini(void)
{
	PARSES(0, "/sbin/tini", "-s", "-g", "-p", "SIGKILL", "-e", "143", "--", "cmd");
	is_int(o.subreaper, 1, "tini -s");
	is_int(o.group, 1, "tini -g");
	is_int(o.pdeathsig, 9, "tini -p SIGKILL");
	is_int(opts_exit_code(&o, 143), 0, "tini -e 143 turns 143 into 0");
	is_int(opts_exit_code(&o, 137), 137, "tini -e 143 leaves 137 alone");
	is_str(o.argv ? o.argv[0] : 0, "cmd", "tini: the command after '--'");
	ok(identity_map(), "tini forwards every signal as itself");
	is_int(o.stop_ms, -1, "tini: no stop timeout of reinit's own by default");
	is_int(o.drain_ms, 2000, "tini: the drain timeout defaults to 2000 ms");
	PARSES(0, "/sbin/tini", "-w", "cmd");
	is_int(o.warn_reap, 1, "tini -w warns about reaping");
	is_int(o.nwatch, 0, "tini -w is not --watch");
	is_str(o.argv ? o.argv[0] : 0, "cmd", "tini -w takes no value: 'cmd' is the command");
	PARSES(0, "/sbin/tini", "-l");
	is_int(o.license, 1, "tini -l shows the license, with no command");
	PARSES(0, "/sbin/tini", "-vvv", "cmd");
	is_int(o.verbosity, 4, "tini -vvv");
	PARSES(0, "/sbin/tini", "-h");
	is_int(o.help, 1, "tini -h");
	PARSES(0, "/sbin/tini", "--version");
	is_int(o.version, 1, "tini --version");
	FAILS("unknown option '-V'", 0, "/sbin/tini", "-V");
	is_int(o.version, 0, "tini -V does not ask for the version");
	FAILS("unknown option '-V'", 0, "/sbin/tini", "-sV", "cmd");

	/* tini reads -e with strtol: an empty code is 0. */
	PARSES(0, "/sbin/tini", "-e", "", "cmd");
	is_int(o.remap[0], 1, "tini -e '' remaps exit code 0, and only it");
	is_int(opts_exit_code(&o, 1), 1, "tini -e '' leaves 1 alone");
	is_str(o.argv ? o.argv[0] : 0, "cmd", "tini -e '' takes '' as its value");
	PARSES(0, "/sbin/tini", "-e", "", "-e", "3", "cmd");
	ok(o.remap[0] == 9, "tini -e '' -e 3 remaps 0 and 3");
	FAILS("invalid --remap-exit 'x'", 0, "/sbin/tini", "-e", "x", "cmd");
	FAILS("invalid --remap-exit '256'", 0, "/sbin/tini", "-e", "256", "cmd");
	FAILS("invalid --remap-exit ''", 0, "reinit", "-e", "", "cmd");

	PARSES(ENV("TINI_SUBREAPER="), "/sbin/tini", "cmd");
	is_int(o.subreaper, 1, "TINI_SUBREAPER set, even empty, asks for a subreaper");
	PARSES(ENV("TINI_KILL_PROCESS_GROUP=1"), "/sbin/tini", "cmd");
	is_int(o.group, 1, "TINI_KILL_PROCESS_GROUP forwards to the group");
	PARSES(ENV("TINI_SUBREAPER=1", "TINI_KILL_PROCESS_GROUP=1", "TINI_VERBOSITY=3"), "reinit",
	       "cmd");
	ok(o.subreaper == 0 && o.group == 0 && o.verbosity == 1,
	   "TINI_* variables mean nothing to reinit");
}

/* tini reads TINI_VERBOSITY with atoi, and never refuses it. */
static void
test_tini_verbosity(void)
{
	static const struct {
		const char *v;
		int level;
	} cases[] = {
		{"TINI_VERBOSITY=3", 3},
		{"TINI_VERBOSITY=0", 0},
		{"TINI_VERBOSITY=1", 1},
		{"TINI_VERBOSITY=2", 2},
		{"TINI_VERBOSITY=4", 3},
		{"TINI_VERBOSITY=10", 3},
		{"TINI_VERBOSITY=03", 3},
		{"TINI_VERBOSITY=2x", 2},
		{"TINI_VERBOSITY=1.9", 1},
		{"TINI_VERBOSITY=abc", 0},
		{"TINI_VERBOSITY=loud", 0},
		{"TINI_VERBOSITY=", 0},
		{"TINI_VERBOSITY=99999999999999999999", 3},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		PARSES(ENV(cases[i].v), "/sbin/tini", "cmd");
		is_int(o.verbosity, cases[i].level, "%s is verbosity %d", cases[i].v,
		       cases[i].level);
	}
	PARSES(ENV("TINI_VERBOSITY=0"), "/sbin/tini", "-v", "cmd");
	is_int(o.verbosity, 1, "tini -v counts up from TINI_VERBOSITY=0");
}

/* The REINIT_ variables of the graces count under every name, the others
 * only under reinit's own. */
static void
test_peer_env(void)
{
	PARSES(ENV("REINIT_GROUP=1", "REINIT_STOP_TIMEOUT=3s", "REINIT_WATCH=/a",
		   "REINIT_GROUP=maybe", "REINIT_DRAIN_TIMEOUT=500ms", "REINIT_VERBOSE=2"),
	       "/sbin/tini", "cmd");
	is_int(o.group, 0, "REINIT_GROUP is ignored under tini");
	is_int(o.nwatch, 0, "REINIT_WATCH is ignored under tini");
	is_int(o.verbosity, 1, "REINIT_VERBOSE is ignored under tini");
	is_int(o.stop_ms, 3000, "REINIT_STOP_TIMEOUT is honoured under tini");
	is_int(o.drain_ms, 500, "REINIT_DRAIN_TIMEOUT is honoured under tini");
	PARSES(ENV("REINIT_STOP_TIMEOUT=0"), "docker-init", "cmd");
	is_int(o.stop_ms, 0, "REINIT_STOP_TIMEOUT=0 is honoured under docker-init");
	FAILS("invalid REINIT_STOP_TIMEOUT '10x'", ENV("REINIT_STOP_TIMEOUT=10x"), "/sbin/tini",
	      "cmd");
	FAILS("invalid REINIT_DRAIN_TIMEOUT 'x'", ENV("REINIT_DRAIN_TIMEOUT=x"), "/sbin/tini",
	      "cmd");

	PARSES(ENV("REINIT_GROUP=0", "REINIT_STOP_TIMEOUT=1s", "REINIT_DRAIN_TIMEOUT=0",
		   "REINIT_REWRITE=15:3"),
	       "dumb-init", "cmd");
	is_int(o.group, 1, "REINIT_GROUP is ignored under dumb-init");
	is_int(o.sigmap[15], 15, "REINIT_REWRITE is ignored under dumb-init");
	is_int(o.stop_ms, 1000, "REINIT_STOP_TIMEOUT is honoured under dumb-init");
	is_int(o.drain_ms, 0, "REINIT_DRAIN_TIMEOUT is honoured under dumb-init");
	FAILS("invalid REINIT_DRAIN_TIMEOUT '1.5s'", ENV("REINIT_DRAIN_TIMEOUT=1.5s"),
	      "dumb-init_1.2.5_x86_64", "cmd");

	/* Only the variables: the options stay reinit's. */
	FAILS("unknown option '-t'", 0, "/sbin/tini", "-t", "5s", "cmd");
	FAILS("unknown option '--stop-timeout'", 0, "/sbin/tini", "--stop-timeout=5s", "cmd");
	FAILS("unknown option '--drain-timeout'", 0, "/sbin/tini", "--drain-timeout=5s", "cmd");
	FAILS("unknown option '-r'", 0, "/sbin/tini", "-r", "15:3", "cmd");
	FAILS("unknown option '-c'", 0, "/sbin/tini", "-c", "cmd");
	FAILS("unknown option '--watch'", 0, "/sbin/tini", "--watch", "/a", "cmd");
	FAILS("unknown option '--lic'", 0, "/sbin/tini", "--lic");
	FAILS("no command given", 0, "/sbin/tini", "-s");
	FAILS("unknown option '-t'", 0, "dumb-init", "-t", "1s", "cmd");
	FAILS("unknown option '--drain-timeout'", 0, "dumb-init", "--drain-timeout", "1s", "cmd");
	FAILS("unknown option '--stop-timeout'", 0, "dumb-init", "--stop-timeout", "1s", "cmd");
}

/* In its own session the child's group would not stop on a job-control
 * signal: dumb-init sends SIGSTOP instead. */
static void
check_tty_stops(int want, const char *what)
{
	is_int(o.sigmap[SIGTSTP], want, "%s: SIGTSTP is forwarded as %d", what, want);
	is_int(o.sigmap[SIGTTIN], want ? want : SIGTTIN, "%s: SIGTTIN is forwarded as %d", what,
	       want ? want : SIGTTIN);
	is_int(o.sigmap[SIGTTOU], want ? want : SIGTTOU, "%s: SIGTTOU is forwarded as %d", what,
	       want ? want : SIGTTOU);
}

static int
identity_but_tty_stops(void)
{
	int i;

	for (i = 0; i <= 64; i++)
		if (o.sigmap[i] != (i == SIGTSTP || i == SIGTTIN || i == SIGTTOU ? SIGSTOP : i))
			return 0;
	return 1;
}

static void
test_dumb(void)
{
	PARSES(0, "/usr/bin/dumb-init", "cmd");
	is_int(o.personality, PERS_DUMB, "'dumb-init' is dumb-init");
	is_int(o.setsid, 1, "dumb-init gives the child a session by default");
	is_int(o.group, 1, "dumb-init forwards to the group by default");
	is_int(o.stop_ms, -1, "dumb-init: no stop timeout of reinit's own by default");
	is_int(o.drain_ms, 2000, "dumb-init: the drain timeout defaults to 2000 ms");
	check_tty_stops(SIGSTOP, "dumb-init");
	ok(identity_but_tty_stops(), "dumb-init: every other signal is forwarded as itself");
	PARSES(0, "dumb-init", "-c", "cmd");
	ok(o.setsid == 0 && o.group == 0, "dumb-init -c clears setsid and group");
	ok(identity_map(), "dumb-init -c forwards every signal as itself");
	PARSES(0, "dumb-init", "--single-child", "cmd");
	ok(o.setsid == 0 && o.group == 0, "dumb-init --single-child clears setsid and group");
	ok(identity_map(), "dumb-init --single-child forwards every signal as itself");
	PARSES(ENV("DUMB_INIT_SETSID=0"), "dumb-init", "cmd");
	ok(o.setsid == 0 && o.group == 0, "DUMB_INIT_SETSID=0 clears setsid and group");
	ok(identity_map(), "DUMB_INIT_SETSID=0 forwards every signal as itself");
	PARSES(ENV("DUMB_INIT_SETSID=1"), "dumb-init", "cmd");
	ok(o.setsid == 1 && o.group == 1, "DUMB_INIT_SETSID=1 keeps setsid and group");
	check_tty_stops(SIGSTOP, "DUMB_INIT_SETSID=1");
	PARSES(ENV("DUMB_INIT_SETSID=no"), "dumb-init", "cmd");
	ok(o.setsid == 1 && o.group == 1, "only DUMB_INIT_SETSID=0 clears setsid");
	PARSES(0, "/sbin/tini", "cmd");
	is_int(o.sigmap[SIGTSTP], SIGTSTP, "tini forwards SIGTSTP as itself");

	/* -r wins over the SIGSTOP rewrite, for the signal it names only. */
	PARSES(0, "dumb-init", "-r", "20:15", "cmd");
	is_int(o.sigmap[SIGTSTP], SIGTERM, "dumb-init -r 20:15 forwards TSTP as TERM");
	is_int(o.sigmap[SIGTTIN], SIGSTOP, "dumb-init -r 20:15 still sends TTIN as STOP");
	is_int(o.sigmap[SIGTTOU], SIGSTOP, "dumb-init -r 20:15 still sends TTOU as STOP");
	PARSES(0, "dumb-init", "-r", "21:0", "-r", "22:10", "cmd");
	is_int(o.sigmap[SIGTTIN], 0, "dumb-init -r 21:0 drops TTIN");
	is_int(o.sigmap[SIGTTOU], SIGUSR1, "dumb-init -r 22:10 forwards TTOU as USR1");
	is_int(o.sigmap[SIGTSTP], SIGSTOP, "dumb-init -r 21:0 -r 22:10 leaves TSTP as STOP");
	PARSES(0, "dumb-init", "-r", "20:20", "cmd");
	is_int(o.sigmap[SIGTSTP], SIGTSTP, "dumb-init -r 20:20 keeps TSTP as itself");
	is_int(o.sigmap[SIGTTIN], SIGSTOP, "dumb-init -r 20:20 still sends TTIN as STOP");
	PARSES(0, "dumb-init", "-c", "-r", "20:15", "cmd");
	is_int(o.sigmap[SIGTSTP], SIGTERM, "dumb-init -c -r 20:15 forwards TSTP as TERM");
	is_int(o.sigmap[SIGTTIN], SIGTTIN, "dumb-init -c -r 20:15 leaves TTIN as itself");

	PARSES(0, "dumb-init", "-r", "15:3", "cmd");
	is_int(o.sigmap[15], 3, "dumb-init -r 15:3 forwards TERM as QUIT");
	PARSES(0, "dumb-init", "--rewrite", "2:0", "cmd");
	is_int(o.sigmap[2], 0, "dumb-init --rewrite 2:0 drops INT");
	PARSES(0, "dumb-init", "-v", "cmd");
	is_int(o.verbosity, 2, "dumb-init -v");
	PARSES(0, "dumb-init", "-V");
	is_int(o.version, 1, "dumb-init -V asks for the version");

	PARSES(ENV("DUMB_INIT_DEBUG=1"), "dumb-init", "cmd");
	is_int(o.verbosity, 2, "DUMB_INIT_DEBUG=1 adds a verbosity level");
	PARSES(ENV("DUMB_INIT_DEBUG=1"), "dumb-init", "-v", "cmd");
	is_int(o.verbosity, 3, "DUMB_INIT_DEBUG=1 and -v add one level each");
	PARSES(ENV("DUMB_INIT_DEBUG=0"), "dumb-init", "cmd");
	is_int(o.verbosity, 1, "DUMB_INIT_DEBUG=0 adds nothing");
	PARSES(ENV("DUMB_INIT_DEBUG=yes"), "dumb-init", "cmd");
	is_int(o.verbosity, 1, "only DUMB_INIT_DEBUG=1 adds a level");
	PARSES(ENV("DUMB_INIT_DEBUG=1"), "/sbin/tini", "cmd");
	is_int(o.verbosity, 1, "DUMB_INIT_DEBUG means nothing to tini");
	PARSES(ENV("DUMB_INIT_DEBUG=1", "DUMB_INIT_SETSID=0"), "reinit", "cmd");
	ok(o.verbosity == 1 && o.setsid == 0 && identity_map(),
	   "DUMB_INIT_* variables mean nothing to reinit");

	/* getopt_long: any unambiguous abbreviation of a long option. */
	PARSES(0, "dumb-init", "--single", "cmd");
	ok(o.setsid == 0 && o.group == 0, "dumb-init --single is --single-child");
	is_str(o.argv ? o.argv[0] : 0, "cmd", "dumb-init --single: 'cmd' is the command");
	PARSES(0, "dumb-init", "--s", "cmd");
	ok(o.setsid == 0 && o.group == 0, "dumb-init --s is --single-child");
	PARSES(0, "dumb-init", "--rew", "15:0", "cmd");
	is_int(o.sigmap[15], 0, "dumb-init --rew 15:0 is --rewrite 15:0");
	is_str(o.argv ? o.argv[0] : 0, "cmd", "dumb-init --rew takes the next word as its value");
	PARSES(0, "dumb-init", "--r=2:15", "cmd");
	is_int(o.sigmap[2], 15, "dumb-init --r=2:15 is --rewrite=2:15");
	PARSES(0, "dumb-init", "--verb", "cmd");
	is_int(o.verbosity, 2, "dumb-init --verb is --verbose");
	PARSES(0, "dumb-init", "--vers");
	is_int(o.version, 1, "dumb-init --vers is --version");
	PARSES(0, "dumb-init", "--he");
	is_int(o.help, 1, "dumb-init --he is --help");
	PARSES(0, "dumb-init", "--verbose", "cmd");
	is_int(o.verbosity, 2, "dumb-init --verbose, in full");
	FAILS("unknown option '--ver'", 0, "dumb-init", "--ver", "cmd");
	FAILS("unknown option '--v'", 0, "dumb-init", "--v", "cmd");
	FAILS("unknown option '--single-childx'", 0, "dumb-init", "--single-childx", "cmd");
	FAILS("unknown option '--wat'", 0, "dumb-init", "--wat", "/a", "cmd");
	FAILS("option '--single' takes no value", 0, "dumb-init", "--single=1", "cmd");
	FAILS("option '--rew' needs a value", 0, "dumb-init", "--rew");
	FAILS("invalid --rew '15'", 0, "dumb-init", "--rew", "15", "cmd");
	/* reinit and tini take only the full names. */
	FAILS("unknown option '--verb'", 0, "reinit", "--verb", "cmd");
	FAILS("unknown option '--verb'", 0, "/sbin/tini", "--verb", "cmd");

	FAILS("unknown option '--watch'", 0, "dumb-init", "--watch", "/a", "cmd");
	FAILS("unknown option '-g'", 0, "dumb-init", "-g", "cmd");
	FAILS("unknown option '-l'", 0, "dumb-init", "-l");
}

int
main(void)
{
	test_defaults();
	test_flags();
	test_stop_timeout();
	test_drain_timeout();
	test_clusters();
	test_stop_at_command();
	test_duration();
	test_remap();
	test_rewrite();
	test_env();
	test_limits();
	test_usage_errors();
	test_names();
	test_tini();
	test_tini_verbosity();
	test_peer_env();
	test_dumb();
	return tap_done();
}
