#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# stats and memstats read from a Go process's memory, no agent asked: the
# rtfacts fixture (default, PIE, cgo and stripped builds) runs our agent, so
# every agentless answer is checked against the agent's own, after the test
# changed the facts (100 more goroutines, then none; three forced GCs).
# Also: the real Go programs of other releases (npm), and the hostile cases.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

NPM=$FIX/npm

# field KEY TEXT: the value of the "KEY: value" line.
field() { sed -n "s/^$1: //p" <<<"$2"; }
# bytes_of "1.50MB (1572864 bytes)": the exact count.
bytes_of() { sed -nE 's/.*\(([0-9]+) bytes\)$/\1/p; s/^([0-9]+) bytes$/\1/p' <<<"$1"; }

# same_stats PID: agentless stats equal the agent's: goroutines within 1 (the
# agent's own connection handler), the rest exactly.
same_stats() {
	local pid=$1 agent mem g1 g2
	agent=$("$GOPS" stats "$pid")
	mem=$("$GOPS" stats --no-agent "$pid" 2>"$TMP/err")
	grep -q "read from process $pid's memory" "$TMP/err" || fail "stderr: $(cat "$TMP/err")"
	g1=$(field goroutines "$agent")
	g2=$(field goroutines "$mem")
	[ -n "$g2" ] && [ $((g1 - g2)) -le 1 ] && [ $((g2 - g1)) -le 1 ] ||
		fail "goroutines: agent $g1, memory '$g2' (${mem:0:200})"
	expect_eq "GOMAXPROCS" "$(field GOMAXPROCS "$mem")" 3
	expect_eq "num CPU" "$(field 'num CPU' "$mem")" "$(field 'num CPU' "$agent")"
	STATS_GOROUTINES=$g2
}

# check_build BIN: the facts of the issue, on one build.
check_build() {
	local pid before after agent mem a b
	start_rtfacts pid "$1"
	same_stats "$pid"
	before=$STATS_GOROUTINES
	cmd spawn 100
	same_stats "$pid"
	after=$STATS_GOROUTINES
	[ $((after - before)) -eq 100 ] || fail "100 more goroutines: $before, then $after"
	cmd release
	same_stats "$pid"
	expect_eq "goroutines after release" "$STATS_GOROUTINES" "$before"
	cmd alloc 32
	cmd gc
	cmd gc
	cmd gc
	agent=$("$GOPS" memstats "$pid")
	mem=$("$GOPS" memstats --no-agent "$pid" 2>"$TMP/err")
	expect_eq "num-gc" "$(field num-gc "$mem")" "$(field num-gc "$agent")"
	expect_eq "num-forced-gc" "$(field num-forced-gc "$mem")" "$(field num-forced-gc "$agent")"
	if [ "$1" == rtfacts-stripped ] && grep -q "left out.*heap-in-use" "$TMP/err"; then
		return 0 # the table of releases has no heap fields: said so
	fi
	a=$(bytes_of "$(field heap-in-use "$agent")")
	b=$(bytes_of "$(field heap-in-use "$mem")")
	[ -n "$b" ] && [ $((a - b < 0 ? b - a : a - b)) -le $((a / 10)) ] ||
		fail "heap-in-use: agent $a, memory '$b'"
	# Every key the agentless read printed is one the agent printed, in its order.
	expect_eq "keys" "$(sed 's/:.*//' <<<"$mem" | tr '\n' ' ')" \
		"$(sed 's/:.*//' <<<"$agent" | grep -xF -f <(sed 's/:.*//' <<<"$mem") | tr '\n' ' ')"
	# Unharmed: the agent answers afterwards.
	"$GOPS" stats "$pid" >/dev/null || fail "the agent no longer answers"
}

test_agentless_matches_agent_default() { check_build rtfacts; }
test_agentless_matches_agent_pie() { check_build rtfacts-pie; }
test_agentless_matches_agent_cgo() { check_build rtfacts-cgo; }
test_agentless_matches_agent_stripped() { check_build rtfacts-stripped; }

test_agentless_is_the_fallback_without_agent() {
	local pid out
	start_rtfacts pid rtfacts -- -agent=false
	out=$("$GOPS" stats "$pid" 2>"$TMP/err")
	grep -q "^gops: no agent in process $pid: read from its memory" "$TMP/err" ||
		fail "stderr: $(cat "$TMP/err")"
	expect_eq "GOMAXPROCS" "$(field GOMAXPROCS "$out")" 3
	expect_match "goroutines" "$(field goroutines "$out")" '^[0-9]+$'
	"$GOPS" memstats "$pid" >"$TMP/ms" 2>"$TMP/err" || fail "memstats: $(cat "$TMP/err")"
	grep -q "^num-gc: [0-9]" "$TMP/ms" || fail "no num-gc in: $(head -c 300 "$TMP/ms")"
}

