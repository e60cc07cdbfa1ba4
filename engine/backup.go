package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/dump"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// backupLockWait is how long a backup waits for another one (or a prune,
// delete) holding the directory before it gives up with ErrBusy.
var backupLockWait = 30 * time.Second

// backupFile is where the compressed stream goes; tests swap createFile
// to simulate a full disk.
type backupFile interface {
	io.Writer
	Commit() error
	Abort()
}

var createFile = func(dir, name string) (backupFile, error) { return safefile.Create(dir, name) }

// Backup takes a full backup of database.name into backup.dir: the dump is
// written to NAME.partial through a hash and the compressor, committed
// (fsync, rename, fsync dir), then the manifest is written last. On any
// error or cancel nothing is left behind. Then auto-prune (unless NoPrune)
// and one audit line.
func (e *Engine) Backup(ctx context.Context, opts BackupOptions, fn progress.Func) (BackupResult, error) {
	start := time.Now()
	dir := e.dir()
	db := opts.Database
	if db == "" {
		db = e.backupLabel()
	}
	var res BackupResult
	err := e.do(ctx, actionSpec{action: ActionCreate, progress: fn, object: db, detail: opts.Reason,
		lock: lockExclusive, wait: backupLockWait, holder: "backup", database: db, prefix: "backup",
		check: func() error {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return fmt.Errorf("backup: create backup.dir: %w", safefile.Explain(err, dir))
			}
			return nil
		},
	}, func(ctx context.Context, a *actionLog) error {
		e.removePartialsLocked() // orphans of a killed backup: we hold the directory
		before, _ := e.entries()
		r, up, err := e.backupLocked(ctx, opts, fn, start, true)
		a.named(r.Filename, err)
		if err != nil {
			return err
		}
		res = r
		if prev, ok := previousComplete(before, e.scope()); ok && prev.Manifest.Rows > 0 && res.Rows*2 < prev.Manifest.Rows {
			res.Warnings = append(res.Warnings, fmt.Sprintf("this backup holds %d rows, less than half of the %d in %s: was data deleted? %s is kept until you delete it",
				res.Rows, prev.Manifest.Rows, prev.Name, prev.Name))
		}
		a.Then(func(ctx context.Context) { e.pushAfterBackup(ctx, &res, up, fn) }) // off-site copies, after its line
		if !opts.NoPrune {
			// After the backup's own line; prune audits itself, and the backup stands.
			a.Then(func(ctx context.Context) {
				if pr, perr := e.autoPrune(ctx); perr == nil {
					res.Pruned = pr.Deleted
				}
			})
		}
		return nil
	})
	if err != nil {
		return BackupResult{}, err
	}
	return res, nil
}

// safetyBackup backs up target before a restore changes it, under the
// restore's locks, with its own audit line.
func (e *Engine) safetyBackup(ctx context.Context, target string) (BackupResult, error) {
	var res BackupResult
	err := e.nested(ctx, ActionCreate, "", "safety", func(ctx context.Context, a *actionLog) error {
		var err error
		res, _, err = e.backupLocked(ctx, BackupOptions{Reason: "safety", NoPrune: true, Database: target}, nil, time.Now(), false)
		a.named(res.Filename, err)
		return err
	})
	return res, err
}

func (e *Engine) compression(opts BackupOptions) string {
	if opts.Compression != "" {
		return opts.Compression
	}
	return e.Cfg.Backup.Compression
}

// newBackupFile picks a name from the clock and creates its partial file;
// a name already taken (two backups in one second) waits for the next one.
func (e *Engine) newBackupFile(ctx context.Context, comp string, encrypted bool) (backupFile, string, time.Time, error) {
	var f backupFile
	var name string
	now, err := catalog.ClaimSecond(ctx, e.Loc, 5, func(now time.Time) error {
		name = catalog.BackupName(now, comp)
		if encrypted {
			name += catalog.AgeSuffix
		}
		if _, err := os.Lstat(filepath.Join(e.dir(), name+catalog.ManifestSuffix)); err == nil {
			return catalog.ErrNameTaken
		}
		var err error
		if f, err = createFile(e.dir(), name); errors.Is(err, os.ErrExist) {
			return catalog.ErrNameTaken
		}
		return err
	})
	if err != nil && ctx.Err() == nil {
		return nil, "", now, fmt.Errorf("backup %s: %w", name, err)
	}
	return f, name, now, err
}

