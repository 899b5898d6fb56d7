/* unit_signame.c: signal names <-> numbers against the kernel's numbering. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "signals/signame.h"
#include "test/tap.h"

/* The kernel's names, from <signal.h> rather than from the module under
 * test, so that a shifted table shows up as a wrong number. */
static const struct {
	int sig;
	const char *name;
} kernel[] = {
	{SIGHUP, "HUP"},       {SIGINT, "INT"},       {SIGQUIT, "QUIT"},
	{SIGILL, "ILL"},       {SIGTRAP, "TRAP"},     {SIGABRT, "ABRT"},
	{SIGBUS, "BUS"},       {SIGFPE, "FPE"},       {SIGKILL, "KILL"},
	{SIGUSR1, "USR1"},     {SIGSEGV, "SEGV"},     {SIGUSR2, "USR2"},
	{SIGPIPE, "PIPE"},     {SIGALRM, "ALRM"},     {SIGTERM, "TERM"},
	{SIGSTKFLT, "STKFLT"}, {SIGCHLD, "CHLD"},     {SIGCONT, "CONT"},
	{SIGSTOP, "STOP"},     {SIGTSTP, "TSTP"},     {SIGTTIN, "TTIN"},
	{SIGTTOU, "TTOU"},     {SIGURG, "URG"},       {SIGXCPU, "XCPU"},
	{SIGXFSZ, "XFSZ"},     {SIGVTALRM, "VTALRM"}, {SIGPROF, "PROF"},
	{SIGWINCH, "WINCH"},   {SIGIO, "IO"},         {SIGPWR, "PWR"},
	{SIGSYS, "SYS"},
};

/* Parses s from a heap copy of exactly strlen(s) bytes with no NUL after
 * it: AddressSanitizer stops the test if the parser reads one byte more. */
static int
parse_exact(const char *s)
{
	size_t len = strlen(s);
	char *p = malloc(len ? len : 1);
	int r;

	memcpy(p, s, len);
	r = signame_parse(p, len);
	free(p);
	return r;
}

static void
parses(const char *s, int want)
{
	is_int(parse_exact(s), want, "'%s' parses as %d", s, want);
}

static void
rejects(const char *s)
{
	is_int(parse_exact(s), -EINVAL, "'%s' is rejected with -EINVAL", s);
}

static void
test_names(void)
{
	char buf[SIGNAME_BUF], want[SIGNAME_BUF + 8];
	size_t i;

	is_int(sizeof(kernel) / sizeof(kernel[0]), 31, "the table covers 1..31");
	for (i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		int sig = kernel[i].sig;
		const char *s;

		snprintf(want, sizeof(want), "SIG%s", kernel[i].name);
		memset(buf, 'x', sizeof(buf));
		s = signame_str(sig, buf);
		is_str(s, want, "signame_str(%d) is %s", sig, want);
		is_int(signame_parse(s, strlen(s)), sig, "'%s' from signame_str parses back to %d",
		       s, sig);
		is_int(parse_exact(kernel[i].name), sig, "'%s' without SIG parses as %d",
		       kernel[i].name, sig);
	}
}

static void
test_realtime(void)
{
	char buf[SIGNAME_BUF];
	int sig;

	is_str(signame_str(34, buf), "SIGRTMIN+0", "34 is SIGRTMIN+0");
	is_str(signame_str(40, buf), "SIGRTMIN+6", "40 is SIGRTMIN+6");
	is_str(signame_str(64, buf), "SIGRTMIN+30", "64 is SIGRTMIN+30");
	for (sig = SIGNAME_RTMIN; sig <= SIGNAME_RTMAX; sig++) {
		const char *s = signame_str(sig, buf);

		is_int(signame_parse(s, strlen(s)), sig, "'%s' parses back to %d", s, sig);
	}
	/* 32 and 33 belong to the C library: shown as numbers. */
	is_str(signame_str(32, buf), "SIG32", "32 is shown as SIG32");
	is_str(signame_str(33, buf), "SIG33", "33 is shown as SIG33");
}

static void
test_parse(void)
{
	parses("TERM", 15);
	parses("SIGTERM", 15);
	parses("sigterm", 15);
	parses("SigTerm", 15);
	parses("15", 15);
	parses("1", 1);
	parses("64", 64);
	parses("SIG9", 9);
	parses("RTMIN", 34);
	parses("RTMIN+3", 37);
	parses("rtmin+3", 37);
	parses("SIGRTMIN", 34);
	parses("SIGRTMAX-1", 63);
	parses("RTMAX", 64);
	parses("RTMAX-30", 34);
	parses("RTMIN+30", 64);
	parses("IO", 29);
	parses("IOT", 6);
	parses("SIGIOT", 6);
	parses("POLL", 29);
	parses("sigpoll", 29);

	rejects("0");
	rejects("65");
	rejects("-1");
	rejects("+1");
	rejects("1000");
	rejects("");
	rejects("TERMX");
	rejects("TER");
	rejects("SIG");
	rejects("SIGSIGTERM");
	rejects(" TERM");
	rejects("RTMIN+31");
	rejects("RTMAX-31");
	rejects("RTMIN+");
	rejects("RTMAX-");
	rejects("RTMIN-1");
	rejects("RTMAX+1");
	rejects("RTMINX");
	rejects("RTM");
	rejects("RTMID");
	rejects("IOTA");
	rejects("POLLX");
}

/* The length, not a NUL, ends the name: "TERM:QUIT" is read as two. */
static void
test_len(void)
{
	is_int(signame_parse("TERM:QUIT", 4), 15, "the first 4 bytes of 'TERM:QUIT' are TERM");
	is_int(signame_parse("TERM:QUIT" + 5, 4), 3, "the last 4 bytes of 'TERM:QUIT' are QUIT");
	is_int(signame_parse("15:0", 2), 15, "the first 2 bytes of '15:0' are 15");
	is_int(signame_parse("RTMIN+3:1", 7), 37, "the first 7 bytes of 'RTMIN+3:1' are RTMIN+3");
	is_int(signame_parse("IOT", 2), 29, "the first 2 bytes of 'IOT' are IO");
	is_int(signame_parse("TERM", 3), -EINVAL, "the first 3 bytes of 'TERM' are no name");
	is_int(signame_parse("TERM", 0), -EINVAL, "0 bytes are no name");
}

int
main(void)
{
	test_names();
	test_realtime();
	test_parse();
	test_len();
	return tap_done();
}
