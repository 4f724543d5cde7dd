#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make deb`: packages the built ./gops as build/deb/gops-bpf_VERSION_ARCH.deb
# with dpkg-deb alone (no debian/ source tree, no debhelper), from a tree
# staged under build/deb-root (build/deb holds the package alone: the
# Containerfile in deploy/kubernetes copies it whole):
#
#   /usr/bin/gops                                  stripped
#   /lib/systemd/system/gops-daemon.service        scripts/gops-daemon.service, for /usr/bin
#   /usr/share/man/man1/gops.1.gz                  man/gops.1
#   /usr/share/bash-completion/completions/gops    \
#   /usr/share/zsh/vendor-completions/_gops         > what `gops completion SHELL` prints
#   /usr/share/fish/vendor_completions.d/gops.fish /
#   /usr/share/doc/gops-bpf/copyright, changelog.Debian.gz
#   /usr/share/lintian/overrides/gops-bpf
#
# The version is `git describe` made a Debian version: 0.0~gitN.HASH-1 (N
# commits, HASH the short commit id) while there is no tag, TAG+gitN.HASH-1
# after a tag vTAG, with +dirty for uncommitted changes; DEB_VERSION
# overrides it. Maintainer: $DEBFULLNAME <$DEBEMAIL> (as dch takes it), else
# the author of the commit. Every file gets the commit's time
# (SOURCE_DATE_EPOCH, which dpkg-deb also uses): the same commit makes the
# same package.
#
# usage: scripts/deb.sh                  (make deb; GOPS_LDLIBS is the Makefile's LDLIBS)
#        scripts/deb.sh --print-version  only print the version it would build
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
GOPS_BIN=${GOPS_BIN:-./gops}
CC=${CC:-cc}
OUT=$BUILD/deb
ROOT=$BUILD/deb-root
PKG=gops-bpf

die() {
	echo "deb: $*" >&2
	exit 1
}

