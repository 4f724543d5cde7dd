#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The listing verbs against live Go fixtures: gops, gops tree, gops <pid>,
# gops buildinfo, their --json forms and their errors.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

GOVER=$(head -n1 "$FIX/sleeper.gov" | sed 's/.*: //')

# line_of PID: the `gops` line of that pid.
line_of() {
	"$GOPS" 2>/dev/null | awk -v p="$1" '$1 == p'
}

test_lists_go_process_with_ppid_name_version_path() {
	local pid line
	start_fixture pid "$FIX/sleeper"
	line=$(line_of "$pid")
	expect_match "line" "$line" "^$pid +$BASHPID +sleeper +$GOVER +$(realpath "$FIX/sleeper")\$"
}

test_does_not_list_non_go_processes() {
	local pid
	sleep 30 </dev/null >/dev/null 2>&1 &
	pid=$!
	PIDS+=("$pid")
	wait_exec "$pid" "$(command -v sleep)"
	[ -z "$(line_of "$pid")" ] || fail "sleep ($pid) was listed"
}

test_lists_binary_deleted_after_start() {
	local pid line
	cp "$FIX/sleeper" "$TMP/doomed"
	start_fixture pid "$TMP/doomed"
	rm "$TMP/doomed"
	line=$(line_of "$pid")
	expect_match "line" "$line" "^$pid +$BASHPID +doomed +$GOVER +$TMP/doomed \\(deleted\\)\$"
}

test_lists_long_name_in_full() {
	local pid line
	start_fixture pid "$FIX/sleeper-a-very-long-program-name"
	line=$(line_of "$pid")
	expect_match "line" "$line" "^$pid +$BASHPID +sleeper-a-very-long-program-name +$GOVER "
}

test_lists_path_with_spaces() {
	local pid line
	start_fixture pid "$FIX/sleeper with spaces"
	line=$(line_of "$pid")
	expect_match "line" "$line" "$(realpath "$FIX")/sleeper with spaces\$"
}

test_marks_process_with_agent_port_file() {
	local pid line
	mkdir -p "$TMP/cfg"
	GOPS_CONFIG_DIR=$TMP/cfg start_fixture pid "$FIX/sleeper"
	printf 12345 >"$TMP/cfg/$pid"
	line=$(line_of "$pid")
	expect_match "line" "$line" "^$pid +$BASHPID +sleeper *\\* $GOVER "
}

test_agent_port_file_found_through_target_home() {
	local pid line
	mkdir -p "$TMP/home/.config/gops"
	HOME=$TMP/home start_fixture pid env -u GOPS_CONFIG_DIR -u XDG_CONFIG_HOME "$FIX/sleeper"
	printf 12345 >"$TMP/home/.config/gops/$pid"
	line=$(line_of "$pid")
	expect_match "line" "$line" "sleeper *\\* "
}

test_columns_are_padded_and_sorted_by_pid() {
	local a b out
	start_fixture a "$FIX/sleeper"
	start_fixture b "$FIX/sleeper-a-very-long-program-name"
	out=$("$GOPS")
	# Both are listed: names of 7 and 32 bytes share the columns.
	grep -q "^$a .* sleeper " <<<"$out" || fail "$a not listed: $out"
	grep -q "^$b .* sleeper-a-very-long-program-name " <<<"$out" || fail "$b not listed: $out"
	# Sorted by pid, numerically.
	expect_eq "order" "$(awk '{print $1}' <<<"$out" | sort -n | tr '\n' ' ')" \
		"$(awk '{print $1}' <<<"$out" | tr '\n' ' ')"
	# Every version column starts at the same offset.
	local col
	col=$(awk '{ print index($0, " go1") }' <<<"$out" | sort -u | wc -l)
	expect_eq "version column starts" "$col" 1
}

