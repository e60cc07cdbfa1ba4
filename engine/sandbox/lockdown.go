package sandbox

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// The throwaway server loads untrusted files (verify --restore), so it is
// locked down on its own, whatever the restore's allow-list lets through:
//   - it never runs as root: when lifeboat is root, install-db and mariadbd
//     are started directly as an unprivileged account (credentials set by
//     the kernel before exec, so the parent-death signal survives, which
//     mariadbd's own --user switch would clear);
//   - secure_file_priv is an empty private directory inside the sandbox,
//     so INTO OUTFILE/DUMPFILE, LOAD DATA INFILE and LOAD_FILE reach
//     nothing outside it;
//   - local_infile is off; there is no TCP listener unless Options.Port;
//   - symbolic links are off (no DATA/INDEX DIRECTORY outside the datadir)
//     and the plugin directory is empty (INSTALL SONAME loads nothing).

// unprivilegedUsers are tried in order when lifeboat runs as root. nobody
// comes first: the mysql account may own a real server's data directory.
var unprivilegedUsers = []string{"nobody", "mysql"}

// runAs is the account the server runs as: nil for "this process's user"
// (not root), else the credentials to start it with.
type runAs struct {
	name     string
	uid, gid uint32
}

func serverAccount() (*runAs, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range unprivilegedUsers {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil || uid == 0 {
			continue
		}
		return &runAs{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
	}
	return nil, fmt.Errorf("sandbox: lifeboat runs as root and none of the accounts %v exists to run the throwaway server as; create one (useradd -r nobody)", unprivilegedUsers)
}

// sysProcAttr starts a child in its own process group, as acct when set,
// and sends it SIGTERM if lifeboat dies.
func (a *runAs) sysProcAttr() *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if a != nil {
		attr.Credential = &syscall.Credential{Uid: a.uid, Gid: a.gid, Groups: []uint32{}}
	}
	return attr
}

// mkdirFor creates dir (0700) owned by acct, or by this user.
func (a *runAs) mkdirFor(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil {
		return err
	}
	if a != nil {
		return os.Chown(dir, int(a.uid), int(a.gid))
	}
	return nil
}

// layout creates the server's private directories under the sandbox's
// top directory top (owned by this process): srv for everything the server
// writes, srv/files for secure_file_priv and srv/plugins (empty). top stays
// ours so the owner record cannot be changed by the server's account; it is
// made traversable (0711) only when the server runs as another account.
func layout(top string, acct *runAs) (srv string, err error) {
	if acct != nil {
		if err := os.Chmod(top, 0o711); err != nil {
			return "", err
		}
	}
	srv = filepath.Join(top, "srv")
	for _, d := range []string{srv, filepath.Join(srv, "files"), filepath.Join(srv, "plugins"), filepath.Join(srv, "tmp")} {
		if err := acct.mkdirFor(d); err != nil {
			return "", fmt.Errorf("sandbox: %w", err)
		}
	}
	return srv, nil
}

// baseDir is where the sandbox directory goes: the temp dir, or /tmp when
// the server's account could not reach into the temp dir (a root TMPDIR
// of mode 0700).
func baseDir(acct *runAs) (string, error) {
	for _, d := range tempDirs() {
		if acct.canTraverse(d) {
			return d, nil
		}
	}
	return "", fmt.Errorf("sandbox: the temp dir %s is not reachable by %s, which the throwaway server runs as; set TMPDIR to a directory others may traverse (mode 0711 or 1777)", os.TempDir(), acct.name)
}

// tempDirs are the places sandboxes are made in (and looked for).
func tempDirs() []string {
	if t := os.TempDir(); t != "/tmp" {
		return []string{t, "/tmp"}
	}
	return []string{"/tmp"}
}

// canTraverse reports whether acct may search every directory on the way
// to dir (always true for this process's own user).
func (a *runAs) canTraverse(dir string) bool {
	if a == nil {
		return true
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for p := abs; ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		if err != nil {
			return false
		}
		sys, ok := st.Sys().(*syscall.Stat_t)
		mode := st.Mode().Perm()
		switch {
		case !ok:
			return false
		case sys.Uid == a.uid:
			if mode&0o100 == 0 {
				return false
			}
		case sys.Gid == a.gid:
			if mode&0o010 == 0 {
				return false
			}
		case mode&0o001 == 0:
			return false
		}
		if p == "/" {
			return true
		}
	}
}

// lockdownArgs are the server options that keep a hostile file inside the
// sandbox.
func lockdownArgs(srv string) []string {
	return []string{
		"--secure-file-priv=" + filepath.Join(srv, "files"),
		"--local-infile=0",
		"--skip-symbolic-links",
		"--plugin-dir=" + filepath.Join(srv, "plugins"),
	}
}