test_agentless_json_adds_gogc_and_gomemlimit() {
	local pid out
	start_rtfacts pid rtfacts GOGC=50 GOMEMLIMIT=1GiB -- -agent=false
	out=$("$GOPS" stats --json "$pid" 2>/dev/null)
	is_json <<<"$out" || fail "not JSON: $out"
	expect_match "json" "$out" '"gomaxprocs":3,'
	expect_match "json" "$out" '"gogc":50,'
	expect_match "json" "$out" '"gomemlimit":1073741824\}'
	start_rtfacts pid rtfacts GOGC=off -- -agent=false
	expect_match "GOGC=off" "$("$GOPS" stats --json "$pid" 2>/dev/null)" '"gogc":"off"'
}

test_agentless_json_of_an_agent() {
	local pid out
	start_rtfacts pid rtfacts
	out=$("$GOPS" stats --json "$pid")
	is_json <<<"$out" || fail "not JSON: $out"
	expect_match "json" "$out" '^\{"goroutines":[0-9]+,"os_threads":[0-9]+,"gomaxprocs":3,"num_cpu":[0-9]+\}$'
}

# The target is never stopped or signalled: its state while 50 reads run is
# never t (traced) or T (stopped), and it gets no signal (SigQ, ShdPnd, SigPnd).
test_agentless_leaves_the_target_running() {
	local pid states
	start_rtfacts pid rtfacts-stripped -- -agent=false
	(for _ in $(seq 50); do "$GOPS" stats --no-agent "$pid" >/dev/null 2>&1; done) &
	local reader=$!
	states=""
	while kill -0 "$reader" 2>/dev/null; do
		states+=$(awk '{ print $3 }' "/proc/$pid/stat")
	done
	wait "$reader"
	[[ "$states" != *[tT]* ]] || fail "the target was stopped: states $states"
	expect_eq "pending signals" "$(awk '/^ShdPnd|^SigPnd/ { print $2 }' "/proc/$pid/status" | sort -u)" 0000000000000000
	expect_eq "TracerPid" "$(awk '/^TracerPid/ { print $2 }' "/proc/$pid/status")" 0
	cmd pid # still answers
}

