#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hostile names cannot forge output: Go programs whose file name or directory
# holds an escape sequence, a newline with a fake row after it, a tab or
# invalid UTF-8. Text output shows them escaped, one line per process, and
# --json carries the exact bytes.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

GOVER=$(head -n1 "$FIX/sleeper.gov" | sed 's/.*: //')
ESC=$'\e'

# The directory forges a row too: a path holds '/', a file name cannot.
HDIR=$TMP/$'d\e[1m\n9 9 forged * go1.0 '
EDIR=$(realpath "$TMP")/'d\x1b[1m\n9 9 forged * go1.0 '
# Each fixture: its file name, the file name as text output shows it, and the
# process name as text output shows it. Names of 15 bytes or more are their
# argv[0]'s base name (the kernel keeps 15 bytes of a comm), as gops does.
KINDS=(esc long newline tab utf8 bslash)
declare -A RAW=(
	[esc]=$'\e[31mred'
	[long]=$'\e[31mred-sleeper-long-name'
	[newline]=$'x\n1 1 forged * go1.0 x'
	[tab]=$'tab\tname'
	[utf8]=$'\xff\xfe'
	[bslash]='back\slash'
)
declare -A SHOWN=(
	[esc]='\x1b[31mred'
	[long]='\x1b[31mred-sleeper-long-name'
	[newline]='x\n1 1 forged * go1.0 x'
	[tab]='tab\tname'
	[utf8]='\xff\xfe'
	[bslash]='back\slash'
)
# Names show a backslash as \\, as the kernel writes a comm (paths do not).
declare -A NAME=(
	[esc]='\x1b[31mred'
	[long]='\x1b[31mred-sleeper-long-name'
	[newline]='x\n1 1 forged * go1.0 x'
	[tab]='tab\tname'
	[utf8]='\xff\xfe'
	[bslash]='back\\slash'
)
mkdir "$HDIR"
for k in "${KINDS[@]}"; do
	cp "$FIX/sleeper" "$HDIR/${RAW[$k]}"
done

# start_hostile: starts one fixture of each kind; PID[kind] holds its pid.
declare -A PID
start_hostile() {
	local k p
	for k in "${KINDS[@]}"; do
		start_fixture p "$HDIR/${RAW[$k]}"
		PID[$k]=$p
	done
}

# no_raw_controls WHAT TEXT: no ESC, tab or invalid byte got through.
no_raw_controls() {
	[[ "$2" != *"$ESC"* ]] || fail "$1: raw ESC in output"
	[[ "$2" != *$'\t'* ]] || fail "$1: raw tab in output"
	[[ "$2" != *$'\xff'* ]] || fail "$1: raw 0xff in output"
}

test_listing_prints_one_escaped_row_per_hostile_process() {
	local out k line
	start_hostile
	out=$("$GOPS" 2>/dev/null)
	no_raw_controls "gops" "$out"
	for k in "${KINDS[@]}"; do
		expect_eq "rows of $k (${PID[$k]})" "$(grep -c "^${PID[$k]} " <<<"$out")" 1
		line=$(grep "^${PID[$k]} " <<<"$out")
		[[ "$line" == "${PID[$k]} "*"$BASHPID"*" ${NAME[$k]}"*" $GOVER"*" $EDIR/${SHOWN[$k]}" ]] ||
			fail "$k: row '$line' lacks name '${NAME[$k]}' or path '$EDIR/${SHOWN[$k]}'"
	done
	! grep -q "^[19] [19] forged" <<<"$out" || fail "a forged row was printed: $out"
	# Padding uses the escaped width: every version column starts at the same offset.
	expect_eq "version columns" "$(awk -v v=" $GOVER " '{ print index($0, v) }' <<<"$(
		for k in "${KINDS[@]}"; do grep "^${PID[$k]} " <<<"$out"; done
	)" | sort -u | wc -l)" 1
}

# The python side of the JSON test: stdin is `gops --json`, argv the pids.
CHECK_JSON=$(cat <<'PY'
import json, os, sys
procs = {p["pid"]: p for p in json.load(sys.stdin)}
esc, long_, newline, tab, utf8, bslash = (int(a) for a in sys.argv[1:])
for pid in (esc, long_, newline, tab):
    real = os.readlink(b"/proc/%d/exe" % pid)
    assert procs[pid]["path"].encode() == real, (procs[pid]["path"], real)
    assert "\x1b" in procs[pid]["path"] and "\n" in procs[pid]["path"], procs[pid]["path"]
    assert "\\x1b" not in procs[pid]["path"], procs[pid]["path"]
assert procs[esc]["name"] == "\x1b[31mred", procs[esc]["name"]
assert procs[long_]["name"] == "\x1b[31mred-sleeper-long-name", procs[long_]["name"]
assert procs[tab]["name"] == "tab\tname", procs[tab]["name"]
# Names are the exact bytes too, not as /proc/PID/status escapes them.
assert procs[newline]["name"] == "x\n1 1 forged * go1.0 x", procs[newline]["name"]
assert procs[bslash]["name"] == "back\\slash", procs[bslash]["name"]
# JSON cannot hold invalid UTF-8: each such byte is U+FFFD, the rest exact.
real = os.readlink(b"/proc/%d/exe" % utf8)
assert real.endswith(b"/\xff\xfe"), real
assert procs[utf8]["path"] == real[:-2].decode() + "\ufffd\ufffd", procs[utf8]["path"]
assert procs[utf8]["name"] == "\ufffd\ufffd", procs[utf8]["name"]
PY
)

