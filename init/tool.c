/* tool.c: reinit run as tar or rm (by a link's name or `reinit tar ...`),
 * and `reinit --install DIR`: parse, run, return the exit status. */
#include "init/tool.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/ask.h"
#include "init/log.h"
#include "proc/sys.h"
#include "sync/args.h"
#include "sync/rmtree.h"
#include "sync/tarhdr.h"
#include "sync/tarx.h"

static int verbose;

/* The texts of each list's errors, in its order. */
static const char tar_errs[] = TAR_ERR_TEXTS;
static const char usage_errs[] = SYNC_ERR_TEXTS;

static void
note(const char *name, int what)
{
	const char *text;

	if (what == TARX_LIST) {
		if (verbose) {
			(void)!sys_write(1, name, strlen(name));
			(void)!sys_write(1, "\n", 1);
		}
		return;
	}
	if (what == TARX_SKIP)
		text = "skipped: type not supported";
	else if (what == -EXDEV)
		text = "refused: outside the directory";
	else if (what < TARX_EHDR)
		text = log_nth(tar_errs, TAR_ERR_NTH(what));
	else
		text = log_strerror(-what);
	log_msg(LOG_ERROR, name, *name ? ": " : "", text);
}

static int
tar_main(int argc, char **argv)
{
	struct sync_args a;
	struct tarx x = {.root = AT_FDCWD, .note = note, .moved = ask_hold_moved};
	int r = sync_tar_args(&a, argc, argv);
	unsigned root = geteuid() ? 0 : SYNC_PERM | SYNC_OWN;

	if (r) {
		log_msg(LOG_ERROR, log_nth(usage_errs, SYNC_ERR_NTH(r)), a.bad);
		return 2;
	}
	/* GNU tar's defaults: modes and owners as archived for root only,
	 * where no option said otherwise. */
	x.flags = a.flags | (root & ~a.given);
	x.umask = sys_umask(0);
	sys_umask(x.umask);
	verbose = a.flags & SYNC_V;
	if ((a.file && strcmp(a.file, "-") && (x.in = sys_open(a.file, O_CLOEXEC)) < 0) ||
	    (a.dir && (x.root = sys_open(a.dir, O_DIRECTORY | O_CLOEXEC)) < 0)) {
		log_msg(LOG_ERROR, "cannot open '", x.in < 0 ? a.file : a.dir,
			"': ", log_strerror(x.in < 0 ? -x.in : -x.root));
		return 2;
	}
	return tarx_extract(&x) ? 2 : 0;
}

static int
rm_main(int argc, char **argv)
{
	struct sync_args a;
	int n = sync_rm_args(&a, argc, argv), i, r, status = 0;
	const char *p, *base, *why;
	size_t len;

	if (n < 0) {
		log_msg(LOG_ERROR, log_nth(usage_errs, SYNC_ERR_NTH(n)), a.bad);
		return 1;
	}
	for (i = 1; i <= n; i++) {
		p = argv[i];
		/* The last component, trailing slashes aside. */
		for (len = strlen(p); len > 1 && p[len - 1] == '/';)
			len--;
		for (base = p + len; base > p && base[-1] != '/';)
			base--;
		len -= (size_t)(base - p);
		r = 0;
		why = 0;
		if (a.flags & SYNC_R) {
			if (base[0] == '.' && (len == 1 || (len == 2 && base[1] == '.')))
				why = "refusing to remove '";
			else if (sys_is_root(AT_FDCWD, p))
				why = "it is dangerous to operate recursively on '";
		}
		if (!why && (r = rmtree(p, a.flags & SYNC_R)) &&
		    (r != -ENOENT || !(a.flags & SYNC_F)))
			why = "cannot remove '";
		/* One message for the three: each names p. */
		if (why) {
			log_msg(LOG_ERROR, why, p, r ? "': " : "'", r ? log_strerror(-r) : "");
			status = 1;
		}
	}
	return status;
}

/* Links DIR/tar and DIR/rm to this binary, for a scratch image's RUN. */
static int
install(int argc, char **argv)
{
	static char self[4096];
	int fd, e = 0;

	if (argc != 2 ||
	    (e = (int)sys_readlinkat(AT_FDCWD, "/proc/self/exe", self, sizeof(self) - 1)) < 0)
		goto fail;
	self[e] = 0;
	if (((e = sys_mkdirat(AT_FDCWD, argv[1], 0755)) && e != -EEXIST) ||
	    (e = fd = sys_open(argv[1], O_DIRECTORY | O_CLOEXEC)) < 0)
		goto fail;
	sys_unlinkat(fd, "tar", 0);
	sys_unlinkat(fd, "rm", 0);
	if (!(e = sys_symlinkat(self, fd, "tar")) && !(e = sys_symlinkat(self, fd, "rm")))
		return 0;
fail:
	log_msg(LOG_ERROR, "--install ", argc == 2 ? argv[1] : "DIR", ": ",
		argc == 2 ? log_strerror(-e) : "one directory expected");
	return 1;
}

/* What a name or first word asks for. */
enum { TOOL_NONE = -1, TOOL_TAR, TOOL_RM, TOOL_INSTALL };

static int
tool_named(const char *w)
{
	return !strcmp(w, "tar")         ? TOOL_TAR
	       : !strcmp(w, "rm")        ? TOOL_RM
	       : !strcmp(w, "--install") ? TOOL_INSTALL
					 : TOOL_NONE;
}

int
tool_main(int argc, char **argv)
{
	const char *b, *p;
	int r, i, more, tool;

	if (argc < 1)
		return -1;
	for (b = p = argv[0]; *p; p++)
		if (*p == '/')
			b = p + 1;
	/* A link named tar or rm, or `reinit tar|rm|--install ...`. */
	if ((tool = tool_named(b)) == TOOL_NONE || tool == TOOL_INSTALL) {
		if (argc < 2 || (tool = tool_named(argv[1])) == TOOL_NONE)
			return -1;
		b = *++argv;
		argc--;
	}
	if (tool == TOOL_INSTALL)
		return install(argc, argv);
	log_name = b;
	/* A watching reinit holds its restart while a sync writes and
	 * restarts once, as soon as it ends. Tilt's rm is followed by its
	 * tar, Compose's rm by the files its engine writes, Skaffold's tar
	 * (the old-style "xmf" bundle) by its rm when files were deleted:
	 * each says another step may follow. Skaffold's rm ("rm -rf --
	 * ...") and every other tar end the sync. */
	ask_hold_begin();
	if (tool == TOOL_TAR) {
		r = tar_main(argc, argv);
		more = argc > 1 && argv[1][0] != '-';
	} else {
		/* Before rm_main, which moves the operands over the "--". */
		for (more = 1, i = 1; i < argc && more; i++)
			if (!strcmp(argv[i], "--"))
				more = 0;
		r = rm_main(argc, argv);
	}
	ask_hold_end(more);
	return r;
}
