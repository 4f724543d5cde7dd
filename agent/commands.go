// SPDX-License-Identifier: MIT

package agent

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"time"
)

// Command bytes of the gops protocol. A client sends one of them (setgc
// followed by its argument), then reads the reply until the agent closes
// the connection.
const (
	cmdStack       byte = 0x01 // goroutine dump, pprof debug=2 text
	cmdGC          byte = 0x02 // blocking GC, then "ok"
	cmdMemStats    byte = 0x03 // runtime.MemStats as "key: value" lines
	cmdVersion     byte = 0x04 // runtime.Version() + "\n"
	cmdHeapProfile byte = 0x05 // gzipped pprof heap profile
	cmdCPUProfile  byte = 0x06 // gzipped pprof CPU profile, 30 s
	cmdStats       byte = 0x07 // goroutines, OS threads, GOMAXPROCS, num CPU
	cmdTrace       byte = 0x08 // runtime/trace output, 5 s
	cmdBinaryDump  byte = 0x09 // the bytes of our own executable
	cmdSetGC       byte = 0x10 // zig-zag varint argument; debug.SetGCPercent
)

// handle runs one command. in yields whatever the client sent after the
// command byte; the reply goes to w. An error returned before anything was
// written is sent to the client as text. Unknown commands get no reply.
func handle(in *bufio.Reader, w io.Writer, cmd byte, tun tunables) error {
	switch cmd {
	case cmdStack:
		return pprof.Lookup("goroutine").WriteTo(w, 2)

	case cmdGC:
		runtime.GC()
		_, err := io.WriteString(w, "ok")
		return err

	case cmdMemStats:
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		_, err := w.Write(formatMemStats(&ms))
		return err

	case cmdVersion:
		_, err := io.WriteString(w, runtime.Version()+"\n")
		return err

	case cmdHeapProfile:
		return pprof.WriteHeapProfile(w)

	case cmdCPUProfile:
		// Fails at once ("cpu profiling already in use") if another
		// profile is running, for instance for a concurrent client.
		if err := pprof.StartCPUProfile(w); err != nil {
			return err
		}
		time.Sleep(tun.cpuProfileDuration)
		pprof.StopCPUProfile()
		return nil

	case cmdStats:
		var b bytes.Buffer
		fmt.Fprintf(&b, "goroutines: %d\n", runtime.NumGoroutine())
		fmt.Fprintf(&b, "OS threads: %d\n", pprof.Lookup("threadcreate").Count())
		fmt.Fprintf(&b, "GOMAXPROCS: %d\n", runtime.GOMAXPROCS(0))
		fmt.Fprintf(&b, "num CPU: %d\n", runtime.NumCPU())
		_, err := w.Write(b.Bytes())
		return err

	case cmdTrace:
		// Fails at once ("runtime error: tracing is already enabled") if a
		// trace runs.
		if err := trace.Start(w); err != nil {
			return err
		}
		time.Sleep(tun.traceDuration)
		trace.Stop()
		return nil

	case cmdBinaryDump:
		path, err := os.Executable()
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err

	case cmdSetGC:
		perc, err := binary.ReadVarint(in)
		if err != nil {
			return err
		}
		prev := debug.SetGCPercent(int(perc))
		_, err = fmt.Fprintf(w, "New GC percent set to %d. Previous value was %d.\n", perc, prev)
		return err
	}
	return nil
}

