#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The fleet deployment files under deploy/: the DaemonSet against the
# Kubernetes schema and what the daemon needs, its pod's security context run
# for real (podman with the same capabilities, seccomp and mounts, each
# capability shown to matter), both scrape configurations through promtool and
# a real Prometheus, and the Grafana dashboard's queries against a real
# exposition and known histories.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

PY=/usr/bin/python3
CHECK=tests/integration/deploycheck.py
DS=deploy/kubernetes/daemonset.yaml
K8S_SCRAPE=deploy/kubernetes/prometheus-scrape.yaml
HOST_SCRAPE=deploy/prometheus/gops.yml
DASH=deploy/grafana/gops-dashboard.json

test_deploy_daemonset_names_what_the_daemon_needs() {
	$PY -c 'import yaml' || fail "python3-yaml is missing (scripts/install-deps.sh)"
	$PY -c 'import kubernetes' || fail "python3-kubernetes is missing (scripts/install-deps.sh)"
	$PY "$CHECK" manifest "$DS" scripts/gops-daemon.service || fail "$DS"
}

test_deploy_containerfile_installs_the_package() {
	local cf=deploy/kubernetes/Containerfile
	grep -qx 'FROM debian:bookworm-slim' "$cf" || fail "$cf is not FROM debian:bookworm-slim"
	grep -q '^COPY build/deb/ ' "$cf" || fail "$cf does not copy build/deb/"
	grep -q 'gops-bpf_\*_amd64.deb' "$cf" || fail "$cf does not install gops-bpf_*_amd64.deb"
	grep -qx 'ENTRYPOINT \["/usr/bin/gops"\]' "$cf" || fail "$cf does not run /usr/bin/gops"
	grep -q '^          image: gops-bpf:latest$' "$DS" || fail "$DS: not the gops-bpf:latest the docs explain"
	grep -q '^          imagePullPolicy: IfNotPresent$' "$DS" || fail "$DS: imagePullPolicy is not IfNotPresent"
}

# ---- the pod's security context, run by podman ----
# A root holding only the static gops at /usr/bin/gops; the pod's options
# (deploycheck.py podman-args) and command, with a pin dir of the test's own
# (a host daemon may own /sys/fs/bpf/gops) and runtime facts read every second.
POD_ROOT=$TMP/pod-root
make_pod_root() {
	[ -x "$POD_ROOT/usr/bin/gops" ] && return 0
	mkdir -p "$POD_ROOT/usr/bin" "$POD_ROOT/etc" "$POD_ROOT/var/cache" "$POD_ROOT/tmp"
	cp "$GOPS" "$POD_ROOT/usr/bin/gops"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$POD_ROOT/etc/passwd"
}

# run_pod NAME [-CAP...] [--runtime-seccomp]: the daemon in container NAME, as
# the DaemonSet runs it but without the capabilities named, or with the
# runtime's default seccomp profile; sets CPID (0 when it exited) and PIN.
run_pod() {
	local name=$1 full opts=() drop=() a args=() cmd=() seccomp=unconfined
	shift
	for a in "$@"; do
		case $a in
		-*CAP_*) drop+=("${a#-}") ;;
		--runtime-seccomp) seccomp=default ;;
		esac
	done
	command -v podman >/dev/null || fail "podman not installed (scripts/install-deps.sh installs it)" || return 1
	make_pod_root
	mapfile -t args < <($PY "$CHECK" podman-args "$DS")
	for a in "${args[@]}"; do
		[[ " ${drop[*]} " == *" ${a#--cap-add=} "* ]] && continue
		[ "$seccomp" == default ] && [ "$a" == --security-opt=seccomp=unconfined ] && continue
		opts+=("$a")
	done
	PIN=/sys/fs/bpf/gops-test-$BASHPID-$RANDOM
	PINS+=("$PIN")
	mapfile -t cmd < <($PY "$CHECK" command "$DS")
	for a in "${!cmd[@]}"; do
		[ "${cmd[$a]}" == /sys/fs/bpf/gops ] && cmd[$a]=$PIN
	done
	[[ " ${cmd[*]} " == *" $PIN "* ]] || fail "no --pin-dir /sys/fs/bpf/gops in the DaemonSet's command" || return 1
	full=$(ctr_name "$name")
	CONTAINERS+=("$BASHPID:$full")
	podman_cmd run --runtime runc --cgroup-manager=cgroupfs --network none -d --name "$full" \
		"${opts[@]}" --rootfs "$POD_ROOT" "${cmd[@]}" --metrics-interval 1 >"$TMP/podman.out" 2>&1 ||
		fail "podman run: $(cat "$TMP/podman.out")" || return 1
	for _ in $(seq 100); do
		[ "$(podman_cmd inspect -f '{{.State.Status}}' "$full")" != running ] && break
		"$GOPS" status --pin-dir "$PIN" >/dev/null 2>&1 && break
		sleep 0.05
	done
	CPID=$(podman_cmd inspect -f '{{.State.Pid}}' "$full")
}

