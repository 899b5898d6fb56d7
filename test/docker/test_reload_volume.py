"""`docker run -v HOSTDIR:/etc/app IMAGE --reload /etc/app -- SERVER`: a ConfigMap-like volume
updated from the host the kubelet's way reaches the server as SIGHUPs, with no restart."""

import signal

import lib
from test_image import app, app_image, container, docker, image, logs, wait_for_log  # noqa: F401
from test_reload import kubelet_update

HUP = str(int(signal.SIGHUP))
RELOAD = "reinit: reload (SIGHUP): "


def reload_lines(name):
    return [s for s in docker("logs", name).stderr.splitlines() if s.startswith(RELOAD)]


def wait_reloads(name, n):
    """The n-th reload line, once the server has its n-th SIGHUP; exactly n of each."""
    lib.wait_until(lambda: len(reload_lines(name)) >= n and logs(name).count(HUP) >= n,
                   what=f"reload {n} of {name}: its line and its signal")
    got = (len(reload_lines(name)), logs(name).count(HUP))
    assert got == (n, n), f"(reload lines, signals) {got}, want ({n}, {n})"
    return reload_lines(name)[-1]


def test_two_kubelet_updates_are_two_sighups_and_no_restart(app, container, tmp_path):
    vol = tmp_path / "vol"
    vol.mkdir()
    kubelet_update(vol, {"app.conf": "a=1", "log.conf": "info"})
    # The app image's ENTRYPOINT is `/reinit --`: --entrypoint puts
    # reinit's own options on the command line, as an image whose
    # ENTRYPOINT is /reinit alone takes them. Read-only, as the kubelet
    # mounts a ConfigMap.
    name = container("-v", f"{vol}:/etc/app:ro", "--entrypoint", "/reinit", app,
                     "--reload", "/etc/app", "--", "/app/sigecho", "--exit-on-term")
    wait_for_log(name, "ready")
    # keys changed, then a key added and one removed
    assert kubelet_update(vol, {"app.conf": "a=2", "log.conf": "debug"})
    assert wait_reloads(name, 1) == f"{RELOAD}1 change: ..data"
    assert kubelet_update(vol, {"app.conf": "a=2", "extra.conf": "e"})
    line = wait_reloads(name, 2)
    assert sorted(line.split(": ", 3)[3].split(", ")) == ["..data", "extra.conf", "log.conf"], line
    # A probe is the third reload and its change alone: the updates gave
    # no late signal.
    (vol / "probe").write_text("x")
    assert wait_reloads(name, 3) == f"{RELOAD}1 change: probe"
    docker("stop", "-t", "60", name, timeout=90)
    assert logs(name) == ["ready", HUP, HUP, HUP, "term"], "a restart or another signal"
    st = docker("inspect", "-f", "{{.State.ExitCode}} {{.RestartCount}}", name).stdout.split()
    assert st == ["0", "0"], st
