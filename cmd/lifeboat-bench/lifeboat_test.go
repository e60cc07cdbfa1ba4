package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// standIn plays lifeboat's command line (backup --json, restore NAME
// --into DB) with the stock tools, so the runner is tested whatever state
// the real binary is in.
const standIn = `#!/bin/sh
case "$3" in
backup)
  name=backup_2026-01-02_03-04-05.sql.gz
  mariadb-dump --no-defaults --socket="$LB_SOCKET" --user=root --single-transaction "$LB_DB" | gzip > "$LB_DIR/$name" || exit 1
  printf '{"success":true,"message":"ok","backup":{"filename":"%s","filepath":"%s","filesize":%s}}\n' "$name" "$LB_DIR/$name" "$(stat -c %s "$LB_DIR/$name")";;
restore)
  [ "$5" = "--into" ] && [ "$7" = "--yes" ] && [ "$8" = "--no-safety-backup" ] && [ "$9" = "--json" ] || { echo "bad args: $*" >&2; exit 2; }
  gzip -dc "$LB_DIR/$4" | mariadb --no-defaults --socket="$LB_SOCKET" --user=root "$6" || exit 1
  echo '{"success":true,"message":"restored"}';;
*) echo '{"success":false,"error":"unknown command","code":"usage"}'; exit 2;;
esac
`

func TestLifeboatRunnerWithStandIn(t *testing.T) {
	b := newTestBench(t)
	ctx := context.Background()
	bin := filepath.Join(b.work, "lifeboat-stand-in")
	if err := os.WriteFile(bin, []byte(standIn), 0o700); err != nil {
		t.Fatal(err)
	}
	b.prepareLifeboat(ctx, bin)
	if b.lifeboatErr != nil {
		t.Fatal(b.lifeboatErr)
	}
	t.Setenv("LB_SOCKET", b.srv.Socket)
	t.Setenv("LB_DB", b.src)
	t.Setenv("LB_DIR", b.lbBackups)

	var cfg struct {
		Database struct{ Socket, User, Name, Password string }
		Backup   struct{ Dir string }
	}
	st, err := os.Stat(b.lbConfig)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("config %s: %v, mode %v; want 0600", b.lbConfig, err, st.Mode().Perm())
	}
	if _, err := toml.DecodeFile(b.lbConfig, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Database.Socket != b.srv.Socket || cfg.Database.Name != b.src || cfg.Backup.Dir != b.lbBackups || cfg.Database.Password != "" {
		t.Errorf("config = %+v", cfg)
	}

	lb := tools()[3]
	s, artifact := lb.dump(b, ctx)
	if s.Err != nil || artifact != "backup_2026-01-02_03-04-05.sql.gz" || s.Size <= 0 {
		t.Fatalf("backup: err %v, artifact %q, size %d", s.Err, artifact, s.Size)
	}
	var mismatches int
	if r := b.restoreOnce(ctx, lb, artifact, &mismatches, io.Discard); r.Err != nil || mismatches != 0 {
		t.Fatalf("restore: err %v, mismatches %d", r.Err, mismatches)
	}

	// A failure reported in --json becomes the n/a reason.
	fail := "#!/bin/sh\necho '{\"success\":false,\"error\":\"backup: no space left on /backups\",\"code\":\"io\"}'\nexit 1\n"
	if err := os.WriteFile(bin, []byte(fail), 0o700); err != nil {
		t.Fatal(err)
	}
	s, artifact = lb.dump(b, ctx)
	if s.Err == nil || !strings.Contains(s.Err.Error(), "no space left") || artifact != "" {
		t.Errorf("failing lifeboat: err %v, artifact %q", s.Err, artifact)
	}
}
