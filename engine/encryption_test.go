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

	"github.com/lifeboat-dev/lifeboat/engine/audit"
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

// ageRefused restores name into a fresh database that holds a marker row
// and checks the refusal: err matches want, the marker is still there and
// no safety backup was taken.
func ageRefused(t *testing.T, e *Engine, name string, want error, words string) {
	t.Helper()
	target := testdb.New(t)
	target.MustExec(t, "CREATE TABLE marker (id INT PRIMARY KEY)", "INSERT INTO marker VALUES (7)")
	before, _ := e.List(context.Background(), 0)
	_, err := e.Restore(context.Background(), name, RestoreOptions{Into: target.Name}, nil)
	t.Log(err)
	if err == nil || (want != nil && !errors.Is(err, want)) || !strings.Contains(err.Error(), words) {
		t.Fatalf("restore %s: %v; want an error (%v) saying %q", name, err, want, words)
	}
	var n int
	if err := target.QueryRow("SELECT COUNT(*) FROM marker WHERE id = 7").Scan(&n); err != nil || n != 1 {
		t.Fatalf("the refused restore changed the target: %d rows (%v)", n, err)
	}
	if after, _ := e.List(context.Background(), 0); len(after) != len(before) {
		t.Fatalf("the refused restore left %d new files (a safety backup?)", len(after)-len(before))
	}
}

