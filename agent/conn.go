// SPDX-License-Identifier: MIT

package agent

import (
	"bufio"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// activeConns counts connections being served; the tests use it to check
// that no goroutine is left behind.
var activeConns int32

// serveConn answers one client: read the command byte, reply, close.
func serveConn(conn net.Conn, tun tunables) {
	atomic.AddInt32(&activeConns, 1)
	defer atomic.AddInt32(&activeConns, -1)
	defer conn.Close()

	// A client that connects and sends nothing is dropped after readTimeout
	// (the gops agent would wait forever, and serially, blocking everyone).
	conn.SetReadDeadline(time.Now().Add(tun.readTimeout))

	// Read exactly one byte: for setgc the argument follows it, and for
	// everything else there is nothing more to read.
	var cmd [1]byte
	if n, _ := conn.Read(cmd[:]); n != 1 {
		return // EOF, reset or timeout before the command
	}

	w := &deadlineWriter{conn: conn, timeout: tun.writeTimeout}
	in := bufio.NewReader(conn)
	if err := handle(in, w, cmd[0], tun); err != nil && w.untouched() {
		// A command that failed before replying (a CPU profile while
		// another runs, a bad setgc argument...). The gops agent only
		// logs these and leaves the client waiting; we send the error
		// text, which a client can show. After a partial reply, or when
		// writing failed, there is nothing useful left to send.
		w.Write([]byte(err.Error()))
	}
}

// deadlineWriter writes to a connection in bounded chunks, re-arming the
// write deadline before each one: a client that stops reading makes the
// write fail after timeout, while a slow client that keeps reading gets all
// of a large reply (a binary dump, a long profile).
type deadlineWriter struct {
	mu      sync.Mutex // profile and trace writers run on their own goroutines
	conn    net.Conn
	timeout time.Duration
	written int64 // bytes sent so far
	err     error // first write error, if any
}

// maxChunk bounds the size of one deadline-covered write.
const maxChunk = 64 << 10

// untouched reports whether nothing was sent and no write failed.
func (w *deadlineWriter) untouched() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.written == 0 && w.err == nil
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return 0, w.err
	}
	done := 0
	for len(p) > 0 {
		chunk := p
		if len(chunk) > maxChunk {
			chunk = chunk[:maxChunk]
		}
		err := w.conn.SetWriteDeadline(time.Now().Add(w.timeout))
		n := 0
		if err == nil {
			n, err = w.conn.Write(chunk)
		}
		done += n
		w.written += int64(n)
		if err != nil {
			w.err = err
			return done, err
		}
		p = p[n:]
	}
	return done, nil
}
