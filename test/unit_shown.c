/* unit_shown.c: text from outside as messages show it. */
#include <string.h>

#include "proc/shown.h"
#include "test/tap.h"

static void
check(const char *in, size_t n, const char *want, const char *name)
{
	char out[64];
	size_t got = shown_copy(out, in, n);

	out[got] = 0;
	is_str(out, want, "%s", name);
}

int
main(void)
{
	char every[256], buf[8];
	size_t i, n;

	check("main.go", 7, "main.go", "plain text is kept");
	check("a\nb", 3, "a?b", "a newline cannot end the line");
	check("\x1b[2J", 4, "?[2J", "ESC cannot start a sequence");
	check("x\x7fy", 3, "x?y", "DEL is shown as ?");
	check("\xc2\x9b"
	      "2J",
	      4, "?2J", "the C1 CSI (U+009B) is one ?");
	check("\xc2\x80\xc2\x9f", 4, "??", "U+0080 and U+009F are each one ?");
	check("caf\xc3\xa9", 5, "caf\xc3\xa9", "other UTF-8 is kept");
	check("\xc2\xa0", 2, "\xc2\xa0", "U+00A0 is no control: kept");
	check("a\xc2", 2, "a\xc2", "a lone 0xc2 at the end is kept, not read past");
	check("\xc2\x9b", 1, "\xc2", "n bounds the read: the C1 pair cut at n is not joined");
	/* Every byte alone: below 0x20 and 0x7f become ?, the rest stays. */
	for (i = 0; i < 256; i++)
		every[i] = (char)i;
	for (i = 1, n = 0; i < 256; i++) {
		shown_copy(buf, every + i, 1);
		n += buf[0] == ((i < 0x20 || i == 0x7f) ? '?' : (char)i);
	}
	is_int(n, 255, "each single byte is shown as itself or ?");
	/* In place. */
	memcpy(buf, "a\tb", 4);
	is_int(shown_copy(buf, buf, 3), 3, "in place: the length is kept");
	is_str(buf, "a?b", "in place: the tab is shown as ?");
	return tap_done();
}
