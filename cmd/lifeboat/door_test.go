package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyTheFacadeIsImported (issue 12 item 2): the command line, the
// benchmark and the screen use the engine through its facade, package
// engine, and engine/progress; nothing below it. Test code may use the
// test helpers (engine/testdb) and is not checked.
func TestOnlyTheFacadeIsImported(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "../...", "../../tui/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const engine = "github.com/lifeboat-dev/lifeboat/engine"
	allowed := map[string]bool{engine: true, engine + "/progress": true}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		checked++
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, engine+"/") && !allowed[imp] {
				t.Errorf("%s imports %s: use the engine facade instead", fields[0], imp)
			}
		}
	}
	if checked < 3 {
		t.Fatalf("go list found %d packages, want cmd/lifeboat, cmd/lifeboat-bench and tui:\n%s", checked, out)
	}
}
