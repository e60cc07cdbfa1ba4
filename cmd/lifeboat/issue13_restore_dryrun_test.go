package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Issue 13 item 15: restore NAME --dry-run prints the plan (replaced,
// dropped, created, views apart, the safety backup, warnings) and changes
// nothing: the database and backup.dir are byte-identical afterwards.
func TestIssue13Item15RestoreDryRunChangesNothing(t *testing.T) {
	f := newFixture(t, "")
	f.db.MustExec(t, "CREATE VIEW v_customers AS SELECT id, name FROM customers")
	b, _ := jsonReply[backupReply](t, f, "backup")
	name := b.Backup.Filename
	f.db.MustExec(t,
		"DROP TABLE orders",
		"CREATE TABLE newtable (id INT PRIMARY KEY)",
		"INSERT INTO newtable VALUES (1),(2)",
		"CREATE VIEW v_extra AS SELECT id FROM newtable",
	)
	dbBefore, dirBefore := dbFingerprint(t, f), dirFingerprint(t, f.dir)

	out, _ := jsonReply[restorePlanReply](t, f, "restore", name, "--dry-run")
	p := out.Plan
	want := restorePlanJSON{Filename: name, Database: f.db.Name, SourceDatabase: f.db.Name, Exists: true,
		Replaced: []string{"customers"}, Dropped: []string{"newtable", "v_extra"}, Created: []string{"orders"},
		Views: []string{"v_customers"}, SafetyBackup: true, Warnings: p.Warnings,
		// This test's database name is too long for a kept copy's name, so
		// the plan falls back to in place and says why (issue 18).
		Mode: "in-place", ModeReason: p.ModeReason}
	if !strings.Contains(p.ModeReason, "too long") {
		t.Errorf("mode reason %q, want the name is too long", p.ModeReason)
	}
	if !out.Success || !out.DryRun || !reflect.DeepEqual(p, want) {
		t.Fatalf("restore --dry-run --json plan:\n got %+v\nwant %+v", p, want)
	}
	human := f.run(t, "restore", name, "--dry-run")
	for _, s := range []string{"dry run: nothing changes", "replaced: 1 tables: customers", "dropped:  2 tables and views not in the backup: newtable, v_extra",
		"created:  1 tables: orders", "views:    1 from the backup: v_customers", "mode:     in place (drop, then load): database name", "safety backup: yes"} {
		if !strings.Contains(human.stdout, s) {
			t.Errorf("restore --dry-run does not say %q:\n%s", s, human.stdout)
		}
	}
	// --in-place (issue 18) is the old mode: drop, load, after a safety backup.
	ip, _ := jsonReply[restorePlanReply](t, f, "restore", name, "--dry-run", "--in-place")
	if ip.Plan.Mode != "in-place" || ip.Plan.ModeReason != "--in-place was asked" || !ip.Plan.SafetyBackup {
		t.Errorf("restore --dry-run --in-place plan: %+v", ip.Plan)
	}
	if h := f.run(t, "restore", name, "--dry-run", "--in-place"); !strings.Contains(h.stdout, "safety backup: yes") || !strings.Contains(h.stdout, "mode:     in place (drop, then load): --in-place was asked") {
		t.Errorf("restore --dry-run --in-place:\n%s", h.stdout)
	}
	if human.code != 0 {
		t.Fatalf("restore --dry-run: code %d, %s", human.code, human.stderr)
	}
	// No terminal and no --yes: a real restore would refuse; --dry-run needs neither.
	if dbAfter := dbFingerprint(t, f); dbAfter != dbBefore {
		t.Fatalf("--dry-run changed the database:\nbefore %s\nafter  %s", dbBefore, dbAfter)
	}
	if dirAfter := dirFingerprint(t, f.dir); dirAfter != dirBefore {
		t.Fatalf("--dry-run changed backup.dir:\nbefore %s\nafter  %s", dirBefore, dirAfter)
	}
}

// dbFingerprint is every object of the test database with its definition
// and every table's rows.
func dbFingerprint(t *testing.T, f *fixture) string {
	t.Helper()
	rows, err := f.db.Query("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")
	if err != nil {
		t.Fatal(err)
	}
	type obj struct{ name, kind string }
	var objs []obj
	for rows.Next() {
		var o obj
		rows.Scan(&o.name, &o.kind)
		objs = append(objs, o)
	}
	rows.Close()
	var sb strings.Builder
	for _, o := range objs {
		var n, def string
		if err := f.db.QueryRow("SHOW CREATE TABLE `"+o.name+"`").Scan(&n, &def); err != nil && o.kind != "VIEW" {
			t.Fatal(err)
		}
		if o.kind == "VIEW" {
			var a, b string
			f.db.QueryRow("SHOW CREATE VIEW `"+o.name+"`").Scan(&n, &def, &a, &b)
		}
		sb.WriteString(o.kind + " " + def + "\n")
		if o.kind != "VIEW" {
			var tn string
			var sum any
			if err := f.db.QueryRow("CHECKSUM TABLE `"+o.name+"` EXTENDED").Scan(&tn, &sum); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&sb, "checksum %s %v\n", o.name, sum)
		}
	}
	return sb.String()
}

// dirFingerprint is every path under dir with its mode, size and sha256.
func dirFingerprint(t *testing.T, dir string) string {
	t.Helper()
	var sb strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&sb, "%s %v %d", p, info.Mode(), info.Size())
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&sb, " %x", sha256.Sum256(b))
		}
		sb.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sb.String()
}
