package catalog

import (
	"encoding/json"
	"testing"
)

// FuzzReadManifest: whatever bytes sit in a manifest file, parsing gives a
// clear error or a manifest that names the file and re-encodes cleanly.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte(`{"format_version":1,"filename":"backup_2026-11-23_02-00-00.sql.gz","sha256":"` + zeros64 + `","size":10,"tables":{"a":1}}`))
	f.Add([]byte(`{"format_version":2}`))
	f.Add([]byte(`{"tables":{"a":-1}}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, b []byte) {
		const name = "backup_2026-11-23_02-00-00.sql.gz"
		m, err := ParseManifest(name, b)
		if err != nil {
			if m != nil {
				t.Fatal("error with a manifest")
			}
			return
		}
		if m.Filename != name || len(m.SHA256) != 64 || m.Size < 0 {
			t.Fatalf("accepted an invalid manifest: %+v", m)
		}
		if _, err := json.Marshal(m); err != nil {
			t.Fatalf("accepted manifest does not re-encode: %v", err)
		}
	})
}

const zeros64 = "0000000000000000000000000000000000000000000000000000000000000000"

func TestParseManifestRefusesDamage(t *testing.T) {
	const name = "backup_2026-11-23_02-00-00.sql.gz"
	good := `{"format_version":1,"filename":"` + name + `","sha256":"` + zeros64 + `","size":10}`
	if _, err := ParseManifest(name, []byte(good)); err != nil {
		t.Fatalf("good manifest refused: %v", err)
	}
	for _, bad := range []string{
		`{`, `[]`, `{"format_version":9,"filename":"` + name + `","sha256":"` + zeros64 + `"}`,
		`{"format_version":1,"filename":"other.sql.gz","sha256":"` + zeros64 + `"}`,
		`{"format_version":1,"filename":"` + name + `","sha256":"xyz"}`,
		`{"format_version":1,"filename":"` + name + `","sha256":"` + zeros64 + `","size":-1}`,
	} {
		if _, err := ParseManifest(name, []byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
