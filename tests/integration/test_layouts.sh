#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Container identity end to end for the runtimes we cannot run here: a
# process is moved into a cgroup directory named as docker (both drivers),
# containerd under kubepods (both drivers) and cri-o write them, in pid,
# mount and net namespaces of its own (unshare), and `gops --json` (scan
# and daemon table) and `gops watch --json` must name its container, runtime
# and pod UID. A host service's cgroup names none.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

UNIFIED=/sys/fs/cgroup/unified # cgroup v2 on this hybrid host (else /sys/fs/cgroup)
[ -d "$UNIFIED" ] || UNIFIED=/sys/fs/cgroup
V1_PIDS=/sys/fs/cgroup/pids # a cgroup v1 hierarchy, when the host has one
CGDIRS=()                   # the directories a test made, removed deepest first

# After the fixtures (stop_fixtures), the cgroup directories they were in.
remove_cgroups() {
	local i
	for ((i = ${#CGDIRS[@]} - 1; i >= 0; i--)); do
		rmdir "${CGDIRS[i]}" 2>/dev/null || true
	done
	CGDIRS=()
}
STOP_LAST+=(remove_cgroups)

new_id() { head -c 32 /dev/urandom | sha256sum | cut -c1-64; }
new_uid() { cat /proc/sys/kernel/random/uuid; }

# make_cgroup ROOT REL: makes ROOT/REL, each new level registered for removal.
make_cgroup() {
	local path=$1 part
	local IFS=/
	for part in $2; do
		[ -n "$part" ] || continue
		path=$path/$part
		if [ ! -d "$path" ]; then
			mkdir "$path"
			CGDIRS+=("$path")
		fi
	done
	CGPATH=$path
}

# start_in_cgroup VAR DIR: the sleeper as pid 1 of new pid, mount and net
# namespaces, in the cgroup DIR (joined before exec, as runtimes do); VAR
# gets its host pid.
start_in_cgroup() {
	local var=$1 dir=$2 ready=$TMP/ready.$RANDOM launcher kid
	sh -c 'echo $$ > "$1/cgroup.procs" && exec unshare --pid --mount --net --fork --kill-child "$2" -ready "$3"' \
		sh "$dir" "$(realpath "$FIX/sleeper")" "$ready" </dev/null >/dev/null 2>&1 &
	launcher=$!
	PIDS+=("$launcher")
	wait_for 10000 test -s "$ready" || fail "the sleeper did not start in $dir"
	kid=$(pgrep -P "$launcher" | head -n1)
	[ -n "$kid" ] || fail "no child of unshare ($launcher)"
	# unshare ignores SIGTERM while it waits: its child goes first, it follows.
	PIDS+=("$kid")
	printf -v "$var" '%s' "$kid"
}

# identity PID [ARGS...]: "nspid runtime id pod" of PID's row in gops --json.
identity() {
	local pid=$1
	shift
	"$GOPS" --json "$@" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
for p in json.load(sys.stdin):
    if p["pid"] == int(sys.argv[1]):
        print(p["nspid"], p["container_runtime"], p["container_id"], p["pod_uid"])' "$pid"
}

# check_layout REL RUNTIME ID POD: a process in $UNIFIED/REL is listed with them.
check_layout() {
	local pid got want="1 $2 $3 $4"
	make_cgroup "$UNIFIED" "$1"
	start_in_cgroup pid "$CGPATH"
	got=$(identity "$pid")
	expect_eq "scan identity in $1" "$got" "$want"
}

test_docker_cgroupfs_driver() {
	local id
	id=$(new_id)
	check_layout "docker/$id" docker "$id" None
}

test_docker_systemd_driver() {
	local id
	id=$(new_id)
	check_layout "system.slice/docker-$id.scope" docker "$id" None
}

test_containerd_under_kubepods_cgroupfs_driver() {
	local id uid
	id=$(new_id)
	uid=$(new_uid)
	check_layout "kubepods/burstable/pod$uid/$id" containerd "$id" "$uid"
}

test_containerd_under_kubepods_systemd_driver() {
	local id uid
	id=$(new_id)
	uid=$(new_uid)
	check_layout "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid//-/_}.slice/cri-containerd-$id.scope" \
		containerd "$id" "$uid"
}

test_crio_under_kubepods_systemd_driver() {
	local id uid
	id=$(new_id)
	uid=$(new_uid)
	check_layout "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid//-/_}.slice/crio-$id.scope" \
		cri-o "$id" "$uid"
}

test_crio_under_kubepods_cgroupfs_driver() {
	local id uid
	id=$(new_id)
	uid=$(new_uid)
	check_layout "kubepods/besteffort/pod$uid/crio-$id" cri-o "$id" "$uid"
}

test_host_service_is_no_container() {
	local pid got
	make_cgroup "$UNIFIED" "system.slice/gops-test-$$.service"
	start_in_cgroup pid "$CGPATH"
	got=$(identity "$pid")
	expect_eq "identity of a service" "$got" "1 None None None"
}

# On a v1 hierarchy alone (the v2 line says /): the v1 path names it.
test_cgroup_v1_path_names_the_container() {
	local id pid got
	[ -d "$V1_PIDS" ] || {
		echo "  no cgroup v1 pids hierarchy on this host"
		return 1
	}
	id=$(new_id)
	make_cgroup "$V1_PIDS" "docker/$id"
	start_in_cgroup pid "$CGPATH"
	got=$(identity "$pid")
	expect_eq "identity from cgroup v1" "$got" "1 docker $id None"
}

# The namespaces in --json are the process's own, not ours.
test_namespaces_are_the_process_own() {
	local id pid got want
	id=$(new_id)
	make_cgroup "$UNIFIED" "docker/$id"
	start_in_cgroup pid "$CGPATH"
	got=$("$GOPS" --json | /usr/bin/python3 -c '
import json, sys
for p in json.load(sys.stdin):
    if p["pid"] == int(sys.argv[1]):
        print(p["pid_ns"], p["mnt_ns"], p["net_ns"])' "$pid")
	want="$(stat -L -c %i /proc/"$pid"/ns/pid) $(stat -L -c %i /proc/"$pid"/ns/mnt) $(stat -L -c %i /proc/"$pid"/ns/net)"
	expect_eq "namespaces" "$got" "$want"
	[ "$(stat -L -c %i /proc/self/ns/net)" != "$(stat -L -c %i /proc/"$pid"/ns/net)" ] ||
		fail "the fixture shares our net namespace"
}

# The daemon keeps the identity in its table: the same answer, no /proc scan.
test_daemon_table_has_the_identity() {
	local d id uid pid got
	start_daemon d
	id=$(new_id)
	uid=$(new_uid)
	make_cgroup "$UNIFIED" "kubepods/pod$uid/$id"
	start_in_cgroup pid "$CGPATH"
	wait_for 5000 in_table "$pid" || fail "$pid not in the table"
	got=$(identity "$pid" --pin-dir "$PIN" -v)
	expect_eq "table identity" "$got" "1 containerd $id $uid"
	"$GOPS" --pin-dir "$PIN" -v 2>&1 >/dev/null | grep -q "listing from the table" ||
		fail "the listing did not come from the table"
	got=$("$GOPS" --pin-dir "$PIN" --container "${id:0:12}" | awk '{print $1}')
	expect_eq "--container from the table" "$got" "$pid"
}

# A process moved into a container's cgroup after it started: the daemon
# reads its cgroup again at its heartbeat.
test_daemon_table_follows_a_move_to_another_cgroup() {
	local d id pid home
	start_daemon d
	start_fixture pid "$FIX/sleeper"
	wait_for 5000 in_table "$pid" || fail "$pid not in the table"
	expect_eq "before the move" "$(identity "$pid" --pin-dir "$PIN")" "$pid None None None"
	id=$(new_id)
	home=$UNIFIED$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
	make_cgroup "$UNIFIED" "docker/$id"
	echo "$pid" >"$CGPATH/cgroup.procs"
	moved() { [ "$(identity "$pid" --pin-dir "$PIN")" == "$pid docker $id None" ]; }
	wait_for 3000 moved || fail "after the move: $(identity "$pid" --pin-dir "$PIN")"
	echo "$pid" >"$home/cgroup.procs" # home again, so that its cgroup can go
}

# watch's exec and exit events carry the container; --container filters them.
test_watch_events_carry_the_container() {
	local w id other pid pid2 out=$TMP/watch.json
	id=$(new_id)
	other=$(new_id)
	"$GOPS" watch --json --container "${id:0:12}" >"$out" 2>"$TMP/watch.err" &
	w=$!
	PIDS+=("$w")
	wait_for 10000 grep -q . "$TMP/watch.err" || true # it says when it is ready, or not
	sleep 1
	make_cgroup "$UNIFIED" "docker/$other"
	start_in_cgroup pid2 "$CGPATH"
	make_cgroup "$UNIFIED" "system.slice/docker-$id.scope"
	start_in_cgroup pid "$CGPATH"
	kill "$pid"
	wait_for 5000 grep -q '"event":"exit"' "$out" || fail "no exit event: $(cat "$out")"
	/usr/bin/python3 - "$out" "$pid" "$id" <<'EOF' || fail "watch events: $(cat "$out")"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
pid, cid = int(sys.argv[2]), sys.argv[3]
assert [e["event"] for e in events] == ["exec", "exit"], events
for e in events:
    assert e["pid"] == pid and e["nspid"] == 1, e
    assert e["container_id"] == cid and e["container_runtime"] == "docker", e
EOF
}

run_test test_docker_cgroupfs_driver
run_test test_docker_systemd_driver
run_test test_containerd_under_kubepods_cgroupfs_driver
run_test test_containerd_under_kubepods_systemd_driver
run_test test_crio_under_kubepods_systemd_driver
run_test test_crio_under_kubepods_cgroupfs_driver
run_test test_host_service_is_no_container
run_test test_cgroup_v1_path_names_the_container
run_test test_namespaces_are_the_process_own
run_test test_daemon_table_has_the_identity
run_test test_daemon_table_follows_a_move_to_another_cgroup
run_test test_watch_events_carry_the_container
summary
