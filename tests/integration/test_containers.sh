#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real containers, run by podman on roots made here (see lib.sh): how gops
# lists them, filters them, reaches their agents, and that nothing a container
# or a host file says makes gops use a port file that is not the target's own.
# Most tests share one container running the agent example; the processes a
# test starts in it (podman exec) are stopped when the test ends.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

GOVER=$(go env GOVERSION)
NOGO_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
[ -x /usr/bin/go ] && NOGO_PATH=$TMP/nogo-bin && mkdir -p "$NOGO_PATH" &&
	for b in python3 bash cat; do ln -sf "$(command -v $b)" "$NOGO_PATH/$b"; done

# The shared container: SPID its agent's host pid, SID its id, SROOT its root.
SHARED_ERR=
SROOT=$(ctr_root shared)
if build_ctr_fixtures >"$TMP/setup.out" 2>&1 && podman_run shared /bin/gopsdemo >>"$TMP/setup.out" 2>&1 &&
	wait_for 10000 test -s "$SROOT/root/.config/gops/1"; then
	SPID=$(ctr_pid shared)
	SID=$(ctr_id shared)
else
	SHARED_ERR="the shared container did not start: $(cat "$TMP/setup.out")"
fi

shared() {
	[ -z "$SHARED_ERR" ] || fail "$SHARED_ERR"
	[[ "$SID" =~ ^[0-9a-f]{64}$ ]] || fail "podman gave the id '$SID'"
	kill -0 "$SPID" 2>/dev/null || fail "the shared container's agent ($SPID) is gone"
}

# jrow PID KEY < JSON: KEY of PID's row in a listing, as JSON text (norow when
# PID is not listed, missing when the row has no KEY).
jrow() {
	/usr/bin/python3 -c '
import json, sys
rows = [r for r in json.load(sys.stdin) if r["pid"] == int(sys.argv[1])]
key = sys.argv[2]
print("norow" if not rows else json.dumps(rows[0][key]) if key in rows[0] else "missing")' "$@"
}

# listing VAR ARGS...: stdout of gops ARGS in VAR; fails unless it exits 0.
listing() {
	local _var=$1 _out _rc=0
	shift
	_out=$("$GOPS" "$@" 2>"$TMP/gops.err") || _rc=$?
	[ "$_rc" -eq 0 ] || fail "gops $* exited $_rc: $(cat "$TMP/gops.err")"
	printf -v "$_var" '%s' "$_out"
}

# stop_watch PID ERRFILE: SIGINT to a watch, which must exit 0 within 5 s.
stop_watch() {
	local rc=0
	kill -INT "$1"
	exited() {
		local s
		s=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 0
		[ "$s" == Z ]
	}
	wait_for 5000 exited "$1" || fail "watch $1 still runs 5 s after SIGINT" || return 1
	wait "$1" || rc=$?
	[ "$rc" -eq 0 ] || fail "watch exited with $rc: $(cat "$2")"
}

# ns_inode PID NS: the inode of PID's namespace NS (pid, mnt, net).
ns_inode() { stat -L -c %i "/proc/$1/ns/$2"; }

test_container_process_listed_by_host_pid_with_nspid_1() {
	local j
	shared
	listing j --json
	expect_eq "nspid" "$(jrow "$SPID" nspid <<<"$j")" 1
	expect_eq "name" "$(jrow "$SPID" name <<<"$j")" '"gopsdemo"'
	expect_eq "path" "$(jrow "$SPID" path <<<"$j")" '"/bin/gopsdemo"'
	expect_eq "agent" "$(jrow "$SPID" agent <<<"$j")" true
	expect_eq "go_version" "$(jrow "$SPID" go_version <<<"$j")" "\"$GOVER\""
}

