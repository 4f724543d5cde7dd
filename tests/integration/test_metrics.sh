#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gops daemon --metrics: the exposition (checked by Prometheus' own promtool),
# a real Prometheus server scraping it, lifecycle counters, clients that
# stall, the textfile for node_exporter, and bad addresses.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

# start_metrics_daemon [ARGS...]: a daemon serving metrics on a free port (PORT).
start_metrics_daemon() {
	local dpid
	PORT=$(free_port)
	start_daemon dpid --metrics "127.0.0.1:$PORT" --metrics-interval 1 "$@"
	wait_for 5000 get "http://127.0.0.1:$PORT/metrics" >/dev/null || fail "no /metrics: $(cat "$DAEMON_LOG")"
}

scrape() { get "http://127.0.0.1:$PORT/metrics"; }

# has_series TEXT: whether a scrape now holds a line matching the regex TEXT.
has_series() { scrape | grep -qE "$1"; }

test_metrics_exposition_passes_promtool() {
	local with without odd dir out
	start_metrics_daemon
	start_rtfacts with rtfacts
	start_rtfacts without rtfacts -- -agent=false
	# A name and a path with a quote, a backslash and a newline.
	dir=$TMP/$'a "quoted"\\dir\nx'
	mkdir -p "$dir"
	cp "$FIX/sleeper" "$dir/"$'q"b\\c\nd'
	start_fixture odd "$dir/"$'q"b\\c\nd'
	wait_for 8000 has_series "^go_goroutines\\{pid=\"$without\"" || fail "no go_goroutines for $without"
	wait_for 8000 has_series "^go_goroutines\\{pid=\"$odd\"" || fail "no go_goroutines for $odd"
	out=$(scrape)
	promtool check metrics <<<"$out" || fail "promtool rejects the exposition"
	grep -q "^gops_go_process_info{pid=\"$with\",nspid=\"$with\",name=\"rtfacts\",path=\"[^\"]*/rtfacts\",go_version=\"go1.19.8\",main_module=\"example.com/rtfacts\",container_id=\"\",agent=\"true\"} 1$" <<<"$out" ||
		fail "info of $with: $(grep "pid=\"$with\"" <<<"$out" | head -1)"
	grep -q "^gops_go_process_info{pid=\"$without\",.*agent=\"false\"} 1$" <<<"$out" || fail "agent mark of $without"
	grep -qF "name=\"q\\\"b\\\\c\\nd\"" <<<"$out" || fail "the odd name is not escaped: $(grep "pid=\"$odd\"" <<<"$out" | head -1)"
	grep -qF "path=\"$TMP/a \\\"quoted\\\"\\\\dir\\nx/q\\\"b\\\\c\\nd\"" <<<"$out" || fail "the odd path is not escaped"
	grep -q "^go_sched_gomaxprocs_threads{pid=\"$without\",name=\"rtfacts\",container_id=\"\"} 3$" <<<"$out" || fail "GOMAXPROCS of $without"
	for s in go_threads go_gc_gogc_percent go_gc_gomemlimit_bytes go_memstats_heap_alloc_bytes \
		go_memstats_heap_inuse_bytes go_memstats_next_gc_bytes go_memstats_last_gc_time_seconds \
		go_gc_cycles_total gops_go_process_start_time_seconds; do
		grep -q "^$s{pid=\"$without\"" <<<"$out" || fail "no $s for $without"
	done
	grep -q '^# TYPE go_gc_cycles_total counter$' <<<"$out" || fail "GC cycles are not a counter"
	for s in gops_daemon_events_total gops_daemon_events_lost_total gops_daemon_resyncs_total \
		gops_daemon_executables_parsed_total gops_daemon_table_rows gops_daemon_table_capacity \
		gops_daemon_map_update_failures_total gops_daemon_scrape_duration_seconds; do
		grep -q "^$s[{ ]" <<<"$out" || fail "no $s"
	done
	# The start time is the process's, to the second.
	local want got
	want=$(/usr/bin/python3 -c "import os; t = int(open('/proc/$without/stat').read().rsplit(')', 1)[1].split()[19]); print(round(float(open('/proc/stat').read().split('btime ')[1].split()[0]) + t / os.sysconf('SC_CLK_TCK')))")
	got=$(sed -n "s/^gops_go_process_start_time_seconds{pid=\"$without\".*} \\([0-9.]*\\)$/\\1/p" <<<"$out")
	[ "$(/usr/bin/python3 -c "print(abs($got - $want) <= 1.5)")" == True ] || fail "start time $got, want $want"
}

