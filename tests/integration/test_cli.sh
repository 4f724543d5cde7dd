#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The command line: both forms of each value option, options a verb does not
# take, usage errors (one line and the verb's usage), help for every verb,
# the completion scripts in bash, zsh and fish, and host names as targets.
cd "$(dirname "$0")/../.."
source tests/integration/lib.sh

build_demo
GOVER=$(go env GOVERSION)
VERBS="process tree buildinfo daemon watch status stack gc setgc memstats stats pprof-heap pprof-cpu trace version help completion"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# A stand-in agent on ADDR (127.0.0.1 or ::1) that answers every command
# with "go1.2.3\n", or (silent) accepts and says nothing.
start_fake_agent() {
	local var=$1 addr=$2 mode=${3:-answer}
	rm -f "$TMP/fake.port"
	/usr/bin/python3 - "$addr" "$mode" "$TMP/fake.port" <<'PY' &
import os, socket, sys, time
addr, mode, portfile = sys.argv[1:4]
s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
s.bind((addr, 0))
s.listen(8)
open(portfile + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)
while True:
    c, _ = s.accept()
    c.recv(1)
    if mode == "silent":
        time.sleep(60)
    c.sendall(b"go1.2.3\n")
    c.close()
PY
	PIDS+=($!)
	wait_for 5000 test -s "$TMP/fake.port" || fail "fake agent did not start"
	printf -v "$var" '%s' "$(cat "$TMP/fake.port")"
}

# usage_error_case WANT-LINE-1 ARGS...: exit 2, nothing on stdout, at most 3
# lines on stderr: WANT-LINE-1, then the verb's usage line.
usage_error_case() {
	local want=$1 out err rc=0
	shift
	out=$("$GOPS" "$@" 2>"$TMP/err") || rc=$?
	err=$(cat "$TMP/err")
	expect_eq "exit of gops $*" "$rc" 2
	expect_eq "stdout of gops $*" "$out" ""
	[ "$(wc -l <<<"$err")" -le 3 ] || fail "gops $*: more than 3 lines: $err"
	expect_eq "first line of gops $*" "$(head -n1 <<<"$err")" "$want"
	expect_match "usage line of gops $*" "$(sed -n 2p <<<"$err")" "^usage: gops "
}

test_value_options_take_both_forms() {
	local pid port a b rc
	# --pin-dir: the listing and status name the same table either way.
	a=$("$GOPS" -v --pin-dir "$TMP/no-table" 2>&1 >/dev/null)
	b=$("$GOPS" -v --pin-dir="$TMP/no-table" 2>&1 >/dev/null)
	expect_match "--pin-dir DIR" "$a" "$TMP/no-table"
	expect_eq "--pin-dir=DIR" "$b" "$a"
	a=$("$GOPS" status --pin-dir "$TMP/no-table" 2>&1) || true
	b=$("$GOPS" status --pin-dir="$TMP/no-table" 2>&1) || true
	expect_match "status --pin-dir DIR" "$a" "$TMP/no-table"
	expect_eq "status --pin-dir=DIR" "$b" "$a"
	# --timeout: the wait is the one asked for.
	start_fake_agent port 127.0.0.1 silent
	for form in "--timeout 1s" "--timeout=1s"; do
		rc=0
		a=$("$GOPS" stats "127.0.0.1:$port" $form 2>&1) || rc=$?
		expect_eq "exit with $form" "$rc" 1
		expect_match "$form" "$a" "within 1.0s"
	done
	# --output: the profile lands there.
	start_agent pid
	"$GOPS" pprof-heap "$pid" --top --output "$TMP/h1" >/dev/null || fail "--output FILE"
	"$GOPS" pprof-heap "$pid" --top --output="$TMP/h2" >/dev/null || fail "--output=FILE"
	[ -s "$TMP/h1" ] && [ -s "$TMP/h2" ] || fail "no profile in $TMP/h1 or $TMP/h2"
	# --max-procs and --ringbuf-kb: accepted either way (the daemon then
	# stops at BPF needing root), refused alike when out of range.
	for form in "--max-procs 100" "--max-procs=100" "--ringbuf-kb 64" "--ringbuf-kb=64"; do
		rc=0
		a=$("${NOBODY[@]}" "$GOPS" daemon --pin-dir "$TMP/pin" $form 2>&1) || rc=$?
		expect_eq "daemon $form" "$rc:$a" "1:gops: BPF needs root (CAP_BPF and CAP_PERFMON)"
	done
	rc=0
	"${NOBODY[@]}" "$GOPS" watch --ringbuf-kb 64 >/dev/null 2>&1 || rc=$?
	expect_eq "watch --ringbuf-kb 64" "$rc" 1
	rc=0
	"${NOBODY[@]}" "$GOPS" watch --ringbuf-kb=64 >/dev/null 2>&1 || rc=$?
	expect_eq "watch --ringbuf-kb=64" "$rc" 1
	usage_error_case "gops: invalid --max-procs '10': want a number from 16 to 4194304" \
		daemon --max-procs 10
	usage_error_case "gops: invalid --max-procs '10': want a number from 16 to 4194304" \
		daemon --max-procs=10
	usage_error_case "gops: invalid --ringbuf-kb '5': want a power of two from 4 to 1048576" \
		watch --ringbuf-kb=5
	usage_error_case "gops: invalid --timeout 'soon': want a duration such as 10s or 2m" \
		stack 1 --timeout soon
	usage_error_case "gops: --pin-dir needs a value (a directory)" tree --pin-dir
}

