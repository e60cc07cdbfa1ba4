package main

// Encryption rows (issue 14): a backup with [encryption] against a plain
// one, and the restore of each, interleaved. Targets: wall ≤ 1.05× plain
// both ways, peak RSS within 10 MB of the plain runs.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"
	"github.com/BurntSushi/toml"
)

func benchAge(ctx context.Context, b *bench, runs int, stdout, log io.Writer) (mismatches int, err error) {
	cfgPath, dir, err := b.writeAgeConfig()
	if err != nil {
		return 0, err
	}
	plain, enc := &series{name: "lifeboat backup"}, &series{name: "lifeboat backup, encrypted"}
	plainLoad, encLoad := &series{name: "lifeboat restore"}, &series{name: "lifeboat restore, encrypted"}
	var plainName, encName string
	for i := 0; i < runs && ctx.Err() == nil; i++ {
		s, name := b.lifeboatBackup(ctx)
		plain.add(s)
		if s.Err == nil {
			b.removeLifeboatBackup(plainName)
			plainName = name
		}
		s, name = b.withConfig(cfgPath, func() (sample, string) { return b.backupInto(ctx, dir) })
		enc.add(s)
		logSample(log, "backup", i+1, runs, enc.name, s)
		if s.Err == nil {
			removeBackup(dir, encName)
			encName = name
		}
	}
	restore := func(run int, cfg, dir, name string, into *series) {
		if name == "" {
			into.add(sample{Err: fmt.Errorf("no backup to restore (its backup failed)")})
			return
		}
		target, err := b.newTarget(ctx, into.name)
		if err != nil {
			into.add(sample{Err: err})
			return
		}
		defer b.dropTarget(target)
		s, _ := b.withConfig(cfg, func() (sample, string) {
			s, _ := b.runLifeboat(ctx, restoreArgs(name, target)...)
			return s, ""
		})
		s.Size = fileSize(filepath.Join(dir, name))
		if s.Err == nil {
			got, err := tableChecksums(ctx, b.db, target)
			if d := compareChecksums(b.sums, got); err != nil || d != nil {
				mismatches++
				fmt.Fprintf(log, "MISMATCH: %s into %s: %v %v\n", into.name, target, err, d)
			}
		}
		logSample(log, "restore", run, runs, into.name, s)
		into.add(s)
	}
	for i := 0; i < runs && ctx.Err() == nil; i++ {
		restore(i+1, b.lbConfig, b.lbBackups, plainName, plainLoad)
		restore(i+1, cfgPath, dir, encName, encLoad)
	}
	b.removeLifeboatBackup(plainName)
	removeBackup(dir, encName)
	printTable(stdout, "Encryption (age, X25519, on shape "+b.src+")", []*series{plain, enc, plainLoad, encLoad}, plain, plainLoad)
	printTargets(stdout, []target{
		ratioTarget("encrypted backup ≤ 1.05× plain backup (wall)", enc, plain, wall, 1.05),
		ratioTarget("encrypted restore ≤ 1.05× plain restore (wall)", encLoad, plainLoad, wall, 1.05),
		rssDelta("encrypted backup peak RSS within 10 MB of plain", enc, plain),
		rssDelta("encrypted restore peak RSS within 10 MB of plain", encLoad, plainLoad),
	})
	return mismatches, nil
}

// rssDelta is the peak-RSS growth of s over ref, in MB; the limit is 10.
func rssDelta(what string, s, ref *series) target {
	t := target{what: what, limit: 10, unit: " MB"}
	if s.ok() && ref.ok() {
		t.value, t.known = (s.median(rss)-ref.median(rss))/1e6, true
	}
	return t
}

// backupInto is lifeboatBackup with the file in dir (the current config's
// backup.dir).
func (b *bench) backupInto(ctx context.Context, dir string) (sample, string) {
	saved := b.lbBackups
	b.lbBackups = dir
	defer func() { b.lbBackups = saved }()
	return b.lifeboatBackup(ctx)
}

func removeBackup(dir, name string) {
	if name == "" {
		return
	}
	for _, suffix := range []string{"", ".json"} {
		os.Remove(filepath.Join(dir, name+suffix))
	}
}

// writeAgeConfig writes a fresh X25519 identity (0600) and a config that
// encrypts to its recipient into a backup directory of its own.
func (b *bench) writeAgeConfig() (cfgPath, dir string, err error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", "", err
	}
	key := filepath.Join(b.work, "age.key")
	if err := os.WriteFile(key, []byte(id.String()+"\n"), 0o600); err != nil {
		return "", "", err
	}
	dir = filepath.Join(b.work, "lifeboat-age-backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", err
	}
	cfg := map[string]any{
		"database":   map[string]any{"socket": b.srv.Socket, "user": "root", "name": b.src},
		"backup":     map[string]any{"dir": dir, "keep": 1000, "compression": "gzip"},
		"encryption": map[string]any{"recipients": []string{id.Recipient().String()}, "identity_file": key},
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(cfg); err != nil {
		return "", "", err
	}
	cfgPath = filepath.Join(b.work, "lifeboat-age.toml")
	return cfgPath, dir, os.WriteFile(cfgPath, buf.Bytes(), 0o600)
}
