# reinit: a static, shell-less PID 1 for containers.
#
# make          build build/reinit (static, musl) and report its size
# make ARCH=aarch64   cross-build build/aarch64/reinit for arm64 the same way
# make test     unit tests (host compiler, sanitizers) + integration tests
# make bench    side-by-side figures against tini, dumb-init, catatonit, entr...
# make format   clang-format every C file
# make deps     install, as root on Debian, what the build and tests need
# make demo     build, then show reinit at work as PID 1
# make test-arm64   integration tests of the arm64 binary under qemu-user
# make test-docker  build Dockerfile.static for amd64 and arm64 in Docker, test the images

VERSION     := 0.1.0
# The whole product, every feature included, must fit in this many bytes on
# each architecture, and keep SIZE_HEADROOM of it free: `make` prints both,
# `make test` and `make test-arm64` fail past them. The headroom is kept by
# design, not by tricks: a change that saves bytes may not add a positional
# coupling (parallel arrays, enum order, a string's position) unless an
# X-macro, a static assertion or a unit test catches its drift.
SIZE_BUDGET_x86_64  := 45056
SIZE_BUDGET_aarch64 := 53248
SIZE_HEADROOM       := 1024

# ARCH names the target in the kernel's words (uname -m): x86_64, aarch64.
# The native build goes to build/, a cross build to build/ARCH/ with the
# cross compiler and musl of Debian's multiarch packages (see deps-arm64),
# whose musl-gcc wrapper for the target is ARCH-linux-musl-gcc.
# Only the command line sets it (an ARCH in the environment often means
# something else); Docker's names amd64 and arm64 are accepted too.
HOST_ARCH := $(shell uname -m)
ifneq ($(origin ARCH),command line)
ARCH     := $(HOST_ARCH)
endif
override ARCH := $(patsubst amd64,x86_64,$(patsubst arm64,aarch64,$(ARCH)))
ifeq ($(ARCH),$(HOST_ARCH))
OUT      := build
MUSL_CC  ?= musl-gcc
else
OUT      := build/$(ARCH)
MUSL_CC  ?= $(ARCH)-linux-musl-gcc
endif
# Where the target's musl is (Debian's musl-dev, multiarch), and the
# binutils that read its objects.
MUSL_LIB ?= /usr/lib/$(ARCH)-linux-musl
OBJCOPY  ?= $(ARCH)-linux-gnu-objcopy
CODE_ALIGN := $(if $(filter x86_64,$(ARCH)),1,4)
SIZE_BUDGET := $(SIZE_BUDGET_$(ARCH))
HOST_CC  ?= cc
TOOL_CC  ?= musl-gcc
PYTHON   ?= /usr/bin/python3
PREFIX   ?= /usr/local

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wcast-align -Wwrite-strings -Wformat=2 -Wvla \
            -Wno-unused-parameter
CPPFLAGS := -I. -D_GNU_SOURCE -DREINIT_VERSION='"$(VERSION)"'
# -fstack-protector guards every function with a char buffer, which is where
# reinit keeps paths, directory entries and messages; -strong would add
# guards to the rest for about 600 bytes.
# -Oz, -flto (inlining and dead code across files), no jump tables, and no
# cloning of functions for constant arguments or inlining of single-call
# ones into large callers: each measured smaller here (3.4 KB in all).
# The five passes after those trade a little speed for size and were kept
# because each measured smaller too (860 bytes together, GCC 12); none of
# reinit's work is bound by its own instructions.
# The next six, the same way (GCC 12, x86-64: 225 bytes of code together):
# hoisting loop invariants (on trees and in RTL), following jumps in CSE,
# PHI folding, tail merging on trees and scalar replacement of parameters cost more
# code than they save on loops that run a few times an event.
SIZE_OPT := -fno-caller-saves -fno-expensive-optimizations -fno-optimize-sibling-calls \
            -fno-code-hoisting -fno-if-conversion \
            -fno-move-loop-invariants -fno-cse-follow-jumps -fno-ssa-phiopt -fno-tree-loop-im \
            -fno-tree-tail-merge -fno-ipa-sra
