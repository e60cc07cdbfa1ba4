package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
)

var (
	errNeedsYes = errors.New("not a terminal: pass --yes to confirm")
	errDeclined = errors.New("not confirmed: nothing was changed")
)

// confirm asks for consent to a destructive action. On a terminal the user
// types want ("yes" or a name); without one, --yes is required.
func (e *env) confirm(yes bool, what, want string) error {
	if yes {
		return nil
	}
	if !e.interactive {
		return fmt.Errorf("%s: %w", what, errNeedsYes)
	}
	fmt.Fprintf(e.stderr, "Type %q to confirm: ", want)
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return errDeclined
	}
	if strings.TrimSpace(line) != want {
		return errDeclined
	}
	return nil
}
