package engine

// Replaying the binary log needs a privilege a full restore does not: the
// decoder's output holds BINLOG statements (row events) and session
// settings that MariaDB allows only with BINLOG REPLAY (10.5.2 and later)
// or SUPER; MySQL with REPLICATION_APPLIER or SUPER. Without it the base
// backup would be restored and the replay refused at its first event,
// leaving the target half-way; so it is checked before anything changes.

import (
	"context"
	"fmt"
	"strings"
)

// checkReplayPrivilege refuses a point-in-time restore into target when
// the account cannot replay the log, naming the privilege and the GRANT.
// With an active role the check is left to the server, as for the other
// restore privileges.
func (e *Engine) checkReplayPrivilege(ctx context.Context, target string) error {
	srv, err := e.serverDB()
	if err != nil {
		return err
	}
	defer srv.Close()
	var version string
	if err := srv.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		return fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	g, err := e.readGrants(ctx, srv, target)
	if err != nil {
		return err
	}
	need := "BINLOG REPLAY"
	if !strings.Contains(strings.ToLower(version), "mariadb") {
		need = "REPLICATION_APPLIER"
	}
	if g.role != "" || g.have["SUPER"] || g.have[need] {
		return nil
	}
	return fmt.Errorf("account %s lacks %s (or SUPER), which replaying the binary log needs; nothing was changed; grant it with: GRANT %s ON *.* TO %s",
		g.account, need, need, g.grantee)
}
