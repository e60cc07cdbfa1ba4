package config

import (
	"errors"
	"fmt"
)

// ErrInvalid is matched (errors.Is) by every configuration error, so the
// command line can exit 2 for all of them.
var ErrInvalid = errors.New("invalid configuration")

// Error is a problem with the configuration: a file that cannot be found
// or read, bad TOML, an unknown key, a bad value or unsafe permissions.
type Error struct {
	Path string // config file; "" when the config was built in code
	Line int    // 1-based line in Path, 0 when not known
	Msg  string // what is wrong and, where possible, what to do
	Err  error  // underlying cause, if any (never holds a password)

	bare bool // Msg names the file itself; print it alone
}

func (e *Error) Error() string {
	if e.bare {
		return e.Msg
	}
	where := "config"
	if e.Path != "" {
		where = "config " + e.Path
	}
	if e.Line > 0 {
		where = fmt.Sprintf("%s line %d", where, e.Line)
	}
	return where + ": " + e.Msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes every *Error match ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// IsConfigError reports whether err (or anything it wraps or joins) is a
// configuration error, which the command line reports with exit status 2.
func IsConfigError(err error) bool {
	var ce *Error
	return errors.As(err, &ce) || errors.Is(err, ErrInvalid)
}

func newError(path string, line int, format string, args ...any) *Error {
	return &Error{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)}
}