test_listing_json_carries_exact_path_bytes() {
	local out
	start_hostile
	out=$("$GOPS" --json 2>/dev/null)
	[[ "$out" != *"$ESC"* ]] || fail "raw ESC in JSON"
	expect_eq "JSON lines" "$(wc -l <<<"$out")" 1
	/usr/bin/python3 -c "$CHECK_JSON" "${PID[esc]}" "${PID[long]}" "${PID[newline]}" \
		"${PID[tab]}" "${PID[utf8]}" "${PID[bslash]}" <<<"$out" ||
		fail "JSON does not carry the exact bytes"
}

# The daemon's table holds the names and paths the loader read: the same
# escaping in text, the same exact bytes in JSON, as the scan.
test_table_listing_of_hostile_processes_equals_the_scan() {
	local d
	start_daemon d
	start_hostile
	sleep 0.5
	expect_eq "source" "$("$GOPS" -v --pin-dir "$PIN" 2>&1 >/dev/null)" \
		"gops: listing from the table at $PIN"
	diff <("$GOPS" --pin-dir "$PIN" 2>/dev/null) <("$GOPS" --scan 2>/dev/null) ||
		fail "text listing differs"
	diff <("$GOPS" tree --pin-dir "$PIN" 2>/dev/null) <("$GOPS" tree --scan 2>/dev/null) ||
		fail "tree differs"
	diff <("$GOPS" --json --pin-dir "$PIN" 2>/dev/null) <("$GOPS" --json --scan 2>/dev/null) ||
		fail "JSON differs"
	/usr/bin/python3 -c "$CHECK_JSON" "${PID[esc]}" "${PID[long]}" "${PID[newline]}" \
		"${PID[tab]}" "${PID[utf8]}" "${PID[bslash]}" <<<"$("$GOPS" --json --pin-dir "$PIN")" ||
		fail "JSON from the table does not carry the exact bytes"
}

test_tree_prints_one_escaped_node_per_hostile_process() {
	local out k
	start_hostile
	out=$("$GOPS" tree 2>/dev/null)
	no_raw_controls "gops tree" "$out"
	for k in "${KINDS[@]}"; do
		expect_eq "nodes of $k" "$(grep -cF "── ${PID[$k]} (" <<<"$out")" 1
		grep -qF "── ${PID[$k]} (${NAME[$k]}) {$GOVER}" <<<"$out" ||
			fail "$k: no escaped node in: $out"
	done
	# Every line is the root, a node, or the closing blank line.
	expect_eq "stray lines" "$(grep -cv -e '── ' -e '^\.\.\.$' -e '^$' <<<"$out")" 0
}

test_process_info_escapes_hostile_cmdline() {
	local out k
	start_hostile
	for k in "${KINDS[@]}"; do
		out=$("$GOPS" "${PID[$k]}")
		no_raw_controls "gops ${PID[$k]}" "$(cut -f2- <<<"$out")" # after each label's tab
		grep -qF "cmd+args:	$EDIR/${SHOWN[$k]} -ready " <<<"$out" ||
			fail "$k: cmd+args not escaped: $out"
		# One `label:<tab>value` line per field: nothing spilled onto a line of its own.
		expect_eq "$k: lines that are not fields" \
			"$(grep -cvE $'^[A-Za-z/+ ()0-9.]+:\t' <<<"$out")" 0
	done
}

test_buildinfo_first_line_escapes_hostile_path() {
	local out k
	start_hostile
	for k in "${KINDS[@]}"; do
		out=$("$GOPS" buildinfo "${PID[$k]}")
		no_raw_controls "gops buildinfo ${PID[$k]}" "$(head -n1 <<<"$out")"
		expect_eq "$k: first line" "$(head -n1 <<<"$out")" "$EDIR/${SHOWN[$k]}: $GOVER"
		# The module lines after it are the binary's, as for the plain sleeper.
		expect_eq "$k: module lines" "$(tail -n +2 <<<"$out")" "$(tail -n +2 "$FIX/sleeper.gov")"
	done
}

# Needs the BPF programs: fails with the daemon tests when they cannot load.
test_watch_prints_one_escaped_line_per_hostile_exec() {
	local w out k
	"$GOPS" watch </dev/null >"$TMP/watch.txt" 2>"$TMP/watch.err" &
	w=$!
	PIDS+=("$w")
	wait_for 5000 grep -qs '^TIME' "$TMP/watch.txt" ||
		fail "watch did not start: $(cat "$TMP/watch.err")"
	start_hostile
	sleep 0.5
	kill -INT "$w"
	wait "$w" || fail "watch exited with $?: $(cat "$TMP/watch.err")"
	out=$(cat "$TMP/watch.txt")
	no_raw_controls "gops watch" "$out"
	for k in "${KINDS[@]}"; do
		expect_eq "exec lines of $k" "$(grep -cE "^[0-9:.]+ +exec +${PID[$k]} " <<<"$out")" 1
		grep -E "^[0-9:.]+ +exec +${PID[$k]} " <<<"$out" | grep -qF " $EDIR/${SHOWN[$k]}" ||
			fail "$k: exec line lacks the escaped path: $out"
	done
	# Every line is the header or an event.
	expect_eq "stray lines" "$(grep -cvE '^(TIME |[0-9:.]+ +(exec|exit) +[0-9]+ )' <<<"$out")" 0
}

for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
	run_test "$t"
done
summary
