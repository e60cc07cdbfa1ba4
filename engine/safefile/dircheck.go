package safefile

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrUnsafeDir is wrapped into errors about a directory that others could
// plant files or symbolic links in.
var ErrUnsafeDir = errors.New("unsafe directory")

// NoFollow is added to the flags of every file lifeboat opens for writing,
// so that a symbolic link planted in its place fails (ELOOP) instead of
// redirecting the write.
const NoFollow = syscall.O_NOFOLLOW

// CheckDir refuses a directory lifeboat writes in when another user could
// plant a symbolic link in it, as ssh's StrictModes does: the directory
// must not be writable by group or others and must be owned by root or by
// the current user; each directory above it (and above where it resolves
// to) must be owned by root or the current user, and not writable by
// group or others unless sticky (as /tmp is). The error says which chmod
// or chown fixes it.
func CheckDir(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := checkOne(abs, abs, false); err != nil {
		return err
	}
	paths := []string{abs}
	if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
		if err := checkOne(abs, real, false); err != nil {
			return err
		}
		paths = append(paths, real)
	}
	for _, p := range paths {
		for d := filepath.Dir(p); ; d = filepath.Dir(d) {
			if err := checkOne(abs, d, true); err != nil {
				return err
			}
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	return nil
}

// checkOne checks path (dir itself, or one of its parents when parent).
func checkOne(dir, path string, parent bool) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("backup directory %s: %w", dir, err)
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	what := "backup directory " + dir
	if parent {
		what = fmt.Sprintf("backup directory %s: its parent %s", dir, path)
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory: %w", what, ErrUnsafeDir)
	}
	euid := os.Geteuid()
	if uid := int(sys.Uid); uid != 0 && uid != euid {
		return fmt.Errorf("%s is owned by %s, not by you (%s) or root, who could plant symbolic links in it: %w; run chown %s %s, or choose another backup.dir",
			what, userName(uid), userName(euid), ErrUnsafeDir, userName(euid), path)
	}
	perm := st.Mode().Perm()
	if perm&0o022 != 0 && !(parent && st.Mode()&os.ModeSticky != 0) {
		who := "group and others"
		switch {
		case perm&0o020 == 0:
			who = "others"
		case perm&0o002 == 0:
			who = "its group"
		}
		return fmt.Errorf("%s is writable by %s (mode %04o), who could plant symbolic links in it: %w; run chmod go-w %s",
			what, who, perm, ErrUnsafeDir, path)
	}
	return nil
}

func userName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		return u.Username
	}
	return strconv.Itoa(uid)
}

// NoSymlink fails when path is a symbolic link, naming it and its target.
// A missing path is fine.
func NoSymlink(path string) error {
	st, err := os.Lstat(path)
	if err != nil || st.Mode()&os.ModeSymlink == 0 {
		return nil
	}
	target, _ := os.Readlink(path)
	return fmt.Errorf("%s is a symbolic link to %s: lifeboat never writes through links in its directories: %w; remove it, and find out who planted it",
		path, target, ErrUnsafeDir)
}

// MkdirUnder creates dir and any missing directories between base and dir
// with mode 0700, refusing any of them that is a symbolic link or not a
// directory, so that a link planted at base/projects cannot send writes
// elsewhere. dir must be inside base.
func MkdirUnder(base, dir string) error {
	rel, err := filepath.Rel(base, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") || filepath.IsAbs(rel) {
		return fmt.Errorf("create %s: not inside %s", dir, base)
	}
	cur := base
	for _, part := range strings.Split(rel, "/") {
		if part == "." {
			continue
		}
		cur = filepath.Join(cur, part)
		if err := os.Mkdir(cur, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
			return Explain(err, cur)
		}
		st, err := os.Lstat(cur)
		if err != nil {
			return Explain(err, cur)
		}
		if st.Mode()&os.ModeSymlink != 0 {
			return NoSymlink(cur)
		}
		if !st.IsDir() {
			return fmt.Errorf("%s is not a directory: %w; move it away", cur, ErrUnsafeDir)
		}
	}
	return nil
}
