// SPDX-License-Identifier: MIT

package agent

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// setTunable sets *p to v for the duration of the test. Call it before
// startAgent: Listen snapshots the tunables.
func setTunable(t *testing.T, p *time.Duration, v time.Duration) {
	t.Helper()
	old := *p
	*p = v
	t.Cleanup(func() { *p = old })
}

// startAgent runs the agent for the duration of the test, with its port file
// in a fresh directory unless opts says otherwise, and returns its address.
func startAgent(t *testing.T, opts Options) string {
	t.Helper()
	if opts.ConfigDir == "" {
		opts.ConfigDir = t.TempDir()
	}
	if err := Listen(opts); err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() {
		Close()
		waitIdle(t)
	})
	return agentAddr(t)
}

func agentAddr(t *testing.T) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if listener == nil {
		t.Fatal("agent not listening")
	}
	return listener.Addr().String()
}

// waitIdle waits until no connection is being served.
func waitIdle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for atomic.LoadInt32(&activeConns) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still being served", atomic.LoadInt32(&activeConns))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ask sends req on a fresh connection and reads the reply to EOF.
func ask(t *testing.T, addr string, req []byte) []byte {
	t.Helper()
	reply, err := askErr(addr, req)
	if err != nil {
		t.Fatal(err)
	}
	return reply
}

// askErr is ask for goroutines other than the test's.
func askErr(addr string, req []byte) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := conn.Write(req); err != nil {
		return nil, fmt.Errorf("write %x: %v", req, err)
	}
	reply, err := io.ReadAll(conn)
	if err != nil {
		return reply, fmt.Errorf("read reply to %x: %v (got %d bytes)", req, err, len(reply))
	}
	return reply, nil
}

func gunzip(t *testing.T, what string, b []byte) []byte {
	t.Helper()
	if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		t.Fatalf("%s: not gzip: %q", what, b[:min(len(b), 80)])
	}
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if len(out) == 0 {
		t.Fatalf("%s: empty profile", what)
	}
	return out
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func TestStack(t *testing.T) {
	addr := startAgent(t, Options{})
	out := string(ask(t, addr, []byte{0x01}))
	if !strings.HasPrefix(out, "goroutine ") {
		t.Fatalf("stack dump does not start with a goroutine: %.200q", out)
	}
	// debug=2 is the panic-style format, with this very test in it.
	for _, want := range []string{"[running]:", "agent.TestStack(", "agent.serveConn("} {
		if !strings.Contains(out, want) {
			t.Errorf("stack dump lacks %q", want)
		}
	}
}

func TestGC(t *testing.T) {
	addr := startAgent(t, Options{})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if got := string(ask(t, addr, []byte{0x02})); got != "ok" {
		t.Fatalf("gc reply %q, want \"ok\"", got)
	}
	runtime.ReadMemStats(&after)
	if after.NumForcedGC <= before.NumForcedGC {
		t.Errorf("NumForcedGC %d -> %d: no GC ran", before.NumForcedGC, after.NumForcedGC)
	}
}

// memStatsKeys are the keys of the gops memstats reply, in order.
var memStatsKeys = []string{
	"alloc", "total-alloc", "sys", "lookups", "mallocs", "frees",
	"heap-alloc", "heap-sys", "heap-idle", "heap-in-use", "heap-released", "heap-objects",
	"stack-in-use", "stack-sys", "mspan-in-use", "mspan-sys",
	"mcache-in-use", "mcache-sys", "buck-hash-sys", "other-sys", "gc-sys", "next-gc",
	"last-gc", "gc-pause-total", "gc-pause", "gc-pause-end", "num-gc", "num-forced-gc",
	"gc-cpu-fraction", "enable-gc", "debug-gc",
}

