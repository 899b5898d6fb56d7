/* fuzz_tar.c: the tar header parser on any byte stream, read the way the
 * extractor reads it: headers, extended records and data blocks. */
#include <stdint.h>
#include <string.h>

#include "sync/tarhdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
		if (r == TARHDR_EXT && n <= size && tarhdr_ext(&h, (const char *)data, (size_t)n))
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
