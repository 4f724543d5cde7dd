#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Agents in a root of their own, as in a container: a chroot inside new mount,
# pid and network namespaces. Their port files are found inside that root,
# whatever its symlinks say; files on the host are never taken for theirs;
# the verbs reach them on their own loopback; and a user who may not look
# into them gets one line saying what is missing.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

# The demo without cgo: a static binary, alone in its root.
DEMO_STATIC=$FIX/gopsdemo-static
if [ ! -x "$DEMO_STATIC" ] || [ -n "$(find agent -name '*.go' -newer "$DEMO_STATIC" -print -quit)" ]; then
	(cd agent/example && CGO_ENABLED=0 GOFLAGS=-mod=mod GOPROXY=off go build -buildvcs=false \
		-o "$(realpath ../../"$FIX")/gopsdemo-static" .) || exit 1
fi
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# make_root: a root in $ROOT holding /gopsdemo, whose $HOME (/home/u) has
# .config -> $TMP/cfg, an absolute link. Inside the root it leads to
# $ROOT$TMP/cfg; read on the host it would lead to $TMP/cfg, which holds a
# decoy port file for pid 1 (port 1, where nobody listens).
make_root() {
	ROOT=$(mktemp -d "$TMP/root.XXXXXX")
	chmod 755 "$ROOT"
	mkdir -p "$ROOT/home/u" "$ROOT$TMP/cfg" "$TMP/cfg/gops"
	cp "$DEMO_STATIC" "$ROOT/gopsdemo"
	ln -s "$TMP/cfg" "$ROOT/home/u/.config"
	printf 1 >"$TMP/cfg/gops/1"
	PORTFILE=$ROOT$TMP/cfg/gops/1 # where its agent writes, as pid 1 in there
}

# start_in_root VAR [USER:GROUP]: runs the demo in $ROOT, in mount, pid and
# network namespaces of its own (loopback up), as USER if given; waits for its
# port file; stores its host pid in VAR.
start_in_root() {
	local var=$1 spec=${2:+--userspec=$2} launcher _pid
	env -i HOME=/home/u PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		unshare --mount --pid --net --fork --kill-child \
		sh -c "ip link set lo up && exec chroot $spec '$ROOT' /gopsdemo" \
		</dev/null >/dev/null 2>&1 &
	launcher=$!
	PIDS+=("$launcher")
	wait_for 5000 test -s "$PORTFILE" || fail "no port file from the agent in $ROOT"
	_pid=$(pgrep -P "$launcher" -x gopsdemo)
	[ -n "$_pid" ] || fail "no gopsdemo under $launcher"
	PIDS+=("$_pid")
	printf -v "$var" '%s' "$_pid"
}

test_agent_in_a_root_of_its_own_is_reached_through_its_symlinks() {
	local pid out
	make_root
	start_in_root pid
	"$GOPS" --json | /usr/bin/python3 -c "
import json, sys
p = [x for x in json.load(sys.stdin) if x['pid'] == $pid][0]
assert p['nspid'] == 1 and p['agent'], p" || fail "listing: $("$GOPS" --json)"
	out=$("$GOPS" stats "$pid" 2>&1) || fail "stats through its root and namespace failed"
	expect_match "stats" "$out" "^goroutines: [0-9]+"
	out=$("$GOPS" version "$pid") || fail "version failed"
	expect_eq "version" "$out" "$(go env GOVERSION)"
}

test_port_file_that_is_a_symlink_in_its_root_is_refused() {
	local pid err rc=0
	make_root
	start_in_root pid
	rm -f "$PORTFILE"
	ln -s "$TMP/cfg/gops/1" "$PORTFILE"
	err=$("$GOPS" stats "$pid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_eq "message" "$err" \
		"gops: port file /proc/$pid/root/home/u/.config/gops/1 is a symlink: refusing it"
}

# Our own config dir holds a file named by its host pid, with the port its
# agent really listens on: still not its port file (it does not share our
# root), neither for the mark nor for the verbs.
test_decoy_in_our_config_dir_for_its_host_pid_is_ignored() {
	local pid err rc=0 own=$TMP/own
	make_root
	start_in_root pid
	mkdir -p "$own"
	cp "$PORTFILE" "$own/$pid"
	rm -f "$PORTFILE"
	GOPS_CONFIG_DIR=$own "$GOPS" --json | /usr/bin/python3 -c "
import json, sys
p = [x for x in json.load(sys.stdin) if x['pid'] == $pid][0]
assert not p['agent'], p" || fail "listing marks it: $(GOPS_CONFIG_DIR=$own "$GOPS" --json)"
	err=$(GOPS_CONFIG_DIR=$own "$GOPS" gc "$pid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_eq "message" "$err" "gops: no gops agent port file for process $pid (looked in /proc/$pid/root/home/u/.config/gops/1): the program needs a gops agent"
}

test_unprivileged_user_is_told_it_cannot_read_the_root() {
	local pid err rc=0
	make_root
	start_in_root pid
	err=$("${NOBODY[@]}" "$GOPS" stats "$pid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_eq "message" "$err" \
		"gops: cannot read the root of process $pid: permission denied (needs root or CAP_SYS_PTRACE)"
}

# Its own process (same user) it may look into, but not enter its network
# namespace.
test_unprivileged_user_is_told_it_cannot_enter_the_network_namespace() {
	local pid err rc=0
	make_root
	chown -R 65534:65534 "$ROOT$TMP/cfg"
	start_in_root pid nobody:nogroup
	err=$("${NOBODY[@]}" "$GOPS" stats "$pid" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_eq "message" "$err" "gops: cannot enter the network namespace of process $pid: operation not permitted (needs root or CAP_SYS_ADMIN)"
	# Root can.
	"$GOPS" stats "$pid" 2>&1 | head -n 1 | grep -q "^goroutines: " || fail "stats as root"
}

for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
	run_test "$t"
done
summary
