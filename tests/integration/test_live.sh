#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Live discovery with real BPF: gops daemon, the pinned table, gops watch.
# Needs root; each test runs its own daemon on a pin dir of its own.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh
STORM=build/tools/execstorm

test_process_running_before_daemon_is_listed() {
	local pid d
	start_fixture pid "$FIX/sleeper"
	start_daemon d
	in_table "$pid" || fail "$pid not in table: $(table_rows all)"
	"$GOPS" --pin-dir "$PIN" | grep -q "^$pid " || fail "not listed"
}

test_new_process_in_table_within_a_second_and_gone_at_exit() {
	local d pid
	start_daemon d
	start_fixture pid "$FIX/sleeper"
	wait_for 1000 in_table "$pid" || fail "$pid not in the table after 1 s"
	kill "$pid"
	wait_for 1000 not_in_table "$pid" all || fail "$pid still in the table after exit"
}

test_non_go_processes_never_appear() {
	local d pid
	start_daemon d
	sleep 30 </dev/null >/dev/null 2>&1 &
	pid=$!
	PIDS+=("$pid")
	cp /bin/sleep "$TMP/never-seen-sleep"
	"$TMP/never-seen-sleep" 30 </dev/null >/dev/null 2>&1 &
	PIDS+=($!)
	sleep 0.5
	not_in_table "$pid" all || fail "sleep $pid has a row"
	not_in_table "$!" all || fail "never-seen sleep $! still has a row"
	"$GOPS" --pin-dir "$PIN" | grep -q " sleep " && fail "sleep listed"
	true
}

test_binary_exec_100_times_is_parsed_once() {
	local d hits0 hits parses
	cp "$FIX/sleeper" "$TMP/once"
	start_daemon d -v
	sleep 1.1 # the daemon publishes its counters with each heartbeat
	hits0=$(status_field kernel_verdicts)
	"$STORM" 100 1 "$TMP/once" -exit 0 >/dev/null
	sleep 1.2
	hits=$(status_field kernel_verdicts)
	# The daemon says what it parses; other programs on the host may run too.
	parses=$(grep -c "^gops daemon: parsed $TMP/once: " "$DAEMON_LOG")
	expect_eq "parses of $TMP/once" "$parses" 1
	[ "$((hits - hits0))" -ge 99 ] || fail "kernel verdicts: $((hits - hits0)) of 100"
}

test_binary_rewritten_in_place_gets_new_verdict() {
	local d pid ino
	cp "$FIX/sleeper" "$TMP/chameleon"
	ino=$(stat -c %i "$TMP/chameleon")
	start_daemon d
	start_fixture pid "$TMP/chameleon"
	wait_for 1000 in_table "$pid" || fail "Go version not in table"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	cat /bin/sleep >"$TMP/chameleon" # same inode, new contents
	expect_eq "inode" "$(stat -c %i "$TMP/chameleon")" "$ino"
	"$TMP/chameleon" 30 </dev/null >/dev/null 2>&1 &
	pid=$!
	PIDS+=("$pid")
	sleep 0.5
	not_in_table "$pid" all || fail "non-Go rewrite $pid has a row"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	cat "$FIX/sleeper" >"$TMP/chameleon"
	start_fixture pid "$TMP/chameleon"
	wait_for 1000 in_table "$pid" || fail "Go again, but $pid not in table"
}

# The table must equal /proc's truth: every Go process, nothing else.
table_matches_truth() {
	local table truth
	table=$(table_rows all)
	truth=$(scan_pids)
	[ "$table" == "$truth" ] || { echo "  table: $table"; echo "  truth: $truth"; return 1; }
}

test_exec_storm_leaves_table_exact() {
	local d a b
	start_daemon d
	start_fixture a "$FIX/sleeper"
	"$STORM" 19000 4 /bin/true >/dev/null &
	local s1=$!
	"$STORM" 1000 2 "$FIX/sleeper" -exit 0 >/dev/null &
	local s2=$!
	start_fixture b "$FIX/sleeper-pie"
	wait "$s1" || fail "storm of /bin/true failed"
	wait "$s2" || fail "storm of Go fixtures failed"
	kill "$a"
	wait_for 2000 table_matches_truth || fail "table differs from /proc after the storm"
	echo "  lost events: $(status_field lost_events)"
}

