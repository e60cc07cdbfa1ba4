package engine

// The demo's scripted incident (issue 15 item 7): after its first backup
// the demo writes for a moment, deletes a whole project's translations by
// mistake, writes some more, and archives the binary log, so the Timeline
// has a bad DELETE to find and a moment just before it to restore to.

import (
	"context"
	"fmt"
	"time"
)

// DemoIncidentProject is the project whose translations the incident deletes.
const DemoIncidentProject = 3

// demoIncidentDelete deletes every translation of the incident's project
// (translations reach their project through strings, sections and areas).
var demoIncidentDelete = fmt.Sprintf(`DELETE FROM translations WHERE string_id IN (SELECT s.id FROM strings s
  JOIN sections se ON se.id = s.section_id JOIN areas a ON a.id = se.area_id WHERE a.project_id = %d)`, DemoIncidentProject)

// demoBefore and demoAfter are the ordinary writes around the DELETE.
var (
	demoBefore = []string{
		"UPDATE translations SET status = 'review', quality = 91.5 WHERE language_id = 2 AND string_id % 13 = 0",
		"INSERT INTO languages (code, name, native_name) VALUES ('eo', 'Esperanto', 'Esperanto')",
		"UPDATE projects SET budget = budget + 2500 WHERE id = 5",
		"CREATE INDEX translations_status ON translations (status)",
		"INSERT INTO string_comments (string_id, user_id, body, created_at) VALUES (1, 1, 'Checked before the release', NOW())",
		"UPDATE strings SET word_cost = word_cost * 1.1 WHERE id % 17 = 0",
	}
	demoAfter = []string{
		"INSERT INTO string_comments (string_id, user_id, body, created_at) VALUES (2, 2, 'Where did the translations go?', NOW())",
		"UPDATE translations SET status = 'approved' WHERE language_id = 3 AND string_id % 19 = 0",
		"UPDATE users SET last_login = NOW() WHERE id = 1",
	}
)

// DemoIncident is what the scripted incident did.
type DemoIncident struct {
	Before  time.Time // every write before the DELETE committed before it
	Deleted int64     // rows the DELETE removed
}

// RunIncident runs the scripted incident on the demo's database, then
// copies the binary log into the archive (binlog sync) with e, the engine
// on the demo's config. Take the demo's backup first: the incident is
// what a point-in-time restore from it undoes.
func (d *Demo) RunIncident(ctx context.Context, e *Engine, say func(string)) (DemoIncident, error) {
	var inc DemoIncident
	db, err := d.srv.Open(DemoDatabase)
	if err != nil {
		return inc, err
	}
	defer db.Close()
	say(fmt.Sprintf("scripted incident: a few writes, then every translation of project %d is deleted by mistake …", DemoIncidentProject))
	run := func(stmts []string) error {
		for _, q := range stmts {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("demo incident: %s: %w", q, err)
			}
		}
		return nil
	}
	if err := run(demoBefore); err != nil {
		return inc, err
	}
	// The DELETE gets a second of its own, so that restore --at the moment
	// before it keeps every earlier write.
	inc.Before = time.Now().Truncate(time.Second).Add(time.Second)
	select {
	case <-ctx.Done():
		return inc, ctx.Err()
	case <-time.After(time.Until(inc.Before) + 20*time.Millisecond):
	}
	r, err := db.ExecContext(ctx, demoIncidentDelete)
	if err != nil {
		return inc, fmt.Errorf("demo incident: the DELETE: %w", err)
	}
	inc.Deleted, _ = r.RowsAffected()
	if err := run(demoAfter); err != nil {
		return inc, err
	}
	say("archiving the binary log (binlog sync) …")
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		return inc, fmt.Errorf("demo incident: %w", err)
	}
	return inc, nil
}
