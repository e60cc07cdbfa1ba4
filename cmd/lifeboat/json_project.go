package main

// The --json replies of the `lifeboat project` commands (DESIGN.md "JSON
// shapes"). project verify prints verifyReply and project delete
// deleteReply (json_full.go).

// projectListReply is what `lifeboat project list --json` prints.
type projectListReply struct {
	Projects []projectJSON `json:"projects"` // [] when none
	Total    int           `json:"total"`
}

// projectJSON is one of project list --json's "projects".
type projectJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Backups    int    `json:"backups"`
	LastBackup string `json:"last_backup"` // "" when none
	// InDatabase is false for a project listed only from its backups: its
	// rows were deleted, and it can be restored from them.
	InDatabase bool `json:"in_database"`
	// With [[remote]] (issue 20), backups and last_backup count every
	// location, as project backups ID lists them, and locations gives each
	// one's share: "local" first, then every remote.
	Locations []projectLocationJSON `json:"locations,omitempty"`
}

// projectLocationJSON is one location's share of a project's backups
// (project list and project status --json "locations").
type projectLocationJSON struct {
	Name       string `json:"name"`
	Backups    int    `json:"backups"`
	LastBackup string `json:"last_backup"` // "" when none complete there
	Error      string `json:"error"`       // the remote could not be listed: backups is not known
}

// projectBackupReply is what `lifeboat project backup ID --json` prints.
type projectBackupReply struct {
	Success bool                    `json:"success"`
	Message string                  `json:"message"`
	Backup  projectBackupResultJSON `json:"backup"`
}

// projectBackupResultJSON is project backup --json's "backup".
type projectBackupResultJSON struct {
	fileJSON
	ProjectID   string           `json:"project_id"`
	ProjectName string           `json:"project_name"`
	DataSummary map[string]int64 `json:"data_summary"` // rows per table
	DurationMS  int64            `json:"duration_ms"`
	Offsite     []offsiteJSON    `json:"offsite"` // one per [[remote]]; [] without
}

// projectBackupsReply is what `lifeboat project backups ID --json` prints.
type projectBackupsReply struct {
	Backups         []projectBackupJSON `json:"backups"` // [] when none
	Total           int                 `json:"total"`
	ProjectID       string              `json:"project_id"`
	BackupDirectory string              `json:"backup_directory"`
}

// projectBackupJSON is one project backup file: an entry of project
// backups --json's "backups" and project status --json's "newest_backup".
type projectBackupJSON struct {
	fileJSON
	ModifiedAt string              `json:"modified_at"`
	Metadata   projectMetadataJSON `json:"metadata"`
	State      string              `json:"state"` // complete, incomplete (no manifest) or corrupt
	Error      string              `json:"error"` // empty unless the file is not complete or its metadata is damaged
	// with [[remote]] (issue 20): "local" and each remote holding it, and
	// where: local, offsite or local+offsite (filepath is "" when offsite)
	Locations []locationJSON `json:"locations,omitempty"`
	Where     string         `json:"where,omitempty"`
	// Encrypted (age) project backups say whether the configured identity
	// opens them: "yes", "no" (other keys), "no identity".
	Encrypted bool   `json:"encrypted,omitempty"`
	Opens     string `json:"opens,omitempty"`
}

// projectMetadataJSON is a project backup's "metadata", as the seed
// documents name it.
type projectMetadataJSON struct {
	ProjectID     string `json:"project_id"`
	ProjectName   string `json:"project_name"`
	CreatedAt     string `json:"created_at"`
	CreatedBy     string `json:"created_by"`
	CreatedByName string `json:"created_by_name"`
	BackupVersion string `json:"backup_version"`
}

// projectStatusReply is what `lifeboat project status ID --json` prints.
type projectStatusReply struct {
	Success         bool               `json:"success"`
	ProjectID       string             `json:"project_id"`
	ProjectName     string             `json:"project_name"`
	Exists          bool               `json:"exists"`
	Tables          map[string]int64   `json:"tables"` // rows per table; {} when none
	Backups         int                `json:"backups"`
	NewestBackup    *projectBackupJSON `json:"newest_backup"` // null when none
	BackupDirectory string             `json:"backup_directory"`
	// With [[remote]]: each location's share (backups counts them all).
	Locations []projectLocationJSON `json:"locations,omitempty"`
}

// projectPlanReply is what `lifeboat project restore ID NAME --dry-run
// --json` prints.
type projectPlanReply struct {
	Success  bool                     `json:"success"`
	Message  string                   `json:"message"`
	Plan     map[string]tablePlanJSON `json:"plan"` // per table; {} when none
	Triggers []string                 `json:"triggers"`
	Drift    []string                 `json:"drift"`
	Warnings []string                 `json:"warnings"`
}

// tablePlanJSON is one table of project restore --dry-run --json's "plan".
// Delete and Insert count a changed row on both sides (it is deleted and
// inserted again); Update counts it once, as the change it is.
type tablePlanJSON struct {
	Delete    int64 `json:"delete"`
	Insert    int64 `json:"insert"`
	Changed   int64 `json:"changed"`
	Update    int64 `json:"update"`
	Unchanged int64 `json:"unchanged"`
}

// projectRestoreReply is what `lifeboat project restore ID NAME --yes
// --json` prints.
type projectRestoreReply struct {
	Success        bool                      `json:"success"`
	Message        string                    `json:"message"`
	RestoreSummary projectRestoreSummaryJSON `json:"restore_summary"`
}

// projectRestoreSummaryJSON is project restore --json's "restore_summary".
type projectRestoreSummaryJSON struct {
	BackupFilename  string           `json:"backup_filename"`
	BackupCreatedAt string           `json:"backup_created_at"`
	BackupCreatedBy string           `json:"backup_created_by"`
	RestoredData    map[string]int64 `json:"restored_data"` // rows per table the project holds now
	SafetyBackup    string           `json:"safety_backup"`
	DurationMS      int64            `json:"duration_ms"`
}
