#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes docs/fleet-metrics.png, the README's picture of the metrics: a real
# `gops daemon --metrics` scraped every second by a real Prometheus server
# (Debian's) while three Go programs without an agent work (goroutines come
# and go, the heap grows, GC runs) and short-lived ones exit with code 0, 2
# (a panic's) or a signal; then the series are fetched from Prometheus' query
# API and plotted with gnuplot. Takes about two minutes. Run as root.
#
# usage: scripts/fleet-picture.sh [OUT.png]   (default docs/fleet-metrics.png)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=${1:-docs/fleet-metrics.png}
for tool in prometheus gnuplot python3; do
	command -v "$tool" >/dev/null || {
		echo "fleet-picture: $tool not found (scripts/install-deps.sh installs it)" >&2
		exit 1
	}
done
make -s gops
bash tests/fixtures/build.sh build/fixtures >/dev/null
FIX=build/fixtures
TMP=$(mktemp -d /tmp/gops-picture.XXXXXX)
PIN=/sys/fs/bpf/gops-picture-$$
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mport=$(port)
pport=$(port)
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
./gops daemon --pin-dir "$PIN" --metrics "127.0.0.1:$mport" --metrics-interval 1 >"$TMP/daemon.log" 2>&1 &
pids+=($!)
cat >"$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: gops
    static_configs:
      - targets: ['127.0.0.1:$mport']
EOF
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
	--web.listen-address="127.0.0.1:$pport" --log.level=warn >"$TMP/prom.log" 2>&1 &
pids+=($!)

# Three workers, each reading commands from a fifo of its own.
for w in api worker batch; do
	mkdir -p "$TMP/$w"
	cp "$FIX/rtfacts" "$TMP/$w/$w"
	mkfifo "$TMP/$w.in"
	GOMAXPROCS=2 "$TMP/$w/$w" -agent=false <"$TMP/$w.in" >/dev/null 2>&1 &
	pids+=($!)
done
exec 4>"$TMP/api.in" 5>"$TMP/worker.in" 6>"$TMP/batch.in"
cp "$FIX/sleeper" "$TMP/job"

echo "fleet-picture: recording for 100 s..."
echo churn >&5
for t in $(seq 100); do
	case $((t % 20)) in
	2) echo "spawn 300" >&4 ;;
	12) echo release >&4 ;;
	esac
	case $((t % 30)) in
	5) echo "alloc 40" >&6 ;;
	20) echo "alloc 5" >&6 && echo gc >&6 ;;
	esac
	if [ $((t % 10)) -eq 0 ]; then
		"$TMP/job" -exit $(((t / 10) % 3 == 0 ? 2 : 0)) -after 2s </dev/null >/dev/null 2>&1 &
		disown
	fi
	if [ $((t % 25)) -eq 0 ]; then
		"$TMP/job" </dev/null >/dev/null 2>&1 &
		(sleep 1 && kill -KILL $! 2>/dev/null) &
		disown -a
	fi
	sleep 1
done

# panel TITLE QUERY: one gnuplot plot command, its series from query_range
# written to files of their own under $TMP/data.
end=$(date +%s)
start=$((end - 100))
mkdir -p "$TMP/data"
panel() {
	python3 - "$pport" "$2" "$start" "$end" "$TMP/data" "$1" <<'PY'
import json, os, sys, urllib.parse, urllib.request
port, q, start, end, out, title = sys.argv[1:7]
url = "http://127.0.0.1:%s/api/v1/query_range?%s" % (port, urllib.parse.urlencode(
    {"query": q, "start": start, "end": end, "step": 1}))
result = json.load(urllib.request.urlopen(url, timeout=10))["data"]["result"]
if not result:
    sys.exit("fleet-picture: Prometheus has nothing for " + q)
plots = []
for i, s in enumerate(result):
    m = s["metric"]
    name = m.get("name", "?")
    for k in ("code", "signal"):
        if k in m:
            name += " %s=%s" % (k, m[k])
    path = os.path.join(out, "%s-%d.dat" % (title.split()[0], i))
    with open(path, "w") as f:
        for t, v in s["values"]:
            f.write("%d %s\n" % (int(t) - int(start), v))
    plots.append('"%s" using 1:2 with lines lw 2 title "%s"' % (path, name))
print('set title "%s"' % title)
print("plot " + ", ".join(plots))
PY
}
{
	echo 'set terminal pngcairo size 1200,800 font "DejaVu Sans,10" noenhanced'
	echo "set output \"$OUT\""
	echo 'set multiplot layout 2,2 title "gops daemon --metrics scraped every second by Prometheus; none of these programs has an agent"'
	echo 'set key top left'
	echo 'set xlabel "seconds"'
	echo 'set grid'
	panel 'go_goroutines' 'go_goroutines{name=~"api|worker|batch"}'
	panel 'go_memstats_heap_inuse_bytes (MiB)' 'go_memstats_heap_inuse_bytes{name=~"api|worker|batch"} / 1048576'
	panel 'GC cycles per second: rate(go_gc_cycles_total[10s])' 'rate(go_gc_cycles_total{name=~"api|worker|batch"}[10s])'
	panel 'gops_go_process_exits_total of the short jobs' 'sum by (name, code, signal) (gops_go_process_exits_total{name="job"})'
	echo 'unset multiplot'
} >"$TMP/plot.gp"
mkdir -p "$(dirname "$OUT")"
gnuplot "$TMP/plot.gp"
echo "fleet-picture: wrote $OUT"
