package sandbox_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestTrust05ServerIsLockedDownOnItsOwn runs the statements a hostile
// backup would hold directly on a throwaway server, with no allow-list in
// front: the server itself must refuse to write or read files outside its
// directory, run as an unprivileged account when we are root, listen on
// no TCP port and load no plugin.
func TestTrust05ServerIsLockedDownOnItsOwn(t *testing.T) {
	s := testdb.NewServer(t, sandboxOptions())
	ctx := context.Background()
	cfg := s.Config("")
	cfg.AllowAllFiles = true // the client would send any local file: the server must not ask
	db, err := openConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	// Who the server runs as, and who owns what it writes.
	uid := procUID(t, s.Pid())
	if os.Geteuid() == 0 && uid == 0 {
		t.Fatalf("mariadbd (pid %d) runs as root", s.Pid())
	}
	if os.Geteuid() != 0 && uid != os.Geteuid() {
		t.Fatalf("mariadbd runs as uid %d, not as this user %d", uid, os.Geteuid())
	}
	var dataDir string
	if err := db.QueryRow("SELECT @@datadir").Scan(&dataDir); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dataDir, "ibdata1"))
	if err != nil {
		t.Fatal(err)
	}
	if owner := int(st.Sys().(*syscall.Stat_t).Uid); owner != uid {
		t.Fatalf("data file ibdata1 owned by uid %d, the server runs as %d", owner, uid)
	}

	var priv, localInfile, skipNet, symlink string
	if err := db.QueryRow("SELECT @@secure_file_priv, @@local_infile, @@skip_networking, @@have_symlink").Scan(&priv, &localInfile, &skipNet, &symlink); err != nil {
		t.Fatal(err)
	}
	if priv == "" || !strings.HasPrefix(priv, s.Dir+"/") || localInfile != "0" || skipNet != "1" || symlink != "DISABLED" {
		t.Fatalf("secure_file_priv=%q local_infile=%s skip_networking=%s have_symlink=%s; want a dir inside %s, 0, 1, DISABLED",
			priv, localInfile, skipNet, symlink, s.Dir)
	}
	if des, err := os.ReadDir(priv); err != nil || len(des) != 0 {
		t.Fatalf("secure_file_priv %s is not an empty directory: %v %v", priv, des, err)
	}

	victim := filepath.Join(t.TempDir(), "written-by-the-sandbox")
	if err := os.Chmod(filepath.Dir(victim), 0o777); err != nil { // writable by the server's account too
		t.Fatal(err)
	}
	mustFail := func(q string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q); err == nil {
			t.Errorf("the sandbox ran %q", q)
		}
	}
	mustExec := func(q string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	mustExec("CREATE DATABASE trust05")
	mustExec("CREATE TABLE trust05.t (line TEXT)")
	mustFail("SELECT 'owned' INTO OUTFILE '" + victim + "'")
	mustFail("SELECT 'owned' INTO DUMPFILE '" + victim + "'")
	mustFail("LOAD DATA INFILE '/etc/passwd' INTO TABLE trust05.t")
	mustFail("LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE trust05.t")
	mustFail("INSTALL SONAME 'ha_federatedx'")
	var loaded *string
	if err := db.QueryRow("SELECT LOAD_FILE('/etc/passwd')").Scan(&loaded); err != nil || loaded != nil {
		t.Errorf("LOAD_FILE('/etc/passwd') = %v, %v; want NULL", loaded != nil, err)
	}
	_, _ = db.ExecContext(ctx, "CREATE TABLE trust05.d (id INT) ENGINE=InnoDB DATA DIRECTORY='"+filepath.Dir(victim)+"'")
	_, _ = db.ExecContext(ctx, "CREATE TABLE trust05.m (id INT) ENGINE=MyISAM DATA DIRECTORY='"+filepath.Dir(victim)+"'")

	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM trust05.t").Scan(&n); err != nil || n != 0 {
		t.Errorf("trust05.t holds %d rows read from /etc/passwd (%v)", n, err)
	}
	if des, _ := os.ReadDir(filepath.Dir(victim)); len(des) != 0 {
		var names []string
		for _, de := range des {
			names = append(names, de.Name())
		}
		t.Errorf("the sandbox wrote %v into %s", names, filepath.Dir(victim))
	}
}

func procUID(t *testing.T, pid int) int {
	t.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "Uid:"); ok {
			f := strings.Fields(rest)
			uid, err := strconv.Atoi(f[1]) // effective
			if err != nil {
				t.Fatal(err)
			}
			return uid
		}
	}
	t.Fatalf("no Uid line in /proc/%d/status", pid)
	return -1
}
