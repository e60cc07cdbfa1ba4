// Package who names the person behind a command: the OS login, seen
// through sudo, for manifests, the audit log and access rules.
package who

import (
	"os"
	"os/user"
)

// Person is the real user and their groups.
type Person struct {
	Login  string   // the OS login (SUDO_USER when run through sudo as root)
	Name   string   // the full name from the passwd entry, or Login
	Groups []string // group names
}

// Current returns the invoking user. Through sudo, it is the user who ran
// sudo, not root.
func Current() Person {
	u, err := user.Current()
	if err != nil {
		return Person{Login: os.Getenv("USER"), Name: os.Getenv("USER")}
	}
	if sudo := os.Getenv("SUDO_USER"); sudo != "" && os.Geteuid() == 0 {
		if su, err := user.Lookup(sudo); err == nil {
			u = su
		}
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
