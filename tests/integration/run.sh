#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every tests/integration/test_*.sh, each in its own shell, and prints
# the totals as "N passed, N failed".
cd "$(dirname "$0")/../.."
passed=0
failed=0
for t in tests/integration/test_*.sh; do
	out=$(bash "$t" 2>&1)
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
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
