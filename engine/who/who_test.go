package who

import (
	"os"
	"os/exec"
	"os/user"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for lifeboat as a child process
// whose environment the test chooses.
func TestMain(m *testing.M) {
	if os.Getenv("LIFEBOAT_WHO_CHILD") == "1" {
		os.Stdout.WriteString(Current().Login + "\n")
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// childLogin runs this test binary as a child with env added and returns
// the login it sees.
func childLogin(t *testing.T, env ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "LIFEBOAT_WHO_CHILD=1"), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// expectedSelf is who the child is without any sudo: the login uid's user
// when the kernel has one, else the effective user.
func expectedSelf(t *testing.T) string {
	t.Helper()
	uid := readLoginUID()
	if uid == "" || uid == unsetLoginUID {
		u, err := user.Current()
		if err != nil {
			t.Fatal(err)
		}
		return u.Username
	}
	u, err := user.LookupId(uid)
	if err != nil {
		return uid
	}
	return u.Username
}

func TestTrust18SudoUserOutsideSudoIsNotBelieved(t *testing.T) {
	if _, err := user.Lookup("nobody"); err != nil {
		t.Fatalf("the test needs the user nobody: %v", err)
	}
	want := expectedSelf(t)
	if want == "nobody" {
		t.Fatalf("the test must not run as nobody")
	}
	got := childLogin(t, "SUDO_USER=nobody", "SUDO_UID=65534", "SUDO_GID=65534", "SUDO_COMMAND=/usr/bin/lifeboat")
	if got != want {
		t.Fatalf("a child with SUDO_USER=nobody (not run by sudo) is %q, want %q", got, want)
	}
	if plain := childLogin(t); plain != want {
		t.Fatalf("a child without SUDO_USER is %q, want %q", plain, want)
	}
}

func TestTrust18Decide(t *testing.T) {
	users := map[string]string{"root": "0", "alice": "1000", "nobody": "65534"}
	lookup := func(n string) (string, bool) { u, ok := users[n]; return u, ok }
	cases := []struct {
		name      string
		f         facts
		uid, sudo string
	}{
		{"root shell, no login uid, forged SUDO_USER", facts{euid: 0, loginUID: unsetLoginUID, sudoUser: "nobody", sudoUID: "65534"}, "0", ""},
		{"real sudo, no login uid", facts{euid: 0, loginUID: unsetLoginUID, sudoUser: "alice", sudoUID: "1000", parentSudo: true}, "", "alice"},
		{"real sudo parent, SUDO_UID disagrees", facts{euid: 0, sudoUser: "alice", sudoUID: "65534", parentSudo: true}, "0", ""},
		{"not root, SUDO_USER set", facts{euid: 1000, sudoUser: "nobody", sudoUID: "65534", parentSudo: true}, "1000", ""},
		{"login uid alice, sudo from alice", facts{euid: 0, loginUID: "1000", sudoUser: "alice", sudoUID: "1000"}, "", "alice"},
		{"login uid alice, forged SUDO_USER", facts{euid: 0, loginUID: "1000", sudoUser: "nobody", sudoUID: "65534", parentSudo: true}, "1000", ""},
		{"login uid alice, su to root", facts{euid: 0, loginUID: "1000"}, "1000", ""},
		{"plain user", facts{euid: 1000, loginUID: "1000"}, "1000", ""},
	}
	for _, c := range cases {
		c.f.lookupUID = lookup
		uid, sudo := decide(c.f)
		if uid != c.uid || sudo != c.sudo {
			t.Errorf("%s: decide = (%q, %q), want (%q, %q)", c.name, uid, sudo, c.uid, c.sudo)
		}
	}
}
