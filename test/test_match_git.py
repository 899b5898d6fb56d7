"""The ignore matcher side by side with git check-ignore, in a temporary
repository holding every path asked about (the matcher as the walk applies
it: a path below an ignored directory is ignored too, as git says)."""

import subprocess

import pytest

import lib

# Paths made in the repository; a trailing '/' makes a directory.
PATHS = ["a/", "a/b/", "a/b/c", "a/x", "f", "1", "-", "q", "z", "x/", "x/y/", "xay", "x/a/",
         "x/a/b", "ab", "a b", "dir/", "dir/sub/", "dir/sub/file.go", "deep/a/b/c/d.txt",
         "foo.txt", "Foo.TXT", "[x]", "s p", "tab\tname", "a\\b", "#hash", "!bang", "e.c~",
         "build/", "build/out.o", "src/build/", "src/build/x.o", "node_modules/", "node_modules/m/"]

PATTERNS = [
    "***/", "***", "a/***", "**/b", "x/**y", "**/", "a/**", "**/c",
    "[[:alpha:]]", "[[:digit:]-z]", "[[:upper:]]*", "[[:space:]]*", "*[[:punct:]]*",
    "[[:alpha:]x]", "[[:nosuch:]]", "[![:alpha:]]",
    "a\\/b", "x\\/a", "a[/]b", "x[a/]y", "a[/]", "a\\", "a\\\\", "\\#hash", "\\!bang",
    "[a-]", "[]a]", "[!a]", "[^a]", "*.TXT", "*.txt", "build/", "/build", "**/build/",
    "node_modules", "s\\ p", "s p ", "*~", "a/b/", "/a/b", "deep/**/d.txt", "?", "??",
    "dir/*/file.go", "dir/**/*.go", "\\[x]", "[[]x]",
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    d = tmp_path_factory.mktemp("repo")
    subprocess.run(["git", "init", "-q", str(d)], check=True)
    for p in PATHS:
        target = d / p
        if p.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("")
    return d


def git_ignored(repo, pattern):
    (repo / ".gitignore").write_text(pattern + "\n")
    paths = [p.rstrip("/") for p in PATHS]
    r = subprocess.run(["git", "-C", str(repo), "check-ignore", "--no-index", "--stdin", "-z"],
                       input="\0".join(paths) + "\0", capture_output=True, text=True)
    assert r.returncode in (0, 1), r
    return set(x for x in r.stdout.split("\0") if x)


def reinit_ignored(repo, pattern):
    rules = repo / ".reinit-rules"
    rules.write_text(pattern + "\n")
    lines = "".join(f"{'d' if p.endswith('/') else 'f'} {p.rstrip('/')}\n" for p in PATHS)
    r = subprocess.run([lib.helper("matchcheck"), str(rules)], input=lines,
                       capture_output=True, text=True)
    assert r.returncode == 0, f"the matcher refused {pattern!r}: {r}"
    got = r.stdout.split()
    return set(p.rstrip("/") for p, g in zip(PATHS, got) if g == "1")


@pytest.mark.parametrize("pattern", PATTERNS)
def test_matcher_agrees_with_git(repo, pattern):
    want = git_ignored(repo, pattern)
    got = reinit_ignored(repo, pattern)
    assert got == want, (f"pattern {pattern!r}: only git ignores {sorted(want - got)}, "
                         f"only reinit ignores {sorted(got - want)}")
