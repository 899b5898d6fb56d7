/* fuzz_tar.c: the tar header parser on any byte stream, read the way the
 * extractor reads it: headers, extended records through a buffer of the
 * least size allowed (record by record, a large ignored one skipped), and
 * data blocks. */
#include <stdint.h>
#include <string.h>

#include "sync/tarhdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The n bytes of an extended header at d, through a buffer of
 * TARHDR_EXT_BUF: 0, or -1 when the parser fails or asks past the end. */
static int
ext(struct tarhdr *h, const uint8_t *d, unsigned long long n)
{
	static char buf[TARHDR_EXT_BUF];
	size_t have = 0, k;
	long long r;

	while (n || have) {
		k = n < sizeof(buf) - have ? (size_t)n : sizeof(buf) - have;
		memcpy(buf + have, d, k);
		d += k;
		n -= k;
		have += k;
		if ((r = tarhdr_ext(h, buf, have, n)) < 0)
			return -1;
		if ((unsigned long long)r >= have) {
			if ((unsigned long long)r - have > n)
				__builtin_trap();
			d += r - (long long)have;
			n -= (unsigned long long)r - have;
			have = 0;
		} else {
			/* No progress with a full buffer would loop for ever. */
			if (!r && (have == sizeof(buf) || !n))
				__builtin_trap();
			memmove(buf, buf + r, have - (size_t)r);
			have -= (size_t)r;
		}
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tarhdr h;
	unsigned long long n;
	int r;

	memset(&h, 0, sizeof(h));
	while (size >= TARHDR_BLOCK) {
		r = tarhdr_block(&h, data);
		data += TARHDR_BLOCK;
		size -= TARHDR_BLOCK;
		if (r <= 0)
			break;
		n = (unsigned long long)h.num[TARHDR_SIZE];
		if (r == TARHDR_EXT && n <= size && ext(&h, data, n))
			break;
		/* The data and its padding. */
		n = (n + 511) & ~511ULL;
		if (n > size)
			break;
		data += n;
		size -= n;
	}
	return 0;
}
