"""--reload with reinit as PID 1 of a real runc container, its ConfigMap volume bind-mounted
read-only from the host (as the kubelet mounts one) and updated from the host the kubelet's way.

The server is sigecho (no --exit-on-term): it prints `ready`, then the number
of every signal it gets. Its whole stdout is checked, so a restart (a TERM,
a second `ready`) or a signal too many fails; a probe written after the last
update must be the next reload and its change alone, so a late extra signal
fails too.
"""

import json
import os
import signal

import pytest

import lib
import test_runc
from test_reload import HUP, assert_probe_reload, err_lines, kubelet_update, now_leads_to, \
    reloads, wait_for, wait_reloads
from test_runc import base_spec, rootfs  # noqa: F401 (fixtures)

MOUNT = "/etc/app"
# A foreground `runc run` before runc 1.2 forwards every signal it gets to
# PID 1, the SIGURGs of its own Go runtime's preemption included; reinit
# passes them on, as it must. No other signal may reach the server.
URG = str(int(signal.SIGURG))
FIRST = {"app.conf": "a=1", "db/url": "pg://one", "log.conf": "info"}


@pytest.fixture
def vol(tmp_path):
    """The host's side of the volume, as the kubelet first lays it out."""
    d = tmp_path / "vol"
    d.mkdir()
    kubelet_update(d, FIRST)
    return d


@pytest.fixture
def runc(rootfs, base_spec, vol, tmp_path):  # noqa: F811 (the fixtures imported above)
    """Containers with vol bind-mounted read-only at MOUNT."""
    cfg = json.loads(base_spec.read_text())
    cfg["mounts"].append({"destination": MOUNT, "type": "bind", "source": str(vol),
                          "options": ["rbind", "ro"]})
    spec = tmp_path / "reload-spec.json"
    spec.write_text(json.dumps(cfg))
    r = test_runc.Runc(rootfs, spec, tmp_path)
    yield r
    r.delete_all()


def start_server(runc, root):
    p = runc.run(["/reinit", "--reload", root, "--", "/bin/sigecho"])
    p.wait_for_line("ready")
    return p


def server_pid(runc, p):
    """The host pid of reinit's child, the server."""
    init = runc.init_pid(p)
    pid = lib.wait_until(lambda: lib.children(init), what="reinit's child")[0]
    p.remember(pid)
    return pid


def assert_no_restart(p, n):
    """The server is the first one still and got n SIGHUPs, nothing else."""
    out = [s for s in p.out if s != URG]
    assert out == ["ready"] + [HUP] * n, f"a restart or another signal{p.describe()}"
    assert not err_lines(p, "reinit: restart"), p.describe()


def assert_only_signals(p, n):
    """assert_no_restart, and reinit printed nothing but its reloads and
    where a link root leads: the bind mount is taken for no subPath and
    for no mount replaced."""
    assert_no_restart(p, n)
    link = (" is a symbolic link: watching ", " now leads to ")
    other = [s for s in p.err if not s.startswith("reinit: reload (SIGHUP): ")
             and not (s.startswith("reinit: watch root ") and any(w in s for w in link))]
    assert not other, f"unexpected lines from reinit{p.describe()}"


def changed(line):
    """The names a reload line gives: 'reinit: reload (SIGHUP): 2 changes: a, b'."""
    return line.split(": ", 3)[3].split(", ")


def test_three_kubelet_updates_are_three_sighups_then_the_servers_exit_ends_it(runc, vol):
    p = start_server(runc, MOUNT)
    server = server_pid(runc, p)
    updates = [
        # keys changed: the ..data switch alone
        ({"app.conf": "a=2", "db/url": "pg://two", "log.conf": "debug"}, set()),
        # a key added: its new link too
        ({"app.conf": "a=2", "db/url": "pg://two", "log.conf": "debug", "extra.conf": "e"},
         {"extra.conf"}),
        # a key removed: its link removed
        ({"app.conf": "a=2", "db/url": "pg://two", "extra.conf": "e"}, {"log.conf"}),
    ]
    for n, (payload, keys) in enumerate(updates, 1):
        assert kubelet_update(vol, payload), "test set-up: the update must write"
        line = wait_reloads(p, n)
        assert set(changed(line)) == {"..data"} | keys, p.describe()
    assert not os.path.lexists(vol / "log.conf"), "test set-up: the key's link is gone"
    assert_probe_reload(p, 3, vol)
    assert_only_signals(p, 4)
    assert lib.alive(server), p.describe()
    # With --reload alone reinit is the server's init: the server's end is
    # the container's, with its status.
    os.kill(server, signal.SIGKILL)
    assert p.wait() == 128 + signal.SIGKILL, p.describe()
    assert_no_restart(p, 4)


def test_the_data_link_root_follows_each_update(runc, vol):
    root = f"{MOUNT}/..data"
    p = start_server(runc, root)
    for n in range(1, 4):
        assert kubelet_update(vol, {**FIRST, "app.conf": f"a={n + 1}"})
        wait_reloads(p, n)
        # The link is followed again, and the line names the new directory
        # as the container sees it, under MOUNT.
        lines = wait_for(p, lambda: len(now_leads_to(p, root)) >= n and now_leads_to(p, root),
                         f"line {n} 'now leads to'")
        assert len(lines) == n, p.describe()
        target = f"{MOUNT}/{os.readlink(vol / '..data')}"
        assert lines[-1] == f"reinit: watch root '{root}' now leads to '{target}'", p.describe()
    # A file written into the directory ..data leads to now is seen there.
    assert_probe_reload(p, 3, vol / "..data")
    assert_only_signals(p, 4)
    assert len(reloads(p)) == 4, p.describe()