func TestMemStatsOverTheWire(t *testing.T) {
	addr := startAgent(t, Options{})
	runtime.GC() // so that last-gc is a time
	out := string(ask(t, addr, []byte{0x03}))
	if !strings.HasSuffix(out, "\n") {
		t.Fatalf("memstats does not end with a newline: %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(memStatsKeys) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(memStatsKeys), out)
	}
	size := `(\d+ bytes|\d+\.\d\d[KMGTP]B \(\d+ bytes\))`
	values := map[string]string{
		"lookups": `\d+`, "mallocs": `\d+`, "frees": `\d+`, "heap-objects": `\d+`,
		"next-gc":        `when heap-alloc >= ` + size,
		"last-gc":        `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [-+]\d{4} \S+`,
		"gc-pause-total": `[0-9.]+(ns|µs|ms|s)|[0-9hms.]+`,
		"gc-pause":       `\d+`, "gc-pause-end": `\d{19}`, "num-gc": `[1-9]\d*`, "num-forced-gc": `[1-9]\d*`,
		"gc-cpu-fraction": `[0-9.e+-]+`, "enable-gc": `true`, "debug-gc": `false`,
	}
	for i, line := range lines {
		key := memStatsKeys[i]
		pat, ok := values[key]
		if !ok {
			pat = size
		}
		if !regexp.MustCompile(`^` + regexp.QuoteMeta(key) + `: (` + pat + `)$`).MatchString(line) {
			t.Errorf("line %d: %q, want %s: %s", i+1, line, key, pat)
		}
	}
}

func TestFormatMemStatsExact(t *testing.T) {
	var ms runtime.MemStats
	ms.Alloc = 1536
	ms.TotalAlloc = 5 << 30
	ms.Sys = 1023
	ms.Lookups = 7
	ms.Mallocs = 1234567
	ms.Frees = 1234000
	ms.HeapAlloc = 1048575
	ms.HeapSys = 3 << 20
	ms.HeapObjects = 567
	ms.MSpanInuse = 15656
	ms.NextGC = 4194304
	ms.NumGC = 3
	ms.NumForcedGC = 1
	ms.PauseTotalNs = 946946
	ms.PauseNs[2] = 134271 // the latest pause: index (NumGC+255)%256
	ms.PauseNs[3] = 999    // stale ring slot, must not show
	ms.PauseEnd[2] = 1738853783871439777
	ms.GCCPUFraction = 4.687698217513668e-06
	ms.EnableGC = true
	want := `alloc: 1.50KB (1536 bytes)
total-alloc: 5.00GB (5368709120 bytes)
sys: 1023 bytes
lookups: 7
mallocs: 1234567
frees: 1234000
heap-alloc: 1024.00KB (1048575 bytes)
heap-sys: 3.00MB (3145728 bytes)
heap-idle: 0 bytes
heap-in-use: 0 bytes
heap-released: 0 bytes
heap-objects: 567
stack-in-use: 0 bytes
stack-sys: 0 bytes
mspan-in-use: 15.29KB (15656 bytes)
mspan-sys: 0 bytes
mcache-in-use: 0 bytes
mcache-sys: 0 bytes
buck-hash-sys: 0 bytes
other-sys: 0 bytes
gc-sys: 0 bytes
next-gc: when heap-alloc >= 4.00MB (4194304 bytes)
last-gc: -
gc-pause-total: 946.946µs
gc-pause: 134271
gc-pause-end: 1738853783871439777
num-gc: 3
num-forced-gc: 1
gc-cpu-fraction: 4.687698217513668e-06
enable-gc: true
debug-gc: false
`
	if got := string(formatMemStats(&ms)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	// last-gc is the local time of the last GC.
	ms.LastGC = uint64(time.Date(2019, 8, 29, 16, 42, 26, 502415917, time.Local).UnixNano())
	wantLast := "last-gc: " + time.Unix(0, int64(ms.LastGC)).String() + "\n"
	if got := string(formatMemStats(&ms)); !strings.Contains(got, "\n"+wantLast) {
		t.Errorf("no %q in:\n%s", wantLast, got)
	}
	// NumGC 0: the ring index wraps to 255.
	ms.NumGC = 0
	ms.PauseNs[255] = 42
	if got := string(formatMemStats(&ms)); !strings.Contains(got, "\ngc-pause: 42\n") {
		t.Errorf("NumGC 0 does not read PauseNs[255]:\n%s", got)
	}
}

func TestFormatBytes(t *testing.T) {
	for _, c := range []struct {
		n    uint64
		want string
	}{
		{0, "0 bytes"},
		{1, "1 bytes"},
		{1023, "1023 bytes"},
		{1024, "1.00KB (1024 bytes)"},
		{1536, "1.50KB (1536 bytes)"},
		{1048575, "1024.00KB (1048575 bytes)"},
		{1 << 20, "1.00MB (1048576 bytes)"},
		{25776064, "24.58MB (25776064 bytes)"},
		{1<<30 + 1<<29, "1.50GB (1610612736 bytes)"},
		{1 << 40, "1.00TB (1099511627776 bytes)"},
		{1 << 50, "1.00PB (1125899906842624 bytes)"},
		{1 << 60, "1024.00PB (1152921504606846976 bytes)"},
		{1<<64 - 1, "16384.00PB (18446744073709551615 bytes)"},
	} {
		if got := formatBytes(c.n); got != c.want {
			t.Errorf("formatBytes(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestVersion(t *testing.T) {
	addr := startAgent(t, Options{})
	if got, want := string(ask(t, addr, []byte{0x04})), runtime.Version()+"\n"; got != want {
		t.Fatalf("version %q, want %q", got, want)
	}
}

func TestHeapProfile(t *testing.T) {
	addr := startAgent(t, Options{})
	gunzip(t, "heap profile", ask(t, addr, []byte{0x05}))
}

func TestCPUProfile(t *testing.T) {
	setTunable(t, &cpuProfileDuration, 200*time.Millisecond)
	addr := startAgent(t, Options{})
	start := time.Now()
	gunzip(t, "cpu profile", ask(t, addr, []byte{0x06}))
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("CPU profile took %v, shorter than its duration", d)
	}
}

func TestStats(t *testing.T) {
	addr := startAgent(t, Options{})
	out := string(ask(t, addr, []byte{0x07}))
	re := regexp.MustCompile(`^goroutines: (\d+)\nOS threads: (\d+)\nGOMAXPROCS: (\d+)\nnum CPU: (\d+)\n$`)
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("stats reply %q", out)
	}
	if m[3] != strconv.Itoa(runtime.GOMAXPROCS(0)) || m[4] != strconv.Itoa(runtime.NumCPU()) {
		t.Errorf("stats reply %q: GOMAXPROCS %d, num CPU %d", out, runtime.GOMAXPROCS(0), runtime.NumCPU())
	}
	if n, _ := strconv.Atoi(m[1]); n < 2 {
		t.Errorf("goroutines: %d", n)
	}
}

func TestTrace(t *testing.T) {
	setTunable(t, &traceDuration, time.Second)
	addr := startAgent(t, Options{})
	trace := make(chan []byte, 1)
	go func() {
		b, err := askErr(addr, []byte{0x08})
		if err != nil {
			t.Error(err)
		}
		trace <- b
	}()
	waitHandlerSleeping(t, addr)
	// One trace at a time: a second one gets the runtime's error at once.
	if got := string(ask(t, addr, []byte{0x08})); got != "runtime error: tracing is already enabled" {
		t.Errorf("second trace: %.80q, want the runtime's \"already enabled\" error", got)
	}
	out := <-trace
	if !regexp.MustCompile(`^go 1\.\d+ trace\x00`).Match(out) {
		t.Fatalf("no trace header: %q", out[:min(len(out), 32)])
	}
	if len(out) < 100 {
		t.Errorf("trace is %d bytes", len(out))
	}
}

func TestBinaryDump(t *testing.T) {
	addr := startAgent(t, Options{})
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if got := ask(t, addr, []byte{0x09}); !bytes.Equal(got, want) {
		t.Fatalf("binary dump: %d bytes, want the %d bytes of %s", len(got), len(want), exe)
	}
}

func TestSetGC(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	addr := startAgent(t, Options{})

	// The argument is a signed zig-zag varint (encoding/binary.PutVarint),
	// spelled out here byte by byte.
	for _, c := range []struct {
		arg  []byte
		want string
	}{
		{[]byte{0x64}, "New GC percent set to 50. Previous value was 100.\n"},       // 50 -> 100
		{[]byte{0xd8, 0x04}, "New GC percent set to 300. Previous value was 50.\n"}, // 300 -> 600
		{[]byte{0x01}, "New GC percent set to -1. Previous value was 300.\n"},       // off: -1 -> 1
		{[]byte{0x00}, "New GC percent set to 0. Previous value was -1.\n"},
		{[]byte{0x80, 0x80, 0x80, 0x01}, "New GC percent set to 1048576. Previous value was 0.\n"},
		{[]byte{0xc8, 0x01}, "New GC percent set to 100. Previous value was 1048576.\n"},
	} {
		if got := string(ask(t, addr, append([]byte{0x10}, c.arg...))); got != c.want {
			t.Errorf("setgc %x: %q, want %q", c.arg, got, c.want)
		}
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent left at %d", got)
	}

	// The argument may come in a later segment than the command byte.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	conn.Write([]byte{0x10, 0x80})
	time.Sleep(50 * time.Millisecond)
	conn.Write([]byte{0x01}) // 0x80 0x01 = 128 = zig-zag of 64
	reply, _ := io.ReadAll(conn)
	if got, want := string(reply), "New GC percent set to 64. Previous value was 100.\n"; got != want {
		t.Errorf("split setgc: %q, want %q", got, want)
	}
	debug.SetGCPercent(100)
}

func TestSetGCBadArgument(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	addr := startAgent(t, Options{})
	for _, c := range []struct {
		req  []byte
		want string
	}{
		{[]byte{0x10}, "EOF"}, // no argument at all
		// Truncated varint: io.EOF before Go 1.20, io.ErrUnexpectedEOF after.
		{[]byte{0x10, 0x80}, "EOF"},
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		conn.Write(c.req)
		conn.(*net.TCPConn).CloseWrite()
		reply, _ := io.ReadAll(conn)
		conn.Close()
		if !strings.HasSuffix(string(reply), c.want) || len(reply) > len("unexpected EOF") {
			t.Errorf("setgc %x: %q, want %q", c.req, reply, c.want)
		}
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("a bad argument changed the GC percent to %d", got)
	}
}

func TestUnknownCommandGetsEmptyReply(t *testing.T) {
	addr := startAgent(t, Options{})
	for _, b := range []byte{0x00, 0x0a, 0x0f, 0x11, 0x7f, 0xff} {
		if got := ask(t, addr, []byte{b}); len(got) != 0 {
			t.Errorf("command %#x: reply %q, want none", b, got)
		}
	}
}

func TestIdleClientIsDropped(t *testing.T) {
	setTunable(t, &readTimeout, 300*time.Millisecond)
	addr := startAgent(t, Options{})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := conn.Read(make([]byte, 1))
	if n != 0 || err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read on an idle connection: %d, %v; want EOF from the agent", n, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("dropped after %v", d)
	}
	// Meanwhile and afterwards, the agent serves others.
	if got := string(ask(t, addr, []byte{0x04})); got != runtime.Version()+"\n" {
		t.Errorf("version after an idle client: %q", got)
	}
}

func TestIdleClientDoesNotBlockOthers(t *testing.T) {
	addr := startAgent(t, Options{})
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	start := time.Now()
	ask(t, addr, []byte{0x07})
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("stats took %v with an idle client connected", d)
	}
}

// A client that sends a command and never reads cannot hold its goroutine
// longer than the write timeout. net.Pipe has no buffer: the first write
// blocks at once.
func TestStalledReaderIsDropped(t *testing.T) {
	server, client := net.Pipe()
	defer client.Close()
	tun := tunables{readTimeout: 5 * time.Second, writeTimeout: 200 * time.Millisecond}
	done := make(chan struct{})
	go func() {
		serveConn(server, tun)
		close(done)
	}()
	if _, err := client.Write([]byte{0x09}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler is still blocked on a client that does not read")
	}
}

// A slow client that keeps reading gets the whole reply, even if that takes
// longer than the write timeout.
func TestSlowReaderGetsEverything(t *testing.T) {
	server, client := net.Pipe()
	defer client.Close()
	tun := tunables{readTimeout: 5 * time.Second, writeTimeout: 300 * time.Millisecond}
	go serveConn(server, tun)
	client.Write([]byte{0x09})
	client.SetReadDeadline(time.Now().Add(30 * time.Second))
	var got []byte
	buf := make([]byte, 1<<20)
	start := time.Now()
	for i := 0; ; i++ {
		if i < 5 {
			time.Sleep(100 * time.Millisecond) // 500 ms in all, > writeTimeout
		}
		n, err := client.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes: %v", len(got), err)
		}
	}
	exe, _ := os.Executable()
	want, _ := os.ReadFile(exe)
	if !bytes.Equal(got, want) {
		t.Fatalf("got %d bytes, want %d", len(got), len(want))
	}
	if time.Since(start) < 500*time.Millisecond {
		t.Errorf("the reader was not slow")
	}
}

