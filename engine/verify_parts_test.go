package engine

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/verify"
)

// verify of a foreign file of several databases (mariadb-dump
// --all-databases, --databases a b) checks it part by part, as restore
// plans it: every application database with its tables and rows, the
// system schema left alone, the account statements counted; not the
// one-database verdict that restore would refuse (issue 17).
func TestVerifyForeignDumpOfSeveralDatabases(t *testing.T) {
	src := newServerFixture(t)
	e := serverEngine(t, src, serverDatabases, true)
	dir := e.Cfg.Backup.Dir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	execAll(t, src, "", "DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1')", "FLUSH PRIVILEGES")
	dump := func(name string, args ...string) {
		cmd := exec.Command("mariadb-dump", append([]string{"--no-defaults", "--socket=" + src.Socket, "-uroot"}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("mariadb-dump %v: %v: %s", args, err, stderr.String())
		}
		if err := os.WriteFile(filepath.Join(dir, name), out, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dump("all.sql", "--all-databases", "--routines", "--events", "--system=users")
	dump("three.sql", "--databases", "blog", "crm", "shop", "--routines")
	ctx := context.Background()
	for _, c := range []struct{ name, want, notWant string }{
		{"all.sql", "4 databases, each read through a gate of its own, as restore reads them: blog (2 tables, 3 rows), crm (1 table, 3 rows), other (0 tables, 0 rows), shop (2 tables, 5 rows); left alone (system schema): mysql; ", ""},
		{"three.sql", "3 databases, each read through a gate of its own, as restore reads them: blog (2 tables, 3 rows), crm (1 table, 3 rows), shop (2 tables, 5 rows)", "account statements"},
	} {
		res, err := e.Verify(ctx, c.name, VerifyOptions{}, nil)
		if err != nil {
			t.Fatalf("verify %s: %v", c.name, err)
		}
		var got string
		for _, ch := range res.Checks {
			if ch.Name == verify.CheckDatabases {
				got = ch.Detail
			}
		}
		if !res.OK || !strings.Contains(got, c.want) || (c.notWant != "" && strings.Contains(got, c.notWant)) {
			t.Errorf("verify %s: ok=%v databases %q, want %q; checks %+v", c.name, res.OK, got, c.want, res.Checks)
		}
	}
	// verify --restore loads each database under its own name, as restore
	// would, and compares every table's rows with the file's.
	for name, copyHolds := range map[string]string{"all.sql": "the copy holds 4 databases, 5 tables, 1 view, 1 procedure, 1 function",
		"three.sql": "the copy holds 3 databases, 5 tables, 1 view, 1 procedure, 1 function"} {
		res, err := e.Verify(ctx, name, VerifyOptions{Restore: true}, nil)
		if err != nil {
			t.Fatalf("verify --restore %s: %v", name, err)
		}
		details := fmt.Sprintf("%+v", res.Checks)
		if !res.OK || !strings.Contains(details, "Name:restored row counts OK:true Detail:11 rows in 5 tables match the file") ||
			!strings.Contains(details, copyHolds) {
			t.Errorf("verify --restore %s: ok=%v %s", name, res.OK, details)
		}
	}
	// verify --file of a copy elsewhere reads it the same way.
	res, err := e.VerifyFile(ctx, filepath.Join(dir, "three.sql"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ch := range res.Checks {
		found = found || (ch.Name == verify.CheckAllowed && ch.OK && strings.Contains(ch.Detail, "each database's part only"))
	}
	if !found {
		t.Errorf("verify --file did not read the parts: %+v", res.Checks)
	}
}
