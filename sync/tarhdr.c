/* tarhdr.c: tar header blocks (ustar, GNU, pax, v7) -> entries; pure. */
#include "sync/tarhdr.h"

#include <limits.h>
#include <string.h>

/* Where the numbers and the mode sit in a header, and how wide they are;
 * the mode last. */
static const struct {
	unsigned char off, len;
} nums[] = {
#define TARHDR_X(name, off, len, key) {off, len},
	TARHDR_NUMS(TARHDR_X)
#undef TARHDR_X
		{100, 8},
};
/* The pax keywords reinit uses, each at the index of its have bit: one
 * string, not a table of pointers, made from the same rows. */
static const char pax_keys[] =
#define TARHDR_X(name, off, len, key) key "\0"
	TARHDR_NUMS(TARHDR_X)
#undef TARHDR_X
		"path\0linkpath\0";
_Static_assert(TARHDR_HAVE_LINK == TARHDR_HAVE_PATH + 1, "path, then linkpath, in pax_keys");

/* The index of the first c in s[0..n), or n. */
static size_t
upto(const char *s, size_t n, char c)
{
	const char *e = memchr(s, c, n);

	return e ? (size_t)(e - s) : n;
}

/* An octal field (leading spaces, then digits, then a space or NUL), or
 * GNU's base-256 (first byte 0x80 or 0xff: big-endian two's complement). */
static int
num(const unsigned char *p, size_t n, long long *v)
{
	long long x = 0;
	size_t i = 0;

	if (*p & 0x80) {
		/* Bit 6 of the first byte is the sign. */
		x = (signed char)(unsigned char)(*p << 1) >> 1;
		for (i = 1; i < n; i++) {
			if (x > LLONG_MAX >> 8 || x < LLONG_MIN >> 8)
				return -1;
			x = x * 256 + p[i];
		}
	} else {
		while (i < n && p[i] == ' ')
			i++;
		for (; i < n && p[i] >= '0' && p[i] <= '7'; i++)
			x = x * 8 + (p[i] - '0');
		if (i < n && p[i] && p[i] != ' ')
			return -1;
	}
	*v = x;
	return 0;
}

/* Copies a header field that may fill its width with no NUL; its length. */
static size_t
field(char *dst, const unsigned char *src, size_t n)
{
	size_t len = upto((const char *)src, n, 0);

	memcpy(dst, src, len);
	dst[len] = 0;
	return len;
}

static void
apply(struct tarhdr *h, const struct tarhdr_over *o)
{
	int i;

	for (i = 0; i < TARHDR_NNUM; i++)
		if (o->have & 1u << i)
			h->num[i] = o->num[i];
	if (o->have & 1u << TARHDR_HAVE_PATH)
		memcpy(h->name, o->path, sizeof(h->name));
	if (o->have & 1u << TARHDR_HAVE_LINK)
		memcpy(h->link, o->link, sizeof(h->link));
}

int
tarhdr_block(struct tarhdr *h, const unsigned char *b)
{
	unsigned long sum = 0;
	long ssum = 0;
	long long want;
	unsigned c, nz = 0;
	int i;

	/* The name first, so that an error can name the entry. */
	i = 0;
	if (!memcmp(b + 257, "ustar", 6) && b[345]) {
		i = (int)field(h->name, b + 345, 155);
		h->name[i++] = '/';
	}
	field(h->name + i, b, 100);
	for (i = 0; i < TARHDR_BLOCK; i++) {
		c = i >= 148 && i < 156 ? ' ' : b[i];
		nz |= b[i];
		sum += c;
		ssum += (signed char)c;
	}
	if (!nz)
		return TARHDR_END;
	/* Old archivers summed signed bytes; GNU tar accepts both. */
	if (num(b + 148, 8, &want) || (want != (long long)sum && want != ssum))
		return TARHDR_ESUM;
	field(h->link, b + 157, 100);
	for (i = 0; i <= TARHDR_NNUM; i++)
		if (num(b + nums[i].off, nums[i].len, i < TARHDR_NNUM ? &h->num[i] : &want))
			return TARHDR_ENUM;
	h->mode = (unsigned)want & 07777;
	h->type = (char)b[156];
	if (strchr("LKxg", h->type) && h->type)
		return h->num[TARHDR_SIZE] < 0 ? TARHDR_ENUM : TARHDR_EXT;
	apply(h, &h->global);
	apply(h, &h->local);
	h->local.have = 0;
	if (h->type == '7' || !h->type)
		h->type = !b[156] && h->name[0] && h->name[strlen(h->name) - 1] == '/' ? '5' : '0';
	/* Links, devices, directories and fifos have no data, whatever
	 * their size field says. */
	if (strchr("123456", h->type))
		h->num[TARHDR_SIZE] = 0;
	if (h->num[TARHDR_SIZE] < 0 || (unsigned long long)h->num[TARHDR_UID] > UINT_MAX - 1 ||
	    (unsigned long long)h->num[TARHDR_GID] > UINT_MAX - 1)
		return TARHDR_ENUM;
	return TARHDR_ENTRY;
}

