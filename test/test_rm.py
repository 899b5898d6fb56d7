"""The built-in rm side by side with GNU rm: same cases, same outcome."""

import os
from pathlib import Path

import pytest

import tarlib
from tarlib import GNU_RM, tool


def make(root):
    """A tree with files, a symlink to a directory outside it, and a read-only file."""
    root.mkdir()
    (root / "outside").mkdir()
    (root / "outside" / "keep").write_bytes(b"keep")
    t = root / "t"
    (t / "a" / "b" / "c").mkdir(parents=True)
    (t / "a" / "b" / "c" / "f").write_bytes(b"f")
    (t / "a" / "g").write_bytes(b"g")
    (t / "ro").write_bytes(b"ro")
    (t / "ro").chmod(0o444)
    os.symlink(root / "outside", t / "a" / "tolink")
    os.symlink(root / "outside", t / "dirlink")
    (t / "empty").mkdir()
    (t / "file").write_bytes(b"x")
    (t / "-dash").write_bytes(b"x")
    return root


def listing(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        for n in sorted(dirnames + filenames):
            out.append(str((Path(dirpath) / n).relative_to(root)))
    return sorted(out)


CASES = [
    ["-rf", "t"],
    ["-rf", "--", "t/a", "t/file"],
    ["-r", "t/a/b"],
    ["-R", "-f", "t/dirlink"],
    ["t/file", "t/ro"],
    ["-f", "t/missing"],
    ["t/missing"],
    ["-rf", "t/missing", "t/file"],
    ["t/missing", "t/file"],
    ["t/empty"],
    ["t/a"],
    ["-f"],
    [],
    ["--", "-dash"],
    ["-rf", "t/."],
    ["-rf", "t/a/.."],
    ["-r", "."],
    ["-x", "t"],
    ["t/file", "-f"],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c) or "none" for c in CASES])
def test_same_as_gnu_rm(tmp_path, args):
    mine, theirs = make(tmp_path / "mine"), make(tmp_path / "gnu")
    cwd_args = [a if a != "-dash" else "-dash" for a in args]
    r1 = tool("rm", *cwd_args, cwd=mine / ("t" if "-dash" in args else "."))
    r2 = tarlib.run([GNU_RM, *cwd_args], cwd=theirs / ("t" if "-dash" in args else "."))
    assert r1.returncode == r2.returncode, (r1.stderr, r2.stderr)
    assert listing(mine) == listing(theirs)
    assert (mine / "outside" / "keep").read_bytes() == b"keep"
    # One line per problem, as GNU rm writes, each "rm: ...".
    assert len(r1.stderr.splitlines()) == len(r2.stderr.splitlines()) or r1.returncode == 1, (
        r1.stderr, r2.stderr)
    assert all(line.startswith(b"rm: ") for line in r1.stderr.splitlines())
    assert bool(r1.stderr) == bool(r2.stderr)


def test_deep_tree(tmp_path):
    """3,000 levels: far past PATH_MAX, no recursion, no descriptor per level."""
    fd = os.open(tmp_path, os.O_RDONLY)
    os.mkdir("deep", dir_fd=fd)
    top = fd
    for i in range(3000):
        nfd = os.open("deep" if i == 0 else "d", os.O_RDONLY, dir_fd=fd)
        if fd != top:
            os.close(fd)
        fd = nfd
        os.mkdir("d", dir_fd=fd)
        with open(os.open("f", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w") as f:
            f.write("x")
    os.close(fd)
    os.close(top)
    r = tool("rm", "-rf", "deep", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert os.listdir(tmp_path) == []


def test_wide_tree(tmp_path):
    for i in range(300):
        (tmp_path / "w" / f"d{i}").mkdir(parents=True)
        (tmp_path / "w" / f"d{i}" / "f").write_bytes(b"")
    r = tool("rm", "-rf", "w", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert os.listdir(tmp_path) == []


def test_trailing_slash_on_a_symlink_does_not_empty_its_target(tmp_path):
    # GNU rm -rf link/ empties the directory the link points to and exits 0;
    # the built-in one removes nothing through a symlink.
    make(tmp_path / "m")
    r = tool("rm", "-rf", "t/dirlink/", cwd=tmp_path / "m")
    assert r.returncode == 1 and r.stderr.startswith(b"rm: cannot remove 't/dirlink/': ")
    assert (tmp_path / "m" / "outside" / "keep").read_bytes() == b"keep"


def test_unsupported_option_message(tmp_path):
    r = tool("rm", "-rfi", "x", cwd=tmp_path)
    assert r.returncode == 1 and r.stderr == b"rm: unsupported option: -i\n"
