package restore

import (
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// The splitter and the gate read strings as the sql_mode they follow says
// (NO_BACKSLASH_ESCAPES changes where a string ends; ANSI_QUOTES turns
// "x" into a name). They follow the file's SET statements, but the server
// may not run one as written: a conditional comment for a newer version,
// SET sql_mode = DEFAULT, a server whose own default differs. So after
// every SET, and before the first statement, the session's real sql_mode
// is read back and must agree; otherwise the next statement could mean
// something else to the server than to the gate.

// checkMode compares the session's sql_mode with what the splitter assumes.
func (x *executor) checkMode(st *sqlsplit.Statement, noBackslash bool) error {
	var mode string
	if err := x.main.QueryRowContext(x.ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
		return fmt.Errorf("restore: read sql_mode: %w", err)
	}
	modes := "," + strings.ToUpper(mode) + ","
	problem := ""
	switch {
	case strings.Contains(modes, ",ANSI_QUOTES,"):
		problem = "ANSI_QUOTES is on (double quotes become names)"
	case strings.Contains(modes, ",NO_BACKSLASH_ESCAPES,") != noBackslash:
		problem = fmt.Sprintf("NO_BACKSLASH_ESCAPES is %s on the server, not as the file's statements say", onOff(!noBackslash))
	}
	if problem == "" {
		return nil
	}
	where := "before the first statement"
	if st != nil {
		where = "after this statement"
		return &StatementError{Line: st.Line, Excerpt: excerpt(st.SQL), Err: fmt.Errorf("the session's sql_mode is %q %s: %s; lifeboat stops rather than read the rest differently from the server", mode, where, problem)}
	}
	return fmt.Errorf("restore: the session's sql_mode is %q %s: %s; lifeboat stops rather than read the file differently from the server", mode, where, problem)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