/* A decimal number, with a sign and a fraction allowed (mtime). */
static int
decimal(const char *s, size_t n, long long *v)
{
	long long x = 0;
	size_t i = s[0] == '-';

	if (i == n)
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (x > (LLONG_MAX - 9) / 10)
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	if (i < n && (s[i] != '.' || i == (size_t)(s[0] == '-')))
		return -1;
	*v = s[0] == '-' ? -x : x;
	return 0;
}

/* Keeps a path or link target from a long-name record or a pax header. */
static int
setpath(struct tarhdr_over *o, int k, const char *val, size_t len)
{
	char *dst = k == TARHDR_HAVE_PATH ? o->path : o->link;

	if (len >= TARHDR_PATH)
		return TARHDR_ELONG;
	memcpy(dst, val, len);
	dst[len] = 0;
	o->have |= 1u << k;
	return 0;
}

/* One pax record, "LEN KEY=VALUE\n" with LEN counting the whole record,
 * at p: left bytes of it in hand, total to the end of the data. The length
 * taken (more than left for a record ignored unseen), 0 when more must be
 * in hand first, or a TARHDR_E* code. Whatever must be in hand, a wanted
 * record or the start of any up to its '=', fits in TARHDR_EXT_BUF. */
static long long
pax_record(struct tarhdr_over *o, const char *p, size_t left, unsigned long long total)
{
	unsigned long long n = 0, vlen;
	size_t i, klen, lim;
	const char *key, *k;
	int idx, whole, r = 0;

	for (i = 0; i < left && p[i] >= '0' && p[i] <= '9'; i++) {
		if (n > total / 10)
			return TARHDR_EPAX;
		n = n * 10 + (unsigned)(p[i] - '0');
	}
	if (i == left)
		return total > left && left < TARHDR_PATH ? 0 : TARHDR_EPAX;
	if (!i || i >= n || n > total || p[i] != ' ')
		return TARHDR_EPAX;
	whole = n <= left;
	if (whole && p[n - 1] != '\n')
		return TARHDR_EPAX;
	key = p + i + 1;
	lim = (whole ? (size_t)n - 1 : left) - (i + 1);
	if ((klen = upto(key, lim, '=')) == lim)
		return !whole && left < TARHDR_PATH ? 0 : TARHDR_EPAX;
	vlen = n - 1 - (i + 1) - klen - 1;
	for (idx = 0, k = pax_keys; *k; idx++, k += strlen(k) + 1)
		if (strlen(k) == klen && !memcmp(key, k, klen))
			break;
	/* A keyword not used (an xattr, a comment) is skipped, whole or not. */
	if (idx > TARHDR_HAVE_LINK)
		return (long long)n;
	if (vlen >= TARHDR_PATH)
		return idx >= TARHDR_HAVE_PATH ? TARHDR_ELONG : TARHDR_EPAX;
	if (!whole)
		return 0;
	/* An empty value undoes the keyword. */
	if (!vlen)
		o->have &= ~(1u << idx);
	else if (idx >= TARHDR_HAVE_PATH)
		r = setpath(o, idx, key + klen + 1, (size_t)vlen);
	else if (decimal(key + klen + 1, (size_t)vlen, &o->num[idx]))
		r = TARHDR_EPAX;
	else
		o->have |= 1u << idx;
	return r ? r : (long long)n;
}

long long
tarhdr_ext(struct tarhdr *h, const char *d, size_t len, unsigned long long rest)
{
	struct tarhdr_over *o = h->type == 'g' ? &h->global : &h->local;
	size_t done = 0, i;
	long long r;

	if (h->type == 'L' || h->type == 'K') {
		/* The name ends at its NUL; cut before one, more is needed. */
		if ((i = upto(d, len, 0)) == len && rest && len < TARHDR_PATH)
			return 0;
		r = setpath(o, h->type == 'L' ? TARHDR_HAVE_PATH : TARHDR_HAVE_LINK, d, i);
		return r ? r : (long long)(len + rest);
	}
	while (done < len) {
		r = pax_record(o, d + done, len - done, len - done + rest);
		if (r <= 0)
			return r ? r : (long long)done;
		/* An ignored record that goes on past d: the rest is skipped. */
		if ((unsigned long long)r > len - done)
			return (long long)done + r;
		done += (size_t)r;
	}
	return (long long)done;
}
