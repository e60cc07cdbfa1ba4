package dump

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The statements around data: table and sequence definitions, routines,
// views, triggers and events, each wrapped the way mariadb-dump wraps
// them so the stock client loads them.

func tableDDL(ctx context.Context, c *sql.Conn, t *table) error {
	q := "SHOW CREATE TABLE " + qi(t.name)
	if t.sequence {
		q = "SHOW CREATE SEQUENCE " + qi(t.name)
	}
	m, err := showCreate(ctx, c, q)
	if err != nil {
		return tableErr(t.name, "read definition", err)
	}
	create := m["Create Table"]
	t.hasCheck = strings.Contains(create, " CHECK (")
	var b strings.Builder
	b.WriteString("\n--\n-- Table structure for " + commentName(t.name) + "\n--\n\n")
	b.WriteString("DROP TABLE IF EXISTS " + qi(t.name) + ";\n")
	b.WriteString(create + ";\n")
	if t.sequence {
		var next, round sql.NullString
		err := c.QueryRowContext(ctx, "SELECT next_not_cached_value, cycle_count FROM "+qi(t.name)).Scan(&next, &round)
		if err != nil {
			return tableErr(t.name, "read sequence value", err)
		}
		b.WriteString("DO SETVAL(" + qi(t.name) + ", " + next.String + ", 0, " + round.String + ");\n")
	}
	t.create = b.String()
	return nil
}

// commentName keeps a name from ending the comment line it is shown in.
func commentName(name string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(qi(name))
}

// objectBlock wraps a routine, trigger or event definition in its own
// sql_mode and character set, between DELIMITER ;; lines.
func objectBlock(m map[string]string, create string, tz string) string {
	var b strings.Builder
	b.WriteString("/*!50003 SET @saved_sql_mode = @@sql_mode */ ;\n")
	b.WriteString("/*!50003 SET sql_mode = " + quoteString(m["sql_mode"]) + " */ ;\n")
	if cs := m["character_set_client"]; cs != "" {
		b.WriteString("/*!50003 SET character_set_client = " + cs + " */ ;\n")
		b.WriteString("/*!50003 SET character_set_results = " + cs + " */ ;\n")
	}
	if coll := m["collation_connection"]; coll != "" {
		b.WriteString("/*!50003 SET collation_connection = " + coll + " */ ;\n")
	}
	if tz != "" {
		b.WriteString("/*!50003 SET time_zone = " + quoteString(tz) + " */ ;\n")
	}
	b.WriteString("DELIMITER ;;\n")
	b.WriteString(create + " ;;\n")
	b.WriteString("DELIMITER ;\n")
	b.WriteString("/*!50003 SET sql_mode = @saved_sql_mode */ ;\n")
	b.WriteString("/*!40101 SET NAMES utf8mb4 */ ;\n")
	if tz != "" {
		b.WriteString("/*!50003 SET time_zone = '+00:00' */ ;\n")
	}
	return b.String()
}