# Compared with a host process: the keys must not say the same of both.
test_json_has_container_id_runtime_and_namespaces() {
	local j host ns
	shared
	start_fixture host "$FIX/sleeper"
	listing j --json
	expect_eq "container_id" "$(jrow "$SPID" container_id <<<"$j")" "\"$SID\""
	expect_eq "container_runtime" "$(jrow "$SPID" container_runtime <<<"$j")" '"podman"'
	expect_eq "pod_uid" "$(jrow "$SPID" pod_uid <<<"$j")" null
	for ns in pid mnt net; do
		expect_eq "${ns}_ns" "$(jrow "$SPID" "${ns}_ns" <<<"$j")" "$(ns_inode "$SPID" $ns)"
		expect_eq "host ${ns}_ns" "$(jrow "$host" "${ns}_ns" <<<"$j")" "$(ns_inode "$host" $ns)"
		[ "$(ns_inode "$SPID" $ns)" != "$(ns_inode "$host" $ns)" ] || fail "the container shares the $ns namespace"
	done
	expect_eq "host container_id" "$(jrow "$host" container_id <<<"$j")" null
	expect_eq "host container_runtime" "$(jrow "$host" container_runtime <<<"$j")" null
	expect_eq "host pod_uid" "$(jrow "$host" pod_uid <<<"$j")" null
	expect_eq "host nspid" "$(jrow "$host" nspid <<<"$j")" "$host"
}

test_container_filter_lists_only_that_container() {
	local out host prefix
	shared
	start_fixture host "$FIX/sleeper"
	listing out
	grep -q "^$host " <<<"$out" || fail "host sleeper $host not listed without a filter: $out"
	for prefix in "${SID:0:12}" "$SID"; do
		listing out --container "$prefix"
		expect_eq "lines with --container $prefix" "$(grep -c . <<<"$out")" 1
		expect_match "the line" "$out" "^$SPID "
	done
	listing out --container "${SID:0:12}" --json
	expect_eq "json" "$(/usr/bin/python3 -c 'import json,sys; print([r["pid"] for r in json.load(sys.stdin)])' <<<"$out")" "[$SPID]"
}

test_container_filter_on_tree() {
	local out host
	shared
	start_fixture host "$FIX/sleeper"
	listing out tree --container "${SID:0:12}"
	grep -q " $SPID (gopsdemo) " <<<"$out" || fail "not in the tree: $out"
	grep -q "$host (sleeper)" <<<"$out" && fail "host sleeper $host in the filtered tree: $out"
	listing out tree
	grep -q "$host (sleeper)" <<<"$out" || fail "host sleeper $host not in the whole tree: $out"
}

# No container's id starts so: the first digit of ours, changed.
test_container_filter_matching_nothing_lists_nothing() {
	local out other
	shared
	other=$([ "${SID:0:1}" == 0 ] && echo 1 || echo 0)${SID:1:11}
	listing out --container "$other"
	expect_eq "output" "$out" ""
	listing out --container "$other" --json
	expect_eq "json" "$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin))' <<<"$out")" "[]"
}

# --wide: PID PPID NSPID CONTAINER NAME[*] VERSION PATH.
test_wide_listing_shows_nspid_and_short_container_id() {
	local out host f
	shared
	start_fixture host "$FIX/sleeper"
	listing out --wide
	read -ra f <<<"$(grep "^$SPID " <<<"$out")"
	expect_eq "container line" "${f[*]}" \
		"$SPID $(awk '{ sub(/.*\) /, ""); print $2 }' "/proc/$SPID/stat") 1 ${SID:0:12} gopsdemo* $GOVER /bin/gopsdemo"
	read -ra f <<<"$(grep "^$host " <<<"$out")"
	expect_eq "host line" "${f[*]:2:3}" "$host - sleeper"
	expect_eq "host fields" "${#f[@]}" 7
}

# Without --wide, the columns of today: PID PPID NAME[*] VERSION PATH.
test_default_listing_has_no_container_column() {
	local out host f
	shared
	start_fixture host "$FIX/sleeper"
	listing out
	read -ra f <<<"$(grep "^$SPID " <<<"$out")"
	expect_eq "container fields" "${#f[@]}" 5
	expect_eq "container name" "${f[2]}" "gopsdemo*"
	[[ "$out" != *"${SID:0:12}"* ]] || fail "the id is in the default listing: $out"
	read -ra f <<<"$(grep "^$host " <<<"$out")"
	expect_eq "host fields" "${#f[@]}" 5
	expect_eq "host name" "${f[2]}" "sleeper"
}

test_process_details_show_namespace_pid_and_container() {
	local out
	shared
	listing out "$SPID"
	grep -qFx $'namespace PID:\t1' <<<"$out" || fail "no namespace PID line: $out"
	grep -qFx $'container:\t'"$SID (podman)" <<<"$out" || fail "no container line: $out"
}

