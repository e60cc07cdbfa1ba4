package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// pointBase is the named backup's manifest, or, with no name, the newest
// backup of this database whose snapshot is before the stop point: one
// that finished before At, or whose coordinates are at or before the
// transaction of UntilGTID or UntilPosition (the Timeline's "restore to
// just before this").
func (e *Engine) pointBase(ctx context.Context, name string, opts PointOptions) (*catalog.Manifest, error) {
	if name != "" {
		m, err := e.trustedManifest(name)
		if err != nil {
			return nil, fmt.Errorf("restore %s: %w", name, err)
		}
		if m == nil || m.Binlog == nil || len(m.Databases) != 1 {
			return nil, fmt.Errorf("restore %s: its manifest records no binary-log coordinates (the server's binary log was off when it was taken), so it cannot be a base for a point-in-time restore", name)
		}
		if !opts.At.IsZero() && !finished(m).Before(opts.At) {
			return nil, fmt.Errorf("restore %s --until %s: the backup ran until %s, not before the stop point, so its snapshot may be after it; pick an older backup", name, opts.At.Format(time.RFC3339), finished(m).Format(time.RFC3339))
		}
		return m, nil
	}
	stopFile, stopPos, err := e.stopCoordinates(ctx, opts)
	if err != nil {
		return nil, err
	}
	entries, err := e.entries()
	if err != nil {
		return nil, err
	}
	for _, en := range entries { // newest first
		m := en.Manifest
		if !catalog.Prunable(en) || en.Scope() != e.scope() || m == nil || m.Binlog == nil || len(m.Databases) != 1 {
			continue
		}
		if baseBefore(m, opts, stopFile, stopPos) {
			return m, nil
		}
	}
	return nil, fmt.Errorf("restore %s: no backup of %s with binary-log coordinates was taken before then in %s", opts.stopLabel(), e.Cfg.Database.Name, e.dir())
}

// baseBefore says whether backup m's snapshot is before the stop point
// (stopFile:stopPos for --until-gtid and --until-position).
func baseBefore(m *catalog.Manifest, opts PointOptions, stopFile string, stopPos uint64) bool {
	switch {
	case !opts.At.IsZero():
		return finished(m).Before(opts.At)
	case stopFile != "":
		n, stop := binlog.Number(m.Binlog.File), binlog.Number(stopFile)
		return n < stop || n == stop && m.Binlog.Position <= stopPos
	}
	return true
}

// stopCoordinates is where a --until-position or --until-gtid stop is in
// the log ("" for --at): for a GTID, the archive is searched, newest file
// first.
func (e *Engine) stopCoordinates(ctx context.Context, opts PointOptions) (string, uint64, error) {
	if opts.UntilGTID == "" {
		return untilPosition(opts.UntilPosition)
	}
	files, err := binlog.Files(e.binlogDir())
	if err != nil {
		return "", 0, err
	}
	var found *binlog.Transaction
	errFound := errors.New("found")
	for i := len(files) - 1; i >= 0 && found == nil; i-- {
		err := binlog.ReadFile(ctx, files[i].Path, func(t binlog.Transaction) error {
			if t.GTID == opts.UntilGTID {
				found = &t
				return errFound
			}
			return nil
		})
		if err != nil && !errors.Is(err, errFound) {
			return "", 0, err
		}
	}
	if found == nil {
		return "", 0, fmt.Errorf("restore --until-gtid %s: that transaction is not in the binary-log archive %s; list them with lifeboat binlog events", opts.UntilGTID, e.binlogDir())
	}
	return found.File, found.Position, nil
}

// untilPosition parses --until-position FILE:POS ("" gives "", 0).
func untilPosition(s string) (string, uint64, error) {
	if s == "" {
		return "", 0, nil
	}
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return "", 0, fmt.Errorf("--until-position %q: use FILE:POS, such as binlog.000042:1234", s)
	}
	pos, err := strconv.ParseUint(s[i+1:], 10, 64)
	if err != nil || !binlog.ValidName(s[:i]) {
		return "", 0, fmt.Errorf("--until-position %q: use FILE:POS, such as binlog.000042:1234", s)
	}
	return s[:i], pos, nil
}
