package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// TestScheduleInstallThenOneDayBackupVerifyAndGFSPrune is issue 16's done
// means: `lifeboat schedule install` on a machine with two years of
// nightly backups (synthetic, signed by this host's key, as a nightly job
// would have left them), then one simulated day: the nightly unit's
// ExecStart and the weekly verify unit's ExecStart are run as written.
// The result is a new backup, verified by --restore, and a directory
// pruned by keep = 1, keep_daily = 7, keep_weekly = 4, keep_monthly = 12
// and keep_yearly = 2, with days in backup.timezone.
func TestScheduleInstallThenOneDayBackupVerifyAndGFSPrune(t *testing.T) {
	f := newFixture(t, "timezone = \"UTC\"\nkeep_daily = 7\nkeep_weekly = 4\nkeep_monthly = 12\nkeep_yearly = 2\n")
	setLocalInfile(t, f.db.DB, true) // else the check unit warns about it (infile_e2e_test.go)
	cfg := writeConfig(t, strings.Replace(readFile(t, f.config), "keep = 3", "keep = 1", 1), 0o600)
	home := t.TempDir()
	run := func(args ...string) result {
		t.Helper()
		return lifeboat(t, []string{"HOME=" + home}, append([]string{"--config", cfg}, args...)...)
	}

	// The history: one real backup, copied to every night of two years.
	seed := run("--json", "backup")
	if seed.code != 0 {
		t.Fatalf("seed backup: %d %s", seed.code, seed.stderr)
	}
	realName := decodeJSON[backupReply](t, seed).Backup.Filename
	tmpl, err := catalog.ReadManifest(f.dir, realName)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(f.dir, realName))
	if err != nil {
		t.Fatal(err)
	}
	key := signingKey(t, filepath.Join(filepath.Dir(f.dir), "signing.key"))
	today := time.Now().UTC()
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	for d := 1; d <= 730; d++ {
		at := midnight.AddDate(0, 0, -d).Add(2 * time.Hour)
		m := *tmpl
		m.Filename, m.CreatedAt, m.Verify, m.Signature = catalog.BackupName(at, "gzip"), at, nil, nil
		if err := os.WriteFile(filepath.Join(f.dir, m.Filename), data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := catalog.WriteSignedManifest(f.dir, &m, key); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(f.dir, realName)); err != nil { // the seed was only a template
		t.Fatal(err)
	}
	os.Remove(filepath.Join(f.dir, catalog.ManifestName(realName)))
	if l, _ := jsonReply[listReply](t, &fixture{config: cfg}, "list"); len(l.Backups) != 730 {
		t.Fatalf("history: %d backups listed, want 730", len(l.Backups))
	}

	units := t.TempDir()
	if r := run("schedule", "install", "--verify-weekly", "--dir", units); r.code != 0 {
		t.Fatalf("schedule install: %d %q %q", r.code, r.stdout, r.stderr)
	}
	st := run("schedule", "status", "--dir", units)
	if !strings.Contains(st.stdout, "lifeboat-backup.timer") || !strings.Contains(st.stdout, "lifeboat-verify.timer") {
		t.Errorf("schedule status: %q %q", st.stdout, st.stderr)
	}

	// One day: the nightly job, then the weekly verify, then the hourly
	// check (OK now: a fresh, verified backup), each as its unit says.
	for _, unit := range []string{"lifeboat-backup.service", "lifeboat-verify.service", "lifeboat-check.service"} {
		text := readFile(t, filepath.Join(units, unit))
		var line string
		for _, l := range strings.Split(text, "\n") {
			if v, ok := strings.CutPrefix(l, "ExecStart="); ok {
				line = v
			}
		}
		argv := strings.Fields(line)
		if len(argv) < 4 || argv[0] != binary || argv[1] != "--config" || argv[2] != cfg {
			t.Fatalf("%s runs %q; want %s --config %s ...", unit, line, binary, cfg)
		}
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "HOME="+home)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %s: %v\n%s", unit, line, err, out.String())
		}
	}

	l, _ := jsonReply[listReply](t, &fixture{config: cfg}, "list")
	var got []string
	for _, b := range l.Backups {
		got = append(got, b.CreatedAt[:10])
	}
	if len(l.Backups) == 0 || l.Backups[0].State != "verified" || !strings.HasPrefix(l.Backups[0].CreatedAt, today.Format("2006-01-02")) {
		t.Fatalf("newest backup after the day: %+v; want today's, verified", l.Backups[:min(1, len(l.Backups))])
	}
	want := gfsDays(today)
	if !slices.Equal(got, want) {
		t.Fatalf("after one day the directory holds\n%v\nwant (GFS)\n%v", got, want)
	}
}

// gfsDays are the dates (newest first) that keep = 1, keep_daily = 7,
// keep_weekly = 4, keep_monthly = 12 and keep_yearly = 2 keep of nightly
// backups up to today, computed from the calendar rather than by lifeboat.
func gfsDays(today time.Time) []string {
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	set := map[string]bool{}
	for d := 0; d < 7; d++ { // keep_daily (and keep = 1: today)
		set[day(today.AddDate(0, 0, -d))] = true
	}
	set[day(today)] = true // this ISO week, month and year: today's backup
	sunday := today.AddDate(0, 0, -int(today.Weekday()))
	if today.Weekday() == time.Sunday {
		sunday = today.AddDate(0, 0, -7)
	}
	for w := 0; w < 3; w++ { // the previous 3 ISO weeks end on Sunday
		set[day(sunday.AddDate(0, 0, -7*w))] = true
	}
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	for m := 0; m < 11; m++ { // the last night of the previous 11 months
		set[day(first.AddDate(0, -m, -1))] = true
	}
	set[fmt.Sprintf("%d-12-31", today.Year()-1)] = true // keep_yearly: last year
	var out []string
	for d := range set {
		out = append(out, d)
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

func signingKey(t *testing.T, path string) ed25519.PrivateKey {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatalf("%s: not PEM", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(ed25519.PrivateKey)
}
