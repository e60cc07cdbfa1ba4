package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// Issue 13 item 17: a copy made with `lifeboat cat` and `cat --manifest`
// is checked where it landed, outside backup.dir; a changed byte, a
// changed manifest, a missing manifest and a FIFO all fail.
func TestIssue13Item17VerifyFileOutsideBackupDir(t *testing.T) {
	f := newFixture(t, "")
	b, _ := jsonReply[backupReply](t, f, "backup")
	name := b.Backup.Filename
	away := t.TempDir()
	data := f.run(t, "cat", name)
	man := f.run(t, "cat", name, "--manifest")
	if data.code != 0 || man.code != 0 {
		t.Fatalf("cat: %d %s / cat --manifest: %d %s", data.code, data.stderr, man.code, man.stderr)
	}
	onDisk, err := os.ReadFile(filepath.Join(f.dir, name+".json"))
	if err != nil || man.stdout != string(onDisk) {
		t.Fatalf("cat --manifest is not the manifest byte for byte (%v)", err)
	}
	copyPath := filepath.Join(away, "copy-"+name) // renamed on purpose
	manPath := filepath.Join(away, "m.json")
	os.WriteFile(copyPath, []byte(data.stdout), 0o600)
	os.WriteFile(manPath, []byte(man.stdout), 0o600)

	ok, _ := jsonReply[verifyReply](t, f, "verify", "--file", copyPath, "--manifest", manPath)
	if !ok.Success || !hasCheck(ok.Checks, "sha256", true) || !hasCheck(ok.Checks, "manifest", true) {
		t.Fatalf("verify --file of a good copy: %+v", ok)
	}

	bad := []byte(data.stdout)
	bad[len(bad)/2] ^= 0x01
	badPath := filepath.Join(away, name)
	os.WriteFile(badPath, bad, 0o600)
	os.WriteFile(badPath+".json", []byte(man.stdout), 0o600) // the default --manifest
	if out := failedVerify(t, f, "--file", badPath); !hasCheck(out.Checks, "sha256", false) {
		t.Fatalf("a changed byte: %+v, want the sha256 check failed", out)
	}

	forged := strings.Replace(man.stdout, `"created_by": "`, `"created_by": "x`, 1)
	if forged == man.stdout {
		t.Fatal("test: manifest has no created_by to change")
	}
	os.WriteFile(manPath, []byte(forged), 0o600)
	if out := failedVerify(t, f, "--file", copyPath, "--manifest", manPath); !hasCheck(out.Checks, "manifest", false) {
		t.Fatalf("a changed manifest: %+v, want the manifest check failed", out)
	}
	if out := failedVerify(t, f, "--file", copyPath, "--manifest", filepath.Join(away, "none.json")); !hasCheck(out.Checks, "manifest", false) {
		t.Fatalf("a missing manifest: %+v", out)
	}

	fifo := filepath.Join(away, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	r := f.run(t, "verify", "--file", fifo, "--json")
	if r.code != 1 || !strings.Contains(r.stdout, "not a regular file") {
		t.Fatalf("verify --file FIFO: code %d, %q", r.code, r.stdout)
	}
}

func failedVerify(t *testing.T, f *fixture, args ...string) verifyReply {
	t.Helper()
	r := f.run(t, append([]string{"verify", "--json"}, args...)...)
	out := decodeJSON[verifyReply](t, r)
	if r.code != 1 || out.Success {
		t.Fatalf("verify %v: code %d, %+v; want a failure", args, r.code, out)
	}
	return out
}

func hasCheck(cs []engine.Check, name string, ok bool) bool {
	for _, c := range cs {
		if c.Name == name && c.OK == ok {
			return true
		}
	}
	return false
}
