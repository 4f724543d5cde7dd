// SPDX-License-Identifier: MIT

//go:build linux && (386 || amd64 || arm)

package agent

// soReusePort is SO_REUSEPORT, which package syscall does not define for
// these architectures (it is 15 on every Linux architecture but mips).
const soReusePort = 0xf
