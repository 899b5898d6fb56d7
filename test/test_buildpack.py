"""The buildpack in examples/buildpack, run as a lifecycle runs it, and the
process lines of Paketo's Node.js and Go buildpacks run with its watchexec.

bin/detect and bin/build get what the Buildpack API (0.12) gives them:
CNB_PLATFORM_DIR with env/ files, CNB_BUILD_PLAN_PATH, CNB_BUILDPACK_DIR,
CNB_LAYERS_DIR, CNB_BP_PLAN_PATH, CNB_TARGET_*, the app directory as the
working directory. Every file bin/build writes is checked.

The live-reload tests build a root filesystem with the layer bin/build made
at /layers/reinit_reinit/reinit and an app at /workspace, then run the exact
process line (command "watchexec" found on PATH, as the launcher finds it)
as PID 1 of a new PID namespace chrooted there.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import tomllib

import pytest

import lib
from lib import helper

BP_SRC = lib.ROOT / "examples" / "buildpack"
BP_ID = "reinit/reinit"
LAYER_BIN = "/layers/reinit_reinit/reinit/bin"


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def bp(tmp_path):
    """A copy of the buildpack with build/reinit shipped as reinit-amd64."""
    d = tmp_path / "buildpack"
    shutil.copytree(BP_SRC, d, symlinks=True,
                    ignore=shutil.ignore_patterns("reinit-*"))
    shutil.copy2(lib.REINIT, d / "reinit-amd64")
    return d


def cnb_env(bp, tmp_path, arch="amd64", **extra):
    """The environment a lifecycle gives bin/detect and bin/build."""
    platform = tmp_path / "platform"
    (platform / "env").mkdir(parents=True, exist_ok=True)
    env = lib.clean_env(
        CNB_PLATFORM_DIR=platform, CNB_BUILDPACK_DIR=bp, CNB_TARGET_OS="linux",
        CNB_TARGET_ARCH=arch, CNB_TARGET_DISTRO_NAME="ubuntu",
        CNB_TARGET_DISTRO_VERSION="22.04", **extra)
    # The user's own BP_* variables reach bin/build through the environment
    # too, unless clear-env is set: the platform files are the reference.
    return env


def platform_env(tmp_path, **variables):
    d = tmp_path / "platform" / "env"
    d.mkdir(parents=True, exist_ok=True)
    for k, v in variables.items():
        (d / k).write_text(v)


def run_bin(bp, name, env, cwd):
    return subprocess.run([str(bp / "bin" / name)], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=lib.DEADLINE)


# ---- buildpack.toml and detect -------------------------------------------------


def test_buildpack_toml():
    d = tomllib.loads((BP_SRC / "buildpack.toml").read_text())
    assert d["api"] == "0.12"
    assert d["buildpack"]["id"] == BP_ID
    assert d["buildpack"]["version"]
    targets = {(t["os"], t["arch"]) for t in d["targets"]}
    assert {("linux", "amd64"), ("linux", "arm64")} <= targets
    # No distro named: every run image matches, the tiny one included.
    assert all("distros" not in t for t in d["targets"])
    for name in ("detect", "build"):
        assert os.access(BP_SRC / "bin" / name, os.X_OK), f"bin/{name} is not executable"


def resolve(group):
    """The first combination of plans that the lifecycle accepts for a group
    of buildpacks (each a list of alternative plans), per the spec: every
    requires is provided by the same or an earlier buildpack, and every
    provides is required by the same or a later one. Returns the chosen plan
    of each buildpack."""
    def choices(i):
        if i == len(group):
            yield []
            return
        for plan in group[i]:
            for rest in choices(i + 1):
                yield [plan, *rest]

    for chosen in choices(0):
        ok = True
        for i, plan in enumerate(chosen):
            for r in plan.get("requires", []):
                ok &= any(p["name"] == r["name"] for c in chosen[:i + 1]
                          for p in c.get("provides", []))
            for p in plan.get("provides", []):
                ok &= any(r["name"] == p["name"] for c in chosen[i:]
                          for r in c.get("requires", []))
        if ok:
            return chosen
    return None


def plans(doc):
    """A detect output as its list of alternative plans."""
    first = {k: doc[k] for k in ("provides", "requires") if k in doc}
    return [first, *doc.get("or", [])]


# What npm-start's detect writes with BP_LIVE_RELOAD_ENABLED=true.
NPM_START = [{"requires": [{"name": "node", "metadata": {"launch": True}},
                           {"name": "npm", "metadata": {"launch": True}},
                           {"name": "node_modules", "metadata": {"launch": True}},
                           {"name": "watchexec", "metadata": {"launch": True}}]}]
NODE = [{"provides": [{"name": "node"}, {"name": "npm"}, {"name": "node_modules"}]}]


def detect(bp, tmp_path):
    app = tmp_path / "workspace"
    app.mkdir(exist_ok=True)
    plan = tmp_path / "plan.toml"
    r = run_bin(bp, "detect", cnb_env(bp, tmp_path, CNB_BUILD_PLAN_PATH=plan), app)
    assert r.returncode == 0, r.stderr
    return tomllib.loads(plan.read_text())


def test_detect_gives_watchexec_to_a_buildpack_that_requires_it(bp, tmp_path):
    platform_env(tmp_path, BP_LIVE_RELOAD_ENABLED="true")
    ours = plans(detect(bp, tmp_path))
    chosen = resolve([NODE, ours, NPM_START])
    assert chosen, "the group with npm-start requiring watchexec does not resolve"
    names = {p["name"] for p in chosen[1]["provides"]}
    assert names == {"watchexec", "reinit"}


def test_detect_passes_alone(bp, tmp_path):
    """With no buildpack requiring watchexec, reinit still takes part."""
    ours = plans(detect(bp, tmp_path))
    chosen = resolve([ours])
    assert chosen and [p["name"] for p in chosen[0]["provides"]] == ["reinit"]


# ---- build ---------------------------------------------------------------------


def write_bp_plan(path, entries):
    """A Buildpack Plan (TOML) as the lifecycle writes it."""
    lines = []
    for name, meta in entries:
        lines += ["[[entries]]", f'name = "{name}"']
        if meta:
            lines += ["[entries.metadata]", *(f"{k} = {v}" for k, v in meta.items())]
        lines.append("")
    path.write_text("\n".join(lines))


def build(bp, tmp_path, arch="amd64", layers=None):
    layers = layers or tmp_path / "layers" / "reinit_reinit"
    layers.mkdir(parents=True, exist_ok=True)
    plan = tmp_path / "bp-plan.toml"
    write_bp_plan(plan, [("watchexec", {"launch": "true"}), ("reinit", None)])
    app = tmp_path / "workspace"
    app.mkdir(exist_ok=True)
    env = cnb_env(bp, tmp_path, arch, CNB_LAYERS_DIR=layers, CNB_BP_PLAN_PATH=plan)
    return run_bin(bp, "build", env, app), layers


def files_under(d):
    out = {}
    for root, dirs, files in os.walk(d):
        for n in files + [x for x in dirs if os.path.islink(os.path.join(root, x))]:
            p = os.path.join(root, n)
            out[os.path.relpath(p, d)] = p
    return out


def test_build_contributes_the_launch_layer(bp, tmp_path):
    platform_env(tmp_path, BP_LIVE_RELOAD_ENABLED="true", BP_REINIT_STOP_TIMEOUT="25s")
    r, layers = build(bp, tmp_path)
    assert r.returncode == 0, r.stderr
    assert "'watchexec' is reinit" in r.stdout
    written = files_under(layers)
    assert sorted(written) == ["reinit.toml", "reinit/bin/reinit", "reinit/bin/watchexec",
                               "reinit/env.launch/REINIT_STOP_TIMEOUT.default"]
    binary = layers / "reinit" / "bin" / "reinit"
    assert binary.read_bytes() == lib.REINIT.read_bytes()
    assert os.access(binary, os.X_OK)
    assert os.readlink(layers / "reinit" / "bin" / "watchexec") == "reinit"
    assert (layers / "reinit/env.launch/REINIT_STOP_TIMEOUT.default").read_text() == "25s"
    meta = tomllib.loads((layers / "reinit.toml").read_text())
    assert meta["types"] == {"launch": True}
    assert meta["metadata"] == {"version": "0.1.0", "arch": "amd64",
                                "sha256": sha256(lib.REINIT),
                                "settings": "REINIT_STOP_TIMEOUT=25s"}


def restored_toml(layers):
    """What the lifecycle's analysis leaves of reinit.toml for the next
    build: the metadata, with no types."""
    meta = tomllib.loads((layers / "reinit.toml").read_text())["metadata"]
    shutil.rmtree(layers / "reinit")
    (layers / "reinit.toml").write_text(
        "[metadata]\n" + "".join(f'{k} = "{v}"\n' for k, v in meta.items()))
    return meta


def test_rebuild_reuses_the_layer(bp, tmp_path):
    r, layers = build(bp, tmp_path)
    assert r.returncode == 0, r.stderr
    before = restored_toml(layers)
    r, _ = build(bp, tmp_path, layers=layers)
    assert r.returncode == 0, r.stderr
    assert "reusing" in r.stdout
    # Launch-only: no directory, so the previous image's layer is kept.
    assert sorted(files_under(layers)) == ["reinit.toml"]
    meta = tomllib.loads((layers / "reinit.toml").read_text())
    assert meta == {"types": {"launch": True}, "metadata": before}


@pytest.mark.parametrize("change", ["binary", "settings"])
def test_rebuild_replaces_a_stale_layer(bp, tmp_path, change):
    r, layers = build(bp, tmp_path)
    assert r.returncode == 0, r.stderr
    restored_toml(layers)
    if change == "binary":
        with open(bp / "reinit-amd64", "ab") as f:
            f.write(b"\0")
    else:
        platform_env(tmp_path, BP_REINIT_VERBOSE="2")
    r, _ = build(bp, tmp_path, layers=layers)
    assert r.returncode == 0, r.stderr
    assert "contributing" in r.stdout
    assert (layers / "reinit" / "bin" / "reinit").read_bytes() == \
        (bp / "reinit-amd64").read_bytes()
    meta = tomllib.loads((layers / "reinit.toml").read_text())
    assert meta["types"] == {"launch": True}
    assert meta["metadata"]["sha256"] == sha256(bp / "reinit-amd64")


def test_build_takes_the_target_architecture(bp, tmp_path):
    (bp / "reinit-arm64").write_bytes(b"an arm64 reinit")
    r, layers = build(bp, tmp_path, arch="arm64")
    assert r.returncode == 0, r.stderr
    assert (layers / "reinit" / "bin" / "reinit").read_bytes() == b"an arm64 reinit"
    meta = tomllib.loads((layers / "reinit.toml").read_text())
    assert meta["metadata"]["arch"] == "arm64"


def test_build_without_the_binary_says_how_to_make_it(bp, tmp_path):
    r, layers = build(bp, tmp_path, arch="arm64")
    assert r.returncode == 1
    assert "no reinit-arm64" in r.stderr and "make buildpack" in r.stderr
    assert not (layers / "reinit.toml").exists()


# ---- the process lines, run as PID 1 -------------------------------------------

# npm-start (with BP_LIVE_RELOAD_ENABLED=true) and go-build, as they write them.
NPM_LINE = ["watchexec", "--restart", "--shell", "none", "--watch", "/workspace",
            "--ignore", "/workspace/package.json", "--ignore", "/workspace/package-lock.json",
            "--ignore", "/workspace/node_modules", "--", "sh", "/workspace/start.sh"]
GO_BIN = "/layers/paketo-buildpacks_go-build/targets/bin"
GO_LINE = ["watchexec", "--restart", "--watch", "/workspace", "--watch", GO_BIN,
           "--shell", "none", "--", f"{GO_BIN}/workspace"]


def copy_with_libs(binary, root):
    """A dynamic program and the shared libraries it needs, at their paths."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    for path in [binary, *(w for line in out.splitlines() for w in line.split()
                           if w.startswith("/"))]:
        dest = root / path.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)


