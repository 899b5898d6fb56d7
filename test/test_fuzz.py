"""Each fuzz target (build/fuzz/NAME) runs briefly over its seed corpus
(fuzz/corpus/NAME); new inputs go to a temporary directory."""

import subprocess

import pytest

import lib

TARGETS = sorted((lib.ROOT / "fuzz").glob("fuzz_*.c"))


@pytest.mark.parametrize("source", TARGETS, ids=[s.stem[5:] for s in TARGETS])
def test_fuzz_target_runs_clean(source, tmp_path):
    name = source.stem[5:]
    binary = lib.BUILD / "fuzz" / name
    assert binary.exists(), f"{binary} is not built: run make test"
    corpus = lib.ROOT / "fuzz" / "corpus" / name
    r = subprocess.run([binary, "-max_total_time=5", str(tmp_path), str(corpus)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
