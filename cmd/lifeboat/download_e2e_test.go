package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
)

// TestTrust19CatCutShortIsAuditedAsPartial: issue 11 item 19. `lifeboat cat
// NAME | head -c 10`: the reader goes away after 10 bytes. The download
// used to die of SIGPIPE with no audit line; now it ends, says it was cut
// short, and the audit log records a partial download with its bytes.
func TestTrust19CatCutShortIsAuditedAsPartial(t *testing.T) {
	f := newFixture(t, "")
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A foreign dump (listed, so cat serves it) of 1.8 MB, far past a pipe buffer.
	name := "big_dump.sql"
	body := bytes.Repeat([]byte("INSERT INTO t VALUES (1,'0123456789abcdef');\n"), 40000)
	if err := os.WriteFile(filepath.Join(f.dir, name), body, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "--config", f.config, "cat", name)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 10)
	if _, err := io.ReadFull(out, head); err != nil {
		t.Fatal(err)
	}
	out.Close() // head -c 10 exits
	err = cmd.Wait()
	if string(head) != string(body[:10]) {
		t.Errorf("the first bytes: %q", head)
	}
	ee, _ := err.(*exec.ExitError)
	if ee == nil || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "cut short after") {
		t.Errorf("cat into a closed pipe: %v (stderr %q), want exit 1 saying it was cut short", err, stderr.String())
	}
	ents, err := audit.Read(f.dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Action != "download" || ents[0].Object != name || ents[0].Result != "partial" ||
		!strings.HasSuffix(ents[0].Detail, " of 1800000 bytes written") || strings.HasPrefix(ents[0].Detail, "0 ") {
		t.Fatalf("audit after a cut download: %+v", ents)
	}

	// And [access] download restricts it, through the CLI too.
	g := newFixture(t, "\n[access]\ndownload = [\"@nobody-group-xyz\"]\n")
	os.MkdirAll(g.dir, 0o700)
	os.WriteFile(filepath.Join(g.dir, name), body, 0o600)
	r := g.run(t, "cat", name)
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "access.download") {
		t.Errorf("cat with access.download = [@nobody]: code %d, %d bytes, stderr %q", r.code, len(r.stdout), r.stderr)
	}
}
