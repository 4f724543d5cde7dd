// SPDX-License-Identifier: MIT

// Package agent lets a Go program be diagnosed by gops (ours or the original
// github.com/google/gops CLI). It listens on a local TCP port, records the
// port in "<config dir>/<pid>", and answers one single-byte command per
// connection: stack dump, GC, memory statistics, profiles, trace, and so on.
//
// The wire protocol and the replies are byte-compatible with the
// github.com/google/gops/agent package. Unlike that agent, connections are
// served concurrently (a 30 s CPU profile does not hold up a stack dump),
// idle or stalled clients are dropped after a deadline, and an unwritable
// config directory does not prevent the agent from serving by address.
//
// Typical use:
//
//	if err := agent.Listen(agent.Options{ShutdownCleanup: true}); err != nil {
//		log.Fatal(err)
//	}
//	defer agent.Close()
package agent

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"time"
)

// defaultAddr is where the agent listens when Options.Addr is empty: the
// loopback interface, on a port chosen by the kernel.
const defaultAddr = "127.0.0.1:0"

// Options configures the agent. The zero value is ready to use.
type Options struct {
	// Addr is the TCP address to listen on, "host:port". Empty means
	// "127.0.0.1:0": loopback only, any free port.
	Addr string

	// ConfigDir is the directory that receives the port file. Empty means
	// the gops default: $GOPS_CONFIG_DIR, else $XDG_CONFIG_HOME/gops, else
	// $HOME/.config/gops, else <home from the passwd database>/.config/gops.
	ConfigDir string

	// ShutdownCleanup removes the port file when the process receives
	// SIGINT, SIGTERM or SIGQUIT. The signal then takes its normal course:
	// if the program handles it too (signal.Notify), the program decides
	// what happens next; otherwise the process dies of that signal, as it
	// would have without the agent.
	ShutdownCleanup bool

	// ReuseSocketAddrAndPort sets SO_REUSEADDR and SO_REUSEPORT on the
	// listening socket.
	ReuseSocketAddrAndPort bool
}

// Tunables. Unexported variables rather than constants so that the tests can
// shorten them; Listen reads them (see tunables).
var (
	// readTimeout bounds the wait for the command byte (and, for setgc,
	// its argument) after a client connects.
	readTimeout = 10 * time.Second
	// writeTimeout bounds how long a single write may stall on a client
	// that does not read. It is re-armed for every chunk written, so a
	// large reply to a slow but live client is not cut short.
	writeTimeout = 30 * time.Second
	// cpuProfileDuration and traceDuration are how long the CPU profile
	// and the execution trace run (gops: 30 s and 5 s).
	cpuProfileDuration = 30 * time.Second
	traceDuration      = 5 * time.Second
)

// tunables is the snapshot of the variables above that a listener uses.
type tunables struct {
	readTimeout, writeTimeout         time.Duration
	cpuProfileDuration, traceDuration time.Duration
}

// The agent is process-wide: one listener, one port file.
var (
	mu       sync.Mutex
	listener net.Listener
	portFile string // path of the port file we wrote; "" if none
	cleanup  *signalCleanup
)

// Listen starts the agent: it listens on opts.Addr, writes the port file and
// serves clients in the background. It fails if the agent is already
// listening or the address cannot be bound. A config directory that cannot
// be written is not an error: the agent is then reachable by address only,
// and Listen says so once through the standard logger.
func Listen(opts Options) error {
	mu.Lock()
	defer mu.Unlock()

	if listener != nil {
		return errors.New("gops: agent already listening")
	}

	addr := opts.Addr
	if addr == "" {
		addr = defaultAddr
	}
	var lc net.ListenConfig
	if opts.ReuseSocketAddrAndPort {
		lc.Control = reuseAddrAndPort
	}
	ln, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return err
	}
	tcpAddr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		ln.Close()
		return fmt.Errorf("gops: unexpected listener address %v", ln.Addr())
	}

	path, err := writePortFile(opts.ConfigDir, tcpAddr.Port)
	if err != nil {
		log.Printf("gops: agent serving on %v without a port file: %v", tcpAddr, err)
		path = ""
	}

	listener = ln
	portFile = path
	if opts.ShutdownCleanup {
		cleanup = startSignalCleanup()
	}
	go serve(ln, tunables{readTimeout, writeTimeout, cpuProfileDuration, traceDuration})
	return nil
}

// Close stops the agent: it removes the port file and closes the listener.
// Requests already being answered run to completion. Close does nothing if
// the agent is not listening; Listen may be called again afterwards.
func Close() {
	mu.Lock()
	defer mu.Unlock()

	if portFile != "" {
		removePortFile(portFile)
		portFile = ""
	}
	if listener != nil {
		listener.Close()
		listener = nil
	}
	if cleanup != nil {
		cleanup.stop()
		cleanup = nil
	}
}

// serve accepts connections until ln is closed, answering each on its own
// goroutine.
func serve(ln net.Listener, tun tunables) {
	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: wait a little
			// and try again rather than spin or give up.
			if backoff == 0 {
				backoff = 5 * time.Millisecond
			} else if backoff *= 2; backoff > time.Second {
				backoff = time.Second
			}
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		go serveConn(conn, tun)
	}
}
