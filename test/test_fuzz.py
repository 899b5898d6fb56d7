"""Each fuzz target runs briefly over its committed corpus and must find nothing."""

import subprocess

import pytest

import lib

TARGETS = sorted(p.stem[len("fuzz_"):] for p in (lib.ROOT / "fuzz").glob("fuzz_*.c"))


@pytest.mark.parametrize("name", TARGETS)
def test_fuzz_target(name, tmp_path):
    binary = lib.BUILD / "fuzz" / name
    assert binary.exists(), f"{binary} is not built: run make test"
    corpus = lib.ROOT / "fuzz" / "corpus" / name
    assert corpus.is_dir() and any(corpus.iterdir()), f"no seed corpus in {corpus}"
    # New inputs go to a scratch directory; the committed corpus is only read.
    r = subprocess.run([binary, "-max_total_time=5", tmp_path, corpus],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