@pytest.fixture
def image(bp, tmp_path):
    """A root filesystem with the layer bin/build made and an app."""
    root = tmp_path / "root"
    for d in ("proc", "dev", "workspace", "bin"):
        (root / d).mkdir(parents=True)
    r, _ = build(bp, tmp_path, layers=root / "layers" / "reinit_reinit")
    assert r.returncode == 0, r.stderr
    return root


def start_line(root, line):
    env = lib.clean_env(PATH=f"{LAYER_BIN}:/bin")
    argv = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child",
            f"--root={root}", "--", *line]
    return lib.Proc(argv, ns=True, env=env)


def starts_of(p):
    return [s for s in map(parse_start, list(p.out)) if s]


def parse_start(line):
    if not line.startswith("start "):
        return None
    n, _, changed = line[6:].partition(" changed ")
    return int(n), changed.split("|") if changed else []


def wait_start(p, n):
    i = p.wait_for_line(lambda s: (parse_start(s) or (None,))[0] == n)
    got = [s[0] for s in starts_of(p)]
    assert got[:n + 1] == list(range(n + 1)), f"starts {got}{p.describe()}"
    return i


def assert_stops_on_sigterm(p, root):
    """PID 1 is the layer's reinit; SIGTERM stops the app, and reinit exits
    with the app's status (0: the app exits 0 on SIGTERM)."""
    layer_reinit = root / LAYER_BIN.lstrip("/") / "reinit"
    assert os.path.samestat(os.stat(f"/proc/{p.init_pid()}/exe"), os.stat(layer_reinit))
    lib.send(p, signal.SIGTERM)
    assert p.wait() == 0, p.describe()


