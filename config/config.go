// Package config reads lifeboat's TOML configuration, fills connection
// values from the MySQL option files (my.cnf) as the mysql client does,
// validates everything, and builds the driver config. It never imports the
// engine or the screen.
package config

import "time"

// Config is the whole configuration, with defaults applied after Load.
type Config struct {
	Database Database `toml:"database"`
	Backup   Backup   `toml:"backup"`
	Projects Projects `toml:"projects"`
	Check    Check    `toml:"check"`  // thresholds of lifeboat check (check.go)
	Notify   Notify   `toml:"notify"` // alerts (notify.go)
	// Encryption, when it names recipients, encrypts every new backup
	// with age (encryption.go).
	Encryption Encryption `toml:"encryption"`
	// Access maps an Action (create, verify, restore, delete, prune, download,
	// project_restore, ...) to the OS users and "@groups" allowed to do it.
	// Empty means everything is allowed.
	Access map[string][]string `toml:"access"`
	// Binlog is the binary-log archive for point-in-time recovery (binlog.go).
	Binlog Binlog `toml:"binlog"`
	// Remotes are the [[remote]] sections: off-site copies (remote.go).
	Remotes []Remote `toml:"remote"`

	// Path is the file the config was read from ("" when built in code).
	Path string `toml:"-"`

	defaulted bool // ApplyDefaults has run (defaults.go)
}

// Database says how to reach the server and which database is the
// application's.
type Database struct {
	Host         string `toml:"host"`
	Port         int    `toml:"port"`
	Socket       string `toml:"socket"`
	User         string `toml:"user"`
	Password     string `toml:"password"`
	PasswordFile string `toml:"password_file"`
	Name         string `toml:"name"`
	// Names is used instead of Name for a whole-server backup: several
	// databases, or ["*"] for all but the system schemas (databases.go).
	Names []string `toml:"names"`
	// Accounts also backs up the accounts with privileges on the
	// selected databases (all accounts with ["*"]).
	Accounts bool `toml:"accounts"`
}

// Backup is where full backups go and how they are kept.
type Backup struct {
	Dir         string   `toml:"dir"`
	Keep        int      `toml:"keep"`
	Compression string   `toml:"compression"` // gzip | zstd | none
	Timezone    string   `toml:"timezone"`    // IANA name or "Local"
	StaleAfter  Duration `toml:"stale_after"`
	// SigningKey is the ed25519 private key that signs every manifest,
	// made on first use; see SigningKeyPath for the default.
	SigningKey string `toml:"signing_key"`
	// TrustedKeys are other hosts' public keys ("ed25519:<base64>") whose
	// signed backups this host takes as lifeboat's own.
	TrustedKeys []string `toml:"trusted_keys"`
	Retention            // keep_daily, keep_weekly, keep_monthly, keep_yearly (retention.go)
	// KeepPrevious is how many <db>__lifeboat_prev_* schemas (the tables a
	// swap restore replaced, what restore --undo puts back) prune keeps.
	KeepPrevious int `toml:"keep_previous"`
}

// Projects enables per-project backups when Table is set.
type Projects struct {
	Table      string     `toml:"table"`
	IDColumn   string     `toml:"id_column"`
	NameColumn string     `toml:"name_column"`
	Keep       int        `toml:"keep"`
	Relations  []Relation `toml:"relation"`
}

// Relation declares a link the schema does not: Table.Column references
// References ("table.column").
type Relation struct {
	Table      string `toml:"table"`
	Column     string `toml:"column"`
	References string `toml:"references"`
}

// Duration is a time.Duration that reads "26h" style strings from TOML.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration back in Go syntax.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.Duration.String()), nil }

// Defaults used when a key is absent.
const (
	DefaultPort        = 3306
	DefaultKeep        = 20
	DefaultCompression = "gzip"
	DefaultTimezone    = "Local"
	DefaultStaleAfter  = 26 * time.Hour
	DefaultProjectKeep = 10
	// DefaultKeepPrevious keeps the last swap restore's previous tables.
	DefaultKeepPrevious = 1
	// MaxKeepPrevious bounds backup.keep_previous: each is a whole copy.
	MaxKeepPrevious  = 100
	DefaultBackupDir = "/var/backups/lifeboat"
)
