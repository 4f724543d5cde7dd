#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make test`: builds the Go fixtures (and fetches the npm ones), runs the unit
# tests (under ASan and UBSan) and the integration tests, then prints one
# closing line with the totals: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

export GOPS_FIXTURES=build/fixtures
bash tests/fixtures/build.sh "$GOPS_FIXTURES" || { echo "0 passed, 1 failed"; exit 1; }
# Binaries of other Go releases, from npm; without the registry, their tests skip.
bash tests/fixtures/npm.sh "$GOPS_FIXTURES"
if [ -f tests/buildinfo-copies.sh ]; then
	bash tests/buildinfo-copies.sh "$GOPS_FIXTURES" || { echo "0 passed, 1 failed"; exit 1; }
fi

passed=0
failed=0
# tally LOG: adds the "N passed, N failed" line of a runner's output.
tally() {
	local line p f
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$2: no result line (it crashed?)"
		failed=$((failed + 1))
		return
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	passed=$((passed + p))
	failed=$((failed + f))
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== tree checks (tests/check-tree.sh: one test)"
if bash tests/check-tree.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "== unit tests (ASan, UBSan)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/unit/run 2>&1 | tee "$log"
tally "$log" "unit tests"

echo "== agent tests (go test)"
(cd agent && GOFLAGS=-mod=mod GOPROXY=off go test -count=1 -v ./... 2>&1) >"$log.go"
rc=$?
grep -E '^(--- FAIL|FAIL|ok|panic)' "$log.go"
p=$(grep -c '^--- PASS' "$log.go")
f=$(grep -c '^--- FAIL' "$log.go")
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1 && tail -n 20 "$log.go"
echo "$p passed, $f failed" | tee "$log"
tally "$log" "agent tests"
rm -f "$log.go"

echo "== integration tests"
bash tests/integration/run.sh 2>&1 | tee "$log"
tally "$log" "integration tests"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
