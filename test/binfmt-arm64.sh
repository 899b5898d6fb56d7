#!/bin/sh
# Let the kernel run arm64 binaries through qemu-user: mount binfmt_misc and
# register Debian's qemu-aarch64 entry (flag F: the interpreter is opened
# now, so it works in any mount namespace) unless it is already there.
set -eu
dir=/proc/sys/fs/binfmt_misc
conf=/usr/lib/binfmt.d/qemu-aarch64.conf
[ -e $dir/register ] || mount -t binfmt_misc binfmt_misc $dir
if ! grep -qs '^enabled' $dir/qemu-aarch64; then
	[ -r $conf ] || { echo "$conf is missing: make deps-arm64" >&2; exit 1; }
	cat $conf >$dir/register
fi
grep -q '^enabled' $dir/status || { echo "binfmt_misc is disabled" >&2; exit 1; }
