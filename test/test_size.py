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


def test_within_size_budget():
    # make passes SIZE_BUDGET; run alone, the Makefile's own line says it.
    budget = os.environ.get("SIZE_BUDGET") or next(
        line.split(":=")[1] for line in (lib.ROOT / "Makefile").read_text().splitlines()
        if line.startswith("SIZE_BUDGET"))
    budget = int(budget)
    size = lib.REINIT.stat().st_size
    assert size <= budget, f"build/reinit is {size} bytes, over the {budget} budget"
