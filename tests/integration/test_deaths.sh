#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Why a Go process died, as `gops watch` and `gops deaths` tell it: the
# panic or fatal error (first line and top frames, from the crash text the
# kernel kept), the OOM kill, the signal and who sent it (another process, or
# the kernel), or the exit code.
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

# crash MODE [ARGS...]: runs the crasher fixture (its stderr to $TMP/MODE.err); sets CRASHED to its pid.
crash() {
	local mode=$1
	shift
	"$FIX/crasher" "$@" "$mode" </dev/null >/dev/null 2>"$TMP/$mode.err" &
	CRASHED=$!
	wait "$CRASHED" 2>/dev/null || true
}

# frame_of PID N FIELD: a field of the Nth frame of PID's exit.
frame_of() {
	/usr/bin/python3 - "$TMP/watch.json" "$1" "$2" "$3" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["event"] == "exit" and e["pid"] == int(sys.argv[2]):
        f = e.get("frames") or []
        n = int(sys.argv[3])
        print(f[n][sys.argv[4]] if n < len(f) else "")
PY
}

test_deaths_panics_and_fatal_errors_carry_their_message_and_frames() {
	local p_index p_nilmap p_boom p_map p_fake
	start_watch
	crash index && p_index=$CRASHED
	crash nilmap && p_nilmap=$CRASHED
	crash boom && p_boom=$CRASHED
	crash mapwrite && p_map=$CRASHED
	crash fake && p_fake=$CRASHED
	stop_watch
	expect_eq "index cause" "$(exit_of "$p_index" cause)" panic
	expect_eq "index message" "$(exit_of "$p_index" message)" \
		"panic: runtime error: index out of range [5] with length 3"
	expect_eq "index top frame" "$(frame_of "$p_index" 0 func)" main.indexPanic
	expect_match "index top file" "$(frame_of "$p_index" 0 file)" "/crasher/main.go$"
	expect_match "index top line" "$(frame_of "$p_index" 0 line)" "^[1-9][0-9]*$"
	expect_eq "index next frame" "$(frame_of "$p_index" 1 func)" main.main
	expect_eq "index code" "$(exit_of "$p_index" exit_code)" 2
	expect_eq "nilmap message" "$(exit_of "$p_nilmap" message)" \
		"panic: assignment to entry in nil map"
	expect_eq "nilmap top frame" "$(frame_of "$p_nilmap" 0 func)" main.nilMapWrite
	# Other lines on stderr before the panic are not its message.
	expect_eq "boom message" "$(exit_of "$p_boom" message)" "panic: boom"
	expect_eq "boom top frame" "$(frame_of "$p_boom" 0 func)" main.boom
	grep -q "^starting up" "$TMP/boom.err" || fail "boom did not print its other lines"
	expect_eq "map cause" "$(exit_of "$p_map" cause)" fatal
	expect_eq "map message" "$(exit_of "$p_map" message)" "fatal error: concurrent map writes"
	expect_eq "map top frame" "$(frame_of "$p_map" 0 func)" main.mapWrites.func1
	# A line the runtime printed that only looked like a panic: the real one wins.
	expect_eq "fake message" "$(exit_of "$p_fake" message)" "panic: boom"
	expect_eq "fake top frame" "$(frame_of "$p_fake" 0 func)" main.boom
}

test_deaths_silent_exit_2_and_a_clean_exit_after_stderr_are_exits() {
	local p_exit2 p_zero
	start_watch
	crash exit2 && p_exit2=$CRASHED
	crash stderr0 && p_zero=$CRASHED
	stop_watch
	expect_eq "exit2 cause" "$(exit_of "$p_exit2" cause)" exit
	expect_eq "exit2 code" "$(exit_of "$p_exit2" exit_code)" 2
	expect_eq "exit2 message" "$(exit_of "$p_exit2" message)" null
	expect_eq "stderr0 cause" "$(exit_of "$p_zero" cause)" exit
	expect_eq "stderr0 code" "$(exit_of "$p_zero" exit_code)" 0
	expect_eq "stderr0 message" "$(exit_of "$p_zero" message)" null
}

