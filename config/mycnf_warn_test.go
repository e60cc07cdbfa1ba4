package config

import (
	"bytes"
	"strings"
	"testing"
)

// captureWarnings sends option-file warnings to a buffer for the test.
func captureWarnings(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	old := WarnOutput
	WarnOutput = &buf
	t.Cleanup(func() { WarnOutput = old })
	return &buf
}

func TestTrust20ReadableMyCnfWithPasswordWarnsOnce(t *testing.T) {
	warnings := captureWarnings(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	mycnf := writeFile(t, home, ".my.cnf", "[client]\nuser = fromhome\npassword = s3cret-pw\n", 0o644)
	p := writeFile(t, t.TempDir(), "config.toml", minimalTOML, 0o600)
	for i := 0; i < 2; i++ {
		c, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		if c.Database.Password != "s3cret-pw" {
			t.Fatalf("the password of %s was not used", mycnf)
		}
	}
	out := warnings.String()
	if n := strings.Count(out, "warning"); n != 1 {
		t.Fatalf("want exactly one warning for two loads, got %d: %q", n, out)
	}
	for _, want := range []string{mycnf, "line 3", "0644", "chmod 600 " + mycnf} {
		if !strings.Contains(out, want) {
			t.Errorf("warning %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, "s3cret-pw") {
		t.Errorf("the warning prints the password: %q", out)
	}
}

func TestTrust20PrivateOrPasswordlessMyCnfIsQuiet(t *testing.T) {
	warnings := captureWarnings(t)
	dir := t.TempDir()
	private := writeFile(t, dir, "private.cnf", "[client]\npassword = s3cret-pw\n", 0o600)
	nopw := writeFile(t, dir, "nopw.cnf", "[client]\nuser = app\n", 0o644)
	// A password the TOML gives wins: the readable file's is not used.
	overridden := writeFile(t, dir, "overridden.cnf", "[client]\npassword = other-pw\n", 0o644)
	for _, c := range []struct{ toml, file string }{
		{minimalTOML, private}, {minimalTOML, nopw}, {minimalTOML + "password = \"x\"\n", overridden},
	} {
		p := writeFile(t, t.TempDir(), "config.toml", c.toml, 0o600)
		if _, err := LoadWith(p, LoadOptions{OptionFiles: []string{c.file}}); err != nil {
			t.Fatal(err)
		}
	}
	if warnings.Len() != 0 {
		t.Fatalf("unexpected warning: %q", warnings.String())
	}
}
