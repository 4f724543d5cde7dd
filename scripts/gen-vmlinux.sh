#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates vmlinux/<arch>/vmlinux.h from the running kernel's BTF.
# CO-RE relocations make the header portable across kernels of the same arch;
# regenerate it only to reach types or fields a newer kernel added.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
btf=${1:-/sys/kernel/btf/vmlinux}
[ -r "$btf" ] || { echo "gen-vmlinux: $btf not readable: this kernel has no BTF" >&2; exit 1; }
mkdir -p "vmlinux/$arch"
bpftool btf dump file "$btf" format c > "vmlinux/$arch/vmlinux.h.tmp"
mv "vmlinux/$arch/vmlinux.h.tmp" "vmlinux/$arch/vmlinux.h"
echo "wrote vmlinux/$arch/vmlinux.h"
