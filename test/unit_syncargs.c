/* unit_syncargs.c: the built-in tar's and rm's command lines, as Tilt,
 * Skaffold and kubectl cp write them. */
#include <string.h>

#include "sync/args.h"
#include "test/tap.h"

static struct sync_args a;
static char words[16][64];
static char *av[17];

/* Runs the tar (tar = 1) or rm parser on a space-separated line. */
static int
run(int tar, const char *line)
{
	char copy[512], *w, *save;
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(0, " ", &save)) {
		snprintf(words[n], sizeof(words[n]), "%s", w);
		av[n] = words[n];
		n++;
	}
	av[n] = 0;
	return tar ? sync_tar_args(&a, n, av) : sync_rm_args(&a, n, av);
}

/* given: which of SYNC_PERM and SYNC_OWN an option decided, so that the
 * default for root does not apply to them. */
static void
tar_ok(const char *line, unsigned flags, unsigned given, const char *file, const char *dir)
{
	is_int(run(1, line), 0, "tar parses: %s", line);
	is_int(a.flags, flags, "  flags of: %s", line);
	is_int(a.given & (SYNC_PERM | SYNC_OWN), given, "  decided by options: %s", line);
	is_str(a.file, file, "  -f of: %s", line);
	is_str(a.dir, dir, "  -C of: %s", line);
}

static void
tar_bad(const char *line, int err, const char *bad)
{
	is_int(run(1, line), err, "tar refuses: %s", line);
	if (bad)
		is_str(a.bad, bad, "  names the culprit: %s", line);
}

int
main(void)
{
	/* Tilt, old and new. */
	tar_ok("tar -C / -x -f -", SYNC_X, 0, "-", "/");
	tar_ok("tar -C / -x -v -f -", SYNC_X | SYNC_V, 0, "-", "/");
	/* Skaffold: old-style bundle, f's argument is the next word. */
	tar_ok("tar xmf - -C / --no-same-owner", SYNC_X | SYNC_M, SYNC_OWN, "-", "/");
	/* kubectl cp, both forms. */
	tar_ok("tar -xmf - -C /dir", SYNC_X | SYNC_M, 0, "-", "/dir");
	tar_ok("tar --no-same-permissions --no-same-owner -xmf - -C /dir", SYNC_X | SYNC_M,
	       SYNC_OWN | SYNC_PERM, "-", "/dir");
	/* Other spellings. */
	tar_ok("tar -xvf a.tar", SYNC_X | SYNC_V, 0, "a.tar", 0);
	tar_ok("tar -xfa.tar -C/x", SYNC_X, 0, "a.tar", "/x");
	tar_ok("tar xCf /d a.tar", SYNC_X, 0, "a.tar", "/d");
	tar_ok("tar -x -p --same-owner", SYNC_X | SYNC_PERM | SYNC_OWN, SYNC_PERM | SYNC_OWN, 0, 0);
	tar_ok("tar -xo --same-owner", SYNC_X | SYNC_OWN, SYNC_OWN, 0, 0);
	tar_ok("tar --same-owner -xo", SYNC_X, SYNC_OWN, 0, 0);
	tar_ok("tar -x -p --no-same-permissions", SYNC_X, SYNC_PERM, 0, 0);
	tar_ok("tar -x --", SYNC_X, 0, 0, 0);
	/* Errors. */
	tar_bad("tar -xzf -", SYNC_EOPT, "-z");
	tar_bad("tar xzf -", SYNC_EOPT, "-z");
	tar_bad("tar -x --gzip", SYNC_EOPT, "--gzip");
	tar_bad("tar -x --file=a", SYNC_EOPT, "--file=a");
	tar_bad("tar -cf -", SYNC_EOPT, "-c");
	tar_bad("tar -tf -", SYNC_EOPT, "-t");
	/* GNU tar's -S is --sparse and -P --absolute-names: neither is taken. */
	tar_bad("tar -xSf -", SYNC_EOPT, "-S");
	tar_bad("tar -xPf -", SYNC_EOPT, "-P");
	tar_bad("tar -x --same", SYNC_EOPT, "--same");
	tar_bad("tar -x -f", SYNC_EARG, "-f");
	tar_bad("tar -x -C", SYNC_EARG, "-C");
	tar_bad("tar xf", SYNC_EARG, "-f");
	tar_bad("tar -f -", SYNC_ENOX, 0);
	tar_bad("tar", SYNC_ENOX, 0);
	tar_bad("tar -xf - app/main", SYNC_EMEMBER, "app/main");
	/* After "--" every word is a member name, even one with a dash. */
	tar_bad("tar -xf - -- -C", SYNC_EMEMBER, "-C");
	tar_bad("tar -xf - -", SYNC_EMEMBER, "-");

	/* rm: Tilt's and Skaffold's lines. */
	is_int(run(0, "rm -rf /app/a /app/b"), 2, "rm -rf: two operands");
	is_int(a.flags, SYNC_R | SYNC_F, "rm -rf: -r and -f");
	is_str(av[1], "/app/a", "rm: first operand first");
	is_str(av[2], "/app/b", "rm: second operand second");
	is_int(run(0, "rm -rf -- /app/-x /app/b"), 2, "rm -rf --: two operands");
	is_str(av[1], "/app/-x", "rm --: a dash after -- is an operand");
	is_int(run(0, "rm -R -f x"), 1, "rm -R -f");
	is_int(a.flags, SYNC_R | SYNC_F, "rm -R -f: flags");
	is_int(run(0, "rm x -f"), 1, "rm: an option after an operand still counts");
	is_int(a.flags, SYNC_F, "rm x -f: -f");
	is_int(run(0, "rm -- -f"), 1, "rm -- -f: -f is an operand");
	is_int(a.flags, 0, "rm -- -f: no flags");
	is_int(run(0, "rm -f"), 0, "rm -f: no operands");
	is_int(run(0, "rm -r"), SYNC_ENOOPERAND, "rm -r: no operands, no -f: refused");
	is_int(run(0, "rm"), SYNC_ENOOPERAND, "rm: no operands: refused");
	is_int(run(0, "rm -ri x"), SYNC_EOPT, "rm -i: refused");
	is_str(a.bad, "-i", "rm -i: named");
	is_int(run(0, "rm --recursive x"), SYNC_EOPT, "rm --recursive: refused");
	is_int(run(0, "rm -x x"), SYNC_EOPT, "rm -x: a tar letter is no rm option");
	is_int(run(0, "rm --no-same-owner x"), SYNC_EOPT, "rm: a tar long option is no rm option");
	return tap_done();
}
