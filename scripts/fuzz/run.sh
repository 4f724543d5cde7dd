#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make fuzz`: builds the build info fuzzer with libFuzzer, ASan and UBSan,
# seeds its corpus (minimal copies of the Go fixtures, their module info text,
# hand-made ELF files: two with a blob, two without one but with a function
# table header to name the Go release), runs it for FUZZ_SECONDS (default 60) and prints
# one line. Exits non-zero when it finds a crash; the input is kept under
# build/fuzz/artifacts/ and the fuzzer's log in build/fuzz/fuzz.log.
# Then the same for the pprof profile reader (fuzz_pprof.c, seeded with the
# fixture profiles), under build/fuzz/pprof/ and build/fuzz/fuzz_pprof.log.
# Then the /proc/PID/cgroup parser (fuzz_cgroup.c, seeded with the layouts
# container runtimes and hosts write), under build/fuzz/cgroup/ and
# build/fuzz/fuzz_cgroup.log.
# Then the ELF symbol table reader (fuzz_symtab.c, seeded with a hand-made ELF
# holding runtime.ncpu and runtime.gomaxprocs), under build/fuzz/symtab/ and
# build/fuzz/fuzz_symtab.log.
# Then the function table reader, amd64 decoder and stripped-binary globals
# (fuzz_functab.c, seeded with the hand-made function table ELF files and a
# piece of sleeper's code), under build/fuzz/functab/.
# Then the DWARF layout reader (fuzz_dwarf.c, seeded with small C programs'
# DWARF 4 and 5, plain, SHF_COMPRESSED and .zdebug_*), under build/fuzz/dwarf/
# and build/fuzz/fuzz_dwarf.log.
# Then the Go crash text reader (fuzz_crash.c, seeded with the texts Go
# prints for a panic, a fatal error and a signal), under build/fuzz/crash/
# and build/fuzz/fuzz_crash.log.
#
# env: FUZZ_SECONDS (each target), CLANG (default clang), BUILD (default build),
#      GOPS_FIXTURES (default $BUILD/fixtures), FUZZ_FLAGS (more libFuzzer flags),
#      FUZZ_TARGETS (default "buildinfo pprof cgroup symtab functab dwarf crash")
set -euo pipefail
cd "$(dirname "$0")/../.."

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TARGETS=${FUZZ_TARGETS:-buildinfo pprof cgroup symtab functab dwarf crash}
CLANG=${CLANG:-clang}
BUILD=${BUILD:-build}
FIXTURES=${GOPS_FIXTURES:-$BUILD/fixtures}
OUT=$BUILD/fuzz
BIN=$OUT/fuzz_buildinfo
SEEDS=$OUT/seeds
CORPUS=$OUT/corpus
LOG=$OUT/fuzz.log
PPROF=$OUT/pprof
CGROUP=$OUT/cgroup
SYMTAB=$OUT/symtab
FUNCTAB=$OUT/functab
DWARF=$OUT/dwarf
CRASH=$OUT/crash

fail() {
	echo "fuzz: $*" >&2
	exit 1
}

case $FUZZ_SECONDS in
'' | *[!0-9]*) fail "FUZZ_SECONDS must be a whole number of seconds, not '$FUZZ_SECONDS'" ;;
esac
for t in $FUZZ_TARGETS; do
	case $t in
	buildinfo | pprof | cgroup | symtab | functab | dwarf | crash) ;;
	*) fail "unknown fuzz target '$t' (FUZZ_TARGETS: buildinfo, pprof, cgroup, symtab, functab, dwarf, crash)" ;;
	esac
done
rm -rf "$SEEDS" "$PPROF/seeds" "$CGROUP/seeds" "$SYMTAB/seeds" "$FUNCTAB/seeds" "$DWARF/seeds" "$CRASH/seeds"
mkdir -p "$OUT" "$SEEDS" "$CORPUS" "$OUT/artifacts" "$PPROF/seeds" "$PPROF/corpus" "$PPROF/artifacts" \
	"$CGROUP/seeds" "$CGROUP/corpus" "$CGROUP/artifacts" "$SYMTAB/seeds" "$SYMTAB/corpus" "$SYMTAB/artifacts" \
	"$FUNCTAB/seeds" "$FUNCTAB/corpus" "$FUNCTAB/artifacts" "$DWARF/seeds" "$DWARF/corpus" "$DWARF/artifacts" \
	"$CRASH/seeds" "$CRASH/corpus" "$CRASH/artifacts"

