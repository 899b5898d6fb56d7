/* num.c: numbers in decimal, without stdio (pure). */
#include "proc/num.h"

char *
num_dec(char *end, unsigned long long v)
{
	*end = 0;
	do
		*--end = (char)('0' + v % 10);
	while ((v /= 10));
	return end;
}
