// Package who names the person behind a command: the OS login, seen
// through sudo, for manifests, the audit log and access rules.
package who

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

// Person is the real user and their groups.
type Person struct {
	Login  string   // the OS login (see Current for how sudo is seen through)
	Name   string   // the full name from the passwd entry, or Login
	Groups []string // group names
}

// unsetLoginUID is what /proc/self/loginuid holds when no login session
// set it (containers, early boot, daemons started outside a login).
const unsetLoginUID = "4294967295"

// facts is what Current decides from, gathered once so that the decision
// itself (decide) is a pure function the tests can walk through.
type facts struct {
	euid       int
	loginUID   string // "" or unsetLoginUID: not set
	sudoUser   string // $SUDO_USER
	sudoUID    string // $SUDO_UID
	parentSudo bool   // the parent process runs the sudo binary
	lookupUID  func(name string) (uid string, ok bool)
}

// decide returns the uid of the person behind the process, or the name of
// the sudo user to trust. The environment is anyone's to set, so SUDO_USER
// counts only when something the caller cannot forge agrees with it:
//
//   - The kernel's login uid (/proc/self/loginuid), set by pam_loginuid at
//     login and kept across sudo and su, is the person whenever it is set.
//     SUDO_USER is used only when it names that same uid; a root shell
//     with SUDO_USER=nobody is still its login user.
//   - Without a login uid (a container, a service), SUDO_USER is trusted
//     only when the process is root, SUDO_UID is SUDO_USER's uid, and the
//     parent process really is sudo (its /proc/PPID/exe). A root shell
//     that exports SUDO_USER has a shell, not sudo, as the parent.
//   - Otherwise the person is the effective user.
func decide(f facts) (uid string, sudoUser string) {
	if f.loginUID != "" && f.loginUID != unsetLoginUID {
		if f.sudoUser != "" {
			if u, ok := f.lookupUID(f.sudoUser); ok && u == f.loginUID {
				return "", f.sudoUser
			}
		}
		return f.loginUID, ""
	}
	if f.euid == 0 && f.sudoUser != "" && f.parentSudo {
		if u, ok := f.lookupUID(f.sudoUser); ok && u == f.sudoUID {
			return "", f.sudoUser
		}
	}
	return strconv.Itoa(f.euid), ""
}

// Current returns the invoking user: the login user the kernel recorded,
// or, without one, the user who ran sudo when sudo really is the parent.
func Current() Person {
	f := facts{
		euid:      os.Geteuid(),
		loginUID:  readLoginUID(),
		sudoUser:  os.Getenv("SUDO_USER"),
		sudoUID:   os.Getenv("SUDO_UID"),
		lookupUID: lookupUID,
	}
	if f.sudoUser != "" {
		f.parentSudo = parentIsSudo()
	}
	uid, sudo := decide(f)
	var u *user.User
	var err error
	if sudo != "" {
		u, err = user.Lookup(sudo)
	} else {
		u, err = user.LookupId(uid)
	}
	if err != nil {
		// A uid without a passwd entry is still someone: name it by number.
		return Person{Login: uid + sudo, Name: uid + sudo}
	}
	p := Person{Login: u.Username, Name: u.Name}
	if p.Name == "" {
		p.Name = u.Username
	}
	if gids, err := u.GroupIds(); err == nil {
		for _, g := range gids {
			if grp, err := user.LookupGroupId(g); err == nil {
				p.Groups = append(p.Groups, grp.Name)
			}
		}
	}
	return p
}

func readLoginUID() string {
	b, err := os.ReadFile("/proc/self/loginuid")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func lookupUID(name string) (string, bool) {
	u, err := user.Lookup(name)
	if err != nil {
		return "", false
	}
	return u.Uid, true
}

// parentIsSudo reports whether the parent process runs a sudo binary
// (sudo, or sudo-rs), read from the kernel rather than the environment.
func parentIsSudo() bool {
	exe, err := os.Readlink("/proc/" + strconv.Itoa(os.Getppid()) + "/exe")
	if err != nil {
		return false
	}
	base := filepath.Base(strings.TrimSuffix(exe, " (deleted)"))
	return base == "sudo" || base == "sudo-rs"
}
