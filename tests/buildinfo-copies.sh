#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes, next to the Go fixtures in OUTDIR, the transformed copies that the
# build info unit tests read:
#   NAME.nosections          section header table removed
#   NAME.pointer             blob rewritten into the pre-1.18 pointer format
#   NAME.pointer.nosections  both
#   NAME.mini, NAME.pointer.mini  a few hundred bytes: ELF header, the build info
#                            in one or two PT_LOADs, a section table (also fuzz seeds)
# and checks that `go version -m` reads the .pointer and .mini copies exactly as
# it reads the original (it is the reference for the format, not our reader).
# Go 1.19 cannot read every .nosections copy (it looks only at the first
# writable segment), so those are checked by the unit tests alone.
#
# usage: tests/buildinfo-copies.sh OUTDIR     (env ELFMANGLE: the tool's path)
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
OUT=${1%/}
ELFMANGLE=${ELFMANGLE:-build/tools/elfmangle}
NAMES="sleeper sleeper-stripped sleeper-pie cgo sleeper-386 sleeper-arm64 sleeper-s390x withdeps"

if [ ! -x "$ELFMANGLE" ]; then
	echo "buildinfo-copies.sh: $ELFMANGLE not built (make $ELFMANGLE)" >&2
	exit 1
fi

for name in $NAMES; do
	in=$OUT/$name
	if [ ! -f "$in" ] || [ ! -f "$in.gov" ]; then
		echo "buildinfo-copies.sh: missing fixture $in (run tests/fixtures/build.sh $OUT)" >&2
		exit 1
	fi
	"$ELFMANGLE" strip-sections "$in" "$in.nosections"
	"$ELFMANGLE" to-pointer "$in" "$in.pointer"
	"$ELFMANGLE" strip-sections "$in.pointer" "$in.pointer.nosections"
	"$ELFMANGLE" shrink "$in" "$in.mini"
	"$ELFMANGLE" shrink "$in.pointer" "$in.pointer.mini"

	# Each copy must mean the same to the Go toolchain: same output, name aside.
	command -v go >/dev/null 2>&1 || continue
	want=$(cat "$in.gov")
	for copy in "$in.pointer" "$in.mini" "$in.pointer.mini"; do
		got=$(go version -m "$copy")
		if [ "${got#*: }" != "${want#*: }" ]; then
			echo "buildinfo-copies.sh: go version -m reads $copy differently from $in" >&2
			diff <(echo "${want#*: }") <(echo "${got#*: }") >&2 || true
			exit 1
		fi
	done
done
echo "buildinfo copies: $(echo $NAMES | wc -w) fixtures x 5 variants in $OUT"
