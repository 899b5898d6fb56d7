/* unit_writers.c: files being written hold a restart until closed, each
 * for a bounded time. */
#include <stdio.h>

#include "test/tap.h"
#include "watch/writers.h"

static struct writers ws;

int
main(void)
{
	char name[16];
	int i;

	is_int(writers_until(&ws, 2000), NEVER, "nothing open: no hold");
	writers_note(&ws, 1, "server", 100);
	is_int(writers_until(&ws, 2000), 2100, "an open file holds until its ceiling");
	writers_note(&ws, 1, "server", 900);
	is_int(writers_until(&ws, 2000), 2100, "writing again does not extend the hold");
	writers_note(&ws, 2, "server", 500);
	is_int(ws.n, 2, "the same name in another directory is another file");
	is_int(writers_until(&ws, 2000), 2500, "the newest file sets the hold");
	writers_note(&ws, 2, "server", WRITERS_DONE);
	is_int(writers_until(&ws, 2000), 2100, "closing it leaves the older one holding");
	writers_note(&ws, 1, "other", WRITERS_DONE);
	is_int(ws.n, 1, "closing a file never opened changes nothing");
	writers_note(&ws, 1, "server", WRITERS_DONE);
	is_int(writers_until(&ws, 2000), NEVER, "all closed: no hold");
	writers_note(&ws, 1, "server", 3000);
	is_int(writers_until(&ws, 2000), 5000, "opened again after closing: held again");
	writers_note(&ws, 1, "server", WRITERS_DONE);

	for (i = 0; i < WRITERS_MAX + 5; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		writers_note(&ws, 7, name, i);
	}
	is_int(ws.n, WRITERS_MAX, "the list is bounded");
	is_int(writers_until(&ws, 10), WRITERS_MAX + 4 + 10, "the newest still holds");
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		writers_note(&ws, 7, name, WRITERS_DONE);
	}
	is_int(ws.n, WRITERS_MAX, "the oldest were forgotten first");
	writers_note(&ws, 7, "f20", WRITERS_DONE);
	is_int(ws.n, WRITERS_MAX - 1, "one in the middle closes");
	for (i = WRITERS_MAX + 4; i >= 5; i--) {
		snprintf(name, sizeof(name), "f%d", i);
		writers_note(&ws, 7, name, WRITERS_DONE);
	}
	is_int(ws.n, 0, "and every other one closes");
	is_int(writers_until(&ws, 10), NEVER, "leaving no hold");
	return tap_done();
}
