"""examples/kubernetes: no cluster runs here, so the manifests are parsed and
the fields the README promises are checked; the REINIT_* values in them are
given to the real reinit, which must accept them."""

import pytest
import yaml

import lib

DIR = lib.ROOT / "examples" / "kubernetes"
FILES = sorted(p.name for p in DIR.glob("*.yaml"))


def docs(name):
    return [d for d in yaml.safe_load_all((DIR / name).read_text()) if d]


def load(name):
    deployments = [d for d in docs(name) if d.get("kind") == "Deployment"]
    assert len(deployments) == 1, f"{name}: one Deployment per file"
    return deployments[0]


def app(doc):
    return doc["spec"]["template"]["spec"]["containers"][0]


def env(container):
    return {e["name"]: e["value"] for e in container.get("env", [])}


def seconds(duration):
    units = {"ms": 0.001, "s": 1, "m": 60}
    for u in ("ms", "s", "m"):
        if duration.endswith(u):
            return float(duration[:-len(u)]) * units[u]
    return float(duration)


def test_the_promised_files_are_there():
    assert FILES == ["config-reload.yaml", "deployment.yaml", "dev-loop.yaml", "paketo.yaml",
                     "shared-pid.yaml"]


@pytest.mark.parametrize("name", FILES)
def test_a_valid_deployment(name):
    d = load(name)
    assert d["apiVersion"] == "apps/v1" and d["kind"] == "Deployment"
    labels = d["spec"]["template"]["metadata"]["labels"]
    assert d["spec"]["selector"]["matchLabels"].items() <= labels.items()
    for c in d["spec"]["template"]["spec"]["containers"]:
        assert c["name"] and c["image"]


@pytest.mark.parametrize("name", FILES)
def test_reinit_kills_in_order_before_the_kubelet(name):
    """REINIT_STOP_TIMEOUT and then the drain of leftovers
    (REINIT_DRAIN_TIMEOUT, 2 s by default) end before
    terminationGracePeriodSeconds does."""
    d = load(name)
    grace = d["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    variables = env(app(d))
    stop = seconds(variables["REINIT_STOP_TIMEOUT"])
    drain = seconds(variables.get("REINIT_DRAIN_TIMEOUT", "2s"))
    assert 0 < stop and stop + drain < grace, \
        f"{name}: stop {stop} s + drain {drain} s, grace {grace} s"


@pytest.mark.parametrize("name", ["deployment.yaml", "shared-pid.yaml", "paketo.yaml"])
def test_reinit_is_the_images_entrypoint(name):
    """No command: the image's ENTRYPOINT (reinit, or the launcher that execs
    watchexec, which is reinit) stays PID 1's program."""
    c = app(load(name))
    assert "command" not in c and "args" not in c


def test_shared_pid_namespace_with_a_subreaper():
    d = load("shared-pid.yaml")
    assert d["spec"]["template"]["spec"]["shareProcessNamespace"] is True
    assert env(app(d))["REINIT_SUBREAPER"] == "1"


def test_dev_loop_watches_the_synced_directory():
    args = app(load("dev-loop.yaml"))["args"]
    assert args[:2] == ["-w", "/app"]
    assert args[args.index("--") + 1] == "/app/server"


def test_config_reload_needs_no_sidecar():
    """reinit, the server's parent, signals it: one container, no shared PID
    namespace; the ConfigMap's directory is mounted (a subPath is never
    updated) and is the --reload root."""
    spec = load("config-reload.yaml")["spec"]["template"]["spec"]
    assert len(spec["containers"]) == 1 and not spec.get("shareProcessNamespace")
    c = app(load("config-reload.yaml"))
    command = c["command"]
    assert command[0] == "/reinit" and command[-1] == "--"
    root = command[command.index("--reload") + 1]
    mount = next(m for m in c["volumeMounts"] if m["mountPath"] == root)
    assert "subPath" not in mount
    volume = next(v for v in spec["volumes"] if v["name"] == mount["name"])
    maps = [d for d in docs("config-reload.yaml") if d["kind"] == "ConfigMap"]
    assert [m["metadata"]["name"] for m in maps] == [volume["configMap"]["name"]]
    assert any(a.startswith(root + "/") for a in c["args"])


@pytest.mark.parametrize("name", FILES)
def test_reinit_accepts_the_values(name):
    """reinit itself reads the variables and (for the dev loop) the options."""
    variables = {k: v for k, v in env(app(load(name))).items() if k.startswith("REINIT_")}
    assert variables
    args = ["--", "/bin/true"]
    p = lib.run(args, env=lib.clean_env(**variables))
    assert p.returncode == 0, p.describe()


def test_reinit_accepts_the_dev_loop_options(tmp_path):
    args = app(load("dev-loop.yaml"))["args"]
    args = [str(tmp_path) if a == "/app" else a for a in args]
    args[args.index("--") + 1:] = ["/bin/true"]
    p = lib.run(["--on-exit", "exit", *args])
    assert p.returncode == 0, p.describe()


def test_config_reload_options_end_with_the_server(tmp_path):
    # With --reload alone, a server that exits ends reinit with its status,
    # so the kubelet sees the crash (a dev loop's -w would wait instead).
    command = app(load("config-reload.yaml"))["command"]
    options = [str(tmp_path) if a == "/etc/app" else a for a in command[1:]]
    p = lib.run([*options, "/bin/sh", "-c", "exit 3"])
    assert p.returncode == 3, p.describe()
