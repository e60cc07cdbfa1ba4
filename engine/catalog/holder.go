package catalog

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Holder is who holds the directory lock, as the holder file next to the
// lock says: the one who took it writes it, so a waiter can name the
// action, the OS user, the process and the time it started.
type Holder struct {
	Action string // "backup", "restore", …
	PID    int
	User   string // the OS login; empty in a file written by an older lifeboat
	Since  time.Time
	Raw    string // the file's text, when it could not be read as above
}

// String is the holder file's line, also quoted in ErrBusy messages:
// "backup pid 4711 by root since 2026-12-02T14:02:00Z".
func (h Holder) String() string {
	if h.Action == "" {
		if h.Raw != "" {
			return h.Raw
		}
		return "unknown holder"
	}
	s := h.Action + " pid " + strconv.Itoa(h.PID)
	if h.User != "" {
		s += " by " + h.User
	}
	return s + " since " + h.Since.Format(time.RFC3339)
}

var holderLine = regexp.MustCompile(`^(.+) pid (\d+)(?: by (\S+))? since (\S+)$`)

// parseHolder reads a holder line; one it cannot read is kept as Raw.
func parseHolder(text string) Holder {
	text = strings.TrimSpace(text)
	m := holderLine.FindStringSubmatch(text)
	if m == nil {
		return Holder{Raw: text}
	}
	pid, err1 := strconv.Atoi(m[2])
	since, err2 := time.Parse(time.RFC3339, m[4])
	if err1 != nil || err2 != nil {
		return Holder{Raw: text}
	}
	return Holder{Action: m[1], PID: pid, User: m[3], Since: since}
}

// ReadHolder reads who holds (or last held) dir's lock.
func ReadHolder(dir string) Holder {
	b, _ := os.ReadFile(filepath.Join(dir, LockName+".holder"))
	return parseHolder(string(b))
}
