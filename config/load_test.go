package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fullTOML = `[database]
host = "db1.internal"
port = 3307
user = "backup"
password = "pw"
name = "app"

[backup]
dir = "/srv/backups"
keep = 7
compression = "zstd"
timezone = "Europe/Berlin"
stale_after = "30h"

[projects]
table = "projects"
id_column = "project_id"
name_column = "title"
keep = 3

[[projects.relation]]
table = "translations"
column = "string_id"
references = "strings.id"

[[projects.relation]]
table = "notes"
column = "proj"
references = "projects.project_id"

[access]
restore = ["@dba", "alice"]
delete = ["*"]
project_restore = []
`

func TestLoadGoodConfig(t *testing.T) {
	c, err := loadTOML(t, fullTOML)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Database
	if d.Host != "db1.internal" || d.Port != 3307 || d.User != "backup" || d.Password != "pw" || d.Name != "app" {
		t.Errorf("database = %+v", d)
	}
	b := c.Backup
	if b.Dir != "/srv/backups" || b.Keep != 7 || b.Compression != "zstd" || b.Timezone != "Europe/Berlin" || b.StaleAfter.Duration != 30*time.Hour {
		t.Errorf("backup = %+v", b)
	}
	p := c.Projects
	if p.Table != "projects" || p.IDColumn != "project_id" || p.NameColumn != "title" || p.Keep != 3 || len(p.Relations) != 2 {
		t.Fatalf("projects = %+v", p)
	}
	if r := p.Relations[1]; r.Table != "notes" || r.Column != "proj" || r.References != "projects.project_id" {
		t.Errorf("relation[1] = %+v", r)
	}
	if got := fmt.Sprint(c.Access["restore"]); got != "[@dba alice]" || len(c.Access["project_restore"]) != 0 || c.Access["delete"][0] != "*" {
		t.Errorf("access = %v", c.Access)
	}
	if !strings.HasSuffix(c.Path, "config.toml") {
		t.Errorf("Path = %q", c.Path)
	}
	m, err := c.MySQL()
	if err != nil || m.Addr != "db1.internal:3307" || m.Net != "tcp" || m.DBName != "app" {
		t.Errorf("MySQL() = %+v, %v", m, err)
	}
}

func TestLoadAppliesEveryDefault(t *testing.T) {
	c, err := loadTOML(t, minimalTOML+"[projects]\ntable = \"projects\"\n")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"database.port", c.Database.Port, DefaultPort},
		{"backup.dir", c.Backup.Dir, DefaultBackupDir},
		{"backup.keep", c.Backup.Keep, DefaultKeep},
		{"backup.compression", c.Backup.Compression, DefaultCompression},
		{"backup.timezone", c.Backup.Timezone, DefaultTimezone},
		{"backup.stale_after", c.Backup.StaleAfter.Duration, DefaultStaleAfter},
		{"backup.keep_previous", c.Backup.KeepPrevious, DefaultKeepPrevious},
		{"projects.id_column", c.Projects.IDColumn, DefaultIDColumn},
		{"projects.name_column", c.Projects.NameColumn, DefaultNameColumn},
		{"projects.keep", c.Projects.Keep, DefaultProjectKeep},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want default %v", ch.name, ch.got, ch.want)
		}
	}
	if c.Projects.Relations != nil || c.Access != nil || c.Database.Host != "" || c.Database.Password != "" {
		t.Errorf("unexpected values: %+v", c)
	}
	if loc, err := c.Location(); err != nil || loc != time.Local {
		t.Errorf("Location() = %v, %v", loc, err)
	}
}

func TestConfigBuiltInCodeDefaultsAndValidates(t *testing.T) {
	c := &Config{Database: Database{Name: "app"}}
	c.ApplyDefaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate after ApplyDefaults: %v", err)
	}
	c.Backup.Keep = -1
	err := c.Validate()
	if err == nil || err.Error() != "config: backup.keep -1: must be at least 1" || !IsConfigError(err) {
		t.Errorf("Validate = %v", err)
	}
}

