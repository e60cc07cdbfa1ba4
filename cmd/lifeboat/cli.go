package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/charmbracelet/x/term"
	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// Exit codes from DESIGN.md.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// env is what every command gets: the streams, the global flags, and the
// engine once the config is loaded.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	configPath     string // --config
	json           bool   // --json
	interactive    bool   // stdin and stderr are terminals
	eng            *engine.Engine
}

type command struct {
	name    string
	args    string // usage after the name
	summary string
	// engine: load the config and open the engine before run.
	engine bool
	run    func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"backup", "[--json]", "take a full backup now", true, cmdBackup},
		{"list", "[--json] [--limit N]", "full backups, newest first", true, cmdList},
		{"status", "[--json]", "directory, server, statistics", true, cmdStatus},
		{"check", "[--json]", "one line for monitoring; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN", false, nil},
		{"metrics", "[--output FILE]", "Prometheus text format (textfile collector)", true, cmdMetrics},
		{"verify", "NAME|--newest [--json] [--restore] | --file PATH [--manifest PATH]", "prove a backup is whole", true, cmdVerify},
		{"restore", "NAME [--json] [--dry-run] [--yes] [--into DB] [--no-safety-backup] [--strip-definers] [--accept-unterminated]", "restore a full backup", true, cmdRestore},
		{"prune", "[--json] [--yes] [--keep N] [--dry-run]", "delete old backups no retention rule keeps (keep, keep_daily, ...)", true, cmdPrune},
		{"delete", "NAME [--json] [--yes]", "delete one backup and its manifest", true, cmdDelete},
		{"cat", "NAME [--manifest]", "write the backup file (or its manifest) to stdout", true, cmdCat},
		{"push", "NAME [--json] [--remote R]", "copy a local backup to a remote", true, cmdPush},
		{"pull", "NAME [--json] [--remote R]", "fetch a remote backup into backup.dir", true, cmdPull},
		{"binlog", "sync [--json] [--follow] | events [--json] [--since T] [--until T] [--database DB] [--table T]", "the binary-log archive for point-in-time recovery", true, cmdBinlog},
		{"project", "list|backup|backups|status|restore|verify|delete ...", "per-project backups", true, cmdProject},
		{"schedule", "install [--at HH:MM] [--verify-weekly] [--binlog] [--print] | status [--json]", "nightly backup and weekly verify as systemd timers", true, cmdSchedule},
		{"init", "[--socket S | --host H --port P] [--user U] [--database DB] [--dir DIR] [--password-file F]", "ask for the connection, test it, write a 0600 config", false, cmdInit},
		{"key", "new FILE [--pq]", "write an age identity (0600), print its recipient", false, cmdKey},
		{"demo", "", "throwaway MariaDB with sample data, then the TUI", false, cmdDemo},
		{"version", "", "print the version", false, cmdVersion},
		{"help", "", "this help", false, nil},
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	args, err := e.takeGlobalFlags(args)
	if err != nil {
		return e.fail(err)
	}
	e.interactive = isTerminal(stdin) && isTerminal(stderr)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	if len(args) == 0 {
		return e.finish(ctx, runTUI(ctx, e))
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		usage(stdout)
		return exitOK
	}
	if name == "check" { // its own exit codes (monitoring plugins), check.go
		return cmdCheck(ctx, e, args[1:])
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		if c.engine {
			if err := e.openEngine(); err != nil {
				return e.fail(err)
			}
			defer e.eng.Close()
		}
		return e.finish(ctx, c.run(ctx, e, args[1:]))
	}
	return e.fail(usageErr("unknown command %q; run `lifeboat help`", name))
}

// takeGlobalFlags removes --config FILE and --json wherever they stand
// (before a lone "--"), so every command accepts them.
func (e *env) takeGlobalFlags(args []string) ([]string, error) {
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(rest, args[i:]...), nil
		case a == "--json" || a == "-json":
			e.json = true
		case a == "--config" || a == "-config" || strings.HasPrefix(a, "--config="):
			// Only one: a sudo rule that fixes --config must not be
			// overridden by a second one later on the line.
			if e.configPath != "" {
				return nil, usageErr("--config given more than once")
			}
			if p, ok := strings.CutPrefix(a, "--config="); ok {
				e.configPath = p
				continue
			}
			if i+1 >= len(args) {
				return nil, usageErr("--config needs a file")
			}
			e.configPath = args[i+1]
			i++
		default:
			rest = append(rest, a)
		}
	}
	return rest, nil
}

func (e *env) openEngine() error {
	path, err := config.Find(e.configPath)
	if err != nil {
		return err
	}
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		return err
	}
	eng.Notice = func(msg string) { fmt.Fprintln(e.stderr, "lifeboat: "+msg) }
	e.eng = eng
	return nil
}

// finish maps a command's error to its exit code and message.
func (e *env) finish(ctx context.Context, err error) int {
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, ctx.Err())) {
		if strings.HasSuffix(err.Error(), context.Canceled.Error()) {
			err = errInterrupted
		} else {
			err = &interrupted{err}
		}
	}
	return e.fail(err)
}

func isTerminal(f any) bool {
	if fd, ok := f.(interface{ Fd() uintptr }); ok {
		return term.IsTerminal(fd.Fd())
	}
	return false
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "lifeboat %s: backups of MySQL and MariaDB you can trust\n\n", engine.Version)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  lifeboat [--config FILE]                 open the terminal UI")
	for _, c := range commands() {
		if c.name == "help" {
			continue
		}
		fmt.Fprintf(w, "  lifeboat %-32s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	fmt.Fprintln(w, "\n--config FILE works with every command; without it: $LIFEBOAT_CONFIG,")
	fmt.Fprintln(w, "$XDG_CONFIG_HOME/lifeboat/config.toml, /etc/lifeboat/config.toml.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 failure, 2 usage or config error, 130 interrupted.")
	fmt.Fprintln(w, "check alone: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (a config error is UNKNOWN).")
}

// parseFlags parses flags that may come before or after positional
// arguments, and returns the positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageErr("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
