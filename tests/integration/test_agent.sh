#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The runtime verbs against a Go program running our agent (agent/example),
# the protocol bytes on a raw socket, and every way a target can go wrong.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

build_demo
GOVER=$(go env GOVERSION)
NOGO_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
[ -x /usr/bin/go ] && NOGO_PATH=$TMP/nogo-bin && mkdir -p "$NOGO_PATH" &&
	for b in python3 bash cat; do ln -sf "$(command -v $b)" "$NOGO_PATH/$b"; done

# A little TCP server for the hostile cases: MODE is silent, endless or reset.
start_server() {
	local var=$1 mode=$2 _pid
	rm -f "$TMP/server.port"
	/usr/bin/python3 - "$mode" "$TMP/server.port" <<'PY' &
import socket, struct, sys, time
mode, portfile = sys.argv[1], sys.argv[2]
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(portfile + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(portfile + ".tmp", portfile)
while True:
    c, _ = s.accept()
    c.recv(1)
    if mode == "silent":
        time.sleep(60)
    elif mode == "endless":
        try:
            while True:
                c.sendall(b"x" * 65536)
        except OSError:
            pass
    elif mode == "reset":
        c.sendall(b"goroutine 1 [running]:\n")
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
PY
	_pid=$!
	PIDS+=("$_pid")
	wait_for 5000 test -s "$TMP/server.port" || fail "test server did not start"
	printf -v "$var" '%s' "$_pid"
}

test_stack_dumps_goroutines() {
	local pid out
	start_agent pid
	out=$("$GOPS" stack "$pid" 2>&1)
	grep -q "^goroutine 1 \\[" <<<"$out" || fail "no goroutine 1 in: ${out:0:300}"
	# The agent's dump starts with the goroutine that serves it, running.
	expect_match "first line" "$(head -n 1 <<<"$out")" '^goroutine [0-9]+ \[running\]:$'
}

test_version_is_the_targets_go() {
	local pid
	start_agent pid
	expect_eq "version" "$("$GOPS" version "$pid")" "$GOVER"
}

# Without an agent, version answers from the executable's build info, and says so.
test_version_without_an_agent_is_its_build_info() {
	local pid out
	start_fixture pid env GOPS_CONFIG_DIR="$TMP/empty" "$FIX/sleeper"
	out=$("$GOPS" version "$pid" 2>"$TMP/err")
	expect_eq "version" "$out" "$GOVER"
	expect_eq "stderr" "$(cat "$TMP/err")" "gops: no agent in process $pid: the Go version from its build info"
}

test_version_of_a_non_go_process_without_an_agent_fails() {
	local pid err rc=0
	sleep 30 </dev/null >/dev/null 2>&1 &
	pid=$!
	PIDS+=("$pid")
	wait_exec "$pid" "$(command -v sleep)"
	err=$("$GOPS" version "$pid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_eq "message" "$err" "gops: process $pid has no gops agent, and no Go build info: not a Go executable"
}

test_stats_shape() {
	local pid out
	start_agent pid
	out=$("$GOPS" stats "$pid" 2>&1) # an agentless answer would start with its stderr line
	expect_match "stats" "$out" $'^goroutines: [0-9]+\nOS threads: [0-9]+\nGOMAXPROCS: [0-9]+\nnum CPU: [0-9]+$'
}

test_memstats_keys_in_order() {
	local pid keys
	start_agent pid
	keys=$("$GOPS" memstats "$pid" | cut -d: -f1 | tr '\n' ' ')
	# The keys the gops agent really prints, in its order (see agent/commands.go).
	expect_eq "keys" "$keys" "alloc total-alloc sys lookups mallocs frees heap-alloc heap-sys heap-idle heap-in-use heap-released heap-objects stack-in-use stack-sys mspan-in-use mspan-sys mcache-in-use mcache-sys buck-hash-sys other-sys gc-sys next-gc last-gc gc-pause-total gc-pause gc-pause-end num-gc num-forced-gc gc-cpu-fraction enable-gc debug-gc "
}

test_gc_increases_num_gc() {
	local pid before after out
	start_agent pid
	before=$("$GOPS" memstats "$pid" | awk '/^num-gc:/ {print $2}')
	out=$("$GOPS" gc "$pid")
	expect_eq "gc output" "$out" ""
	after=$("$GOPS" memstats "$pid" | awk '/^num-gc:/ {print $2}')
	[ "$after" -gt "$before" ] || fail "num-gc $before -> $after"
}

test_setgc_reports_previous_value() {
	local pid
	start_agent pid
	"$GOPS" setgc "$pid" 50 >/dev/null
	expect_eq "setgc" "$("$GOPS" setgc "$pid" 100)" "New GC percent set to 100. Previous value was 50."
	expect_eq "off" "$("$GOPS" setgc "$pid" off)" "New GC percent set to -1. Previous value was 100."
	expect_eq "-1" "$("$GOPS" setgc "$pid" 100 >/dev/null && "$GOPS" setgc "$pid" -1)" \
		"New GC percent set to -1. Previous value was 100."
}

test_host_port_target() {
	local pid port
	start_agent pid
	port=$(cat "$TMP/cfg/$pid")
	expect_eq "version" "$("$GOPS" version "127.0.0.1:$port")" "$GOVER"
	expect_eq "localhost" "$("$GOPS" version "localhost:$port")" "$GOVER"
}

test_heap_profile_is_gzip_and_top_lists_functions() {
	local pid out file
	start_agent pid
	out=$(PATH=$NOGO_PATH "$GOPS" pprof-heap "$pid")
	file=$(sed -n 's/^Profile dump saved to: //p' <<<"$out" | head -n1)
	[ -s "$file" ] || fail "no profile file in: $out"
	/usr/bin/python3 -c 'import gzip,sys; gzip.open(sys.argv[1]).read()' "$file" || fail "not gzip"
	grep -q "flat  flat%   sum%        cum   cum%" <<<"$out" || fail "no top table: $out"
	grep -Eq "^ *[0-9.]+[kMG]?B +[0-9.]+% .*runtime\\." <<<"$out" || fail "no function rows: $out"
	rm -f "$file"
}

test_cpu_profile_while_stats_stays_responsive() {
	local pid t0 t1 out file
	start_agent pid
	"$GOPS" pprof-cpu "$pid" --top --output "$TMP/cpu.pb.gz" >"$TMP/cpu.out" 2>&1 &
	local prof=$!
	sleep 2
	t0=$(date +%s%N)
	"$GOPS" stats "$pid" >/dev/null || fail "stats failed during the CPU profile"
	t1=$(date +%s%N)
	[ $(((t1 - t0) / 1000000)) -lt 1000 ] || fail "stats took $(((t1 - t0) / 1000000)) ms"
	wait "$prof" || fail "pprof-cpu failed: $(cat "$TMP/cpu.out")"
	grep -q "^Profile dump saved to: $TMP/cpu.pb.gz\$" "$TMP/cpu.out" || fail "$(cat "$TMP/cpu.out")"
	grep -q "flat  flat%" "$TMP/cpu.out" || fail "no top table"
}

test_trace_starts_with_go_trace_header() {
	local pid out
	start_agent pid
	out=$(PATH=$NOGO_PATH "$GOPS" trace "$pid" --output "$TMP/trace.out")
	expect_eq "output" "$out" "Trace dump saved to: $TMP/trace.out"
	head -c 14 "$TMP/trace.out" | grep -q "^go 1\\.[0-9]* trace" || fail "no trace header"
}

test_trace_shows_a_countdown_on_a_terminal() {
	local pid out
	start_agent pid
	out=$(PATH=$NOGO_PATH /usr/bin/script -qc "'$GOPS' trace $pid --output '$TMP/t2'" /dev/null)
	grep -q "waiting for the agent: [0-9]s left" <<<"$out" || fail "no countdown: $out"
	out=$(PATH=$NOGO_PATH "$GOPS" trace "$pid" --output "$TMP/t3" 2>&1)
	expect_eq "no countdown off a terminal" "$out" "Trace dump saved to: $TMP/t3"
}

test_second_cpu_profile_gets_the_agents_error() {
	local pid err rc=0
	start_agent pid
	"$GOPS" pprof-cpu "$pid" --output "$TMP/c1" >/dev/null 2>&1 &
	local first=$!
	sleep 1
	err=$("$GOPS" pprof-cpu "$pid" --output "$TMP/c2" 2>&1) || rc=$?
	kill "$first" 2>/dev/null || true
	expect_eq "exit" "$rc" 1
	expect_eq "message" "$err" "gops: the agent sent no profile: cpu profiling already in use"
	[ ! -e "$TMP/c2" ] || fail "kept the error text as a profile"
}

# A "container": its own pid and network namespaces. Its agent writes port
# file "1" (its pid in there) and listens on its own loopback.
test_agent_in_its_own_pid_and_network_namespace() {
	local launcher pid out
	mkdir -p "$TMP/ctr"
	unshare --net --pid --fork sh -c "ip link set lo up && GOPS_CONFIG_DIR='$TMP/ctr' exec '$DEMO'" \
		</dev/null >/dev/null 2>&1 &
	launcher=$!
	PIDS+=("$launcher")
	wait_for 5000 test -s "$TMP/ctr/1" || fail "no port file 1 from the namespaced agent"
	pid=$(pgrep -P "$launcher" gopsdemo)
	[ -n "$pid" ] || fail "no gopsdemo under $launcher"
	PIDS+=("$pid")
	"$GOPS" --json | /usr/bin/python3 -c "
import json, sys
p = [x for x in json.load(sys.stdin) if x['pid'] == $pid][0]
assert p['nspid'] == 1 and p['agent'], p" || fail "listing: $("$GOPS" --json)"
	out=$("$GOPS" version "$pid") || fail "version through its namespace failed"
	expect_eq "version" "$out" "$GOVER"
	"$GOPS" stats "$pid" 2>&1 | head -n 1 | grep -q "^goroutines: " || fail "stats"
}

# Protocol bytes on a raw socket, as docs/ARCHITECTURE.md describes them.
test_protocol_bytes_on_raw_socket() {
	local pid port
	start_agent pid
	port=$(cat "$TMP/cfg/$pid")
	/usr/bin/python3 - "$port" <<'PY' || fail "protocol check failed"
import socket, sys
port = int(sys.argv[1])
def ask(data):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(data)
    out = b""
    while True:
        b = s.recv(65536)
        if not b:
            return out
        out += b
def varint(v):
    u = (v << 1) ^ (v >> 63) if v >= 0 else ((v << 1) ^ -1) & (2**64 - 1)
    out = bytearray()
    while u >= 0x80:
        out.append((u & 0x7f) | 0x80); u >>= 7
    out.append(u)
    return bytes(out)
assert ask(b"\x10" + varint(300)).startswith(b"New GC percent set to 300."), "setgc 300"
assert ask(b"\x10" + varint(-1)) == b"New GC percent set to -1. Previous value was 300.\n", "setgc off"
assert ask(b"\x10" + varint(100)).startswith(b"New GC percent set to 100. Previous value was -1."), "setgc 100"
assert ask(b"\x7f") == b"", "unknown byte"
assert ask(b"\x02") == b"ok", "gc"
assert ask(b"\x04").startswith(b"go1."), "version"
PY
}

test_no_port_file_says_where_it_looked() {
	local pid err rc=0
	start_fixture pid env GOPS_CONFIG_DIR="$TMP/empty" "$FIX/sleeper"
	err=$("$GOPS" gc "$pid" 2>&1) || rc=$? # gc: a verb with no agentless answer
	expect_eq "exit" "$rc" 1
	expect_match "message" "$err" "^gops: no gops agent port file for process $pid \\(looked in .*$TMP/empty/$pid.*\\): the program needs a gops agent$"
}

# port_file_case CONTENT-WRITER EXPECTED-MESSAGE-REGEX
port_file_case() {
	local pid err rc=0
	mkdir -p "$TMP/pf"
	start_fixture pid env GOPS_CONFIG_DIR="$TMP/pf" "$FIX/sleeper"
	rm -f "$TMP/pf/$pid"
	"$1" "$TMP/pf/$pid"
	err=$(timeout 10 "$GOPS" stats "$pid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$err" "$2"
}
pf_garbage() { printf 'hello' >"$1"; }
pf_range() { printf '70000' >"$1"; }
pf_huge() { head -c 1000000 /dev/zero | tr '\0' 7 >"$1"; }
pf_symlink() { ln -s /dev/zero "$1"; }
pf_foreign() { cat "$TMP/server.port" >"$1"; }

test_port_file_with_garbage() { port_file_case pf_garbage "does not hold a port number"; }
test_port_file_out_of_range() { port_file_case pf_range "does not hold a port number"; }
test_port_file_huge() { port_file_case pf_huge "is 1000000 bytes: not a gops port file"; }
test_port_file_symlink_to_dev_zero() { port_file_case pf_symlink "is a symlink: refusing it"; }
test_port_file_pointing_at_another_process() {
	local srv
	start_server srv silent
	port_file_case pf_foreign "is not a listening socket of process [0-9]+: stale or forged"
}

test_server_that_never_replies_times_out() {
	local srv err rc=0 t0 t1
	start_server srv silent
	t0=$(date +%s)
	err=$("$GOPS" stack "127.0.0.1:$(cat "$TMP/server.port")" --timeout 1s 2>&1) || rc=$?
	t1=$(date +%s)
	expect_eq "exit" "$rc" 1
	expect_match "message" "$err" "^gops: no complete reply from 127.0.0.1:[0-9]+ within 1.0s"
	[ $((t1 - t0)) -le 3 ] || fail "took $((t1 - t0)) s"
}

test_server_sending_endless_bytes_is_cut_off() {
	local srv err rc=0
	start_server srv endless
	err=$("$GOPS" version "127.0.0.1:$(cat "$TMP/server.port")" 2>&1 >/dev/null) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$err" "sent more than [0-9]+ bytes: giving up"
}

test_agent_dying_mid_reply_is_an_error() {
	local srv err rc=0
	start_server srv reset
	err=$("$GOPS" stack "127.0.0.1:$(cat "$TMP/server.port")" 2>&1 >/dev/null) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$err" "closed the connection mid-reply"
}

test_connection_refused_names_the_stale_port_file() {
	local err rc=0
	err=$("$GOPS" stats 127.0.0.1:1 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$err" "^gops: connection refused by 127.0.0.1:1: no agent listens there$"
}

test_pid_that_exited() {
	local pid err rc=0
	start_agent pid
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	err=$("$GOPS" stats "$pid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_eq "message" "$err" "gops: process $pid not found"
}

test_bad_setgc_argument_is_usage_error() {
	local rc=0
	"$GOPS" setgc 1 lots >/dev/null 2>&1 || rc=$?
	expect_eq "exit" "$rc" 2
}

for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
	run_test "$t"
done
summary
