// Package engine is lifeboat's library: everything that touches MySQL or
// the backup directories. The command line and the screen are its users;
// it never imports bubbletea or lipgloss.
//
// An Engine is built from a config. Each action is a method that takes a
// ctx first, an options struct, and (for long work) a progress.Func:
//
//	eng, _ := engine.Open(cfg)
//	res, err := eng.Backup(ctx, engine.BackupOptions{}, progress.Nop)
//
// The subpackages do the work: dump writes the SQL stream, sqlsplit and
// restore read it back, catalog owns the backup directory, project owns
// per-project backups, sandbox starts throwaway servers.
package engine

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/who"
)

// Version is the tool version written into manifests and headers.
var Version = "0.1.0-dev"

// Engine runs lifeboat's actions for one config.
type Engine struct {
	Cfg *config.Config
	Loc *time.Location // backup.timezone
	Who who.Person     // the OS user behind this process
	// Notice, when set, is told one line per leftover of a killed lifeboat
	// that was cleaned up (the command line prints it on stderr).
	Notice func(msg string)

	mycfg *mysql.Config
	db    *sql.DB // pool on database.name's server; opened lazily

	signing signingState  // the manifest signing key, loaded on first use (signing.go)
	ident   identityState // the age identities, loaded on first use (encryption.go)
}

// Open builds an engine. It does not contact the server, so status and list
// work while the server is down.
func Open(cfg *config.Config) (*Engine, error) {
	cfg.ApplyDefaults() // a Config built in code; Load has applied them
	loc, err := cfg.Location()
	if err != nil {
		return nil, err
	}
	mc, err := cfg.MySQL()
	if err != nil {
		return nil, err
	}
	mc.Logger = driverLog // whatever made mc, its lines go where the screen says
	conn, err := mysql.NewConnector(mc)
	if err != nil {
		return nil, fmt.Errorf("database config: %w", err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(time.Minute)
	return &Engine{Cfg: cfg, Loc: loc, Who: who.Current(), mycfg: mc, db: db}, nil
}

// Close releases the connection pool.
func (e *Engine) Close() error { return e.db.Close() }

// mysqlConfig returns a copy of the driver config, for subpackages that
// open their own connections (parallel dump, restore workers).
func (e *Engine) mysqlConfig() *mysql.Config { return e.mycfg.Clone() }

// Ping reports whether the server answers, and its version.
func (e *Engine) Ping(ctx context.Context) (version string, err error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err = e.db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version)
	if err != nil {
		return "", fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	return version, nil
}

// ServerLabel is "host:port", or this machine's name for a local socket,
// for headers and messages.
func (e *Engine) ServerLabel() string {
	if e.mycfg.Net == "unix" {
		if h, err := os.Hostname(); err == nil && h != "" {
			return h
		}
		return "localhost"
	}
	return e.mycfg.Addr
}
