#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The goroutine dump read from memory (gops stack --no-agent, and the
# fallback without an agent) against the agent's own dump of the same
# process: the rtfacts fixture, default, PIE, cgo and stripped, with
# goroutines parked in known places (channel receive, select, time.Sleep, a
# mutex, a WaitGroup, a Cond, a nil channel, a read in a system call).
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

# same_dump BIN: the agentless dump equals the agent's, arguments aside.
same_dump() {
	local pid
	start_rtfacts pid "$1"
	cmd park
	cmd spawn 3
	"$GOPS" stack "$pid" >"$TMP/agent.txt"
	"$GOPS" stack --no-agent "$pid" >"$TMP/ours.txt" 2>"$TMP/err"
	grep -q "read from process $pid's memory" "$TMP/err" || fail "stderr: $(cat "$TMP/err")"
	/usr/bin/python3 tests/integration/stackcmp.py "$TMP/agent.txt" "$TMP/ours.txt" ||
		fail "the dumps differ"
	for f in parkSelect parkSleep parkMutex parkWaitGroup parkCond parkNilChan; do
		grep -qE "^main\\.$f\\((\\.\\.\\.)?\\)$" "$TMP/ours.txt" || fail "no main.$f frame"
	done
	for s in select sleep "(semacquire|sync.Mutex.Lock)" 'sync.Cond.Wait' 'chan receive \(nil chan\)' syscall 'chan receive'; do
		grep -qE "^goroutine [0-9]* \\[$s" "$TMP/ours.txt" || fail "no goroutine [$s"
	done
	"$GOPS" stats "$pid" >/dev/null || fail "the agent no longer answers"
}

test_agentless_stack_default() { same_dump rtfacts; }
test_agentless_stack_pie() { same_dump rtfacts-pie; }
test_agentless_stack_cgo() { same_dump rtfacts-cgo; }
test_agentless_stack_stripped() { same_dump rtfacts-stripped; }

test_agentless_stack_is_the_fallback_and_json() {
	local pid out
	start_rtfacts pid rtfacts -- -agent=false
	out=$("$GOPS" stack "$pid" 2>"$TMP/err")
	grep -q "^gops: no agent in process $pid: read from its memory" "$TMP/err" ||
		fail "stderr: $(cat "$TMP/err")"
	expect_match "main goroutine" "$out" $'^goroutine 1 \\[syscall\\]:\n'
	"$GOPS" stack --json "$pid" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
gs = json.load(sys.stdin)
main = [g for g in gs if g["id"] == 1][0]
assert main["state"] == "syscall", main
assert main["frames"][-1]["function"] == "main.main", main
assert any(f["inlined"] for f in main["frames"]), main  # syscall.Read is inlined
' || fail "JSON"
}

# Goroutines come and go all the time: every dump holds together (a frame
# pair per frame, a header per goroutine), and the process is unharmed.
test_agentless_stack_while_goroutines_churn() {
	local pid i
	start_rtfacts pid rtfacts -- -agent=false
	cmd churn
	for i in $(seq 30); do
		"$GOPS" stack --no-agent "$pid" >"$TMP/d.$i" 2>/dev/null || fail "dump $i failed"
		/usr/bin/python3 tests/integration/stackshape.py "$TMP/d.$i" ||
			fail "dump $i is malformed: $(head -c 400 "$TMP/d.$i")"
	done
	cmd pid
}

test_agentless_stack_non_go_process() {
	local out rc=0
	sleep 30 &
	PIDS+=($!)
	out=$("$GOPS" stack --no-agent $! 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$out" "^gops: cannot read process $! without an agent: process $! is not a Go program"
}

# A process that exits while its goroutines are walked: an answer or one line, never a crash.
test_agentless_stack_process_exiting_mid_walk() { reads_of_exiting_processes stack; }

# Real programs of other Go releases (npm, stripped as released), each
# waiting in a read of its stdin: a well-formed dump whose main goroutine is
# in that system call, and from Go 1.21 on, created-by lines that name their
# creator. Releases gops cannot read (no table row, no build info) say so.
# dump_of_npm NAME PID: a well-formed dump, or one line saying why not.
dump_of_npm() {
	local ver rc=0 creator=
	"$GOPS" stack --no-agent "$2" >"$TMP/d" 2>"$TMP/err" || rc=$?
	ver=$(sed -n 's/.*--no-agent; go\([0-9.]*\).*/\1/p' "$TMP/err")
	if [ "$rc" -ne 0 ] || [ -z "$ver" ]; then
		expect_eq "$1: lines" "$(wc -l <"$TMP/err")" 1
		expect_match "$1" "$(cat "$TMP/err")" "^gops: cannot read process $2 without an agent: "
		return 0
	fi
	if [ "$(cut -d. -f2 <<<"$ver")" -ge 21 ]; then
		creator=in-goroutine
		newer=$((newer + 1))
	fi
	/usr/bin/python3 tests/integration/stackshape.py "$TMP/d" $creator ||
		fail "$1 (go$ver): a malformed dump: $(head -c 400 "$TMP/d")"
	grep -q '^goroutine 1 \[syscall\]:$' "$TMP/d" || fail "$1 (go$ver): goroutine 1 is not in its read: $(head -3 "$TMP/d")"
	checked=$((checked + 1))
	echo "  $1: go$ver, $(grep -c '^goroutine ' "$TMP/d") goroutines"
}

test_agentless_stack_npm_binaries_of_other_go_releases() {
	local checked=0 newer=0
	each_waiting_npm_binary dump_of_npm
	[ "$checked" -ge 8 ] || fail "only $checked npm binaries dumped"
	[ "$newer" -ge 3 ] || fail "only $newer npm binaries of Go 1.21 or later dumped"
}

run_test test_agentless_stack_default
run_test test_agentless_stack_pie
run_test test_agentless_stack_cgo
run_test test_agentless_stack_stripped
run_test test_agentless_stack_is_the_fallback_and_json
run_test test_agentless_stack_while_goroutines_churn
run_test test_agentless_stack_non_go_process
run_test test_agentless_stack_process_exiting_mid_walk
run_test test_agentless_stack_npm_binaries_of_other_go_releases
summary