# The agent verbs by host pid: its port file is in its root, named 1, its
# port on the loopback of its own network namespace.
test_agent_verbs_reach_the_container_agent_by_host_pid() {
	local out before after
	shared
	out=$("$GOPS" stats "$SPID" 2>&1) # 2>&1: an agentless answer would start with its stderr line
	expect_match "stats" "$out" $'^goroutines: [0-9]+\nOS threads: [0-9]+\nGOMAXPROCS: [0-9]+\nnum CPU: [0-9]+$'
	out=$("$GOPS" stack "$SPID" 2>&1) # the agent's dump starts with its own goroutine, running
	expect_match "first line" "$(head -n 1 <<<"$out")" '^goroutine [0-9]+ \[running\]:$'
	grep -q "^goroutine 1 \\[" <<<"$out" || fail "no goroutine 1 in: ${out:0:300}"
	grep -q "main.worker" <<<"$out" || fail "not the agent example's stack: ${out:0:300}"
	expect_eq "version" "$("$GOPS" version "$SPID")" "$GOVER"
	before=$("$GOPS" memstats "$SPID" | awk '/^num-gc:/ {print $2}')
	[ -n "$before" ] || fail "no num-gc in memstats"
	expect_eq "gc output" "$("$GOPS" gc "$SPID")" ""
	after=$("$GOPS" memstats "$SPID" | awk '/^num-gc:/ {print $2}')
	[ "$after" -gt "$before" ] || fail "num-gc $before -> $after"
	out=$("$GOPS" setgc "$SPID" 120)
	expect_match "setgc 120" "$out" "^New GC percent set to 120\\. Previous value was -?[0-9]+\\.$"
	expect_eq "setgc 100" "$("$GOPS" setgc "$SPID" 100)" "New GC percent set to 100. Previous value was 120."
}

test_heap_profile_of_the_container_agent() {
	local out file
	shared
	out=$(PATH=$NOGO_PATH "$GOPS" pprof-heap "$SPID")
	file=$(sed -n 's/^Profile dump saved to: //p' <<<"$out" | head -n1)
	[ -s "$file" ] || fail "no profile file in: $out"
	/usr/bin/python3 -c 'import gzip,sys; gzip.open(sys.argv[1]).read()' "$file" || fail "not gzip"
	rm -f "$file"
	grep -q "flat  flat%   sum%        cum   cum%" <<<"$out" || fail "no top table: $out"
	grep -Eq "^ *[0-9.]+[kMG]?B +[0-9.]+% .*main\\.worker" <<<"$out" || fail "no main.worker row: $out"
}

# The table gives the same container rows: for the agent, there before the
# daemon, and for a process exec'd in the container after it started.
test_daemon_table_lists_container_rows_with_their_id() {
	local d kid j p
	shared
	start_daemon d
	ctr_exec kid shared -- /bin/sleeper
	wait_for 2000 in_table "$kid" || fail "$kid not in the table: $(table_rows all)"
	in_table "$SPID" || fail "$SPID not in the table: $(table_rows all)"
	"$GOPS" -v --pin-dir "$PIN" 2>&1 >/dev/null | grep -qFx "gops: listing from the table at $PIN" ||
		fail "not listed from the table: $("$GOPS" -v --pin-dir "$PIN" 2>&1 >/dev/null)"
	listing j --json --pin-dir "$PIN"
	for p in "$SPID" "$kid"; do
		expect_eq "container_id of $p" "$(jrow "$p" container_id <<<"$j")" "\"$SID\""
		expect_eq "container_runtime of $p" "$(jrow "$p" container_runtime <<<"$j")" '"podman"'
		expect_eq "pid_ns of $p" "$(jrow "$p" pid_ns <<<"$j")" "$(ns_inode "$SPID" pid)"
	done
	expect_eq "nspid of $kid" "$(jrow "$kid" nspid <<<"$j")" "$(nspid_of "$kid")"
	listing j --pin-dir "$PIN" --container "${SID:0:12}"
	expect_eq "filtered table listing" "$(awk '{print $1}' <<<"$j" | sort -n | tr '\n' ' ')" \
		"$(printf '%s\n' "$SPID" "$kid" | sort -n | tr '\n' ' ')"
}

# watch_seen FILE PID: whether the JSON events in FILE have PID's exec.
watch_seen() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("event") == "exec" and e.get("pid") == int(sys.argv[2]):
        sys.exit(0)
