package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseOptionFile feeds arbitrary text to the option-file parser. It
// must not panic, and what it returns must hold simple invariants: lines
// are within the file, keys never hold '=' or a newline, and every value
// survives being written back double-quoted and parsed again.
func FuzzParseOptionFile(f *testing.F) {
	samples, _ := filepath.Glob("testdata/mycnf/*.cnf")
	for _, s := range samples {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("[client]\npassword = \"a#b\\\"c\" # x\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body string) {
		if strings.Contains(body, "!") {
			// Keep includes inside the sandbox: the fuzzer must not read
			// arbitrary files such as /dev or /proc entries.
			body = strings.ReplaceAll(body, "/", "_")
		}
		p := filepath.Join(dir, "fuzz.cnf")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		opts, err := ParseOptionFile(p)
		if err != nil {
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		lines := strings.Count(body, "\n") + 1
		for _, o := range opts {
			checkOption(t, o, p, lines)
		}
	})
}

func checkOption(t *testing.T, o Option, file string, lines int) {
	t.Helper()
	if o.File == file && (o.Line < 1 || o.Line > lines) {
		t.Errorf("option %q at line %d of a %d-line file", o.Key, o.Line, lines)
	}
	if strings.ContainsAny(o.Key, "=\n") || strings.HasPrefix(o.Key, "#") || strings.HasPrefix(o.Key, ";") {
		t.Errorf("bad key %q", o.Key)
	}
	if !o.HasValue && o.Value != "" {
		t.Errorf("bare option %q has value %q", o.Key, o.Value)
	}
	if !o.HasValue || strings.ContainsAny(o.Value, "\n\r") {
		return
	}
	var back []Option
	p := optionParser{path: file, foundGroup: true, out: &back}
	if err := p.parseLine("k = " + quoteOptionValue(o.Value) + " # comment"); err != nil || len(back) != 1 {
		t.Fatalf("writing back %q: %v %v", o.Value, back, err)
	}
	if got := back[0].Value; got != o.Value {
		t.Errorf("value %q written back as %s reads as %q", o.Value, quoteOptionValue(o.Value), got)
	}
}

// quoteOptionValue writes v so that the client reads it back unchanged.
func quoteOptionValue(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(v) + `"`
}
