// SPDX-License-Identifier: MIT

//go:build aix || darwin || dragonfly || freebsd || netbsd || openbsd || (linux && !386 && !amd64 && !arm)

package agent

import "syscall"

const soReusePort = syscall.SO_REUSEPORT
