"""The built-in tar, side by side with GNU tar on archives from seven writers, and against attacks."""

import gzip
import io
import os
import shutil
import signal
import stat
import subprocess
import tarfile
import time

from pathlib import Path

import pytest

import lib
import tarlib
from tarlib import GNU_TAR, assert_same_tree, make_source, temp_files, tool


@pytest.fixture(scope="module")
def targen():
    path = tarlib.targen()
    assert path, "no Go toolchain: make deps installs golang-go"
    return path


def gnu(fmt):
    return lambda src: subprocess.run([GNU_TAR, f"--format={fmt}", "-C", src, "-cf", "-", "app"],
                                      check=True, capture_output=True).stdout


def busybox(src):
    return subprocess.run(["busybox", "tar", "-C", src, "-cf", "-", "app"], check=True,
                          capture_output=True).stdout


def python(fmt):
    def make(src):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
            t.add(os.path.join(src, "app"), arcname="app")
        return buf.getvalue()
    return make


WRITERS = {
    "gnu": (gnu("gnu"), True), "posix": (gnu("posix"), True), "ustar": (gnu("ustar"), False),
    "v7": (gnu("v7"), False), "busybox": (busybox, True),
    "python-gnu": (python(tarfile.GNU_FORMAT), True),
    "python-pax": (python(tarfile.PAX_FORMAT), True),
    "python-ustar": (python(tarfile.USTAR_FORMAT), False),
}


def both(tmp_path, archive, args=("-C", "DIR", "-x", "-f", "-"), umask=None):
    """Extract archive with the built-in tar into mine/ and GNU tar into gnu/;
    DIR in args stands for the directory."""
    mine, theirs = tmp_path / "mine", tmp_path / "gnu"
    mine.mkdir()
    theirs.mkdir()
    r1 = tool("tar", *[mine if a == "DIR" else a for a in args], input=archive, umask=umask)
    r2 = tarlib.run([GNU_TAR, *[theirs if a == "DIR" else a for a in args]], input=archive,
                    umask=umask)
    assert r2.returncode == 0, r2.stderr
    assert r1.returncode == 0, r1.stderr
    assert temp_files(mine) == []
    return mine, theirs


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_same_tree_as_gnu_tar(tmp_path, writer):
    make, long_names = WRITERS[writer]
    src = make_source(tmp_path / "src", long_names=long_names)
    mine, theirs = both(tmp_path, make(src))
    assert_same_tree(mine, theirs)
    assert (mine / "app" / "rodir" / "in").read_bytes() == b"in\n"
    tarlib.rmtree(tmp_path)


def test_go_archive_same_tree_as_gnu_tar(tmp_path, targen):
    archive = subprocess.run([targen], check=True, capture_output=True).stdout
    mine, theirs = both(tmp_path, archive)
    # Directories made as parents get the time of extraction: not compared.
    assert_same_tree(mine, theirs, mtimes=False)
    for p in ["app", "app/main", "app/link", "app/sub/deep/x.txt", "app/caf\u00e9.txt"]:
        assert os.lstat(mine / p).st_mtime == 1_700_000_000, p
    assert (mine / "app" / "caf\u00e9.txt").read_bytes() == b"pax\n"


@pytest.mark.parametrize("args", [
    ("xmf", "-", "-C", "DIR", "--no-same-owner"),                                 # Skaffold
    ("-xmf", "-", "-C", "DIR"),                                                   # kubectl cp
    ("--no-same-permissions", "--no-same-owner", "-xmf", "-", "-C", "DIR"),       # --no-preserve
    ("-C", "DIR", "-x", "-v", "-f", "-"),                                         # Tilt, older
    ("-C", "DIR", "-x", "-f", "-", "-p", "-o"),
], ids=["skaffold", "kubectl", "kubectl-no-preserve", "tilt-v", "p-o"])
@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_options_same_as_gnu_tar(tmp_path, args, umask):
    src = make_source(tmp_path / "src")
    archive = gnu("posix")(src)
    mine, theirs = both(tmp_path, archive, args, umask=umask)
    assert_same_tree(mine, theirs, mtimes="m" not in "".join(a for a in args[:3] if a[:2] != "--"))
    tarlib.rmtree(tmp_path)


