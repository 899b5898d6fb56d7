/* tarx.c: extracting a tar stream below a directory, never outside it:
 * the stream, its headers and data; tarmk.c makes each entry. */
#include "sync/tarx.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "proc/shown.h"
#include "proc/sys.h"
#include "sync/tarhdr.h"
#include "sync/tarmk.h"

static struct tarhdr h;
static unsigned char buf[65536];

/* Reads (wr 0) or writes (wr 1) n bytes at b, again after a signal; the
 * count done, short only at the end of the input or on an error (*err
 * then set). */
static size_t
io(int wr, int fd, unsigned char *b, size_t n, int *err)
{
	size_t done = 0;
	long r;

	while (done < n &&
	       (r = wr ? sys_write(fd, b + done, n - done) : sys_read(fd, b + done, n - done))) {
		if (r > 0)
			done += (size_t)r;
		else if (r != -EINTR) {
			*err = (int)r;
			break;
		}
	}
	return done;
}

/* Reads up to n bytes of the archive; fewer only at its end or on an
 * error (x->fatal then set). */
static size_t
rd(struct tarx *x, unsigned char *b, size_t n)
{
	size_t got = io(0, x->in, b, n, &x->fatal);

	if (got && x->moved)
		x->moved();
	return got;
}

/* Reads size bytes of data and their padding, writing them to fd unless
 * it is -1; 0, or the write error (the data is still read). */
static int
data(struct tarx *x, int fd, long long size)
{
	unsigned long long pad = ((unsigned long long)size + 511) & ~511ULL;
	size_t n, w;
	int err = 0;

	while (pad && !x->fatal) {
		n = pad < sizeof(buf) ? (size_t)pad : sizeof(buf);
		if (rd(x, buf, n) != n) {
			x->fatal = x->fatal ? x->fatal : TARX_ETRUNC;
			break;
		}
		pad -= n;
		w = size < (long long)n ? (size_t)size : n;
		size -= (long long)w;
		if (fd >= 0 && !err)
			io(1, fd, buf, w, &err);
	}
	return err;
}

/* Reads n bytes of the archive and drops them. */
static void
skip(struct tarx *x, unsigned long long n)
{
	size_t k;

	for (; n && !x->fatal; n -= k) {
		k = n < sizeof(buf) ? (size_t)n : sizeof(buf);
		if (rd(x, buf, k) != k && !x->fatal)
			x->fatal = TARX_ETRUNC;
	}
}

/* Reads the data of an extended header (a GNU long name, pax records)
 * through buf, record by record: one larger than buf is skipped whole when
 * reinit ignores its keyword (a large xattr), and refused otherwise. */
static void
ext(struct tarx *x)
{
	unsigned long long rest = (unsigned long long)h.num[TARHDR_SIZE];
	size_t have = 0, n;
	long long r;

	_Static_assert(sizeof(buf) >= TARHDR_EXT_BUF, "a record tarhdr_ext needs whole fits");
	while (!x->fatal && (rest || have)) {
		n = rest < sizeof(buf) - have ? (size_t)rest : sizeof(buf) - have;
		if (rd(x, buf + have, n) != n) {
			x->fatal = x->fatal ? x->fatal : TARX_ETRUNC;
			break;
		}
		have += n;
		rest -= n;
		if ((r = tarhdr_ext(&h, (char *)buf, have, rest)) < 0)
			x->fatal = TARX_EHDR + (int)r;
		else if ((unsigned long long)r >= have) {
			rest -= (unsigned long long)r - have;
			skip(x, (unsigned long long)r - have);
			have = 0;
		} else {
			memmove(buf, buf + r, have - (size_t)r);
			have -= (size_t)r;
		}
	}
	skip(x, -(unsigned long long)h.num[TARHDR_SIZE] & 511);
}

/* Makes one entry and reads its data; 0, TARX_SKIP for a type not
 * extracted, or -errno / a TARX_E* code. */
static int
entry(struct tarx *x)
{
	struct tarmk m;
	int err = tarmk_begin(x, &h, h.name, &m), r;

	/* The data is read whatever happened, to reach the next header. */
	r = data(x, m.fd, h.num[TARHDR_SIZE]);
	if (!err)
		err = r;
	/* A stream cut short leaves the entry unnamed, and says so itself. */
	r = tarmk_end(x, &h, &m, err ? err : x->fatal);
	return err || !x->fatal ? r : 0;
}

/* Reports what to the caller with the entry's name as shown (shown.h): a
 * message or a listed name is one line, and no archive can move the
 * cursor or forge a line. */
static void
note(struct tarx *x, int what)
{
	static char shown[TARHDR_PATH];

	shown[shown_copy(shown, h.name, strlen(h.name))] = 0;
	x->note(shown, what);
}

/* gzip, bzip2, xz and zstd streams begin so. */
static const char zmagic[4][6] = {"\x1f\x8b", "BZh",
				  "\xfd"
				  "7zXZ",
				  "\x28\xb5\x2f\xfd"};

int
tarx_extract(struct tarx *x)
{
	/* Zero where a short first read leaves it, for the magic numbers:
	 * tar runs once per process. */
	static unsigned char blk[TARHDR_BLOCK];
	struct stat st;
	int r, i, first = 1;

	/* Files are written unnamed only where they can be named through
	 * /proc afterwards. */
	x->tmpfile = sys_stat(AT_FDCWD, "/proc/self/fd", &st, 0) == 0;
	x->in_root = sys_is_root(x->root, "");
	/* Past `ulimit -f`, a write fails with EFBIG and the entry is
	 * reported, instead of tar being killed in the middle of a file. */
	sys_disposition(SIGXFSZ, 1, SIG_IGN);
	for (;;) {
		h.name[0] = 0;
		r = (int)rd(x, blk, sizeof(blk));
		if (x->fatal || (!r && !first))
			break;
		if (r != sizeof(blk))
			x->fatal = TARX_ETRUNC;
		else if ((r = tarhdr_block(&h, blk)) == TARHDR_END)
			break;
		else if (r < 0)
			x->fatal = TARX_EHDR + r;
		if (x->fatal) {
			/* As GNU tar: a stream that does not start with a
			 * header (empty, short, or not tar at all) is one
			 * line, its garbage not shown as a name. */
			if (first &&
			    (x->fatal == TARX_ETRUNC || x->fatal == TARX_EHDR + TARHDR_ESUM))
				x->fatal = TARX_ENOTTAR, h.name[0] = 0;
			for (i = 0; first && i < 4; i++)
				if (!memcmp(blk, zmagic[i], strlen(zmagic[i])))
					x->fatal = TARX_EZIP;
			break;
		}
		first = 0;
		if (r == TARHDR_EXT) {
			ext(x);
			continue;
		}
		note(x, TARX_LIST);
		if ((r = entry(x))) {
			note(x, r);
			if (r != TARX_SKIP)
				x->failed = 1;
		}
		if (x->fatal)
			break;
	}
	if (x->fatal)
		note(x, x->fatal);
	tarmk_flush(x);
	/* Read the rest, so that a writer behind a pipe does not fail. */
	while (!x->fatal && rd(x, buf, sizeof(buf)) == sizeof(buf))
		;
	return x->failed || x->fatal ? -1 : 0;
}
