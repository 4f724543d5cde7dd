#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian package (make deb, scripts/deb.sh): lintian finds nothing, every
# file is in place and is what the repository and the built gops make of it
# (the unit for /usr/bin with --metrics, the completions gops prints, the man
# page, which names every verb and option of `gops help`), the control file,
# the version from git describe, and the packaged gops running its daemon.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

ARCH=$(dpkg --print-architecture)
# Packages ./gops as it is (-o gops: not rebuilt, whatever flags it was
# built with), into a build dir of the test's own; not a sub-make of the
# `make test` that runs this (its MAKEFLAGS may name a jobserver).
DEB_LOG=$TMP/deb.log
DEB=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s -o gops BUILD="$TMP/build" deb \
	2>"$DEB_LOG" | tail -n 1)
X=$TMP/x    # the package, extracted (dpkg -x)
CTL=$TMP/ctl # its control files (dpkg-deb -e)
if [ -f "$DEB" ]; then
	dpkg -x "$DEB" "$X" && dpkg-deb -e "$DEB" "$CTL" || DEB=
fi

have_deb() { [ -n "$DEB" ] && [ -f "$DEB" ] || fail "make deb failed: $(cat "$DEB_LOG")"; }

# field NAME: a field of the package's control file.
field() { dpkg-deb -f "$DEB" "$1"; }

# man_section TITLE: the lines of the rendered man page's section TITLE.
man_section() {
	MANWIDTH=80 man -l "$X/usr/share/man/man1/gops.1.gz" 2>/dev/null | col -b |
		awk -v t="$1" '/^[A-Z]/ { on = ($0 == t) } on'
}

test_packaging_deb_passes_lintian() {
	have_deb
	expect_eq "package file" "$(basename "$DEB")" "gops-bpf_$(field Version)_$ARCH.deb"
	# deploy/kubernetes/Containerfile copies build/deb/ and wants one package there.
	expect_eq "build/deb" "$(ls -A "$(dirname "$DEB")")" "$(basename "$DEB")"
	lintian --fail-on error,warning "$DEB" >"$TMP/lintian" 2>&1 || fail "lintian: $(cat "$TMP/lintian")"
	if grep -E '^[EW]: ' "$TMP/lintian"; then
		fail "lintian reports errors or warnings"
	fi
}

test_packaging_control_fields() {
	local f
	have_deb
	expect_eq Package "$(field Package)" gops-bpf
	expect_eq Version "$(field Version)" "$(bash scripts/deb.sh --print-version)"
	dpkg --validate-version "$(field Version)" || fail "not a Debian version: $(field Version)"
	expect_eq Architecture "$(field Architecture)" "$ARCH"
	expect_eq Section "$(field Section)" admin
	expect_eq Priority "$(field Priority)" optional
	expect_match Maintainer "$(field Maintainer)" '^[^<>]+ <[^<>@ ]+@[^<>@ ]+>$'
	expect_match Built-Using "$(field Built-Using)" '(^|, )glibc \(= [^)]+\)(, |$)'
	expect_match Built-Using "$(field Built-Using)" '(^|, )libbpf \(= [^)]+\)(, |$)'
	# Statically linked: no interpreter, no shared library, so no Depends.
	readelf -l "$X/usr/bin/gops" | grep -q 'INTERP' && fail "usr/bin/gops has a program interpreter"
	readelf -d "$X/usr/bin/gops" | grep -q 'NEEDED' && fail "usr/bin/gops needs shared libraries"
	expect_eq Depends "$(field Depends)" ""
	[ "$(field Description | wc -l)" -ge 5 ] || fail "no extended description: $(field Description)"
	# md5sums: every file of the package, each sum right.
	(cd "$X" && md5sum --quiet -c "$CTL/md5sums") || fail "md5sums do not match"
	expect_eq "files in md5sums" "$(cut -c35- "$CTL/md5sums" | sort)" "$(cd "$X" && find . -type f -printf '%P\n' | sort)"
	for f in "$CTL"/*; do
		case ${f##*/} in control | md5sums) ;; *) fail "unexpected control file ${f##*/}" ;; esac
	done
}

