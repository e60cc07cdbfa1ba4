package engine

import (
	"context"
	"os"
	"syscall"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
	"github.com/lifeboat-dev/lifeboat/engine/verify"
)

// foreignContents fills in what a file without a trusted manifest holds
// (its databases, its account statements) before verify's pass, so a
// foreign file of several databases (mariadb-dump --all-databases,
// --databases a b) is checked part by part, as restore plans it (issue
// 17), not as one database; verify --restore then loads each database
// under its own name. The file is read once more for it; a file that
// cannot be read here is left to the pass, which says why.
func foreignContents(ctx context.Context, path string, m *catalog.Manifest, st catalog.Stream, sealed bool, opts *verify.Options) {
	if m != nil || sealed {
		return
	}
	c := readContents(ctx, path, st)
	opts.Databases, opts.Accounts = c.Databases, c.Accounts
}

// readContents lists a file's databases and account statements; empty
// when it cannot be read.
func readContents(ctx context.Context, path string, st catalog.Stream) sqlsplit.Contents {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return sqlsplit.Contents{}
	}
	defer f.Close()
	zr, err := st.Reader(f)
	if err != nil {
		return sqlsplit.Contents{}
	}
	defer zr.Close()
	c, err := sqlsplit.ReadContents(ctx, zr)
	if err != nil {
		return sqlsplit.Contents{}
	}
	return c
}
