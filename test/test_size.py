"""build/reinit is one static binary within the size budget."""

import os
import re
import subprocess

import lib


def readelf(*flags):
    assert lib.REINIT.exists(), f"{lib.REINIT} is missing: run make"
    return subprocess.run(["readelf", *flags, lib.REINIT], check=True, capture_output=True,
                          text=True).stdout


def test_static_without_interpreter():
    assert "INTERP" not in readelf("-lW"), "build/reinit has a program interpreter"


def test_needs_no_shared_library():
    assert "NEEDED" not in readelf("-dW"), "build/reinit needs shared libraries"


def makefile_value(name):
    return next(line.split(":=")[1].strip()
                for line in (lib.ROOT / "Makefile").read_text().splitlines()
                if line.split(":=")[0].strip() == name)


def test_within_size_budget_with_headroom():
    # make passes SIZE_BUDGET for the architecture it built; run alone, the
    # Makefile's own lines say them (the x86-64 budget).
    budget = int(os.environ.get("SIZE_BUDGET") or makefile_value("SIZE_BUDGET_x86_64"))
    headroom = int(os.environ.get("SIZE_HEADROOM") or makefile_value("SIZE_HEADROOM"))
    size = lib.REINIT.stat().st_size
    assert size <= budget, f"{lib.REINIT} is {size} bytes, over the {budget} budget"
    assert size <= budget - headroom, \
        f"{lib.REINIT} is {size} bytes: less than {headroom} of the {budget} budget left free"


def test_no_code_reads_the_thread_descriptor():
    # proc/start.c sets up no thread descriptor, only the stack protector's
    # canary (x86-64: the thread control block's word at %fs:0x28; arm64:
    # a global) and errno (a word of its own). musl code that reads the
    # descriptor (__pthread_self(): %fs:0 on x86-64, tpidr_el0 on arm64)
    # would read past it: no such instruction may be linked in.
    code = lib.REINIT.read_bytes()
    machine = int.from_bytes(code[18:20], "little")
    if machine == 62:
        # mov %fs:0x0,%reg and mov %fs:0x28,%reg (64 REX.W 8b modrm 25 disp32)
        def fs_loads(disp):
            return re.findall(rb"\x64[\x48\x4c]\x8b[\x04\x0c\x14\x1c\x24\x2c\x34\x3c]\x25"
                              + re.escape(disp.to_bytes(4, "little")), code)
        assert not fs_loads(0), "code reads %fs:0, the thread descriptor proc/start.c leaves unset"
        assert fs_loads(0x28), "no canary is read at %fs:0x28: is -fstack-protector off?"
    elif machine == 183:
        # mrs xN, tpidr_el0
        mrs = [m for m in re.finditer(rb"[\x40-\x5e]\xd0\x3b\xd5", code) if m.start() % 4 == 0]
        assert not mrs, "code reads tpidr_el0, the thread pointer proc/start.c leaves unset"
    else:
        raise AssertionError(f"unknown ELF machine {machine}")