def test_verbose_lists_names_on_stdout(tmp_path):
    src = make_source(tmp_path / "src", long_names=False)
    archive = gnu("gnu")(src)
    (tmp_path / "out").mkdir()
    r = tool("tar", "-C", tmp_path / "out", "-x", "-v", "-f", "-", input=archive)
    g = tarlib.run([GNU_TAR, "-C", tmp_path / "out", "-t", "-f", "-"], input=archive)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().splitlines() == g.stdout.decode().splitlines()
    tarlib.rmtree(tmp_path)


def test_archive_from_a_file_and_reinit_tar_spelling(tmp_path):
    src = make_source(tmp_path / "src", long_names=False)
    (tmp_path / "a.tar").write_bytes(gnu("gnu")(src))
    (tmp_path / "out").mkdir()
    r = tarlib.run([lib.REINIT, "tar", "-xf", tmp_path / "a.tar", "-C", tmp_path / "out"])
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "app" / "main").read_bytes() == b"\x7fELF fake\n" * 100
    tarlib.rmtree(tmp_path)


def test_100_mb_file(tmp_path, targen):
    size = 100 * 1024 * 1024
    mine = tmp_path / "mine"
    mine.mkdir()
    gen = subprocess.Popen([targen, "-big", str(size)], stdout=subprocess.PIPE)
    r = tool("tar", "-C", mine, "-x", "-f", "-", input=gen.stdout)
    assert gen.wait() == 0 and r.returncode == 0, r.stderr
    gen = subprocess.Popen([targen, "-big", str(size)], stdout=subprocess.PIPE)
    theirs = tmp_path / "gnu"
    theirs.mkdir()
    g = tarlib.run([GNU_TAR, "-C", theirs, "-x", "-f", "-"], input=gen.stdout)
    assert gen.wait() == 0 and g.returncode == 0
    assert (mine / "app" / "big").stat().st_size == size
    assert_same_tree(mine, theirs, mtimes=False)


# ---- archives made by hand: attacks and bad input ------------------------------


