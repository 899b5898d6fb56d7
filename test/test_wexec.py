"""reinit run as watchexec, beyond the buildpack's process lines (those are in
test_buildpack.py): refused options, and --shell with a shell or without one.
Debian has no watchexec package, so there is no real watchexec to run beside."""

import signal

from lib import run, send, start


def test_an_unsupported_option_is_one_line_and_exit_2(personality):
    p = run(["--clear", "--", "/bin/true"], binary=personality("watchexec"))
    assert p.returncode == 2, p.describe()
    assert p.err == ["reinit: watchexec option '--clear' is not supported"], p.describe()


def test_a_shell_runs_the_joined_words(personality, tmp_path):
    p = start(["-w", tmp_path, "--shell", "sh", "--", "echo", "started", "$((1+2))"],
              binary=personality("watchexec"))
    p.wait_for_line("started 3")
    send(p, signal.SIGTERM)
    assert p.wait() == 0, p.describe()


def test_a_shell_missing_from_the_image_is_named(personality, tmp_path):
    p = start(["-w", tmp_path, "--shell", "no-such-shell", "--", "true"],
              binary=personality("watchexec"))
    p.wait_for_line("reinit: cannot run 'no-such-shell': no such file or directory",
                    stream="err")
    send(p, signal.SIGTERM)
    assert p.wait() == 0, p.describe()