// TestAge03BadKeysAndBadBytesAreRefusedBeforeAnyChange: a wrong identity,
// a truncated file, a flipped byte inside the ciphertext and a file
// encrypted to someone else each stop the restore before the database is
// touched, with a message that says which.
func TestAge03BadKeysAndBadBytesAreRefusedBeforeAnyChange(t *testing.T) {
	d := bkTorture(t)
	key, recipient := ageKey(t)
	other, otherRecipient := ageKey(t)
	e := encEngine(t, d, recipient, key)
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("wrong identity", func(t *testing.T) {
		ageRefused(t, withIdentity(t, e, other), b.Filename, crypt.ErrWrongKey, "does not open it")
	})

	raw, err := os.ReadFile(b.Path)
	if err != nil {
		t.Fatal(err)
	}
	// Foreign copies (no manifest), so that age itself must notice: a
	// manifest would already catch the size and the sha256.
	foreign := func(name string, data []byte) string {
		if err := os.WriteFile(filepath.Join(e.dir(), name), data, 0o600); err != nil {
			t.Fatal(err)
		}
		return name
	}
	t.Run("truncated", func(t *testing.T) {
		ageRefused(t, e, foreign("cut.sql.gz.age", raw[:len(raw)*2/3]), crypt.ErrDamaged, "damaged")
	})
	t.Run("flipped byte", func(t *testing.T) {
		bad := bytes.Clone(raw)
		bad[len(bad)/2] ^= 0x40
		ageRefused(t, e, foreign("flipped.sql.gz.age", bad), crypt.ErrDamaged, "damaged")
	})
	t.Run("flipped byte with its manifest", func(t *testing.T) {
		bad := bytes.Clone(raw)
		bad[len(bad)/2] ^= 0x40
		if err := os.WriteFile(b.Path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(b.Path, raw, 0o600)
		ageRefused(t, e, b.Filename, nil, "damaged")
	})
	t.Run("encrypted to someone else", func(t *testing.T) {
		plain, err := os.CreateTemp(t.TempDir(), "dump")
		if err != nil {
			t.Fatal(err)
		}
		plain.WriteString("CREATE TABLE t (id INT);\n-- Dump completed on 2026-12-02\n")
		plain.Close()
		data := ageRun(t, "-r", otherRecipient, plain.Name())
		ageRefused(t, e, foreign("theirs.sql.age", data), crypt.ErrWrongKey, "encrypted to other keys")
	})
}

// TestAge04RestoresAFileTheAgeCommandEncrypted: a plain mariadb-dump,
// gzipped and encrypted by the age command, is a foreign encrypted file
// that lifeboat restores with the identity.
func TestAge04RestoresAFileTheAgeCommandEncrypted(t *testing.T) {
	d := bkTorture(t)
	key, recipient := ageKey(t)
	e := encEngine(t, d, recipient, key)
	var dump, stderr bytes.Buffer
	cmd := exec.Command("mariadb-dump", "--no-defaults", "--socket="+d.Server.Socket, "-uroot", "--single-transaction", "--routines", "--triggers", "--databases", d.Name)
	cmd.Stdout, cmd.Stderr = &dump, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("mariadb-dump: %v: %s", err, stderr.String())
	}
	var gz bytes.Buffer
	w, _ := catalog.NewWriter(&gz, "gzip")
	w.Write(dump.Bytes())
	w.Close()
	plain := filepath.Join(t.TempDir(), "dump.sql.gz")
	if err := os.WriteFile(plain, gz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(e.dir(), 0o700)
	name := "nightly.sql.gz.age"
	ageRun(t, "-r", recipient, "-o", filepath.Join(e.dir(), name), plain)
	if err := os.WriteFile(filepath.Join(e.dir(), "nightly.sql.gz"), gz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	// mariadb-dump itself does not keep every value of the torture schema
	// (its FLOATs), so the encrypted file is compared with the same dump
	// restored without encryption.
	ctx := context.Background()
	viaAge, viaPlain := testdb.New(t), testdb.New(t)
	if _, err := e.Restore(ctx, name, RestoreOptions{Into: viaAge.Name}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Restore(ctx, "nightly.sql.gz", RestoreOptions{Into: viaPlain.Name}, nil); err != nil {
		t.Fatal(err)
	}
	got, want := bkChecksums(t, d.Server, viaAge.Name), bkChecksums(t, d.Server, viaPlain.Name)
	if len(got) < 10 || !maps.Equal(got, want) {
		t.Fatalf("restored %v, want %v", got, want)
	}
}

// TestAge05VerifyWithAndWithoutTheIdentity: without the identity verify
// checks size, sha256 and the age header and says the content was not
// checked (and records no "verified"); with it, every check of a plain
// backup runs, through the decryption.
func TestAge05VerifyWithAndWithoutTheIdentity(t *testing.T) {
	d := bkTorture(t)
	key, recipient := ageKey(t)
	e := encEngine(t, d, recipient, "")
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Verify(ctx, b.Filename, VerifyOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]Check{}
	for _, c := range res.Checks {
		names[c.Name] = c
	}
	if !res.OK || !names["sha256"].OK || !names["age header"].OK || !names["content"].Info ||
		!strings.Contains(names["content"].Detail, "not checked") || names["row counts"].Name != "" {
		t.Fatalf("verify without the identity: %+v", res.Checks)
	}
	if m := bkManifest(t, e.dir(), b.Filename); m.Verify != nil {
		t.Fatalf("an outside-only verify recorded %+v", m.Verify)
	}
	if _, err := e.Verify(ctx, b.Filename, VerifyOptions{Restore: true}, nil); !errors.Is(err, ErrNoIdentity) {
		t.Fatalf("verify --restore without the identity: %v", err)
	}

	e2 := withIdentity(t, e, key)
	res, err = e2.Verify(ctx, b.Filename, VerifyOptions{Restore: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	names = map[string]Check{}
	for _, c := range res.Checks {
		names[c.Name] = c
	}
	if !res.OK || !names["decrypt"].OK || !names["row counts"].OK || !names["completion line"].OK {
		t.Fatalf("verify --restore with the identity: %+v", res.Checks)
	}
	if m := bkManifest(t, e.dir(), b.Filename); m.Verify == nil || !m.Verify.OK {
		t.Fatalf("the full verify was not recorded: %+v", m.Verify)
	}
	// A flipped byte fails the verify, naming the damage.
	raw, _ := os.ReadFile(b.Path)
	raw[len(raw)/2] ^= 1
	os.WriteFile(b.Path, raw, 0o600)
	res, err = e2.Verify(ctx, b.Filename, VerifyOptions{}, nil)
	if err != nil || res.OK || !strings.Contains(firstFailure(res.Checks), "sha256") {
		t.Fatalf("verify of a flipped byte: %+v (%v)", res.Checks, err)
	}
}

// TestAge06ListShowsWhichBackupsTheIdentityOpens: after a key rotation the
// old backups need the old key, and list says so before an incident.
// Nothing of the keys reaches the audit log.
func TestAge06ListShowsWhichBackupsTheIdentityOpens(t *testing.T) {
	d := bkTorture(t)
	oldKey, oldRecipient := ageKey(t)
	newKey, newRecipient := ageKey(t)
	e := encEngine(t, d, oldRecipient, oldKey)
	ctx := context.Background()
	old, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := *e.Cfg
	cfg.Encryption.Recipients = []string{newRecipient}
	cfg.Encryption.IdentityFile = newKey
	e2, err := Open(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	fresh, err := e2.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	list, err := e2.List(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	opens := map[string]string{}
	for _, b := range list {
		opens[b.Filename] = b.Opens
	}
	if opens[old.Filename] != OpensNo || opens[fresh.Filename] != OpensYes {
		t.Fatalf("after rotation list says %v; want the old backup %q and the new one %q", opens, OpensNo, OpensYes)
	}
	auditLog, _ := os.ReadFile(filepath.Join(e.dir(), audit.FileName))
	for _, k := range []string{oldKey, newKey} {
		secret, _ := os.ReadFile(k)
		for _, line := range strings.Split(string(secret), "\n") {
			if strings.HasPrefix(line, "AGE-SECRET-KEY") && strings.Contains(string(auditLog), line) {
				t.Fatal("the audit log holds a secret key")
			}
		}
	}
}