// backupLocked writes one backup. With stream, its off-site uploads start
// with the file and follow the dump (remote_stream.go); the caller ends
// them (pushAfterBackup). On failure they are aborted here.
func (e *Engine) backupLocked(ctx context.Context, opts BackupOptions, fn progress.Func, start time.Time, stream bool) (BackupResult, *offsiteStreams, error) {
	e.repairProjectTriggers(ctx) // a killed project restore's guards must not reach the dump
	comp := e.compression(opts)
	if _, err := catalog.NewWriter(io.Discard, comp); err != nil {
		return BackupResult{}, nil, fmt.Errorf("backup: %w", err)
	}
	if _, err := e.signingKey(); err != nil { // before the dump, not after it
		return BackupResult{}, nil, fmt.Errorf("backup: the manifest cannot be signed: %w", err)
	}
	recipients, err := e.Cfg.AgeRecipients()
	if err != nil {
		return BackupResult{}, nil, fmt.Errorf("backup: %w", err)
	}
	f, name, created, err := e.newBackupFile(ctx, comp, len(recipients) > 0)
	if err != nil {
		return BackupResult{}, nil, err
	}
	defer f.Abort() // no-op after Commit
	var up *offsiteStreams
	if stream {
		up = e.startStreams(ctx, f, name)
	}
	defer up.stop() // aborts them unless the backup is whole
	tr := progress.Start("backup", fn, 0)
	defer tr.Finish()
	hw := &hashWriter{w: f, h: sha256.New(), grew: up.grew}
	cw, err := catalog.NewStreamWriter(hw, comp, recipients)
	if err != nil {
		return BackupResult{}, nil, fmt.Errorf("backup %s: %w", name, err)
	}
	dres, err := dump.Run(ctx, e.dumpOptions(opts), cw, tr)
	if err == nil {
		err = cw.Close()
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		if ctx.Err() != nil {
			return BackupResult{Filename: name}, nil, ctx.Err()
		}
		return BackupResult{Filename: name}, nil, fmt.Errorf("backup %s: %w", name, err)
	}
	if err := f.Commit(); err != nil {
		return BackupResult{Filename: name}, nil, fmt.Errorf("backup %s: %w", name, err)
	}
	res := BackupResult{
		Filename: name, Path: filepath.Join(e.dir(), name), Size: hw.n, SHA256: hex.EncodeToString(hw.h.Sum(nil)),
		CreatedAt: created, Tables: dres.TableCount, Rows: dres.Rows, Duration: time.Since(start),
		LockWindow: dres.LockWindow, NonTransactional: dres.NonTransactional, Notes: dres.Notes,
	}
	if err := e.writeManifest(res, dres, opts, comp); err != nil {
		os.Remove(res.Path) // without its manifest the file is not a backup
		return BackupResult{Filename: name}, nil, fmt.Errorf("backup %s: manifest: %w", name, err)
	}
	up.finish()
	return res, up, nil
}

func (e *Engine) writeManifest(res BackupResult, dres dump.Result, opts BackupOptions, comp string) error {
	reason := opts.Reason
	if reason == "" {
		reason = "manual"
	}
	m := catalog.Manifest{
		FormatVersion: catalog.FormatVersion, ToolVersion: Version, ServerVersion: dres.ServerVersion,
		Databases: dres.Databases, Tables: dres.Tables, Checksums: dres.Checksums, Objects: dres.Objects, Rows: dres.Rows, Binlog: dres.Binlog,
		Filename: res.Filename, Compression: comp, SHA256: res.SHA256, Size: res.Size,
		CreatedAt: res.CreatedAt, CreatedBy: e.Who.Login, DurationMS: res.Duration.Milliseconds(),
		Consistency: dres.Consistency, LockWindowMS: dres.LockWindow.Milliseconds(),
		NonTransactional: dres.NonTransactional, Reason: reason,
		MaxAllowedPacket: dres.MaxAllowedPacket, LargestStatement: dres.LargestStatement, LargestValue: dres.LargestValue,
	}
	if opts.Database == "" && e.Cfg.Database.Several() {
		m.DatabaseBytes, m.Accounts = dres.DatabaseBytes, dres.Accounts
		if e.Cfg.Database.All() {
			m.Selection = config.AllDatabases
		}
	} else if len(dres.Accounts) > 0 {
		m.Accounts = dres.Accounts
	}
	if catalog.Encrypted(res.Filename) {
		m.Encrypted, m.Recipients = true, e.Cfg.Encryption.Recipients
	}
	return e.saveManifest(&m)
}

// hashWriter hashes and counts what reaches the file.
type hashWriter struct {
	w    io.Writer
	h    hash.Hash
	n    int64
	grew func(int) // hears what reached the file (the off-site uploads)
}

func (hw *hashWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	if hw.grew != nil && n > 0 {
		hw.grew(n)
	}
	return n, err
}
