package engine

import "time"

// ProjectInfo is one row of the projects table, with its backups.
type ProjectInfo struct {
	ID         string // the id column's value, as text
	Name       string
	Backups    int       // distinct backups in every location (with [[remote]]), as `project backups ID` lists them
	LastBackup time.Time // newest complete one anywhere; zero when none
	// Missing: the project is not in the database now and is listed from
	// its backups (its rows were deleted); Name is its newest backup's.
	Missing bool
	// Locations is each location's share, "local" first, then every
	// [[remote]] in config order; nil without remotes.
	Locations []ProjectLocation
}

// ProjectBackupInfo is one project backup file.
type ProjectBackupInfo struct {
	Filename      string
	Path          string
	Size          int64
	CreatedAt     time.Time
	ModifiedAt    time.Time
	ProjectID     string
	ProjectName   string
	CreatedBy     string
	CreatedByName string
	BackupVersion string
	Tables        map[string]int64 // rows per table in the file
	State         string           // complete, incomplete (no manifest) or corrupt
	Problem       string           // why the file is not complete, or its metadata cannot be read
	// Locations are where the file is, with [[remote]] (issue 20):
	// "local" and each remote holding it; nil without remotes. A backup
	// only a remote holds has an empty Path.
	Locations []Location
	// Encrypted with age (issue 14); Opens says whether the configured
	// identity opens it: OpensYes, OpensNo, OpensNoIdentity ("" when not
	// encrypted, or only a remote holds it and an identity is set).
	Encrypted bool
	Opens     string
}

// Where is the WHERE column: local, offsite or local+offsite.
func (b ProjectBackupInfo) Where() string { return BackupInfo{Locations: b.Locations}.Where() }

// ProjectBackupResult is what a project backup produced.
type ProjectBackupResult struct {
	ProjectBackupInfo
	Duration time.Duration
	Pruned   []string
	Offsite  []OffsiteCopy // one per [[remote]], under <prefix>projects/<id>/ (remote_project.go)
	// RemotePruned is, per remote the backup reached, what that location's
	// keep removed of this project there (remote_project_prune.go).
	RemotePruned []RemotePrune
}

// TablePlan is one table's part of a project restore.
type TablePlan struct {
	Table     string
	Delete    int64 // rows the restore deletes: the backup lacks them or they differ now
	Insert    int64 // rows in the backup that are missing or differ now
	Changed   int64 // of those, rows deleted and inserted again because they differ now
	Unchanged int64
}

// ProjectRestorePlan is what a project restore will do (the dry run).
type ProjectRestorePlan struct {
	ProjectID   string
	ProjectName string
	Filename    string
	CreatedAt   time.Time
	CreatedBy   string
	Tables      []TablePlan // in restore order
	Triggers    []string    // how triggers on affected tables are handled
	Drift       []string    // schema changes since the backup, explained
	Warnings    []string
	Exists      bool   // the project's root row exists now
	CurrentName string // its name now ("" when it does not exist)
	Tree        string // the tables under the root, indented, with current row counts
}

// ProjectRestoreOptions tune a project restore.
type ProjectRestoreOptions struct {
	DryRun bool
}

// ProjectRestoreResult is what a project restore did.
type ProjectRestoreResult struct {
	Plan         ProjectRestorePlan
	Restored     map[string]int64 // rows per table the project holds now: the backup's
	Inserted     map[string]int64 // rows written per table (missing or different)
	Deleted      map[string]int64 // rows removed per table (not in the backup, or different)
	SafetyBackup string
	Duration     time.Duration
}
