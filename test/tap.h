/* tap.h: a minimal Test Anything Protocol emitter for the unit tests. */
#ifndef REINIT_TAP_H
#define REINIT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* ok(cond, "name %d", ...): one test point; the name says what must hold. */
#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 4, 5))) static int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return pass;
}

/* is_int(got, want, name...): equality with both values shown on failure. */
#define is_int(got, want, ...)                                                    \
	do {                                                                      \
		long long g_ = (got), w_ = (want);                                \
		if (!ok(g_ == w_, __VA_ARGS__))                                   \
			printf("#   got %lld, want %lld\n", g_, w_);          \
	} while (0)

#define is_str(got, want, ...)                                                    \
	do {                                                                      \
		const char *g_ = (got), *w_ = (want);                             \
		if (!ok(g_ && w_ ? strcmp(g_, w_) == 0 : g_ == w_, __VA_ARGS__))  \
			printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)",   \
			       w_ ? w_ : "(null)");                               \
	} while (0)

/* Call last: prints the plan and returns the exit status for main(). */
static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