test_packaging_files_in_place() {
	local want
	have_deb
	want="lib/systemd/system/gops-daemon.service
usr/bin/gops
usr/share/bash-completion/completions/gops
usr/share/doc/gops-bpf/changelog.Debian.gz
usr/share/doc/gops-bpf/copyright
usr/share/fish/vendor_completions.d/gops.fish
usr/share/lintian/overrides/gops-bpf
usr/share/man/man1/gops.1.gz
usr/share/zsh/vendor-completions/_gops"
	expect_eq "files" "$(cd "$X" && find . ! -type d -printf '%P\n' | sort)" "$want"
	[ -x "$X/usr/bin/gops" ] || fail "usr/bin/gops is not executable"
	readelf -S "$X/usr/bin/gops" | grep -q '\.symtab' && fail "usr/bin/gops is not stripped"
	expect_eq "gops --version" "$("$X/usr/bin/gops" --version)" "$("$GOPS" --version)"
	expect_match "gops --version" "$("$X/usr/bin/gops" --version)" '^gops-bpf [0-9a-f]+'
	head -n 1 "$X/usr/share/doc/gops-bpf/copyright" | grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ||
		fail "copyright is not machine-readable"
	grep -qx 'License: Expat' "$X/usr/share/doc/gops-bpf/copyright" || fail "copyright: no Expat (MIT) license"
	expect_eq "changelog" "$(zcat "$X/usr/share/doc/gops-bpf/changelog.Debian.gz" | head -n 1)" \
		"gops-bpf ($(field Version)) unstable; urgency=medium"
	# The man page is the repository's, gzip'd without a name or a time (-n).
	zcat "$X/usr/share/man/man1/gops.1.gz" | cmp -s - man/gops.1 || fail "gops.1.gz is not man/gops.1"
	expect_eq "gzip mtime" "$(od -An -tx1 -j4 -N4 "$X/usr/share/man/man1/gops.1.gz" | tr -d ' ')" 00000000
}

test_packaging_unit_runs_usr_bin_gops_with_metrics() {
	local unit=$X/lib/systemd/system/gops-daemon.service
	have_deb
	expect_eq ExecStart "$(grep '^ExecStart=' "$unit")" \
		"ExecStart=/usr/bin/gops daemon --pin-dir /sys/fs/bpf/gops --metrics 127.0.0.1:9979"
	grep -n /usr/local "$unit" && fail "the packaged unit names /usr/local"
	# The same unit as scripts/gops-daemon.service (make install's), but the path.
	expect_eq "unit" "$(grep -v '^#' "$unit")" \
		"$(grep -v '^#' scripts/gops-daemon.service | sed 's|/usr/local/bin/gops|/usr/bin/gops|')"
	mkdir -p "$TMP/unit"
	sed "s|/usr/bin/gops|$X/usr/bin/gops|" "$unit" >"$TMP/unit/gops-daemon.service"
	systemd-analyze verify --man=no "$TMP/unit/gops-daemon.service" >"$TMP/verify" 2>&1 ||
		fail "systemd-analyze verify: $(cat "$TMP/verify")"
	[ ! -s "$TMP/verify" ] || fail "systemd-analyze verify: $(cat "$TMP/verify")"
}

test_packaging_completions_are_what_gops_prints() {
	have_deb
	cmp -s "$X/usr/share/bash-completion/completions/gops" <("$GOPS" completion bash) || fail "bash completion differs"
	cmp -s "$X/usr/share/zsh/vendor-completions/_gops" <("$GOPS" completion zsh) || fail "zsh completion differs"
	cmp -s "$X/usr/share/fish/vendor_completions.d/gops.fish" <("$GOPS" completion fish) || fail "fish completion differs"
	head -n 1 "$X/usr/share/zsh/vendor-completions/_gops" | grep -qx '#compdef gops' || fail "_gops: no #compdef line"
	# Each shell loads its file from where the package put it.
	bash -c "source '$X/usr/share/bash-completion/completions/gops' && complete -p gops" | grep -q -- '-F _gops gops' ||
		fail "bash: no completion for gops"
	fish -c "source '$X/usr/share/fish/vendor_completions.d/gops.fish'; complete -C 'gops sta'" | grep -q '^status' ||
		fail "fish: gops sta does not complete to status"
}

test_packaging_man_page_renders_and_names_every_verb_and_option() {
	local verbs opts v o
	have_deb
	MANWIDTH=80 man --warnings -l "$X/usr/share/man/man1/gops.1.gz" 2>"$TMP/man.err" >"$TMP/man.txt" ||
		fail "man -l failed: $(cat "$TMP/man.err")"
	[ ! -s "$TMP/man.err" ] || fail "man --warnings: $(cat "$TMP/man.err")"
	for s in NAME SYNOPSIS DESCRIPTION VERBS OPTIONS ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
		grep -qx "$s" <(col -b <"$TMP/man.txt") || fail "no $s section"
	done
	verbs=$("$GOPS" help | sed -nE 's/^  gops ([a-z][a-z-]*).*/\1/p')
	[ "$(wc -w <<<"$verbs")" -ge 17 ] || fail "too few verbs in gops help: $verbs"
	for v in $verbs; do
		man_section VERBS | grep -qE "^ {7}gops $v( |$)" || fail "VERBS does not name gops $v"
	done
	opts=$("$GOPS" help | grep -oE '^  (-[a-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+$')
	[ "$(wc -w <<<"$opts")" -ge 18 ] || fail "too few options in gops help: $opts"
	for o in $opts; do
		man_section OPTIONS | grep -qE -- "^ {7}(-[a-z], )?$o( |$)" || fail "OPTIONS does not name $o"
	done
	# Every variable the code reads (but the tests' fault injection).
	for v in $(grep -rhoE 'getenv\("[A-Z_]+"\)' user | sed -E 's/getenv\("(.*)"\)/\1/' | sort -u); do
		case $v in GOPS_TEST_*) continue ;; esac
		man_section ENVIRONMENT | grep -qE "^ {7}([A-Z_]+, )*$v(,| |$)" || fail "ENVIRONMENT does not name $v"
	done
}