sys.exit(1)
PY
}

# host_probe WATCH FILE: runs a short-lived host sleeper until the watch WATCH
# (a pid), writing FILE, shows its exec (10 s at most): then it is attached.
# PROBE is that sleeper's pid.
host_probe() {
	local p
	for _ in $(seq 20); do
		kill -0 "$1" 2>/dev/null || fail "watch exited: $(cat "$2.err")" || return 1
		"$FIX/sleeper" -exit 0 </dev/null >/dev/null 2>&1 &
		p=$!
		wait "$p" || true
		if wait_for 500 watch_seen "$2" "$p"; then
			PROBE=$p
			return 0
		fi
	done
	fail "watch never showed an exec: $(head -c 2000 "$2" "$2.err")"
}

test_watch_json_shows_container_exec_with_its_id() {
	local w kid
	shared
	"$GOPS" watch --json </dev/null >"$TMP/w.json" 2>"$TMP/w.json.err" &
	w=$!
	PIDS+=("$w")
	host_probe "$w" "$TMP/w.json"
	ctr_exec kid shared -- /bin/sleeper
	wait_for 5000 watch_seen "$TMP/w.json" "$kid" || fail "no exec of $kid: $(head -c 3000 "$TMP/w.json")"
	stop_watch "$w" "$TMP/w.json.err"
	/usr/bin/python3 - "$TMP/w.json" "$kid" "$(nspid_of "$kid")" "$SID" "$PROBE" <<'PY' || fail "events: $(head -c 3000 "$TMP/w.json")"
import json, sys
path, kid, nspid, cid, probe = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
events = [json.loads(line) for line in open(path)]
mine = [e for e in events if e["event"] == "exec" and e["pid"] == kid and e["name"] == "sleeper"]
assert mine, "no exec of sleeper as %d" % kid
e = mine[-1]
assert e["nspid"] == nspid, "nspid %r, want %d" % (e["nspid"], nspid)
assert e.get("container_id") == cid, "container_id %r, want %s" % (e.get("container_id"), cid)
assert e.get("container_runtime") == "podman", "container_runtime %r" % e.get("container_runtime")
host = [e for e in events if e["event"] == "exec" and e["pid"] == probe]
assert host and host[0].get("container_id") is None, "host exec: %r" % host
PY
}

# Text watch prints its header once it is attached: then a host exec and one
# in the container; only the latter may show.
test_watch_container_filter_shows_only_that_container() {
	local w kid host
	shared
	"$GOPS" watch --container "${SID:0:12}" </dev/null >"$TMP/w.txt" 2>"$TMP/w.txt.err" &
	w=$!
	PIDS+=("$w")
	for _ in $(seq 200); do
		grep -qs "^TIME " "$TMP/w.txt" && break
		kill -0 "$w" 2>/dev/null || fail "watch exited: $(cat "$TMP/w.txt.err")"
		sleep 0.05
	done
	grep -qs "^TIME " "$TMP/w.txt" || fail "no watch header after 10 s: $(cat "$TMP/w.txt.err")"
	"$FIX/sleeper" -exit 0 </dev/null >/dev/null 2>&1 &
	host=$!
	wait "$host"
	ctr_exec kid shared -- /bin/sleeper
	seen() { awk -v p="$1" '$2 == "exec" && $3 == p { found = 1 } END { exit !found }' "$TMP/w.txt"; }
	wait_for 5000 seen "$kid" || fail "no exec of $kid: $(cat "$TMP/w.txt")"
	seen "$host" && fail "host exec $host shown: $(cat "$TMP/w.txt")"
	stop_watch "$w" "$TMP/w.txt.err"
}

# gops' own rule (our config dir, files named by the host pid) is for host
# processes: a file there named by a container process's host pid, holding a
# port nobody listens on, must not be taken for its agent.
test_decoy_port_file_in_our_config_dir_is_not_used_for_the_agent() {
	local out rc=0
	shared
	mkdir -p "$TMP/own"
	printf 1 >"$TMP/own/$SPID"
	out=$(GOPS_CONFIG_DIR=$TMP/own "$GOPS" stats "$SPID" 2>&1) || rc=$?
	rm -f "$TMP/own/$SPID"
	expect_eq "exit" "$rc" 0
	expect_match "stats" "$out" $'^goroutines: [0-9]+\nOS threads: [0-9]+\nGOMAXPROCS: [0-9]+\nnum CPU: [0-9]+$'
}

