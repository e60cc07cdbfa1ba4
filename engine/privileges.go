package engine

import (
	"context"
	"strings"
)

// PrivilegeReport says, for the configured MySQL account, what each
// action needs and what the account lacks. Status shows it at start-up so
// a missing grant is found before a restore at 3 a.m., not during it.
type PrivilegeReport struct {
	Account  string // CURRENT_USER(), user@host
	Database string // database.name, the schema the check is for
	// Role is the active role, when there is one: its privileges are not
	// listed per user, so Missing may overstate what is lacking.
	Role    string
	Actions []ActionPrivileges
}

// ActionPrivileges is one action's needs.
type ActionPrivileges struct {
	Action  string   // as in [access]: create, restore, project_backup, project_restore
	Needs   []string // privileges the action cannot do without
	Missing []string // those of Needs the account lacks
	Wants   []string // privileges that make it better (RELOAD: parallel, consistent reads)
	Lacks   []string // those of Wants the account lacks
	Note    string   // what lacking Wants costs
}

// OK reports whether the action can run.
func (a ActionPrivileges) OK() bool { return len(a.Missing) == 0 }

// actionNeeds are the privileges each action needs on database.name (or
// globally, for RELOAD).
var actionNeeds = []ActionPrivileges{
	{Action: "create", Needs: []string{"SELECT", "SHOW VIEW", "TRIGGER", "EVENT"},
		Wants: []string{"RELOAD"}, Note: "without RELOAD the dump reads every table on one connection (consistent, but slower)"},
	{Action: "restore", Needs: append(append([]string{}, restorePrivileges...), "SELECT", "SHOW VIEW")},
	{Action: "project_backup", Needs: []string{"SELECT"}},
	{Action: "project_restore", Needs: []string{"SELECT", "INSERT", "UPDATE", "DELETE", "TRIGGER"}},
}

// Privileges reads the account's grants and checks them against what each
// action needs. It changes nothing.
func (e *Engine) Privileges(ctx context.Context) (PrivilegeReport, error) {
	rep := PrivilegeReport{Database: e.Cfg.Database.Primary()}
	srv, err := e.serverDB()
	if err != nil {
		return rep, err
	}
	defer srv.Close()
	g, err := e.readGrants(ctx, srv, rep.Database)
	if err != nil {
		return rep, err
	}
	rep.Account, rep.Role = g.account, g.role
	for _, a := range actionNeeds {
		if strings.HasPrefix(a.Action, "project_") && e.Cfg.Projects.Table == "" {
			continue // per-project backups are not configured
		}
		a.Needs = uniq(a.Needs)
		a.Missing = g.missing(a.Needs)
		a.Lacks = g.missing(a.Wants)
		if len(a.Lacks) == 0 {
			a.Note = ""
		}
		rep.Actions = append(rep.Actions, a)
	}
	return rep, nil
}

// Summary is one line per action: "restore: lacks DROP, ALTER".
func (a ActionPrivileges) Summary() string {
	var parts []string
	if len(a.Missing) > 0 {
		parts = append(parts, "lacks "+strings.Join(a.Missing, ", "))
	}
	if len(a.Lacks) > 0 {
		parts = append(parts, "would like "+strings.Join(a.Lacks, ", ")+": "+a.Note)
	}
	if len(parts) == 0 {
		return "ok"
	}
	return strings.Join(parts, "; ")
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
