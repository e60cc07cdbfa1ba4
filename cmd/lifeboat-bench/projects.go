package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// Per-project targets from the project issue, for the demo's largest
// project (~5k strings, ~20k translations).
const (
	projectBackupTarget  = 1.0 // seconds
	projectRestoreTarget = 3.0
	benchProjectID       = "1"
)

// benchProjects measures `lifeboat project backup` and `project restore`
// of the demo's largest project on the demo schema at full scale, in a
// throwaway server of its own, and checks the restore with CHECKSUM TABLE.
func benchProjects(ctx context.Context, binary string, runs int, stdout, log io.Writer) (mismatches int, err error) {
	d, err := engine.StartDemo(ctx, func(s string) { fmt.Fprintln(log, "projects: "+s) })
	if err != nil {
		return 0, err
	}
	defer d.Stop()
	srv, cfgPath := d.Server(), d.Config
	db, err := srv.Open("app")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	before, err := tableChecksums(ctx, db, "app")
	if err != nil {
		return 0, err
	}
	backups, restores := &series{name: "project backup"}, &series{name: "project restore"}
	for i := 0; i < runs && ctx.Err() == nil; i++ {
		s, reply := runProjectCmd(ctx, srv, binary, cfgPath, "project", "backup", benchProjectID)
		backups.add(s)
		name := reply.Backup.Filename
		if s.Err != nil || name == "" {
			continue
		}
		// Damage the project so the restore has real work: its strings'
		// translations go (about 20k rows), then the backup brings them back.
		if err := damageProject(ctx, db); err != nil {
			return mismatches, err
		}
		s, _ = runProjectCmd(ctx, srv, binary, cfgPath, "project", "restore", benchProjectID, name, "--yes")
		restores.add(s)
		after, err := tableChecksums(ctx, db, "app")
		if err != nil {
			return mismatches, err
		}
		if diff := compareChecksums(before, after); len(diff) > 0 {
			mismatches++
			for _, d := range diff {
				fmt.Fprintf(stdout, "MISMATCH after project restore: %s\n", d)
			}
		}
	}
	fmt.Fprintf(stdout, "\n### Per-project backup and restore (demo schema, project %s, %d runs)\n\n", benchProjectID, runs)
	fmt.Fprintln(stdout, "| action | wall (median) | peak RSS | target |\n|---|---:|---:|---|")
	for _, r := range []struct {
		s     *series
		limit float64
	}{{backups, projectBackupTarget}, {restores, projectRestoreTarget}} {
		if !r.s.ok() {
			fmt.Fprintf(stdout, "| %s | n/a: %v | | < %.0f s |\n", r.s.name, r.s.err, r.limit)
			continue
		}
		w := r.s.median(wall)
		verdict := "pass"
		if w >= r.limit {
			verdict = "FAIL"
		}
		fmt.Fprintf(stdout, "| %s | %.2f s | %.0f MiB | < %.0f s: %s |\n", r.s.name, w, r.s.median(rss)/(1<<20), r.limit, verdict)
	}
	return mismatches, ctx.Err()
}

func damageProject(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `DELETE t FROM translations t JOIN strings s ON s.id = t.string_id
		JOIN sections c ON c.id = s.section_id JOIN areas a ON a.id = c.area_id WHERE a.project_id = ?`, benchProjectID)
	return err
}

type projectReply struct {
	Success bool   `json:"success"`
	Error   string `json:"error"`
	Backup  struct {
		Filename string `json:"filename"`
	} `json:"backup"`
}

func runProjectCmd(ctx context.Context, srv *engine.Sandbox, binary, cfg string, args ...string) (sample, projectReply) {
	cmd := exec.CommandContext(ctx, binary, append([]string{"--config", cfg, "--json"}, args...)...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Env = append(os.Environ(), "HOME="+filepath.Dir(cfg)) // no operator ~/.my.cnf
	s := runPipeline(ctx, srv.Pid(), cmd)
	var reply projectReply
	if err := json.Unmarshal(out.Bytes(), &reply); err == nil && !reply.Success && s.Err == nil {
		s.Err = fmt.Errorf("%s", reply.Error)
	}
	return s, reply
}
