package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHonest15TypedConfirmationOnATerminal (issue 21 item 15) runs restore
// and delete on a real terminal (tmux) without --yes: the typed
// confirmation in confirm.go refuses a wrong answer and changes nothing,
// and the right one goes on.
func TestHonest15TypedConfirmationOnATerminal(t *testing.T) {
	f := newFixture(t, "")
	name := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	want := checksum(t, f.db, "customers", "orders")
	f.db.MustExec(t, "DELETE FROM orders", "UPDATE customers SET name='damaged'")
	damaged := checksum(t, f.db, "customers", "orders")
	env := []string{"HOME=" + t.TempDir()}
	// answer runs args on a terminal, types answer at the prompt and
	// returns the screen once the command has exited.
	answer := func(prompt, answer string, args ...string) string {
		t.Helper()
		s := startTmux(t, 160, 40, env, append([]string{"--config", f.config}, args...)...)
		scr := s.waitFor("the prompt "+prompt, func(scr string) bool { return strings.Contains(scr, prompt) || strings.Contains(scr, "EXITED") })
		if !strings.Contains(scr, prompt) {
			t.Fatalf("lifeboat %v exited without asking %s; the screen is:\n%s", args, prompt, scr)
		}
		s.keys("-l", answer)
		s.keys("Enter")
		return s.waitForLong("the command to exit", contains("EXITED"))
	}

	// A prefix of the database name is not the name.
	prompt := `Type "` + f.db.Name + `" to confirm:`
	scr := answer(prompt, f.db.Name[:len(f.db.Name)-1], "restore", name)
	if !strings.Contains(scr, "not confirmed: nothing was changed") || !strings.Contains(scr, "EXITED 1") {
		t.Fatalf("restore with a wrong name typed; the screen is:\n%s", scr)
	}
	if !strings.Contains(scr, "Restore "+name+" into database") {
		t.Errorf("the terminal did not show the restore plan before asking:\n%s", scr)
	}
	if got := checksum(t, f.db, "customers", "orders"); got != damaged {
		t.Fatalf("a refused restore changed the database: %s, want %s", got, damaged)
	}
	scr = answer(prompt, f.db.Name, "restore", name)
	if !strings.Contains(scr, "restored "+name+" into "+f.db.Name) || !strings.Contains(scr, "EXITED 0") {
		t.Fatalf("restore with the right name typed; the screen is:\n%s", scr)
	}
	if got := checksum(t, f.db, "customers", "orders"); got != want {
		t.Fatalf("after the confirmed restore: %s, want %s", got, want)
	}

	// delete asks for "yes".
	path := filepath.Join(f.dir, name)
	scr = answer(`Type "yes" to confirm:`, "y", "delete", name)
	if !strings.Contains(scr, "not confirmed: nothing was changed") || !strings.Contains(scr, "EXITED 1") {
		t.Fatalf("delete answered y; the screen is:\n%s", scr)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("a refused delete removed the backup: %v", err)
	}
	scr = answer(`Type "yes" to confirm:`, "yes", "delete", name)
	if !strings.Contains(scr, "EXITED 0") {
		t.Fatalf("delete answered yes; the screen is:\n%s", scr)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a confirmed delete left the backup: %v", err)
	}
}
