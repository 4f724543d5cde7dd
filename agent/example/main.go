// SPDX-License-Identifier: MIT

// Command gopsdemo is the program `make demo` runs: a few goroutines doing
// periodic work (computing, allocating) and an HTTP server on 127.0.0.1:0,
// until SIGINT or SIGTERM. It gives gops something to look at: goroutines to
// dump, a heap that changes, GCs to count.
package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"example.com/gopsbpf/agent"
)

var requests, rounds atomic.Int64

func main() {
	log.SetFlags(0)
	log.SetPrefix("gopsdemo: ")

	// The gops agent: port file in the gops config dir, removed again on
	// SIGINT/SIGTERM/SIGQUIT (and by Close on a normal return).
	if err := agent.Listen(agent.Options{ShutdownCleanup: true}); err != nil {
		log.Fatal(err)
	}
	defer agent.Close()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	for i := 0; i < 4; i++ {
		go worker(ctx, i)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(hello), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	log.Printf("pid %d, serving http://%s/", os.Getpid(), ln.Addr())

	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(shutdown)
	log.Printf("stopped after %d rounds of work and %d requests", rounds.Load(), requests.Load())
}

func hello(w http.ResponseWriter, r *http.Request) {
	n := requests.Add(1)
	fmt.Fprintf(w, "hello from gopsdemo (pid %d), request %d, %d rounds of work done\n",
		os.Getpid(), n, rounds.Load())
}

// worker hashes fresh buffers and keeps a bounded window of them alive, so the
// heap grows and shrinks and the collector has work to do.
func worker(ctx context.Context, id int) {
	rng := rand.New(rand.NewSource(int64(id)))
	tick := time.NewTicker(time.Duration(100+50*id) * time.Millisecond)
	defer tick.Stop()
	var keep [][]byte
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		buf := make([]byte, 64<<10+rng.Intn(256<<10))
		rng.Read(buf)
		sum := sha256.Sum256(buf)
		buf[0] = sum[0]
		keep = append(keep, buf)
		if len(keep) > 32 {
			keep = keep[len(keep)-16:]
		}
		rounds.Add(1)
	}
}