func TestLoadReportsEachBadValue(t *testing.T) {
	cases := []struct {
		toml string
		want string
		line int
	}{
		{"[database]\nhost = \"h\"\n", `database.name is required: set it to the application database`, 1},
		{minimalTOML + "[backup]\ncompression = \"lz4\"\n", `backup.compression "lz4": must be gzip, zstd or none`, 4},
		{minimalTOML + "[backup]\nkeep = 0\n", `backup.keep 0: must be at least 1`, 4},
		{minimalTOML + "[backup]\nkeep = -3\n", `backup.keep -3: must be at least 1`, 4},
		{minimalTOML + "port = 70000\n", `database.port 70000: must be 1..65535`, 3},
		{minimalTOML + "port = 0\n", `database.port 0: must be 1..65535`, 3},
		{minimalTOML + "socket = \"run/x.sock\"\n", `database.socket "run/x.sock": must be an absolute path`, 3},
		{"[database]\nname = \"a`b\"\n", "database.name \"a`b\": must not contain a backtick", 2},
		{minimalTOML + "[backup]\ntimezone = \"Mars/Olympus\"\n", `backup.timezone "Mars/Olympus": unknown time zone`, 4},
		{minimalTOML + "[backup]\nstale_after = \"0s\"\n", `backup.stale_after "0s": must be more than 0`, 4},
		{minimalTOML + "[backup]\nstale_after = \"-1h\"\n", `backup.stale_after "-1h0m0s": must be more than 0`, 4},
		{minimalTOML + "[backup]\ndir = \"backups\"\n", `backup.dir "backups": must be an absolute path`, 4},
		{minimalTOML + "[backup]\ndir = \"\"\n", `backup.dir is empty`, 4},
		{minimalTOML + "[backup]\nkeep_previous = -1\n", `backup.keep_previous -1: must be 0 to 100`, 4},
		{minimalTOML + "[backup]\nkeep_previous = 101\n", `backup.keep_previous 101: must be 0 to 100`, 4},
		{minimalTOML + "[projects]\nkeep = 3\n", `projects.table is required when [projects] is used`, 3},
		{minimalTOML + "[projects]\ntable = \"p\\u0000\"\n", `projects.table "p\x00": must not contain a backtick or NUL byte`, 4},
		{minimalTOML + "[projects]\ntable = \"p\"\nid_column = \"\"\n", `projects.id_column "": is empty`, 5},
		{minimalTOML + "[projects]\ntable = \"p\"\nname_column = \"n `\"\n", "projects.name_column \"n `\": must not contain", 5},
		{minimalTOML + "[projects]\ntable = \"p\"\nkeep = 0\n", `projects.keep 0: must be at least 1`, 5},
		{minimalTOML + "[projects]\ntable = \"p\"\n[[projects.relation]]\ntable = \"t\"\ncolumn = \"c\"\nreferences = \"strings\"\n",
			`projects.relation[0].references "strings": must be table.column`, 5},
		{minimalTOML + "[projects]\ntable = \"p\"\n[[projects.relation]]\ncolumn = \"c\"\nreferences = \"a.b\"\n",
			`projects.relation[0].table "": is empty`, 5},
		{minimalTOML + "[access]\nbackup = [\"*\"]\n", `access.backup is not an action: use one of create, verify, restore`, 4},
		{minimalTOML + "[access]\nrestore = [\"../etc\"]\n", `access.restore "../etc": must be a user name, "@group" or "*"`, 4},
		{minimalTOML + "[access]\nrestore = [\"@\"]\n", `access.restore "@": must be a user name`, 4},
		{minimalTOML + "[access]\nrestore = [\"a b\"]\n", `access.restore "a b": must be a user name`, 4},
	}
	for _, c := range cases {
		_, err := loadTOML(t, c.toml)
		if err == nil {
			t.Errorf("%q: loaded without error, want %q", c.toml, c.want)
			continue
		}
		var ce *Error
		if !errors.As(err, &ce) || !IsConfigError(err) {
			t.Errorf("%q: %v is not a config error", c.toml, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %q", c.toml, err, c.want)
		}
		if ce.Line != c.line {
			t.Errorf("%q: line %d, want %d (%v)", c.toml, ce.Line, c.line, err)
		}
		if strings.Count(err.Error(), "\n") != 0 {
			t.Errorf("%q: one bad value gave several messages: %v", c.toml, err)
		}
	}
}

func TestLoadReportsAllBadValuesAtOnce(t *testing.T) {
	_, err := loadTOML(t, "[backup]\nkeep = 0\ncompression = \"lz4\"\n")
	if err == nil {
		t.Fatal("want errors")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 messages (name, keep, compression), got:\n%v", err)
	}
	for _, want := range []string{"database.name is required", "line 2: backup.keep 0", "line 3: backup.compression"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

func TestLoadUnknownKeyNamesKeyAndLine(t *testing.T) {
	cases := []struct {
		toml string
		want []string
	}{
		{minimalTOML + "hots = \"db\"\n", []string{`line 3: unknown key "database.hots"`}},
		{"# comment\n[datbase]\nname = \"app\"\nhost = \"x\"\n", []string{`line 2: unknown key "datbase": remove it or fix its spelling; known keys at the top level (tables): database, backup, projects, `}},
		{minimalTOML + "[backup]\nkep = 3\n[projects]\ntable = \"p\"\n[[projects.relation]]\ntable = \"t\"\ncolum = \"c\"\n",
			[]string{`line 4: unknown key "backup.kep": remove it or fix its spelling; known keys in [backup]: dir, keep, compression,`,
				`line 9: unknown key "projects.relation.colum"`}},
		{"backup.kepp = 1\n" + minimalTOML, []string{`line 1: unknown key "backup.kepp"`}},
		{minimalTOML + "note = '''\nmulti\nline = 1\n'''\n", []string{`line 3: unknown key "database.note"`}},
	}
	for _, c := range cases {
		_, err := loadTOML(t, c.toml)
		if err == nil || !IsConfigError(err) {
			t.Errorf("%q: err = %v, want unknown key", c.toml, err)
			continue
		}
		if n := strings.Count(err.Error(), "unknown key"); n != len(c.want) {
			t.Errorf("%q: %d unknown-key messages, want %d:\n%v", c.toml, n, len(c.want), err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q:\n got %v\nwant %q", c.toml, err, w)
			}
		}
	}
}

func TestLoadSyntaxErrorKeepsLine(t *testing.T) {
	_, err := loadTOML(t, minimalTOML+"[backup]\nkeep = = 3\n")
	var ce *Error
	if !errors.As(err, &ce) || ce.Line != 4 || !strings.Contains(err.Error(), "config.toml line 4: ") {
		t.Fatalf("err = %v, want a config error at line 4", err)
	}
	_, err = loadTOML(t, minimalTOML+"port = \"x\"\n")
	if !errors.As(err, &ce) || ce.Line != 3 || !strings.Contains(err.Error(), "database.port") {
		t.Fatalf("type error = %v, want line 3 naming database.port", err)
	}
	_, err = loadTOML(t, minimalTOML+"[backup]\nstale_after = \"soon\"\n")
	if !errors.As(err, &ce) || ce.Line != 4 || !strings.Contains(err.Error(), `"soon"`) {
		t.Fatalf("duration error = %v, want line 4 quoting the value", err)
	}
}

func TestLoadSyntaxErrorNeverShowsPassword(t *testing.T) {
	const secret = "hunter2Secret"
	bodies := []string{
		"password = " + secret + "\n",
		"password = \"" + secret + "\\q\"\n",
		"password = \"" + secret + "\n",
		"password = '" + secret + "' junk\n",
		"password = 12.3." + secret + "\n",
		"password = 0x" + secret + "\n",
		"password = \"\"\"ok\n" + secret + "\\q\"\"\"\n",
		"\"password\" = " + secret + "\n",
		"password=" + secret + "]\n",
	}
	for _, body := range bodies {
		_, err := loadTOML(t, "[database]\nname = \"app\"\n"+body)
		if err == nil || !IsConfigError(err) {
			t.Errorf("%q: err = %v, want a config error", body, err)
			continue
		}
		for _, piece := range []string{"hunter", "Secret", "ter2"} {
			if strings.Contains(err.Error(), piece) {
				t.Errorf("%q: error shows the password: %v", body, err)
			}
		}
		if !strings.Contains(err.Error(), "line 3") && !strings.Contains(err.Error(), "line 4") {
			t.Errorf("%q: error lost its line: %v", body, err)
		}
	}
}

func TestLoadRefusesReadablePasswordConfig(t *testing.T) {
	withPW := minimalTOML + "password = \"topsecret\"\n"
	cases := []struct {
		body   string
		mode   os.FileMode
		refuse string
	}{
		{withPW, 0o644, "readable by others (mode 0644)"},
		{withPW, 0o640, "readable by group (mode 0640)"},
		{withPW, 0o604, "readable by others (mode 0604)"},
		{withPW, 0o600, ""},
		{withPW, 0o400, ""},
		{minimalTOML, 0o644, ""},
		{minimalTOML + "password = \"\"\n", 0o644, ""},
	}
	for _, c := range cases {
		p := writeFile(t, t.TempDir(), "config.toml", c.body, c.mode)
		cfg, err := LoadWith(p, LoadOptions{OptionFiles: []string{}})
		if c.refuse == "" {
			if err != nil {
				t.Errorf("mode %04o %q: %v", c.mode, c.body, err)
			}
			continue
		}
		want := "config " + p + " holds a password and is " + c.refuse + ": run chmod 600 " + p
		if err == nil || err.Error() != want || !IsConfigError(err) {
			t.Errorf("mode %04o: err = %v\nwant %s", c.mode, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "topsecret") || cfg != nil {
			t.Errorf("mode %04o: leaked or returned a config: %v %v", c.mode, err, cfg)
		}
	}
}

func TestLoadMissingFileIsConfigError(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope.toml")
	_, err := Load(p)
	if err == nil || !IsConfigError(err) || !strings.Contains(err.Error(), p) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
}

func TestIsConfigError(t *testing.T) {
	wrapped := fmt.Errorf("start: %w", newError("/x", 1, "bad"))
	if !IsConfigError(wrapped) || !errors.Is(wrapped, ErrInvalid) {
		t.Errorf("wrapped *Error not recognised")
	}
	if !IsConfigError(errors.Join(errors.New("other"), newError("", 0, "bad"))) {
		t.Errorf("joined *Error not recognised")
	}
	if IsConfigError(errors.New("connection refused")) || IsConfigError(nil) || IsConfigError(os.ErrNotExist) {
		t.Errorf("plain errors taken for config errors")
	}
}

func TestRedactedAndStringHidePassword(t *testing.T) {
	c, err := loadTOML(t, fullTOML)
	if err != nil {
		t.Fatal(err)
	}
	c.Database.Password = "pw-TOPSECRET"
	r := c.Redacted()
	if r.Database.Password != "********" || c.Database.Password != "pw-TOPSECRET" {
		t.Errorf("Redacted password %q, original %q", r.Database.Password, c.Database.Password)
	}
	r.Access["restore"] = nil
	if c.Access["restore"] == nil {
		t.Errorf("Redacted shares the access map with the original")
	}
	for _, s := range []string{c.String(), fmt.Sprint(*c), fmt.Sprintf("%+v", c.Database), fmt.Sprintf("%#v", c.Database), fmt.Sprintf("%v", c)} {
		if strings.Contains(s, "TOPSECRET") {
			t.Errorf("printed config shows the password: %s", s)
		}
		if !strings.Contains(s, "db1.internal") {
			t.Errorf("printed config lost other values: %s", s)
		}
	}
}

// TestGFSBadRetentionRefused (issue 16): negative calendar counts, and a
// policy that keeps nothing (keep = 0 with every calendar rule off), are
// refused with the key and what to do; keep = 0 with keep_daily is fine.
func TestGFSBadRetentionRefused(t *testing.T) {
	for _, c := range []struct{ toml, want string }{
		{minimalTOML + "[backup]\nkeep_daily = -1\n", `backup.keep_daily -1: must be 0 (off) or more`},
		{minimalTOML + "[backup]\nkeep_weekly = -2\n", `backup.keep_weekly -2: must be 0 (off) or more`},
		{minimalTOML + "[backup]\nkeep_monthly = -1\n", `backup.keep_monthly -1: must be 0 (off) or more`},
		{minimalTOML + "[backup]\nkeep_yearly = -5\n", `backup.keep_yearly -5: must be 0 (off) or more`},
		{minimalTOML + "[backup]\nkeep = 0\nkeep_daily = 0\nkeep_weekly = 0\n", `backup.keep 0: must be at least 1 unless keep_daily, keep_weekly, keep_monthly or keep_yearly is set: this policy would keep nothing`},
	} {
		_, err := loadTOML(t, c.toml)
		if err == nil || !strings.Contains(err.Error(), c.want) || !IsConfigError(err) {
			t.Errorf("%q: err %v, want %q", c.toml, err, c.want)
		}
	}
	c, err := loadTOML(t, minimalTOML+"[backup]\nkeep = 0\nkeep_daily = 7\nkeep_weekly = 4\nkeep_monthly = 12\nkeep_yearly = 2\n")
	if err != nil {
		t.Fatalf("keep = 0 with calendar rules: %v", err)
	}
	if r := c.Backup.Retention; r != (Retention{KeepDaily: 7, KeepWeekly: 4, KeepMonthly: 12, KeepYearly: 2}) || c.Backup.Keep != 0 {
		t.Errorf("read %+v keep %d", r, c.Backup.Keep)
	}
	if _, err := loadTOML(t, minimalTOML+"[backup]\nkeep_hourly = 3\n"); err == nil || !strings.Contains(err.Error(), "keep_hourly") {
		t.Errorf("an unknown retention key was accepted: %v", err)
	}
}
