#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Why a Go process died, as `gops watch` tells it: the signal, and who sent
# it (another process, or the kernel).
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

# start_watch: gops watch --json into $TMP/watch.json, once it is tracing.
start_watch() {
	"$GOPS" watch --json </dev/null >"$TMP/watch.json" 2>"$TMP/watch.err" &
	WATCH=$!
	PIDS+=("$WATCH")
	sleep 1.5
}

stop_watch() {
	sleep 0.5
	kill -INT "$WATCH"
	wait "$WATCH" || fail "watch exited with $?: $(cat "$TMP/watch.err")"
}

# exit_of PID FIELD: a field of PID's exit event.
exit_of() {
	/usr/bin/python3 - "$TMP/watch.json" "$1" "$2" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["event"] == "exit" and e["pid"] == int(sys.argv[2]):
        v = e.get(sys.argv[3])
        print(json.dumps(v) if not isinstance(v, str) else v)
PY
}

test_deaths_kill_9_names_the_sending_shell() {
	local pid killer text
	start_watch
	start_fixture pid "$FIX/sleeper"
	killer=$(bash -c "kill -9 $pid; echo \$\$")
	wait "$pid" 2>/dev/null || true
	stop_watch
	expect_eq "signal" "$(exit_of "$pid" signal)" 9
	expect_eq "sender pid" "$(exit_of "$pid" signal_sender_pid)" "$killer"
	expect_eq "sender comm" "$(exit_of "$pid" signal_sender_comm)" bash
	expect_eq "from the kernel" "$(exit_of "$pid" signal_from_kernel)" false
	# The text line says the same.
	"$GOPS" watch </dev/null >"$TMP/watch.txt" 2>&1 &
	WATCH=$!
	PIDS+=("$WATCH")
	sleep 1.5
	start_fixture pid "$FIX/sleeper"
	killer=$(bash -c "kill -KILL $pid; echo \$\$")
	wait "$pid" 2>/dev/null || true
	stop_watch
	text=$(grep "^[0-9:.]* *exit  *$pid " "$TMP/watch.txt")
	expect_match "text" "$text" "signal 9 \\(KILL\\) from pid $killer bash, lived [0-9.]*s$"
}

test_deaths_segfault_in_cgo_is_the_kernels() {
	local pid
	start_watch
	(
		ulimit -c 0
		exec "$FIX/cgo" -segv </dev/null >/dev/null 2>&1
	) &
	pid=$!
	wait "$pid" 2>/dev/null || true
	stop_watch
	expect_eq "signal" "$(exit_of "$pid" signal)" 11
	expect_eq "from the kernel" "$(exit_of "$pid" signal_from_kernel)" true
	expect_eq "sender pid" "$(exit_of "$pid" signal_sender_pid)" 0
}

# Exits by a code carry no sender.
test_deaths_exit_code_has_no_sender() {
	local pid
	start_watch
	"$FIX/sleeper" -exit 3 -after 100ms </dev/null >/dev/null 2>&1 &
	pid=$!
	wait "$pid" 2>/dev/null || true
	stop_watch
	expect_eq "code" "$(exit_of "$pid" exit_code)" 3
	expect_eq "sender" "$(exit_of "$pid" signal_sender_pid)" null
}

run_test test_deaths_kill_9_names_the_sending_shell
run_test test_deaths_segfault_in_cgo_is_the_kernels
run_test test_deaths_exit_code_has_no_sender
summary
