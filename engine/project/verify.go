package project

import (
	"errors"
	"fmt"
)

// Check is one step of verifying a project backup.
type Check struct {
	Name   string
	OK     bool
	Detail string
	Info   bool // information, neither passed nor failed (content not checked)
}

// ErrSealed is wrapped by an Open that can check a file from outside
// only (an encrypted backup where its identity is not): Verify then
// proves the manifest, size, sha256 and header, and says plainly that
// the content was not checked.
var ErrSealed = errors.New("content not checked")

// SealedError is what such an Open returns: the header it read.
type SealedError struct{ Header string }

func (e *SealedError) Error() string {
	return "encrypted, and no age identity here: " + ErrSealed.Error()
}

func (e *SealedError) Unwrap() error { return ErrSealed }

// Verify proves backup name of project id whole without touching the
// database: its manifest, its size and sha256, a full decode of the JSON
// (every value), and the rows per table against the metadata and the
// manifest. It lists the checks up to the first that fails. open turns
// the file into its JSON (see ReadVerified).
func Verify(dir, name, id string, seal Seal, open Open) []Check {
	b, m, err := ReadVerified(dir, name, id, seal, open)
	failed := ""
	var se *stepError
	if errors.As(err, &se) {
		failed = se.step
	} else if err != nil {
		failed = "manifest"
	}
	var out []Check
	var sealed *SealedError
	for _, step := range verifySteps {
		if step == failed && errors.As(err, &sealed) {
			return append(out, Check{Name: "age header", OK: true, Detail: sealed.Header},
				Check{Name: "content", Info: true, Detail: "not checked: no age identity here; run project verify where encryption.identity_file is, to check the rows inside"})
		}
		if step == failed {
			return append(out, Check{Name: step, Detail: err.Error()})
		}
		out = append(out, Check{Name: step, OK: true, Detail: detail(step, b, m)})
	}
	return out
}

func detail(step string, b *Backup, m *Manifest) string {
	switch step {
	case "manifest":
		return fmt.Sprintf("format %d, project %s (%s), taken %s by %s", m.FormatVersion, m.ProjectID, m.ProjectName, m.CreatedAt, m.CreatedBy)
	case "size":
		return fmt.Sprintf("%d bytes, as the manifest says", m.Size)
	case "sha256":
		return m.SHA256
	case "json":
		return fmt.Sprintf("%d tables decoded%s, every value checked against its column", len(b.Meta.Tables), layers(m))
	}
	return fmt.Sprintf("%d rows in %d tables, as the metadata and the manifest say", m.Rows, len(m.Tables))
}

// layers says what was undone to reach the JSON: "" for a plain file.
func layers(m *Manifest) string {
	var s string
	if m.Encrypted {
		s = "decrypted"
	}
	if m.Compression != "" && m.Compression != "none" {
		if s != "" {
			s += " and "
		}
		s += "decompressed (" + m.Compression + ")"
	}
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