test_lost_events_are_detected_and_resynced() {
	local d a b
	start_daemon d --ringbuf-kb=4
	start_fixture a "$FIX/sleeper"
	# A stopped daemon reads nothing: 4 KiB of ring buffer fill up at once.
	kill -STOP "$d"
	"$STORM" 200 4 "$FIX/sleeper" -exit 0 >/dev/null
	start_fixture b "$FIX/sleeper"
	kill "$a"
	wait "$a" 2>/dev/null || true
	kill -CONT "$d"
	sleep 1.5
	[ "$(status_field lost_events)" -gt 0 ] || fail "no loss with a 4 KiB ring buffer"
	[ "$(status_field resyncs)" -gt 0 ] || fail "no resync after loss"
	wait_for 2000 table_matches_truth || fail "table differs from /proc after the resync"
}

test_kill_9_then_restart_is_consistent() {
	local d a b out
	start_fixture a "$FIX/sleeper"
	start_daemon d
	kill -9 "$d"
	wait "$d" 2>/dev/null || true
	start_fixture b "$FIX/sleeper"
	# No live loader: the listing falls back to the scan, silently.
	out=$("$GOPS" --pin-dir "$PIN" 2>&1)
	grep -q "^$b " <<<"$out" || fail "$b not listed after the daemon died: $out"
	local pin=$PIN
	"$GOPS" daemon --pin-dir "$pin" </dev/null >/dev/null 2>&1 &
	d=$!
	PIDS+=("$d")
	wait_for 5000 "$GOPS" status --pin-dir "$pin" >/dev/null || fail "restart failed"
	in_table "$a" && in_table "$b" || fail "rows missing after restart: $(table_rows all)"
	wait_for 2000 table_matches_truth || fail "table differs from /proc after restart"
}

test_table_listing_equals_scan() {
	local d a b c e
	mkdir -p "$TMP/cfg"
	start_daemon d
	GOPS_CONFIG_DIR=$TMP/cfg start_fixture a "$FIX/sleeper"
	printf 1 >"$TMP/cfg/$a"
	start_fixture b "$FIX/sleeper" -children 2
	start_fixture c "$FIX/sleeper-a-very-long-program-name"
	# A name longer than any fixed field: the table must not cut it.
	cp "$FIX/sleeper" "$TMP/$(printf 'x%.0s' $(seq 120))"
	start_fixture e "$TMP/$(printf 'x%.0s' $(seq 120))"
	sleep 0.5
	diff <("$GOPS" --pin-dir "$PIN") <("$GOPS" --scan 2>/dev/null) || fail "list differs"
	diff <("$GOPS" tree --pin-dir "$PIN") <("$GOPS" tree --scan 2>/dev/null) || fail "tree differs"
	"$GOPS" --pin-dir "$PIN" | grep -q "^$a .*\\* go" || fail "agent mark missing"
	# The comparison means something only if each side came from where it says.
	expect_eq "table source" "$("$GOPS" -v --pin-dir "$PIN" 2>&1 >/dev/null)" \
		"gops: listing from the table at $PIN"
	expect_eq "tree source" "$("$GOPS" tree -v --pin-dir "$PIN" 2>&1 >/dev/null)" \
		"gops: listing from the table at $PIN"
	expect_match "scan source" "$("$GOPS" -v --scan 2>&1 >/dev/null)" "^gops: scanning /proc: --scan"
}

# A pin dir of its own, with a meta map made by hand (value size, ABI version).
fake_table() {
	PIN=/sys/fs/bpf/gops-test-$BASHPID-$RANDOM
	PINS+=("$PIN")
	mkdir -p "$PIN"
	bpftool map create "$PIN/meta" type array key 4 value "$1" entries 1 name meta
	if [ -n "${2:-}" ]; then
		# abi_version, the first __u32 (little-endian), then zeros
		bpftool map update pinned "$PIN/meta" key 0 0 0 0 value "$2" 0 0 0 \
			$(printf '0 %.0s' $(seq $(($1 - 4))))
	fi
}

test_table_of_another_version_is_scanned_and_replaced() {
	local pid out d
	start_fixture pid "$FIX/sleeper"
	fake_table 56 # the meta of ABI 1 was 56 bytes
	out=$("$GOPS" -v --pin-dir "$PIN" 2>&1)
	expect_match "-v" "$out" "scanning /proc: the table at $PIN is of another gops version"
	expect_match "listed from the scan" "$out" $'\n'"$pid "
	rm -rf "$PIN"
	fake_table 64 1 # our size, another version number
	out=$("$GOPS" -v --pin-dir "$PIN" 2>&1 >/dev/null)
	expect_match "-v" "$out" "is of another gops version \\(ABI 1, ours [0-9]+\\)"
	out=$("$GOPS" status --pin-dir "$PIN" 2>&1) && fail "status of a foreign table exited 0"
	expect_match "status" "$out" "another gops version"
	# A daemon takes the pin dir over: cleared and pinned anew.
	local keep=$PIN
	start_daemon_at d "$keep"
	expect_match "daemon log" "$(cat "$DAEMON_LOG")" "replacing a table of ABI 1"
	expect_eq "source" "$("$GOPS" -v --pin-dir "$PIN" 2>&1 >/dev/null)" \
		"gops: listing from the table at $PIN"
	"$GOPS" --pin-dir "$PIN" | grep -q "^$pid " || fail "not listed from the new table"
}