# The text line: the message in place of the code; -v adds the frames.
test_deaths_text_line_says_the_panic_and_v_the_frames() {
	local line
	"$GOPS" watch -v </dev/null >"$TMP/watch.txt" 2>/dev/null &
	WATCH=$!
	PIDS+=("$WATCH")
	sleep 1.5
	crash index
	stop_watch
	line=$(grep -A2 "^[0-9:.]* *exit  *$CRASHED " "$TMP/watch.txt")
	expect_match "text" "$(head -1 <<<"$line")" \
		"crasher +go1[.0-9]+ +panic: runtime error: index out of range \\[5\\] with length 3, lived [0-9.]+s$"
	expect_match "first frame" "$(sed -n 2p <<<"$line")" $'^\tmain.indexPanic /.*/crasher/main.go:[0-9]+$'
	expect_match "second frame" "$(sed -n 3p <<<"$line")" $'^\tmain.main /'
}

# cgroup_with_limit BYTES: a memory cgroup (v2, or v1's memory controller)
# limited to BYTES, without swap; its path in CGROUP, removed at the end.
cgroup_with_limit() {
	local root
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		root=/sys/fs/cgroup
		grep -qw memory "$root/cgroup.subtree_control" ||
			echo +memory >"$root/cgroup.subtree_control" || fail "cannot enable the memory controller"
		CGROUP=$root/gops-test-oom-$BASHPID
		mkdir "$CGROUP" || return 1
		echo "$1" >"$CGROUP/memory.max"
		[ -f "$CGROUP/memory.swap.max" ] && echo 0 >"$CGROUP/memory.swap.max"
	else
		root=/sys/fs/cgroup/memory
		[ -d "$root" ] || fail "no memory cgroup controller here"
		CGROUP=$root/gops-test-oom-$BASHPID
		mkdir "$CGROUP" || return 1
		echo "$1" >"$CGROUP/memory.limit_in_bytes"
		[ -f "$CGROUP/memory.memsw.limit_in_bytes" ] && echo "$1" >"$CGROUP/memory.memsw.limit_in_bytes"
	fi
	STOP_LAST+=(remove_cgroup)
}

remove_cgroup() { [ -n "${CGROUP:-}" ] && rmdir "$CGROUP" 2>/dev/null || true; }

test_deaths_oom_kill_in_a_memory_cgroup_says_the_limit() {
	local dpid pid limit=$((64 << 20)) rss
	cgroup_with_limit "$limit" || return 1
	start_daemon dpid
	start_watch
	sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" -after 1ms oom' sh "$CGROUP" "$FIX/crasher" \
		</dev/null >/dev/null 2>&1 &
	pid=$!
	wait "$pid" 2>/dev/null || true
	stop_watch
	expect_eq "cause" "$(exit_of "$pid" cause)" oom
	expect_eq "signal" "$(exit_of "$pid" signal)" 9
	expect_eq "from the kernel" "$(exit_of "$pid" signal_from_kernel)" true
	expect_eq "limit" "$(exit_of "$pid" oom | python3 -c 'import json,sys; print(json.load(sys.stdin)["memcg_limit_bytes"])')" "$limit"
	rss=$(exit_of "$pid" oom | python3 -c 'import json,sys; print(json.load(sys.stdin)["rss_bytes"])')
	[ "$rss" -gt $((limit / 2)) ] && [ "$rss" -le $((limit + (8 << 20))) ] ||
		fail "rss $rss is not near the $limit limit"
	expect_match "deaths" "$("$GOPS" deaths --pin-dir "$PIN" | grep " $pid ")" \
		"crasher +- +oom +oom-kill, rss [0-9.]+ MiB, memory cgroup limit 64.0 MiB, lived [0-9.]+s$"
}

# A flood on stderr, binary garbage and unterminated lines in the panic: the
# crash text stays bounded, every event one line, the message escaped.
test_deaths_flood_and_garbage_stay_bounded_and_escaped() {
	local pid line msg
	start_watch
	crash flood && pid=$CRASHED
	stop_watch
	[ "$(wc -c <"$TMP/flood.err")" -gt 20000000 ] || fail "the flood was small: $(wc -c <"$TMP/flood.err")"
	expect_eq "cause" "$(exit_of "$pid" cause)" panic
	msg=$(exit_of "$pid" message)
	expect_match "message" "$msg" "^panic: "
	[ "${#msg}" -le 256 ] || fail "message of ${#msg} characters"
	# Every line of the JSON stream parsed (exit_of would have failed), and the text is one line.
	"$GOPS" watch </dev/null >"$TMP/watch.txt" 2>/dev/null &
	WATCH=$!
	PIDS+=("$WATCH")
	sleep 1.5
	crash flood && pid=$CRASHED
	stop_watch
	line=$(grep -a "^[0-9:.]* *exit  *$pid " "$TMP/watch.txt")
	expect_match "text" "$line" "panic: .*, lived [0-9.]+s$"
	expect_eq "one line per event" "$(grep -ac . "$TMP/watch.txt")" "$(grep -ac '^[0-9:.]* *\(exec\|exit\) ' "$TMP/watch.txt" | awk '{print $1 + 1}')"
	LC_ALL=C grep -aq $'[\x01-\x08\x0b-\x1f\x7f]' "$TMP/watch.txt" && fail "a control byte in the text"
	true
}