# The reader's code comes from an archive of every user/*/*.c but main.c: the
# linker takes only the objects it needs (buildinfo.c, its ELF and module info
# helpers, json.c), so this keeps working as files move. A file that does not
# compile here is left out; if it was needed, the link says what is missing.
CFLAGS_FUZZ=(-g -O1 -std=c11 -D_GNU_SOURCE -Iuser -I"$BUILD" -Ibpf -fno-sanitize-recover=all)
rm -rf "$OUT/obj"
mkdir -p "$OUT/obj"
: >"$OUT/build.log"
for c in user/*/*.c; do
	[ "$c" = user/cli/main.c ] && continue
	o=$c
	o=$OUT/obj/${o//\//_}.o
	"$CLANG" "${CFLAGS_FUZZ[@]}" -fsanitize=fuzzer-no-link,address,undefined -c "$c" -o "$o" \
		2>>"$OUT/build.log" || rm -f "$o"
done
rm -f "$OUT/libgops.a"
ar rcs "$OUT/libgops.a" "$OUT"/obj/*.o
for t in $FUZZ_TARGETS; do
	if ! "$CLANG" "${CFLAGS_FUZZ[@]}" -fsanitize=fuzzer,address,undefined -o "$OUT/fuzz_$t" \
		"scripts/fuzz/fuzz_$t.c" "$OUT/libgops.a" -lbpf -ldw -ldeflate -lelf -lz 2>>"$OUT/build.log"; then
		cat "$OUT/build.log" >&2
		fail "failed to build fuzz_$t (libFuzzer needs Debian's libclang-rt-14-dev)"
	fi
done

# ---- seeds ----

# bytes le|be SIZE VALUE: VALUE as SIZE raw bytes in that byte order.
bytes() {
	local e=$1 n=$2 v=$3 i b s=""
	for ((i = 0; i < n; i++)); do
		b=$(printf '\\x%02x' $(((v >> (8 * i)) & 255)))
		if [ "$e" = le ]; then s+=$b; else s=$b$s; fi
	done
	printf "$s"
}

uvarint() {
	local v=$1 s=""
	while ((v >= 128)); do
		s+=$(printf '\\x%02x' $(((v & 127) | 128)))
		v=$((v >> 7))
	done
	s+=$(printf '\\x%02x' "$v")
	printf "$s"
}

zeros() {
	head -c "$1" /dev/zero
}

VERS=go1.19.8
MODTEXT=$'path\tex.com/cmd\nmod\tex.com\t(devel)\t\ndep\tex.com/dep\tv1.0.0\th1:abc=\n=>\t./dep\t(devel)\t\nbuild\t-ldflags="-X \\"main.v=a b\\""\nbuild\tCGO_ENABLED=0\n'
MODLEN=$((16 + ${#MODTEXT} + 16))

# Module info as the go command frames it: 16 bytes each side, a NUL in the end one.
framed_mod() {
	printf '\x30\x77\xaf\x0c\x92\x74\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6'
	printf '%s' "$MODTEXT"
	printf '\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2'
}

magic() {
	printf '\xff Go buildinf:'
}

# ELF64 little-endian (x86-64), one writable PT_LOAD at file offset 128 holding
# an inline (Go >= 1.18) blob, no section headers.
tiny_elf64le_inline() {
	local body=$((32 + 1 + ${#VERS} + ${#MODTEXT} + 2 + 32 + 1)) base=$((0x500080))
	printf '\x7fELF\x02\x01\x01'
	zeros 9
	bytes le 2 2; bytes le 2 0x3e; bytes le 4 1; bytes le 8 0x401000
	bytes le 8 64; bytes le 8 0; bytes le 4 0
	bytes le 2 64; bytes le 2 56; bytes le 2 1; bytes le 2 64; bytes le 2 0; bytes le 2 0
	bytes le 4 1; bytes le 4 6; bytes le 8 128; bytes le 8 $base; bytes le 8 $base
	bytes le 8 $body; bytes le 8 $body; bytes le 8 16
	zeros 8
	magic; printf '\x08\x02'; zeros 16
	uvarint ${#VERS}; printf '%s' "$VERS"
	uvarint $MODLEN; framed_mod
	zeros 1
}

# ELF32 big-endian (PowerPC), one writable PT_LOAD at file offset 96 holding a
# pointer-format (Go 1.13-1.17) blob and the two Go string headers after it.
tiny_elf32be_pointer() {
	local base=$((0x10000060)) body=$((48 + ${#VERS} + MODLEN))
	printf '\x7fELF\x01\x02\x01'
	zeros 9
	bytes be 2 2; bytes be 2 0x14; bytes be 4 1; bytes be 4 0x10000000
	bytes be 4 52; bytes be 4 0; bytes be 4 0
	bytes be 2 52; bytes be 2 32; bytes be 2 1; bytes be 2 40; bytes be 2 0; bytes be 2 0
	bytes be 4 1; bytes be 4 96; bytes be 4 $base; bytes be 4 $base
	bytes be 4 $body; bytes be 4 $body; bytes be 4 6; bytes be 4 16
	zeros 12
	magic; printf '\x04\x01'
	bytes be 4 $((base + 32)); bytes be 4 $((base + 40)); zeros 8
	bytes be 4 $((base + 48)); bytes be 4 ${#VERS}
	bytes be 4 $((base + 48 + ${#VERS})); bytes be 4 $MODLEN
	printf '%s' "$VERS"; framed_mod
}

# ELF64 little-endian without a blob: one read-only PT_LOAD holding a Go 1.20
# function table header, and a section table naming it .gopclntab.
tiny_elf64le_pclntab() {
	local base=$((0x400080))
	printf '\x7fELF\x02\x01\x01'
	zeros 9
	bytes le 2 2; bytes le 2 0x3e; bytes le 4 1; bytes le 8 0x401000
	bytes le 8 64; bytes le 8 248; bytes le 4 0
	bytes le 2 64; bytes le 2 56; bytes le 2 1; bytes le 2 64; bytes le 2 3; bytes le 2 2
	bytes le 4 1; bytes le 4 4; bytes le 8 128; bytes le 8 $base; bytes le 8 $base
	bytes le 8 96; bytes le 8 96; bytes le 8 16
	zeros 8
	# magic, pad, quantum 1, pointer size 8, nfunc, nfiles, textStart, 5 offsets
	printf '\xf1\xff\xff\xff\x00\x00\x01\x08'
	bytes le 8 1; bytes le 8 1; bytes le 8 0x401000
	bytes le 8 72; bytes le 8 80; bytes le 8 88; bytes le 8 90; bytes le 8 92
	zeros 24
	zeros 1; printf '.gopclntab'; zeros 1; printf '.shstrtab'; zeros 1
	zeros 2
	zeros 64
	bytes le 4 1; bytes le 4 1; bytes le 8 2; bytes le 8 $base; bytes le 8 128; bytes le 8 96
	bytes le 4 0; bytes le 4 0; bytes le 8 32; bytes le 8 0
	bytes le 4 12; bytes le 4 3; bytes le 8 0; bytes le 8 0; bytes le 8 224; bytes le 8 22
	bytes le 4 0; bytes le 4 0; bytes le 8 1; bytes le 8 0
}

# ELF32 big-endian without a blob or sections: a PT_NOTE holding Go's build ID
# note, and a read-only PT_LOAD with a Go 1.16 function table header to scan for.
tiny_elf32be_pclntab_note() {
	local base=$((0x100000a0))
	printf '\x7fELF\x01\x02\x01'
	zeros 9
	bytes be 2 2; bytes be 2 0x14; bytes be 4 1; bytes be 4 0x10000000
	bytes be 4 52; bytes be 4 0; bytes be 4 0
	bytes be 2 52; bytes be 2 32; bytes be 2 2; bytes be 2 40; bytes be 2 0; bytes be 2 0
	bytes be 4 4; bytes be 4 128; bytes be 4 $((0x10000080)); bytes be 4 $((0x10000080))
	bytes be 4 20; bytes be 4 20; bytes be 4 4; bytes be 4 4
	bytes be 4 1; bytes be 4 160; bytes be 4 $base; bytes be 4 $base
	bytes be 4 96; bytes be 4 96; bytes be 4 4; bytes be 4 16
	zeros 12
	bytes be 4 4; bytes be 4 4; bytes be 4 4; printf 'Go\x00\x00abcd'
	zeros 12
	printf '\xff\xff\xff\xfa\x00\x00\x04\x04'
	bytes be 4 1; bytes be 4 1
	bytes be 4 36; bytes be 4 40; bytes be 4 44; bytes be 4 48; bytes be 4 52
	zeros 60
}

tiny_elf64le_inline >"$SEEDS/tiny-elf64le-inline"
tiny_elf64le_pclntab >"$SEEDS/tiny-elf64le-pclntab"
tiny_elf32be_pclntab_note >"$SEEDS/tiny-elf32be-pclntab-note"
tiny_elf32be_pointer >"$SEEDS/tiny-elf32be-pointer"
printf '%s' "$MODTEXT" >"$SEEDS/modinfo-handmade"

# From the fixtures: minimal ELF copies (elfmangle shrink) and the module info
# text that go version -m printed. Built here if missing and Go is at hand.
if { [ ! -f "$FIXTURES/sleeper.gov" ] || [ ! -f "$FIXTURES/cpu.pb.gz" ]; } &&
	command -v go >/dev/null 2>&1; then
	bash tests/fixtures/build.sh "$FIXTURES" >/dev/null || true
fi
nfix=0
if compgen -G "$FIXTURES/*.gov" >/dev/null && make -s "$BUILD/tools/elfmangle" BUILD="$BUILD" >/dev/null; then
	for gov in "$FIXTURES"/*.gov; do
		bin=${gov%.gov}
		name=$(basename "$bin")
		[ -f "$bin" ] || continue
		tail -n +2 "$gov" | sed 's/^\t//' >"$SEEDS/modinfo-$name"
		"$BUILD/tools/elfmangle" shrink "$bin" "$SEEDS/mini-$name" 2>/dev/null || continue
		if "$BUILD/tools/elfmangle" to-pointer "$bin" "$OUT/pointer.tmp" 2>/dev/null; then
			"$BUILD/tools/elfmangle" shrink "$OUT/pointer.tmp" "$SEEDS/mini-pointer-$name" 2>/dev/null || true
		fi
		nfix=$((nfix + 1))
	done
	rm -f "$OUT/pointer.tmp"
fi
[ $nfix -gt 0 ] || echo "fuzz: no fixtures in $FIXTURES, seeding with the hand-made inputs only" >&2

cat >"$OUT/buildinfo.dict" <<'EOF'
"\x7fELF"
"\xff Go buildinf:"
".go.buildinfo"
".shstrtab"
".gopclntab"
".data.rel.ro.gopclntab"
".note.go.buildid"
"Go\x00\x00"
"\xfb\xff\xff\xff"
"\xff\xff\xff\xfa"
"\xf0\xff\xff\xff"
"\xf1\xff\xff\xff"
"path\x09"
"mod\x09"
"dep\x09"
"=>\x09"
"build\x09"
"\x09(devel)\x09"
"=\""
"\\x"
"\\u"
EOF

# pprof: the fixture profiles, gzipped and not, and the smallest valid profile
# (a string table holding "").
for p in "$FIXTURES"/*.pb.gz; do
	[ -f "$p" ] || continue
	cp "$p" "$PPROF/seeds/"
	gzip -dc "$p" >"$PPROF/seeds/$(basename "${p%.gz}")" 2>/dev/null || true
done
printf '\x32\x00' >"$PPROF/seeds/empty-string-table"

# cgroup: one file per layout proc/container.c knows, and hosts that are none.
ID=3ff17f3665682a99a2436506c408f4407b8d5c071bcb99d4cffffc686242bd78
POD=a8a1e5b5-2c4e-4a55-9b0e-6b3f7a6f2d11
PODS=${POD//-/_}
cgroup_seed() {
	printf '%s\n' "${@:2}" >"$CGROUP/seeds/$1"
}
cgroup_seed docker-v1 "12:pids:/docker/$ID" "1:name=systemd:/docker/$ID" "0::/system.slice/containerd.service"
cgroup_seed docker-systemd "0::/system.slice/docker-$ID.scope"
cgroup_seed docker-rootless "0::/user.slice/user-1000.slice/user@1000.service/user.slice/docker-$ID.scope"
cgroup_seed kubepods-cgroupfs "11:memory:/kubepods/burstable/pod$POD/$ID" "0::/"
cgroup_seed kubepods-crio-cgroupfs "0::/kubepods/besteffort/pod$POD/crio-$ID"
cgroup_seed kubepods-systemd "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$PODS.slice/cri-containerd-$ID.scope"
cgroup_seed kubepods-crio-systemd "0::/kubepods.slice/kubepods-pod$PODS.slice/crio-$ID.scope"
cgroup_seed crio-conmon "0::/kubepods.slice/kubepods-pod$PODS.slice/crio-conmon-$ID.scope"
cgroup_seed cri-containerd-colon "0::/system.slice/containerd.service/kubepods-besteffort-pod$PODS.slice:cri-containerd:$ID"
cgroup_seed podman-systemd "0::/machine.slice/libpod-$ID.scope/container"
cgroup_seed podman-cgroupfs "9:name=systemd:/libpod_parent/libpod-$ID" "4:memory:/libpod_parent/libpod-$ID" "0::/libpod_parent/libpod-$ID"
cgroup_seed podman-conmon "0::/machine.slice/libpod-conmon-$ID.scope"
cgroup_seed host "9:name=systemd:/init.scope" "4:memory:/process_api/61bd1966ec22637ad8f6b86a9dc2960d" "0::/user.slice/user-1000.slice/session-3.scope"
cgroup_seed deleted "0::/../../system.slice/docker-$ID.scope (deleted)"
cat >"$OUT/cgroup.dict" <<'EOF'
"0::/"
"1:name=systemd:/"
"/docker/"
"docker-"
".scope"
".slice"
"/kubepods/"
"/pod"
"-pod"
"cri-containerd-"
":cri-containerd:"
":crio:"
"crio-"
"crio-conmon-"
"libpod-"
"libpod-conmon-"
"/libpod_parent/"
"/container"
" (deleted)"
"/../"
"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
"a8a1e5b5-2c4e-4a55-9b0e-6b3f7a6f2d11"
"a8a1e5b5_2c4e_4a55_9b0e_6b3f7a6f2d11"
EOF

# symtab: ELF64 little-endian (x86-64), no program headers; sections .symtab
# (the null symbol, runtime.ncpu, runtime.gomaxprocs), .strtab, .shstrtab.
tiny_elf64le_symtab() {
	printf '\x7fELF\x02\x01\x01'
	zeros 9
	bytes le 2 2; bytes le 2 0x3e; bytes le 4 1; bytes le 8 0x401000
	bytes le 8 0; bytes le 8 200; bytes le 4 0
	bytes le 2 64; bytes le 2 56; bytes le 2 0; bytes le 2 64; bytes le 2 4; bytes le 2 3
	zeros 24
	bytes le 4 1; printf '\x11\x00'; bytes le 2 1; bytes le 8 0x5d0000; bytes le 8 4
	bytes le 4 14; printf '\x11\x00'; bytes le 2 1; bytes le 8 0x5d0004; bytes le 8 4
	zeros 1; printf 'runtime.ncpu'; zeros 1; printf 'runtime.gomaxprocs'; zeros 1
	zeros 1; printf '.symtab'; zeros 1; printf '.strtab'; zeros 1; printf '.shstrtab'; zeros 1
	zeros 4
	zeros 64
	bytes le 4 1; bytes le 4 2; bytes le 8 0; bytes le 8 0; bytes le 8 64; bytes le 8 72
	bytes le 4 2; bytes le 4 1; bytes le 8 8; bytes le 8 24
	bytes le 4 9; bytes le 4 3; bytes le 8 0; bytes le 8 0; bytes le 8 136; bytes le 8 33
	bytes le 4 0; bytes le 4 0; bytes le 8 1; bytes le 8 0
	bytes le 4 17; bytes le 4 3; bytes le 8 0; bytes le 8 0; bytes le 8 169; bytes le 8 27
	bytes le 4 0; bytes le 4 0; bytes le 8 1; bytes le 8 0
}
tiny_elf64le_symtab >"$SYMTAB/seeds/tiny-elf64le-symtab"
cat >"$OUT/symtab.dict" <<'EOF'
"\x7fELF"
".symtab"
".strtab"
".shstrtab"
"runtime.ncpu"
"runtime.gomaxprocs"
"\x02\x00\x00\x00"
"\x03\x00\x00\x00"
EOF

# functab: the hand-made ELF files with a function table header, and a
# piece of sleeper's code (instructions for the decoder).
cp "$SEEDS/tiny-elf64le-pclntab" "$SEEDS/tiny-elf32be-pclntab-note" "$FUNCTAB/seeds/"
if [ -f "$FIXTURES/sleeper" ]; then
	tail -c +4097 "$FIXTURES/sleeper" | head -c 4096 >"$FUNCTAB/seeds/sleeper-text" || true
fi
cat >"$OUT/functab.dict" <<'EOF'
"\x7fELF"
".gopclntab"
".go.module"
".noptrdata"
"\xfa\xff\xff\xff"
"\xf0\xff\xff\xff"
"\xf1\xff\xff\xff"
"runtime.osinit\x00"
"runtime.GOMAXPROCS\x00"
"runtime.allgadd\x00"
"runtime.procresize\x00"
"runtime.newproc1\x00"
"\x48\x8d\x05"
"\x89\x05"
"\xf0\x48\x0f\xc1"
EOF

# dwarf: a C program's types (p.gFree.n, schedt.mnext, an array) as gcc writes
# them in DWARF 4 and 5, linked without libc and stripped to the sections the
# reader copies; then objcopy's SHF_COMPRESSED and .zdebug_* forms of each.
cat >"$DWARF/seed.c" <<'EOF'
struct gList { void *head; };
struct p { int id; unsigned status; struct { struct gList gList; int n; } gFree; };
struct heapStatsDelta { long committed; unsigned long smallAllocCount[68]; };
typedef struct schedt { long goidgen; long mnext; } schedt;
struct p pv;
struct heapStatsDelta hv;
schedt sv;
int main(void) { return 0; }
EOF
for v in 4 5; do
	s=$DWARF/seeds/c-dwarf$v
	"${CC:-cc}" -g -gdwarf-$v -O0 -nostdlib -static -fno-asynchronous-unwind-tables \
		-Wl,--build-id=none,-e,main,-N -o "$s.full" "$DWARF/seed.c" 2>/dev/null || continue
	objcopy --strip-all --keep-section=.debug_info --keep-section=.debug_abbrev \
		--keep-section=.debug_str --keep-section=.debug_line_str "$s.full" "$s" &&
		objcopy --compress-debug-sections=zlib "$s" "$s-zlib" &&
		objcopy --compress-debug-sections=zlib-gnu "$s" "$s-zdebug" || true
	rm -f "$s.full"
done
cat >"$OUT/dwarf.dict" <<'EOF'
"\x7fELF"
".debug_info"
".debug_abbrev"
".debug_str"
".zdebug_info"
"ZLIB"
"\x01\x00\x00\x00"
"gFree"
"runtime"
EOF

# crash: what Go 1.19 prints for a panic, a fatal error (with runtime frames)
# and a signal it dies of.
printf 'starting\npanic: runtime error: index out of range [5] with length 3\n\ngoroutine 1 [running]:\nmain.indexPanic(0xc00009e120?)\n\t/src/main.go:64 +0x9a\nmain.main()\n\t/src/main.go:33 +0x27b\n' >"$CRASH/seeds/panic"
printf 'fatal error: concurrent map writes\n\ngoroutine 18 [running]:\nruntime.throw({0x4b1b8f?, 0x0?})\n\t/go/src/runtime/panic.go:1047 +0x5d fp=0xc0000 sp=0xc0000 pc=0x4326dd\nmain.f.func1()\n\t/src/main.go:83 +0x4a\ncreated by main.f\n\t/src/main.go:81 +0x2b\n' >"$CRASH/seeds/fatal"
printf 'runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow\n\nruntime stack:\nruntime.throw()\n\ngoroutine 1 [running]:\nmain.(*T).Get[...](0x0)\n' >"$CRASH/seeds/overflow"
printf 'SIGQUIT: quit\nPC=0x4621c1 m=0 sigcode=0\n\ngoroutine 0 [idle]:\nruntime.futex(0x5a6f28, 0x80)\n\t/go/src/runtime/sys_linux_amd64.s:560 +0x21\n' >"$CRASH/seeds/signal"
cat >"$OUT/crash.dict" <<'EOF'
"panic: "
"fatal error: "
"runtime: "
"SIGSEGV: "
"goroutine 1 [running]:"
"created by "
"\x0a\x09"
" +0x"
"(...)"
EOF

# ---- run ----

# run NAME BIN CORPUS SEEDS LOG ARTIFACTS [libFuzzer flags...]: one line, status 0 or 1.
run() {
	local name=$1 bin=$2 corpus=$3 seeds=$4 log=$5 artifacts=$6 rc runs cov units artifact reason
	shift 6
	set +e
	"$bin" "$corpus" "$seeds" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$artifacts/" "$@" ${FUZZ_FLAGS:-} >"$log" 2>&1
	rc=$?
	set -e

	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
	units=$(find "$corpus" -type f | wc -l)
	if [ $rc -eq 0 ]; then
		echo "fuzz: $name: ${runs:-? runs}, ${cov:-cov: ?}, corpus $units, seeds $(ls "$seeds" | wc -l): no crash"
		return 0
	fi
	artifact=$(sed -n 's/.*Test unit written to \([^ ]*\).*/\1/p' "$log" | tail -n 1)
	reason=$(grep -m1 -E '^==[0-9]+== ?ERROR|^SUMMARY|runtime error' "$log" || true)
	echo "fuzz: $name: FAILED (exit $rc): ${reason:-see $log}; input: ${artifact:-none}; log: $log"
	return 1
}

