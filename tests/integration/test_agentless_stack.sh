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
	for s in select sleep semacquire 'sync.Cond.Wait' 'chan receive (nil chan)' syscall 'chan receive'; do
		grep -q "^goroutine [0-9]* \\[$s" "$TMP/ours.txt" || fail "no goroutine [$s"
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
		/usr/bin/python3 - "$TMP/d.$i" <<'PY' || fail "dump $i is malformed: $(head -c 400 "$TMP/d.$i")"
import re, sys
for block in open(sys.argv[1]).read().split("\n\n"):
    lines = block.strip("\n").split("\n")
    assert re.match(r"goroutine \d+ \[[^\]]+\]:$", lines[0]), lines[0]
    body = lines[1:]
    if body and body[0].startswith("\tgoroutine "):
        body = body[1:]
    if len(body) >= 2 and body[-2].startswith("created by "):
        assert body[-1].startswith("\t"), body
        body = body[:-2]
    if body and body[-1] == "...additional frames elided...":
        body = body[:-1]
    assert len(body) % 2 == 0, body
    for f, l in zip(body[0::2], body[1::2]):
        assert re.match(r"\S+\((\.\.\.)?\)$", f), f
        assert re.match(r"\t\S+:\d+( \+0x[0-9a-f]+)?$", l), l
PY
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

run_test test_agentless_stack_default
run_test test_agentless_stack_pie
run_test test_agentless_stack_cgo
run_test test_agentless_stack_stripped
run_test test_agentless_stack_is_the_fallback_and_json
run_test test_agentless_stack_while_goroutines_churn
run_test test_agentless_stack_non_go_process
run_test test_agentless_stack_process_exiting_mid_walk
summary
