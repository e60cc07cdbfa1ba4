package project

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// ExportOptions say which project to write where, and who asked.
type ExportOptions struct {
	ID            string
	Dir           string // the project's backup directory (must exist)
	Name          string // file name inside Dir
	CreatedAt     time.Time
	CreatedBy     string
	CreatedByName string
	ToolVersion   string
	Reason        string            // "" or "safety"
	Tracker       *progress.Tracker // nil: no progress
	Seal          Seal              // signs the manifest; nil: unsigned
	Wrap          Wrap              // compresses (and encrypts) the JSON; nil: plain
	Compression   string            // what Wrap does, for the manifest: gzip, zstd or none
	Recipients    []string          // the age recipients Wrap encrypts to, for the manifest
}

// ExportResult is the written file.
type ExportResult struct {
	Path     string
	Size     int64
	Meta     Meta
	Manifest *Manifest
}

// Export writes one project's rows, read in one consistent snapshot on one
// pinned connection, to Dir/Name as JSON. The rows are spooled to a hidden
// partial file first so that the metadata (with row counts) can lead the
// file without holding the project in memory; the file appears atomically.
func Export(ctx context.Context, db *sql.DB, cfg Config, o ExportOptions) (ExportResult, error) {
	if err := CheckID(o.ID); err != nil {
		return ExportResult{}, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return ExportResult{}, fmt.Errorf("project %s backup: connect: %w", o.ID, err)
	}
	// Our session settings must not leak back into the pool.
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	if err := setup(ctx, conn); err != nil {
		return ExportResult{}, fmt.Errorf("project %s backup: %w", o.ID, err)
	}
	for _, s := range []string{"SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return ExportResult{}, fmt.Errorf("project %s backup: %s: %w", o.ID, s, err)
		}
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	meta, g, err := exportMeta(ctx, conn, cfg, o)
	if err != nil {
		return ExportResult{}, err
	}
	spool, err := os.CreateTemp(o.Dir, ".spool-*"+safefile.PartialSuffix)
	if err != nil {
		return ExportResult{}, safefile.Explain(err, o.Dir)
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	if err := writeData(ctx, conn, g, o, &meta, spool); err != nil {
		return ExportResult{}, fmt.Errorf("project %s backup: %w", o.ID, err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return ExportResult{}, fmt.Errorf("project %s backup: commit: %w", o.ID, err)
	}
	return finish(o, meta, spool)
}

func exportMeta(ctx context.Context, q querier, cfg Config, o ExportOptions) (Meta, *Graph, error) {
	s, err := LoadSchema(ctx, q)
	if err != nil {
		return Meta{}, nil, err
	}
	g, err := Build(s, cfg)
	if err != nil {
		return Meta{}, nil, err
	}
	name, found, err := projectName(ctx, q, g, o.ID)
	if err != nil {
		return Meta{}, nil, err
	}
	if !found {
		return Meta{}, nil, fmt.Errorf("project %s: no row with %s = %q in table %q; see `lifeboat project list`", o.ID, cfg.IDColumn, o.ID, cfg.Table)
	}
	trs, err := LoadTriggers(ctx, q, s.Database, g.Order)
	if err != nil {
		return Meta{}, nil, err
	}
	for i, tr := range trs {
		// A restore running (or killed) now has guarded this trigger: the
		// backup keeps the original, never the guard.
		orig, ok := tr.Unguarded()
		if !ok {
			return Meta{}, nil, fmt.Errorf("project %s backup: trigger %q on %q is guarded by a project restore in a way lifeboat cannot undo; recreate it from an older backup's metadata, then back up again", o.ID, tr.Name, tr.Table)
		}
		trs[i] = orig
	}
	tables := g.tableMetas()
	return Meta{
		ProjectID: ID(o.ID), ProjectName: name, CreatedAt: o.CreatedAt.Format(time.RFC3339),
		CreatedBy: o.CreatedBy, CreatedByName: o.CreatedByName, BackupVersion: BackupVersion,
		ToolVersion: o.ToolVersion, Reason: o.Reason, Database: s.Database,
		RootTable: cfg.Table, IDColumn: cfg.IDColumn, NameColumn: cfg.NameColumn,
		TableOrder: g.Order, Tables: tables, Links: g.graphLinks(), Triggers: trs,
		SchemaFingerprint: Fingerprint(tables),
	}, g, nil
}

// writeData streams every table's rows as the body of the "data" object.
func writeData(ctx context.Context, q querier, g *Graph, o ExportOptions, meta *Meta, out io.Writer) error {
	w := bufio.NewWriterSize(out, 256<<10)
	tr := o.Tracker
	if tr != nil {
		tr.SetTablesTotal(int64(len(g.Order)))
	}
	for i, t := range g.Order {
		if i > 0 {
			w.WriteString(",\n")
		}
		if tr != nil {
			tr.SetTable(t)
		}
		n, err := writeTable(ctx, q, g, t, o.ID, w, tr)
		if err != nil {
			return err
		}
		tm := meta.Tables[t]
		tm.Rows = n
		meta.Tables[t] = tm
		if tr != nil {
			tr.TableDone()
		}
	}
	return w.Flush()
}

// writeTable writes `"table": [rows]`, one row object per line, and
// returns the number of rows.
func writeTable(ctx context.Context, q querier, g *Graph, t, id string, w *bufio.Writer, tr *progress.Tracker) (int64, error) {
	tab := g.Table(t)
	keys := make([][]byte, len(tab.Columns))
	for i, c := range tab.Columns {
		k, _ := json.Marshal(c.Name)
		keys[i] = append(k, ": "...)
	}
	tname, _ := json.Marshal(t)
	w.WriteString("    ")
	w.Write(tname)
	w.WriteString(": [")
	var n int64
	var buf []byte
	err := scanRows(ctx, q, g, t, id, func(raw []sql.RawBytes) error {
		buf = buf[:0]
		if n > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n      {"...)
		for i := range raw {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = append(buf, keys[i]...)
			var err error
			if buf, err = appendJSON(buf, &tab.Columns[i], raw[i]); err != nil {
				return err
			}
		}
		buf = append(buf, '}')
		if n++; tr != nil && n%1000 == 0 {
			tr.AddRows(1000)
		}
		_, err := w.Write(buf)
		return err
	})
	if err != nil {
		return n, err
	}
	if n > 0 {
		w.WriteString("\n    ")
	}
	w.WriteString("]")
	if tr != nil {
		tr.AddRows(n % 1000)
	}
	return n, nil
}

// finish writes metadata then the spooled data into the final file.
func finish(o ExportOptions, meta Meta, spool *os.File) (ExportResult, error) {
	head, err := json.MarshalIndent(meta, "  ", "  ")
	if err != nil {
		return ExportResult{}, err
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return ExportResult{}, err
	}
	f, err := safefile.Create(o.Dir, o.Name)
	if err != nil {
		return ExportResult{}, err
	}
	defer f.Abort()
	h := sha256.New() // of the file's bytes: compressed and encrypted
	cw, err := o.Wrap.wrap(io.MultiWriter(f, h))
	if err != nil {
		return ExportResult{}, fmt.Errorf("project %s backup %s: %w", o.ID, o.Name, err)
	}
	w := bufio.NewWriterSize(cw, 256<<10)
	w.WriteString("{\n  \"metadata\": ")
	w.Write(head)
	w.WriteString(",\n  \"data\": {\n")
	n, err := io.Copy(w, spool)
	if err != nil {
		return ExportResult{}, fmt.Errorf("write %s: %w", f.Name(), err)
	}
	w.WriteString("\n  }\n}\n")
	if err := w.Flush(); err != nil {
		return ExportResult{}, err
	}
	if err := cw.Close(); err != nil {
		return ExportResult{}, fmt.Errorf("write %s: %w", f.Name(), err)
	}
	if err := f.Commit(); err != nil {
		return ExportResult{}, err
	}
	if o.Tracker != nil {
		o.Tracker.AddBytes(n)
	}
	st, err := os.Stat(f.Name())
	if err != nil {
		return ExportResult{}, err
	}
	// The manifest comes last: without it the file is not a backup.
	m := NewManifest(meta, o.Name, hex.EncodeToString(h.Sum(nil)), st.Size())
	m.Compression, m.Encrypted, m.Recipients = o.Compression, len(o.Recipients) > 0, o.Recipients
	if err := WriteManifest(o.Dir, m, o.Seal); err != nil {
		os.Remove(f.Name())
		return ExportResult{}, fmt.Errorf("project %s backup %s: manifest: %w", o.ID, o.Name, err)
	}
	return ExportResult{Path: f.Name(), Size: st.Size(), Meta: meta, Manifest: m}, nil
}