def archive(*entries, fmt=tarfile.GNU_FORMAT):
    """entries: (name, type, data or link target, extra TarInfo fields)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for name, kind, payload, *extra in entries:
            ti = tarfile.TarInfo(name)
            ti.type = kind
            ti.mtime = tarlib.MTIME
            ti.mode = 0o644 if kind != tarfile.DIRTYPE else 0o755
            for k, v in (extra[0] if extra else {}).items():
                setattr(ti, k, v)
            if kind == tarfile.REGTYPE:
                ti.size = len(payload)
                t.addfile(ti, io.BytesIO(payload))
            else:
                ti.linkname = payload if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE) else ""
                t.addfile(ti)
    return buf.getvalue()


class Box(type(lib.ROOT)):
    keep_mode = 0o604


@pytest.fixture
def box(tmp_path):
    """target/ to extract into; outside/ beside it, with a file that must stay as it is."""
    (tmp_path / "target").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "keep").write_bytes(b"keep\n")
    (tmp_path / "outside" / "keep").chmod(0o604)
    os.utime(tmp_path / "outside" / "keep", (1, 1))
    return Box(tmp_path)


def outside_untouched(box):
    assert sorted(os.listdir(box / "outside")) == ["keep"]
    assert (box / "outside" / "keep").read_bytes() == b"keep\n"
    st = os.stat(box / "outside" / "keep")
    assert st.st_mtime == 1
    assert st.st_nlink == 1 and (st.st_mode & 0o7777, st.st_uid) == (box.keep_mode, 0)


def extract(box, data):
    return tool("tar", "-C", box / "target", "-x", "-f", "-", input=data)


def test_attack_absolute_name_lands_inside(box):
    outside = str(box / "outside" / "abs")
    r = extract(box, archive((outside, tarfile.REGTYPE, b"x")))
    assert r.returncode == 0, r.stderr
    outside_untouched(box)
    assert (box / "target" / outside.lstrip("/")).read_bytes() == b"x"


@pytest.mark.parametrize("name", ["../outside/dotdot", "a/../../outside/dotdot", ".."])
def test_attack_dotdot_is_refused(box, name):
    r = extract(box, archive(("ok", tarfile.REGTYPE, b"ok"), (name, tarfile.REGTYPE, b"x"),
                             ("after", tarfile.REGTYPE, b"after")))
    assert r.returncode == 2
    assert r.stderr.decode().startswith(f"tar: {name}: ") and "'..'" in r.stderr.decode()
    outside_untouched(box)
    # The others are extracted, as GNU tar does.
    assert (box / "target" / "ok").read_bytes() == b"ok"
    assert (box / "target" / "after").read_bytes() == b"after"


@pytest.mark.parametrize("target", ["ABS", "../outside", "../../", "sub/../../outside"])
def test_attack_symlink_then_write_through_it(box, target):
    target = str(box / "outside") if target == "ABS" else target
    r = extract(box, archive(("evil", tarfile.SYMTYPE, target),
                             ("evil/pwned", tarfile.REGTYPE, b"x"),
                             ("evil/deeper/pwned", tarfile.REGTYPE, b"x"),
                             ("evil", tarfile.DIRTYPE, b"", {"mode": 0o777})))
    assert r.returncode == 2, r.stderr
    assert b"evil/pwned: " in r.stderr
    outside_untouched(box)
    assert os.stat(box / "outside").st_mode & 0o777 == 0o755


def test_symlink_inside_the_target_is_followed(box):
    r = extract(box, archive(("real", tarfile.DIRTYPE, b""), ("alias", tarfile.SYMTYPE, "real"),
                             ("alias/f", tarfile.REGTYPE, b"f")))
    assert r.returncode == 0, r.stderr
    assert (box / "target" / "real" / "f").read_bytes() == b"f"


def test_attack_file_replaces_a_symlink_instead_of_writing_through(box):
    r = extract(box, archive(("evil", tarfile.SYMTYPE, str(box / "outside" / "keep")),
                             ("evil", tarfile.REGTYPE, b"replaced")))
    assert r.returncode == 0, r.stderr
    outside_untouched(box)
    assert (box / "target" / "evil").read_bytes() == b"replaced"
    assert not (box / "target" / "evil").is_symlink()


@pytest.mark.parametrize("link", ["../outside/keep", "ABS", "evil/keep"])
def test_attack_hard_link_to_outside(box, link):
    link = str(box / "outside" / "keep") if link == "ABS" else link
    r = extract(box, archive(("evil", tarfile.SYMTYPE, str(box / "outside")),
                             ("hl", tarfile.LNKTYPE, link)))
    assert r.returncode == 2, r.stderr
    assert b"tar: hl: " in r.stderr
    outside_untouched(box)
    assert os.stat(box / "outside" / "keep").st_nlink == 1
    assert not os.path.lexists(box / "target" / "hl")


def test_hard_link_to_a_symlink_links_the_symlink(box):
    r = extract(box, archive(("evil", tarfile.SYMTYPE, str(box / "outside" / "keep")),
                             ("hl", tarfile.LNKTYPE, "evil")))
    assert r.returncode == 0, r.stderr
    assert os.readlink(box / "target" / "hl") == str(box / "outside" / "keep")
    assert os.stat(box / "outside" / "keep").st_nlink == 1


def test_other_types_are_skipped_with_a_warning(box):
    r = extract(box, archive(("fifo", tarfile.FIFOTYPE, ""), ("dev", tarfile.CHRTYPE, ""),
                             ("f", tarfile.REGTYPE, b"f")))
    assert r.returncode == 0, r.stderr
    lines = r.stderr.decode().splitlines()
    assert len(lines) == 2 and lines[0].startswith("tar: fifo: ") and lines[1].startswith("tar: dev: ")
    assert sorted(os.listdir(box / "target")) == ["f"]


def two_files():
    return archive(("first", tarfile.REGTYPE, b"1" * 3000), ("second", tarfile.REGTYPE, b"2" * 3000))


def first_whole(box):
    assert (box / "target" / "first").read_bytes() == b"1" * 3000
    assert not os.path.lexists(box / "target" / "second")
    assert temp_files(box) == []


def gnu_status(box, data):
    d = box / "gnu"
    d.mkdir(exist_ok=True)
    return tarlib.run([GNU_TAR, "-C", d, "-x", "-f", "-"], input=data).returncode


def test_truncated_in_data(box):
    data = two_files()
    cut = data[:512 * 9 + 1000]  # second header, then part of its data
    r = extract(box, cut)
    assert r.returncode == 2 == gnu_status(box, cut)
    assert r.stderr.decode() == "tar: second: unexpected end of archive\n"
    first_whole(box)


def test_truncated_in_header(box):
    data = two_files()
    cut = data[:512 * 7 + 100]
    r = extract(box, cut)
    assert r.returncode == 2  # GNU tar 1.34 says nothing and exits 0
    assert r.stderr.decode() == "tar: unexpected end of archive\n"
    first_whole(box)


def test_bad_checksum(box):
    data = bytearray(two_files())
    data[512 * 7 + 100] ^= 1  # the mode of "second"
    r = extract(box, bytes(data))
    assert r.returncode == 2 == gnu_status(box, bytes(data))
    assert r.stderr.decode().startswith("tar: second: bad header checksum")
    first_whole(box)


def fix_sum(data, at):
    h = bytearray(data[at:at + 512])
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return data[:at] + bytes(h) + data[at + 512:]


def test_corrupt_number(box):
    data = bytearray(two_files())
    data[512 * 7 + 124:512 * 7 + 136] = b"0000000x777\0"
    data = fix_sum(bytes(data), 512 * 7)
    r = extract(box, data)
    assert r.returncode == 2 == gnu_status(box, data)
    assert r.stderr.decode() == "tar: second: bad number in header\n"
    first_whole(box)


def test_name_too_long(box):
    data = archive(("first", tarfile.REGTYPE, b"1" * 3000), ("n" * 5000, tarfile.REGTYPE, b"2"),
                   fmt=tarfile.PAX_FORMAT)
    r = extract(box, data)
    assert r.returncode == 2
    assert r.stderr.decode().endswith(": name too long\n")
    first_whole(box)


def test_write_error_leaves_no_temporary_file(box):
    # A directory where the file goes: the rename fails, the temporary file goes.
    (box / "target" / "second").mkdir()
    (box / "target" / "second" / "x").write_bytes(b"")
    r = extract(box, two_files())
    assert r.returncode == 2
    assert r.stderr.decode().startswith("tar: second: ")
    assert temp_files(box) == []


@pytest.mark.parametrize("kind", ["gzip", "bzip2", "xz", "zstd"])
def test_compressed_stream_is_refused(box, kind):
    magic = {"gzip": gzip.compress(two_files()), "bzip2": b"BZh91AY&SY" + b"\0" * 600,
             "xz": b"\xfd7zXZ\0" + b"\1" * 600, "zstd": b"\x28\xb5\x2f\xfd" + b"\1" * 600}[kind]
    r = extract(box, magic)
    assert r.returncode == 2
    assert r.stderr.startswith(b"tar: compressed archive") and len(r.stderr.splitlines()) == 1


@pytest.mark.parametrize("data", [b"", b"\0" * 100, b"hello", bytes(range(256)) * 4],
                         ids=["empty", "short-zeros", "short", "not-tar"])
def test_stream_that_is_no_archive_is_one_line_and_exit_2(box, data):
    """As GNU tar: an empty stream, or one whose first block is no header,
    is an error, said in one line without the garbage as a name."""
    r = extract(box, data)
    assert (r.returncode, gnu_status(box, data)) == (2, 2)
    assert r.stderr == b"tar: this does not look like a tar archive\n"


def test_end_blocks_only_is_an_empty_archive(box):
    for data in (b"\0" * 1024, b"\0" * 512, b"\0" * 10240):
        r = extract(box, data)
        assert (r.returncode, r.stderr, gnu_status(box, data)) == (0, b"", 0)


def test_unsupported_option_is_one_line_and_exit_2(box):
    r = tool("tar", "-xzf", "-", input=b"")
    assert r.returncode == 2 and r.stderr == b"tar: unsupported option: -z\n"
    r = tool("tar", "-cf", "-", ".", input=b"")
    assert r.returncode == 2 and r.stderr.startswith(b"tar: ")


def test_missing_target_directory(box):
    r = tool("tar", "-C", box / "nope", "-xf", "-", input=two_files())
    assert r.returncode == 2 and b"tar: cannot open" in r.stderr


def test_directory_times_set_after_contents(box):
    data = archive(("d", tarfile.DIRTYPE, b""), ("d/f", tarfile.REGTYPE, b"f"),
                   ("d/sub", tarfile.DIRTYPE, b""), ("d/sub/g", tarfile.REGTYPE, b"g"))
    assert extract(box, data).returncode == 0
    for p in ("d", "d/sub", "d/f"):
        assert int(os.stat(box / "target" / p).st_mtime) == tarlib.MTIME, p


def test_running_executable_is_replaced_not_overwritten(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    shutil.copy(lib.helper("sigecho"), app / "server")
    p = lib.Proc([app / "server"])
    p.wait_for_line("ready")
    new = open(lib.helper("exitcode"), "rb").read()
    data = archive(("server", tarfile.REGTYPE, new, {"mode": 0o755}))
    r = tool("tar", "-C", app, "-x", "-f", "-", input=data)
    assert r.returncode == 0, r.stderr
    assert lib.alive(p.pid), "the running program died"
    assert os.readlink(f"/proc/{p.pid}/exe").endswith("(deleted)")
    assert (app / "server").read_bytes() == new
    assert subprocess.run([app / "server", "7"]).returncode == 7
    assert temp_files(app) == []


def test_owner_not_settable_file_still_in_place_exit_2(tmp_path, targen):
    """Root without CAP_CHOWN (a hardened container): as GNU tar, each entry is
    extracted, each failed chown reported, and the exit status is 2."""
    data = subprocess.run([targen], check=True, capture_output=True).stdout
    drop = ["setpriv", "--bounding-set=-chown", "--inh-caps=-chown"]
    (tmp_path / "mine").mkdir()
    (tmp_path / "gnu").mkdir()
    link = lib.BUILD / "test" / "links" / "tar"
    r1 = tarlib.run([*drop, link, "-C", tmp_path / "mine", "-xf", "-"], input=data)
    r2 = tarlib.run([*drop, GNU_TAR, "-C", tmp_path / "gnu", "-xf", "-"], input=data)
    assert r1.returncode == r2.returncode == 2
    lines = r1.stderr.decode().splitlines()
    assert "tar: app/main: operation not permitted" in lines
    assert "tar: app: operation not permitted" in lines, "the directory is named too"
    assert_same_tree(tmp_path / "mine", tmp_path / "gnu", mtimes=False)
    assert temp_files(tmp_path) == []


def test_killed_mid_file_leaves_no_temporary_file(box):
    """A file is written unnamed until it is whole: a tar killed in the middle
    of one (a sync cut short) leaves nothing behind for anyone to clean."""
    import threading

    data = archive(("big", tarfile.REGTYPE, b"b" * 4_000_000))
    link = lib.BUILD / "test" / "links" / "tar"
    p = subprocess.Popen([link, "-C", box / "target", "-xf", "-"], stdin=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdin.write(data[:2_000_000])
    p.stdin.flush()
    # Half the file is written once tar's file holds it: then kill it.
    fdinfo = lambda: [os.readlink(f"/proc/{p.pid}/fd/{f}") for f in os.listdir(f"/proc/{p.pid}/fd")]
    lib.wait_until(lambda: any("(deleted)" in t or ".reinit-tar-" in t for t in fdinfo()),
                   what="tar's file open")
    p.kill()
    p.wait()
    threading.Thread(target=p.stdin.close).start()
    assert temp_files(box) == []
    assert os.listdir(box / "target") == []


@pytest.fixture
def open_tmp():
    """A directory that every user can reach (pytest's own is root's only)."""
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="reinit-race-", dir="/tmp"))
    os.chmod(d, 0o755)
    yield d
    tarlib.rmtree(d)


def test_race_owner_of_the_directory_cannot_turn_root_onto_another_file(open_tmp):
    """Root extracts into a directory that uid 65534 owns, while that user
    swaps a symlink to a root-only file over every temporary name the moment
    it appears. Owner, mode and times are set on descriptors, never by name:
    the file outside keeps its mode, owner, times and content, every entry
    lands as archived, and no symlink is left where a file was archived."""
    assert os.geteuid() == 0, "the race needs root to run tar and another uid to race it"
    tmp_path = open_tmp
    top = tmp_path / "app"
    top.mkdir()
    os.chown(top, 65534, 65534)
    secret = tmp_path / "secret"
    secret.write_bytes(b"root only\n")
    os.chmod(secret, 0o600)
    os.utime(secret, (1, 1))
    big = b"x" * 3_000_000
    entries = [("d", tarfile.DIRTYPE, b"", {"mode": 0o777})]
    for i in range(6):
        entries.append((f"f{i}", tarfile.REGTYPE, big, {"mode": 0o4777, "uid": 0, "gid": 0}))
        entries.append((f"d/g{i}", tarfile.REGTYPE, big, {"mode": 0o666}))
        entries.append((f"s{i}", tarfile.SYMTYPE, "f0", {"uid": 0, "gid": 0}))
        entries.append((f"h{i}", tarfile.LNKTYPE, "f0"))
    data = archive(*entries)
    racer = lib.Proc(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                      "/usr/bin/python3", lib.ROOT / "test" / "racer.py", top, secret])
    racer.wait_for_line("ready")
    for _ in range(3):
        r = tool("tar", "-C", top, "-xf", "-", input=data)
        st = os.lstat(secret)
        assert (st.st_mode & 0o7777, st.st_uid, st.st_gid, st.st_mtime) == (0o600, 0, 0, 1)
        assert secret.read_bytes() == b"root only\n"
    swaps = [line for line in racer.out if line.startswith("swapped")]
    assert swaps, "the racer never saw a temporary name: nothing was raced"
    assert sorted(os.listdir(tmp_path)) == ["app", "secret"]
    # Whatever the racer swapped in landed as a symlink where an entry
    # goes: that much its owner may always do. Root's work did not follow it.
    for name in os.listdir(top):
        p = top / name
        if os.path.islink(p) and os.readlink(p) == str(secret):
            continue
        if name.startswith("f"):
            assert p.read_bytes() == big and stat.S_IMODE(os.lstat(p).st_mode) == 0o4777


def test_watcher_sees_each_file_appear_once_whole(tmp_path):
    """inotify on the target: the final name gets one IN_MOVED_TO and never
    an event of a half-written file (IN_CREATE, IN_MODIFY, IN_CLOSE_WRITE)."""
    import ctypes
    import struct

    libc = ctypes.CDLL(None, use_errno=True)
    IN_MODIFY, IN_CLOSE_WRITE, IN_MOVED_TO, IN_CREATE = 0x2, 0x8, 0x80, 0x100
    fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    assert fd >= 0
    try:
        (tmp_path / "app").write_bytes(b"old")
        assert libc.inotify_add_watch(fd, str(tmp_path).encode(),
                                      IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) >= 0
        data = archive(("app", tarfile.REGTYPE, b"n" * 300_000), ("new", tarfile.REGTYPE, b"x"))
        r = tool("tar", "-C", tmp_path, "-xf", "-", input=data)
        assert r.returncode == 0, r.stderr
        events = []
        buf = os.read(fd, 65536)
        while buf:
            wd, mask, cookie, n = struct.unpack_from("iIII", buf)
            name = buf[16:16 + n].rstrip(b"\0").decode()
            events.append((name, mask))
            buf = buf[16 + n:]
    finally:
        os.close(fd)
    for final in ("app", "new"):
        seen = [m for n, m in events if n == final]
        assert seen == [IN_MOVED_TO], (final, events)
    assert (tmp_path / "app").read_bytes() == b"n" * 300_000


def test_stream_in_small_pieces(tmp_path):
    """Short reads everywhere: the archive written to a pipe 7 bytes at a time."""
    import threading

    src = make_source(tmp_path / "src", long_names=True)
    data = gnu("posix")(src)
    (tmp_path / "mine").mkdir()
    link = lib.BUILD / "test" / "links" / "tar"
    tool("tar", "-xf", "/dev/null")  # makes the link
    p = subprocess.Popen([link, "-C", tmp_path / "mine", "-xf", "-"], stdin=subprocess.PIPE,
                         stderr=subprocess.PIPE)

    def feed():
        for i in range(0, len(data), 7):
            p.stdin.write(data[i:i + 7])
            p.stdin.flush()
        p.stdin.close()
    t = threading.Thread(target=feed)
    t.start()
    err = p.stderr.read()
    t.join()
    assert p.wait(lib.DEADLINE) == 0, err
    (tmp_path / "gnu").mkdir()
    assert tarlib.run([GNU_TAR, "-C", tmp_path / "gnu", "-xf", "-"], input=data).returncode == 0
    assert_same_tree(tmp_path / "mine", tmp_path / "gnu")
    tarlib.rmtree(tmp_path)


def test_install_links_tar_and_rm(tmp_path):
    r = tarlib.run([lib.REINIT, "--install", tmp_path / "new" / "bin"])
    assert r.returncode == 1 and r.stderr.startswith(b"reinit: --install ")
    r = tarlib.run([lib.REINIT, "--install", tmp_path / "bin"])
    assert r.returncode == 0, r.stderr
    for name in ("tar", "rm"):
        assert os.readlink(tmp_path / "bin" / name) == str(lib.REINIT.resolve())
    # Again over the links it made.
    assert tarlib.run([lib.REINIT, "--install", tmp_path / "bin"]).returncode == 0
    r = tarlib.run([tmp_path / "bin" / "rm", "-r", tmp_path / "bin"])
    assert r.returncode == 0 and not (tmp_path / "bin").exists()
    r = tarlib.run([lib.REINIT, "--install"])
    assert r.returncode == 1 and r.stderr == b"reinit: --install DIR: one directory expected\n"


# ---- entries that replace, repeat or fail, compared with GNU tar -----------------


def test_hard_link_given_twice_leaves_no_temporary_name(tmp_path):
    """The second link finds its name already that file: nothing to do, no
    temporary name left behind, exit 0, as GNU tar."""
    data = archive(("f", tarfile.REGTYPE, b"1"), ("h", tarfile.LNKTYPE, "f"),
                   ("h", tarfile.LNKTYPE, "f"))
    mine, theirs = both(tmp_path, data)
    assert_same_tree(mine, theirs)
    assert sorted(os.listdir(mine)) == ["f", "h"]


def test_failed_hard_link_makes_no_directories(box):
    """A hard link whose target's directory is missing fails, as with GNU
    tar, and leaves no directory made for the target behind."""
    data = archive(("hl", tarfile.LNKTYPE, "a/b/f"))
    r = extract(box, data)
    assert (r.returncode, gnu_status(box, data)) == (2, 2)
    assert r.stderr == b"tar: hl: no such file or directory\n"
    assert os.listdir(box / "target") == [] == os.listdir(box / "gnu")


def test_file_replaces_an_empty_directory(tmp_path):
    """As GNU tar: a file entry whose name is an empty directory replaces it;
    a directory that holds something stays, and the entry fails."""
    data = archive(("d", tarfile.REGTYPE, b"file"), ("full", tarfile.REGTYPE, b"file"))
    for side in ("mine", "gnu"):
        (tmp_path / side / "d").mkdir(parents=True)
        (tmp_path / side / "full" / "x").mkdir(parents=True)
    r = tool("tar", "-C", tmp_path / "mine", "-xf", "-", input=data)
    g = tarlib.run([GNU_TAR, "-C", tmp_path / "gnu", "-xf", "-"], input=data)
    assert (r.returncode, g.returncode) == (2, 2)
    assert r.stderr.decode().splitlines() == ["tar: full: directory not empty"]
    assert_same_tree(tmp_path / "mine", tmp_path / "gnu")
    assert (tmp_path / "mine" / "d").read_bytes() == b"file"


def test_unprivileged_directory_without_owner_x(open_tmp):
    """A user's tar, a directory archived without its owner's x (0644): its
    contents go in first, then its time, then its mode, all without error,
    the same tree as GNU tar's."""
    data = archive(("d", tarfile.DIRTYPE, b"", {"mode": 0o644}), ("d/f", tarfile.REGTYPE, b"f"),
                   ("e", tarfile.DIRTYPE, b"", {"mode": 0o600}))
    link = lib.BUILD / "test" / "links" / "tar"
    tool("tar", "-xf", "/dev/null")  # makes the link
    user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    for side in ("mine", "gnu"):
        (open_tmp / side).mkdir()
        os.chown(open_tmp / side, 65534, 65534)
    r = tarlib.run([*user, link, "-C", open_tmp / "mine", "-xf", "-"], input=data)
    g = tarlib.run([*user, GNU_TAR, "-C", open_tmp / "gnu", "-xf", "-"], input=data)
    assert (r.returncode, r.stderr) == (0, b"")
    assert g.returncode == 0, g.stderr
    assert_same_tree(open_tmp / "mine", open_tmp / "gnu")
    assert stat.S_IMODE(os.stat(open_tmp / "mine" / "d").st_mode) == 0o644


