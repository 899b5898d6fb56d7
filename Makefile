# reinit: a static, shell-less PID 1 for containers.
#
# make          build build/reinit (static, musl) and report its size
# make test     unit tests (host compiler, sanitizers) + integration tests
# make bench    side-by-side figures against tini, dumb-init, catatonit, entr...
# make format   clang-format every C file
# make deps     install, as root on Debian, what the build and tests need
# make demo     build, then show reinit at work as PID 1

VERSION     := 0.1.0
# The whole product, every feature included (tar and rm too), must fit in
# this many bytes.
SIZE_BUDGET := 40960

MUSL_CC  ?= musl-gcc
HOST_CC  ?= cc
PYTHON   ?= /usr/bin/python3
PREFIX   ?= /usr/local

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wcast-align -Wwrite-strings -Wformat=2 -Wvla \
            -Wno-unused-parameter
CPPFLAGS := -I. -D_GNU_SOURCE -DREINIT_VERSION='"$(VERSION)"'
# -fstack-protector guards every function with a char buffer, which is where
# reinit keeps paths, directory entries and messages; -strong would add
# guards to the rest for about 600 bytes.
CFLAGS   := -std=c11 -Os $(WARN) -Werror -ffunction-sections -fdata-sections \
            -fno-asynchronous-unwind-tables -fno-unwind-tables \
            -fstack-protector -fstack-clash-protection -fno-pie
# No -z relro: musl's static start-up never makes the RELRO pages read-only
# (only its dynamic linker does), so it would buy nothing but page padding.
# A small common page size lets the data segment follow the code in the file
# instead of starting on a page of its own: up to 4 KiB less padding.
LDFLAGS  := -static -no-pie -s -Wl,--gc-sections -Wl,-z,noseparate-code \
            -Wl,-z,noexecstack,-z,norelro,-z,common-page-size=64 -Wl,--build-id=none
# Unit tests run the pure modules under the host toolchain with sanitizers.
TCFLAGS  := -std=c11 -g -O1 $(WARN) -Wno-vla -fsanitize=address,undefined \
            -fno-omit-frame-pointer

SRC      := $(wildcard init/*.c proc/*.c signals/*.c watch/*.c)
HDR      := $(wildcard init/*.h proc/*.h signals/*.h watch/*.h)
OBJ      := $(SRC:%.c=build/obj/%.o)
LIBSRC   := $(filter-out init/main.c,$(SRC))
UNITS    := $(patsubst test/%.c,build/test/%,$(wildcard test/unit_*.c))
HELPERS  := $(patsubst test/helpers/%.c,build/test/helpers/%,$(wildcard test/helpers/*.c))

all: build/reinit

build/obj/%.o: %.c $(HDR) Makefile
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(MUSL_CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The link fails the build unless the result is static with no program
# interpreter, and reports the size against the budget.
build/reinit: $(OBJ)
	@echo "  LD      $@"
	@$(MUSL_CC) $(CFLAGS) $(LDFLAGS) $(OBJ) -o $@.tmp
	@if readelf -lW $@.tmp | grep -q INTERP; then \
		echo "error: $@ has a program interpreter: not static" >&2; exit 1; fi
	@if readelf -dW $@.tmp 2>/dev/null | grep -q NEEDED; then \
		echo "error: $@ needs shared libraries: not static" >&2; exit 1; fi
	@mv $@.tmp $@
	@sz=$$(stat -c %s $@); \
	echo "build/reinit: $$sz bytes, static, budget $(SIZE_BUDGET) ($$(( $(SIZE_BUDGET) - sz )) left)"

build/test/unit_%: test/unit_%.c $(LIBSRC) $(HDR) test/tap.h Makefile
	@mkdir -p $(@D)
	$(HOST_CC) $(CPPFLAGS) $(TCFLAGS) $< $(LIBSRC) -o $@

build/test/helpers/%: test/helpers/%.c Makefile
	@mkdir -p $(@D)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE -Os $(WARN) -Werror -static -no-pie $< -o $@

# The whole product under AddressSanitizer and UBSan with the host
# toolchain, for the integration tests that look for memory errors.
build/asan/reinit: $(SRC) $(HDR) Makefile
	@mkdir -p $(@D)
	$(HOST_CC) $(CPPFLAGS) $(TCFLAGS) $(SRC) -o $@

# The ignore matcher alone, for the side-by-side test with git.
build/test/helpers/matchcheck: test/helpers/matchcheck.c watch/match.c watch/match.h Makefile
	@mkdir -p $(@D)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE -I. -Os $(WARN) -Werror -static -no-pie $< watch/match.c -o $@

# Fuzz targets (fuzz/fuzz_NAME.c, seed corpus fuzz/corpus/NAME/): a short
# run of each in make test, FUZZ_SECONDS each in make fuzz.
FUZZERS := $(patsubst fuzz/fuzz_%.c,build/fuzz/%,$(wildcard fuzz/fuzz_*.c))
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60

build/fuzz/%: fuzz/fuzz_%.c $(LIBSRC) $(HDR) Makefile
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined $< $(LIBSRC) -o $@

fuzz: $(FUZZERS)
	@for f in $(FUZZERS); do n=$${f##*/}; mkdir -p build/fuzz/new-$$n; \
		$$f -max_total_time=$(FUZZ_SECONDS) build/fuzz/new-$$n fuzz/corpus/$$n || exit 1; done

check-size: build/reinit
	@sz=$$(stat -c %s build/reinit); if [ $$sz -gt $(SIZE_BUDGET) ]; then \
		echo "error: build/reinit is $$sz bytes, over the $(SIZE_BUDGET) budget" >&2; exit 1; fi

test: build/reinit build/asan/reinit $(UNITS) $(HELPERS) $(FUZZERS)
	SIZE_BUDGET=$(SIZE_BUDGET) $(PYTHON) -m pytest -q -p no:cacheprovider test/

bench: build/reinit $(HELPERS)
	$(PYTHON) bench/bench.py

# What `make` and `make test` need on a fresh Debian machine.
DEPS := make gcc libc6-dev musl-tools binutils python3 python3-pytest \
        util-linux procps tar jq runc git clang libclang-rt-14-dev

deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEPS)

# PID 1 of a new PID namespace: the child makes 100 orphans that die at once,
# counts the zombies left in the namespace, and exits 3; reinit exits 3 too.
demo: build/reinit
	@echo "== reinit as PID 1; its child orphans 100 processes, then exits 3"
	@unshare --pid --fork --mount-proc build/reinit -v -- /bin/sh -c \
		'for i in $$(seq 100); do (true &); done; sleep 0.2; \
		 echo "child: pid $$$$, parent $$PPID, zombies now: $$(grep -l "^State:.Z" /proc/[0-9]*/status 2>/dev/null | wc -l)"; \
		 exit 3' 2>&1; \
	 echo "== reinit exited with status $$?, the child's"

format:
	clang-format -i $(SRC) $(HDR)

install: build/reinit
	install -D -m 0755 build/reinit $(DESTDIR)$(PREFIX)/bin/reinit

clean:
	rm -rf build

.PHONY: all test bench format install clean check-size deps demo fuzz
