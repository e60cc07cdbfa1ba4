package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// cmdKey is `lifeboat key new FILE [--pq]`: a new age identity for
// encrypted backups. The recipient goes to stdout, ready for the config;
// the secret stays in FILE (0600) and is never printed.
func cmdKey(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "new" {
		return usageErr("usage: lifeboat key new FILE [--pq]")
	}
	fs := flag.NewFlagSet("key new", flag.ContinueOnError)
	pq := fs.Bool("pq", false, "a post-quantum hybrid key (age 1.3 or newer needed to read it)")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("usage: lifeboat key new FILE [--pq]")
	}
	recipient, err := engine.NewAgeIdentity(pos[0], *pq)
	if err != nil {
		return fmt.Errorf("key new: %w", err)
	}
	if e.json {
		return e.printJSON(keyReply{Success: true, Recipient: recipient, IdentityFile: pos[0]})
	}
	fmt.Fprintln(e.stdout, recipient)
	e.say("wrote the identity to %s (mode 0600). Put its public key above in the config:", pos[0])
	e.say("  [encryption]")
	e.say("  recipients = [%q]", recipient)
	e.say("Keep %s off the database server: set identity_file to it only where backups are read back.", pos[0])
	return nil
}

// keyReply is what `lifeboat key new --json` prints.
type keyReply struct {
	Success      bool   `json:"success"`
	Recipient    string `json:"recipient"`
	IdentityFile string `json:"identity_file"`
}
