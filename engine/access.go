package engine

import (
	"fmt"
	"slices"
	"strings"
)

// Actions the [access] section can restrict.
var Actions = []string{"create", "verify", "restore", "delete", "prune", "project_backup", "project_restore", "project_delete"}

// AccessError is a refusal by an [access] rule.
type AccessError struct {
	Action string
	User   string
	Rule   []string
}

func (e *AccessError) Error() string {
	return fmt.Sprintf("%s is not allowed for user %q: access.%s = [%s] in the config; ask an administrator to add you or a group of yours",
		e.Action, e.User, e.Action, strings.Join(quoteAll(e.Rule), ", "))
}

// Allowed says whether the OS user behind this process may do action. With
// no [access] section, or no rule for the action, everything is allowed.
// It is a guard for a shared, root-owned config, not a security boundary:
// whoever can read the database password can bypass it.
func (e *Engine) Allowed(action string) error {
	rule, ok := e.Cfg.Access[action]
	if !ok {
		return nil
	}
	for _, who := range rule {
		switch {
		case who == "*":
			return nil
		case strings.HasPrefix(who, "@"):
			if slices.Contains(e.Who.Groups, who[1:]) {
				return nil
			}
		case who == e.Who.Login:
			return nil
		}
	}
	return &AccessError{Action: action, User: e.Who.Login, Rule: rule}
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}
