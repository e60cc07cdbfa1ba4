package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// standIn plays lifeboat's command line (backup --json, restore NAME
// --into DB --yes --json) with the stock tools, so the runner is tested
// whatever state the real binary is in. Its restore refuses an empty
// target (the bench must fill it first) and plays a swap: it keeps a
// __lifeboat_prev_ schema and reports LB_MODE (default swap) and a 7 ms
// window.
const standIn = `#!/bin/sh
case "$3" in
backup)
  name=backup_2026-01-02_03-04-05.sql.gz
  mariadb-dump --no-defaults --socket="$LB_SOCKET" --user=root --single-transaction "$LB_DB" | gzip > "$LB_DIR/$name" || exit 1
  printf '{"success":true,"message":"ok","backup":{"filename":"%s","filepath":"%s","filesize":%s}}\n' "$name" "$LB_DIR/$name" "$(stat -c %s "$LB_DIR/$name")";;
restore)
  [ $# = 8 ] && [ "$5" = "--into" ] && [ "$7" = "--yes" ] && [ "$8" = "--json" ] || { echo "bad args: $*" >&2; exit 2; }
  sql() { mariadb --no-defaults --socket="$LB_SOCKET" --user=root "$@"; }
  n=$(sql -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$6'") || exit 1
  [ "$n" -gt 0 ] || { echo '{"success":false,"error":"stand-in: the target was not filled before the restore"}'; exit 1; }
  prev="$6__lifeboat_prev_20260102T030405"
  sql -e "CREATE DATABASE $prev" || exit 1
  gzip -dc "$LB_DIR/$4" | sql "$6" || exit 1
  printf '{"success":true,"message":"restored","restore":{"mode":"%s","mode_reason":"","swap_window_ms":7,"previous":"%s"}}\n' "${LB_MODE:-swap}" "$prev";;
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
	r := b.restoreOnce(ctx, lb, artifact, &mismatches, io.Discard)
	if r.Err != nil || mismatches != 0 || r.Mode != "swap" || r.Window != 7*time.Millisecond {
		t.Fatalf("restore: err %v, mismatches %d, mode %q, window %v", r.Err, mismatches, r.Mode, r.Window)
	}
	target := fmt.Sprintf("restore_%d", b.restores)
	var left int
	if err := b.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE LEFT(SCHEMA_NAME, ?) = ?", len(target), target).Scan(&left); err != nil || left != 0 {
		t.Errorf("after the restore: %d schemas %s* left (the target and its kept tables are dropped untimed), err %v", left, target, err)
	}
	// A restore that fell back to in place is not the row the bench quotes.
	t.Setenv("LB_MODE", "in-place")
	if r := b.restoreOnce(ctx, lb, artifact, &mismatches, io.Discard); r.Err == nil || !strings.Contains(r.Err.Error(), `mode "in-place"`) {
		t.Errorf("in-place restore: err %v, want a mode error", r.Err)
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
