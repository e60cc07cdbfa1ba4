package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// initAnswers are the values `lifeboat init` writes.
type initAnswers struct {
	socket, host, port, user, database, dir string
	password, passwordFile                  string
}

// cmdInit is `lifeboat init` (issue 13 item 14): it asks for the
// connection on a terminal (or takes flags), tests it, and writes a 0600
// config with comments at --config or the default path. It never replaces
// an existing file, and never takes a password in argv.
func cmdInit(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	var a initAnswers
	fs.StringVar(&a.socket, "socket", "", "the server's unix socket")
	fs.StringVar(&a.host, "host", "", "the server's host (instead of --socket)")
	fs.StringVar(&a.port, "port", "", "the server's port (with --host; default 3306)")
	fs.StringVar(&a.user, "user", "", "the account lifeboat connects as")
	fs.StringVar(&a.database, "database", "", "the application database")
	fs.StringVar(&a.dir, "dir", "", "the backup directory")
	fs.StringVar(&a.passwordFile, "password-file", "", "a file holding the password (else asked on a terminal, or [client] of ~/.my.cnf)")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageErr("init takes flags only (a password is asked for, never given on the command line)")
	}
	path := e.configPath
	if path == "" {
		path = config.DefaultPath()
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists: lifeboat init never replaces a config; edit it, or pass --config NEW-FILE", path)
	}
	if e.interactive {
		if err := a.ask(e); err != nil {
			return err
		}
	}
	if err := a.complete(); err != nil {
		return err
	}
	if err := writeTestedConfig(ctx, e, path, a.render()); err != nil {
		return err
	}
	e.say("wrote %s (0600); the connection works. Next: `lifeboat backup`, or `lifeboat` for the screen.", path)
	return nil
}

// ask fills what the flags left empty from the terminal.
func (a *initAnswers) ask(e *env) error {
	in := bufio.NewReader(e.stdin)
	q := func(v *string, prompt, def string) error {
		if *v != "" {
			return nil
		}
		fmt.Fprintf(e.stderr, "%s [%s]: ", prompt, def)
		line, err := in.ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("init: no answer for %q: nothing was written", prompt)
		}
		if *v = strings.TrimSpace(line); *v == "" {
			*v = def
		}
		return nil
	}
	if a.socket == "" && a.host == "" {
		if err := q(&a.socket, "socket (- for a TCP host)", defaultSocket()); err != nil {
			return err
		}
		if a.socket == "-" || a.socket == "" {
			a.socket = ""
			if err := q(&a.host, "host", "127.0.0.1"); err != nil {
				return err
			}
			if err := q(&a.port, "port", "3306"); err != nil {
				return err
			}
		}
	}
	for _, x := range []struct {
		v            *string
		prompt, def_ string
	}{{&a.user, "user", os.Getenv("USER")}, {&a.database, "database", "app"}, {&a.dir, "backup dir", "/var/backups/lifeboat"}} {
		if err := q(x.v, x.prompt, x.def_); err != nil {
			return err
		}
	}
	if a.passwordFile == "" {
		fmt.Fprint(e.stderr, "password (empty: none, or [client] of ~/.my.cnf): ")
		fd, ok := e.stdin.(interface{ Fd() uintptr })
		if !ok {
			return errors.New("init: cannot read a password without echo here: use --password-file")
		}
		pw, err := term.ReadPassword(fd.Fd())
		fmt.Fprintln(e.stderr)
		if err != nil {
			return fmt.Errorf("init: reading the password: %w", err)
		}
		a.password = string(pw)
	}
	return nil
}

func defaultSocket() string {
	for _, s := range []string{"/run/mysqld/mysqld.sock", "/var/run/mysqld/mysqld.sock", "/var/lib/mysql/mysql.sock"} {
		if _, err := os.Stat(s); err == nil {
			return s
		}
	}
	return "/run/mysqld/mysqld.sock"
}

// complete refuses answers that cannot make a config.
func (a *initAnswers) complete() error {
	var missing []string
	if a.socket == "" && a.host == "" {
		missing = append(missing, "--socket or --host")
	}
	if a.socket != "" && (a.host != "" || a.port != "") {
		return usageErr("init: give --socket, or --host (and --port), not both")
	}
	if a.port != "" {
		if n, err := strconv.Atoi(a.port); err != nil || n < 1 || n > 65535 {
			return usageErr("init: --port %q is not a port number", a.port)
		}
	}
	if a.database == "" {
		missing = append(missing, "--database")
	}
	if a.dir == "" {
		missing = append(missing, "--dir")
	}
	if len(missing) > 0 {
		return usageErr("init without a terminal needs %s", strings.Join(missing, ", "))
	}
	if a.passwordFile != "" {
		abs, err := filepath.Abs(a.passwordFile)
		if err != nil {
			return err
		}
		a.passwordFile = abs
	}
	return nil
}

// writeTestedConfig writes body to a 0600 file beside path, tests the
// connection with it, and only then links it into place (never over an
// existing file). A failed test leaves nothing behind.
func writeTestedConfig(ctx context.Context, e *env, path, body string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	tmp := fmt.Sprintf("%s.init-%d.partial", path, os.Getpid())
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	defer os.Remove(tmp)
	if _, err := f.WriteString(body); err != nil {
		f.Close()
		return fmt.Errorf("init: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("init: %w", err)
	}
	f.Close()
	if err := testConfig(ctx, tmp); err != nil {
		return fmt.Errorf("init: %w; nothing was written, check the answers and try again", err)
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s already exists: lifeboat init never replaces a config", path)
		}
		return fmt.Errorf("init: %w", err)
	}
	return nil
}

func testConfig(ctx context.Context, path string) error {
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		return err
	}
	defer eng.Close()
	_, err = eng.Ping(ctx)
	return err
}