// add is told every object written, by kind (see Result.Objects).
func routinesDDL(ctx context.Context, c *sql.Conn, db string, add func(kind, name string)) (string, error) {
	rows, err := c.QueryContext(ctx, `SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES
		WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_TYPE, ROUTINE_NAME`, db)
	if err != nil {
		return "", fmt.Errorf("list routines: %w", err)
	}
	type routine struct{ typ, name string }
	var list []routine
	for rows.Next() {
		var r routine
		if err := rows.Scan(&r.typ, &r.name); err != nil {
			rows.Close()
			return "", err
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("list routines: %w", err)
	}
	var b strings.Builder
	for _, r := range list {
		kind := strings.ToUpper(r.typ) // PROCEDURE, FUNCTION, PACKAGE...
		m, err := showCreate(ctx, c, "SHOW CREATE "+kind+" "+qi(r.name))
		if err != nil {
			return "", fmt.Errorf("%s %s: %w", strings.ToLower(kind), qi(r.name), err)
		}
		create := m["Create "+titleCase(kind)]
		if create == "" {
			return "", fmt.Errorf("%s %s: the server hides its body; grant the backup account SELECT on mysql.proc (or SHOW CREATE ROUTINE)", strings.ToLower(kind), qi(r.name))
		}
		b.WriteString("\n--\n-- " + titleCase(kind) + " " + commentName(r.name) + "\n--\n\n")
		b.WriteString("/*!50003 DROP " + kind + " IF EXISTS " + qi(r.name) + " */;\n")
		b.WriteString(objectBlock(m, create, ""))
		add(strings.ToLower(kind), r.name)
	}
	return b.String(), nil
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return s[:1] + strings.ToLower(s[1:])
}

// viewsDDL creates every view first as a placeholder with the right
// columns, then replaces each with its real definition: views that use
// other views load in any order.
func viewsDDL(ctx context.Context, c *sql.Conn, views []string, cols map[string][]string) (string, error) {
	pre, post, err := viewParts(ctx, c, views, cols)
	if err != nil || pre == "" {
		return "", err
	}
	return pre + "\n" + post, nil
}

// viewParts are the placeholders and the real definitions of views; a
// dump of several databases writes every database's placeholders before
// any real view, so views over another database's views load too.
func viewParts(ctx context.Context, c *sql.Conn, views []string, cols map[string][]string) (string, string, error) {
	if len(views) == 0 {
		return "", "", nil
	}
	var pre, post strings.Builder
	pre.WriteString("\n--\n-- Views (placeholders first, so views over views load in any order)\n--\n\n")
	for _, v := range views {
		m, err := showCreate(ctx, c, "SHOW CREATE VIEW "+qi(v))
		if err != nil {
			return "", "", fmt.Errorf("view %s: %w", qi(v), err)
		}
		pre.WriteString("DROP TABLE IF EXISTS " + qi(v) + ";\n/*!50001 DROP VIEW IF EXISTS " + qi(v) + " */;\n")
		pre.WriteString("/*!50001 CREATE VIEW " + qi(v) + " AS SELECT")
		if len(cols[v]) == 0 {
			pre.WriteString(" 1")
		}
		for i, col := range cols[v] {
			if i > 0 {
				pre.WriteByte(',')
			}
			pre.WriteString(" 1 AS " + qi(col))
		}
		pre.WriteString(" */;\n")
		post.WriteString("/*!50001 DROP VIEW IF EXISTS " + qi(v) + " */;\n")
		post.WriteString("/*!50001 SET @saved_col_connection = @@collation_connection */;\n")
		post.WriteString("/*!50001 SET character_set_client = " + m["character_set_client"] + " */;\n")
		post.WriteString("/*!50001 SET collation_connection = " + m["collation_connection"] + " */;\n")
		post.WriteString("/*!50001 " + m["Create View"] + " */;\n")
		post.WriteString("/*!40101 SET NAMES utf8mb4 */;\n")
	}
	return pre.String(), post.String(), nil
}

func triggersDDL(ctx context.Context, c *sql.Conn, db string, add func(kind, name string)) (string, error) {
	list, err := names(ctx, c, `SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
		ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`, db)
	if err != nil {
		return "", fmt.Errorf("list triggers: %w", err)
	}
	var b strings.Builder
	if len(list) > 0 {
		b.WriteString("\n--\n-- Triggers (after the data, so loading never fires them)\n--\n\n")
	}
	for _, name := range list {
		m, err := showCreate(ctx, c, "SHOW CREATE TRIGGER "+qi(name))
		if err != nil {
			return "", fmt.Errorf("trigger %s: %w", qi(name), err)
		}
		b.WriteString(objectBlock(m, m["SQL Original Statement"], ""))
		add("trigger", name)
	}
	return b.String(), nil
}

func eventsDDL(ctx context.Context, c *sql.Conn, db string, add func(kind, name string)) (string, error) {
	list, err := names(ctx, c, `SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME`, db)
	if err != nil {
		return "", fmt.Errorf("list events: %w", err)
	}
	var b strings.Builder
	for _, name := range list {
		m, err := showCreate(ctx, c, "SHOW CREATE EVENT "+qi(name))
		if err != nil {
			return "", fmt.Errorf("event %s: %w", qi(name), err)
		}
		b.WriteString("\n--\n-- Event " + commentName(name) + "\n--\n\n")
		b.WriteString("/*!50106 DROP EVENT IF EXISTS " + qi(name) + " */;\n")
		b.WriteString(objectBlock(m, m["Create Event"], m["time_zone"]))
		add("event", name)
	}
	return b.String(), nil
}