deb_version() {
	local d n hash dirty=
	if [ -n "${DEB_VERSION:-}" ]; then
		echo "$DEB_VERSION"
		return
	fi
	git rev-parse --git-dir >/dev/null 2>&1 || die "not a git checkout: set DEB_VERSION"
	git update-index -q --refresh >/dev/null 2>&1 || true
	git diff-index --quiet HEAD -- 2>/dev/null || dirty=+dirty
	n=$(git rev-list --count HEAD)
	hash=$(git rev-parse --short HEAD)
	# A Debian upstream version starts with a digit; '~' sorts before anything.
	if d=$(git describe --tags --long --match 'v[0-9]*' 2>/dev/null); then
		d=${d#v}
		d=${d%-*-g*}
		echo "$d+git$n.$hash$dirty-1"
	else
		echo "0.0~git$n.$hash$dirty-1"
	fi
}

# built_using: the source packages whose static libraries are in gops
# (Debian Policy 7.8: Built-Using, for license compliance), from the -l
# flags the Makefile links with, plus the C library and libgcc.
built_using() {
	local l a p src
	declare -A seen=()
	[ -n "${GOPS_LDLIBS:-}" ] || die "GOPS_LDLIBS is not set (run make deb)"
	for l in $GOPS_LDLIBS -lc -lgcc -lgcc_eh; do
		[[ $l == -l* ]] || continue
		a=$("$CC" -print-file-name="lib${l#-l}.a")
		[ -f "$a" ] || die "no static library for $l ($a)"
		p=$(dpkg -S "$(realpath "$a")" 2>/dev/null | head -n 1) ||
			die "no package owns $(realpath "$a")"
		p=${p%%:*}
		src=$(dpkg-query -W -f='${source:Package} (= ${source:Version})' "$p")
		seen[$src]=1
	done
	printf '%s\n' "${!seen[@]}" | sort | paste -sd, - | sed 's/,/, /g'
}

VERSION=$(deb_version)
if [ "${1:-}" = --print-version ]; then
	echo "$VERSION"
	exit 0
fi
ARCH=$(dpkg --print-architecture)
if [ -n "${DEBFULLNAME:-}" ] && [ -n "${DEBEMAIL:-}" ]; then
	MAINTAINER="$DEBFULLNAME <$DEBEMAIL>"
else
	MAINTAINER=$(git log -1 --format='%an <%ae>')
fi
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
DEB=$OUT/${PKG}_${VERSION%%:*}_$ARCH.deb
[ -x "$GOPS_BIN" ] || die "no $GOPS_BIN (run make gops first)"
BUILT_USING=$(built_using)

umask 022
rm -rf "$ROOT"
rm -rf "$OUT"
mkdir -p "$OUT" "$ROOT/DEBIAN"

# The binary; dh_strip's flags for an executable.
install -D -m 0755 "$GOPS_BIN" "$ROOT/usr/bin/gops"
strip --remove-section=.comment --remove-section=.note "$ROOT/usr/bin/gops"

# The unit: `make install` puts gops in /usr/local/bin, the package in
# /usr/bin; the copy instructions are for the file in the repository.
install -d "$ROOT/lib/systemd/system"
sed -e 's|^ExecStart=/usr/local/bin/gops |ExecStart=/usr/bin/gops |' -e '/^# Install:/,/systemctl/d' \
	scripts/gops-daemon.service >"$ROOT/lib/systemd/system/gops-daemon.service"
grep -q '^ExecStart=/usr/bin/gops daemon ' "$ROOT/lib/systemd/system/gops-daemon.service" ||
	die "scripts/gops-daemon.service: no ExecStart=/usr/local/bin/gops daemon line to rewrite"

install -d "$ROOT/usr/share/man/man1"
gzip -9n <man/gops.1 >"$ROOT/usr/share/man/man1/gops.1.gz"

install -d "$ROOT/usr/share/bash-completion/completions" "$ROOT/usr/share/zsh/vendor-completions" \
	"$ROOT/usr/share/fish/vendor_completions.d"
"$ROOT/usr/bin/gops" completion bash >"$ROOT/usr/share/bash-completion/completions/gops"
"$ROOT/usr/bin/gops" completion zsh >"$ROOT/usr/share/zsh/vendor-completions/_gops"
"$ROOT/usr/bin/gops" completion fish >"$ROOT/usr/share/fish/vendor_completions.d/gops.fish"

DOC=$ROOT/usr/share/doc/$PKG
install -d "$DOC" "$ROOT/usr/share/lintian/overrides"
install -m 0644 packaging/copyright "$DOC/copyright"
install -m 0644 packaging/lintian-overrides "$ROOT/usr/share/lintian/overrides/$PKG"
{
	echo "$PKG ($VERSION) unstable; urgency=medium"
	echo
	echo "  * Built by make deb from commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
	echo
	echo " -- $MAINTAINER  $(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$DOC/changelog.Debian.gz"

cat >"$ROOT/DEBIAN/control" <<EOF
Package: $PKG
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
Built-Using: $BUILT_USING
Suggests: golang-go
Section: admin
Priority: optional
Description: list and diagnose running Go processes, fed by eBPF
 gops lists the Go processes running on a host and diagnoses them without
 restarting or changing them, with the verbs and output of Google's gops:
 the process list and tree, build info, process details, and, through a
 gops agent in the program, stacks, memory statistics, GC control, heap and
 CPU profiles and execution traces.
 .
 Without an agent, goroutine counts, memory statistics and goroutine stacks
 are read from the process's memory, without stopping it. Every verb that
 prints data also prints JSON.
 .
 gops daemon keeps a table of the host's Go processes in the kernel, fed by
 BPF programs on exec, exit and fork, and can serve Prometheus metrics of
 them. The package ships it as the systemd unit gops-daemon.service, with
 metrics on 127.0.0.1:9979; it is not enabled on installation.
EOF

# md5sums of everything but DEBIAN/, as dh_md5sums writes them.
(cd "$ROOT" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
	xargs -0 md5sum) >"$ROOT/DEBIAN/md5sums"
chmod 0644 "$ROOT/DEBIAN/control" "$ROOT/DEBIAN/md5sums"
find "$ROOT" -exec touch --no-dereference -d "@$SOURCE_DATE_EPOCH" {} +

dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$DEB" >/dev/null
echo "$DEB"
