// Package binlog owns lifeboat's binary-log archive: copying the server's
// binary logs into <backup.dir>/binlog/ (sync), indexing each finished file,
// listing the transactions they hold (events) and replaying a range of them
// into one database (replay). It drives the vendor's own mariadb-binlog
// (mysqlbinlog on MySQL), which ships with the client a sysadmin already has
// and reads every event type of its server version; credentials reach it
// only through a 0600 defaults file that is removed afterwards.
package binlog

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Conn is how the client programs reach the server.
type Conn struct {
	User     string
	Password string
	Host     string // empty with Socket
	Port     int
	Socket   string
}

// ErrNoTool says that neither mariadb-binlog nor mysqlbinlog is installed.
var ErrNoTool = errors.New("mariadb-binlog is not installed: run `sudo apt-get install -y mariadb-client` (it ships mariadb-binlog)")

// Tool finds the binlog client: mariadb-binlog, else mysqlbinlog.
func Tool() (string, error) {
	return findProgram("mariadb-binlog", "mysqlbinlog")
}

// Client finds the SQL client that replay feeds: mariadb, else mysql.
func Client() (string, error) {
	p, err := findProgram("mariadb", "mysql")
	if err != nil {
		return "", errors.New("the mariadb client is not installed: run `sudo apt-get install -y mariadb-client`")
	}
	return p, nil
}

func findProgram(names ...string) (string, error) {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
		for _, dir := range []string{"/usr/bin", "/usr/local/bin", "/usr/local/mysql/bin"} {
			p := filepath.Join(dir, n)
			if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
				return p, nil
			}
		}
	}
	return "", ErrNoTool
}

// defaultsFile writes c as a [client] option file, mode 0600, in the
// system temp directory, and returns its path and a func that removes it.
// Programs read it through --defaults-file, so no secret is in argv.
func defaultsFile(c Conn) (string, func(), error) {
	f, err := os.CreateTemp("", "lifeboat-client-*.cnf") // CreateTemp makes it 0600
	if err != nil {
		return "", func() {}, fmt.Errorf("client options file: %w", err)
	}
	remove := func() { os.Remove(f.Name()) }
	var b strings.Builder
	b.WriteString("[client]\n")
	opt := func(k, v string) {
		if v != "" {
			b.WriteString(k + "=" + quoteOption(v) + "\n")
		}
	}
	opt("user", c.User)
	opt("password", c.Password)
	if c.Socket != "" {
		opt("socket", c.Socket)
	} else {
		opt("host", c.Host)
		if c.Port > 0 {
			opt("port", strconv.Itoa(c.Port))
		}
		opt("protocol", "tcp")
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		remove()
		return "", func() {}, fmt.Errorf("client options file: %w", err)
	}
	if err := f.Close(); err != nil {
		remove()
		return "", func() {}, fmt.Errorf("client options file: %w", err)
	}
	return f.Name(), remove, nil
}

// quoteOption quotes an option-file value so that any byte survives.
func quoteOption(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return `"` + r.Replace(v) + `"`
}

// utcEnv is the environment for mariadb-binlog: times it prints are UTC.
func utcEnv() []string {
	env := []string{"TZ=UTC"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TZ=") && !strings.HasPrefix(kv, "MYSQL_PWD=") {
			env = append(env, kv)
		}
	}
	return env
}
