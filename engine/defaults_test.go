package engine

import (
	"testing"

	"github.com/lifeboat-dev/lifeboat/config"
)

// TestEnvelope04EngineUsesTheDefaultsConfigSets: the engine has no
// defaults of its own; a Config built in code gets config's through Open,
// and values set in it are used as they are.
func TestEnvelope04EngineUsesTheDefaultsConfigSets(t *testing.T) {
	cfg := &config.Config{Database: config.Database{Socket: "/nonexistent.sock", User: "root", Name: "app"},
		Projects: config.Projects{Table: "projects"}}
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	pc, err := e.projectConfig()
	if err != nil {
		t.Fatal(err)
	}
	if e.keep() != config.DefaultKeep || e.compression(BackupOptions{}) != config.DefaultCompression ||
		pc.IDColumn != config.DefaultIDColumn || pc.NameColumn != config.DefaultNameColumn ||
		e.projectKeep() != config.DefaultProjectKeep || e.dir() != config.DefaultBackupDir {
		t.Fatalf("defaults: keep %d, compression %q, columns %q/%q, project keep %d, dir %q",
			e.keep(), e.compression(BackupOptions{}), pc.IDColumn, pc.NameColumn, e.projectKeep(), e.dir())
	}

	cfg = &config.Config{Database: config.Database{Socket: "/nonexistent.sock", User: "root", Name: "app"},
		Backup:   config.Backup{Keep: 3, Compression: "zstd"},
		Projects: config.Projects{Table: "p", IDColumn: "pid", NameColumn: "title", Keep: 2}}
	e2, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	pc, _ = e2.projectConfig()
	if e2.keep() != 3 || e2.compression(BackupOptions{}) != "zstd" || e2.compression(BackupOptions{Compression: "none"}) != "none" ||
		pc.IDColumn != "pid" || pc.NameColumn != "title" || e2.projectKeep() != 2 {
		t.Fatalf("set values: keep %d, compression %q, columns %q/%q, project keep %d",
			e2.keep(), e2.compression(BackupOptions{}), pc.IDColumn, pc.NameColumn, e2.projectKeep())
	}
}
