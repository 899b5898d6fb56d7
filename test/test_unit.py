"""The C unit tests of the pure modules: every build/test/unit_* binary must pass its TAP plan."""

import subprocess

import pytest

import lib

SOURCES = sorted((lib.ROOT / "test").glob("unit_*.c"))


def test_there_are_unit_tests():
    assert SOURCES, "no test/unit_*.c: every pure module needs unit tests"


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_unit(source):
    binary = lib.BUILD / "test" / source.stem
    assert binary.exists(), f"{binary} is not built: run make test"
    r = subprocess.run([binary], capture_output=True, text=True, timeout=120, cwd=lib.ROOT)
    lines = r.stdout.splitlines()
    failed = []
    for i, line in enumerate(lines):
        if line.startswith("not ok"):
            failed.append(line)
            failed += [d for d in lines[i + 1:i + 6] if d.startswith("#")][:4]
    plans = [line for line in lines if line.startswith("1..")]
    points = sum(1 for line in lines if line.startswith(("ok ", "not ok ")))
    assert not failed, "\n".join(failed)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    assert plans, f"no TAP plan: the test stopped early\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    assert int(plans[-1][3:].split()[0]) == points, f"plan {plans[-1]} but {points} test points"
    assert points > 0, "a unit test binary with no test points"