pod_log() { podman_cmd logs "$(ctr_name "$1")" 2>&1; }

# pod_scrape: /metrics from inside the pod's network namespace, where the
# daemon listens on 0.0.0.0:9979 as in the DaemonSet.
pod_scrape() { nsenter --net="/proc/$CPID/ns/net" bash -c "$(declare -f get); get http://127.0.0.1:9979/metrics"; }
pod_has() { pod_scrape | grep -qE "$1"; }

# start_nobody VAR: a Go program of another user (nobody), whose memory and
# executable root may read only with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH.
start_nobody() {
	local dir=$TMP/nobody ready
	chmod 711 "$TMP"
	mkdir -p "$dir"
	chmod 777 "$dir"
	cp "$FIX/sleeper" "$dir/sleeper"
	chmod 755 "$dir/sleeper"
	ready=$dir/ready.$RANDOM
	setpriv --reuid=65534 --regid=65534 --clear-groups "$dir/sleeper" -ready "$ready" </dev/null >/dev/null 2>&1 &
	PIDS+=($!)
	wait_for 10000 test -s "$ready" || fail "the sleeper did not start as nobody"
	printf -v "$1" '%s' "$!"
}

# cap_mask NAMES...: the capability mask of CAP_ names, in /proc/PID/status's hex.
cap_mask() {
	$PY - "$@" <<'PY'
import sys
num = {"CAP_DAC_READ_SEARCH": 2, "CAP_SYS_PTRACE": 19, "CAP_SYS_ADMIN": 21,
       "CAP_SYS_RESOURCE": 24, "CAP_PERFMON": 38, "CAP_BPF": 39}
print("%016x" % sum(1 << num[c] for c in sys.argv[1:]))
PY
}

