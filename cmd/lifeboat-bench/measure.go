package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sample is one measured run of one tool.
type sample struct {
	Wall      time.Duration
	CPU       time.Duration // user+sys of the tool's processes
	ServerCPU time.Duration // user+sys the server spent meanwhile
	RSS       int64         // peak resident memory in bytes (summed over a pipeline)
	Size      int64         // bytes written (dump) or read (restore)
	Mode      string        // a lifeboat restore's mode ("swap")
	Window    time.Duration // a swap restore's critical window
	Err       error
}

func window(x sample) float64 { return x.Window.Seconds() * 1000 }

func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }

// runPipeline starts cmds with each one's stdout feeding the next one's
// stdin, waits for all, and sums their CPU time and peak RSS (processes of
// a pipeline run at the same time, so the sum bounds their joint peak).
//
// Peak RSS is polled from /proc/PID/status (VmHWM) rather than taken from
// rusage: Linux carries the forking parent's high-water mark into the
// child's ru_maxrss, so rusage would report this program's own size.
func runPipeline(ctx context.Context, serverPid int, cmds ...*exec.Cmd) sample {
	var errs []*bytes.Buffer
	var closeAfterStart []*os.File
	for i, c := range cmds {
		e := &bytes.Buffer{}
		c.Stderr = e
		errs = append(errs, e)
		if i+1 < len(cmds) {
			r, w, err := os.Pipe()
			if err != nil {
				return sample{Err: err}
			}
			c.Stdout, cmds[i+1].Stdin = w, r
			closeAfterStart = append(closeAfterStart, r, w)
		}
	}
	srv0 := processCPU(serverPid)
	start := time.Now()
	started := 0
	var startErr error
	for _, c := range cmds {
		if startErr = c.Start(); startErr != nil {
			break
		}
		started++
	}
	for _, f := range closeAfterStart {
		f.Close()
	}
	peaks := watchPeaks(cmds[:started])
	var s sample
	var waitErr error
	for i, c := range cmds[:started] {
		err := c.Wait()
		if err != nil && waitErr == nil {
			waitErr = fmt.Errorf("%s: %v: %s", c.Args[0], err, tailLines(errs[i].String(), 5))
		}
		if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
			s.CPU += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	s.RSS = peaks.stop()
	s.Wall = time.Since(start)
	s.ServerCPU = processCPU(serverPid) - srv0
	switch {
	case startErr != nil:
		s.Err = startErr
	case waitErr != nil:
		s.Err = waitErr
	case ctx.Err() != nil:
		s.Err = ctx.Err()
	}
	return s
}

// peakWatcher polls the VmHWM of running processes.
type peakWatcher struct {
	done  chan struct{}
	total chan int64
}

func watchPeaks(cmds []*exec.Cmd) *peakWatcher {
	w := &peakWatcher{done: make(chan struct{}), total: make(chan int64, 1)}
	pids := make([]int, len(cmds))
	for i, c := range cmds {
		pids[i] = c.Process.Pid
	}
	go func() {
		peak := make([]int64, len(pids))
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			for i, pid := range pids {
				peak[i] = max(peak[i], vmHWM(pid))
			}
			select {
			case <-w.done:
				var sum int64
				for _, p := range peak {
					sum += p
				}
				w.total <- sum
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

// stop ends the polling and returns the summed peaks in bytes.
func (w *peakWatcher) stop() int64 {
	close(w.done)
	return <-w.total
}

// vmHWM is a live process's peak resident set in bytes (0 once it exited).
func vmHWM(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// processCPU reads a process's user+sys time from /proc (0 if unknown).
func processCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const clkTck = 100 // USER_HZ on every Linux architecture Go supports
	return time.Duration(utime+stime) * time.Second / clkTck
}

func dirSize(dir string) int64 {
	var n int64
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
			n += info.Size()
		}
	}
	return n
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
