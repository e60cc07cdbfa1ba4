package config

import (
	"reflect"
	"strings"

	"github.com/BurntSushi/toml"
)

// keyLines maps each dotted key of a TOML document ("database.host",
// "projects.relation") to the line where it first appears. BurntSushi/toml
// keeps key positions private, so the text is scanned: table headers set
// the prefix and "key = value" lines add a key. Keys inside inline tables
// and multi-line values are not found; callers fall back to a parent key.
func keyLines(text string) map[string]int {
	lines := map[string]int{}
	var prefix toml.Key
	inMulti := ""
	for i, raw := range strings.Split(text, "\n") {
		s := strings.TrimSpace(raw)
		if inMulti != "" {
			if strings.Count(s, inMulti)%2 == 1 {
				inMulti = ""
			}
			continue
		}
		if s == "" || s[0] == '#' {
			continue
		}
		if s[0] == '[' {
			inner := strings.TrimPrefix(s, "[")
			inner = strings.TrimPrefix(inner, "[")
			if end := strings.IndexByte(inner, ']'); end >= 0 {
				prefix = parseDottedKey(inner[:end])
				addKeyLine(lines, prefix, i+1)
			}
			continue
		}
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			continue
		}
		key := append(append(toml.Key{}, prefix...), parseDottedKey(s[:eq])...)
		addKeyLine(lines, key, i+1)
		for _, q := range []string{`"""`, `'''`} {
			if strings.Count(s[eq:], q)%2 == 1 {
				inMulti = q
			}
		}
	}
	return lines
}

func addKeyLine(lines map[string]int, key toml.Key, line int) {
	for n := 1; n <= len(key); n++ {
		k := strings.Join(key[:n], ".")
		if _, ok := lines[k]; !ok {
			lines[k] = line
		}
	}
}

// parseDottedKey splits `a."b.c".d` into its parts, unquoting each.
func parseDottedKey(s string) toml.Key {
	var key toml.Key
	var cur strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote = c
		case c == '.':
			key = append(key, strings.TrimSpace(cur.String()))
			cur.Reset()
		case c != ' ' && c != '\t':
			cur.WriteByte(c)
		}
	}
	return append(key, strings.TrimSpace(cur.String()))
}

// lineOfKey finds the line of key or, failing that, of its nearest parent.
func lineOfKey(lines map[string]int, key toml.Key) int {
	for n := len(key); n > 0; n-- {
		if l, ok := lines[strings.Join(key[:n], ".")]; ok {
			return l
		}
	}
	return 0
}

// knownKeys lists the keys allowed under parent (nil for the top level),
// read from the toml tags of Config; nil when parent is not a table.
func knownKeys(parent toml.Key) []string {
	t := reflect.TypeOf(Config{})
	for _, part := range parent {
		f, ok := fieldByTag(t, part)
		if !ok {
			return nil
		}
		t = f.Type
		if t.Kind() == reflect.Slice {
			t = t.Elem()
		}
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		if tag := t.Field(i).Tag.Get("toml"); tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	return keys
}

func fieldByTag(t reflect.Type, tag string) (reflect.StructField, bool) {
	if t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("toml") == tag {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}