# ---- limits: large pax headers, ulimit -f, names with control bytes --------------


def test_pax_header_over_64k_with_a_large_xattr(tmp_path):
    """A pax header larger than tar's buffer (a 200 KB xattr, as GNU tar
    --xattrs or bsdtar write): read record by record, the xattr skipped, the
    entry extracted as GNU tar extracts it."""
    big = {"SCHILY.xattr.user.big": "v" * 200_000, "LIBARCHIVE.xattr.user.b": "w" * 70_000,
           "path": "app/long-" + "n" * 200, "mtime": "1700000000.5"}
    data = archive(("x", tarfile.REGTYPE, b"data", {"pax_headers": big}),
                   ("after", tarfile.REGTYPE, b"after"), fmt=tarfile.PAX_FORMAT)
    mine, theirs = both(tmp_path, data)
    assert_same_tree(mine, theirs, mtimes=False)
    assert (mine / "app" / ("long-" + "n" * 200)).read_bytes() == b"data"
    assert os.stat(mine / "app" / ("long-" + "n" * 200)).st_mtime == 1700000000
    assert (mine / "after").read_bytes() == b"after"


def test_pax_path_too_long_in_a_large_header(box):
    data = archive(("first", tarfile.REGTYPE, b"1" * 3000),
                   ("second", tarfile.REGTYPE, b"2", {"pax_headers": {"path": "p" * 100_000}}),
                   fmt=tarfile.PAX_FORMAT)
    r = extract(box, data)
    assert r.returncode == 2
    assert r.stderr.decode() == "tar: name too long\n"
    first_whole(box)