test_packaging_packaged_daemon_serves_metrics() {
	local dpid port # dpid: set by start_daemon
	have_deb
	port=$(free_port)
	GOPS=$X/usr/bin/gops start_daemon dpid --metrics "127.0.0.1:$port"
	wait_for 5000 get "http://127.0.0.1:$port/metrics" >/dev/null 2>&1 ||
		fail "no /metrics from the packaged gops: $(cat "$DAEMON_LOG")"
	get "http://127.0.0.1:$port/metrics" | grep -q '^gops_daemon_table_capacity 4096$' || fail "no table capacity in the metrics"
}

# A scratch repository with what scripts/deb.sh reads, as in the work tree.
scratch_repo() {
	R=$TMP/repo
	mkdir -p "$R/scripts" "$R/man" "$R/packaging"
	cp scripts/deb.sh scripts/gops-daemon.service "$R/scripts/"
	cp man/gops.1 "$R/man/"
	cp packaging/* "$R/packaging/"
	git -C "$R" init -q
	git -C "$R" add -A
	scratch_commit first
}
scratch_commit() { git -C "$R" -c user.name='Ann Example' -c user.email=ann@example.org commit -q --allow-empty -m "$1"; }
scratch_version() { (cd "$R" && unset DEB_VERSION && bash scripts/deb.sh --print-version); }

test_packaging_version_from_git_describe() {
	local h
	scratch_repo
	h=$(git -C "$R" rev-parse --short HEAD)
	expect_eq "untagged" "$(scratch_version)" "0.0~git1.$h-1"
	git -C "$R" tag v1.2.3
	scratch_commit second
	h=$(git -C "$R" rev-parse --short HEAD)
	expect_eq "after a tag" "$(scratch_version)" "1.2.3+git2.$h-1"
	echo changed >>"$R/man/gops.1"
	expect_eq "dirty" "$(scratch_version)" "1.2.3+git2.$h+dirty-1"
	expect_eq "DEB_VERSION" "$(cd "$R" && DEB_VERSION=4.5-6 bash scripts/deb.sh --print-version)" 4.5-6
	for v in "0.0~git1.$h-1" "1.2.3+git2.$h+dirty-1"; do
		dpkg --validate-version "$v" || fail "not a Debian version: $v"
	done
	dpkg --compare-versions "0.0~git9.$h-1" lt "0.0~git10.$h-1" || fail "git9 does not sort before git10"
	dpkg --compare-versions "0.0~git99.$h-1" lt "0.0.1-1" || fail "an untagged version does not sort before a release"
}

test_packaging_maintainer_from_debemail_else_the_commit() {
	local deb gops
	gops=$(realpath "$GOPS")
	scratch_repo
	deb=$(cd "$R" && GOPS_BIN="$gops" GOPS_LDLIBS=-lz DEBFULLNAME='Bo Example' DEBEMAIL=bo@example.org bash scripts/deb.sh)
	expect_eq "Maintainer" "$(dpkg-deb -f "$R/$deb" Maintainer)" "Bo Example <bo@example.org>"
	dpkg-deb --fsys-tarfile "$R/$deb" | tar -xOf - ./usr/share/doc/gops-bpf/changelog.Debian.gz | zcat | grep -q '^ -- Bo Example <bo@example.org>  ' ||
		fail "the changelog is not signed by DEBFULLNAME <DEBEMAIL>"
	deb=$(cd "$R" && unset DEBFULLNAME DEBEMAIL && GOPS_BIN="$gops" GOPS_LDLIBS=-lz bash scripts/deb.sh)
	expect_eq "Maintainer" "$(dpkg-deb -f "$R/$deb" Maintainer)" "Ann Example <ann@example.org>"
	expect_match "Built-Using" "$(dpkg-deb -f "$R/$deb" Built-Using)" '(^|, )zlib \(= '
}

run_test test_packaging_deb_passes_lintian
run_test test_packaging_control_fields
run_test test_packaging_files_in_place
run_test test_packaging_unit_runs_usr_bin_gops_with_metrics
run_test test_packaging_completions_are_what_gops_prints
run_test test_packaging_man_page_renders_and_names_every_verb_and_option
run_test test_packaging_packaged_daemon_serves_metrics
run_test test_packaging_version_from_git_describe
run_test test_packaging_maintainer_from_debemail_else_the_commit
summary
