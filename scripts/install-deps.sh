#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what building and testing gops-bpf needs on Debian 12, and nothing
# when it is all there already (idempotent). Runs apt-get update only when it
# has something to install.
#
# usage: scripts/install-deps.sh [--check]
#   --check  only say what is missing (plain `make` does this); exit 0 anyway
set -euo pipefail

PKGS=(
	make gcc clang llvm pkg-config
	libbpf-dev bpftool libelf-dev zlib1g-dev libc-ares-dev
	libdw-dev libbz2-dev liblzma-dev libdeflate-dev
	libevent-dev
	prometheus gnuplot-nox
	libclang-rt-14-dev
	golang-go
	iproute2 procps python3 strace
	zsh fish
	podman runc
	python3-yaml python3-kubernetes
	lintian man-db groff-base bsdextrautils binutils systemd
)
# libdw-dev: golang/dwarf.c reads struct layouts from DWARF with libdw; gops
# links it statically, so the .a files of what libdw was built against
# (libbz2-dev, liblzma-dev) are needed too. libdeflate-dev inflates the DWARF
# sections (faster than the zlib that libdw would use).
# libevent-dev: the daemon's /metrics server (libevent's evhttp, linked
# statically). prometheus: the metrics tests check the exposition with its
# promtool and scrape the daemon with a real Prometheus server; gnuplot-nox
# plots the README's picture of a real scrape (scripts/fleet-picture.sh).
# tests/integration/test_deploy.sh checks deploy/: promtool (prometheus) the
# scrape configurations and the dashboard's queries, python3-yaml parses the
# YAML, and python3-kubernetes' API models are the schema the DaemonSet is
# checked against (field names and types, required fields); it runs the
# DaemonSet's pod with podman, as the container tests below do.
# The Debian package (make deb, scripts/deb.sh) needs only dpkg, which every
# Debian has, and binutils' strip; tests/integration/test_packaging.sh checks
# it with lintian, renders the man page with man-db's man (groff-base's troff,
# bsdextrautils' col), reads the binary's ELF headers with binutils' readelf
# and checks the unit with systemd's systemd-analyze verify (nothing is run
# under systemd).
# The container tests (tests/integration/test_containers.sh) run podman as
# root: `podman run --rootfs DIR --network none --runtime runc
# --cgroup-manager=cgroupfs`. What that executes and reads is podman, conmon,
# runc and /usr/share/containers/seccomp.json, all from podman's Depends
# (conmon, golang-github-containers-common, which brings a network stack:
# containernetworking-plugins, never run with --network none). Its
# Recommends are for rootless podman (uidmap, slirp4netns, fuse-overlayfs,
# dbus-user-session), --init (catatonit), networks (netavark) or buildah:
# without them, the tests run the same. runc is named because podman's
# Depends is crun | runc and the tests ask for runc.

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
# npm fetches the test binaries of other Go releases (tests/fixtures/npm.sh);
# any npm will do, Debian's when there is none.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "${1:-}" = --check ]; then
	echo "install-deps: missing packages: ${missing[*]} (make test or make demo installs them," \
		"or run scripts/install-deps.sh as root)" >&2
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
