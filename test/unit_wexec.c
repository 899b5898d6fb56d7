/* unit_wexec.c: reinit run as watchexec, with the command lines that
 * Paketo's buildpacks write, and the changed-path variables. */
#include <string.h>

#include "init/opts.h"
#include "init/wexec.h"
#include "test/optrun.h"
#include "test/tap.h"

/* The ignore pattern reinit will use, as a string ("" when dropped). */
static const char *
ignore(int i)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%.*s", (int)o.ignore[i].len, o.ignore[i].s);
	return buf;
}

#define ARGS(...) ((const char *const[]){"/layers/x/reinit/bin/watchexec", __VA_ARGS__, 0})

#define PARSES(...)                                                                                \
	do {                                                                                       \
		int r_ = run(ARGS(__VA_ARGS__), 0);                                                \
		is_int(r_, 0, "watchexec {%s} is accepted", #__VA_ARGS__);                         \
		if (r_)                                                                            \
			printf("#   why: %s\n", joined());                                         \
	} while (0)

#define FAILS(want, ...)                                                                           \
	do {                                                                                       \
		is_int(run(ARGS(__VA_ARGS__), 0), -1, "watchexec {%s} is refused", #__VA_ARGS__);  \
		ok(strstr(joined(), want) != 0, "the reason names '%s'", want);                    \
		if (!strstr(why, want))                                                            \
			printf("#   got '%s'\n", why);                                             \
	} while (0)

/* The three Node.js lines: npm-start (two releases), node-start. */
static void
test_nodejs(void)
{
	PARSES("--restart", "--shell", "none", "--watch", "/workspace", "--ignore",
	       "/workspace/package.json", "--ignore", "/workspace/package-lock.json", "--ignore",
	       "/workspace/node_modules", "--", "sh", "/workspace/start.sh");
	is_int(o.personality, PERS_WEXEC, "the name watchexec picks the personality");
	is_int(o.nwatch, 1, "npm-start: one root");
	is_str(o.watch[0], "/workspace", "npm-start: the root is /workspace");
	is_int(o.nignore, 3, "npm-start: three ignores");
	is_str(ignore(0), "/package.json", "an absolute ignore is anchored at its root");
	is_str(ignore(1), "/package-lock.json", "package-lock.json is anchored");
	is_str(ignore(2), "/node_modules", "node_modules is anchored");
	is_str(o.argv[0], "sh", "--shell none: the command runs directly");
	is_str(o.argv[1], "/workspace/start.sh", "its argument follows");
	ok(o.argv[2] == 0, "and nothing else");
	is_int(o.on_exit, ONEXIT_WAIT, "an exit waits for the next change, as in watchexec");
	is_int(o.group, 1, "signals go to the command's process group, as in watchexec");

	PARSES("--restart", "--watch", "/workspace", "--ignore", "/workspace/package.json",
	       "--ignore", "/workspace/package-lock.json", "--ignore", "/workspace/node_modules",
	       "--shell", "none", "--", "sh", "/workspace/start.sh");
	is_int(o.nignore, 3, "npm-start through libreload: three ignores");
	is_str(ignore(2), "/node_modules", "the same anchored ignore");
	is_str(o.argv[0], "sh", "--shell none after the ignores");

	PARSES("--restart", "--watch", "/workspace", "--shell", "none", "--", "tini", "-g", "--",
	       "node", "server.js");
	is_str(o.argv[0], "tini", "node-start with tini: the command is tini");
	is_str(o.argv[2], "--", "a second -- belongs to the command");
	is_str(o.argv[4], "server.js", "the command's words are kept");

	PARSES("--restart", "--watch", "/workspace", "--shell", "none", "-vv", "--", "node",
	       "server.js");
	is_int(o.verbosity, 3, "libreload's -vv raises the verbosity twice");
}

static void
test_go(void)
{
	PARSES("--restart", "--watch", "/workspace", "--watch",
	       "/layers/paketo-buildpacks_go-build/targets/bin", "--shell", "none", "--",
	       "/layers/paketo-buildpacks_go-build/targets/bin/workspace");
	is_int(o.nwatch, 2, "go-build: two roots");
	is_str(o.watch[1], "/layers/paketo-buildpacks_go-build/targets/bin", "the binary's dir");
	is_str(o.argv[0], "/layers/paketo-buildpacks_go-build/targets/bin/workspace",
	       "the binary runs directly");
}

static void
test_values(void)
{
	PARSES("-r", "-w", "/app", "--", "cmd");
	is_int(o.debounce_ms, 10, "reinit's quiet period by default");
	is_int(o.stop_ms, OPTS_STOP_MS, "no stop deadline of reinit's own by default");
	is_str(o.argv[0], "sh", "no --shell: through sh, as watchexec does");
	is_str(o.argv[1], "-c", "with -c");
	is_str(o.argv[2], "cmd", "and the command");
	PARSES("--shell=bash", "--", "echo", "a b", "c");
	is_str(o.argv[0], "bash", "--shell=bash runs bash");
	is_str(o.argv[2], "echo a b c", "the words joined by spaces, as watchexec does");
	ok(o.argv[3] == 0, "bash -c CMD and nothing more");
	PARSES("-n", "cmd", "x");
	is_str(o.argv[0], "cmd", "-n is --shell none; the command needs no --");
	is_int(o.nwatch, 1, "no --watch: one root");
	is_str(o.watch[0], ".", "the current directory, as watchexec does");
	PARSES("-d", "50", "-n", "cmd");
	is_int(o.debounce_ms, 50, "a bare --debounce is milliseconds");
	is_int(o.debounce_max_ms, 50, "a window from the first event, as watchexec's");
	PARSES("--debounce=2s", "-n", "cmd");
	is_int(o.debounce_ms, 2000, "--debounce=2s");
	PARSES("-d500ms", "-n", "cmd");
	is_int(o.debounce_ms, 500, "-d500ms");
	PARSES("--stop-timeout", "5", "-n", "cmd");
	is_int(o.stop_ms, 5000, "a bare --stop-timeout is seconds");
	PARSES("--stop-timeout=300ms", "-n", "cmd");
	is_int(o.stop_ms, 300, "--stop-timeout=300ms");
	PARSES("--stop-signal", "INT", "-n", "cmd");
	is_int(o.stop_signal, 2, "--stop-signal INT");
	PARSES("-r", "-s", "SIGKILL", "-n", "cmd");
	is_int(o.stop_signal, 9, "-s: the signal a restart sends, as watchexec 1.x");
	PARSES("-rpn", "-wsrc", "-e", "js,css", "--no-vcs-ignore", "cmd");
	is_int(o.postpone, 1, "-p in a cluster postpones");
	is_str(o.watch[0], "src", "-wsrc: a value stuck to its letter");
	is_str(o.exts, "js,css", "-e js,css");
	is_str(o.argv[0], "cmd", "-n in a cluster");
	PARSES("-i", "*.log", "-i", "/elsewhere/x", "-w", "/app/", "-i", "/app/", "-i", "/app/tmp",
	       "-n", "cmd");
	is_str(ignore(0), "*.log", "a glob is kept as it is");
	is_str(ignore(1), "", "an absolute path outside every root is dropped");
	is_str(ignore(2), "", "the root itself is never ignored, as in watchexec");
	is_str(ignore(3), "/tmp", "a root written with a trailing slash still anchors");
}

static void
test_refused(void)
{
	FAILS("'--clear' is not supported", "--clear", "cmd");
	FAILS("'-c' is not supported", "-c", "cmd");
	FAILS("'-rc' is not supported", "-rc", "cmd");
	FAILS("option '--restart' takes no value", "--restart=1", "cmd");
	FAILS("invalid --debounce '5sec 20ms': expected a duration", "--debounce", "5sec 20ms",
	      "cmd");
	FAILS("invalid --stop-signal 'NOPE': expected a signal", "--stop-signal", "NOPE", "cmd");
	FAILS("invalid --signal 'NOPE'", "-s", "NOPE", "cmd");
	FAILS("option '--watch' needs a value", "--watch");
	FAILS("option '--watch' needs a value", "-w");
	FAILS("invalid --exts '': expected", "-e", "", "cmd");
	FAILS("watchexec option '-t' is not supported", "-t", "5", "cmd");
	FAILS("watchexec option '--pause' is not supported", "--pause", "cmd");
	FAILS("no command given", "-r", "--");
	is_str(joined(), "no command given", "no pointer to reinit --help, which watchexec has not");
	FAILS("option '--watch' needs a value", "-n", "-w");
	is_str(joined(), "option '--watch' needs a value", "and none here either");
}

static void
test_environment(void)
{
	is_int(run(ARGS("-n", "cmd"),
		   (const char *const[]){"REINIT_STOP_TIMEOUT=3s", "REINIT_IGNORE=/dist", 0}),
	       0, "REINIT_* variables are read as watchexec too");
	is_int(o.stop_ms, 3000, "REINIT_STOP_TIMEOUT sets the stop timeout");
	is_str(ignore(0), "/dist", "a REINIT_IGNORE pattern keeps reinit's meaning");
	is_int(run(ARGS("--stop-timeout", "1", "-n", "cmd"),
		   (const char *const[]){"REINIT_STOP_TIMEOUT=3s", 0}),
	       0, "the flag and the variable together");
	is_int(o.stop_ms, 1000, "the flag wins over the variable");
	is_int(run(ARGS("-n", "cmd"), (const char *const[]){"REINIT_PAUSE=1", 0}), 0,
	       "REINIT_PAUSE does not stop watchexec's command (it has no --pause)");
	ok(o.argv && !strcmp(o.argv[0], "cmd"), "the command runs");
}

static void
test_env(void)
{
	const char *out[3] = {0, 0, 0};

	PARSES("-w", "/workspace", "-n", "cmd");
	wexec_env(&o, "REINIT_CHANGED=", out);
	ok(!out[0] && !out[1], "nothing changed: no variables");
	wexec_env(&o, "REINIT_CHANGED=src/b.js\na.js", out);
	is_str(out[0], "WATCHEXEC_COMMON_PATH=/workspace", "the common path is the root");
	is_str(out[1], "WATCHEXEC_OTHERWISE_CHANGED_PATH=src/b.js:a.js",
	       "the paths relative to it, joined by ':'");
	ok(!out[2], "two variables and no more");

	out[0] = out[1] = 0;
	PARSES("-w", "/a", "-w", "/b", "-n", "cmd");
	wexec_env(&o, "REINIT_CHANGED=x", out);
	ok(!out[0], "two roots: no common path");
	is_str(out[1], "WATCHEXEC_OTHERWISE_CHANGED_PATH=x", "the path as the watcher gave it");

	out[0] = out[1] = 0;
	run((const char *const[]){"reinit", "-w", "/a", "cmd", 0}, 0);
	wexec_env(&o, "REINIT_CHANGED=x", out);
	ok(!out[0] && !out[1], "as reinit: no watchexec variables");
}

int
main(void)
{
	test_nodejs();
	test_go();
	test_values();
	test_refused();
	test_environment();
	test_env();
	return tap_done();
}
