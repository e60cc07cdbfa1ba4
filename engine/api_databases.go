package engine

import "time"

// PartsPlan is what a restore of a whole-server file will do: each
// database it restores (in file order) and the accounts.
type PartsPlan struct {
	Databases []DatabasePlan
	// Skipped are databases of the file left alone: the system schemas
	// (mysql of a mariadb-dump --all-databases) and, with --database, the
	// others.
	Skipped []string
	// Accounts are the file's accounts when --accounts is given; nil
	// otherwise. AccountsInFile counts the account statements either way.
	Accounts       []AccountPlan
	AccountsInFile int64
}

// DatabasePlan is one database of a whole-server restore.
type DatabasePlan struct {
	Source       string   // the database in the file
	Target       string   // where it goes (Source, or --into)
	Exists       bool     // the target exists now
	Tables       []string // its tables now, replaced
	SafetyBackup bool     // a safety backup of the target is taken first
	// References are other databases its views, routines and triggers
	// name: kept as written (not renamed by --into).
	References []string
	// Mode is ModeSwap (loaded into a copy, swapped in), or ModeInPlace
	// and ModeReason why (restore_parts_swap.go).
	Mode, ModeReason string
}

// AccountPlan is one account of the file ('user'@'host', or 'role'):
// Exists means it is on the server already and will be left as it is.
type AccountPlan struct {
	Name   string
	Exists bool
	// Global are the server-wide grants the file gives it ("RELOAD,
	// PROCESS ON *.*"), restored with it; never its authentication.
	Global []string
}

// PartsResult is what a whole-server restore did.
type PartsResult struct {
	Databases []DatabaseRestored
	// Accounts created, accounts found existing (left as they were), and
	// the grants not applied (on databases this restore did not restore),
	// each as the plan names them; never an authentication string.
	Created, Existing []string
	SkippedGrants     []string
}

// DatabaseRestored is one database a whole-server restore replaced.
type DatabaseRestored struct {
	Source, Target string
	SafetyBackup   string // "" when none was taken
	Mode           string // ModeSwap or ModeInPlace
	// Previous is where a swap kept the tables it replaced (restore
	// --undo --into Target puts them back), SwapWindow how long it took.
	Previous   string
	SwapWindow time.Duration
}