status=0
for t in $FUZZ_TARGETS; do
	case $t in
	buildinfo)
		run buildinfo "$BIN" "$CORPUS" "$SEEDS" "$LOG" "$OUT/artifacts" \
			-dict="$OUT/buildinfo.dict" -max_len=8192 || status=1
		;;
	pprof)
		run pprof "$OUT/fuzz_pprof" "$PPROF/corpus" "$PPROF/seeds" "$OUT/fuzz_pprof.log" \
			"$PPROF/artifacts" -max_len=65536 || status=1
		;;
	cgroup)
		run cgroup "$OUT/fuzz_cgroup" "$CGROUP/corpus" "$CGROUP/seeds" "$OUT/fuzz_cgroup.log" \
			"$CGROUP/artifacts" -dict="$OUT/cgroup.dict" -max_len=4096 || status=1
		;;
	functab)
		run functab "$OUT/fuzz_functab" "$FUNCTAB/corpus" "$FUNCTAB/seeds" "$OUT/fuzz_functab.log" \
			"$FUNCTAB/artifacts" -dict="$OUT/functab.dict" -max_len=8192 || status=1
		;;
	symtab)
		run symtab "$OUT/fuzz_symtab" "$SYMTAB/corpus" "$SYMTAB/seeds" "$OUT/fuzz_symtab.log" \
			"$SYMTAB/artifacts" -dict="$OUT/symtab.dict" -max_len=4096 || status=1
		;;
	dwarf)
		run dwarf "$OUT/fuzz_dwarf" "$DWARF/corpus" "$DWARF/seeds" "$OUT/fuzz_dwarf.log" \
			"$DWARF/artifacts" -dict="$OUT/dwarf.dict" -max_len=4096 || status=1
		;;
	crash)
		run crash "$OUT/fuzz_crash" "$CRASH/corpus" "$CRASH/seeds" "$OUT/fuzz_crash.log" \
			"$CRASH/artifacts" -dict="$OUT/crash.dict" -max_len=8192 || status=1
		;;
	esac
done
exit $status
