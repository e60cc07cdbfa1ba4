package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

const remoteTOML = `
[[remote]]
name = "offsite"
endpoint = "http://127.0.0.1:7070"
bucket = "b"
prefix = "db1/"
access_key_id = "AKID"
secret_access_key = "SeCrEt-Value-123"
keep = 60
path_style = true
`

func TestRemote01ConfigReadsEveryKey(t *testing.T) {
	c, err := loadTOML(t, minimalTOML+remoteTOML)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Remotes) != 1 {
		t.Fatalf("remotes = %d", len(c.Remotes))
	}
	r := c.Remotes[0]
	if r.Name != "offsite" || r.Type != RemoteTypeS3 || r.Keep != 60 || !r.PathStyle || r.ObjectPrefix() != "db1/" {
		t.Fatalf("remote = %+v", r)
	}
	if c.RemoteKeep(r) != 60 {
		t.Fatalf("keep = %d", c.RemoteKeep(r))
	}
	for _, s := range []string{c.String(), fmt.Sprintf("%v %+v %#v", c.Remotes, r, r)} {
		if strings.Contains(s, "SeCrEt") {
			t.Fatalf("secret printed: %s", s)
		}
	}
}

func TestRemote01ReadableConfigWithSecretRefused(t *testing.T) {
	p := writeFile(t, t.TempDir(), "config.toml", minimalTOML+remoteTOML, 0o644)
	_, err := LoadWith(p, LoadOptions{OptionFiles: []string{}})
	if err == nil || !strings.Contains(err.Error(), "run chmod 600 "+p) || !strings.Contains(err.Error(), `remote "offsite"`) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "SeCrEt") {
		t.Fatalf("secret in error: %v", err)
	}
	// Without the secret in it, the same file is fine (keys from the environment).
	body := strings.Replace(minimalTOML+remoteTOML, "secret_access_key = \"SeCrEt-Value-123\"\n", "", 1)
	body = strings.Replace(body, "access_key_id = \"AKID\"\n", "", 1)
	p2 := writeFile(t, t.TempDir(), "config.toml", body, 0o644)
	c, err := LoadWith(p2, LoadOptions{OptionFiles: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "envid")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "envsecret")
	cr, err := c.Remotes[0].Credentials()
	if err != nil || cr.AccessKeyID != "envid" || cr.SecretAccessKey != "envsecret" {
		t.Fatalf("env credentials = %+v, %v", cr, err)
	}
}

func TestRemote01CredentialsFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "s3.cred", "[other]\naws_access_key_id = no\n[default]\naws_access_key_id = FILEID\naws_secret_access_key = FileSecret\n", 0o600)
	body := minimalTOML + "[[remote]]\nname = \"o\"\nendpoint = \"https://s3.example.com\"\nbucket = \"b\"\ncredentials_file = \"s3.cred\"\n"
	p := writeFile(t, dir, "config.toml", body, 0o644)
	c, err := LoadWith(p, LoadOptions{OptionFiles: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	cr, err := c.Remotes[0].Credentials()
	if err != nil || cr.AccessKeyID != "FILEID" || cr.SecretAccessKey != "FileSecret" {
		t.Fatalf("credentials = %+v, %v", cr, err)
	}
	writeFile(t, dir, "s3.cred", "[default]\naws_access_key_id = FILEID\naws_secret_access_key = FileSecret\n", 0o644)
	_, err = LoadWith(p, LoadOptions{OptionFiles: []string{}})
	if err == nil || !strings.Contains(err.Error(), "chmod 600 "+filepath.Join(dir, "s3.cred")) || strings.Contains(err.Error(), "FileSecret") {
		t.Fatalf("readable credentials file: %v", err)
	}
}

func TestRemote01BadValuesNamed(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"name = \"Off Site\"\nendpoint = \"https://h\"\nbucket = \"b\"\n", "remote[0].name \"Off Site\": must be 1 to 32"},
		{"name = \"o\"\nendpoint = \"s3.example.com\"\nbucket = \"b\"\n", "remote[0].endpoint"},
		{"name = \"o\"\nendpoint = \"https://h/b\"\nbucket = \"b\"\n", "put the bucket in bucket"},
		{"name = \"o\"\nendpoint = \"https://h\"\n", "remote[0].bucket is required"},
		{"name = \"o\"\ntype = \"gcs\"\nendpoint = \"https://h\"\nbucket = \"b\"\n", "remote[0].type \"gcs\""},
		{"name = \"o\"\nendpoint = \"https://h\"\nbucket = \"b\"\nprefix = \"../x\"\n", "remote[0].prefix"},
		{"name = \"o\"\nendpoint = \"https://h\"\nbucket = \"b\"\nbucket_name = \"x\"\n", `unknown key "remote.bucket_name"`},
	} {
		_, err := loadTOML(t, minimalTOML+"[[remote]]\n"+tc.body)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.body, err, tc.want)
		}
	}
}

func TestRemote01SecretNotInTOMLError(t *testing.T) {
	_, err := loadTOML(t, minimalTOML+"[[remote]]\nname = \"o\"\nsecret_access_key = SeCrEtBare\n")
	if err == nil || strings.Contains(err.Error(), "SeCrEt") {
		t.Fatalf("err = %v", err)
	}
}
