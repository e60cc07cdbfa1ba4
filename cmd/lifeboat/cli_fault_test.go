package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/who"
)

// The fault tests run the real binary against a real server and break
// things under it: signals, concurrent runs, damaged files, hostile names.

// addBigTable makes the dump take a few seconds: 300k rows that do not
// compress to nothing.
func addBigTable(t *testing.T, f *fixture) {
	t.Helper()
	f.db.MustExec(t, "CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(200))",
		"INSERT INTO big SELECT seq, REPEAT(MD5(seq), 4) FROM seq_1_to_300000")
}

// proc is a lifeboat process running in the background.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	code           int
}

func (f *fixture) start(t *testing.T, config string, args ...string) *proc {
	t.Helper()
	p := &proc{done: make(chan struct{})}
	p.cmd = exec.Command(binary, append([]string{"--config", config}, args...)...)
	p.cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := p.cmd.Wait()
		if ee, ok := err.(*exec.ExitError); ok {
			p.code = ee.ExitCode()
		} else if err != nil {
			p.code = -1
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(3 * time.Minute):
		t.Fatalf("lifeboat %v did not end", p.cmd.Args[1:])
	}
	return p.code
}

func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// waitFor polls cond until it holds; it fails the test if p ends first.
func waitFor(t *testing.T, p *proc, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		if !p.running() {
			t.Fatalf("lifeboat ended (code %d) before %s: stderr %q", p.code, what, p.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// files lists backup.dir without the lock and the audit log.
func files(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if n := e.Name(); n != "audit.log" && !strings.HasPrefix(n, ".lifeboat") && !strings.HasSuffix(n, ".lock") && e.Type().IsRegular() {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func hasPartial(t *testing.T, dir string) bool {
	for _, n := range files(t, dir) {
		if strings.HasSuffix(n, ".partial") {
			return true
		}
	}
	return false
}

func countSuffix(t *testing.T, dir, suffix string) int {
	n := 0
	for _, f := range files(t, dir) {
		if strings.HasSuffix(f, suffix) {
			n++
		}
	}
	return n
}

// auditLines reads backup.dir/audit.log (JSON lines), oldest first.
func auditLines(t *testing.T, dir string) []map[string]any {
	t.Helper()
	fh, err := os.Open(filepath.Join(dir, "audit.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var out []map[string]any
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// manifestMatches checks every manifest in dir against its file's sha256
// and size, and that no file lacks its manifest.
func manifestMatches(t *testing.T, dir string) {
	t.Helper()
	for _, n := range files(t, dir) {
		if strings.HasSuffix(n, ".partial") {
			t.Errorf("%s left behind", n)
			continue
		}
		if strings.HasSuffix(n, ".json") {
			if _, err := os.Stat(filepath.Join(dir, strings.TrimSuffix(n, ".json"))); err != nil {
				t.Errorf("manifest %s without its backup", n)
			}
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, n+".json"))
		if err != nil {
			t.Errorf("backup %s has no manifest: %v", n, err)
			continue
		}
		var m struct {
			SHA256 string `json:"sha256"`
			Size   int64  `json:"size"`
		}
		json.Unmarshal(b, &m)
		data, _ := os.ReadFile(filepath.Join(dir, n))
		sum := sha256.Sum256(data)
		if m.SHA256 != hex.EncodeToString(sum[:]) || m.Size != int64(len(data)) {
			t.Errorf("%s: manifest sha256/size do not match the file", n)
		}
	}
}

func noPanic(t *testing.T, what string, r result) {
	t.Helper()
	for _, s := range []string{r.stdout, r.stderr} {
		if strings.Contains(s, "panic") || strings.Contains(s, "goroutine ") {
			t.Errorf("%s panicked: %s", what, s)
		}
	}
}

func jsonOf(t *testing.T, r result) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("not JSON (code %d): %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	return out
}

// TestSignalMidDumpLeavesNothing: SIGINT, SIGTERM and SIGHUP (the SSH
// session drops) while the dump writes: exit 130, no file, no .partial,
// no manifest, and list shows nothing. The dump is held on a table lock
// so the signal lands mid-dump; each signal has its own backup.dir, so
// its audit line cannot be another run's (issue 21 items 2 and 14).
func TestSignalMidDumpLeavesNothing(t *testing.T) {
	f := newFixture(t, "")
	addBigTable(t, f)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "backups")
			cfg := writeConfig(t, fmt.Sprintf("[database]\nsocket = %q\nuser = \"root\"\nname = %q\n\n[backup]\ndir = %q\n",
				f.db.Server.Socket, f.db.Name, dir), 0o600)
			gate := holdTable(t, f, "big")
			p := f.start(t, cfg, "backup")
			gate.waitBlocked(t, p, f)
			if !hasPartial(t, dir) {
				t.Fatalf("the dump waits on the lock but %s holds %v, no .partial", dir, files(t, dir))
			}
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			code := p.wait(t)
			gate.release()
			if code != 130 {
				t.Fatalf("exit %d after %v, want 130; stderr %q", code, sig, p.stderr.String())
			}
			if !strings.Contains(p.stderr.String(), "interrupted") {
				t.Errorf("stderr does not say it was interrupted: %q", p.stderr.String())
			}
			if got := files(t, dir); len(got) != 0 {
				t.Fatalf("after %v the directory holds %v, want nothing", sig, got)
			}
			if r := lifeboat(t, nil, "--config", cfg, "list", "--json"); r.code != 0 || len(jsonOf(t, r)["backups"].([]any)) != 0 {
				t.Errorf("list after an interrupted dump: exit %d, %s", r.code, r.stdout)
			}
			a := auditLines(t, dir)
			if len(a) != 1 || a[0]["action"] != "create" || a[0]["result"] != "cancelled" {
				t.Errorf("audit log after %v: %v; want one create line, result cancelled", sig, a)
			}
		})
	}
}

// TestSIGHUPDuringRestoreCompletes: a restore that has started runs to
// the end when the SSH session drops, and the audit log says it worked.
// The first SIGHUP lands while the safety backup waits on a table lock
// the test holds (the restore has begun); the second while rows load.
func TestSIGHUPDuringRestoreCompletes(t *testing.T) {
	f := newFixture(t, "")
	addBigTable(t, f)
	name := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	want := checksum(t, f.db, "customers", "orders", "big")
	f.db.MustExec(t, "DELETE FROM big WHERE id > 1000", "UPDATE customers SET name='changed'")

	gate := holdTable(t, f, "big")
	p := f.start(t, f.config, "restore", name, "--yes", "--json")
	gate.waitBlocked(t, p, f)
	if !hasPartial(t, f.dir) {
		t.Fatalf("the safety backup waits on the lock but there is no .partial: %v", files(t, f.dir))
	}
	// Ignored signals are dropped by the kernel when sent: no race with
	// the signal's delivery.
	if !ignoresSignal(t, p.cmd.Process.Pid, int(syscall.SIGHUP)) {
		t.Error("the restore has begun but SIGHUP is not ignored")
	}
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	gate.release()
	waitFor(t, p, "rows being loaded", func() bool {
		var n int
		return countSuffix(t, f.dir, ".json") == 2 && f.db.QueryRow("SELECT COUNT(*) FROM big").Scan(&n) == nil && n > 0 && n < 300000
	})
	p.cmd.Process.Signal(syscall.SIGHUP)
	if code := p.wait(t); code != 0 {
		t.Fatalf("restore after SIGHUP: exit %d, stdout %q, stderr %q", code, p.stdout.String(), p.stderr.String())
	}
	if got := checksum(t, f.db, "customers", "orders", "big"); got != want {
		t.Fatalf("after the restore: %s, want %s", got, want)
	}
	var last map[string]any
	for _, a := range auditLines(t, f.dir) {
		if a["action"] == "restore" {
			last = a
		}
	}
	if last == nil || last["result"] != "ok" || last["object"] != name {
		t.Fatalf("audit log: last restore line %v, want result ok for %s", last, name)
	}
	manifestMatches(t, f.dir)
}

// TestTwoCLIBackupsAtOnce: two processes back up at the same moment; each
// produces a valid backup, or one is refused clearly.
func TestTwoCLIBackupsAtOnce(t *testing.T) {
	f := newFixture(t, "")
	f.db.MustExec(t, "CREATE TABLE mid (id INT PRIMARY KEY, v VARCHAR(64))",
		"INSERT INTO mid SELECT seq, MD5(seq) FROM seq_1_to_50000")
	var wg sync.WaitGroup
	results := make([]result, 2)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = f.run(t, "backup", "--json")
		}(i)
	}
	wg.Wait()
	ok := map[string]bool{}
	for i, r := range results {
		out := jsonOf(t, r)
		if r.code == 0 {
			ok[out["backup"].(map[string]any)["filename"].(string)] = true
			continue
		}
		if out["code"] != "busy" || !strings.Contains(fmt.Sprint(out["error"]), "backup") {
			t.Errorf("backup %d failed without a clear refusal: code %d, %v", i, r.code, out)
		}
	}
	if len(ok) == 0 {
		t.Fatal("neither backup succeeded")
	}
	if countSuffix(t, f.dir, ".sql.gz") != len(ok) {
		t.Errorf("directory holds %v, want the %d successful backups", files(t, f.dir), len(ok))
	}
	manifestMatches(t, f.dir)
	for _, b := range f.json(t, "list")["backups"].([]any) {
		if st := b.(map[string]any)["state"]; st != "complete" {
			t.Errorf("after concurrent backups: %v", b)
		}
	}
}

// TestCLIPruneWhileBackupRuns: prune from another process while a backup
// writes: the running backup ends whole, prune either waits or is refused
// clearly, and what is kept is intact. The backup is caught mid-dump on a
// table lock, then frozen (SIGSTOP) with its directory lock and .partial
// held for the whole of prune's run, so the two surely overlap and prune,
// having waited its 10 s, must be refused as busy (issue 21 item 14).
func TestCLIPruneWhileBackupRuns(t *testing.T) {
	f := newFixture(t, "")
	for i := 0; i < 3; i++ {
		f.json(t, "backup")
		time.Sleep(1100 * time.Millisecond) // distinct names
	}
	addBigTable(t, f)
	gate := holdTable(t, f, "big")
	p := f.start(t, f.config, "backup", "--json")
	gate.waitBlocked(t, p, f)
	if !hasPartial(t, f.dir) {
		t.Fatalf("the backup waits on the lock but there is no .partial: %v", files(t, f.dir))
	}
	// Frozen, the backup holds its locks but no server-side wait can time
	// out: once the table is free the server just fills the socket.
	if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	gate.release()
	pr := f.run(t, "prune", "--keep", "1", "--yes", "--json")
	if err := p.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	noPanic(t, "prune", pr)
	prOut := jsonOf(t, pr)
	if pr.code != 1 || prOut["code"] != "busy" || !strings.Contains(fmt.Sprint(prOut["error"]), "backup pid") {
		t.Errorf("prune during a backup: code %d, %v; want a clear busy refusal naming the backup", pr.code, prOut)
	}
	if code := p.wait(t); code != 0 {
		t.Fatalf("backup during prune: exit %d, %q", code, p.stderr.String())
	}
	var out map[string]any
	json.Unmarshal(p.stdout.Bytes(), &out)
	newest := out["backup"].(map[string]any)["filename"].(string)
	if _, err := os.Stat(filepath.Join(f.dir, newest)); err != nil {
		t.Fatalf("prune removed the backup that was being written: %v", err)
	}
	manifestMatches(t, f.dir)
	if v := f.json(t, "verify", newest); v["success"] != true {
		t.Errorf("the backup taken during prune does not verify: %v", v)
	}
}

// TestMalformedManifestIsRefused: a damaged manifest makes the backup
// incomplete in list, and verify and restore refuse it clearly.
func TestMalformedManifestIsRefused(t *testing.T) {
	f := newFixture(t, "")
	name := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	before := checksum(t, f.db, "customers", "orders")
	f.db.MustExec(t, "UPDATE customers SET name='after backup'")
	changed := checksum(t, f.db, "customers", "orders")
	_ = before
	mpath := filepath.Join(f.dir, name+".json")
	good, _ := os.ReadFile(mpath)
	for _, bad := range []string{
		string(good[:len(good)/2]),
		`{"format_version": "one", "sha256": 7}`,
		`{"format_version":1,"filename":"` + name + `","sha256":"` + strings.Repeat("0", 64) + `","size":1e400}`,
		"\x00\xff not json",
		`[]`,
	} {
		if err := os.WriteFile(mpath, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		l := f.json(t, "list")["backups"].([]any)[0].(map[string]any)
		if l["state"] != "incomplete" {
			t.Errorf("manifest %q: list state %v, want incomplete", bad, l["state"])
		}
		v := f.run(t, "verify", name, "--json")
		noPanic(t, "verify", v)
		if out := jsonOf(t, v); v.code != 1 || out["success"] != false {
			t.Errorf("verify with manifest %q: code %d, %v", bad, v.code, out)
		}
		r := f.run(t, "restore", name, "--yes", "--json")
		noPanic(t, "restore", r)
		out := jsonOf(t, r)
		if r.code != 1 || !strings.Contains(fmt.Sprint(out["error"]), "manifest") {
			t.Errorf("restore with manifest %q: code %d, %v; want a refusal naming the manifest", bad, r.code, out)
		}
		if checksum(t, f.db, "customers", "orders") != changed {
			t.Fatalf("restore with a damaged manifest changed the database")
		}
	}
}

// TestMalformedProjectBackupIsRefused: damaged project JSON gives clear
// errors from project backups and project restore, never a panic, and
// the database is not touched.
func TestMalformedProjectBackupIsRefused(t *testing.T) {
	// compression none: the damage is done to the JSON text.
	f := newFixture(t, "compression = \"none\"\n\n[projects]\ntable = \"projects\"\n")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"INSERT INTO projects VALUES (1,'Apollo')",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, title VARCHAR(40), FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO tasks VALUES (1,1,'launch'),(2,1,'orbit')")
	b := f.json(t, "project", "backup", "1")["backup"].(map[string]any)
	good, err := os.ReadFile(b["filepath"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if dst := os.Getenv("LIFEBOAT_SAVE_PROJECT_BACKUP"); dst != "" {
		os.WriteFile(dst, good, 0o600)
	}
	f.db.MustExec(t, "UPDATE tasks SET title='changed'")
	want := checksum(t, f.db, "projects", "tasks")
	s := string(good)
	damaged := map[string]string{
		"truncated":    s[:len(s)*2/3],
		"rows_string":  strings.Replace(s, `"rows": 2`, `"rows": "two"`, 1),
		"rows_huge":    strings.Replace(s, `"rows": 2`, `"rows": 1e999`, 1),
		"rows_big_int": strings.Replace(s, `"rows": 2`, `"rows": 99999999999999999999999`, 1),
		"id_object":    strings.Replace(s, `"project_id": 1`, `"project_id": {"x": [1]}`, 1),
		"tables_array": strings.Replace(s, `"tables": {`, `"tables": [{`, 1),
		"data_array":   strings.Replace(s, `"data": {`, `"data": [{`, 1),
		"not_json":     "\x00\x01garbage",
		"empty":        "",
	}
	dir := filepath.Dir(b["filepath"].(string))
	at := time.Date(2001, 1, 1, 0, 0, 0, 0, time.Local)
	for what, body := range damaged {
		if body == s {
			t.Fatalf("%s: the damage did not apply (format changed?)", what)
		}
		at = at.Add(time.Second)
		name := "project_1_backup_" + at.Format("2006-01-02_15-04-05") + ".json"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		r := f.run(t, "project", "restore", "1", name, "--yes", "--json")
		noPanic(t, what+": project restore", r)
		out := jsonOf(t, r)
		if r.code != 1 || out["success"] != false || !strings.Contains(fmt.Sprint(out["error"]), name) {
			t.Errorf("%s: project restore: code %d, %v; want a clear error naming the file", what, r.code, out)
		}
		if got := checksum(t, f.db, "projects", "tasks"); got != want {
			t.Fatalf("%s: a damaged project backup changed the database", what)
		}
		// project backups reads only the metadata: damage to the data shows
		// at restore, damage to the metadata shows here too.
		lr := f.run(t, "project", "backups", "1", "--json")
		noPanic(t, what+": project backups", lr)
		if lr.code != 0 {
			t.Errorf("%s: project backups exit %d: %s", what, lr.code, lr.stderr)
			continue
		}
		found := false
		for _, e := range jsonOf(t, lr)["backups"].([]any) {
			m := e.(map[string]any)
			if m["filename"] == name {
				found = true
				if (m["error"] == "" || m["error"] == nil) && what != "data_array" && what != "truncated" {
					t.Errorf("%s: project backups lists the damaged file without saying so: %v", what, m)
				}
			}
		}
		if !found {
			t.Errorf("%s: project backups does not list %s", what, name)
		}
		os.Remove(filepath.Join(dir, name))
	}
	// The real backup still lists cleanly.
	for _, e := range f.json(t, "project", "backups", "1")["backups"].([]any) {
		if m := e.(map[string]any); m["error"] != "" {
			t.Errorf("good backup listed with an error: %v", m)
		}
	}
}

// TestHostileNamesRoundTrip: database and table names with backticks and
// quotes are data, never SQL: backed up and restored exactly.
func TestHostileNamesRoundTrip(t *testing.T) {
	f := newFixture(t, "")
	// database.name may not hold a backtick (the config refuses it); quotes
	// and spaces it may. Table, column and view names take anything.
	dbName := f.db.Name + " q'\"x"
	root, err := f.db.Server.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	q := func(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }
	const table = "we`ird 'name\""
	for _, s := range []string{
		"CREATE DATABASE " + q(dbName),
		"CREATE TABLE " + q(dbName) + "." + q(table) + " (" + q("co`l '1\"") + " INT PRIMARY KEY, v VARCHAR(40))",
		"INSERT INTO " + q(dbName) + "." + q(table) + " VALUES (1, 'a`b''c\"d'), (2, NULL)",
		"CREATE VIEW " + q(dbName) + "." + q("v`'\"") + " AS SELECT v FROM " + q(dbName) + "." + q(table),
	} {
		if _, err := root.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	defer root.Exec("DROP DATABASE IF EXISTS " + q(dbName))
	cfg := writeConfig(t, fmt.Sprintf("[database]\nsocket = %q\nuser = \"root\"\nname = %q\n\n[backup]\ndir = %q\n",
		f.db.Server.Socket, dbName, f.dir), 0o600)
	sum := func() string {
		var n, s string
		if err := root.QueryRow("CHECKSUM TABLE "+q(dbName)+"."+q(table)+" EXTENDED").Scan(&n, &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := sum()
	b := lifeboat(t, nil, "--config", cfg, "backup", "--json")
	if b.code != 0 {
		t.Fatalf("backup of %q: %s %s", dbName, b.stdout, b.stderr)
	}
	name := jsonOf(t, b)["backup"].(map[string]any)["filename"].(string)
	if _, err := root.Exec("DELETE FROM " + q(dbName) + "." + q(table)); err != nil {
		t.Fatal(err)
	}
	r := lifeboat(t, nil, "--config", cfg, "restore", name, "--yes", "--json")
	if r.code != 0 {
		t.Fatalf("restore of %q: %s %s", dbName, r.stdout, r.stderr)
	}
	if got := sum(); got != want {
		t.Fatalf("table %q after restore: checksum %s, want %s", table, got, want)
	}
	var v string
	if err := root.QueryRow("SELECT v FROM " + q(dbName) + "." + q("v`'\"") + " WHERE v IS NOT NULL").Scan(&v); err != nil || v != "a`b'c\"d" {
		t.Fatalf("view after restore: %q %v", v, err)
	}
}

// TestNULInNameRefused: a NUL byte cannot come through argv from a shell,
// but run() must refuse it wherever it comes from, for every NAME command.
func TestNULInNameRefused(t *testing.T) {
	f := newFixture(t, "")
	name := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	before := files(t, f.dir)
	for _, cmd := range [][]string{
		{"delete", name + "\x00", "--yes"},
		{"delete", "x\x00/../" + name, "--yes"},
		{"verify", name + "\x00"},
		{"restore", name + "\x00.sql.gz", "--yes"},
		{"cat", "\x00" + name},
	} {
		var out, errb bytes.Buffer
		code := run(append([]string{"--config", f.config, "--json"}, cmd...), strings.NewReader(""), &out, &errb)
		var res map[string]any
		json.Unmarshal(out.Bytes(), &res)
		if code != 1 || res["code"] != "bad_name" {
			t.Errorf("%q: exit %d, %v; want a bad_name refusal", cmd, code, res)
		}
	}
	if got := files(t, f.dir); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Errorf("directory changed: %v, was %v", got, before)
	}
}

// TestPasswordNeverShown: the password from a 0600 config never appears
// in the command lines of lifeboat and its children, nor in the audit log,
// stdout, stderr or --json errors.
func TestPasswordNeverShown(t *testing.T) {
	f := newFixture(t, "")
	addBigTable(t, f)
	const password = "S3cret-XYZ"
	user := "lb" + strconv.Itoa(os.Getpid()%100000)
	f.db.MustExec(t, "CREATE USER '"+user+"'@'localhost' IDENTIFIED BY '"+password+"'",
		"GRANT ALL ON *.* TO '"+user+"'@'localhost'")
	defer f.db.Exec("DROP USER '" + user + "'@'localhost'")
	body := func(db, pw string) string {
		return fmt.Sprintf("[database]\nsocket = %q\nuser = %q\npassword = %q\nname = %q\n\n[backup]\ndir = %q\n",
			f.db.Server.Socket, user, pw, db, f.dir)
	}
	cfg := writeConfig(t, body(f.db.Name, password), 0o600)

	p := f.start(t, cfg, "backup")
	seen := 0
	for p.running() {
		for _, pid := range processTree(p.cmd.Process.Pid) {
			b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
			if err != nil {
				continue
			}
			seen++
			if bytes.Contains(b, []byte(password)) {
				t.Errorf("password in /proc/%d/cmdline: %q", pid, b)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code := p.wait(t); code != 0 {
		t.Fatalf("backup as %s: exit %d: %s", user, code, p.stderr.String())
	}
	if seen == 0 {
		t.Fatal("never saw the process's command line")
	}
	outputs := []string{p.stdout.String(), p.stderr.String()}
	for _, c := range []struct{ db, pw string }{{"no_such_db_x", password}, {f.db.Name, password + "-wrong"}} {
		bad := writeConfig(t, body(c.db, c.pw), 0o600)
		for _, args := range [][]string{{"backup", "--json"}, {"backup"}, {"status", "--json"}, {"restore", "nope.sql.gz", "--yes", "--json"}} {
			r := lifeboat(t, []string{"HOME=" + t.TempDir()}, append([]string{"--config", bad}, args...)...)
			outputs = append(outputs, r.stdout, r.stderr)
			if args[0] == "backup" && r.code == 0 {
				t.Errorf("backup with %+v succeeded", c)
			}
		}
	}
	audit, _ := os.ReadFile(filepath.Join(f.dir, "audit.log"))
	outputs = append(outputs, string(audit))
	if !strings.Contains(string(audit), user) {
		t.Errorf("audit log does not record the MySQL user %s", user)
	}
	for _, o := range outputs {
		if strings.Contains(o, password) {
			t.Errorf("password shown: %q", o)
		}
	}
}

// processTree is pid and its descendants, from /proc/*/task/*/children.
func processTree(pid int) []int {
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", out[i]))
		for _, task := range tasks {
			b, _ := os.ReadFile(task)
			for _, f := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(f); err == nil {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// TestAccessRulesForEachAction: for every action, a rule naming a group
// nobody has refuses it (exit 1, code access_denied, the rule and the
// user named, nothing changed), and a rule with "*" allows it.
func TestAccessRulesForEachAction(t *testing.T) {
	f := newFixture(t, "\n[projects]\ntable = \"projects\"\n")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"INSERT INTO projects VALUES (1,'Apollo')",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO tasks VALUES (1,1),(2,1)")
	full := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	time.Sleep(1100 * time.Millisecond)
	f.json(t, "backup")
	pb := f.json(t, "project", "backup", "1")["backup"].(map[string]any)["filename"].(string)
	login := who.Current().Login
	base, _ := os.ReadFile(f.config)

	cases := []struct {
		action string
		args   []string
	}{
		{"create", []string{"backup"}},
		{"verify", []string{"verify", full}},
		{"restore", []string{"restore", full, "--yes"}},
		{"delete", []string{"delete", full, "--yes"}},
		{"prune", []string{"prune", "--keep", "1", "--yes"}},
		{"project_backup", []string{"project", "backup", "1"}},
		{"project_restore", []string{"project", "restore", "1", pb, "--yes"}},
		{"project_delete", []string{"project", "delete", "1", pb, "--yes"}},
	}
	snapshot := func() string {
		var sb strings.Builder
		filepath.WalkDir(f.dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && d.Name() != "audit.log" {
				st, _ := d.Info()
				fmt.Fprintf(&sb, "%s %d %v\n", p, st.Size(), st.ModTime().UnixNano())
			}
			return nil
		})
		return sb.String() + checksum(t, f.db, "projects", "tasks")
	}
	for _, c := range cases {
		t.Run(c.action, func(t *testing.T) {
			denied := writeConfig(t, string(base)+"\n[access]\n"+c.action+" = [\"@nobody-group-xyz\", \"nobody-user-xyz\"]\n", 0o600)
			before := snapshot()
			r := lifeboat(t, []string{"HOME=" + t.TempDir()}, append([]string{"--config", denied, "--json"}, c.args...)...)
			out := jsonOf(t, r)
			msg := fmt.Sprint(out["error"])
			if r.code != 1 || out["code"] != "access_denied" || !strings.Contains(msg, "access."+c.action) ||
				!strings.Contains(msg, strconv.Quote(login)) || !strings.Contains(msg, "@nobody-group-xyz") {
				t.Fatalf("%s under a rule for nobody: exit %d, %v", c.action, r.code, out)
			}
			if after := snapshot(); after != before {
				t.Fatalf("a refused %s changed something:\nbefore %s\nafter  %s", c.action, before, after)
			}
			allowed := writeConfig(t, string(base)+"\n[access]\n"+c.action+" = [\"@nobody-group-xyz\", \"*\"]\n", 0o600)
			r = lifeboat(t, []string{"HOME=" + t.TempDir()}, append([]string{"--config", allowed, "--json"}, c.args...)...)
			if out := jsonOf(t, r); r.code != 0 || out["success"] == false {
				t.Fatalf("%s with \"*\": exit %d, %v", c.action, r.code, out)
			}
		})
	}
}

// TestStatusShowsPrivileges: status reports, for a restricted account,
// what each action lacks, in text and JSON.
func TestStatusShowsPrivileges(t *testing.T) {
	f := newFixture(t, "")
	user := "ro" + strconv.Itoa(os.Getpid()%100000)
	f.db.MustExec(t, "CREATE USER '"+user+"'@'localhost' IDENTIFIED BY 'pw-Status-1'",
		"GRANT SELECT, SHOW VIEW, TRIGGER, EVENT ON `"+f.db.Name+"`.* TO '"+user+"'@'localhost'")
	defer f.db.Exec("DROP USER '" + user + "'@'localhost'")
	cfg := writeConfig(t, fmt.Sprintf("[database]\nsocket = %q\nuser = %q\npassword = \"pw-Status-1\"\nname = %q\n\n[backup]\ndir = %q\n",
		f.db.Server.Socket, user, f.db.Name, f.dir), 0o600)
	r := lifeboat(t, nil, "--config", cfg, "status", "--json")
	out := jsonOf(t, r)
	pv, ok := out["privileges"].(map[string]any)
	if r.code != 0 || !ok || pv["account"] != user+"@localhost" {
		t.Fatalf("status --json privileges: code %d, %v", r.code, out["privileges"])
	}
	acts := map[string]map[string]any{}
	for _, a := range pv["actions"].([]any) {
		m := a.(map[string]any)
		acts[m["action"].(string)] = m
	}
	if c := acts["create"]; c["ok"] != true || fmt.Sprint(c["lacks"]) != "[RELOAD]" {
		t.Errorf("create: %v", c)
	}
	if rs := acts["restore"]; rs["ok"] != false || !strings.Contains(fmt.Sprint(rs["missing"]), "DROP") {
		t.Errorf("restore: %v", rs)
	}
	txt := lifeboat(t, nil, "--config", cfg, "status")
	if txt.code != 0 || !strings.Contains(txt.stdout, user+"@localhost") || !strings.Contains(txt.stdout, "restore") ||
		!strings.Contains(txt.stdout, "lacks CREATE, DROP") {
		t.Errorf("status text does not show what restore lacks:\n%s", txt.stdout)
	}
	// root lacks nothing.
	if pr := f.json(t, "status")["privileges"].(map[string]any); pr["account"] != "root@localhost" {
		t.Errorf("root: %v", pr)
	} else {
		for _, a := range pr["actions"].([]any) {
			if a.(map[string]any)["ok"] != true {
				t.Errorf("root lacks privileges: %v", a)
			}
		}
	}
}

// TestSIGINTMidRestoreSaysWhatItLeft: Ctrl-C while a restore loads rows
// stops it (exit 130), and the message names the safety backup that
// brings the database back, never "nothing was left half-written".
func TestSIGINTMidRestoreSaysWhatItLeft(t *testing.T) {
	f := newFixture(t, "")
	addBigTable(t, f)
	name := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	p := f.start(t, f.config, "restore", name, "--yes")
	// Two manifests: the backup's and the safety backup's; then the load.
	waitFor(t, p, "the safety backup", func() bool { return countSuffix(t, f.dir, ".json") == 2 })
	waitFor(t, p, "rows being loaded", func() bool {
		var n int
		return f.db.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'big'", f.db.Name).Scan(&n) == nil && n == 1 &&
			f.db.QueryRow("SELECT COUNT(*) FROM big").Scan(&n) == nil && n > 0 && n < 300000 // the new table, filling
	})
	p.cmd.Process.Signal(syscall.SIGINT)
	if code := p.wait(t); code != 130 {
		t.Fatalf("exit %d, want 130; stderr %q", code, p.stderr.String())
	}
	msg := p.stderr.String()
	var safety string
	for _, n := range files(t, f.dir) {
		if strings.HasSuffix(n, ".sql.gz") && n != name {
			safety = n
		}
	}
	if safety == "" || !strings.Contains(msg, "lifeboat restore "+safety) || strings.Contains(msg, "nothing was left") {
		t.Fatalf("interrupted restore said %q; want the partial state and the safety backup %s", msg, safety)
	}
	a := auditLines(t, f.dir)
	if last := a[len(a)-1]; last["action"] != "restore" || last["result"] == "ok" {
		t.Errorf("audit: %v", last)
	}
}

// TestSecondConfigRefused: with a sudo rule such as
// `lifeboat --config /etc/lifeboat/config.toml *`, a second --config must
// not replace the fixed one (it would drop its [access] rules).
func TestSecondConfigRefused(t *testing.T) {
	f := newFixture(t, "\n[access]\ndelete = [\"@nobody-group-xyz\"]\n")
	open := writeConfig(t, fmt.Sprintf("[database]\nsocket = %q\nuser = \"root\"\nname = %q\n\n[backup]\ndir = %q\n",
		f.db.Server.Socket, f.db.Name, f.dir), 0o600)
	name := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	for _, second := range [][]string{{"--config", open}, {"--config=" + open}} {
		r := f.run(t, append(append([]string{}, second...), "delete", name, "--yes")...)
		if r.code != 2 || !strings.Contains(r.stderr, "--config given more than once") {
			t.Errorf("second %v: exit %d, stderr %q", second, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(f.dir, name)); err != nil {
		t.Fatalf("the backup was deleted through a second --config: %v", err)
	}
}
