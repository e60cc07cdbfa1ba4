package config

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// secretValueMsg replaces a TOML error about the password line: toml's own
// messages quote the offending text, which would print the password.
const secretValueMsg = `the password value is not valid TOML (value not shown): ` +
	`write it as a quoted string, password = '...', or use password_file`

// typeErrRe matches toml's unpositioned decode errors.
var typeErrRe = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// tomlError turns a toml decode error into an *Error with the line, and
// never lets the password's text through.
func tomlError(path, text string, err error) error {
	secret := secretLines(text)
	var pe toml.ParseError
	if errors.As(err, &pe) {
		e := &Error{Path: path, Line: pe.Position.Line, Msg: pe.Message}
		if secret[e.Line] || isPasswordKey(pe.LastKey) || leaksSecret(text, secret, e.Msg) {
			e.Msg = secretValueMsg
		}
		return e
	}
	msg := strings.TrimPrefix(err.Error(), "toml: ")
	e := &Error{Path: path, Msg: msg}
	if m := typeErrRe.FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = m[2] + ": " + m[3]
	}
	if leaksSecret(text, secret, e.Msg) {
		e.Msg = secretValueMsg
	}
	return e
}

func isPasswordKey(k string) bool {
	parts := strings.Split(k, ".")
	return strings.Contains(strings.ToLower(parts[len(parts)-1]), "password")
}

// passwordLineRe matches a line that assigns a key named like password,
// bare, quoted or dotted.
var passwordLineRe = regexp.MustCompile(`(?i)^\s*[\w.\-"' ]*(?:password|secret_access_key)["']?\s*=`)

// secretLines marks the lines that hold a password value, including the
// continuation lines of a multi-line string.
func secretLines(text string) map[int]bool {
	secret := map[int]bool{}
	closer := ""
	for i, line := range strings.Split(text, "\n") {
		if closer != "" {
			secret[i+1] = true
			if strings.Count(line, closer)%2 == 1 {
				closer = ""
			}
			continue
		}
		loc := passwordLineRe.FindStringIndex(line)
		if loc == nil {
			continue
		}
		secret[i+1] = true
		for _, q := range []string{`"""`, `'''`} {
			if strings.Count(line[loc[1]:], q)%2 == 1 {
				closer = q
			}
		}
	}
	return secret
}

// leaksSecret reports whether msg repeats a piece of a password line.
func leaksSecret(text string, secret map[int]bool, msg string) bool {
	lines := strings.Split(text, "\n")
	for n := range secret {
		v := lines[n-1]
		if i := strings.IndexByte(v, '='); i >= 0 && passwordLineRe.MatchString(v) {
			v = v[i+1:]
		}
		for _, f := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(" \t\"'#", r) }) {
			if len(f) >= 3 && strings.Contains(msg, f) {
				return true
			}
		}
	}
	return false
}
