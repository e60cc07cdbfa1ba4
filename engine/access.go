package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/config"
)

// Action is a verb that [access] can restrict and the audit log records;
// config.Actions lists them all.
type Action = config.Action

// The actions, re-exported so that callers of the engine need not import config.
const (
	ActionCreate         = config.ActionCreate
	ActionVerify         = config.ActionVerify
	ActionRestore        = config.ActionRestore
	ActionDelete         = config.ActionDelete
	ActionPrune          = config.ActionPrune
	ActionDownload       = config.ActionDownload
	ActionProjectBackup  = config.ActionProjectBackup
	ActionProjectRestore = config.ActionProjectRestore
	ActionProjectDelete  = config.ActionProjectDelete
	ActionProjectVerify  = config.ActionProjectVerify
	ActionProjectPrune   = config.ActionProjectPrune
	ActionSchedule       = config.ActionSchedule
	ActionPush           = config.ActionPush
	ActionPull           = config.ActionPull
	ActionBinlogSync     = config.ActionBinlogSync
)

// AccessError is a refusal by an [access] rule.
type AccessError struct {
	Action Action
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
func (e *Engine) Allowed(action Action) error {
	rule, ok := e.Cfg.Access[string(action)]
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