test_options_before_and_after_the_verb() {
	local pid
	start_agent pid
	"$GOPS" stats "$pid" --timeout 5s 2>&1 | head -n 1 | grep -q "^goroutines: " || fail "stats PID --timeout 5s"
	"$GOPS" --timeout=5s stats "$pid" 2>&1 | head -n 1 | grep -q "^goroutines: " || fail "--timeout=5s stats PID"
	"$GOPS" --json tree | is_json || fail "--json tree"
	"$GOPS" tree --json | is_json || fail "tree --json"
	"$GOPS" "$pid" --json | is_json || fail "PID --json"
}

test_double_dash_ends_options() {
	local err rc=0
	err=$("$GOPS" buildinfo -- --json 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_eq "message" "$err" "gops: failed to open --json: No such file or directory"
}

test_option_a_verb_does_not_take_is_a_usage_error() {
	usage_error_case "gops: tree does not take --top" tree --top
	usage_error_case "gops: stack does not take --keep" stack 1 --keep
	usage_error_case "gops: daemon does not take --output" daemon --output x
	usage_error_case "gops: watch does not take --pin-dir" watch --pin-dir=x
	usage_error_case "gops: gc does not take --json" --json gc 1
	usage_error_case "gops: process does not take --scan" 1 --scan
	usage_error_case "gops: the listing does not take --timeout" --timeout 1s
	usage_error_case "gops: status does not take -v" status -v
	expect_eq "usage line" "$("$GOPS" tree --top 2>&1 | sed -n 2p)" \
		"usage: gops tree [--json] [--scan] [--pin-dir DIR] [-v] [-w] [--container ID]"
}

test_other_usage_errors_are_one_line_and_the_usage() {
	usage_error_case "gops: unknown option --frob" --frob
	usage_error_case "gops: unknown option --frob" tree --frob=1
	usage_error_case "gops: unknown option -x" -x
	usage_error_case "gops: ambiguous option --t" stack 1 --t 5s
	usage_error_case "gops: --json takes no value" --json=yes
	usage_error_case "gops: stack: missing pid|host:port" stack
	usage_error_case "gops: unexpected argument: 2" stack 1 2
	usage_error_case "gops: invalid pid: x" process x
	usage_error_case "gops: invalid period: soon (want a duration like 2s or 1m30s)" 1 soon
	usage_error_case "gops: invalid GC percent: lots (a number from -1, or off)" setgc 1 lots
	usage_error_case "gops: no completion for tcsh (bash, zsh or fish)" completion tcsh
}

test_unknown_verb_is_one_line_and_a_hint() {
	local err rc=0
	err=$("$GOPS" frobnicate --json 2>&1) || rc=$?
	expect_eq "exit" "$rc" 2
	expect_eq "message" "$err" $'gops: unknown verb: frobnicate\nrun `gops help` for the list of verbs'
	rc=0
	err=$("$GOPS" help frobnicate 2>&1) || rc=$?
	expect_eq "help exit" "$rc" 2
	expect_eq "help message" "$(head -n1 <<<"$err")" "gops: unknown verb: frobnicate"
}

test_help_for_every_verb() {
	local v help out
	help=$("$GOPS" help)
	for v in $VERBS; do
		grep -q "^  gops $v\\b" <<<"$help" || fail "gops help lacks $v"
		out=$("$GOPS" help "$v") || fail "gops help $v failed"
		expect_match "help $v" "$(head -n1 <<<"$out")" "^usage: gops $v( |\$)"
		[ "$(wc -l <<<"$out")" -ge 3 ] || fail "help $v is only: $out"
		expect_eq "$v --help" "$("$GOPS" "$v" --help)" "$out"
	done
	for o in --json --scan --pin-dir --keep --max-procs --ringbuf-kb --timeout --output --top \
		--verbose --help --version; do
		grep -q -- "$o" <<<"$help" || fail "gops help lacks $o"
	done
	expect_eq "-h" "$("$GOPS" -h)" "$help"
	"$GOPS" help daemon | grep -q -- "--max-procs N" || fail "help daemon lacks --max-procs"
	"$GOPS" help completion | grep -q "source <(gops completion bash)" || fail "help completion"
}

# bash_complete WORDS...: what the bash script offers for the last word.
bash_complete() {
	bash -c 'source <("$0" completion bash)
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
		_gops; ((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}"' "$GOPS" "$@" |
		sort | tr '\n' ' '
}

test_completion_bash() {
	local pid
	start_fixture pid "$FIX/sleeper"
	bash -n <("$GOPS" completion bash) || fail "bash -n"
	expect_eq "verbs" "$(bash_complete gops tr)" "trace tree "
	expect_eq "tree options" "$(bash_complete gops tree --)" \
		"--container --help --json --pin-dir --scan --verbose --version --wide "
	expect_eq "options after args" "$(bash_complete gops stack 1 --t)" "--timeout "
	expect_eq "profile options" "$(bash_complete gops pprof-heap 1 --)" \
		"--help --output --timeout --top --version "
	expect_eq "pid" "$(bash_complete gops stack "$pid")" "$pid "
	expect_eq "pid for gops PID" "$(bash_complete gops "$pid")" "$pid "
	expect_eq "setgc" "$(bash_complete gops setgc 1 o)" "off "
	expect_eq "help VERB" "$(bash_complete gops help pprof)" "pprof-cpu pprof-heap "
	expect_eq "shells" "$(bash_complete gops completion '')" "bash fish zsh "
	mkdir -p "$TMP/dirs/pin1"
	expect_eq "--pin-dir DIR" "$(bash_complete gops --pin-dir "$TMP/dirs/p")" "$TMP/dirs/pin1 "
	expect_eq "--pin-dir=DIR" "$(bash_complete gops --pin-dir = "$TMP/dirs/p")" \
		"$TMP/dirs/pin1 "
	expect_eq "a value is not the verb" "$(bash_complete gops --pin-dir /x tr)" "trace tree "
	expect_eq "after --" "$(bash_complete gops buildinfo -- --j)" ""
	expect_eq "no argument left" "$(bash_complete gops tree '')" ""
}

test_completion_zsh() {
	command -v zsh >/dev/null || {
		echo "  (zsh not installed: skipped)"
		return 0
	}
	zsh -n <("$GOPS" completion zsh) || fail "zsh -n"
	# The completion builtins stand-ins record what _gops offers.
	out=$(zsh -c '
		compdef() { :; }
		compadd() {
			while [[ $1 == -* ]]; do
				[[ $1 == -a ]] && { shift; reply+=(${(P)1}); shift; continue; }
				[[ $1 == -- ]] && { shift; break; }
				shift
			done
			reply+=("$@")
		}
		_describe() { reply+=(${${(P)4}%%:*}); }
		_files() { reply+=("<files$*>"); }
		compset() { :; }
		source <("$0" completion zsh)
		comp() { words=("$@"); CURRENT=$#words; reply=(); _gops; print -r -- ${(o)reply}; }
		comp gops ""
		comp gops tree --
		comp gops stack 1 --t
		comp gops daemon --pin-dir ""
		comp gops trace 1 --output=x
		comp gops setgc 1 ""
		comp gops completion ""
		comp gops stack --timeout 5s 1 ""' "$GOPS")
	expect_eq "verbs" "$(sed -n 1p <<<"$out")" \
		"buildinfo completion daemon deaths gc help memstats pprof-cpu pprof-heap process setgc stack stats status trace tree version watch"
	expect_eq "tree options" "$(sed -n 2p <<<"$out")" \
		"--container --help --json --pin-dir --scan --verbose --version --wide -h -v -w"
	expect_eq "stack options" "$(sed -n 3p <<<"$out")" "--help --json --no-agent --timeout --version -h"
	expect_eq "--pin-dir" "$(sed -n 4p <<<"$out")" "<files-/>"
	expect_eq "--output=" "$(sed -n 5p <<<"$out")" "<files>"
	expect_eq "setgc" "$(sed -n 6p <<<"$out")" "off"
	expect_eq "shells" "$(sed -n 7p <<<"$out")" "bash fish zsh"
	expect_eq "after the target" "$(sed -n 8p <<<"$out")" ""
	# And in a real interactive zsh with compinit, on a pseudo-terminal: Tab
	# completes each line to the one candidate.
	out=$(timeout 30 zsh -f -c '
		zmodload zsh/zpty
		zpty z "TERM=dumb zsh -f -i"
		zpty -w z "PS1=\"%% \"; autoload -U compinit; compinit -u -D; source <(\"$0\" completion zsh); PS1=\"rea\"\"dy> \""
		zpty -r -m z first "*ready> *" || exit 1
		for line in "gops tree --p" "gops setgc 1 o" "gops complet" "gops stack 1 --ti"; do
			zpty -w -n z "$line"$'"'"'\t'"'"'
			sleep 0.5
			zpty -w -n z $'"'"'\C-u'"'"'
		done
		sleep 0.5
		out=
		while zpty -r -t z chunk; do out+=$chunk; done
		zpty -d z
		print -r -- ${out//$'"'"'\r'"'"'/}' "$GOPS")
	for want in "gops tree --pin-dir" "gops setgc 1 off" "gops completion " "gops stack 1 --timeout"; do
		[[ $out == *"$want"* ]] || fail "zsh did not complete to '$want': ${out: -400}"
	done
}

# fish_complete LINE: what fish offers at the end of LINE.
fish_complete() {
	HOME=$TMP/fish-home fish -c "source (\"$GOPS\" completion fish | psub); complete -C '$1'" |
		cut -f1 | sort | tr '\n' ' '
}

test_completion_fish() {
	local pid
	command -v fish >/dev/null || {
		echo "  (fish not installed: skipped)"
		return 0
	}
	start_fixture pid "$FIX/sleeper"
	"$GOPS" completion fish >"$TMP/gops.fish"
	fish -n "$TMP/gops.fish" || fail "fish -n"
	mkdir -p "$TMP/fish-home"
	expect_eq "verbs" "$(fish_complete "gops tr")" "trace tree "
	expect_eq "tree options" "$(fish_complete "gops tree --")" \
		"--container --help --json --pin-dir --scan --verbose --version --wide "
	expect_eq "stack options" "$(fish_complete "gops stack 1 --t")" "--timeout "
	expect_eq "pid" "$(fish_complete "gops stack $pid")" "$pid "
	expect_eq "setgc" "$(fish_complete "gops setgc 1 o")" "off "
	expect_eq "shells" "$(fish_complete "gops completion ")" "bash fish zsh "
	expect_eq "no argument left" "$(fish_complete "gops stats 1 ")" ""
}

test_host_names_reach_the_agent() {
	local pid port
	start_agent pid
	port=$(cat "$TMP/cfg/$pid")
	expect_eq "localhost" "$("$GOPS" version "localhost:$port")" "$GOVER"
	# A name from a hosts file of our own (c-ares' $CARES_HOSTS), for both
	# families: ::1 is refused (the agent is on 127.0.0.1), the next is tried.
	printf '127.0.0.1 gops-test-agent\n::1 gops-dual\n127.0.0.1 gops-dual\n' >"$TMP/hosts"
	expect_eq "hosts file name" "$(CARES_HOSTS=$TMP/hosts "$GOPS" version "gops-test-agent:$port")" \
		"$GOVER"
	expect_eq "both families" "$(CARES_HOSTS=$TMP/hosts "$GOPS" version "gops-dual:$port")" "$GOVER"
	grep -q "^gops-test-agent" /etc/hosts && fail "the test name leaked into /etc/hosts"
	return 0
}

test_bracketed_ipv6_target() {
	local port
	start_fake_agent port ::1
	expect_eq "[::1]" "$("$GOPS" version "[::1]:$port")" "go1.2.3"
}

test_unresolvable_host_is_one_line_exit_1() {
	local err rc=0
	printf '127.0.0.1 gops-test-agent\n' >"$TMP/hosts"
	err=$(CARES_HOSTS=$TMP/hosts timeout 20 "$GOPS" stats no-such-host.invalid:1234 --timeout 3s 2>&1) ||
		rc=$?
	expect_eq "exit" "$rc" 1
	expect_match "message" "$err" "^gops: cannot resolve host no-such-host.invalid: [^"$'\n'"]+\$"
}

test_bad_targets_are_one_line_exit_1() {
	local err rc=0
	err=$("$GOPS" stats ":8080" 2>&1) || rc=$?
	expect_eq "exit" "$rc" 1
	expect_eq "missing host" "$err" "gops: invalid target :8080: missing host"
	rc=0
	err=$("$GOPS" stats "localhost:0" 2>&1) || rc=$?
	expect_eq "port 0" "$rc:$err" "1:gops: invalid target localhost:0: bad port 0 (want 1 to 65535)"
	rc=0
	err=$("$GOPS" stats "::1:80" 2>&1) || rc=$?
	expect_eq "unbracketed v6" "$rc:$err" \
		"1:gops: invalid target ::1:80: too many colons (write IPv6 as [addr]:port)"
}

for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
	run_test "$t"
done
summary