test_agentless_non_go_process_is_a_clear_error() {
	local out rc=0
	sleep 30 &
	PIDS+=($!)
	out=$("$GOPS" stats --no-agent $! 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$out" "^gops: cannot read process $! without an agent: process $! is not a Go program"
	expect_eq "lines" "$(wc -l <<<"$out")" 1
}

test_agentless_vanished_pid_is_a_clear_error() {
	local out rc=0 pid
	sleep 0.01 &
	pid=$!
	wait "$pid"
	out=$("$GOPS" stats --no-agent "$pid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$out" "no process $pid"
}

# A process that exits while it is read: each run either answers or says one line.
test_agentless_process_exiting_mid_read() { reads_of_exiting_processes stats; }

# A copy whose symbol for runtime.allglen points outside every mapping.
test_agentless_symbol_outside_mappings() {
	local pid out rc=0
	cp "$FIX/rtfacts" "$TMP/badsym"
	/usr/bin/python3 - "$TMP/badsym" runtime.allglen <<'PY'
import struct, sys
path, name = sys.argv[1], sys.argv[2].encode()
b = bytearray(open(path, "rb").read())
shoff, = struct.unpack_from("<Q", b, 0x28)
shentsize, shnum = struct.unpack_from("<HH", b, 0x3a)
secs = [struct.unpack_from("<IIQQQQIIQQ", b, shoff + i * shentsize) for i in range(shnum)]
for s in secs:
    if s[1] == 2:  # SHT_SYMTAB
        strtab = secs[s[6]]
        for off in range(s[4], s[4] + s[5], 24):
            n, = struct.unpack_from("<I", b, off)
            end = b.index(b"\0", strtab[4] + n)
            if bytes(b[strtab[4] + n:end]) == name:
                struct.pack_into("<Q", b, off + 8, 0x7ff000000000)
open(path, "wb").write(b)
PY
	start_rtfacts pid "$TMP/badsym" -- -agent=false
	out=$("$GOPS" stats --no-agent "$pid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$out" "runtime.allglen at 0x7ff000000000 is outside process $pid's mappings"
}

# A copy whose DWARF is garbage: the table of releases answers, or one clear line.
test_agentless_mangled_dwarf() {
	local pid out rc=0
	cp "$FIX/rtfacts" "$TMP/baddwarf"
	/usr/bin/python3 - "$TMP/baddwarf" <<'PY'
import struct, sys
path = sys.argv[1]
b = bytearray(open(path, "rb").read())
shoff, = struct.unpack_from("<Q", b, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", b, 0x3a)
secs = [struct.unpack_from("<IIQQQQIIQQ", b, shoff + i * shentsize) for i in range(shnum)]
names = secs[shstrndx]
for s in secs:
    end = b.index(b"\0", names[4] + s[0])
    if bytes(b[names[4] + s[0]:end]) in (b".debug_info", b".zdebug_info"):
        for i in range(s[4] + 24, s[4] + s[5]):  # after the compression header
            b[i] = (i * 131) & 0xff
open(path, "wb").write(b)
PY
	start_rtfacts pid "$TMP/baddwarf" -- -agent=false
	out=$("$GOPS" stats --no-agent "$pid" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		expect_match "source" "$out" "layout from table: go1"
		expect_match "goroutines" "$out" "goroutines: [0-9]+"
	else
		expect_eq "exit" "$rc" 1
		expect_eq "lines" "$(wc -l <<<"$out")" 1
	fi
}

test_agentless_needs_ptrace_access() {
	local pid out rc=0
	start_rtfacts pid rtfacts -- -agent=false
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$GOPS" stats --no-agent "$pid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$out" "needs root or CAP_SYS_PTRACE"
}

# Real programs of other Go releases (stripped, as released): GOMAXPROCS read
# back exactly where the release is one we know (1.17 and later), one clear
# line for the older ones.
# stats_of_npm NAME PID: GOMAXPROCS as set, or one line saying why not.
stats_of_npm() {
	local out rc=0
	out=$("$GOPS" stats --no-agent "$2" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		expect_match "$1" "$out" $'\nGOMAXPROCS: 3\n'
		checked=$((checked + 1))
	else
		expect_eq "$1: lines" "$(wc -l <<<"$out")" 1
		expect_match "$1" "$out" "^gops: cannot read process $2 without an agent: .*\(known: .*threads \(/proc\)\)$"
	fi
	echo "  $1: $(head -1 <<<"$out")"
}

test_agentless_npm_binaries_of_other_go_releases() {
	local checked=0
	each_waiting_npm_binary stats_of_npm
	[ "$checked" -ge 9 ] || fail "only $checked npm binaries read"
}

# A stripped binary of a release the table has no row for (buildifier 2.2.1,
# go1.13.6, released -s -w): one line naming the release, and what is known.
test_agentless_go_release_without_a_table_row() {
	local bin=$NPM/buildifier-2.2.1 pid out rc=0
	[ -x "$bin" ] || fail "no $bin (tests/fixtures/npm.sh)"
	mkfifo "$TMP/in.old"
	"$bin" <"$TMP/in.old" >/dev/null 2>&1 &
	pid=$!
	PIDS+=("$pid")
	exec 8>"$TMP/in.old"
	sleep 0.3
	out=$("$GOPS" stats "$pid" 2>&1) || rc=$?
	exec 8>&-
	expect_eq "exit" "$rc" 1
	expect_eq "lines" "$(wc -l <<<"$out")" 1
	expect_match "message" "$out" "go1\.13\.6 has no row in the table of runtime layouts \(Go 1\.17 to 1\.[0-9]+\), and the executable has no DWARF .*\(known: go1\.13\.6, [0-9]+ threads \(/proc\)\)$"
}

# The layout read from DWARF is kept: the second read says so, and answers the same.
test_agentless_layout_cache() {
	local pid a b
	start_rtfacts pid rtfacts -- -agent=false
	a=$("$GOPS" stats --no-agent "$pid" 2>"$TMP/err1")
	b=$("$GOPS" stats --no-agent "$pid" 2>"$TMP/err2")
	expect_match "first" "$(cat "$TMP/err1")" "layout from DWARF\)$"
	expect_match "second" "$(cat "$TMP/err2")" "layout from DWARF \(cached\)\)$"
	expect_eq "same GOMAXPROCS" "$(field GOMAXPROCS "$b")" "$(field GOMAXPROCS "$a")"
	# Off: DWARF again, nothing written.
	rm -rf "$GOPS_CACHE_DIR"
	GOPS_CACHE_DIR=off "$GOPS" stats --no-agent "$pid" 2>"$TMP/err3" >/dev/null
	expect_match "off" "$(cat "$TMP/err3")" "layout from DWARF\)$"
	[ ! -e "$GOPS_CACHE_DIR" ] || fail "GOPS_CACHE_DIR=off wrote $GOPS_CACHE_DIR"
}

run_test test_agentless_layout_cache
run_test test_agentless_matches_agent_default
run_test test_agentless_matches_agent_pie
run_test test_agentless_matches_agent_cgo
run_test test_agentless_matches_agent_stripped
run_test test_agentless_is_the_fallback_without_agent
run_test test_agentless_json_adds_gogc_and_gomemlimit
run_test test_agentless_json_of_an_agent
run_test test_agentless_leaves_the_target_running
run_test test_agentless_non_go_process_is_a_clear_error
run_test test_agentless_vanished_pid_is_a_clear_error
run_test test_agentless_process_exiting_mid_read
run_test test_agentless_symbol_outside_mappings
run_test test_agentless_mangled_dwarf
run_test test_agentless_needs_ptrace_access
run_test test_agentless_go_release_without_a_table_row
run_test test_agentless_npm_binaries_of_other_go_releases
summary
