package config

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// parseOne parses body as one option file and returns key → value of the
// options in [client], failing the test on a parse error.
func parseOne(t *testing.T, body string) map[string]string {
	t.Helper()
	p := writeFile(t, t.TempDir(), "my.cnf", body, 0o600)
	opts, err := ParseOptionFile(p)
	if err != nil {
		t.Fatalf("ParseOptionFile: %v", err)
	}
	got := map[string]string{}
	for _, o := range opts {
		if o.Group == "client" {
			got[o.Key] = o.Value
		}
	}
	return got
}

func TestParseOptionFileQuotingAndComments(t *testing.T) {
	cases := []struct{ line, want string }{
		{`password = "s3cr#t"`, `s3cr#t`},
		{`password = 's3cr#t' # comment`, `s3cr#t`},
		{`password = s3cr#t`, `s3cr`},
		{`password = abc ; not a comment`, `abc ; not a comment`},
		{`password = "a\"b"`, `a"b`},
		{`password = "a\\b"`, `a\b`},
		{`password = "tab\there"`, "tab\there"},
		{`password = a\sb`, `a b`},
		{`password = a\qb`, `a\qb`},
		{`password = 'it\'s'`, `it's`},
		{`password = "unterminated # kept`, `"unterminated # kept`},
		{`password = ""`, ``},
		{`password=  padded  `, `padded`},
		{`password = "  inner spaces  "`, `  inner spaces  `},
		{`password = "x" y "z"`, `x" y "z`},
		{"password = crlf\r", `crlf`},
	}
	for _, c := range cases {
		got := parseOne(t, "[client]\n"+c.line+"\n")
		if v, ok := got["password"]; !ok || v != c.want {
			t.Errorf("%q: password = %q (present %v), want %q", c.line, v, ok, c.want)
		}
	}
}

func TestParseOptionFileGroupsKeysAndBareOptions(t *testing.T) {
	p := writeFile(t, t.TempDir(), "my.cnf",
		"# comment\n; comment\n[client]\nbare-key\nloose-user = u\n[CLIENT-MariaDB ]\nport=3307\n[mysqld]\nport = 9\n", 0o600)
	opts, err := ParseOptionFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(opts) != 4 {
		t.Fatalf("got %d options, want 4: %+v", len(opts), opts)
	}
	if o := opts[0]; o.Key != "bare-key" || o.HasValue || o.NormalKey() != "bare_key" || o.Line != 4 {
		t.Errorf("bare option = %+v", o)
	}
	if o := opts[1]; o.NormalKey() != "user" || o.Value != "u" {
		t.Errorf("loose- option = %+v, NormalKey %q", o, o.NormalKey())
	}
	if o := opts[2]; o.Group != "CLIENT-MariaDB" || o.Value != "3307" || o.File != p {
		t.Errorf("group with trailing space = %+v", o)
	}
	if o := opts[3]; o.Group != "mysqld" {
		t.Errorf("last group = %q", o.Group)
	}
}

func TestParseOptionFileErrorsNameFileAndLine(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ body, want string }{
		{"user = x\n", "line 1: option before any [group]"},
		{"[client\n", "line 1: group line"},
		{"[client]\n!include\n", "line 2: !include needs a file"},
		{"[client]\n!includedir " + filepath.Join(dir, "nope") + "\n", "line 2: !includedir"},
	}
	for i, c := range cases {
		p := writeFile(t, dir, "bad"+string(rune('a'+i))+".cnf", c.body, 0o600)
		_, err := ParseOptionFile(p)
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want it to name %s and contain %q", c.body, err, p, c.want)
		}
	}
}

func TestParseOptionFileIncludes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "conf.d/b.cnf", "[client]\norder = b\n", 0o644)
	writeFile(t, dir, "conf.d/a.cnf", "[client]\norder = a\n", 0o644)
	writeFile(t, dir, "conf.d/c.txt", "[client]\norder = txt\n", 0o644)
	writeFile(t, dir, "conf.d/w.cnf", "[client]\norder = world-writable\n", 0o666)
	writeFile(t, dir, "extra.cnf", "[client]\nextra = yes\n", 0o600)
	main := writeFile(t, dir, "my.cnf", "[client]\norder = first\n"+
		"!includedir "+filepath.Join(dir, "conf.d")+"\n"+
		"!include extra.cnf\n"+ // relative to this file's directory
		"!include "+filepath.Join(dir, "missing.cnf")+"\n"+
		"! include\t"+filepath.Join(dir, "extra.cnf")+"  \n"+
		"!unknown directive\n"+
		"last = here\n", 0o600)
	opts, err := ParseOptionFile(main)
	if err != nil {
		t.Fatal(err)
	}
	var seq []string
	for _, o := range opts {
		seq = append(seq, o.Key+"="+o.Value+"@"+filepath.Base(o.File))
	}
	want := "order=first@my.cnf order=a@a.cnf order=b@b.cnf extra=yes@extra.cnf extra=yes@extra.cnf last=here@my.cnf"
	if got := strings.Join(seq, " "); got != want {
		t.Errorf("options in order:\n got %s\nwant %s", got, want)
	}
}