// formatMemStats renders ms the way the gops agent does, one "key: value"
// line each, in this order (S = formatBytes, N = plain decimal):
//
//	alloc: S                       Alloc
//	total-alloc: S                 TotalAlloc
//	sys: S                         Sys
//	lookups: N                     Lookups
//	mallocs: N                     Mallocs
//	frees: N                       Frees
//	heap-alloc: S                  HeapAlloc
//	heap-sys: S                    HeapSys
//	heap-idle: S                   HeapIdle
//	heap-in-use: S                 HeapInuse
//	heap-released: S               HeapReleased
//	heap-objects: N                HeapObjects
//	stack-in-use: S                StackInuse
//	stack-sys: S                   StackSys
//	mspan-in-use: S                MSpanInuse
//	mspan-sys: S                   MSpanSys
//	mcache-in-use: S               MCacheInuse
//	mcache-sys: S                  MCacheSys
//	buck-hash-sys: S               BuckHashSys
//	other-sys: S                   OtherSys
//	gc-sys: S                      GCSys
//	next-gc: when heap-alloc >= S  NextGC
//	last-gc: T                     LastGC as a local time.Time's String(), "-" if no GC yet
//	gc-pause-total: D              PauseTotalNs as a time.Duration's String()
//	gc-pause: N                    PauseNs of the last GC, in ns
//	gc-pause-end: N                PauseEnd of the last GC, ns since the epoch
//	num-gc: N                      NumGC
//	num-forced-gc: N               NumForcedGC
//	gc-cpu-fraction: F             GCCPUFraction, %v of a float64
//	enable-gc: B                   EnableGC, true/false
//	debug-gc: B                    DebugGC, true/false
//
// The keys are those of the gops agent since November 2024 (its master
// branch, after v0.3.28): v0.3.28 printed stack-mspan-inuse, stack-mspan-sys,
// stack-mcache-inuse and stack-mcache-sys, and no buck-hash-sys line.
func formatMemStats(ms *runtime.MemStats) []byte {
	var b bytes.Buffer
	line := func(key string, value interface{}) {
		fmt.Fprintf(&b, "%s: %v\n", key, value)
	}
	line("alloc", formatBytes(ms.Alloc))
	line("total-alloc", formatBytes(ms.TotalAlloc))
	line("sys", formatBytes(ms.Sys))
	line("lookups", ms.Lookups)
	line("mallocs", ms.Mallocs)
	line("frees", ms.Frees)
	line("heap-alloc", formatBytes(ms.HeapAlloc))
	line("heap-sys", formatBytes(ms.HeapSys))
	line("heap-idle", formatBytes(ms.HeapIdle))
	line("heap-in-use", formatBytes(ms.HeapInuse))
	line("heap-released", formatBytes(ms.HeapReleased))
	line("heap-objects", ms.HeapObjects)
	line("stack-in-use", formatBytes(ms.StackInuse))
	line("stack-sys", formatBytes(ms.StackSys))
	line("mspan-in-use", formatBytes(ms.MSpanInuse))
	line("mspan-sys", formatBytes(ms.MSpanSys))
	line("mcache-in-use", formatBytes(ms.MCacheInuse))
	line("mcache-sys", formatBytes(ms.MCacheSys))
	line("buck-hash-sys", formatBytes(ms.BuckHashSys))
	line("other-sys", formatBytes(ms.OtherSys))
	line("gc-sys", formatBytes(ms.GCSys))
	line("next-gc", "when heap-alloc >= "+formatBytes(ms.NextGC))
	lastGC := "-"
	if ms.LastGC != 0 {
		lastGC = time.Unix(0, int64(ms.LastGC)).String()
	}
	line("last-gc", lastGC)
	line("gc-pause-total", time.Duration(ms.PauseTotalNs))
	last := (ms.NumGC + 255) % 256 // index of the most recent GC in the rings
	line("gc-pause", ms.PauseNs[last])
	line("gc-pause-end", ms.PauseEnd[last])
	line("num-gc", ms.NumGC)
	line("num-forced-gc", ms.NumForcedGC)
	line("gc-cpu-fraction", ms.GCCPUFraction)
	line("enable-gc", ms.EnableGC)
	line("debug-gc", ms.DebugGC)
	return b.Bytes()
}

// byteUnits are the suffixes of formatBytes, for successive powers of 1024.
var byteUnits = [...]string{"KB", "MB", "GB", "TB", "PB"}

// formatBytes renders a byte count as gops does: "N bytes" below 1024,
// otherwise the value in the largest unit it reaches (up to PB) with two
// decimals, directly followed by the unit, then the exact count:
// "1.50KB (1536 bytes)". Rounding can show "1024.00KB" just below 1 MB.
func formatBytes(n uint64) string {
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	unit, scale := 0, uint64(1024)
	for unit < len(byteUnits)-1 && n/scale >= 1024 {
		unit++
		scale *= 1024
	}
	return fmt.Sprintf("%.2f%s (%d bytes)", float64(n)/float64(scale), byteUnits[unit], n)
}