def test_file_size_limit_is_an_error_not_a_kill(box):
    """Under `ulimit -f` a file over the limit fails with EFBIG: tar is not
    killed by SIGXFSZ, reports the entry, leaves no temporary file, goes on
    with the rest and exits 2. GNU tar is killed by the signal; with it
    ignored, GNU tar also exits 2 (it leaves the file cut short)."""
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    def ignored():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        limit()

    data = archive(("small", tarfile.REGTYPE, b"s"), ("big", tarfile.REGTYPE, b"b" * (2 << 20)),
                   ("after", tarfile.REGTYPE, b"a"))
    link = lib.BUILD / "test" / "links" / "tar"
    tool("tar", "-xf", "/dev/null")  # makes the link
    r = subprocess.run([link, "-C", box / "target", "-xf", "-"], input=data, capture_output=True,
                       preexec_fn=limit, timeout=60)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr == b"tar: big: file too large\n"
    assert temp_files(box) == []
    assert sorted(os.listdir(box / "target")) == ["after", "small"]
    (box / "gnu").mkdir()
    g = subprocess.run([GNU_TAR, "-C", box / "gnu", "-xf", "-"], input=data, capture_output=True,
                       preexec_fn=ignored, timeout=60)
    assert g.returncode == 2 and b"big" in g.stderr


