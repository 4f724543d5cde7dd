// SPDX-License-Identifier: MIT

//go:build !unix

package agent

import "os"

// cleanupSignals are the signals after which the port file is removed.
var cleanupSignals = []os.Signal{os.Interrupt}

// redeliver ends the process after the cleanup. Without kill(2) there is no
// way to die of the signal itself; exit 1 as the gops agent does.
func redeliver(os.Signal) {
	os.Exit(1)
}
