package engine

import (
	"fmt"
	"log"
	"os"
	"strings"
	"sync"

	"github.com/go-sql-driver/mysql"
)

// driverLog is the MySQL driver's logger for every connection lifeboat
// opens. By default it writes to stderr as the driver does; while the
// screen is up, RouteDriverLog sends its lines elsewhere, so that a line
// such as "closing bad idle connection: EOF" never lands on the UI.
//
// The driver copies its default logger into each Config when the Config
// is made, so it must be in place before any Config exists: it is set in
// init, and Open sets it on the engine's config too.
var driverLog = &switchLogger{std: log.New(os.Stderr, "[mysql] ", log.Ldate|log.Ltime)}

func init() { _ = mysql.SetLogger(driverLog) }

type switchLogger struct {
	mu  sync.Mutex
	to  func(line string) // nil: stderr
	off bool              // set with a nil route: lines are dropped
	std *log.Logger
}

func (l *switchLogger) Print(v ...any) {
	l.mu.Lock()
	to, off := l.to, l.off
	l.mu.Unlock()
	switch {
	case to != nil:
		to(strings.TrimSpace(fmt.Sprint(v...)))
	case !off:
		l.std.Print(v...)
	}
}

// RouteDriverLog sends the MySQL driver's log lines to fn (nil drops
// them) instead of stderr, until the returned func is called. The
// screen uses it while it owns the terminal.
func RouteDriverLog(fn func(line string)) (restore func()) {
	driverLog.mu.Lock()
	prevTo, prevOff := driverLog.to, driverLog.off
	driverLog.to, driverLog.off = fn, fn == nil
	driverLog.mu.Unlock()
	return func() {
		driverLog.mu.Lock()
		driverLog.to, driverLog.off = prevTo, prevOff
		driverLog.mu.Unlock()
	}
}
