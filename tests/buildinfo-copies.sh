#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes, next to the Go fixtures in OUTDIR, the transformed copies that the
# build info unit tests read:
#   NAME.nosections          section header table removed
#   NAME.pointer             blob rewritten into the pre-1.18 pointer format
#   NAME.pointer.nosections  both
#   NAME.mini, NAME.pointer.mini  a few hundred bytes: ELF header, the build info
#                            in one or two PT_LOADs, a section table (also fuzz seeds)
#   NAME.noblob, NAME.noblob.nosections  the blob's magic zeroed: no build info
#                            left, only the function table to tell the Go version
# and, for the npm fixtures of tests/fixtures/npm.sh that are there (the others
# are skipped, as their tests are), npm/NAME.noblob and npm/NAME.noblob.nosections,
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
# npm fixtures built by Go 1.13 to 1.23 (each pclntab magic), with a blob to drop.
NPM_NAMES="buildifier-2.2.1 bazelisk-1.7.5 bazelisk-1.7.5-arm64 bazelisk-1.12.1 buildifier-5.1.0
	esbuild-0.13.15 esbuild-0.14.54 esbuild-0.17.19 buildifier-6.1.2 esbuild-0.25.0"

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
	"$ELFMANGLE" drop-buildinfo "$in" "$in.noblob"
	"$ELFMANGLE" strip-sections "$in.noblob" "$in.noblob.nosections"

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
nnpm=0
for name in $NPM_NAMES; do
	in=$OUT/npm/$name
	if [ ! -f "$in" ]; then
		rm -f "$in.noblob" "$in.noblob.nosections"
		continue
	fi
	"$ELFMANGLE" drop-buildinfo "$in" "$in.noblob"
	"$ELFMANGLE" strip-sections "$in.noblob" "$in.noblob.nosections"
	nnpm=$((nnpm + 1))
done
echo "buildinfo copies: $(echo $NAMES | wc -w) fixtures x 7 variants, $nnpm npm fixtures x 2 in $OUT"
