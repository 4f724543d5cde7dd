// SPDX-License-Identifier: MIT

// Command gopsbaseline does what `gops` (github.com/google/gops) does to list
// Go processes, with the standard library only, so the benchmark has
// something to compare against on a machine without a module proxy:
//
//   - list the numeric entries of /proc and stat each one (gopsutil's
//     Processes);
//   - with at most 10 goroutines at a time (gops' concurrencyProcesses), read
//     the /proc/PID/exe link, open that path with debug/buildinfo.ReadFile,
//     and for Go executables stat the agent port file, read the parent pid
//     from /proc/PID/stat and the name from /proc/PID/status (the command
//     line's first word when the name is truncated, as gopsutil does);
//   - print gops' columns: PID PPID name[*] version path.
//
// Unlike gops, it sorts the output by PID so that it can be diffed with ours.
package main

import (
	"bytes"
	"debug/buildinfo"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

const concurrency = 10

type proc struct {
	pid, ppid int
	name      string
	version   string
	path      string
	agent     bool
}

func main() {
	pids, err := listPids()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gopsbaseline:", err)
		os.Exit(1)
	}
	dir := configDir()

	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		found []proc
		limit = make(chan struct{}, concurrency)
	)
	for _, pid := range pids {
		limit <- struct{}{}
		wg.Add(1)
		go func(pid int) {
			defer func() { <-limit }()
			defer wg.Done()
			p, ok := inspect(pid, dir)
			if ok {
				mu.Lock()
				found = append(found, p)
				mu.Unlock()
			}
		}(pid)
	}
	wg.Wait()

	sort.Slice(found, func(i, j int) bool { return found[i].pid < found[j].pid })
	printRows(found)
}

// listPids returns the pids under /proc that still exist once listed.
func listPids() ([]int, error) {
	d, err := os.Open("/proc")
	if err != nil {
		return nil, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil || pid <= 0 {
			continue
		}
		if _, err := os.Stat("/proc/" + n); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}

// inspect reports whether pid runs a Go executable, and its row if so.
func inspect(pid int, configDir string) (proc, bool) {
	p := proc{pid: pid}
	dir := "/proc/" + strconv.Itoa(pid)
	path, err := os.Readlink(dir + "/exe")
	if err != nil {
		return p, false
	}
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return p, false
	}
	p.path = path
	p.version = shortenVersion(bi.GoVersion)
	if _, err := os.Stat(filepath.Join(configDir, strconv.Itoa(pid))); err == nil {
		p.agent = true
	}
	if p.ppid, err = readPpid(dir); err != nil {
		return p, false
	}
	if p.name, err = readName(dir); err != nil {
		return p, false
	}
	return p, true
}

// readPpid reads field 4 of /proc/PID/stat; the name in field 2 may hold
// spaces and parentheses, so parse from the last ')'.
func readPpid(dir string) (int, error) {
	b, err := os.ReadFile(dir + "/stat")
	if err != nil {
		return 0, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("%s/stat: malformed", dir)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0, fmt.Errorf("%s/stat: malformed", dir)
	}
	return strconv.Atoi(f[1])
}

// readName reads Name: from /proc/PID/status. The kernel truncates it to 15
// bytes; like gopsutil, use the base of argv[0] when it extends the name.
func readName(dir string) (string, error) {
	b, err := os.ReadFile(dir + "/status")
	if err != nil {
		return "", err
	}
	var name string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "Name:") {
			name = strings.TrimSpace(line[len("Name:"):])
			break
		}
	}
	if len(name) >= 15 {
		if cmd, err := os.ReadFile(dir + "/cmdline"); err == nil {
			arg0, _, _ := strings.Cut(string(cmd), "\x00")
			if base := filepath.Base(arg0); strings.HasPrefix(base, name) {
				name = base
			}
		}
	}
	return name, nil
}

// configDir is where agents write their port files (gops' internal.ConfigDir).
func configDir() string {
	if d := os.Getenv("GOPS_CONFIG_DIR"); d != "" {
		return d
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "gops")
	}
	if u, err := user.Current(); err == nil {
		return filepath.Join(u.HomeDir, ".config", "gops")
	}
	return ""
}

var develRe = regexp.MustCompile(`devel\s+\+\w+`)

// shortenVersion keeps "devel +hash" of a development toolchain's version.
func shortenVersion(v string) string {
	if !strings.HasPrefix(v, "devel") {
		return v
	}
	if m := develRe.FindString(v); m != "" {
		return m
	}
	return v
}

func printRows(ps []proc) {
	var wpid, wppid, wname, wver int
	for _, p := range ps {
		wpid = max(wpid, len(strconv.Itoa(p.pid)))
		wppid = max(wppid, len(strconv.Itoa(p.ppid)))
		wname = max(wname, len(p.name))
		wver = max(wver, len(p.version))
	}
	for _, p := range ps {
		var b bytes.Buffer
		agent := " "
		if p.agent {
			agent = "*"
		}
		fmt.Fprintf(&b, "%-*d %-*d %-*s%s %-*s %s\n",
			wpid, p.pid, wppid, p.ppid, wname, p.name, agent, wver, p.version, p.path)
		b.WriteTo(os.Stdout)
	}
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}
