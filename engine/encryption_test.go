package engine

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/crypt"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// ageKey makes a fresh identity file in a temp dir and returns its path
// and recipient.
func ageKey(t *testing.T) (string, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "age.key")
	r, err := crypt.NewIdentity(p, false)
	if err != nil {
		t.Fatal(err)
	}
	return p, r
}

// encEngine is backupEngine with backups encrypted to recipient; identity
// ("" for none) is the key this host holds.
func encEngine(t *testing.T, d *testdb.DB, recipient, identity string) *Engine {
	t.Helper()
	e := backupEngine(t, d, "gzip")
	e.Cfg.Encryption.Recipients = []string{recipient}
	e.Cfg.Encryption.IdentityFile = identity
	return e
}

// withIdentity is another engine on the same directory holding identity.
func withIdentity(t *testing.T, e *Engine, identity string) *Engine {
	t.Helper()
	cfg := *e.Cfg
	cfg.Encryption.IdentityFile = identity
	e2, err := Open(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e2.Close() })
	return e2
}

func ageRun(t *testing.T, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("age"); err != nil {
		t.Fatal("the age command is missing (Debian package age; .ci/run installs it):", err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command("age", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("age %v: %v: %s", args, err, stderr.String())
	}
	return out
}

// TestAge01EncryptedBackupRoundTrips: with only a recipient configured, the
// backup is .sql.gz.age, age bytes from the first byte, with a plain
// manifest that says so. This host cannot restore it; a host with the
// identity restores it exactly (CHECKSUM TABLE).
func TestAge01EncryptedBackupRoundTrips(t *testing.T) {
	d := bkTorture(t)
	key, recipient := ageKey(t)
	e := encEngine(t, d, recipient, "")
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(b.Filename, ".sql.gz.age") {
		t.Fatalf("encrypted backup named %q, want …sql.gz.age", b.Filename)
	}
	raw, err := os.ReadFile(b.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte(crypt.Magic)) {
		t.Fatalf("the file does not start with the age header: %q", raw[:40])
	}
	m := bkManifest(t, e.dir(), b.Filename)
	if !m.Encrypted || len(m.Recipients) != 1 || m.Recipients[0] != recipient || m.SHA256 != bkSHA(t, b.Path) || m.Size != int64(len(raw)) {
		t.Fatalf("manifest: encrypted=%v recipients=%v sha256/size of the encrypted bytes? %+v", m.Encrypted, m.Recipients, m)
	}
	list, err := e.List(ctx, 0)
	if err != nil || len(list) != 1 || list[0].State != catalog.StateComplete || !list[0].Encrypted || list[0].Opens != OpensNoIdentity {
		t.Fatalf("list without the identity: %+v (%v)", list, err)
	}

	target := testdb.New(t)
	_, err = e.Restore(ctx, b.Filename, RestoreOptions{Into: target.Name}, nil)
	if !errors.Is(err, ErrNoIdentity) || !strings.Contains(err.Error(), "identity_file") || !strings.Contains(err.Error(), "not touched") {
		t.Fatalf("restore without the identity: %v; want a refusal naming encryption.identity_file", err)
	}
	if n := len(bkChecksums(t, d.Server, target.Name)); n != 0 {
		t.Fatalf("the refused restore created %d tables", n)
	}

	e2 := withIdentity(t, e, key)
	if _, err := e2.Restore(ctx, b.Filename, RestoreOptions{Into: target.Name}, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := bkChecksums(t, d.Server, target.Name), bkChecksums(t, d.Server, d.Name); !maps.Equal(got, want) {
		t.Fatalf("restored checksums %v, want %v", got, want)
	}
	if l, _ := e2.List(ctx, 0); len(l) == 0 || l[0].Opens != OpensYes {
		t.Fatalf("list with the identity: %+v", l)
	}
}

// TestAge02TheAgeCommandReadsWhatLifeboatWrote: the escape hatch without
// lifeboat: age -d -i KEY FILE | zcat | mariadb gives the same tables.
func TestAge02TheAgeCommandReadsWhatLifeboatWrote(t *testing.T) {
	d := bkTorture(t)
	key, recipient := ageKey(t)
	e := encEngine(t, d, recipient, "")
	b, err := e.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	gz := ageRun(t, "-d", "-i", key, b.Path)
	sql, err := catalog.NewReader(bytes.NewReader(gz), "gzip")
	if err != nil {
		t.Fatal(err)
	}
	// The dump says USE <source>, as the stock client needs: load it into
	// a fresh server, where that name is free.
	srv := testdb.NewServer(t, sandbox.Options{})
	testdb.LoadSQL(t, srv, "", sql)
	if got, want := bkChecksums(t, srv, d.Name), bkChecksums(t, d.Server, d.Name); !maps.Equal(got, want) {
		t.Fatalf("age -d | zcat | mariadb gave %v, want %v", got, want)
	}
}
