package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/project"
)

// TestTrust21PlanCountsWhatTheRestoreDoes: every translation of project 1
// is edited, so the restore deletes and re-inserts all of them; the dry
// run must say so, table by table, instead of "delete 0".
func TestTrust21PlanCountsWhatTheRestoreDoes(t *testing.T) {
	ctx := context.Background()
	e, d := demoEngine(t, 0.05)
	bk, err := e.ProjectBackup(ctx, "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if bk.Tables["translations"] < 500 {
		t.Fatalf("project 1 has only %d translations", bk.Tables["translations"])
	}
	mustExec(t, d.DB,
		"UPDATE translations t JOIN strings s ON s.id = t.string_id JOIN sections c ON c.id = s.section_id JOIN areas a ON a.id = c.area_id SET t.text = CONCAT(t.text, ' (edited)') WHERE a.project_id = 1",
		"DELETE FROM string_comments WHERE id = (SELECT id FROM (SELECT MIN(c.id) AS id FROM string_comments c JOIN strings s ON s.id = c.string_id JOIN sections x ON x.id = s.section_id JOIN areas a ON a.id = x.area_id WHERE a.project_id = 1) q)",
		"INSERT INTO string_comments (string_id, body, created_at) SELECT MIN(s.id), 'new', NOW() FROM strings s JOIN sections c ON c.id = s.section_id JOIN areas a ON a.id = c.area_id WHERE a.project_id = 1")
	res, err := e.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{DryRun: true}, progress.Nop)
	if err != nil {
		t.Fatal(err)
	}
	plan := res.Plan
	done, err := e.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{}, progress.Nop)
	if err != nil {
		t.Fatal(err)
	}
	if done.Deleted["translations"] != bk.Tables["translations"] || done.Inserted["translations"] != bk.Tables["translations"] {
		t.Fatalf("the restore deleted %d and inserted %d translations, want all %d", done.Deleted["translations"], done.Inserted["translations"], bk.Tables["translations"])
	}
	if len(plan.Tables) == 0 || len(plan.Tables) != len(done.Deleted) {
		t.Fatalf("plan has %d tables, the restore touched %d", len(plan.Tables), len(done.Deleted))
	}
	for _, tp := range plan.Tables {
		if tp.Delete != done.Deleted[tp.Table] || tp.Insert != done.Inserted[tp.Table] {
			t.Errorf("table %s: plan delete %d insert %d, the restore deleted %d inserted %d",
				tp.Table, tp.Delete, tp.Insert, done.Deleted[tp.Table], done.Inserted[tp.Table])
		}
		if tp.Table == "translations" && tp.Changed != tp.Delete {
			t.Errorf("translations: plan says %d changed of %d deleted, want all", tp.Changed, tp.Delete)
		}
	}
}

// TestTrust02ProjectBackupsAreCheckedBeforeAnyChange: a project backup has
// a manifest (size, sha256, written last, 0600); a changed digit inside
// the file is refused by restore and by the plan before anything changes
// and shown by `project verify`; a file without its manifest is listed as
// incomplete and refused.
func TestTrust02ProjectBackupsAreCheckedBeforeAnyChange(t *testing.T) {
	ctx := context.Background()
	e, d := demoEngine(t, 0.02)
	e.Cfg.Backup.Compression = "none" // the test edits the JSON text itself
	bk, err := e.ProjectBackup(ctx, "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	mpath := bk.Path + project.ManifestSuffix
	raw, err := os.ReadFile(mpath)
	if err != nil {
		t.Fatalf("no manifest beside the project backup: %v", err)
	}
	if fi, _ := os.Stat(mpath); fi.Mode().Perm() != 0o600 {
		t.Errorf("manifest mode %v, want 0600", fi.Mode().Perm())
	}
	var m project.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(bk.Path)
	sum := sha256.Sum256(body)
	if m.FormatVersion != project.ManifestVersion || m.Kind != "project" || m.ProjectID != "1" || m.ProjectName != "Checkout Web" ||
		m.Filename != bk.Filename || m.Size != int64(len(body)) || m.SHA256 != hex.EncodeToString(sum[:]) || m.CreatedAt == "" ||
		m.Tables["translations"] != bk.Tables["translations"] {
		t.Fatalf("manifest = %s", raw)
	}
	v, err := e.ProjectVerify(ctx, "1", bk.Filename)
	if err != nil || !v.OK || len(v.Checks) != 5 || v.Checks[4].Name != "rows" {
		t.Fatalf("verify of a good backup = %+v, %v", v, err)
	}

	// Change one digit of a value, keeping the size.
	at := bytes.Index(body, []byte(`"word_cost": `))
	if at < 0 {
		t.Fatal("no word_cost value in the backup")
	}
	at += len(`"word_cost": `)
	if body[at] == '"' { // a decimal, written as a string
		at++
	}
	digit := body[at]
	if digit < '0' || digit > '9' {
		t.Fatalf("word_cost is written as %.20q", body[at:])
	}
	changed := append([]byte(nil), body...)
	if digit == '9' {
		changed[at] = '8'
	} else {
		changed[at] = digit + 1
	}
	if err := os.WriteFile(bk.Path, changed, 0o600); err != nil {
		t.Fatal(err)
	}
	mustExec(t, d.DB, "UPDATE projects SET name = 'Damaged' WHERE id = 1")
	before := demoChecksums(t, d.DB)
	if _, err := e.PlanProjectRestore(ctx, "1", bk.Filename); !errors.Is(err, project.ErrDamaged) || !strings.Contains(err.Error(), bk.Filename) {
		t.Errorf("plan of a changed file: %v, want a sha256 error naming the file", err)
	}
	_, err = e.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{}, nil)
	if !errors.Is(err, project.ErrDamaged) || !strings.Contains(err.Error(), "sha256") {
		t.Fatalf("restore of a changed file: %v, want a sha256 refusal", err)
	}
	for tb, sum := range demoChecksums(t, d.DB) {
		if sum != before[tb] {
			t.Errorf("table %s changed by a refused restore", tb)
		}
	}
	if list, _ := e.ProjectBackups(ctx, "1"); len(list) != 1 {
		t.Errorf("a refused restore took a safety backup: %+v", list)
	}
	v, err = e.ProjectVerify(ctx, "1", bk.Filename)
	if err != nil || v.OK || v.Checks[len(v.Checks)-1].Name != "sha256" || v.Checks[len(v.Checks)-2].Name != "size" || !v.Checks[len(v.Checks)-2].OK {
		t.Errorf("verify of a changed file = %+v, %v; want size ok, sha256 failed", v, err)
	}

	// Without its manifest the file is incomplete: listed so, refused.
	os.WriteFile(bk.Path, body, 0o600)
	if err := os.Remove(mpath); err != nil {
		t.Fatal(err)
	}
	list, err := e.ProjectBackups(ctx, "1")
	if err != nil || len(list) != 1 || list[0].State != "incomplete" || !strings.Contains(list[0].Problem, "no manifest") {
		t.Fatalf("backups without a manifest = %+v, %v", list, err)
	}
	if st, _ := e.ProjectStatus(ctx, "1"); st.LastBackup != nil {
		t.Errorf("status counts an incomplete backup as the last one: %+v", st.LastBackup)
	}
	_, err = e.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{}, nil)
	if !errors.Is(err, project.ErrNoManifest) || !strings.Contains(err.Error(), bk.Filename) {
		t.Fatalf("restore without a manifest: %v", err)
	}
	if v, _ := e.ProjectVerify(ctx, "1", bk.Filename); v.OK || v.Checks[0].Name != "manifest" {
		t.Errorf("verify without a manifest = %+v", v)
	}
	for tb, sum := range demoChecksums(t, d.DB) {
		if sum != before[tb] {
			t.Errorf("table %s changed by a refused restore", tb)
		}
	}
}

