package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// RemoteStatus is one remote as status shows it.
type RemoteStatus struct {
	Name       string
	Reachable  bool
	Total      int   // backups with their manifest there
	TotalSize  int64 // their bytes
	Newest     string
	NewestTime time.Time
	Error      string // why it is not reachable; never a secret
}

// remoteStatus fills st.Remotes and warns about a remote that is down
// or that lacks the newest local backup.
func (e *Engine) remoteStatus(ctx context.Context, st *Status) {
	for _, rl := range e.listRemotes(ctx) {
		rs := RemoteStatus{Name: rl.name, Reachable: rl.err == nil}
		if rl.err != nil {
			rs.Error = rl.err.Error()
			st.Warnings = append(st.Warnings, fmt.Sprintf("remote %s is not reachable: backups stay local only: %s", rl.name, rs.Error))
		}
		for name, o := range rl.objects {
			if strings.HasSuffix(name, catalog.ManifestSuffix) || !catalog.IsOurs(name, e.Loc) {
				continue
			}
			if _, ok := rl.objects[catalog.ManifestName(name)]; !ok {
				continue
			}
			rs.Total++
			rs.TotalSize += o.Size
			if t, ok := catalog.ParseBackupTime(name, e.Loc); ok && t.After(rs.NewestTime) {
				rs.Newest, rs.NewestTime = name, t
			}
		}
		if rl.err == nil && st.LastComplete != nil {
			if _, ok := rl.remoteState(st.LastComplete.Filename, -1); !ok {
				st.Warnings = append(st.Warnings, fmt.Sprintf("the newest backup %s is local only: remote %s does not have it: run `lifeboat push %s --remote %s`",
					st.LastComplete.Filename, rl.name, st.LastComplete.Filename, rl.name))
			}
		}
		st.Remotes = append(st.Remotes, rs)
	}
}
