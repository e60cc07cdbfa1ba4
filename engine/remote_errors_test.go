package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestRemote08BadRemoteSaysWhatToFixWithoutTheSecret: a remote with a
// wrong secret, an unknown access key or a missing bucket does not fail
// the backup; the backup's warning, status, check and the audit log each
// say what to fix, and none of them holds a secret (the right one or the
// wrong one).
func TestRemote08BadRemoteSaysWhatToFixWithoutTheSecret(t *testing.T) {
	srv := s3test.Start(t)
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)")
	const wrong = "WrongSecretValue4242"
	cases := []struct {
		name, want string
		bad        func(*config.Remote)
	}{
		{"wrong secret", "the secret key is wrong: fix secret_access_key", func(r *config.Remote) { r.SecretAccessKey = wrong }},
		{"unknown key id", "fix access_key_id", func(r *config.Remote) { r.AccessKeyID = "nobody" }},
		{"missing bucket", `bucket "nosuchbucket" does not exist: create it or fix bucket`, func(r *config.Remote) { r.Bucket = "nosuchbucket" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := backupEngine(t, d, "gzip")
			r := srv.Remote("offsite", "db1/")
			c.bad(&r)
			e.Cfg.Remotes = []config.Remote{r}
			ctx := context.Background()
			res, err := e.Backup(ctx, BackupOptions{}, nil)
			if err != nil {
				t.Fatalf("backup with a bad remote: %v", err)
			}
			if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], OffsiteFailedPrefix) || !strings.Contains(res.Warnings[0], c.want) {
				t.Fatalf("warnings %q, want %q", res.Warnings, c.want)
			}
			st, err := e.Status(ctx)
			if err != nil || len(st.Remotes) != 1 || st.Remotes[0].Reachable || !strings.Contains(st.Remotes[0].Error, c.want) {
				t.Fatalf("status remotes %+v (%v), want %q", st.Remotes, err, c.want)
			}
			ck, _ := e.Check(ctx, CheckOptions{})
			if ck.Status != CheckWarning || !strings.Contains(ck.Summary, c.want) {
				t.Fatalf("check: %s %q, want a warning with %q", ck.Status, ck.Summary, c.want)
			}
			log, err := os.ReadFile(filepath.Join(e.dir(), audit.FileName))
			if err != nil || !strings.Contains(string(log), strings.ReplaceAll(c.want, `"`, `\"`)) { // JSON lines
				t.Fatalf("audit log (%v) lacks %q:\n%s", err, c.want, log)
			}
			all := strings.Join(append(res.Warnings, st.Remotes[0].Error, ck.Summary, string(log), fmt.Sprint(st.Warnings)), "\n")
			for _, secret := range []string{srv.Secret, wrong} {
				if strings.Contains(all, secret) {
					t.Fatalf("a secret is shown:\n%s", all)
				}
			}
		})
	}
}