# -malign-data=abi (x86-64 only): GCC aligns arrays of 32 bytes or more to
# 32 for vector loads by default; the ABI's alignment is enough for tables
# read a byte or a word at a time (166 bytes of padding in .rodata).
ARCH_OPT := $(if $(filter x86_64,$(ARCH)),-malign-data=abi)
CFLAGS   := -std=c11 -Oz $(ARCH_OPT) $(WARN) -Werror -ffunction-sections -fdata-sections -fno-jump-tables \
            -flto -fno-inline-functions-called-once -fno-ipa-cp $(SIZE_OPT) \
            -fno-asynchronous-unwind-tables -fno-unwind-tables \
            -fstack-protector -fstack-clash-protection -fno-pie
# No -z relro: musl's static start-up never makes the RELRO pages read-only
# (only its dynamic linker does), so it would buy nothing but page padding.
# A small common page size lets the data segment follow the code in the file
# instead of starting on a page of its own: up to 4 KiB less padding.
# -nostdlib: musl's crt1.o and libc.a (packed, below) are named on the
# link line, without GCC's crtbegin and crtend, whose C++ and transactional
# memory hooks (about 200 bytes) a C program of musl's does not need; musl
# has its own empty _init and _fini.
LDFLAGS  := -static -no-pie -nostdlib -s -Wl,--gc-sections -Wl,--sort-section=alignment -Wl,-z,noseparate-code \
            -Wl,-z,noexecstack,-z,norelro,-z,common-page-size=64 -Wl,--build-id=none
# Unit tests run the pure modules under the host toolchain with sanitizers.
TCFLAGS  := -std=c11 -g -O1 $(WARN) -Wno-vla -fsanitize=address,undefined \
            -fno-omit-frame-pointer

