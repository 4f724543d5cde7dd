// SPDX-License-Identifier: MIT

package agent

import (
	"os"
	"os/signal"
	"sync"
)

// signalCleanup removes the port file when a shutdown signal arrives
// (Options.ShutdownCleanup), then lets the signal take its normal course.
//
// The gops agent calls os.Exit after the cleanup, which cuts short any
// graceful shutdown the program itself does on that signal. Here the agent
// stops intercepting the signal and delivers it again: a program that
// handles it (signal.Notify) gets it (a second time) and goes on with its
// own shutdown; a program that does not dies of it, as it would have
// without the agent.
type signalCleanup struct {
	ch   chan os.Signal
	done chan struct{}
	once sync.Once
}

func startSignalCleanup() *signalCleanup {
	h := &signalCleanup{ch: make(chan os.Signal, 1), done: make(chan struct{})}
	var sigs []os.Signal
	for _, sig := range cleanupSignals {
		// A signal ignored from the start (SIGINT for a background job
		// of a non-interactive shell) must stay without effect.
		if !signal.Ignored(sig) {
			sigs = append(sigs, sig)
		}
	}
	if len(sigs) > 0 {
		signal.Notify(h.ch, sigs...)
		go h.wait()
	}
	return h
}

// stop stops intercepting the signals. Safe to call more than once.
func (h *signalCleanup) stop() {
	h.once.Do(func() {
		signal.Stop(h.ch)
		close(h.done)
	})
}

func (h *signalCleanup) wait() {
	select {
	case sig := <-h.ch:
		Close()
		h.stop()
		redeliver(sig)
	case <-h.done:
	}
}
