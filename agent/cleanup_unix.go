// SPDX-License-Identifier: MIT

//go:build unix

package agent

import (
	"os"
	"syscall"
)

// cleanupSignals are the signals after which the port file is removed.
var cleanupSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGQUIT}

// redeliver sends sig to this process again, now that the agent no longer
// intercepts it: the program's own handlers (if any) decide, otherwise the
// default action applies and the process dies of sig (SIGQUIT: with its
// goroutine dump), so a parent sees the real cause in the exit status.
func redeliver(sig os.Signal) {
	if s, ok := sig.(syscall.Signal); ok {
		syscall.Kill(os.Getpid(), s)
		return
	}
	os.Exit(1)
}
