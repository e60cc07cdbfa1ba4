package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile to $LIFEBOAT_CPUPROFILE while lifeboat
// runs, for `go tool pprof` (how the bench's figures are explained); stop
// ends it. Without the variable it does nothing.
func startProfile() (stop func()) {
	path := os.Getenv("LIFEBOAT_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lifeboat: LIFEBOAT_CPUPROFILE: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "lifeboat: LIFEBOAT_CPUPROFILE: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
