package sandbox

import (
	"context"
	"fmt"
	"syscall"
	"time"
)

// Halt shuts the server down cleanly (SIGTERM) and keeps its data, as an
// administrator's "systemctl stop" would; Resume starts it again. Tests
// use the pair to watch clients notice a server that goes and comes back.
func (s *Server) Halt() error {
	if s.cmd == nil || s.cmd.Process == nil {
		return fmt.Errorf("sandbox: halt: the server is not running")
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		return nil
	case <-time.After(30 * time.Second):
		return fmt.Errorf("sandbox: halt: mariadbd did not stop in 30 s")
	}
}

// Resume starts a halted server again on the same socket and data.
func (s *Server) Resume(ctx context.Context) error {
	select {
	case <-s.exited:
	default:
		return fmt.Errorf("sandbox: resume: the server is still running")
	}
	s.cmd = s.relaunch()
	exited := make(chan struct{})
	s.exited = exited
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("sandbox: restart mariadbd: %w", err)
	}
	cmd := s.cmd
	go func() {
		s.exitErr = cmd.Wait()
		close(exited)
	}()
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	return s.waitReady(ctx)
}