def test_nodejs_process_line(image):
    ws = image / "workspace"
    copy_with_libs("/bin/busybox", image)
    os.symlink("busybox", image / "bin" / "sh")
    shutil.copy2(helper("starts"), ws / "app")
    # The watchexec variables reach the child, then the app replaces sh.
    (ws / "start.sh").write_text(
        'echo "vars $WATCHEXEC_COMMON_PATH $WATCHEXEC_OTHERWISE_CHANGED_PATH"\n'
        "exec /workspace/app\n")
    (ws / "package.json").write_text("{}")
    (ws / "node_modules" / "dep").mkdir(parents=True)
    p = start_line(image, NPM_LINE)
    wait_start(p, 0)
    # Ignored: node_modules, package.json. Then a probe: had the ignored
    # writes restarted the app, start 1 would not be the probe's alone.
    (ws / "node_modules" / "dep" / "index.js").write_text("x")
    (ws / "package.json").write_text('{"name": "x"}')
    (ws / "probe-1").write_text("x")
    i = wait_start(p, 1)
    assert starts_of(p)[1][1] == ["probe-1"], p.describe()
    assert p.out[i - 1] == "vars /workspace probe-1", p.describe()
    # A change restarts the app exactly once: the next start is the probe's.
    (ws / "server.js").write_text("x")
    wait_start(p, 2)
    assert starts_of(p)[2][1] == ["server.js"], p.describe()
    (ws / "probe-2").write_text("x")
    wait_start(p, 3)
    assert starts_of(p)[3][1] == ["probe-2"], p.describe()
    assert_stops_on_sigterm(p, image)


def test_go_process_line(image):
    bindir = image / GO_BIN.lstrip("/")
    bindir.mkdir(parents=True)
    shutil.copy2(helper("starts"), bindir / "workspace")
    p = start_line(image, GO_LINE)
    wait_start(p, 0)
    # A rebuilt binary lands as go build puts it: written aside, renamed.
    shutil.copy2(helper("starts"), bindir / ".workspace.tmp")
    os.rename(bindir / ".workspace.tmp", bindir / "workspace")
    wait_start(p, 1)
    (image / "workspace" / "probe-1").write_text("x")
    wait_start(p, 2)
    assert starts_of(p)[2][1] == ["probe-1"], p.describe()
    assert_stops_on_sigterm(p, image)