test_pin_dir_holding_other_objects_is_refused_untouched() {
	local rc=0 err
	fake_table 8
	cp -a "$PIN/meta" "$PIN/not-ours" 2>/dev/null ||
		bpftool map create "$PIN/not-ours" type array key 4 value 8 entries 1 name notours
	err=$("$GOPS" daemon --pin-dir "$PIN" 2>&1 </dev/null) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$err" "holds not-ours, which is not part of a gops table"
	[ -e "$PIN/not-ours" ] || fail "the foreign object was removed"
	[ -e "$PIN/meta" ] || fail "an object with one of our names was removed from a refused dir"
	rm -rf "$PIN"
}

test_failed_seed_is_retried_before_the_table_is_used() {
	local d
	PIN=/sys/fs/bpf/gops-test-$BASHPID-$RANDOM
	PINS+=("$PIN")
	DAEMON_LOG=$TMP/daemon.$BASHPID.log
	GOPS_TEST_FAIL_RESYNCS=2 "$GOPS" daemon --pin-dir "$PIN" </dev/null >"$DAEMON_LOG" 2>&1 &
	d=$!
	PIDS+=("$d")
	unseeded() { "$GOPS" -v --pin-dir "$PIN" 2>&1 >/dev/null | grep -q "has not seeded its table yet"; }
	wait_for 5000 unseeded || fail "never listed as not seeded: $("$GOPS" -v --pin-dir "$PIN" 2>&1 >/dev/null)"
	wait_for 10000 "$GOPS" status --pin-dir "$PIN" >/dev/null || fail "never seeded: $(cat "$DAEMON_LOG")"
	expect_eq "failures counted" "$(status_field resync_failures)" 2
	expect_match "log" "$(cat "$DAEMON_LOG")" "failed to seed the table from /proc"
	expect_eq "source" "$("$GOPS" -v --pin-dir "$PIN" 2>&1 >/dev/null)" \
		"gops: listing from the table at $PIN"
}

