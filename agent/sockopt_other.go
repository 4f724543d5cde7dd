// SPDX-License-Identifier: MIT

//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package agent

import (
	"fmt"
	"runtime"
	"syscall"
)

// reuseAddrAndPort reports that socket reuse is not available here.
func reuseAddrAndPort(network, address string, c syscall.RawConn) error {
	return fmt.Errorf("gops: SO_REUSEADDR/SO_REUSEPORT not supported on %s", runtime.GOOS)
}
