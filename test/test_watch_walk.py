"""The tree walk that adds the watches: it leaves reinit's working directory
where it was, and needs no /proc.

Each test runs the real binary as PID 1 of a new PID namespace with the
starts helper as its child, as test_watch.py does.
"""

import os

import pytest

import lib
from lib import helper, wait_until
from test_watch import inotify_watches, start_watch, wait_start, write
from test_watch_hard import start_naming


@pytest.fixture
def root(tmp_path):
    d = tmp_path / "root"
    for sub in ("a/b/c", "d"):
        (d / sub).mkdir(parents=True)
    return d


def cwd(pid):
    return os.readlink(f"/proc/{pid}/cwd")


def test_walks_leave_reinit_working_directory_where_it_started(root, tmp_path):
    # The child starts where reinit is: walking into each directory to
    # watch it must not move reinit, at start-up or when a new tree appears.
    here = tmp_path / "here"
    here.mkdir()
    p = start_watch(root, cwd=here)
    init = p.init_pid()
    assert cwd(init) == str(here), p.describe()
    (root / "a" / "new" / "deeper").mkdir(parents=True)
    wait_start(p, 1)
    write(root / "a" / "new" / "deeper" / "f")
    start_naming(p, "a/new/deeper/f")
    assert cwd(init) == str(here), p.describe()
    assert [cwd(c) for c in lib.children(init)] == [str(here)], p.describe()


def test_without_proc_the_tree_is_still_watched_with_inotify(root):
    # /proc hidden under an empty tmpfs: every directory is still watched,
    # and a write deep down restarts the child, with no fall-back to polling.
    argv = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--", "sh", "-c",
            'mount -t tmpfs none /proc && exec "$@"', "sh",
            str(lib.REINIT), "-w", str(root), "--", helper("starts")]
    p = lib.Proc(argv, ns=True)
    wait_start(p, 0)
    # root, a, a/b, a/b/c and d.
    wait_until(lambda: inotify_watches(p.init_pid()) == 5, what="5 watches")
    write(root / "a" / "b" / "c" / "f")
    assert "a/b/c/f" in wait_start(p, 1), p.describe()
    assert not any("poll" in line for line in p.err), p.describe()