func TestParseOptionFileIncludeLoopIsBounded(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.cnf")
	b := filepath.Join(dir, "b.cnf")
	writeFile(t, dir, "a.cnf", "[client]\nuser = a\n!include "+b+"\n", 0o600)
	writeFile(t, dir, "b.cnf", "[client]\n!include "+a+"\n", 0o600)
	_, err := ParseOptionFile(a)
	if err == nil || !strings.Contains(err.Error(), "include loop") {
		t.Fatalf("err = %v, want an include loop error", err)
	}
}

func TestParseOptionFileRefusesNonRegularInclude(t *testing.T) {
	p := writeFile(t, t.TempDir(), "my.cnf", "[client]\n!include /dev/zero\n", 0o600)
	_, err := ParseOptionFile(p)
	if err == nil || !strings.Contains(err.Error(), "my.cnf line 2: !include: option file /dev/zero: not a regular file") {
		t.Fatalf("err = %v, want /dev/zero refused", err)
	}
}

// TestParseOptionFileMatchesMyPrintDefaults runs the real client parser
// (my_print_defaults from MariaDB) over the sample files and compares.
func TestParseOptionFileMatchesMyPrintDefaults(t *testing.T) {
	bin, err := exec.LookPath("my_print_defaults")
	if err != nil {
		t.Fatalf("my_print_defaults (package mariadb-client) is needed for this test: %v", err)
	}
	files, err := filepath.Glob("testdata/mycnf/*.cnf")
	if err != nil || len(files) < 4 {
		t.Fatalf("sample option files: %v %v", files, err)
	}
	groups := []string{"client", "client-server", "client-mariadb", "mysql", "mysqldump"}
	for _, f := range files {
		out, err := exec.Command(bin, append([]string{"--defaults-file=" + f}, groups...)...).Output()
		if err != nil {
			t.Fatalf("%s %s: %v", bin, f, err)
		}
		opts, err := ParseOptionFile(f)
		if err != nil {
			t.Fatalf("ParseOptionFile(%s): %v", f, err)
		}
		var b strings.Builder
		for _, o := range opts {
			if !inFold(o.Group, groups) {
				continue
			}
			b.WriteString("--" + o.Key)
			if o.HasValue {
				b.WriteString("=" + o.Value)
			}
			b.WriteString("\n")
		}
		if b.String() != string(out) {
			t.Errorf("%s:\nours:\n%s\nmy_print_defaults:\n%s", f, b.String(), out)
		}
	}
}

func inFold(g string, groups []string) bool {
	for _, x := range groups {
		if strings.EqualFold(g, x) {
			return true
		}
	}
	return false
}

func TestClientOptionsOverrideOrderAndGroups(t *testing.T) {
	dir := t.TempDir()
	etc := writeFile(t, dir, "etc.cnf", "[client-server]\nsocket = /run/a.sock\n[client]\nuser = etc\nport = 1\n", 0o644)
	sys := writeFile(t, dir, "sys.cnf", "[client]\nuser = sys\n[client-mariadb]\nport = 2\n[mysql]\nuser = cli-only\n", 0o644)
	home := writeFile(t, dir, "home.cnf", "[client-mariadb]\nuser = home\n[client]\nuser = home-later\n[mysqld]\nport = 9\n", 0o600)
	ww := writeFile(t, dir, "ww.cnf", "[client]\nuser = world-writable\n", 0o666)
	opts, err := ClientOptions([]string{etc, sys, filepath.Join(dir, "absent.cnf"), home, ww})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"user": "home-later", "port": "2", "socket": "/run/a.sock"}
	for k, v := range want {
		if opts[k].Value != v {
			t.Errorf("%s = %q (from %s line %d), want %q", k, opts[k].Value, opts[k].File, opts[k].Line, v)
		}
	}
	if len(opts) != len(want) {
		t.Errorf("got %d options %v, want %d", len(opts), opts, len(want))
	}
}

func TestDefaultOptionFilesOrder(t *testing.T) {
	t.Setenv("HOME", "/home/op")
	got := strings.Join(DefaultOptionFiles(), " ")
	if want := "/etc/my.cnf /etc/mysql/my.cnf /home/op/.my.cnf"; got != want {
		t.Errorf("DefaultOptionFiles = %s, want %s", got, want)
	}
}

func TestMycnfSamplesAreAllCnf(t *testing.T) {
	// The sample directory must hold only option files, so the
	// comparison test above covers each of them.
	entries, err := os.ReadDir("testdata/mycnf")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".cnf" {
			t.Errorf("testdata/mycnf/%s is not a .cnf file", e.Name())
		}
	}
}
