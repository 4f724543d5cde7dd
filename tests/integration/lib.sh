# SPDX-License-Identifier: MIT
# Helpers for integration tests: start fixtures, wait, assert. Sourced.

GOPS=${GOPS:-./gops}
FIX=${GOPS_FIXTURES:-build/fixtures}
TMP=$(mktemp -d /tmp/gops-it.XXXXXX)
PIDS=()

# Stops what a test started; each test runs in its own subshell with this trap.
stop_fixtures() {
	local p
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	PIDS=()
}
trap 'stop_fixtures; rm -rf "$TMP"' EXIT

# start_fixture VAR CMD...: starts CMD in the background with -ready, waits
# until it has written its pid (10 s at most), stores the pid in VAR.
start_fixture() {
	local var=$1 ready
	shift
	ready=$TMP/ready.$RANDOM$RANDOM
	"$@" -ready "$ready" </dev/null >/dev/null 2>&1 &
	PIDS+=($!)
	for _ in $(seq 200); do
		[ -s "$ready" ] && break
		sleep 0.05
	done
	if [ ! -s "$ready" ]; then
		echo "  fixture did not start: $*"
		return 1
	fi
	printf -v "$var" '%s' "$!"
}

# wait_exec PID PATH: waits (5 s at most) until PID runs the executable PATH.
wait_exec() {
	local want
	want=$(realpath "$2")
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$1/exe" 2>/dev/null)" == "$want" ] && return 0
		sleep 0.05
	done
	fail "process $1 did not exec $2"
}

fail() {
	echo "  $*"
	return 1
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" == "$3" ] || fail "$1: got '$2', want '$3'"
}

# expect_match WHAT TEXT REGEX
expect_match() {
	[[ "$2" =~ $3 ]] || fail "$1: '$2' does not match /$3/"
}

is_json() {
	python3 -c 'import json,sys; json.load(sys.stdin)'
}

PASSED=0
FAILED=0
# run_test NAME: runs the function NAME in a subshell with `set -e` (not in an
# `if`, where bash would ignore -e) and counts its result.
run_test() {
	local rc
	(
		set -e
		trap 'rc=$?; stop_fixtures; exit $rc' EXIT
		"$1"
	)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "ok   $1"
		PASSED=$((PASSED + 1))
	else
		echo "FAIL $1"
		FAILED=$((FAILED + 1))
	fi
}

summary() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