test_decoy_port_file_in_our_config_dir_does_not_mark_a_container_process() {
	local kid host j err rc=0
	shared
	mkdir -p "$TMP/own"
	ctr_exec kid shared -- /bin/sleeper
	start_fixture host "$FIX/sleeper"
	printf 1 >"$TMP/own/$kid"
	printf 1 >"$TMP/own/$host"
	GOPS_CONFIG_DIR=$TMP/own listing j --json
	err=$(GOPS_CONFIG_DIR=$TMP/own "$GOPS" gc "$kid" 2>&1) || rc=$?
	rm -f "$TMP/own/$kid" "$TMP/own/$host"
	# The control: for a host process, gops' own rule holds.
	expect_eq "host process marked" "$(jrow "$host" agent <<<"$j")" true
	expect_eq "container process marked" "$(jrow "$kid" agent <<<"$j")" false
	expect_eq "exit" "$rc" 1
	expect_match "message" "$err" "^gops: no gops agent port file for process $kid "
}

# escape_case HOME LINK: an agent exec'd with $HOME/.config a symlink to LINK,
# which inside its root leads to $ESC (where the agent writes its port file)
# and, resolved on the host, to the host's $ESC, where a port file of the same
# name holds a port nobody listens on. gops must reach the agent, never read
# the host's file.
escape_case() {
	local home=$1 link=$2 kid n out rc=0
	mkdir -p "$SROOT$home" "$SROOT$ESC/gops" "$ESC/gops"
	ln -s "$link" "$SROOT$home/.config"
	ctr_exec kid shared -e "HOME=$home" -- /bin/gopsdemo
	n=$(nspid_of "$kid")
	wait_for 10000 test -s "$SROOT$ESC/gops/$n" || fail "no port file $n at $SROOT$ESC/gops"
	printf 1 >"$ESC/gops/$n"
	out=$("$GOPS" stats "$kid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 0 || fail "$out"
	expect_match "stats" "$out" $'^goroutines: [0-9]+\nOS threads: [0-9]+\nGOMAXPROCS: [0-9]+\nnum CPU: [0-9]+$'
}

test_config_dir_absolute_symlink_is_resolved_inside_the_root() {
	shared
	ESC=$TMP/escape.abs
	escape_case /home/abs "$ESC"
}

# Enough .. to reach / from the root on the host, and / in the container. The
# kernel keeps .. at a pivoted root when it walks /proc/PID/root; a resolver
# that joins paths itself would not.
test_config_dir_relative_symlink_is_resolved_inside_the_root() {
	shared
	ESC=$TMP/escape.rel
	escape_case /home/rel "$(printf '../%.0s' $(seq 32))${ESC#/}"
}

# A port file that is itself a symlink to a host file (holding a port nobody
# listens on) is refused as a symlink, as on the host.
test_port_file_symlink_to_a_host_file_is_refused() {
	local kid n pf err rc=0
	shared
	mkdir -p "$SROOT/home/link"
	ctr_exec kid shared -e HOME=/home/link -- /bin/gopsdemo
	n=$(nspid_of "$kid")
	pf=$SROOT/home/link/.config/gops/$n
	wait_for 10000 test -s "$pf" || fail "no port file $pf"
	printf 1 >"$TMP/decoy-port"
	ln -sfn "$TMP/decoy-port" "$pf"
	err=$("$GOPS" stats "$kid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$err" "is a symlink: refusing it"
}

# podman's HOME is / when the root has no passwd entry: the agent writes
# /.config/gops/N in the container, and gops finds it there.
test_agent_with_home_slash_is_found_in_its_root() {
	local kid n
	shared
	ctr_exec kid shared -e HOME=/ -- /bin/gopsdemo
	n=$(nspid_of "$kid")
	wait_for 10000 test -s "$SROOT/.config/gops/$n" || fail "no port file $SROOT/.config/gops/$n"
	"$GOPS" 2>/dev/null | grep -q "^$kid .*gopsdemo\*" || fail "not marked: $("$GOPS" 2>/dev/null)"
	expect_eq "version" "$("$GOPS" version "$kid")" "$GOVER"
}

for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
	run_test "$t"
done
summary
