package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
)

// ensureMydumper installs Debian's mydumper package when mydumper is
// missing, as root or through passwordless sudo; otherwise it prints the
// command and the mydumper rows read n/a.
func ensureMydumper(log io.Writer) {
	if _, err := exec.LookPath("mydumper"); err == nil {
		return
	}
	var prefix []string
	switch {
	case os.Geteuid() == 0:
	case exec.Command("sudo", "-n", "true").Run() == nil:
		prefix = []string{"sudo", "-n"}
	default:
		fmt.Fprintln(log, "mydumper is missing: run `sudo apt-get install -y mydumper`; its rows will read n/a")
		return
	}
	fmt.Fprintln(log, "installing mydumper with apt-get …")
	for _, args := range [][]string{{"apt-get", "install", "-y", "mydumper"}, {"apt-get", "update"}, {"apt-get", "install", "-y", "mydumper"}} {
		full := append(append([]string{}, prefix...), args...)
		cmd := exec.Command(full[0], full[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err != nil {
			fmt.Fprintf(log, "%v: %v: %s\n", full, err, tailLines(string(out), 3))
			continue
		}
		if _, err := exec.LookPath("mydumper"); err == nil {
			return
		}
	}
	fmt.Fprintln(log, "could not install mydumper: run `sudo apt-get install -y mydumper`; its rows will read n/a")
}