CONTROL_NAMES = ["a\x1b[31mred\nforged line", "b\u009b2Jcsi", "c\x7fdel\rcr", "caf\u00e9 ok"]


def test_control_bytes_in_names_are_shown_as_question_marks(box):
    """Names from the archive in tar's messages and -v listing: each C0
    control, DEL and UTF-8 C1 control (U+009B is CSI) shown as one '?', so
    each message and each listed name is one line and no archive can send a
    terminal escape; printable UTF-8 is kept. On disk the names are as
    archived, the same as GNU tar's."""
    ok = [(n, tarfile.REGTYPE, b"x") for n in CONTROL_NAMES]
    bad = [("../\x1b]0;title\x07" + n, tarfile.REGTYPE, b"x") for n in ("x", "y\u0085z")]
    data = archive(*ok, *bad, fmt=tarfile.PAX_FORMAT)
    r = tool("tar", "-C", box / "target", "-xvf", "-", input=data)
    assert r.returncode == 2
    assert r.stdout.decode().splitlines() == [
        "a?[31mred?forged line", "b?2Jcsi", "c?del?cr", "caf\u00e9 ok",
        "../?]0;title?x", "../?]0;title?y?z"]
    assert r.stderr.decode().splitlines() == [
        "tar: ../?]0;title?x: refused: '..' in name", "tar: ../?]0;title?y?z: refused: '..' in name"]
    (box / "gnu").mkdir()
    tarlib.run([GNU_TAR, "-C", box / "gnu", "-xf", "-"], input=data)
    assert_same_tree(box / "target", box / "gnu")
    assert sorted(os.listdir(box / "target")) == sorted(CONTROL_NAMES)


def test_control_bytes_in_a_fatal_error_name(box):
    data = bytearray(archive(("ok", tarfile.REGTYPE, b"1"), ("e\x1b[2Jvil\n", tarfile.REGTYPE, b"2")))
    data[512 * 2 + 100] ^= 1  # the second header's mode: a bad checksum
    r = extract(box, bytes(data))
    assert r.returncode == 2
    assert r.stderr == b"tar: e?[2Jvil?: bad header checksum\n"
