#!/bin/sh
# Make this machine ready for the Docker tests: the engine (Debian's), a
# running dockerd, and an offline builder image made from the configured
# Debian mirror. Each step is skipped when already done. Exits 77 with a
# loud message when dockerd cannot run here (no privileges).
set -eu

DOCKER=${DOCKER:-/usr/bin/docker}
BUILDER=${BUILDER:-localhost/reinit-builder:bookworm-1}
LOG=${DOCKERD_LOG:-/tmp/reinit-dockerd.log}

skip() {
	echo "########################################################" >&2
	echo "SKIPPED: the Docker tests cannot run here: $*" >&2
	echo "########################################################" >&2
	exit 77
}

if ! [ -x "$DOCKER" ] || ! command -v mmdebstrap >/dev/null; then
	[ "$(id -u)" = 0 ] || skip "Docker is not installed and this is not root"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		docker.io mmdebstrap >/dev/null
fi

if ! "$DOCKER" info >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] || skip "dockerd cannot be reached and, not being root, cannot be started"
	# No systemd here: start the daemon ourselves and wait for its socket.
	echo "starting dockerd (log: $LOG)"
	dockerd >"$LOG" 2>&1 &
	i=0
	until "$DOCKER" info >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 $! 2>/dev/null; then
			tail -20 "$LOG" >&2 || :
			skip "dockerd did not start (see $LOG)"
		fi
		sleep 0.1
	done
fi

# The builder: Debian with native and arm64 musl toolchains, made offline
# from the mirror this machine uses, so no registry is needed.
if ! "$DOCKER" image inspect "$BUILDER" >/dev/null 2>&1; then
	# The first Debian mirror in deb822 sources, else in a sources.list.
	mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -v -e -security -e -updates | head -1)
	[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\).*/\2/p' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -v -e -security -e -updates | head -1)
	mirror=${mirror:-http://deb.debian.org/debian}
	suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
	tar=$(mktemp /tmp/reinit-builder.XXXXXX.tar)
	echo "making $BUILDER from $mirror ($suite)"
	# The native toolchain plus a cross one for the other platform.
	case $(dpkg --print-architecture) in
	arm64) arches=arm64,amd64 cross=musl-dev:amd64,gcc-x86-64-linux-gnu ;;
	*) arches=amd64,arm64 cross=musl-dev:arm64,gcc-aarch64-linux-gnu ;;
	esac
	mmdebstrap --quiet --variant=apt --architectures=$arches \
		--include=make,binutils,musl-tools,$cross "$suite" "$tar" "$mirror"
	"$DOCKER" import "$tar" "$BUILDER" >/dev/null
	rm -f "$tar"
fi
echo "docker ready; builder $BUILDER"
