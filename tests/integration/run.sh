#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the integration tests, each file in its own shell, and prints the
# totals as "N passed, N failed".
#
#   tests/integration/run.sh            every tests/integration/test_*.sh
#   tests/integration/run.sh NAME...    only the named tests
#
# A NAME is a test file (test_listing, test_listing.sh or its path: all of
# it) or else a substring of test function names (test_lists_path_with_spaces,
# or port_file for every test with that in its name). A file with no selected
# test is not started at all; a NAME that selects nothing counts as a failure.
cd "$(dirname "$0")/../.." || exit 1
passed=0
failed=0

# The test functions a file defines (as `test_name() {`, at the start of a line).
functions_of() {
	grep -oE '^test_[A-Za-z0-9_]+\(\)' "$1" | sed 's/()$//'
}

# wanted FILE: whether FILE has a selected test; marks the NAMEs that select.
declare -A used=()
wanted() {
	local base s f hit=1
	base=$(basename "$1" .sh)
	[ ${#names[@]} -eq 0 ] && return 0
	for s in "${names[@]}"; do
		[ -n "$s" ] || continue
		if [ -f "tests/integration/$(basename "${s%/}" .sh).sh" ]; then
			if [ "$(basename "${s%/}" .sh)" == "$base" ]; then
				used[$s]=1
				hit=0
			fi
			continue
		fi
		for f in $(functions_of "$1"); do
			if [[ "$f" == *"$s"* ]]; then
				used[$s]=1
				hit=0
				break
			fi
		done
	done
	return $hit
}

names=("$@")
for t in tests/integration/test_*.sh; do
	wanted "$t" || continue
	out=$(GOPS_TESTS="${names[*]}" bash "$t" 2>&1)
	echo "$out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $t (no result line)"
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + ${line%% passed*}))
	f=${line#*passed, }
	failed=$((failed + ${f%% failed}))
done
for s in "${names[@]}"; do
	if [ -n "$s" ] && [ -z "${used[$s]:-}" ]; then
		echo "FAIL no integration test matches '$s'"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
