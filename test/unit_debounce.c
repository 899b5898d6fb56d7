/* unit_debounce.c: the quiet period and its ceiling on a fake clock. */
#include "test/tap.h"
#include "watch/debounce.h"

/* The first time in [from, to] at which d fires, or NEVER; d is
 * left as debounce_fire leaves it. */
static long long
first_fire(struct debounce *d, long long from, long long to)
{
	long long t;

	for (t = from; t <= to; t++)
		if (debounce_fire(d, t))
			return t;
	return NEVER;
}

static void
test_nothing_pending(void)
{
	struct debounce d;

	debounce_init(&d, 10, 2000);
	is_int(debounce_due(&d), NEVER, "nothing pending: nothing due");
	is_int(first_fire(&d, 0, 5000), NEVER, "nothing pending: never fires");
}

static void
test_one_event(void)
{
	struct debounce d;

	debounce_init(&d, 10, 2000);
	debounce_note(&d, 1000);
	is_int(debounce_due(&d), 1010, "one event at 1000, quiet 10: due at 1010");
	is_int(debounce_fire(&d, 1009), 0, "not fired 1 ms before the quiet period ends");
	is_int(debounce_due(&d), 1010, "an early check leaves it pending");
	is_int(debounce_fire(&d, 1010), 1, "fires exactly when the quiet period ends");
	is_int(debounce_due(&d), NEVER, "nothing pending after it fired");
	is_int(first_fire(&d, 1011, 5000), NEVER, "fires only once");
}

static void
test_late_check_still_fires(void)
{
	struct debounce d;

	debounce_init(&d, 10, 2000);
	debounce_note(&d, 0);
	is_int(debounce_fire(&d, 500), 1, "a check long after the due time fires");
	is_int(debounce_fire(&d, 501), 0, "and only once");
}

static void
test_quiet_restarts_at_each_event(void)
{
	struct debounce d;

	debounce_init(&d, 10, 2000);
	debounce_note(&d, 100);
	debounce_note(&d, 108);
	is_int(debounce_due(&d), 118, "a second event moves the due time to its own quiet end");
	is_int(first_fire(&d, 100, 117), NEVER, "not fired in the first event's quiet");
	is_int(debounce_fire(&d, 118), 1, "fires at the last event's quiet end");
}

/* An event every 5 ms never leaves 10 ms of quiet: only the ceiling
 * fires, exactly max after the first, then the count starts again. */
static void
test_endless_stream(void)
{
	struct debounce d;
	long long t, fired[3];
	int n = 0;

	debounce_init(&d, 10, 200);
	for (t = 1000; t < 1700 && n < 3; t++) {
		if (t % 5 == 0)
			debounce_note(&d, t);
		if (debounce_fire(&d, t))
			fired[n++] = t;
	}
	is_int(n, 3, "an endless stream fires once per ceiling");
	is_int(n > 0 ? fired[0] : -1, 1200, "first fire at first event + max, none before");
	/* The event at 1200 was noted before that fire and went with it: the
	 * next first event is 1205, and its ceiling 1405. */
	is_int(n > 1 ? fired[1] : -1, 1405, "second fire max after the first event after the fire");
	is_int(n > 2 ? fired[2] : -1, 1610, "third likewise");
}

static void
test_ceiling_bounds_the_quiet(void)
{
	struct debounce d;

	debounce_init(&d, 100, 150);
	debounce_note(&d, 0);
	debounce_note(&d, 90);
	is_int(debounce_due(&d), 150, "quiet end 190 is past the ceiling 150: due at 150");
	is_int(first_fire(&d, 90, 1000), 150, "fires at the ceiling");
}

static void
test_quiet_longer_than_max(void)
{
	struct debounce d;

	debounce_init(&d, 500, 100);
	debounce_note(&d, 0);
	is_int(debounce_due(&d), 100, "max below quiet: max wins even for one event");
}

static void
test_zero_quiet(void)
{
	struct debounce d;

	debounce_init(&d, 0, 2000);
	debounce_note(&d, 7);
	is_int(debounce_fire(&d, 7), 1, "quiet 0: due at once");
}

static void
test_clear(void)
{
	struct debounce d;

	debounce_init(&d, 10, 2000);
	debounce_note(&d, 0);
	debounce_note(&d, 5);
	debounce_clear(&d);
	is_int(debounce_due(&d), NEVER, "clear: nothing due");
	is_int(first_fire(&d, 0, 5000), NEVER, "clear: never fires");
	debounce_note(&d, 3000);
	is_int(debounce_due(&d), 3010, "after clear a new event counts from itself");
}

static void
test_fire_resets(void)
{
	struct debounce d;

	debounce_init(&d, 10, 100);
	debounce_note(&d, 0);
	is_int(debounce_fire(&d, 10), 1, "fired");
	debounce_note(&d, 500);
	is_int(debounce_due(&d), 510, "the next event counts from itself, not from the old first");
	debounce_note(&d, 505);
	debounce_note(&d, 590);
	is_int(debounce_due(&d), 600, "the ceiling counts from the first event after the fire");
}

int
main(void)
{
	test_nothing_pending();
	test_one_event();
	test_late_check_still_fires();
	test_quiet_restarts_at_each_event();
	test_endless_stream();
	test_ceiling_bounds_the_quiet();
	test_quiet_longer_than_max();
	test_zero_quiet();
	test_clear();
	test_fire_resets();
	return tap_done();
}