// TestTrust13FullBackupNeverStoresAGuard: a trigger left guarded by a
// killed project restore (the old, spoofable guard here) is put back
// before a full backup dumps it, and status has nothing left to report.
func TestTrust13FullBackupNeverStoresAGuard(t *testing.T) {
	ctx := context.Background()
	e, d := demoEngine(t, 0.01)
	mustExec(t, d.DB, "CREATE TRIGGER strings_ai AFTER INSERT ON strings FOR EACH ROW IF @lifeboat_restore_guard IS NULL THEN\nSET @seen = NEW.id;\nEND IF")
	bk, err := e.Backup(ctx, BackupOptions{NoPrune: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(bk.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := catalog.NewReader(f, "gzip")
	if err != nil {
		t.Fatal(err)
	}
	dump, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(dump, []byte("lifeboat_restore_guard")) || !bytes.Contains(dump, []byte("SET @seen = NEW.id")) {
		t.Errorf("the dump holds the guarded trigger, or not the trigger at all")
	}
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(st.Warnings, "\n"), "strings_ai") {
		t.Errorf("status still warns about strings_ai: %q", st.Warnings)
	}
}

// TestTrust06ProjectManifestIsSigned (issue 11 item 6, project backups):
// a project backup's manifest carries this host's signature; a file
// changed with its manifest's sha256 and size recomputed, but not
// re-signed, is refused by restore and verify before anything changes.
func TestTrust06ProjectManifestIsSigned(t *testing.T) {
	ctx := context.Background()
	e, d := demoEngine(t, 0.02)
	e.Cfg.Backup.Compression = "none" // the test edits the JSON text itself
	bk, err := e.ProjectBackup(ctx, "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	mpath := bk.Path + project.ManifestSuffix
	raw, err := os.ReadFile(mpath)
	if err != nil {
		t.Fatal(err)
	}
	var m project.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	pub, err := e.PublicKey()
	if err != nil || !bytes.Contains(m.Signature, []byte(pub)) {
		t.Fatalf("project manifest signature %s, want one by this host's key %s (%v)", m.Signature, pub, err)
	}
	if v, err := e.ProjectVerify(ctx, "1", bk.Filename); err != nil || !v.OK {
		t.Fatalf("verify of a signed backup: %+v %v", v, err)
	}

	// An attacker who can write the directory changes a value and fixes
	// the sha256 and size, but cannot sign.
	body, _ := os.ReadFile(bk.Path)
	changed := bytes.Replace(body, []byte(`"Checkout Web"`), []byte(`"Checkout Wex"`), 1)
	if bytes.Equal(changed, body) {
		t.Fatal("no project name in the backup to change")
	}
	if err := os.WriteFile(bk.Path, changed, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(changed)
	m.SHA256, m.Size, m.Signature = hex.EncodeToString(sum[:]), int64(len(changed)), nil
	forged, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(mpath, forged, 0o600); err != nil {
		t.Fatal(err)
	}
	mustExec(t, d.DB, "UPDATE projects SET name = 'Damaged' WHERE id = 1")
	before := demoChecksums(t, d.DB)
	if _, err := e.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{}, nil); !errors.Is(err, ErrUntrusted) {
		t.Fatalf("restore of a re-hashed, unsigned project backup: %v, want ErrUntrusted", err)
	}
	if after := demoChecksums(t, d.DB); !maps.Equal(after, before) {
		t.Fatal("the refused restore changed the database")
	}
	if v, _ := e.ProjectVerify(ctx, "1", bk.Filename); v.OK {
		t.Fatalf("verify passed an unsigned manifest: %+v", v)
	}
}
