package verify

import (
	"io"

	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// CountRows reads an SQL stream with the restore's own statement splitter
// and counts the row tuples of every INSERT/REPLACE ... VALUES per table
// (unqualified, unquoted name). An INSERT inside a trigger or routine body
// is part of that CREATE statement, so it is not counted as data.
func CountRows(r io.Reader) (map[string]int64, error) {
	rows := map[string]int64{}
	sp := sqlsplit.New(r)
	for {
		st, err := sp.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		if st.Kind == sqlsplit.Insert && st.Table != "" {
			rows[st.Table] += int64(st.Rows)
		}
	}
}