# As a normal user: silent when no daemon is there, said when one is but its
# table cannot be read. A bpffs of the test's own (mode 0755) lets a normal
# user see that the pin dir exists; the daemon creates it 0700.
test_unreadable_table_is_said_and_scanned() {
	local err
	err=$(GOPS=$GOPS unshare -m --propagation private bash -c '
		dir=$(mktemp -d /tmp/gops-bpffs.XXXXXX)
		chmod 755 "$dir"
		mount -t bpf bpf "$dir" -o mode=0755 || exit 1
		pin=$dir/gops
		"$GOPS" daemon --pin-dir "$pin" </dev/null >/dev/null 2>&1 &
		d=$!
		for _ in $(seq 200); do
			"$GOPS" status --pin-dir "$pin" >/dev/null 2>&1 && break
			sleep 0.05
		done
		setpriv --reuid=65534 --regid=65534 --clear-groups "$GOPS" --pin-dir "$pin" 2>&1 >/dev/null
		kill "$d"
		wait "$d"
		umount "$dir" && rmdir "$dir"
	' | head -n 1)
	expect_match "stderr" "$err" "^gops: live discovery is off: the table at /tmp/gops-bpffs\\.[^ ]*/gops cannot be read: Permission denied; listing from a /proc scan\$"
}

test_map_update_failures_are_counted_and_shown() {
	local d
	GOPS_TEST_FAIL_MAP_UPDATES=3 start_daemon d
	expect_eq "counted" "$(status_field map_update_failures)" 3
	"$GOPS" status --pin-dir "$PIN" | grep -q $'^failed:\t3 map updates$' ||
		fail "status: $("$GOPS" status --pin-dir "$PIN")"
}

# Launchers (su-exec, gosu...) are Go programs that exec the real program:
# the kernel drops the row with no exit event, and the details must go too,
# or a small table's details fill up and later updates fail.
test_go_process_that_execs_another_program_leaves_no_details() {
	local d p q launched=()
	start_daemon d --max-procs 16
	printf '#!/bin/sh\nexec sleep 600\n' >"$TMP/launched"
	chmod +x "$TMP/launched"
	for _ in $(seq 24); do
		start_fixture p "$FIX/sleeper" -exec-after 200ms -exec "$TMP/launched"
		wait_exec "$p" "$(command -v sleep)"
		launched+=("$p")
	done
	# None of the launchers has details left (other Go processes on the host may).
	details_left() {
		bpftool -j map dump pinned "$PIN/details" | /usr/bin/python3 -c '
import json, sys
keys = {int.from_bytes(bytes(int(x, 16) for x in e["key"]), "little") for e in json.load(sys.stdin)}
sys.exit(1 if keys & {int(p) for p in sys.argv[1:]} else 0)' "${launched[@]}"
	}
	wait_for 3000 details_left || fail "details of processes that exec'd something else are left"
	expect_eq "map update failures" "$(status_field map_update_failures)" 0
	cp "$FIX/sleeper" "$TMP/after-the-launchers"
	start_fixture q "$TMP/after-the-launchers"
	wait_for 2000 in_table "$q" || fail "$q not in the table"
	"$GOPS" --pin-dir "$PIN" | grep -q "^$q .* after-the-launchers " || fail "not listed: $("$GOPS" --pin-dir "$PIN")"
}

test_map_updates_do_not_fail_under_an_exec_storm() {
	local d
	start_daemon d
	"$STORM" 1000 2 "$FIX/sleeper" -exit 0 >/dev/null
	sleep 1.2
	expect_eq "map update failures" "$(status_field map_update_failures)" 0
	"$GOPS" status --pin-dir "$PIN" | grep -q $'^failed:\t0 map updates$' || fail "status: $("$GOPS" status --pin-dir "$PIN")"
}

test_row_without_details_is_listed_from_proc() {
	local d pid
	start_daemon d
	start_fixture pid "$FIX/sleeper" # the kernel now knows sleeper is Go
	kill "$pid"
	kill -STOP "$d" # rows keep coming from the kernel; details do not
	start_fixture pid "$FIX/sleeper"
	diff <("$GOPS" --pin-dir "$PIN") <("$GOPS" --scan 2>/dev/null) || fail "differs from scan"
	kill -CONT "$d"
}

test_reparented_child_shows_new_parent() {
	local d kid kids=()
	start_daemon d
	# Shells start a Go child, then exit at once: the children are reparented,
	# some before their exec is seen, some after, some while it is being seen.
	for i in $(seq 30); do
		bash -c "'$FIX/sleeper' </dev/null >/dev/null 2>&1 & echo \$! >'$TMP/kid$i'"
		kid=$(cat "$TMP/kid$i")
		kids+=("$kid")
		PIDS+=("$kid")
	done
	for kid in "${kids[@]}"; do
		wait_for 1000 in_table "$kid" || fail "child $kid not in table"
	done
	diff <("$GOPS" --pin-dir "$PIN") <("$GOPS" --scan 2>/dev/null) || fail "ppid differs"
}

# proc_ppid PID: its parent as /proc shows it.
proc_ppid() { awk '{ sub(/.*\) /, ""); print $2 }' "/proc/$1/stat"; }

# table_ppid PID: its parent as the table listing shows it.
table_ppid() { "$GOPS" --pin-dir "$PIN" | awk -v p="$1" '$1 == p { print $2 }'; }

# read_proc_of PID: whether listing from the table reads /proc/PID/stat.
read_proc_of() {
	strace -f -qq -e trace=openat -o "$TMP/strace" "$GOPS" --pin-dir "$PIN" >/dev/null
	grep -q "\"$1/stat\"" "$TMP/strace"
}

ppid_is() { [ "$(proc_ppid "$1")" == "$2" ]; }
ppid_left() { ! ppid_is "$@"; }

# A Go process handed over twice: its parent (a shell that waits until the
# child runs and has its row) exits and a subreaper takes it, then the
# subreaper exits too. Each time the table shows the new parent as
# /proc does: read from /proc at first, then, once the daemon has looked it up
# (at its next heartbeat), from the daemon's details alone.
test_reparented_twice_follows_each_new_parent() {
	local d reaper kid ppid
	start_daemon d
	/usr/bin/python3 -c '
import ctypes, signal, subprocess, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
subprocess.run(["bash", "-c", sys.argv[1]])
signal.pause()' "'$FIX/sleeper' -ready '$TMP/ready' </dev/null >/dev/null 2>&1 & echo \$! >'$TMP/kid'
		until [ -s '$TMP/ready' ]; do sleep 0.01; done; sleep 0.5" &
	reaper=$!
	PIDS+=("$reaper")
	wait_for 3000 test -s "$TMP/kid" || fail "no child started"
	kid=$(cat "$TMP/kid")
	PIDS+=("$kid")
	wait_for 1000 in_table "$kid" || fail "$kid not in table"
	wait_for 2000 ppid_is "$kid" "$reaper" || fail "$kid is not a child of $reaper"
	expect_eq "ppid after the first hand-over" "$(table_ppid "$kid")" "$reaper"
	sleep 1.5
	expect_eq "ppid once the daemon knows it" "$(table_ppid "$kid")" "$reaper"
	read_proc_of "$kid" && fail "listing still reads /proc/$kid/stat"

	kill "$reaper"
	wait_for 2000 ppid_left "$kid" "$reaper" || fail "$kid still a child of $reaper"
	ppid=$(proc_ppid "$kid")
	expect_eq "ppid after the second hand-over" "$(table_ppid "$kid")" "$ppid"
	sleep 1.5
	expect_eq "ppid once the daemon knows it again" "$(table_ppid "$kid")" "$ppid"
	read_proc_of "$kid" && fail "listing reads /proc/$kid/stat again"
	true
}

test_full_table_falls_back_to_scan_until_it_has_room() {
	local d pids=() p n room
	# Room for what already runs on this host and 16 more: 20 fill it.
	room=$(($("$GOPS" --scan 2>/dev/null | wc -l) + 16))
	start_daemon d --max-procs="$room"
	for _ in $(seq 20); do
		start_fixture p "$FIX/sleeper"
		pids+=("$p")
	done
	sleep 1.5
	"$GOPS" status --pin-dir "$PIN" | grep -q "^full:" || fail "no full line: $("$GOPS" status --pin-dir "$PIN")"
	n=$("$GOPS" --pin-dir "$PIN" | grep -c " sleeper ")
	[ "$n" -ge 20 ] || fail "listed $n of 20 with a full table"
	kill "${pids[@]}"
	wait "${pids[@]}" 2>/dev/null || true
	table_complete() { ! "$GOPS" status --pin-dir "$PIN" | grep -q "^full:"; }
	wait_for 3000 table_complete || fail "table still incomplete"
	wait_for 2000 table_matches_truth || fail "table differs from /proc once it has room"
}

test_second_daemon_on_same_pin_dir_is_refused() {
	local d rc=0 err
	start_daemon d
	err=$("$GOPS" daemon --pin-dir "$PIN" 2>&1 </dev/null) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$err" "another gops daemon already owns $PIN"
}

test_sigterm_unpins_unless_keep() {
	local d
	start_daemon d
	kill -TERM "$d"
	wait "$d" 2>/dev/null || true
	[ ! -e "$PIN" ] || fail "$PIN still there after SIGTERM"
	start_daemon d --keep
	kill -TERM "$d"
	wait "$d" 2>/dev/null || true
	[ -e "$PIN/procs" ] || fail "--keep did not keep the table"
	local rc=0
	"$GOPS" status --pin-dir "$PIN" >/dev/null 2>&1 || rc=$?
	expect_eq "status of a kept table without daemon" "$rc" 1
	rm -rf "$PIN"
}

test_watch_json_reports_exit_code_and_signal() {
	local w a b out
	"$GOPS" watch --json </dev/null >"$TMP/watch.json" 2>"$TMP/watch.err" &
	w=$!
	PIDS+=("$w")
	sleep 1.5
	"$FIX/sleeper" -exit 3 -after 200ms </dev/null >/dev/null 2>&1 || true
	start_fixture b "$FIX/sleeper"
	kill -9 "$b"
	wait "$b" 2>/dev/null || true
	sleep 0.5
	kill -INT "$w"
	wait "$w" || fail "watch exited with $?: $(cat "$TMP/watch.err")"
	/usr/bin/python3 - "$TMP/watch.json" "$b" <<'PY' || fail "bad events: $(cat "$TMP/watch.json")"
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
killed = int(sys.argv[2])
exits = [e for e in events if e["event"] == "exit"]
assert any(e.get("exit_code") == 3 for e in exits), "no exit code 3"
assert any(e["pid"] == killed and e.get("signal") == 9 for e in exits), "no signal 9"
assert any(e["event"] == "exec" and e["pid"] == killed and e["go_version"] for e in events)
PY
}

test_unprivileged_daemon_and_watch_say_why() {
	local rc=0 err
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$GOPS" daemon --pin-dir /tmp/x 2>&1) || rc=$?
	expect_eq "daemon exit" "$rc" 1
	expect_eq "daemon message" "$err" "gops: BPF needs root (CAP_BPF and CAP_PERFMON)"
	rc=0
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$GOPS" watch 2>&1) || rc=$?
	expect_eq "watch exit" "$rc" 1
}

for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
	run_test "$t"
done
summary
