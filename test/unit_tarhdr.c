/* unit_tarhdr.c: tar header blocks of each format -> entries, and the
 * errors a bad block gives. */
#include <string.h>

#include "sync/tarhdr.h"
#include "test/tap.h"

static struct tarhdr h;
static unsigned char b[512];

/* Fills the checksum field with the unsigned sum (or the signed one). */
static void
sum(int sign)
{
	long s = 0;
	int i;

	memset(b + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		s += sign ? (signed char)b[i] : b[i];
	snprintf((char *)b + 148, 8, "%06lo", (unsigned long)s);
}

/* A header of the given magic ("ustar" posix, "gnu", "" v7). */
static void
hdr(const char *magic, const char *name, char type, long long size)
{
	memset(b, 0, sizeof(b));
	snprintf((char *)b, 100, "%s", name);
	snprintf((char *)b + 100, 8, "%07o", 0644);
	snprintf((char *)b + 108, 8, "%07o", 1000);
	snprintf((char *)b + 116, 8, "%07o", 1001);
	snprintf((char *)b + 124, 12, "%011llo", size);
	snprintf((char *)b + 136, 12, "%011o", 1700000000);
	b[156] = (unsigned char)type;
	if (!strcmp(magic, "ustar"))
		memcpy(b + 257,
		       "ustar\0"
		       "00",
		       8);
	else if (!strcmp(magic, "gnu"))
		memcpy(b + 257, "ustar  ", 8);
	sum(0);
}

/* All of data at once: 0 once it is all taken, else what tarhdr_ext said. */
static int
ext(const char *data)
{
	long long r = tarhdr_ext(&h, data, strlen(data), 0);

	return r == (long long)strlen(data) ? 0 : (int)r;
}

/* pax records "LEN KV\n" for each "KEY=VALUE" given, LEN computed. */
static int
pax(const char *const *kv)
{
	static char data[4096];
	size_t n = 0, len;

	for (; *kv; kv++) {
		len = strlen(*kv) + 2;
		len += len + 1 >= 10 ? (len + 2 >= 100 ? 3 : 2) : 1;
		n += (size_t)snprintf(data + n, sizeof(data) - n, "%zu %s\n", len, *kv);
	}
	return ext(data);
}
#define PAX(...) pax((const char *const[]){__VA_ARGS__, 0})

int
main(void)
{
	static char longname[5000];

	memset(b, 0, sizeof(b));
	is_int(tarhdr_block(&h, b), TARHDR_END, "a zero block ends the archive");

	hdr("ustar", "dir/file", '0', 5);
	is_int(tarhdr_block(&h, b), TARHDR_ENTRY, "ustar file");
	is_str(h.name, "dir/file", "ustar name");
	is_int(h.type, '0', "ustar type");
	is_int(h.mode, 0644, "ustar mode");
	is_int(h.num[TARHDR_SIZE], 5, "ustar size");
	is_int(h.num[TARHDR_MTIME], 1700000000, "ustar mtime");
	is_int(h.num[TARHDR_UID], 1000, "ustar uid");
	is_int(h.num[TARHDR_GID], 1001, "ustar gid");

	hdr("ustar", "file", '0', 0);
	memcpy(b + 345, "a/very/long/prefix", 18);
	sum(0);
	tarhdr_block(&h, b);
	is_str(h.name, "a/very/long/prefix/file", "ustar prefix joined with a slash");
	memcpy(b + 257, "ustar  ", 8);
	sum(0);
	tarhdr_block(&h, b);
	is_str(h.name, "file", "GNU magic: no prefix field");

	hdr("ustar", "", '2', 0);
	memset(b, 'n', 100);
	memset(b + 157, 'l', 100);
	sum(0);
	tarhdr_block(&h, b);
	is_int(strlen(h.name), 100, "a name filling its field has no NUL");
	is_int(strlen(h.link), 100, "a link filling its field has no NUL");

	hdr("ustar", "x", '0', 3);
	b[0] = 0xe9; /* a byte with its top bit set: signed and unsigned sums differ */
	sum(1);
	is_int(tarhdr_block(&h, b), TARHDR_ENTRY, "a signed checksum is accepted");
	sum(0);
	b[10] ^= 1;
	is_int(tarhdr_block(&h, b), TARHDR_ESUM, "checksum mismatch");
	is_str(h.name, "\xe9", "the bad block's name is kept for the message");

	hdr("gnu", "big", '0', 0);
	memset(b + 124, 0, 12);
	b[124] = 0x80;
	b[131] = 0x01; /* 2^32 */
	b[136] = 0xff;
	memset(b + 137, 0xff, 11); /* mtime -1 */
	sum(0);
	is_int(tarhdr_block(&h, b), TARHDR_ENTRY, "base-256 numbers");
	is_int(h.num[TARHDR_SIZE], 1LL << 32, "base-256 size");
	is_int(h.num[TARHDR_MTIME], -1, "base-256 negative mtime");
	b[124] = 0xff;
	sum(0);
	is_int(tarhdr_block(&h, b), TARHDR_ENUM, "a negative size is refused");
	memset(b + 124, 0, 12);
	b[124] = 0x80;
	b[125] = 0x7f; /* more than 64 bits */
	sum(0);
	is_int(tarhdr_block(&h, b), TARHDR_ENUM, "a base-256 number over 64 bits is refused");

	hdr("ustar", "x", '0', 0);
	memcpy(b + 124, "0000000009x", 11);
	sum(0);
	is_int(tarhdr_block(&h, b), TARHDR_ENUM, "a size with a non-octal digit");
	hdr("ustar", "x", '0', 0);
	memcpy(b + 124, "  17 ", 5);
	memset(b + 129, 0, 7);
	sum(0);
	is_int(tarhdr_block(&h, b), TARHDR_ENTRY, "octal with leading spaces");
	is_int(h.num[TARHDR_SIZE], 017, "octal value");
	hdr("ustar", "x", '0', 0);
	b[108] = 0x80;
	memset(b + 109, 0xff, 7);
	sum(0);
	is_int(tarhdr_block(&h, b), TARHDR_ENUM, "a uid over 32 bits is refused");

	/* v7: no magic; type NUL; a trailing slash makes a directory. */
	hdr("", "old/", 0, 0);
	tarhdr_block(&h, b);
	is_int(h.type, '5', "v7: a name ending in / is a directory");
	hdr("", "old", 0, 7);
	tarhdr_block(&h, b);
	is_int(h.type, '0', "v7: type NUL is a regular file");
	is_int(h.num[TARHDR_SIZE], 7, "v7 size");
	hdr("ustar", "c", '7', 7);
	tarhdr_block(&h, b);
	is_int(h.type, '0', "contiguous file is a regular file");
	hdr("ustar", "d/", '5', 512);
	tarhdr_block(&h, b);
	is_int(h.num[TARHDR_SIZE], 0, "a directory has no data whatever its size says");
	hdr("ustar", "l", '1', 99);
	tarhdr_block(&h, b);
	is_int(h.num[TARHDR_SIZE], 0, "a hard link has no data");

	/* GNU long names and link targets. */
	memset(longname, 'n', 300);
	longname[300] = 0;
	hdr("gnu", "././@LongLink", 'L', 301);
	is_int(tarhdr_block(&h, b), TARHDR_EXT, "GNU 'L' announces data");
	is_int(h.num[TARHDR_SIZE], 301, "'L' size");
	is_int(tarhdr_ext(&h, longname, 301, 0), 301, "'L' data taken");
	hdr("gnu", "././@LongLink", 'K', 10);
	tarhdr_block(&h, b);
	is_int(ext("target/t"), 0, "'K' data taken");
	hdr("gnu", "nnnn", '2', 0);
	is_int(tarhdr_block(&h, b), TARHDR_ENTRY, "the entry after 'L' and 'K'");
	is_int(strlen(h.name), 300, "long name applied");
	is_str(h.link, "target/t", "long link applied");
	hdr("gnu", "short", '0', 0);
	tarhdr_block(&h, b);
	is_str(h.name, "short", "a long name applies to one entry only");
	is_str(h.link, "", "a long link applies to one entry only");
	memset(longname, 'n', 4999);
	longname[4999] = 0;
	hdr("gnu", "././@LongLink", 'L', 5000);
	tarhdr_block(&h, b);
	is_int(tarhdr_ext(&h, longname, 5000, 0), TARHDR_ELONG, "a name over 4095 bytes");

	/* pax. */
	hdr("ustar", "PaxHeaders/x", 'x', 0);
	is_int(tarhdr_block(&h, b), TARHDR_EXT, "pax 'x' announces data");
	is_int(PAX("mtime=1700000001.123456789", "path=p\xc3\xa9/long", "linkpath=lnk", "size=1234",
		   "uid=4242", "gid=4343", "SCHILY.xattr.a=b=c"),
	       0, "pax records");
	hdr("ustar", "short", '0', 5);
	is_int(tarhdr_block(&h, b), TARHDR_ENTRY, "the entry after a pax header");
	is_str(h.name, "p\xc3\xa9/long", "pax path");
	is_str(h.link, "lnk", "pax linkpath");
	is_int(h.num[TARHDR_SIZE], 1234, "pax size");
	is_int(h.num[TARHDR_MTIME], 1700000001, "pax mtime, fraction dropped");
	is_int(h.num[TARHDR_UID], 4242, "pax uid");
	is_int(h.num[TARHDR_GID], 4343, "pax gid");
	hdr("ustar", "next", '0', 5);
	tarhdr_block(&h, b);
	is_str(h.name, "next", "'x' applies to one entry only");
	is_int(h.num[TARHDR_SIZE], 5, "'x' size applies to one entry only");

	hdr("ustar", "GlobalHead", 'g', 0);
	is_int(tarhdr_block(&h, b), TARHDR_EXT, "pax 'g'");
	is_int(PAX("uid=77"), 0, "global record");
	hdr("ustar", "a", '0', 0);
	tarhdr_block(&h, b);
	is_int(h.num[TARHDR_UID], 77, "global uid on the first entry");
	tarhdr_block(&h, b);
	is_int(h.num[TARHDR_UID], 77, "global uid on the next entry");
	hdr("ustar", "GlobalHead", 'g', 0);
	tarhdr_block(&h, b);
	is_int(PAX("uid="), 0, "an empty global value");
	hdr("ustar", "a", '0', 0);
	tarhdr_block(&h, b);
	is_int(h.num[TARHDR_UID], 1000, "an empty value undoes the global one");

	hdr("ustar", "x", 'x', 0);
	tarhdr_block(&h, b);
	is_int(ext("-9 path=a\n"), TARHDR_EPAX, "pax: no length");
	is_int(ext("99 path=a\n"), TARHDR_EPAX, "pax: a length past the end");
	is_int(ext("10 path=ab"), TARHDR_EPAX, "pax: a record without its newline");
	is_int(PAX("patha"), TARHDR_EPAX, "pax: no '='");
	is_int(PAX("size=1x"), TARHDR_EPAX, "pax: a number with garbage");
	is_int(PAX("size=-"), TARHDR_EPAX, "pax: a lone sign");
	is_int(PAX("size=99999999999999999999"), TARHDR_EPAX, "pax: a number too large");
	is_int(PAX("mtime=-5."), 0, "pax: a negative mtime");
	hdr("ustar", "x", '0', 0);
	tarhdr_block(&h, b);
	is_int(h.num[TARHDR_MTIME], -5, "pax: negative mtime applied");
	hdr("ustar", "x", 'x', 0);
	tarhdr_block(&h, b);
	is_int(PAX("size=-1"), 0, "pax: a negative size parses");
	hdr("ustar", "x", '0', 0);
	is_int(tarhdr_block(&h, b), TARHDR_ENUM, "and is refused on the entry");

	/* Data in pieces: whole records taken, a cut one left for later, an
	 * ignored one skipped however large. */
	static char big[TARHDR_EXT_BUF + 5000];
	hdr("ustar", "x", 'x', 0);
	tarhdr_block(&h, b);
	is_int(tarhdr_ext(&h, "11 path=ab\n12 path=", 19, 4), 11,
	       "pax: a cut record left for later");
	is_int(tarhdr_ext(&h, "12 path=abc\n", 12, 0), 12, "pax: and taken whole");
	hdr("ustar", "x", '0', 0);
	tarhdr_block(&h, b);
	is_str(h.name, "abc", "pax: the path from a record given in pieces");
	hdr("ustar", "x", 'x', 0);
	tarhdr_block(&h, b);
	is_int(tarhdr_ext(&h, "1", 1, 20), 0, "pax: a cut length needs more");
	memset(big, '0', TARHDR_PATH);
	is_int(tarhdr_ext(&h, big, TARHDR_PATH, 100), TARHDR_EPAX, "pax: zeros without end");
	is_int(tarhdr_ext(&h, "100029 SCHILY.xattr.user.big=vvv", 32, 100029 - 32 + 10), 100029,
	       "pax: an ignored record longer than the data in hand is skipped");
	is_int(tarhdr_ext(&h, "11 path=ab\n100029 SCHILY.xattr.user.big=", 41, 100029), 11 + 100029,
	       "pax: after the records before it");
	is_int(tarhdr_ext(&h, "100029 SCHI", 11, 100029), 0, "pax: its keyword cut: more needed");
	is_int(tarhdr_ext(&h, "5010 path=aaaa", 14, 4996), TARHDR_ELONG,
	       "pax: a path too long, refused before it is all read");
	is_int(tarhdr_ext(&h, "5010 mtime=000", 14, 4996), TARHDR_EPAX, "pax: a number too long");
	is_int(tarhdr_ext(&h, "99 path=a", 9, 10), TARHDR_EPAX, "pax: a cut record past the data");
	memcpy(big, "99999 ", 6);
	memset(big + 6, 'k', TARHDR_PATH);
	is_int(tarhdr_ext(&h, big, TARHDR_PATH + 6, 99999), TARHDR_EPAX,
	       "pax: a keyword without end");
	hdr("gnu", "././@LongLink", 'L', 301);
	tarhdr_block(&h, b);
	memset(longname, 'n', 300);
	longname[300] = 0;
	is_int(tarhdr_ext(&h, longname, 100, 201), 0, "'L' cut: more needed");
	is_int(tarhdr_ext(&h, "ab\0junk", 8, 1000), 1008, "'L': the rest after its NUL skipped");
	memset(longname, 'n', 4999);
	is_int(tarhdr_ext(&h, longname, TARHDR_PATH, 904), TARHDR_ELONG,
	       "'L' too long, refused cut");
	return tap_done();
}