# Enough processes for the scan to start helper threads (one per 128 pids):
# with every CPU, and with one (a single thread), it lists the same.
test_threaded_scan_equals_single_thread_scan() {
	local i p ours one tsan kids=()
	for i in $(seq 30); do
		start_fixture p "$FIX/sleeper"
		kids+=("$p")
	done
	for i in $(seq 200); do
		sleep 60 </dev/null >/dev/null 2>&1 &
		PIDS+=($!)
	done
	ours=$("$GOPS" --scan)
	one=$(taskset -c 0 "$GOPS" --scan)
	for p in "${kids[@]}"; do
		expect_eq "lines for $p" "$(grep -c "^$p " <<<"$ours")" 1
	done
	[ "$ours" == "$one" ] || fail "threaded and single-thread scans differ: $(diff <(echo "$ours") <(echo "$one") | head -5)"
	# The same scan under ThreadSanitizer: no data race, same listing.
	tsan=$(TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$GOPS_TSAN" --scan 2>"$TMP/tsan.err") ||
		fail "gops-tsan failed: $(head -n 20 "$TMP/tsan.err")"
	[ "$tsan" == "$ours" ] || fail "gops-tsan lists otherwise: $(diff <(echo "$ours") <(echo "$tsan") | head -5)"
}

test_list_json_parses() {
	local pid me=$BASHPID
	start_fixture pid "$FIX/sleeper"
	"$GOPS" --json | is_json || fail "not JSON"
	"$GOPS" --json | /usr/bin/python3 -c "
import json,sys
procs = json.load(sys.stdin)
p = [x for x in procs if x['pid'] == $pid][0]
assert p['ppid'] == $me and p['name'] == 'sleeper' and p['go_version'] == '$GOVER', p
"
}

# children_running PID N: PID has N children, each running the sleeper.
children_running() {
	local k n=0
	for k in $(pgrep -P "$1"); do
		[ "$(readlink "/proc/$k/exe")" == "$(realpath "$FIX/sleeper")" ] && n=$((n + 1))
	done
	[ "$n" -eq "$2" ]
}

test_tree_shows_go_children_under_parent() {
	local pid out kids
	start_fixture pid "$FIX/sleeper" -children 2
	wait_for 5000 children_running "$pid" 2 || fail "$pid did not start 2 sleeper children"
	kids=$(pgrep -P "$pid" | sort -n | tr '\n' ' ')
	out=$("$GOPS" tree)
	expect_eq "root" "$(head -n1 <<<"$out")" "..."
	grep -q "── $pid (sleeper) {$GOVER}\$" <<<"$out" || fail "no $pid line in: $out"
	# The lines right under the parent's, one level deeper, are its children.
	/usr/bin/python3 - "$pid" "$kids" "$GOVER" "$out" <<'PY' || fail "children not under $pid: $out"
import sys
pid, kids, gover, out = sys.argv[1], sys.argv[2].split(), sys.argv[3], sys.argv[4]
lines = out.split("\n")
at = [i for i, l in enumerate(lines) if l.endswith(f"── {pid} (sleeper) {{{gover}}}")][0]
col = lines[at].index("──")
under = []
for l in lines[at + 1:]:
    if "──" not in l or l.index("──") <= col:
        break
    if l.index("──") == col + 4:
        under.append(l[col + 7:])
assert under == [f"{k} (sleeper) {{{gover}}}" for k in kids], under
PY
	"$GOPS" tree --json | /usr/bin/python3 -c "
import json, sys
def find(nodes):
    for n in nodes:
        if n['pid'] == $pid:
            return n
        f = find(n['children'])
        if f:
            return f
node = find(json.load(sys.stdin))
assert sorted(c['pid'] for c in node['children']) == [int(k) for k in '$kids'.split()], node
" || fail "tree --json does not put the children under $pid"
}

test_process_info_shows_listen_socket_and_threads() {
	local pid out port threads
	"$FIX/sleeper" -listen 127.0.0.1:0 -ready "$TMP/r" </dev/null >"$TMP/port" 2>/dev/null &
	PIDS+=($!)
	pid=$!
	wait_for 5000 test -s "$TMP/r" || fail "the sleeper did not start listening"
	port=$(head -n1 "$TMP/port")
	out=$("$GOPS" "$pid")
	threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
	grep -q "^threads:	$threads\$" <<<"$out" || fail "threads != $threads: $out"
	grep -q "^parent PID:	$BASHPID\$" <<<"$out" || fail "parent: $out"
	grep -q "^local/remote:	127.0.0.1:$port <-> 0.0.0.0:0 (LISTEN)\$" <<<"$out" ||
		fail "no LISTEN line for $port: $out"
	grep -q "^cmd+args:	$FIX/sleeper -listen 127.0.0.1:0 -ready $TMP/r\$" <<<"$out" ||
		fail "cmd+args: $out"
	[ "$("$GOPS" process "$pid" | grep -c local/remote)" -ge 1 ] || fail "process verb"
	"$GOPS" "$pid" --json | is_json || fail "--json"
}

test_process_info_with_period() {
	local pid out
	start_fixture pid "$FIX/sleeper"
	out=$("$GOPS" "$pid" 1s)
	grep -q "^cpu usage (1s):	[0-9.]*%\$" <<<"$out" || fail "no period line: $out"
	out=$("$GOPS" process "$pid" 1)
	grep -q "^cpu usage (1s):" <<<"$out" || fail "integer period: $out"
}

test_buildinfo_of_pid_matches_go_version_m() {
	local pid
	"$FIX/withdeps" </dev/null >/dev/null 2>&1 &
	pid=$!
	PIDS+=("$pid")
	wait_exec "$pid" "$(realpath "$FIX/withdeps")"
	diff <("$GOPS" buildinfo "$pid" | tail -n +2) <(tail -n +2 "$FIX/withdeps.gov") ||
		fail "buildinfo differs"
	expect_eq "first line" "$("$GOPS" buildinfo "$pid" | head -n1)" \
		"$(realpath "$FIX/withdeps"): $GOVER"
	"$GOPS" buildinfo "$pid" --json | is_json || fail "--json"
}

test_buildinfo_of_file_matches_go_version_m() {
	diff <("$GOPS" buildinfo "$FIX/withdeps") "$FIX/withdeps.gov" || fail "differs"
}

test_missing_pid_is_one_line_and_exit_1() {
	local err rc=0
	err=$("$GOPS" 4194303 2>&1 >/dev/null) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_eq "message" "$err" "gops: process 4194303 not found"
	rc=0
	err=$("$GOPS" buildinfo 4194303 2>&1 >/dev/null) || rc=$?
	expect_eq "buildinfo exit" "$rc" 1
	expect_eq "buildinfo message" "$err" "gops: process 4194303 not found"
}

test_unknown_verb_and_bad_args_exit_2() {
	local rc=0
	"$GOPS" frobnicate >/dev/null 2>&1 || rc=$?
	expect_eq "unknown verb" "$rc" 2
	rc=0
	"$GOPS" --frob >/dev/null 2>&1 || rc=$?
	expect_eq "unknown option" "$rc" 2
	rc=0
	"$GOPS" process 1 forever >/dev/null 2>&1 || rc=$?
	expect_eq "bad period" "$rc" 2
	rc=0
	"$GOPS" process >/dev/null 2>&1 || rc=$?
	expect_eq "missing pid" "$rc" 2
}

test_buildinfo_of_non_go_file_is_clear_error() {
	local err rc=0
	err=$("$GOPS" buildinfo /bin/sh 2>&1 >/dev/null) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_eq "message" "$err" "gops: /bin/sh: not a Go executable"
}

test_help_and_version() {
	"$GOPS" help | grep -q "gops tree" || fail "help lacks tree"
	"$GOPS" help buildinfo | grep -q "go version -m" || fail "help buildinfo"
	"$GOPS" --version | grep -q "^gops-bpf " || fail "--version"
}

test_unprivileged_user_is_told_what_was_skipped() {
	local pid err
	start_fixture pid "$FIX/sleeper"
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$GOPS" 2>&1 >/dev/null)
	# No daemon: nothing to say about live discovery, only what could not be seen.
	expect_match "stderr" "$err" "^gops: [0-9]+ process(es)? could not be inspected: permission denied \\(run as root"
	expect_eq "stderr lines" "$(wc -l <<<"$err")" 1
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$GOPS" -v 2>&1 >/dev/null)
	expect_match "-v" "$err" "^gops: scanning /proc: no daemon"
}

for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
	run_test "$t"
done
summary
