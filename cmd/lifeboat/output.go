package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// usageError is a mistake on the command line (exit 2).
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usageErr(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

var errInterrupted = errors.New("interrupted: nothing was left half-written")

// interrupted is a cancelled command whose error says more than "context
// canceled" (a restore cut short says what state it left and how to undo
// it): that must reach the user, not be replaced by "nothing was left".
type interrupted struct{ cause error }

func (i *interrupted) Error() string        { return "interrupted: " + i.cause.Error() }
func (i *interrupted) Unwrap() error        { return i.cause }
func (i *interrupted) Is(target error) bool { return target == errInterrupted }

// errorCode names an error for scripts ("code" in --json failures) and
// picks the exit code.
func errorCode(err error) (string, int) {
	var ue *usageError
	var ae *engine.AccessError
	switch {
	case errors.Is(err, errInterrupted):
		return "interrupted", exitInterrupted
	case errors.As(err, &ue):
		return "usage", exitUsage
	case config.IsConfigError(err):
		return "config", exitUsage
	case errors.As(err, &ae):
		return "access_denied", exitFailure
	case errors.Is(err, engine.ErrBadName):
		return "bad_name", exitFailure
	case isConnectionFailure(err):
		// Before not_found: a wrong socket is ENOENT underneath, but the
		// thing that is missing is the server, not a backup or project.
		return "connection_failed", exitFailure
	case errors.Is(err, os.ErrNotExist):
		return "not_found", exitFailure
	case errors.Is(err, engine.ErrBusy):
		return "busy", exitFailure
	case errors.Is(err, errNeedsYes), errors.Is(err, errDeclined):
		return "not_confirmed", exitFailure
	}
	return "failed", exitFailure
}

// fail reports err (as JSON with --json) and returns the exit code.
func (e *env) fail(err error) int {
	code, exit := errorCode(err)
	var quiet silentFailure
	if e.json && errors.As(err, &quiet) {
		return exit // the JSON result already says success: false
	}
	if e.json {
		e.printJSON(errorReply{Success: false, Error: err.Error(), Code: code})
	} else {
		fmt.Fprintf(e.stderr, "lifeboat: %s\n", engine.Printable(err.Error()))
	}
	return exit
}

func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// say prints a message for people on stderr (data goes to stdout).
func (e *env) say(format string, a ...any) {
	safef(e.stderr, format+"\n", a...)
}

// safef is fmt.Fprintf for text people read: every string, error and
// Stringer argument (names from the database, manifests, the audit log)
// goes through engine.Printable, so none of them reaches the terminal as
// control characters. The format itself is lifeboat's own.
func safef(w io.Writer, format string, a ...any) {
	fmt.Fprintf(w, format, printable(a)...)
}

func printable(a []any) []any {
	out := make([]any, len(a))
	for i, v := range a {
		switch v := v.(type) {
		case string:
			out[i] = engine.Printable(v)
		case error:
			out[i] = engine.Printable(v.Error())
		case fmt.Stringer:
			out[i] = engine.Printable(v.String())
		default:
			out[i] = v
		}
	}
	return out
}

// seedTime is the seed documents' time format, in the configured zone.
func (e *env) seedTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(e.eng.Loc).Format("2006-01-02 15:04:05")
}

// fileOf is the seed documents' description of a backup file, which the
// replies that describe one embed.
func (e *env) fileOf(name, path string, size int64, created time.Time) fileJSON {
	return fileJSON{Filename: name, Filepath: path, Filesize: size,
		FilesizeFormatted: humanBytes(size), CreatedAt: e.seedTime(created)}
}

func humanBytes[T int64 | uint64 | int](n T) string { return engine.FormatSize(int64(n)) }
