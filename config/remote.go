package config

// [[remote]]: off-site copies in S3-compatible object storage (issue 20).
// The secret key comes from the config (refused when the file is readable
// by others, as for the password), from credentials_file (same rule), or
// from the AWS_* environment. It is never printed: String masks it.

import (
	"bufio"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// RemoteTypeS3 is the one remote type: every S3-compatible service.
const RemoteTypeS3 = "s3"

// Remote is one [[remote]] section.
type Remote struct {
	Name            string `toml:"name"`
	Type            string `toml:"type"`
	Endpoint        string `toml:"endpoint"`
	Region          string `toml:"region"`
	Bucket          string `toml:"bucket"`
	Prefix          string `toml:"prefix"`
	AccessKeyID     string `toml:"access_key_id"`
	SecretAccessKey string `toml:"secret_access_key"`
	CredentialsFile string `toml:"credentials_file"`
	Keep            int    `toml:"keep"`
	PathStyle       bool   `toml:"path_style"`

	// SessionToken comes from AWS_SESSION_TOKEN or the credentials file.
	SessionToken string `toml:"-"`
}

// RemoteCredentials is what a remote signs its requests with.
type RemoteCredentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

var remoteNameRe = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)

// Credentials returns the remote's keys: from the config or its
// credentials_file (read by Load), else from AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY. The error names what to set, never a value.
func (r Remote) Credentials() (RemoteCredentials, error) {
	if r.AccessKeyID != "" && r.SecretAccessKey != "" {
		return RemoteCredentials{r.AccessKeyID, r.SecretAccessKey, r.SessionToken}, nil
	}
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if r.AccessKeyID != "" {
		id = r.AccessKeyID
	}
	if id != "" && secret != "" {
		return RemoteCredentials{id, secret, os.Getenv("AWS_SESSION_TOKEN")}, nil
	}
	return RemoteCredentials{}, fmt.Errorf("remote %q has no credentials: set access_key_id and secret_access_key, credentials_file, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", r.Name)
}

// RemoteKeep is the number of backups remote r keeps: its own keep, else
// backup.keep.
func (c *Config) RemoteKeep(r Remote) int {
	if r.Keep > 0 {
		return r.Keep
	}
	return c.Backup.Keep
}

// loadRemoteSecrets refuses a readable config holding a secret key and
// reads every credentials_file. Load calls it before validation.
func (c *Config) loadRemoteSecrets(path string) error {
	for i := range c.Remotes {
		r := &c.Remotes[i]
		if r.SecretAccessKey != "" {
			what := fmt.Sprintf("config %s holds the secret key of remote %q and", path, r.Name)
			if err := checkPrivate(path, path, what); err != nil {
				return err
			}
		}
		if r.CredentialsFile == "" {
			continue
		}
		if r.SecretAccessKey != "" {
			return newError(path, 0, "remote %q: secret_access_key and credentials_file are both set: keep one", r.Name)
		}
		if err := c.readCredentialsFile(r); err != nil {
			return err
		}
	}
	return nil
}

// readCredentialsFile reads the AWS shared-credentials format
// ([default] aws_access_key_id = ..., aws_secret_access_key = ...).
func (c *Config) readCredentialsFile(r *Remote) error {
	p := r.CredentialsFile
	if !filepath.IsAbs(p) && c.Path != "" {
		p = filepath.Join(filepath.Dir(c.Path), p)
	}
	what := fmt.Sprintf("remote %q credentials_file %s", r.Name, p)
	if err := checkPrivate(c.Path, p, what); err != nil {
		return err
	}
	f, err := os.Open(p)
	if err != nil {
		return &Error{Path: c.Path, Msg: fmt.Sprintf("%s: %v", what, unwrapPathError(err)), Err: err}
	}
	defer f.Close()
	section := "default"
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = strings.TrimSpace(line[1 : len(line)-1])
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || section != "default" {
			continue
		}
		switch strings.TrimSpace(k) {
		case "aws_access_key_id":
			r.AccessKeyID = strings.TrimSpace(v)
		case "aws_secret_access_key":
			r.SecretAccessKey = strings.TrimSpace(v)
		case "aws_session_token":
			r.SessionToken = strings.TrimSpace(v)
		}
	}
	if sc.Err() != nil || r.AccessKeyID == "" || r.SecretAccessKey == "" {
		return newError(c.Path, 0, "%s: needs aws_access_key_id and aws_secret_access_key under [default]", what)
	}
	return nil
}

// defaultRemotes fills each remote's type.
func (c *Config) defaultRemotes() {
	for i := range c.Remotes {
		if c.Remotes[i].Type == "" {
			c.Remotes[i].Type = RemoteTypeS3
		}
	}
}

func (c *Config) validateRemotes(v *validator) {
	seen := map[string]bool{}
	for i, r := range c.Remotes {
		key := fmt.Sprintf("remote[%d]", i)
		if !remoteNameRe.MatchString(r.Name) {
			v.addAt("remote", key+".name", "%q: must be 1 to 32 of a-z, 0-9, _ and -", r.Name)
		} else if seen[r.Name] {
			v.addAt("remote", key+".name", "%q: two remotes have this name: rename one", r.Name)
		}
		seen[r.Name] = true
		if r.Type != RemoteTypeS3 {
			v.addAt("remote", key+".type", "%q: must be \"s3\" (any S3-compatible service)", r.Type)
		}
		if msg := endpointProblem(r.Endpoint); msg != "" {
			v.addAt("remote", key+".endpoint", "%q: %s", r.Endpoint, msg)
		}
		if r.Bucket == "" {
			v.addAt("remote", key+".bucket", "is required: the bucket that holds the backups")
		}
		if strings.HasPrefix(r.Prefix, "/") || strings.Contains(r.Prefix, "..") || strings.ContainsRune(r.Prefix, 0) {
			v.addAt("remote", key+".prefix", "%q: must be relative, without \"..\", such as \"db1/\"", r.Prefix)
		}
		if r.Keep < 0 {
			v.addAt("remote", key+".keep", "%d: must be at least 1, or absent for backup.keep", r.Keep)
		}
		if r.SecretAccessKey != "" && r.AccessKeyID == "" {
			v.addAt("remote", key+".secret_access_key", "is set without access_key_id: set both")
		}
	}
}

func endpointProblem(s string) string {
	u, err := url.Parse(s)
	switch {
	case s == "":
		return "is required, such as \"https://s3.eu-central-1.amazonaws.com\""
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return "must be an http:// or https:// URL, such as \"https://s3.eu-central-1.amazonaws.com\""
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.User != nil:
		return "must be scheme and host only: put the bucket in bucket and the folder in prefix"
	}
	return ""
}

// ObjectPrefix is the remote's prefix with a trailing slash when it
// names a folder.
func (r Remote) ObjectPrefix() string {
	p := r.Prefix
	if p != "" && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// String masks the keys, so %v of a Config never shows a secret.
func (r Remote) String() string {
	type plain Remote
	return fmt.Sprintf("%+v", plain(r.redacted()))
}

// GoString masks the keys for %#v too.
func (r Remote) GoString() string {
	type plain Remote
	return fmt.Sprintf("%#v", plain(r.redacted()))
}

func (r Remote) redacted() Remote {
	if r.SecretAccessKey != "" {
		r.SecretAccessKey = mask
	}
	if r.SessionToken != "" {
		r.SessionToken = mask
	}
	return r
}