test_metrics_lifecycle_counters_and_exits() {
	local pid out name=lc$$
	# A name of its own: other Go programs on the host exit too.
	cp "$FIX/sleeper" "$TMP/$name"
	start_metrics_daemon
	start_fixture pid "$TMP/$name" -exit 2 -after 300ms
	wait_for 5000 has_series "^gops_go_process_exits_total\\{name=\"$name\",code=\"2\",cause=\"exit\"\\} 1$" ||
		fail "no exit with code 2: $(scrape | grep exits_total)"
	start_fixture pid "$TMP/$name"
	wait_for 3000 has_series "^gops_go_process_info\\{pid=\"$pid\"" || fail "no info of $pid"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
	wait_for 3000 has_series "^gops_go_process_exits_total\\{name=\"$name\",signal=\"9\",cause=\"signal\"\\} 1$" ||
		fail "no exit by signal 9: $(scrape | grep exits_total)"
	out=$(scrape)
	grep -q "pid=\"$pid\"" <<<"$out" && fail "the killed process is still in the exposition"
	grep -q "^gops_go_process_execs_total{name=\"$name\",go_version=\"go1.19.8\"} 2$" <<<"$out" ||
		fail "execs: $(grep execs_total <<<"$out")"
}

# A real Prometheus server scrapes the daemon: up is 1, the fixture's series
# are there, and once it exits they go stale.
test_metrics_prometheus_scrapes_the_daemon() {
	local pid pport q
	start_metrics_daemon
	start_rtfacts pid rtfacts -- -agent=false
	cat >"$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: gops
    static_configs:
      - targets: ['127.0.0.1:$PORT']
EOF
	promtool check config "$TMP/prometheus.yml" >/dev/null || fail "promtool rejects the config"
	start_prometheus "$TMP/prometheus.yml"
	pport=$PROM_PORT
	q="http://127.0.0.1:$pport/api/v1/query?query="
	wait_for 15000 bash -c "$(declare -f get); get '${q}up' | grep -q '\"value\":\\[[0-9.]*,\"1\"\\]'" ||
		fail "up: $(get "${q}up")"
	wait_for 15000 bash -c "$(declare -f get); get '${q}go_goroutines%7Bpid%3D%22$pid%22%7D' | grep -q '\"pid\":\"$pid\"'" ||
		fail "no go_goroutines{pid=\"$pid\"}: $(get "${q}go_goroutines")"
	get "${q}gops_go_process_info%7Bpid%3D%22$pid%22%7D" | grep -q '"main_module":"example.com/rtfacts"' ||
		fail "info: $(get "${q}gops_go_process_info")"
	kill "$pid"
	wait_for 15000 bash -c "$(declare -f get); get '${q}gops_go_process_info%7Bpid%3D%22$pid%22%7D' | grep -q '\"result\":\\[\\]'" ||
		fail "the series of $pid did not go stale"
}

# Clients that stall (one connects and sends nothing, one asks and reads a
# byte at a time) hold up neither tracing nor other scrapes.
test_metrics_stalled_clients_do_not_block() {
	local pid t0 t1
	start_metrics_daemon
	/usr/bin/python3 - "$PORT" >"$TMP/stall.log" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
idle = socket.create_connection(("127.0.0.1", port))
slow = socket.socket()
slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
slow.connect(("127.0.0.1", port))
slow.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
print("connected", flush=True)
for _ in range(60):
    slow.recv(1)
    time.sleep(0.1)
PY
	PIDS+=($!)
	wait_for 3000 grep -q connected "$TMP/stall.log" || fail "the stalling client did not connect: $(cat "$TMP/stall.log")"
	t0=$(date +%s%N)
	start_fixture pid "$FIX/sleeper"
	wait_for 1000 in_table "$pid" || fail "a Go exec did not reach the table within 1 s"
	t1=$(date +%s%N)
	echo "  exec to table: $(((t1 - t0) / 1000000)) ms with two stalled clients"
	t0=$(date +%s%N)
	scrape | grep -q "^gops_go_process_info{pid=\"$pid\"" || fail "a scrape missed $pid"
	t1=$(date +%s%N)
	[ $(((t1 - t0) / 1000000)) -lt 1000 ] || fail "a scrape took $(((t1 - t0) / 1000000)) ms"
}

