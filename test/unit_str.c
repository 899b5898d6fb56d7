/* unit_str.c: reinit's string functions (proc/str.c) against the host's
 * libc, on every pair of short strings made of a few telling bytes. */
#include "test/tap.h"

/* proc/str.c under other names, so that the host's libc (and the
 * sanitizers' interceptors) keep the real ones. */
#define strlen    r_strlen
#define strchrnul r_strchrnul
#define strchr    r_strchr
#define memchr    r_memchr
#define memcmp    r_memcmp
#define strcmp    r_strcmp
#define strncmp   r_strncmp
#define memmove   r_memmove
#define memcpy    r_memcpy
#include "proc/str.c"
#undef strlen
#undef strchrnul
#undef strchr
#undef memchr
#undef memcmp
#undef strcmp
#undef strncmp
#undef memmove
#undef memcpy

static int
sign(int n)
{
	return (n > 0) - (n < 0);
}

/* Each string of up to 3 bytes from these, including bytes above 127,
 * which compare as unsigned char. */
static const char alphabet[] = {'a', 'b', '/', (char)0x80, (char)0xff};
#define NA   ((int)sizeof(alphabet))
#define MAXN 3

static int
make(char *s, int k)
{
	int n = 0;

	for (; k > 0 && n < MAXN; k /= NA + 1)
		if (k % (NA + 1))
			s[n++] = alphabet[k % (NA + 1) - 1];
	s[n] = 0;
	return n;
}

/* Every copy of up to 8 bytes between offsets 0-7 of a 16-byte buffer:
 * memmove with every overlap, memcpy where none. */
static int
copies(void)
{
	char want[16], got[16];
	size_t d, s, n;
	int bad = 0;

	for (d = 0; d < 8; d++)
		for (s = 0; s < 8; s++)
			for (n = 0; n <= 8; n++) {
				for (size_t i = 0; i < 16; i++)
					want[i] = got[i] = (char)('a' + i);
				memmove(want + d, want + s, n);
				bad += r_memmove(got + d, got + s, n) != got + d;
				bad += memcmp(want, got, 16) != 0;
				if (d + n <= s || s + n <= d) {
					for (size_t i = 0; i < 16; i++)
						got[i] = (char)('a' + i);
					bad += r_memcpy(got + d, got + s, n) != got + d;
					bad += memcmp(want, got, 16) != 0;
				}
			}
	return !bad;
}

int
main(void)
{
	char a[MAXN + 1], b[MAXN + 1];
	int i, j, c, total = 1, bad_len = 0, bad_chr = 0, bad_cmp = 0, bad_mem = 0;
	size_t n;

	for (i = 0; i < MAXN; i++)
		total *= NA + 1;
	for (i = 0; i < total; i++) {
		int la = make(a, i);

		bad_len += r_strlen(a) != strlen(a);
		for (c = -1; c < 256; c++) {
			char *want = strchrnul(a, c);

			bad_chr += r_strchrnul(a, c) != want;
			bad_chr += r_strchr(a, c) != strchr(a, c);
			for (n = 0; n <= (size_t)la + 1; n++)
				bad_mem += r_memchr(a, c, n) != memchr(a, c, n);
		}
		for (j = 0; j < total; j++) {
			int lb = make(b, j);

			bad_cmp += sign(r_strcmp(a, b)) != sign(strcmp(a, b));
			for (n = 0; n <= MAXN + 1; n++)
				bad_cmp += sign(r_strncmp(a, b, n)) != sign(strncmp(a, b, n));
			for (n = 0; n <= (size_t)(la < lb ? la : lb) + 1; n++)
				bad_mem += sign(r_memcmp(a, b, n)) != sign(memcmp(a, b, n));
		}
	}
	is_int(bad_len, 0, "strlen agrees with libc on %d strings", total);
	is_int(bad_chr, 0, "strchr and strchrnul agree with libc for every byte, NUL included");
	is_int(bad_cmp, 0, "strcmp and strncmp (n from 0 to past the end) agree in sign with libc");
	is_int(bad_mem, 0, "memchr and memcmp agree with libc up to the NUL");

	/* The bytes above 127 are where a signed compare goes wrong. */
	ok(r_strcmp("\x80", "a") > 0, "strcmp compares bytes as unsigned char");
	ok(r_memcmp("\xff", "\x01", 1) > 0, "memcmp compares bytes as unsigned char");
	ok(r_strncmp("ab", "ac", 1) == 0, "strncmp stops after n bytes");
	ok(r_strchr(a, 0) == a + strlen(a), "strchr finds the NUL");
	ok(copies(), "memcpy and memmove agree with libc, overlapping either way");
	return tap_done();
}