// waitHandlerSleeping waits until a long command (profile, trace) runs: a
// stack dump, itself served meanwhile, shows its handler sleeping.
func waitHandlerSleeping(t *testing.T, addr string) {
	t.Helper()
	sleeping := regexp.MustCompile(`\ntime\.Sleep\(.*\n.*\n[^\n]*agent\.handle\(`)
	for deadline := time.Now().Add(5 * time.Second); ; {
		if sleeping.Match(ask(t, addr, []byte{0x01})) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the long command did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStatsWhileCPUProfileRuns(t *testing.T) {
	setTunable(t, &cpuProfileDuration, 3*time.Second)
	addr := startAgent(t, Options{})

	type result struct {
		reply []byte
		at    time.Time
	}
	profile := make(chan result, 1)
	go func() {
		b, err := askErr(addr, []byte{0x06})
		if err != nil {
			t.Error(err)
		}
		profile <- result{b, time.Now()}
	}()

	waitHandlerSleeping(t, addr)

	// Stats, a stack dump and a GC answer at once meanwhile; a second CPU
	// profile is refused at once with the runtime's error.
	start := time.Now()
	if out := ask(t, addr, []byte{0x07}); !bytes.HasPrefix(out, []byte("goroutines: ")) {
		t.Errorf("stats during a CPU profile: %q", out)
	}
	if out := ask(t, addr, []byte{0x02}); string(out) != "ok" {
		t.Errorf("gc during a CPU profile: %q", out)
	}
	if out := ask(t, addr, []byte{0x06}); string(out) != "cpu profiling already in use" {
		t.Errorf("second CPU profile: %.80q, want the \"already in use\" error", out)
	}
	answered := time.Now()
	if d := answered.Sub(start); d > time.Second {
		t.Errorf("stats, gc and a second profile took %v during a CPU profile", d)
	}

	r := <-profile
	gunzip(t, "cpu profile", r.reply)
	if !r.at.After(answered) {
		t.Errorf("the profile ended before the other requests were answered")
	}
}

func TestListenTwiceAndRelisten(t *testing.T) {
	dir := t.TempDir()
	startAgent(t, Options{ConfigDir: dir})
	if err := Listen(Options{ConfigDir: dir}); err == nil {
		t.Fatal("second Listen succeeded")
	}
	Close()
	Close() // harmless
	if _, err := os.Stat(filepath.Join(dir, strconv.Itoa(os.Getpid()))); !os.IsNotExist(err) {
		t.Errorf("port file after Close: %v", err)
	}
	addr := startAgent(t, Options{ConfigDir: dir})
	if got := string(ask(t, addr, []byte{0x04})); got != runtime.Version()+"\n" {
		t.Errorf("after Listen again: %q", got)
	}
}

func TestListenBadAddress(t *testing.T) {
	if err := Listen(Options{Addr: "256.0.0.1:0", ConfigDir: t.TempDir()}); err == nil {
		Close()
		t.Fatal("Listen on a bad address succeeded")
	}
	// The failure left nothing behind: Listen works.
	startAgent(t, Options{})
}

func TestAddrOption(t *testing.T) {
	addr := startAgent(t, Options{Addr: "localhost:0"})
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		t.Errorf("listening on %s", addr)
	}
	Close()
	startAgent(t, Options{})
	if a := agentAddr(t); !strings.HasPrefix(a, "127.0.0.1:") {
		t.Errorf("default address %s, want 127.0.0.1:*", a)
	}
}

func TestReuseSocketAddrAndPort(t *testing.T) {
	addr := startAgent(t, Options{ReuseSocketAddrAndPort: true})
	// SO_REUSEPORT on both sockets lets a second one bind the same port.
	lc := net.ListenConfig{Control: reuseAddrAndPort}
	ln, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatalf("second listener with SO_REUSEPORT on %s: %v", addr, err)
	}
	ln.Close()
	// Without the option, the port is exclusive.
	Close()
	addr = startAgent(t, Options{})
	if ln, err := lc.Listen(context.Background(), "tcp", addr); err == nil {
		ln.Close()
		t.Fatalf("bound %s again although the agent did not set SO_REUSEPORT", addr)
	}
}

func TestPortFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "gops")
	pidFile := strconv.Itoa(os.Getpid())
	addr := startAgent(t, Options{ConfigDir: dir})
	_, port, _ := net.SplitHostPort(addr)

	content, err := os.ReadFile(filepath.Join(dir, pidFile))
	if err != nil {
		t.Fatal(err)
	}
	if string(content) != port {
		t.Errorf("port file holds %q, want %q (no newline)", content, port)
	}
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Errorf("created config dir mode %v, want 0700", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != pidFile {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("config dir holds %v, want only %s", names, pidFile)
	}
}

// The port file appears by rename: an existing file by that name (left by a
// previous process with our pid) is replaced, not rewritten in place, so no
// reader ever sees it half-written.
func TestPortFileIsReplacedAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, strconv.Itoa(os.Getpid()))
	if err := os.WriteFile(path, []byte("99999 stale and longer"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A hard link keeps the old inode visible: rewriting in place would
	// change its content, a rename leaves it alone.
	if err := os.Link(path, path+".old"); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	addr := startAgent(t, Options{ConfigDir: dir})
	_, port, _ := net.SplitHostPort(addr)

	after, _ := os.Stat(path)
	if os.SameFile(before, after) {
		t.Error("port file rewritten in place, not renamed into place")
	}
	if b, _ := os.ReadFile(path); string(b) != port {
		t.Errorf("port file %q, want %q", b, port)
	}
	if b, _ := os.ReadFile(path + ".old"); string(b) != "99999 stale and longer" {
		t.Errorf("old inode changed to %q", b)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(matches) != 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

func TestConfigDirRules(t *testing.T) {
	t.Setenv("GOPS_CONFIG_DIR", "/a/gops-config")
	t.Setenv("XDG_CONFIG_HOME", "/b/xdg")
	t.Setenv("HOME", "/c/home")
	check := func(want string) {
		t.Helper()
		got, err := configDir()
		if err != nil || got != want {
			t.Errorf("configDir() = %q, %v; want %q", got, err, want)
		}
	}
	check("/a/gops-config") // as is, no /gops appended
	t.Setenv("GOPS_CONFIG_DIR", "")
	check("/b/xdg/gops")
	t.Setenv("XDG_CONFIG_HOME", "")
	check("/c/home/.config/gops")
	t.Setenv("HOME", "")
	if u, err := user.Current(); err == nil && u.HomeDir != "" {
		check(filepath.Join(u.HomeDir, ".config", "gops"))
	}
}

func TestPortFileFollowsEnvironment(t *testing.T) {
	for _, c := range []struct{ env, sub string }{
		{"GOPS_CONFIG_DIR", ""},
		{"XDG_CONFIG_HOME", "gops"},
		{"HOME", ".config/gops"},
	} {
		t.Run(c.env, func(t *testing.T) {
			base := t.TempDir()
			t.Setenv("GOPS_CONFIG_DIR", "")
			t.Setenv("XDG_CONFIG_HOME", "")
			t.Setenv(c.env, base)
			if err := Listen(Options{}); err != nil {
				t.Fatal(err)
			}
			defer Close()
			_, port, _ := net.SplitHostPort(agentAddr(t))
			path := filepath.Join(base, c.sub, strconv.Itoa(os.Getpid()))
			if b, err := os.ReadFile(path); err != nil || string(b) != port {
				t.Errorf("%s: %q, %v; want %q", path, b, err, port)
			}
			Close()
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("port file after Close: %v", err)
			}
		})
	}
	// Options.ConfigDir wins over the environment.
	env, opt := t.TempDir(), t.TempDir()
	t.Setenv("GOPS_CONFIG_DIR", env)
	startAgent(t, Options{ConfigDir: opt})
	if _, err := os.Stat(filepath.Join(opt, strconv.Itoa(os.Getpid()))); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(env, strconv.Itoa(os.Getpid()))); !os.IsNotExist(err) {
		t.Errorf("port file in $GOPS_CONFIG_DIR too: %v", err)
	}
}

// A config dir that cannot be written does not stop the agent: it serves by
// address and logs why there is no port file.
func TestUnwritableConfigDirStillServes(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })

	base := t.TempDir()
	// Under a regular file: cannot be created, even by root.
	notADir := filepath.Join(base, "file")
	os.WriteFile(notADir, nil, 0o644)
	dirs := []string{filepath.Join(notADir, "gops")}
	// Read-only: holds for everyone but root.
	if os.Geteuid() != 0 {
		ro := filepath.Join(base, "ro")
		os.Mkdir(ro, 0o500)
		dirs = append(dirs, ro, filepath.Join(ro, "gops"))
	}
	for _, dir := range dirs {
		logged.Reset()
		addr := startAgent(t, Options{ConfigDir: dir})
		if got := string(ask(t, addr, []byte{0x04})); got != runtime.Version()+"\n" {
			t.Errorf("%s: version %q", dir, got)
		}
		if !strings.Contains(logged.String(), "without a port file") || strings.Count(logged.String(), "\n") != 1 {
			t.Errorf("%s: logged %q, want one line", dir, logged.String())
		}
		Close()
	}
}

