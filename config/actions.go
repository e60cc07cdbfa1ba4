package config

// Action is a verb of lifeboat that [access] can restrict and the audit
// log records: its string is the [access] key and the audit "action".
type Action string

// The actions, in the order `use one of` lists them.
const (
	ActionCreate         Action = "create"
	ActionVerify         Action = "verify"
	ActionRestore        Action = "restore"
	ActionDelete         Action = "delete"
	ActionPrune          Action = "prune"
	ActionDownload       Action = "download" // lifeboat cat
	ActionProjectBackup  Action = "project_backup"
	ActionProjectRestore Action = "project_restore"
	ActionProjectDelete  Action = "project_delete"
	ActionProjectVerify  Action = "project_verify"
	ActionProjectPrune   Action = "project_prune"
	ActionSchedule       Action = "schedule"    // lifeboat schedule install
	ActionPush           Action = "push"        // copy a backup to a remote
	ActionPull           Action = "pull"        // copy a backup from a remote
	ActionBinlogSync     Action = "binlog_sync" // copy the server's binary logs into the archive
)

// Actions are every Action: the keys allowed in [access].
var Actions = []Action{ActionCreate, ActionVerify, ActionRestore, ActionDelete, ActionPrune,
	ActionDownload, ActionProjectBackup, ActionProjectRestore, ActionProjectDelete, ActionProjectVerify,
	ActionProjectPrune, ActionSchedule, ActionPush, ActionPull, ActionBinlogSync}

// IsAction reports whether s names an Action.
func IsAction(s string) bool {
	for _, a := range Actions {
		if string(a) == s {
			return true
		}
	}
	return false
}

func actionNames() []string {
	out := make([]string, len(Actions))
	for i, a := range Actions {
		out[i] = string(a)
	}
	return out
}