test_deploy_daemonset_security_context_runs_the_daemon() {
	local pid want bnd c caps=() missing=()
	start_nobody pid
	run_pod pod
	[ "$CPID" != 0 ] || fail "the daemon did not start: $(pod_log pod)"
	wait_for 5000 pod_has '^gops_daemon_table_capacity ' || fail "no /metrics on 0.0.0.0:9979 in the pod: $(pod_log pod)"
	# Exactly the DaemonSet's capabilities (less what this machine's bounding set lacks).
	bnd=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
	for c in $($PY "$CHECK" podman-args "$DS" | sed -n 's/^--cap-add=//p'); do
		if (((0x$bnd & 0x$(cap_mask "$c")) != 0)); then caps+=("$c"); else missing+=("$c"); fi
	done
	[ ${#missing[@]} -eq 0 ] || echo "  (not in this machine's bounding set, so not granted: ${missing[*]})"
	want=$(cap_mask "${caps[@]}")
	expect_eq "CapEff" "$(awk '/^CapEff:/ { print $2 }' "/proc/$CPID/status")" "$want"
	expect_eq "NoNewPrivs" "$(awk '/^NoNewPrivs:/ { print $2 }' "/proc/$CPID/status")" 1
	# Another user's Go process, its runtime read from its memory.
	wait_for 8000 pod_has "^go_goroutines\\{pid=\"$pid\"" || fail "no runtime series for nobody's $pid: $(pod_scrape | grep "pid=\"$pid\"")"
	pod_scrape | grep -q "^gops_go_process_runtime_readable{pid=\"$pid\",.*} 1$" || fail "runtime of $pid not readable"
	# The table is pinned in the host's bpffs, where gops on the host lists it.
	"$GOPS" --pin-dir "$PIN" | grep -q "^$pid " || fail "gops on the host does not list $pid from $PIN: $("$GOPS" --pin-dir "$PIN" 2>&1)"
	# The layout cache lands in the emptyDir (the root is read-only).
	ls "/proc/$CPID/root/var/cache/gops/" | grep -q '^layout-' || fail "no layout cache in /var/cache/gops"
}

# What each of the DaemonSet's capabilities, and its Unconfined seccomp
# profile, is for: without it, what its comment says happens.
test_deploy_each_capability_is_needed() {
	local pid c
	start_nobody pid
	for c in -CAP_BPF -CAP_PERFMON --runtime-seccomp; do
		run_pod "no${c//_/-}" "$c"
		wait_for 5000 bash -c "[ \"\$(podman inspect -f '{{.State.Status}}' $(ctr_name "no${c//_/-}"))\" != running ]" ||
			fail "$c: the daemon runs without it"
		pod_log "no${c//_/-}" | grep -q 'failed to load BPF programs' || fail "$c: $(pod_log "no${c//_/-}")"
	done
	# Without CAP_SYS_PTRACE: nobody's executable cannot be read, never classified.
	run_pod no-ptrace -CAP_SYS_PTRACE
	[ "$CPID" != 0 ] || fail "no CAP_SYS_PTRACE: the daemon did not start: $(pod_log no-ptrace)"
	wait_for 5000 pod_has '^gops_daemon_table_capacity ' || fail "no CAP_SYS_PTRACE: no /metrics"
	sleep 3
	pod_scrape | grep -q "^gops_go_process_info{pid=\"$pid\"" && fail "no CAP_SYS_PTRACE, yet $pid is in the table"
	# Without CAP_DAC_READ_SEARCH: in the table, but its memory cannot be read.
	run_pod no-dac -CAP_DAC_READ_SEARCH
	[ "$CPID" != 0 ] || fail "no CAP_DAC_READ_SEARCH: the daemon did not start: $(pod_log no-dac)"
	wait_for 8000 pod_has "^gops_go_process_info\\{pid=\"$pid\"" || fail "no CAP_DAC_READ_SEARCH: $pid not in the table"
	sleep 3
	pod_scrape | grep -q "^gops_go_process_runtime_readable{pid=\"$pid\",.*} 0$" ||
		fail "no CAP_DAC_READ_SEARCH, yet: $(pod_scrape | grep "runtime_readable{pid=\"$pid\"")"
	pod_scrape | grep -q "^go_goroutines{pid=\"$pid\"" && fail "no CAP_DAC_READ_SEARCH, yet $pid has runtime series"
	# CAP_SYS_RESOURCE only matters before Linux 5.11 (RLIMIT_MEMLOCK).
	echo "  (CAP_SYS_RESOURCE: not observable on Linux $(uname -r | cut -d- -f1), where BPF maps are charged to the memory cgroup)"
}

# ---- the scrape configurations ----
test_deploy_scrape_configs_pass_promtool() {
	local out
	promtool check config "$HOST_SCRAPE" >"$TMP/promtool.out" 2>&1 || fail "$HOST_SCRAPE: $(cat "$TMP/promtool.out")"
	grep -q "targets: \['127.0.0.1:9979'\]" "$HOST_SCRAPE" || fail "$HOST_SCRAPE does not scrape 127.0.0.1:9979"
	if out=$(promtool check config "$K8S_SCRAPE" 2>&1); then
		return 0
	fi
	# Debian's Prometheus is built without Kubernetes discovery: its promtool
	# checks the rest, with the discovery block (checked apart) as file_sd.
	grep -q 'field kubernetes_sd_configs not found' <<<"$out" || fail "$K8S_SCRAPE: $out"
	echo "  (this promtool has no Kubernetes discovery: checked with it swapped for file_sd)"
	$PY "$CHECK" sd-swap "$K8S_SCRAPE" "$TMP/k8s.yml" "$TMP/pods.json" || fail "$K8S_SCRAPE"
	promtool check config "$TMP/k8s.yml" >"$TMP/promtool.out" 2>&1 || fail "$K8S_SCRAPE: $(cat "$TMP/promtool.out")"
}

# pods_json PORT: what Kubernetes pod discovery yields for a node running the
# DaemonSet (its metrics port and another one) and for another app's pod.
pods_json() {
	cat <<EOF
[
 {"targets": ["127.0.0.1:$1"], "labels": {"__meta_kubernetes_namespace": "gops",
   "__meta_kubernetes_pod_name": "gops-daemon-x7k2p", "__meta_kubernetes_pod_node_name": "node-a",
   "__meta_kubernetes_pod_label_app_kubernetes_io_name": "gops-daemon",
   "__meta_kubernetes_pod_container_port_name": "metrics"}},
 {"targets": ["127.0.0.1:1"], "labels": {"__meta_kubernetes_namespace": "gops",
   "__meta_kubernetes_pod_name": "gops-daemon-x7k2p", "__meta_kubernetes_pod_node_name": "node-a",
   "__meta_kubernetes_pod_label_app_kubernetes_io_name": "gops-daemon",
   "__meta_kubernetes_pod_container_port_name": "debug"}},
 {"targets": ["127.0.0.1:2"], "labels": {"__meta_kubernetes_namespace": "gops",
   "__meta_kubernetes_pod_name": "other-9qz", "__meta_kubernetes_pod_node_name": "node-a",
   "__meta_kubernetes_pod_label_app_kubernetes_io_name": "other",
   "__meta_kubernetes_pod_container_port_name": "metrics"}}
]
EOF
}

# A real Prometheus with both jobs (the static one's port and the pod job's
# discovery swapped for the test) scrapes a real daemon; then every dashboard
# query runs against it, and those that must show something do.
test_deploy_prometheus_scrapes_with_both_configs_and_answers_the_dashboard() {
	local dpid rt pport q title expr out t
	PORT=$(free_port)
	start_daemon dpid --metrics "127.0.0.1:$PORT" --metrics-interval 1
	start_rtfacts rt rtfacts -- -agent=false
	sed "s/127\\.0\\.0\\.1:9979/127.0.0.1:$PORT/" "$HOST_SCRAPE" >"$TMP/host.yml"
	grep -q "127.0.0.1:$PORT" "$TMP/host.yml" || fail "no 127.0.0.1:9979 target in $HOST_SCRAPE"
	$PY "$CHECK" sd-swap "$K8S_SCRAPE" "$TMP/k8s.yml" "$TMP/pods.json" || fail "$K8S_SCRAPE"
	pods_json "$PORT" >"$TMP/pods.json"
	$PY - "$TMP/host.yml" "$TMP/k8s.yml" >"$TMP/prometheus.yml" <<'PY'
import sys, yaml
host, k8s = (yaml.safe_load(open(f)) for f in sys.argv[1:3])
k8s["scrape_configs"][0]["job_name"] = "gops-k8s"
jobs = host["scrape_configs"] + k8s["scrape_configs"]
for j in jobs:
    j["scrape_interval"], j["scrape_timeout"] = "1s", "1s"
print(yaml.safe_dump({"scrape_configs": jobs}))
PY
	promtool check config "$TMP/prometheus.yml" >/dev/null 2>&1 || fail "promtool rejects the merged config"
	start_prometheus "$TMP/prometheus.yml"
	pport=$PROM_PORT
	q="http://127.0.0.1:$pport/api/v1"
	wait_for 15000 bash -c "$(declare -f get); get '$q/query?query=sum(up)' | grep -q '\"value\":\\[[0-9.]*,\"2\"\\]'" ||
		fail "not both jobs up: $(get "$q/query?query=up")"
	# The pod job kept the DaemonSet's metrics port only, with node, namespace and pod.
	get "$q/targets?state=active" | $PY -c '
import json, sys
ts = [t for t in json.load(sys.stdin)["data"]["activeTargets"] if t["labels"]["job"] == "gops-k8s"]
assert len(ts) == 1, ts
l = ts[0]["labels"]
assert (l["node"], l["namespace"], l["pod"]) == ("node-a", "gops", "gops-daemon-x7k2p"), l' ||
		fail "the pod job's targets: $(get "$q/targets?state=active")"
	wait_for 15000 bash -c "$(declare -f get); get '$q/query?query=go_goroutines%7Bjob%3D%22gops-k8s%22%2Cpid%3D%22$rt%22%7D' | grep -q '\"node\":\"node-a\"'" ||
		fail "no go_goroutines of $rt with node=node-a"
	sleep 3 # a few samples, for rate()
	while IFS=$'\t' read -r title expr; do
		out=$(get "$q/query?query=$($PY -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$expr")") ||
			fail "$title: the query fails: $expr"
		grep -q '"status":"success"' <<<"$out" || fail "$title: $out"
		for t in 'Goroutines' 'Heap in use' 'GOMAXPROCS' 'Go process starts' 'BPF events' 'Table rows' \
			'Scrape duration' 'Go processes'; do
			if [[ "$title" == "$t"* ]] && grep -q '"result":\[\]' <<<"$out"; then
				fail "$title: nothing for: $expr"
			fi
		done
	done < <($PY "$CHECK" exprs "$DASH")
}

# ---- the dashboard ----
# Every query names only metrics a real daemon serves, with labels they have;
# every query parses (promtool check rules, on them as recording rules).
test_deploy_dashboard_queries_use_served_names_and_parse() {
	local dpid pid out
	PORT=$(free_port)
	start_daemon dpid --metrics "127.0.0.1:$PORT" --metrics-interval 1
	start_rtfacts pid rtfacts -- -agent=false
	start_fixture pid "$FIX/sleeper" -exit 2 -after 200ms
	start_fixture pid "$FIX/sleeper"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
	wait_for 8000 bash -c "$(declare -f get); get http://127.0.0.1:$PORT/metrics | grep -q '^gops_go_process_exits_total{name=\"sleeper\",signal=\"9\",cause=\"signal\"}'" ||
		fail "no exits in the exposition"
	wait_for 8000 bash -c "$(declare -f get); get http://127.0.0.1:$PORT/metrics | grep -q '^gops_go_process_exits_total{name=\"sleeper\",code=\"2\",cause=\"exit\"}'" ||
		fail "no exit with code 2 in the exposition"
	wait_for 8000 bash -c "$(declare -f get); get http://127.0.0.1:$PORT/metrics | grep -q '^go_goroutines{'" || fail "no runtime series"
	get "http://127.0.0.1:$PORT/metrics" >"$TMP/exposition.txt"
	$PY -c 'import json, sys; json.load(open(sys.argv[1]))' "$DASH" || fail "$DASH is not JSON"
	$PY "$CHECK" dashboard "$DASH" "$TMP/exposition.txt" || fail "$DASH"
	$PY "$CHECK" rules "$DASH" "$TMP/rules.yml"
	out=$(promtool check rules "$TMP/rules.yml" 2>&1) || fail "promtool: $out"
	grep -qE 'SUCCESS: [0-9]+ rules found' <<<"$out" || fail "promtool: $out"
}

# The start and exit panels count what happened, on a known history (see
# deploycheck.py ruletest): a daemon pod's rollout is no exit.
test_deploy_dashboard_start_and_exit_panels_count_right() {
	$PY "$CHECK" ruletest "$DASH" "$TMP/ruletest.yml" || fail "$DASH"
	promtool test rules "$TMP/ruletest.yml" >"$TMP/ruletest.out" 2>&1 || fail "$(cat "$TMP/ruletest.out")"
}

run_test test_deploy_daemonset_names_what_the_daemon_needs
run_test test_deploy_containerfile_installs_the_package
run_test test_deploy_daemonset_security_context_runs_the_daemon
run_test test_deploy_each_capability_is_needed
run_test test_deploy_scrape_configs_pass_promtool
run_test test_deploy_prometheus_scrapes_with_both_configs_and_answers_the_dashboard
run_test test_deploy_dashboard_queries_use_served_names_and_parse
run_test test_deploy_dashboard_start_and_exit_panels_count_right
summary
