"""Shared by the tar and rm tests: run the built-in tools, build source trees, compare trees."""

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import lib

MTIME = 1_600_000_000
GNU_TAR = "/bin/tar"
GNU_RM = "/bin/rm"


def targen():
    """Go's archive/tar (what Tilt and Skaffold write with): test/targen built
    into build/test/targen, or None without a Go toolchain."""
    if not shutil.which("go"):
        return None
    out = lib.BUILD / "test" / "targen"
    src = lib.ROOT / "test" / "targen"
    if not out.exists() or out.stat().st_mtime < (src / "main.go").stat().st_mtime:
        env = dict(os.environ, GOCACHE=str(lib.BUILD / "test" / "gocache"), GOFLAGS="-mod=mod",
                   GOTOOLCHAIN="local", CGO_ENABLED="0")
        subprocess.run(["go", "build", "-o", out, "."], cwd=src, env=env, check=True, timeout=300)
    return out


def tool(name, *args, input=None, cwd=None, umask=None, timeout=120):
    """Run `reinit NAME args...` through a link named NAME, as users do."""
    link = lib.BUILD / "test" / "links" / name
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(lib.REINIT.resolve(), link)
    return run([link, *args], input=input, cwd=cwd, umask=umask, timeout=timeout)


def run(argv, input=None, cwd=None, umask=None, timeout=120):
    pre = (lambda: os.umask(umask)) if umask is not None else None
    kw = {"input": input} if isinstance(input, (bytes, type(None))) else {"stdin": input}
    return subprocess.run([str(a) for a in argv], capture_output=True, cwd=cwd,
                          preexec_fn=pre, timeout=timeout, **kw)


def tree(root, mtimes=True):
    """{relative path: what the tests compare} for everything below root,
    plus the groups of hard-linked paths."""
    root = Path(root)
    out, inodes = {}, {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            st = os.lstat(p)
            item = {"type": stat.S_IFMT(st.st_mode), "mode": oct(stat.S_IMODE(st.st_mode)),
                    "uid": st.st_uid, "gid": st.st_gid}
            if mtimes:
                item["mtime"] = int(st.st_mtime)
            if stat.S_ISLNK(st.st_mode):
                item["target"] = os.readlink(p)
                item.pop("mode")
            elif stat.S_ISREG(st.st_mode):
                item["size"] = st.st_size
                with open(p, "rb") as f:
                    item["sha"] = hashlib.sha256(f.read()).hexdigest()
                inodes.setdefault(st.st_ino, []).append(rel)
            out[rel] = item
    links = sorted(sorted(v) for v in inodes.values() if len(v) > 1)
    return out, links


def assert_same_tree(a, b, mtimes=True):
    ta, tb = tree(a, mtimes), tree(b, mtimes)
    assert set(ta[0]) == set(tb[0]), (
        f"only in {a}: {sorted(set(ta[0]) - set(tb[0]))}; only in {b}: {sorted(set(tb[0]) - set(ta[0]))}")
    for k in ta[0]:
        assert ta[0][k] == tb[0][k], f"{k}: {ta[0][k]} != {tb[0][k]}"
    assert ta[1] == tb[1], f"hard links differ: {ta[1]} != {tb[1]}"


def temp_files(root):
    """Temporary files the built-in tar left behind."""
    return [str(p) for p in Path(root).rglob(".reinit-tar-*")]


def make_source(root, long_names=True):
    """A tree with every kind of entry a sync carries, with set mtimes."""
    root = Path(root)
    d = root / "app"
    (d / "sub" / "deeper").mkdir(parents=True)
    files = {"main": (b"\x7fELF fake\n" * 100, 0o755), "empty": (b"", 0o644),
             "odd": (b"odd\n", 0o641), "ro": (b"ro\n", 0o444), "suid": (b"s\n", 0o4755),
             "sub/deeper/x.txt": (b"deep\n", 0o600)}
    if long_names:
        long = "d" * 90 + "/" + "e" * 90 + "/" + "f" * 150
        (d / long).parent.mkdir(parents=True)
        files[long] = (b"long\n", 0o644)
        os.symlink(long, d / "longlink")
    for name, (data, mode) in files.items():
        (d / name).write_bytes(data)
        os.chmod(d / name, mode)
    os.symlink("main", d / "link")
    os.symlink("/nowhere/absolute", d / "abslink")
    os.link(d / "main", d / "hard")
    (d / "rodir").mkdir()
    (d / "rodir" / "in").write_bytes(b"in\n")
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames + dirnames:
            os.utime(Path(dirpath) / name, (MTIME, MTIME), follow_symlinks=False)
    os.chmod(d / "rodir", 0o555)
    os.utime(d / "rodir", (MTIME, MTIME))
    os.utime(d, (MTIME, MTIME))
    return root


def rmtree(path):
    """Remove a test tree whatever its modes."""
    for dirpath, dirnames, _ in os.walk(path):
        for n in dirnames:
            p = Path(dirpath) / n
            if not p.is_symlink():
                p.chmod(0o755)
    shutil.rmtree(path, ignore_errors=True)