// TestHelperProcess is not a test: the tests below re-run the test binary
// with GOPSBPF_AGENT_HELPER set to get a process with an agent they can
// send signals to.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("GOPSBPF_AGENT_HELPER")
	if mode == "" {
		t.Skip("helper process for the signal tests")
	}
	var own chan os.Signal
	if mode == "handled" {
		// The program handles SIGTERM itself, for a graceful shutdown.
		own = make(chan os.Signal, 2)
		signal.Notify(own, syscall.SIGTERM)
	}
	if err := Listen(Options{ShutdownCleanup: true}); err != nil {
		fmt.Println("listen:", err)
		os.Exit(3)
	}
	fmt.Println("ready")
	select {
	case <-own:
		Close()
		fmt.Println("graceful shutdown")
		os.Exit(0)
	case <-time.After(30 * time.Second):
		fmt.Println("no signal")
		os.Exit(4)
	}
}

// runHelper starts the helper, waits for its port file, sends sig, and
// returns its exit state, its output and the port file path.
func runHelper(t *testing.T, mode string, sig syscall.Signal) (*os.ProcessState, string, string) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GOPSBPF_AGENT_HELPER="+mode, "GOPS_CONFIG_DIR="+dir)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, strconv.Itoa(cmd.Process.Pid))
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("no port file from the helper: %s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(sig)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("helper did not exit on %v: %s", sig, out.String())
	}
	return cmd.ProcessState, out.String(), path
}

func TestShutdownCleanupRemovesPortFile(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			state, out, path := runHelper(t, "plain", sig)
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("port file still there after %v: %v", sig, err)
			}
			// The process died of the signal, as it would have
			// without the agent.
			ws, ok := state.Sys().(syscall.WaitStatus)
			if !ok || !ws.Signaled() || ws.Signal() != sig {
				t.Errorf("exit state %v, want killed by %v; output:\n%s", state, sig, out)
			}
		})
	}
}

func TestShutdownCleanupLeavesProgramsOwnHandling(t *testing.T) {
	state, out, path := runHelper(t, "handled", syscall.SIGTERM)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("port file still there: %v", err)
	}
	if !state.Success() || !strings.Contains(out, "graceful shutdown") {
		t.Errorf("exit state %v, want the program's own graceful exit 0; output:\n%s", state, out)
	}
}