# proc/str.c stands in for libc's string functions, proc/start.c for its
# start-up and the calls that would set errno, in the static build only:
# the host's builds (unit tests, sanitizers, fuzzers) keep their libc.
STRSRC   := proc/str.c proc/start.c
SRC      := $(filter-out $(STRSRC),$(wildcard init/*.c proc/*.c signals/*.c watch/*.c sync/*.c))
HDR      := $(wildcard init/*.h proc/*.h signals/*.h watch/*.h sync/*.h)
OBJ      := $(SRC:%.c=$(OUT)/obj/%.o) $(STRSRC:%.c=$(OUT)/obj/%.o)
LIBSRC   := $(filter-out init/main.c,$(SRC))
UNITS    := $(patsubst test/%.c,build/test/%,$(wildcard test/unit_*.c))
HELPERS  := $(patsubst test/helpers/%.c,$(OUT)/test/helpers/%,$(wildcard test/helpers/*.c))

all: $(OUT)/reinit

$(OUT)/obj/%.o: %.c $(HDR) Makefile
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(MUSL_CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The link fails the build unless the result is static with no program
# interpreter, and reports the size against the budget.
$(OUT)/reinit: $(OBJ) $(OUT)/libc.a build/tools/sstrip
	@echo "  LD      $@"
	@$(MUSL_CC) $(CFLAGS) $(LDFLAGS) $(MUSL_LIB)/crt1.o $(OBJ) $(OUT)/libc.a -lgcc -o $@.tmp
	@if readelf -lW $@.tmp | grep -q INTERP; then \
		echo "error: $@ has a program interpreter: not static" >&2; exit 1; fi
	@if readelf -dW $@.tmp 2>/dev/null | grep -q NEEDED; then \
		echo "error: $@ needs shared libraries: not static" >&2; exit 1; fi
	@build/tools/sstrip $@.tmp
	@mv $@.tmp $@
	@sz=$$(stat -c %s $@); \
	echo "$@: $$sz bytes, static, budget $(SIZE_BUDGET) ($$(( $(SIZE_BUDGET) - sz )) left, $(SIZE_HEADROOM) to keep)"

# musl's libc.a with its functions packed: its objects ask for 16-byte
# alignment, which the linker pads with up to 15 bytes of no-ops before each
# of the 40 or so functions reinit takes from it (about 350 bytes). x86-64
# runs code at any address; arm64's instructions need 4.
$(OUT)/libc.a: $(MUSL_LIB)/libc.a Makefile
	@mkdir -p $(@D)
	@$(OBJCOPY) --wildcard --set-section-alignment '.text*=$(CODE_ALIGN)' $< $@

# Runs on the build machine, whatever the target: built with its musl-gcc,
# which needs nothing but musl-tools.
build/tools/sstrip: tools/sstrip.c Makefile
	@mkdir -p $(@D)
	@$(TOOL_CC) -O2 $(WARN) -Werror -static $< -o $@

build/test/unit_%: test/unit_%.c $(LIBSRC) $(STRSRC) $(HDR) $(wildcard test/*.h) Makefile
	@mkdir -p $(@D)
	$(HOST_CC) $(CPPFLAGS) $(TCFLAGS) $< $(LIBSRC) -o $@

$(OUT)/test/helpers/%: test/helpers/%.c Makefile
	@mkdir -p $(@D)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE -Os $(WARN) -Werror -static -no-pie $< -o $@

FUZZERS := $(patsubst fuzz/fuzz_%.c,build/fuzz/%,$(wildcard fuzz/fuzz_*.c))
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
build/fuzz/%: fuzz/fuzz_%.c $(LIBSRC) $(HDR) Makefile
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined $< $(LIBSRC) -o $@

# A long run: each target FUZZ_SECONDS on its corpus.
fuzz: $(FUZZERS)
	@for f in $(FUZZERS); do n=$${f##*/}; mkdir -p build/fuzz/corpus-$$n; \
		$$f -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus-$$n fuzz/corpus/$$n || exit 1; done

# The static test programs, for ARCH too: make ARCH=aarch64 helpers.
helpers: $(HELPERS)

check-size: $(OUT)/reinit
	@sz=$$(stat -c %s $<); if [ $$sz -gt $$(( $(SIZE_BUDGET) - $(SIZE_HEADROOM) )) ]; then \
		echo "error: $< is $$sz bytes, over the $(SIZE_BUDGET) budget less $(SIZE_HEADROOM) kept free" >&2; exit 1; fi

# The whole product under AddressSanitizer and UBSan with the host
# toolchain, for the integration tests that look for memory errors.
build/asan/reinit: $(SRC) $(HDR) Makefile
	@mkdir -p $(@D)
	$(HOST_CC) $(CPPFLAGS) $(TCFLAGS) $(SRC) -o $@

# The ignore matcher alone, for the side-by-side test with git.
$(OUT)/test/helpers/matchcheck: test/helpers/matchcheck.c watch/match.c watch/match.h Makefile
	@mkdir -p $(@D)
	$(MUSL_CC) -std=c11 -D_GNU_SOURCE -I. -Os $(WARN) -Werror -static -no-pie $< watch/match.c -o $@

test: build/reinit build/asan/reinit $(UNITS) $(HELPERS) $(FUZZERS)
	SIZE_BUDGET=$(SIZE_BUDGET) SIZE_HEADROOM=$(SIZE_HEADROOM) $(PYTHON) -m pytest -q -p no:cacheprovider \
		--ignore=test/docker test/

bench: build/reinit $(HELPERS)
	$(PYTHON) bench/bench.py

# What `make` and `make test` need on a fresh Debian machine.
DEPS := make gcc libc6-dev musl-tools binutils python3 python3-pytest \
        util-linux procps tar jq runc git tini dumb-init python3-yaml busybox \
        clang libclang-rt-14-dev golang-go

deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEPS)

# The buildpack in examples/buildpack ships reinit beside buildpack.toml,
# one binary per target architecture.
BP_DIR := examples/buildpack
buildpack: build/reinit
	install -m 0755 build/reinit $(BP_DIR)/reinit-amd64
	@if [ -f build/aarch64/reinit ]; then \
		install -m 0755 build/aarch64/reinit $(BP_DIR)/reinit-arm64; fi
	@ls -l $(BP_DIR)/reinit-*

