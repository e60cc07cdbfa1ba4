package engine

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestRemote08RetentionPerLocation: the remote keeps its own keep (2)
// while backup.dir keeps 20; the newest verified backup stays on the
// remote although it is beyond its keep; another tool's objects under the
// prefix, and a backup-named object with an unsigned manifest, stay.
func TestRemote08RetentionPerLocation(t *testing.T) {
	srv := s3test.Start(t)
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2)")
	e := remoteEngine(t, d, srv, "gzip")
	e.Cfg.Remotes[0].Keep = 2
	ctx := context.Background()
	foreign := []string{"db1/notes.txt", "db1/backup_2019-01-01_00-00-00.sql.gz", "db1/backup_2019-01-01_00-00-00.sql.gz.json"}
	var names []string
	for i := range 4 {
		res, err := e.Backup(ctx, BackupOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, res.Filename)
		if i == 0 {
			if vr, err := e.Verify(ctx, res.Filename, VerifyOptions{}, nil); err != nil || !vr.OK {
				t.Fatalf("verify: %+v %v", vr, err)
			}
			// Another tool's files, written through S3 like any client would.
			st, _ := e.openStore("")
			for _, k := range foreign {
				body := "{}"
				if !strings.HasSuffix(k, ".json") {
					body = "not lifeboat's"
				}
				if err := st.Put(ctx, strings.TrimPrefix(k, "db1/"), strings.NewReader(body), int64(len(body)), nil); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	objs, err := func() ([]string, error) {
		st, _ := e.openStore("")
		list, err := st.List(ctx)
		var out []string
		for _, o := range list {
			out = append(out, o.Name)
		}
		return out, err
	}()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{names[0], names[2], names[3], "notes.txt", "backup_2019-01-01_00-00-00.sql.gz", "backup_2019-01-01_00-00-00.sql.gz.json"} {
		if !slices.Contains(objs, want) {
			t.Errorf("remote lost %s: has %v", want, objs)
		}
	}
	for _, gone := range []string{names[1], names[1] + ".json"} {
		if slices.Contains(objs, gone) {
			t.Errorf("remote keeps %s beyond its keep of 2 (not the newest verified): %v", gone, objs)
		}
	}
	local, _ := e.entries()
	if len(local) != 4 {
		t.Fatalf("backup.dir keeps %d backups, want all 4 (keep 20)", len(local))
	}
	var pruneLines int
	for _, en := range auditActions(t, e.dir(), "prune") {
		if strings.Contains(en.Detail, "remote offsite") && en.Object == names[1] {
			pruneLines++
		}
	}
	if pruneLines != 1 {
		t.Fatalf("want one audited remote prune of %s: %+v", names[1], auditActions(t, e.dir(), "prune"))
	}
	res, err := e.Prune(ctx, PruneOptions{DryRun: true})
	if err != nil || len(res.Remotes) != 1 || res.Remotes[0].Keep != 2 || len(res.Remotes[0].Deleted) != 0 || res.Remotes[0].FilesBefore != 3 {
		t.Fatalf("dry run: %+v %v", res, err)
	}
}
