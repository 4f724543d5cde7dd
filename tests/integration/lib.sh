# SPDX-License-Identifier: MIT
# Helpers for integration tests: start fixtures, wait, assert. Sourced.

GOPS=${GOPS:-./gops}
GOPS_TSAN=${GOPS_TSAN:-build/gops-tsan}
FIX=${GOPS_FIXTURES:-build/fixtures}
TMP=$(mktemp -d /tmp/gops-it.XXXXXX)
PIDS=()
PINS=() # pin dirs a test's daemons used: removed when the test ends

# The listing verbs look at a pin dir no daemon owns, never the default one: a
# daemon running on this host must not change what the tests see. Tests that
# want a table start their own daemon (start_daemon) and pass --pin-dir "$PIN".
export GOPS_PIN_DIR=/sys/fs/bpf/gops-test-none-$$
# The agentless reads' layout cache: the test's own, never the host's.
export GOPS_CACHE_DIR=$TMP/layout-cache

# Which tests run: the names given to the test file (bash test_x.sh NAME...),
# else $GOPS_TESTS (space-separated, as run.sh passes them), else all. A NAME
# is the name of a test file (test_listing, test_listing.sh or its path: all
# of that file) or else a substring of test function names.
TEST_FILE=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
if [ $# -gt 0 ]; then
	SELECT=("$@")
else
	read -ra SELECT <<<"${GOPS_TESTS:-}"
fi

# selected NAME: whether the test function NAME is to run.
selected() {
	local s
	[ ${#SELECT[@]} -eq 0 ] && return 0
	for s in "${SELECT[@]}"; do
		s=${s%/}
		if [ -f "tests/integration/$(basename "$s" .sh).sh" ]; then
			[ "$(basename "$s" .sh)" == "$TEST_FILE" ] && return 0
		elif [[ "$1" == *"$s"* ]]; then
			return 0
		fi
	done
	return 1
}

# remove_pins: removes the pin dirs in PINS (only ours: gops-test-* under
# /sys/fs/bpf). Run it after the daemons stopped; on bpffs, rm removes pins.
remove_pins() {
	local p
	for p in "${PINS[@]}" "$GOPS_PIN_DIR"; do
		case $p in
		/sys/fs/bpf/gops-test-*) [ -e "$p" ] && rm -rf "$p" ;;
		esac
	done
	PINS=()
}

# Clean-up that test files add, by function name: STOP_FIRST runs before the
# fixtures are stopped (containers), STOP_LAST after (what they ran in).
STOP_FIRST=()
STOP_LAST=()

# Stops what a test started; each test runs in its own subshell with this trap.
stop_fixtures() {
	local p f
	for f in "${STOP_FIRST[@]}"; do
		"$f"
	done
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
		kill -CONT "$p" 2>/dev/null || true # a test may have stopped it
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	PIDS=()
	for f in "${STOP_LAST[@]}"; do
		"$f"
	done
}
trap 'stop_fixtures; remove_pins; rm -rf "$TMP"' EXIT

# start_fixture VAR CMD...: starts CMD in the background with -ready, waits
# until it has written its pid (10 s at most), stores the pid in VAR.
start_fixture() {
	local var=$1 ready
	shift
	ready=$TMP/ready.$RANDOM$RANDOM
	"$@" -ready "$ready" </dev/null >/dev/null 2>&1 &
	PIDS+=($!)
	for _ in $(seq 200); do
		[ -s "$ready" ] && break
		sleep 0.05
	done
	if [ ! -s "$ready" ]; then
		echo "  fixture did not start: $*"
		return 1
	fi
	printf -v "$var" '%s' "$!"
}

# wait_exec PID PATH: waits (5 s at most) until PID runs the executable PATH.
wait_exec() {
	local want
	want=$(realpath "$2")
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$1/exe" 2>/dev/null)" == "$want" ] && return 0
		sleep 0.05
	done
	fail "process $1 did not exec $2"
}

fail() {
	echo "  $*"
	return 1
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" == "$3" ] || fail "$1: got '$2', want '$3'"
}

# expect_match WHAT TEXT REGEX
expect_match() {
	[[ "$2" =~ $3 ]] || fail "$1: '$2' does not match /$3/"
}

is_json() {
	/usr/bin/python3 -c 'import json,sys; json.load(sys.stdin)'
}

PASSED=0
FAILED=0
# run_test NAME: runs the function NAME in a subshell with `set -e` (not in an
# `if`, where bash would ignore -e) and counts its result.
# A test that is not selected is neither run nor counted.
run_test() {
	local rc
	selected "$1" || return 0
	(
		set -e
		trap 'rc=$?; stop_fixtures; remove_pins; exit $rc' EXIT
		"$1"
	)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "ok   $1"
		PASSED=$((PASSED + 1))
	else
		echo "FAIL $1"
		FAILED=$((FAILED + 1))
	fi
}

summary() {
	[ ${#SELECT[@]} -gt 0 ] && [ $((PASSED + FAILED)) -eq 0 ] &&
		echo "no test in $TEST_FILE matches: ${SELECT[*]}"
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

# start_daemon VAR [ARGS...]: starts `gops daemon` on a pin dir of its own
# (PIN), waits until it is live, stores its pid in VAR.
start_daemon() {
	local var=$1
	shift
	start_daemon_at "$var" "/sys/fs/bpf/gops-test-$BASHPID-$RANDOM" "$@"
}

# start_daemon_at VAR DIR [ARGS...]: the same on the pin dir DIR.
start_daemon_at() {
	local var=$1 pid
	PIN=$2
	PINS+=("$PIN")
	shift 2
	DAEMON_LOG=$TMP/daemon.$BASHPID.log
	"$GOPS" daemon --pin-dir "$PIN" "$@" </dev/null >"$DAEMON_LOG" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	for _ in $(seq 200); do
		if "$GOPS" status --pin-dir "$PIN" >/dev/null 2>&1; then
			printf -v "$var" '%s' "$pid"
			return 0
		fi
		sleep 0.05
	done
	fail "daemon did not start: $(cat "$DAEMON_LOG")"
}

# table_rows [go|all]: the pids of the rows in the pinned table, sorted.
table_rows() {
	bpftool -j map dump pinned "$PIN/procs" | /usr/bin/python3 -c '
import json, sys
want = sys.argv[1]
def field(row, off):  # struct gops_row: pid at 0, flags at 12 (u32, little-endian)
    raw = bytes(int(x, 16) for x in row["value"][off:off + 4])
    return int.from_bytes(raw, "little")
# A row deleted while bpftool dumps the map has {"error": ...} for its value.
rows = [r for r in json.load(sys.stdin) if isinstance(r.get("value"), list)]
pids = sorted(field(r, 0) for r in rows if want == "all" or field(r, 12) & 1)
print(" ".join(map(str, pids)))' "${1:-go}"
}

# scan_pids: the pids of Go processes by a /proc scan, sorted.
scan_pids() {
	"$GOPS" --scan --json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
print(" ".join(str(p["pid"]) for p in sorted(json.load(sys.stdin), key=lambda p: p["pid"])))'
}

# status_field NAME: a counter from `gops status --json`.
status_field() {
	"$GOPS" status --pin-dir "$PIN" --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"
}

# wait_for MS CMD...: retries CMD every 50 ms, for MS milliseconds at most.
wait_for() {
	local tries=$(($1 / 50 + 1))
	shift
	until "$@"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.05
	done
}

in_table() { [[ " $(table_rows "${2:-go}") " == *" $1 "* ]]; }
not_in_table() { ! in_table "$1" "${2:-go}"; }

# build_demo: builds agent/example (our agent in a program) into $DEMO when
# it is missing or older than the agent's sources.
DEMO=$FIX/gopsdemo
build_demo() {
	if [ ! -x "$DEMO" ] || [ -n "$(find agent -name '*.go' -newer "$DEMO" -print -quit)" ]; then
		(cd agent/example && GOFLAGS=-mod=mod GOPROXY=off go build -buildvcs=false \
			-o "$(realpath ../../"$FIX")/gopsdemo" .) || exit 1
	fi
}

# start_agent VAR: runs the demo with its agent; waits for its port file.
start_agent() {
	local var=$1 _pid
	mkdir -p "$TMP/cfg"
	GOPS_CONFIG_DIR=$TMP/cfg "$DEMO" </dev/null >/dev/null 2>&1 &
	_pid=$!
	PIDS+=("$_pid")
	wait_for 5000 test -s "$TMP/cfg/$_pid" || fail "no port file from the agent"
	printf -v "$var" '%s' "$_pid"
}

# ---- the agentless reads' target (tests/fixtures/rtfacts) ----
# each_waiting_npm_binary FUNC: runs each amd64 npm Go binary (esbuild,
# buildifier and buf's protoc plugin each read a request from stdin) on a
# fifo, with GOMAXPROCS=3, and calls FUNC NAME PID while it waits there (the
# caller's locals are FUNC's to update); one that does not wait is skipped.
each_waiting_npm_binary() {
	local fn=$1 bin name pid
	[ -d "$FIX/npm" ] || fail "no npm fixtures in $FIX/npm (tests/fixtures/npm.sh)"
	for bin in "$FIX"/npm/esbuild-* "$FIX"/npm/buildifier-* "$FIX"/npm/buf-lint-*; do
		[ -x "$bin" ] || continue
		name=$(basename "$bin")
		case $name in *arm64*) continue ;; esac
		rm -f "$TMP/npm.in"
		mkfifo "$TMP/npm.in"
		GOMAXPROCS=3 "$bin" <"$TMP/npm.in" >/dev/null 2>&1 &
		pid=$!
		PIDS+=("$pid")
		exec 8>"$TMP/npm.in"
		sleep 0.3
		if kill -0 "$pid" 2>/dev/null; then
			"$fn" "$name" "$pid"
		else
			echo "  $name: does not wait on its stdin; not read"
		fi
		exec 8>&- # its input ends: it exits
	done
}

# start_rtfacts VAR BIN [ENV=VALUE...] [-- ARGS...]: runs BIN (a fixture name
# or a path) with GOMAXPROCS=3 and its agent (ARGS instead of -agent when
# given), commands from a fifo (cmd sends them).
start_rtfacts() {
	local var=$1 bin=$2 _pid envs=(GOMAXPROCS=3) args=(-agent)
	[[ $bin == /* ]] || bin=$FIX/$bin
	shift 2
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs+=("$1")
		shift
	done
	[ "${1:-}" == "--" ] && shift && args=("$@")
	mkdir -p "$TMP/cfg"
	RT_IN=$TMP/rt.in.$BASHPID
	RT_OUT=$TMP/rt.out.$BASHPID
	rm -f "$RT_IN" "$RT_OUT"
	mkfifo "$RT_IN"
	env GOPS_CONFIG_DIR="$TMP/cfg" "${envs[@]}" "$bin" "${args[@]}" <"$RT_IN" >"$RT_OUT" 2>&1 &
	_pid=$!
	PIDS+=("$_pid")
	exec 7>"$RT_IN"
	if [[ " ${args[*]} " == *" -agent "* ]]; then
		wait_for 5000 test -s "$TMP/cfg/$_pid" || fail "no port file from $bin"
	else
		cmd pid
	fi
	printf -v "$var" '%s' "$_pid"
}

# cmd WORDS...: sends a command to the running rtfacts, waits for its "ok".
cmd() {
	local n
	n=$(grep -c '^ok ' "$RT_OUT" 2>/dev/null) || true
	n=${n:-0}
	echo "$*" >&7
	wait_for 20000 oks_above "$n" || fail "rtfacts did not do: $*"
}
oks_above() { [ "$(grep -c '^ok ' "$RT_OUT")" -gt "$1" ]; }

# reads_of_exiting_processes VERB: `gops VERB --no-agent` of 20 processes that
# exit while they are read: each run answers, or says one line and exits 1.
reads_of_exiting_processes() {
	local pid out rc i
	for i in $(seq 20); do
		"$FIX/rtfacts" </dev/null >/dev/null 2>&1 &
		pid=$!
		sleep 0.0$((i % 10))
		rc=0
		out=$("$GOPS" "$1" --no-agent "$pid" 2>&1) || rc=$?
		wait "$pid" 2>/dev/null || true
		if [ "$rc" -ne 0 ]; then
			[ "$rc" -eq 1 ] || fail "exit $rc: $out"
			expect_eq "lines" "$(wc -l <<<"$out")" 1
			expect_match "message" "$out" '^gops: cannot read process'
		fi
	done
}

# ---- containers: real ones, run by podman ----
# No registry here: each container runs on a root directory of its own made
# from static Go fixtures (podman run --rootfs), with its own network namespace
# holding only loopback (--network none). CONTAINERS_CONF replaces podman's
# configuration: the default ulimits are not for this machine.
CTR_FIX=$FIX/ctr
CONTAINERS=() # OWNER:NAME, removed by the shell (OWNER, its $BASHPID) that started them
CTR_EXECS=()  # OWNER:PID, processes podman exec started, stopped the same way
export CONTAINERS_CONF=$TMP/containers.conf
printf '[containers]\ndefault_ulimits = []\n' >"$CONTAINERS_CONF"

# podman_cmd ARGS...: podman, never waiting on it for more than 60 s.
podman_cmd() { timeout 60 podman "$@"; }

# build_ctr_fixtures: static (CGO_ENABLED=0) builds of agent/example and of
# tests/fixtures/sleeper in $CTR_FIX, for roots with no libc; rebuilt when
# missing or older than their sources.
build_ctr_fixtures() {
	local out
	command -v podman >/dev/null || fail "podman not installed (scripts/install-deps.sh installs it)" || return 1
	mkdir -p "$CTR_FIX"
	out=$(realpath "$CTR_FIX")
	ctr_build "$out/gopsdemo" agent/example agent || return 1
	ctr_build "$out/sleeper" tests/fixtures/sleeper || return 1
}

# ctr_build OUT DIR [MORE-SOURCES...]: builds the Go main in DIR into OUT.
ctr_build() {
	local out=$1 dir=$2
	shift 2
	[ -x "$out" ] && [ -z "$(find "$dir" "$@" -name '*.go' -newer "$out" -print -quit)" ] && return 0
	(cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod GOPROXY=off go build -buildvcs=false \
		-o "$out.tmp.$$" .) || fail "go build of $dir failed" || return 1
	mv -f "$out.tmp.$$" "$out"
}

ctr_name() { printf 'gops-test-%s-%s' "$$" "$1"; }
ctr_root() { printf '%s/ctr/%s/root' "$TMP" "$1"; }

# make_rootfs DIR: a root for a container: the fixtures in /bin, root's
# passwd entry (home /root, where the agent then writes .config/gops/1) and /tmp.
make_rootfs() {
	local dir=$1
	mkdir -p "$dir/bin" "$dir/etc" "$dir/root" "$dir/tmp"
	chmod 700 "$dir/root"
	chmod 1777 "$dir/tmp"
	cp "$CTR_FIX/gopsdemo" "$CTR_FIX/sleeper" "$dir/bin/"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
		>"$dir/etc/passwd"
}

# podman_run NAME [PODMAN-OPTIONS... --] CMD [ARGS...]: runs CMD (a path in
# the root) in a new detached container named $(ctr_name NAME) on a fresh root
# $(ctr_root NAME); waits (10 s at most) until CMD runs in it. The container is
# removed when the shell that started it stops its fixtures (a test's, or the
# test file's for a container shared by its tests).
podman_run() {
	local name=$1 full root opts=() i pid
	shift
	full=$(ctr_name "$name")
	root=$(ctr_root "$name")
	for ((i = 1; i <= $#; i++)); do
		if [ "${!i}" == "--" ]; then
			opts=("${@:1:i-1}")
			set -- "${@:i+1}"
			break
		fi
	done
	rm -rf "$(dirname "$root")"
	make_rootfs "$root"
	CONTAINERS+=("$BASHPID:$full")
	podman_cmd run --runtime runc --cgroup-manager=cgroupfs --network none -d --name "$full" \
		"${opts[@]}" --rootfs "$root" "$@" >"$TMP/podman.out" 2>&1 ||
		fail "podman run of $*: $(cat "$TMP/podman.out")" || return 1
	for _ in $(seq 200); do
		pid=$(ctr_pid "$name" 2>/dev/null)
		if [ -n "$pid" ] && [ "$pid" != 0 ] && [ "$(basename "$(readlink "/proc/$pid/exe")")" == "$(basename "$1")" ]; then
			return 0
		fi
		sleep 0.05
	done
	fail "container $full does not run $1: $(podman_cmd logs "$full" 2>&1 | tail -n 5)"
}

# ctr_pid NAME, ctr_id NAME: the host pid of the container's first process,
# and its full id (64 hex digits), as podman says.
ctr_pid() { podman_cmd inspect -f '{{.State.Pid}}' "$(ctr_name "$1")"; }
ctr_id() { podman_cmd inspect -f '{{.Id}}' "$(ctr_name "$1")"; }

# stop_containers: stops the processes this shell started in containers
# (SIGTERM, then SIGKILL after 5 s: they are not our children, so we wait
# until they are gone), then removes the containers it started.
stop_containers() {
	local c keep=() left=()
	for c in "${CTR_EXECS[@]}"; do
		if [ "${c%%:*}" == "$BASHPID" ]; then
			kill -TERM "${c#*:}" 2>/dev/null && left+=("${c#*:}")
		else
			keep+=("$c")
		fi
	done
	CTR_EXECS=("${keep[@]}")
	for _ in $(seq 100); do
		for c in "${!left[@]}"; do
			[ -e "/proc/${left[$c]}" ] || unset "left[$c]"
		done
		[ ${#left[@]} -eq 0 ] && break
		sleep 0.05
	done
	[ ${#left[@]} -eq 0 ] || kill -KILL "${left[@]}" 2>/dev/null || true
	keep=()
	for c in "${CONTAINERS[@]}"; do
		if [ "${c%%:*}" == "$BASHPID" ]; then
			podman_cmd rm -f -t 0 "${c#*:}" >/dev/null 2>&1 || true
		else
			keep+=("$c")
		fi
	done
	CONTAINERS=("${keep[@]}")
}

# Both cleanup traps (the test file's and each test's) call stop_fixtures: it
# removes the containers first.
STOP_FIRST+=(stop_containers)

# ctr_pids NAME EXE: the host pids of the processes in the container's pid
# namespace that run a program named EXE (a basename), one a line.
ctr_pids() {
	/usr/bin/python3 - "$(ctr_pid "$1")" "$2" <<'PY'
import os, sys
init, exe = sys.argv[1], sys.argv[2]
ns = os.stat(f"/proc/{init}/ns/pid").st_ino
for p in os.listdir("/proc"):
    try:
        if p.isdigit() and os.stat(f"/proc/{p}/ns/pid").st_ino == ns and \
                os.path.basename(os.readlink(f"/proc/{p}/exe")) == exe:
            print(p)
    except OSError:
        pass
PY
}

# ctr_exec VAR NAME [EXEC-OPTIONS... --] CMD [ARGS...]: podman exec -d of CMD
# in the running container NAME; waits (10 s at most) for the new process,
# stores its host pid in VAR. It is stopped with the fixtures of the shell
# that started it.
ctr_exec() {
	local var=$1 name=$2 opts=() i before p
	shift 2
	for ((i = 1; i <= $#; i++)); do
		if [ "${!i}" == "--" ]; then
			opts=("${@:1:i-1}")
			set -- "${@:i+1}"
			break
		fi
	done
	before=" $(ctr_pids "$name" "$(basename "$1")" | tr '\n' ' ') "
	podman_cmd exec -d "${opts[@]}" "$(ctr_name "$name")" "$@" >"$TMP/podman.out" 2>&1 ||
		fail "podman exec of $*: $(cat "$TMP/podman.out")" || return 1
	for _ in $(seq 200); do
		for p in $(ctr_pids "$name" "$(basename "$1")"); do
			if [[ "$before" != *" $p "* ]]; then
				CTR_EXECS+=("$BASHPID:$p")
				printf -v "$var" '%s' "$p"
				return 0
			fi
		done
		sleep 0.05
	done
	fail "no new $1 in container $(ctr_name "$name")"
}

# nspid_of PID: the pid as the process sees it (the last NSpid).
nspid_of() { awk '/^NSpid:/ { print $NF }' "/proc/$1/status"; }

# ---- HTTP, for the metrics and deployment tests ----
# free_port: a TCP port nothing listens on now.
free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# get URL: the body (stdout) of a GET, or exit 1 with the status (5 s at most).
get() {
	/usr/bin/python3 - "$1" <<'PY'
import sys, urllib.request, urllib.error
try:
    sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())
except urllib.error.HTTPError as e:
    print("HTTP", e.code, file=sys.stderr)
    sys.exit(1)
PY
}

# start_prometheus CONFIG: a Prometheus server (Debian's) with CONFIG on a
# free loopback port (PROM_PORT), its data under $TMP; waits until it is
# ready (20 s at most).
start_prometheus() {
	PROM_PORT=$(free_port)
	prometheus --config.file="$1" --storage.tsdb.path="$TMP/tsdb.$PROM_PORT" \
		--web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$TMP/prom.log" 2>&1 &
	PIDS+=($!)
	wait_for 20000 get "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null 2>&1 ||
		fail "prometheus: $(tail -5 "$TMP/prom.log")"
}
