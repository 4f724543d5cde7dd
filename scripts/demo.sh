#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make demo`: starts the bundled example Go program (with our agent), shows
# what gops sees of it and what its agent answers, and stops it again; then,
# as root with podman, the same program in a container.
set -euo pipefail
cd "$(dirname "$0")/.."

GOPS=./gops
mkdir -p build
export GOFLAGS=-mod=mod GOPROXY=off
(cd agent/example && go build -buildvcs=false -o ../../build/gopsdemo .)

log=$(mktemp)
watchlog=$(mktemp)
watch=
ctr=
ctrdir=
cleanup() {
	[ -z "$ctr" ] || podman rm -f -t 0 "$ctr" >/dev/null 2>&1 || true
	[ -z "$ctrdir" ] || rm -rf "$ctrdir"
	kill "$demo" 2>/dev/null || true
	wait "$demo" 2>/dev/null || true
	[ -z "$watch" ] || kill -INT "$watch" 2>/dev/null || true
	rm -f "$log" "$watchlog"
}

# As root, `gops watch` sees the example start and stop (live, from the kernel).
if [ "$(id -u)" -eq 0 ]; then
	"$GOPS" watch >"$watchlog" 2>&1 &
	watch=$!
	sleep 1.5 # loading the BPF programs and the first /proc scan
fi

./build/gopsdemo >"$log" 2>&1 &
demo=$!
trap cleanup EXIT

# Wait until it serves (it logs its address), at most 10 s.
for _ in $(seq 100); do
	grep -q serving "$log" && break
	sleep 0.1
done
cat "$log"

run() {
	printf '\n$ gops %s\n' "$*"
	"$GOPS" "$@"
}

run
run tree
run "$demo"

# The example runs our agent: the runtime verbs answer.
for _ in $(seq 50); do
	"$GOPS" 2>/dev/null | grep -q "^$demo .*\*" && break
	sleep 0.1
done
run stats "$demo"
run memstats "$demo"
printf '\n$ gops stack %s | head -n 20\n' "$demo"
"$GOPS" stack "$demo" | head -n 20
printf '\n$ gops buildinfo %s\n' "$demo"
"$GOPS" buildinfo "$demo"
# The same facts read from its memory, not asked of its agent.
run stats --no-agent "$demo" || true

# A Go program without an agent: stats, memstats, version and stack still
# answer, read from its memory and build info (as root: reading another process's
# memory needs CAP_SYS_PTRACE). rtfacts waits for commands on its stdin.
(cd tests/fixtures/rtfacts && go build -buildvcs=false -o ../../../build/rtfacts .)
rm -f build/rtfacts.in
mkfifo build/rtfacts.in
GOMAXPROCS=2 ./build/rtfacts <build/rtfacts.in &
plain=$!
exec 8>build/rtfacts.in # its stdin: closing it ends the program
sleep 0.5
printf '\n(started build/rtfacts, pid %d, a Go program without an agent)\n' "$plain"
run stats "$plain" || true
printf '\n$ gops memstats %s | head -n 12\n' "$plain"
{ "$GOPS" memstats "$plain" || true; } | head -n 12
run version "$plain" || true
printf '\n$ gops stack %s | head -n 12\n' "$plain"
{ "$GOPS" stack "$plain" || true; } | head -n 12

# As root: the daemon's Prometheus metrics, the same facts for every Go process,
# and the deaths it keeps.
metrics_demo() {
	local pin=/sys/fs/bpf/gops-demo-$$ d body= port
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$GOPS" daemon --pin-dir "$pin" --metrics "127.0.0.1:$port" --metrics-interval 1 \
		>/dev/null 2>&1 &
	d=$!
	for _ in $(seq 50); do
		body=$(bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3 && cat <&3" 2>/dev/null) || true
		grep -q "^go_goroutines{pid=\"$plain\"" <<<"$body" && break
		sleep 0.2
	done
	printf '\n$ gops daemon --metrics 127.0.0.1:%s &   # then:\n$ curl -s 127.0.0.1:%s/metrics | grep '"'"'pid="%s"'"'"'\n' "$port" "$port" "$plain"
	grep "pid=\"$plain\"" <<<"$body" || echo "(no metrics for $plain yet)"
	# Why did it die? A Go program that panics, and what the daemon kept of it.
	(cd tests/fixtures/crasher && go build -buildvcs=false -o ../../../build/crasher .)
	printf '\n$ build/crasher index    # panics: index out of range\n'
	./build/crasher index 2>&1 | head -n 4 || true
	sleep 0.3
	printf '\n$ gops deaths -v\n'
	"$GOPS" deaths --pin-dir "$pin" -v || true
	kill "$d" 2>/dev/null || true
	wait "$d" 2>/dev/null || true
}
[ "$(id -u)" -ne 0 ] || metrics_demo
exec 8>&-
wait "$plain" 2>/dev/null || true
rm -f build/rtfacts.in

kill "$demo"
wait "$demo" 2>/dev/null || true
printf '\nstopped the example (pid %d)\n' "$demo"
if [ -n "$watch" ]; then
	sleep 0.5
	kill -INT "$watch"
	wait "$watch" 2>/dev/null || true
	watch=
	printf '\n$ gops watch    # (running meanwhile, as root)\n'
	cat "$watchlog"
fi

# The example again, in a podman container whose root is a directory holding
# it (no image registry needed): gops lists it by host pid, names its
# container, and reaches its agent inside the container's network namespace.
container_demo() {
	local id pid
	ctrdir=$(mktemp -d)
	mkdir -p "$ctrdir/root/etc" "$ctrdir/root/tmp"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$ctrdir/root/etc/passwd"
	(cd agent/example && CGO_ENABLED=0 go build -buildvcs=false -o "$ctrdir/root/gopsdemo" .)
	# runc and cgroupfs work on hybrid cgroup hosts too; no raised ulimits.
	printf '[containers]\ndefault_ulimits = []\n' >"$ctrdir/containers.conf"
	ctr=gops-demo-$$
	if ! id=$(CONTAINERS_CONF=$ctrdir/containers.conf timeout 60 podman run -d --name "$ctr" \
		--runtime runc --cgroup-manager=cgroupfs --network none --rootfs "$ctrdir/root" \
		/gopsdemo 2>&1); then
		echo "(podman could not start a container here: ${id##*$'\n'})"
		return 0
	fi
	pid=$(podman inspect -f '{{.State.Pid}}' "$ctr")
	for _ in $(seq 100); do
		"$GOPS" 2>/dev/null | grep -q "^$pid .*\*" && break
		sleep 0.1
	done
	printf '\n$ podman run -d --name %s --network none --rootfs DIR /gopsdemo\n%s\n' "$ctr" "$id"
	run --wide
	run --container "${id:0:12}"
	run "$pid"
	run stats "$pid"
}

if [ "$(id -u)" -eq 0 ] && command -v podman >/dev/null; then
	printf '\n--- in a container ---\n'
	container_demo
fi
