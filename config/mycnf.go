package config

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Option is one "key = value" line of a MySQL option file, in file order.
type Option struct {
	Group    string // as written between [ and ], trailing spaces removed
	Key      string // as written; see NormalKey
	Value    string // unquoted and unescaped as the client does
	HasValue bool   // false for a bare "key" line
	File     string
	Line     int
}

// NormalKey is Key with dashes turned into underscores and a "loose_"
// prefix removed, the form the client matches option names in.
func (o Option) NormalKey() string {
	k := strings.ReplaceAll(o.Key, "-", "_")
	return strings.TrimPrefix(k, "loose_")
}

// optionSpace is what the client's my_isspace skips around keys and values.
const optionSpace = " \t\n\v\f\r"

// maxIncludeDepth matches the client's limit on nested !include.
const maxIncludeDepth = 10

// ParseOptionFile reads a MySQL option file the way the mariadb client
// does (mysys my_default.c): [group] lines, "key = value" and bare "key",
// '#' and ';' comment lines, '#' comments after a value unless quoted,
// matching outer quotes removed, backslash escapes, !include FILE and
// !includedir DIR (only *.cnf, sorted). Options of every group are
// returned in file order. A world-writable included file is ignored, as
// the client ignores it; a missing included file is skipped.
func ParseOptionFile(path string) ([]Option, error) {
	var opts []Option
	err := parseOptionFile(path, 0, &opts)
	return opts, err
}

func parseOptionFile(path string, depth int, out *[]Option) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("option file %s: %w", path, err)
	}
	p := optionParser{path: path, depth: depth, out: out}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		p.line++
		if err := p.parseLine(sc.Text()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("option file %s line %d: %w", path, p.line+1, err)
	}
	return nil
}

type optionParser struct {
	path       string
	depth      int
	line       int
	group      string
	foundGroup bool
	out        *[]Option
}

func (p *optionParser) errorf(format string, args ...any) error {
	return fmt.Errorf("option file %s line %d: %s", p.path, p.line, fmt.Sprintf(format, args...))
}

func (p *optionParser) parseLine(raw string) error {
	s := strings.TrimLeft(raw, optionSpace)
	switch {
	case s == "" || s[0] == '#' || s[0] == ';':
		return nil
	case s[0] == '!':
		return p.directive(s[1:])
	case s[0] == '[':
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return p.errorf("group line %q has no closing ']': fix the group header", s)
		}
		p.group = strings.TrimRight(s[1:end], optionSpace)
		p.foundGroup = true
		return nil
	case !p.foundGroup:
		return p.errorf("option before any [group]: put it under [client]")
	}
	s = removeEndComment(s)
	opt := Option{Group: p.group, File: p.path, Line: p.line}
	key, value, hasValue := strings.Cut(s, "=")
	opt.Key = strings.TrimRight(key, optionSpace)
	if hasValue {
		opt.HasValue = true
		opt.Value = unquoteOptionValue(strings.Trim(value, optionSpace))
	}
	*p.out = append(*p.out, opt)
	return nil
}

// removeEndComment cuts a '#' comment that is not inside quotes.
func removeEndComment(s string) string {
	var quote byte
	escape := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == '\'' || c == '"') && !escape {
			if quote == 0 {
				quote = c
			} else if quote == c {
				quote = 0
			}
		}
		if quote == 0 && c == '#' {
			return strings.TrimRight(s[:i], optionSpace)
		}
		escape = quote != 0 && c == '\\' && !escape
	}
	return s
}

// unquoteOptionValue removes matching outer quotes and applies the
// client's escapes (\n \t \r \b \s \" \' \\; any other keeps its backslash).
func unquoteOptionValue(v string) string {
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' || i == len(v)-1 {
			b.WriteByte(v[i])
			continue
		}
		i++
		switch v[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 's':
			b.WriteByte(' ')
		case '"', '\'', '\\':
			b.WriteByte(v[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(v[i])
		}
	}
	return b.String()
}

// directive handles the text after '!': include and includedir.
func (p *optionParser) directive(s string) error {
	s = strings.TrimLeft(s, optionSpace)
	word, arg := s, ""
	if i := strings.IndexAny(s, optionSpace); i >= 0 {
		word, arg = s[:i], strings.Trim(s[i:], optionSpace)
	}
	if word != "include" && word != "includedir" {
		return nil // the client ignores unknown directives
	}
	if arg == "" {
		return p.errorf("!%s needs a file or directory name", word)
	}
	if p.depth >= maxIncludeDepth {
		return p.errorf("!%s %s: includes nested deeper than %d (an include loop?)", word, arg, maxIncludeDepth)
	}
	if !filepath.IsAbs(arg) {
		arg = filepath.Join(filepath.Dir(p.path), arg)
	}
	if word == "include" {
		return p.include(arg)
	}
	entries, err := os.ReadDir(arg)
	if err != nil {
		return p.errorf("!includedir %s: %v", arg, err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() && filepath.Ext(e.Name()) == ".cnf" {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for _, n := range names {
		if err := p.include(filepath.Join(arg, n)); err != nil {
			return err
		}
	}
	return nil
}

// include reads another file; missing, unreadable and world-writable
// files are skipped as the client skips them.
func (p *optionParser) include(path string) error {
	ok, err := usableOptionFile(path)
	if err != nil {
		return p.errorf("!include: %v", err)
	}
	if !ok {
		return nil
	}
	return parseOptionFile(path, p.depth+1, p.out)
}

// usableOptionFile reports whether the client would read path: a regular
// file that exists, can be opened and is not world-writable.
func usableOptionFile(path string) (bool, error) {
	st, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return false, nil
		}
		return false, fmt.Errorf("option file %s: %w", path, err)
	}
	if st.Mode().IsRegular() && st.Mode().Perm()&0o002 != 0 {
		return false, nil
	}
	if !st.Mode().IsRegular() {
		return false, fmt.Errorf("option file %s: not a regular file: %w", path, fs.ErrInvalid)
	}
	f, err := os.Open(path)
	if err != nil {
		// The client skips a file it may not read, e.g. another user's.
		return false, nil
	}
	f.Close()
	return true, nil
}