test_deaths_lists_them_newest_first_and_a_restart_keeps_what_was_pinned() {
	local dpid p_index p_map p_exit2 p_zero p_kill p_segv want got
	start_daemon dpid --keep
	sleep 0.5
	crash index && p_index=$CRASHED
	crash mapwrite -after 1ms && p_map=$CRASHED
	crash exit2 && p_exit2=$CRASHED
	crash stderr0 && p_zero=$CRASHED
	start_fixture p_kill "$FIX/sleeper"
	kill -KILL "$p_kill"
	wait "$p_kill" 2>/dev/null || true
	(
		ulimit -c 0
		exec "$FIX/cgo" -segv </dev/null >/dev/null 2>&1
	) &
	p_segv=$!
	wait "$p_segv" 2>/dev/null || true
	sleep 0.5
	"$GOPS" deaths --pin-dir "$PIN" --json >"$TMP/deaths.json" || fail "gops deaths failed"
	got=$(python3 -c 'import json,sys; print(" ".join("%d:%s" % (d["pid"], d["cause"]) for d in json.load(open(sys.argv[1]))))' "$TMP/deaths.json")
	want="$p_segv:signal $p_kill:signal $p_exit2:exit $p_map:fatal $p_index:panic"
	# Other Go programs on the host may die meanwhile: ours in this order, none missing.
	expect_eq "ours, newest first" "$(tr ' ' '\n' <<<"$got" | grep -E "^($p_segv|$p_kill|$p_exit2|$p_map|$p_index):" | xargs)" "$want"
	[[ " $got " == *" $p_zero:"* ]] && fail "a clean exit is listed: $got"
	"$GOPS" deaths --pin-dir "$PIN" >"$TMP/deaths.txt"
	expect_match "text header" "$(head -1 "$TMP/deaths.txt")" "^TIME +PID +NAME +CONTAINER +CAUSE +HOW$"
	expect_match "text panic" "$(grep " $p_index " "$TMP/deaths.txt")" \
		"crasher +- +panic +panic: runtime error: index out of range \\[5\\] with length 3, lived"
	expect_match "text kill" "$(grep " $p_kill " "$TMP/deaths.txt")" "signal 9 \\(KILL\\) from pid [0-9]+ "
	"$GOPS" deaths --pin-dir "$PIN" -v | grep -A1 " $p_index " | tail -1 | grep -q $'^\tmain.indexPanic ' ||
		fail "-v shows no frame: $("$GOPS" deaths --pin-dir "$PIN" -v)"
	# Killed, its pins stay: a new daemon carries them over, and adds after them.
	kill -KILL "$dpid"
	wait "$dpid" 2>/dev/null || true
	start_daemon_at dpid "$PIN"
	"$GOPS" deaths --pin-dir "$PIN" --json >"$TMP/deaths2.json" || fail "gops deaths failed after the restart"
	cmp -s "$TMP/deaths.json" "$TMP/deaths2.json" || fail "the restart changed the deaths: $(diff "$TMP/deaths.json" "$TMP/deaths2.json")"
	crash exit2
	sleep 0.3
	got=$("$GOPS" deaths --pin-dir "$PIN" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0]["pid"], len(d))')
	expect_eq "newest after the restart" "${got% *}" "$CRASHED"
	# Stopped cleanly (no --keep), the pins go: the next daemon starts empty.
	kill -TERM "$dpid"
	wait "$dpid" 2>/dev/null || true
	start_daemon_at dpid "$PIN"
	expect_eq "after a clean stop" "$("$GOPS" deaths --pin-dir "$PIN" --json)" "[]"
}