test_metrics_textfile_for_node_exporter() {
	local dpid mtime
	mkdir -p "$TMP/tf"
	start_daemon dpid --metrics-textfile "$TMP/tf" --metrics-interval 1
	wait_for 5000 test -s "$TMP/tf/gops.prom" || fail "no $TMP/tf/gops.prom: $(cat "$DAEMON_LOG")"
	promtool check metrics <"$TMP/tf/gops.prom" || fail "promtool rejects the textfile"
	mtime=$(stat -c %Y.%N "$TMP/tf/gops.prom")
	wait_for 4000 bash -c "[ \"\$(stat -c %Y.%N '$TMP/tf/gops.prom')\" != '$mtime' ]" || fail "the textfile is not rewritten"
	expect_eq "files in the directory" "$(ls -A "$TMP/tf")" "gops.prom"
}

test_metrics_textfile_directory_missing() {
	local dpid
	start_daemon dpid --metrics-textfile "$TMP/nowhere" --metrics-interval 1
	wait_for 5000 grep -q "cannot write $TMP/nowhere/gops.prom: No such file or directory" "$DAEMON_LOG" ||
		fail "log: $(cat "$DAEMON_LOG")"
	sleep 2.5
	expect_eq "error lines" "$(grep -c 'cannot write' "$DAEMON_LOG")" 1
	kill -0 "$dpid" || fail "the daemon stopped"
}

test_metrics_addresses() {
	local out rc=0 port dpid
	out=$("$GOPS" daemon --pin-dir "/sys/fs/bpf/gops-test-$$-bad" --metrics localhost:9979 2>&1) || rc=$?
	expect_eq "exit" "$rc" 2
	expect_match "message" "$out" "^gops: invalid --metrics 'localhost:9979': want IPV4:PORT or \\[IPV6\\]:PORT"
	port=$(free_port)
	/usr/bin/python3 -c "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', $port)); s.listen(); time.sleep(30)" &
	PIDS+=($!)
	sleep 0.3
	rc=0
	out=$("$GOPS" daemon --pin-dir "/sys/fs/bpf/gops-test-$$-busy" --metrics "127.0.0.1:$port" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_eq "message" "$out" "gops: cannot serve metrics: cannot listen on 127.0.0.1:$port: Address already in use"
	[ -e "/sys/fs/bpf/gops-test-$$-busy" ] && fail "a table was pinned anyway"
	port=$(free_port)
	start_daemon dpid --metrics "[::1]:$port"
	grep -q "metrics on http://\\[::1\\]:$port/metrics$" "$DAEMON_LOG" || fail "log: $(cat "$DAEMON_LOG")"
	get "http://[::1]:$port/metrics" | grep -q '^gops_daemon_table_capacity 4096$' || fail "no metrics on [::1]"
	kill "$dpid"
	port=$(free_port)
	start_daemon dpid --metrics "0.0.0.0:$port"
	grep -q "metrics on http://0.0.0.0:$port/metrics (not a loopback address: reachable from the network)$" "$DAEMON_LOG" ||
		fail "log: $(cat "$DAEMON_LOG")"
}

test_metrics_other_paths_and_methods() {
	local rc=0
	start_metrics_daemon
	get "http://127.0.0.1:$PORT/" | grep -q 'href="/metrics"' || fail "no link at /"
	get "http://127.0.0.1:$PORT/nope" 2>"$TMP/err" && fail "/nope answered"
	grep -q "HTTP 404" "$TMP/err" || fail "/nope: $(cat "$TMP/err")"
	/usr/bin/python3 -c "
import urllib.request, urllib.error
try:
    urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:$PORT/metrics', data=b'x', method='POST'), timeout=5)
except urllib.error.HTTPError as e:
    raise SystemExit(0 if e.code == 405 else e.code)
raise SystemExit(1)" || rc=$?
	expect_eq "POST" "$rc" 0
}

run_test test_metrics_exposition_passes_promtool
run_test test_metrics_lifecycle_counters_and_exits
run_test test_metrics_prometheus_scrapes_the_daemon
run_test test_metrics_stalled_clients_do_not_block
run_test test_metrics_textfile_for_node_exporter
run_test test_metrics_textfile_directory_missing
run_test test_metrics_addresses
run_test test_metrics_other_paths_and_methods
summary
