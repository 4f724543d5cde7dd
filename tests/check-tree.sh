#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks the source tree's house rules, prints each problem, and ends with
# "ok   check-tree" or "FAIL check-tree" (exit status 0 or 1):
#
#  - no source file (.c, .h) under user/, bpf/, tests/unit/ or tests/tools/ is
#    over 1,000 lines;
#  - includes point down the layers: a file in user/<dir>/ includes its own
#    dir or a lower layer, in this order (a layer may include the ones below):
#        cli > live > list > agent, goruntime > pprof, proc, golang > base
#    pprof, proc and golang are peers: none includes another. The BPF
#    headers, "gops.h" (bpf/) and "tracer.skel.h" (the build), are for live/
#    and cli/ only, and "gops.h" for list/ too. bpf/ includes only bpf/ and
#    "vmlinux.h"; "version.h" (the build) is for cli/;
#  - nothing in the repository points at the notes outside it;
#  - every .c, .h, .sh and .go file has an SPDX-License-Identifier line.
#
# Files are those git knows or would add (tracked, and untracked unless ignored).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

MAX_LINES=1000
problems=0

problem() {
	echo "  $*"
	problems=$((problems + 1))
}

files() {
	git ls-files --cached --others --exclude-standard "$@" | while IFS= read -r f; do
		[ -f "$f" ] && printf '%s\n' "$f"
	done
}

# Layer ranks: a file may include its own dir or a dir of a lower rank.
declare -A rank=([base]=0 [pprof]=1 [proc]=1 [golang]=1 [agent]=2 [goruntime]=2 [list]=3 [live]=4 [cli]=5)

# 1. Size.
while IFS= read -r f; do
	case $f in */vmlinux.h) continue ;; esac
	n=$(wc -l <"$f")
	[ "$n" -gt "$MAX_LINES" ] && problem "$f: $n lines (at most $MAX_LINES)"
done < <(files 'user/*.c' 'user/*.h' 'bpf/*.c' 'bpf/*.h' 'tests/unit/*.c' 'tests/unit/*.h' \
	'tests/tools/*.c' 'tests/tools/*.h')

# 2. Layers.
while IFS= read -r f; do
	dir=${f#user/}
	dir=${dir%%/*}
	if [ -z "${rank[$dir]:-}" ]; then
		problem "$f: user/$dir/ is not a known layer (add it to tests/check-tree.sh)"
		continue
	fi
	while IFS=: read -r line inc; do
		inc=${inc#*\"}
		inc=${inc%%\"*}
		case $inc in
		*/*)
			to=${inc%%/*}
			if [ -z "${rank[$to]:-}" ]; then
				problem "$f:$line: includes \"$inc\": $to/ is not a layer"
			elif [ "$to" != "$dir" ] && [ "${rank[$to]}" -ge "${rank[$dir]}" ]; then
				problem "$f:$line: includes \"$inc\": $dir/ may not include $to/ (layers: cli > live > list > agent, goruntime > pprof, proc, golang > base)"
			fi
			;;
		gops.h)
			case $dir in live | cli | list) ;; *) problem "$f:$line: includes \"gops.h\": BPF headers are for live/ and cli/ (and list/)" ;; esac
			;;
		tracer.skel.h)
			case $dir in live | cli) ;; *) problem "$f:$line: includes \"tracer.skel.h\": for live/ and cli/ only" ;; esac
			;;
		version.h) # made by the Makefile: the version `gops version` prints
			case $dir in cli) ;; *) problem "$f:$line: includes \"version.h\": for cli/ only" ;; esac
			;;
		*)
			problem "$f:$line: includes \"$inc\" without its folder (write \"<dir>/$inc\")"
			;;
		esac
	done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f")
done < <(files 'user/*.c' 'user/*.h')
while IFS= read -r f; do
	while IFS=: read -r line inc; do
		inc=${inc#*\"}
		inc=${inc%%\"*}
		[ "$inc" == vmlinux.h ] || [ -f "bpf/$inc" ] ||
			problem "$f:$line: includes \"$inc\": bpf/ includes only bpf/ and vmlinux.h"
	done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f")
done < <(files 'bpf/*.c' 'bpf/*.h')

# 3. No pointer at the notes kept outside the repository. (The patterns are
# spelled in pieces so that this file does not match itself.)
up=..
notes=shared
while IFS= read -r hit; do
	problem "$hit"
done < <(git grep -nIF -e "$up/$notes" -e "$notes/DESIGN" -e "$notes/STYLE" -- . | cut -c1-200;
	files | grep -vxF -f <(git ls-files) | while IFS= read -r f; do
		grep -nIHF -e "$up/$notes" -e "$notes/DESIGN" -e "$notes/STYLE" "$f" | cut -c1-200
	done)

# 4. SPDX lines (vmlinux.h is generated from the kernel's BTF).
while IFS= read -r f; do
	case $f in */vmlinux.h) continue ;; esac
	head -n 5 "$f" | grep -q 'SPDX-License-Identifier: ' ||
		problem "$f: no SPDX-License-Identifier line in its first 5 lines"
done < <(files '*.c' '*.h' '*.sh' '*.go')

if [ "$problems" -eq 0 ]; then
	echo "ok   check-tree"
	exit 0
fi
echo "FAIL check-tree ($problems problem$([ "$problems" -eq 1 ] || echo s))"
exit 1
