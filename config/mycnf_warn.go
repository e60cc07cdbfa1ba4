package config

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// WarnOutput receives warnings about option files lifeboat reads but
// should not trust (stderr; tests capture it).
var WarnOutput io.Writer = os.Stderr

var (
	warnMu sync.Mutex
	warned = map[string]bool{}
)

// warnReadablePassword warns, once per file and process, that the option
// file a password came from can be read by others than its owner: the
// password is used (the mysql client would use it too), but the sysadmin
// should know and chmod it. The password itself is never printed.
func warnReadablePassword(o Option) {
	if o.Value == "" {
		return // no secret to leak
	}
	st, err := os.Stat(o.File)
	if err != nil {
		return
	}
	perm := st.Mode().Perm()
	if perm&0o044 == 0 {
		return
	}
	warnMu.Lock()
	defer warnMu.Unlock()
	if warned[o.File] {
		return
	}
	warned[o.File] = true
	who := "others"
	if perm&0o004 == 0 {
		who = "its group"
	}
	fmt.Fprintf(WarnOutput, "lifeboat: warning: option file %s holds a password (line %d) and is readable by %s (mode %04o): run chmod 600 %s\n",
		o.File, o.Line, who, perm, o.File)
}
