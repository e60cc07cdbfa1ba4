package sandbox_test

import (
	"database/sql"
	"strconv"

	"github.com/go-sql-driver/mysql"

	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

func sandboxOptions() sandbox.Options { return sandbox.Options{} }

func itoa(n int) string { return strconv.Itoa(n) }

func openConfig(c *mysql.Config) (*sql.DB, error) {
	conn, err := mysql.NewConnector(c)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(conn), nil
}
