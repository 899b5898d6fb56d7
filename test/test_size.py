"""build/reinit is one static binary within the size budget."""

import os
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