test_deaths_without_a_daemon_says_so() {
	local out rc=0
	out=$("$GOPS" deaths --pin-dir /sys/fs/bpf/gops-test-none-$$ 2>&1) || rc=$?
	expect_eq "exit status" "$rc" 1
	expect_match "message" "$out" "^gops deaths: no gops daemon keeps deaths at /sys/fs/bpf/gops-test-none-[0-9]+: start .gops daemon.$"
}

test_deaths_exits_total_has_a_cause() {
	local dpid name=cz$$ out
	cp "$FIX/crasher" "$TMP/$name"
	PORT=$(free_port)
	start_daemon dpid --metrics "127.0.0.1:$PORT" --metrics-interval 1
	sleep 0.5
	"$TMP/$name" index </dev/null >/dev/null 2>&1 || true
	"$TMP/$name" exit2 </dev/null >/dev/null 2>&1 || true
	wait_for 5000 bash -c "$(declare -f get); get http://127.0.0.1:$PORT/metrics | grep -q 'name=\"$name\",code=\"2\",cause=\"panic\"} 1'" ||
		fail "no panic exit: $(get "http://127.0.0.1:$PORT/metrics" | grep exits_total)"
	out=$(get "http://127.0.0.1:$PORT/metrics" | grep "exits_total{name=\"$name\"")
	expect_match "exit" "$out" "code=\"2\",cause=\"exit\"} 1"
}

# Real Go programs of other releases (Go 1.13 to 1.27, both of gwrite's
# ABIs): SIGQUIT makes the runtime print "SIGQUIT: quit" and the goroutines,
# then exit 2: a fatal error whose text the probe kept.
quit_npm() {
	kill -QUIT "$2"
	wait "$2" 2>/dev/null || true
	QUIT+=("$1:$2")
}

test_deaths_crash_text_of_other_go_releases() {
	local QUIT=() e name pid n=0
	start_watch
	each_waiting_npm_binary quit_npm
	stop_watch
	[ ${#QUIT[@]} -ge 8 ] || fail "only ${#QUIT[@]} npm binaries waited"
	for e in "${QUIT[@]}"; do
		name=${e%%:*} pid=${e##*:}
		if [ -z "$(exit_of "$pid" event)" ] && [ -z "$(exit_of "$pid" pid)" ]; then
			# No build info (Go 1.12 and earlier, or written without): not a Go process to gops.
			echo "  $name: no exit event (gops does not take it for Go: $(go version "$FIX/npm/$name" 2>&1 | head -c 80))"
			continue
		fi
		echo "  $name: $(exit_of "$pid" go_version), $(exit_of "$pid" cause): $(exit_of "$pid" message) ($(frame_of "$pid" 0 func))"
		if [[ $(exit_of "$pid" go_version) =~ ^go1\.(1[0-5]|[0-9])(\.|$) ]] &&
			! readelf -S "$FIX/npm/$name" | grep -q '\.symtab'; then
			# Before Go 1.16 the probe's place comes from the symbol table: stripped, none.
			expect_eq "$name cause (stripped, before Go 1.16)" "$(exit_of "$pid" cause)" exit || n=$((n + 1))
			continue
		fi
		expect_eq "$name cause" "$(exit_of "$pid" cause)" fatal || n=$((n + 1))
		expect_eq "$name message" "$(exit_of "$pid" message)" "SIGQUIT: quit" || n=$((n + 1))
		[ -n "$(frame_of "$pid" 0 func)" ] || { fail "$name: no frame" || n=$((n + 1)); }
	done
	[ "$n" -eq 0 ]
}

run_test test_deaths_kill_9_names_the_sending_shell
run_test test_deaths_segfault_in_cgo_is_the_kernels
run_test test_deaths_exit_code_has_no_sender
run_test test_deaths_panics_and_fatal_errors_carry_their_message_and_frames
run_test test_deaths_silent_exit_2_and_a_clean_exit_after_stderr_are_exits
run_test test_deaths_text_line_says_the_panic_and_v_the_frames
run_test test_deaths_oom_kill_in_a_memory_cgroup_says_the_limit
run_test test_deaths_flood_and_garbage_stay_bounded_and_escaped
run_test test_deaths_lists_them_newest_first_and_a_restart_keeps_what_was_pinned
run_test test_deaths_without_a_daemon_says_so
run_test test_deaths_exits_total_has_a_cause
run_test test_deaths_crash_text_of_other_go_releases
summary