# What `make ARCH=aarch64` and `make test-arm64` need: Debian's cross
# compiler, musl for arm64 (multiarch) and qemu-user to run the result.
DEPS_ARM64 := gcc-aarch64-linux-gnu musl-dev:arm64 qemu-user-static

deps-arm64:
	dpkg --add-architecture arm64
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEPS_ARM64)

# The integration tests that need no container runtime, with the arm64
# reinit and helpers run by qemu-user through binfmt_misc (registered here
# from Debian's qemu-user-static if it is not already): PID 1 in a
# namespace, reaping, forwarding, exit codes, stopping, watching (qemu-user
# runs vfork as a fork, which the watcher's walk must notice) and the
# request channel.
A64          := build/aarch64
A64_HELPERS  := $(patsubst test/helpers/%.c,$(A64)/test/helpers/%,$(wildcard test/helpers/*.c))
ARM64_TESTS  ?= test/test_size.py test/test_pid1.py test/test_stop.py test/test_watch.py test/test_channel.py \
                test/test_reload.py
# Left out, because qemu-user 7.2 (Debian 12) differs from a kernel there,
# not reinit: real-time signals reach the guest renumbered (the host's 34-64
# arrive as 32-62; 32, 33, 63 and 64 cannot be sent to it at all); a SIGILL
# or SIGFPE sent by kill() kills the emulated process as if it were a fault,
# and a SIGSEGV or SIGBUS sent by kill() is now and then never delivered
# (about one run in five, older builds of reinit too; the native tests
# cover both);
# PR_SET_CHILD_SUBREAPER fails with EINVAL (reinit warns; the not-PID-1
# tests need it); /proc/PID/exe, the signal masks in /proc/PID/status and
# the syscall numbers in /proc/PID/syscall are qemu's, not the guest's.
ARM64_SELECT ?= not RTMIN and not RTMAX and not 32- and not 33- \
        and not sigchld_is_not_forwarded and not forwarded_once \
        and not SIGILL and not SIGFPE and not SIGSEGV and not SIGBUS and not not_pid1 and not not-pid1 \
        and not pause and not inherited_mask and not idle_

test-arm64:
	$(MAKE) ARCH=aarch64 $(A64)/reinit $(A64_HELPERS)
	test/binfmt-arm64.sh
	readelf -h $(A64)/reinit | grep -q AArch64
	SIZE_BUDGET=$(SIZE_BUDGET_aarch64) SIZE_HEADROOM=$(SIZE_HEADROOM) REINIT_BINARY=$(CURDIR)/$(A64)/reinit \
		REINIT_HELPERS=$(CURDIR)/$(A64)/test/helpers \
		$(PYTHON) -m pytest -q -p no:cacheprovider $(ARM64_TESTS) -k '$(ARM64_SELECT)'

# Dockerfile.static built by Debian's Docker engine for amd64 and arm64 and
# checked against make's binaries, then an application image run for real.
# test/docker/prepare.sh installs and starts what is missing; where dockerd
# cannot run it says so loudly and the target is skipped (exit 77 -> 0).
DOCKER        ?= /usr/bin/docker
BUILDER_IMAGE ?= localhost/reinit-builder:bookworm-1

test-docker: build/reinit $(HELPERS)
	$(MAKE) ARCH=aarch64 $(A64)/reinit $(A64_HELPERS)
	@DOCKER=$(DOCKER) BUILDER=$(BUILDER_IMAGE) test/docker/prepare.sh; rc=$$?; \
	if [ $$rc = 77 ]; then exit 0; elif [ $$rc != 0 ]; then exit $$rc; fi; \
	DOCKER=$(DOCKER) BUILDER=$(BUILDER_IMAGE) $(PYTHON) -m pytest -q -p no:cacheprovider test/docker

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

.PHONY: all test bench format install clean check-size deps demo buildpack fuzz \
        deps-arm64 test-arm64 test-docker helpers
