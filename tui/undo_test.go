package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// The fake's undo follows its status: the newest kept state comes back
// and the live tables take its place, as the engine's Undo does.

func (f *fakeBackend) PlanUndo(_ context.Context, into string) (engine.UndoPlan, error) {
	f.record("plan undo %s", into)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.status.Previous) == 0 {
		return engine.UndoPlan{Database: "app"}, fmt.Errorf("restore --undo: %w: database %q has no __lifeboat_prev_* schema", engine.ErrNothingToUndo, "app")
	}
	return engine.UndoPlan{Database: "app", From: f.status.Previous[0].Name, Tables: []string{"customers", "orders"}}, nil
}

func (f *fakeBackend) Undo(_ context.Context, into string) (engine.UndoResult, error) {
	f.record("undo %s", into)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.status.Previous) == 0 {
		return engine.UndoResult{}, engine.ErrNothingToUndo
	}
	from := f.status.Previous[0].Name
	prev := "app__lifeboat_prev_20261123T120000"
	f.status.Previous = []engine.KeptPrevious{{Name: prev, Bytes: 2_500_000}}
	return engine.UndoResult{Database: into, From: from, Previous: prev, SwapWindow: 31 * time.Millisecond, Duration: 400 * time.Millisecond}, nil
}

func fakeWithKept() *fakeBackend {
	f := newFake()
	f.status.Previous = []engine.KeptPrevious{{Name: "app__lifeboat_prev_20261123T040000", Bytes: 2_400_000}}
	return f
}

// TestUndoNeedsTheTypedName: with a kept state, the strip names it and
// the help offers u; u opens a dialog that says what comes back and
// where the live tables go, a wrong name runs nothing, the right one
// runs the undo and the line says what happened.
func TestUndoNeedsTheTypedName(t *testing.T) {
	f := fakeWithKept()
	d := newDriver(t, f, 100, 30)
	d.mustSee("previous: app__lifeboat_prev_20261123T040000, 2.4 MB · u puts it back", "u undo")
	d.press("u")
	d.mustSee("Undo the last restore of app?", "2 tables from app__lifeboat_prev_20261123T040000, in one RENAME",
		"a second undo swaps them back", "Type app to confirm")
	d.typeText("apx")
	d.press("enter")
	if f.called("undo app") {
		t.Fatal("a wrong name ran the undo")
	}
	d.mustSee(`that is not "app"`)
	d.press("backspace")
	d.typeText("p")
	d.press("enter")
	if !f.called("undo app") {
		t.Fatalf("the right name did not run the undo; calls %v", f.calls)
	}
	d.press("m")
	d.mustSee("undone: app holds the tables kept in app__lifeboat_prev_20261123T040000 again (swapped in 31 ms)",
		"app__lifeboat_prev_20261123T120000")
}

// TestUndoEscAndNothingKept: esc runs nothing; with no kept state the
// help has no u, and u says there is nothing to undo without a dialog.
func TestUndoEscAndNothingKept(t *testing.T) {
	f := fakeWithKept()
	d := newDriver(t, f, 100, 30)
	d.press("u", "esc")
	d.mustSee("cancelled: nothing was changed")
	if f.called("undo app") {
		t.Fatal("esc ran the undo")
	}
	f = newFake()
	d = newDriver(t, f, 100, 30)
	d.mustNotSee("u undo", "u puts it back")
	d.press("u")
	d.mustSee("nothing to undo")
	d.mustNotSee("Type app to confirm")
	if f.called("undo app") {
		t.Fatal("undo ran with nothing kept")
	}
}

// TestUndoRefused: an account without restore may not undo either.
func TestUndoRefused(t *testing.T) {
	f := fakeWithKept()
	f.denied = map[string]error{"restore": errors.New(`access.restore = ["@dba"] in the config`)}
	d := newDriver(t, f, 100, 30)
	d.press("u")
	d.mustSee("✗ restore refused: access.restore")
	for _, c := range f.calls {
		if strings.Contains(c, "undo") {
			t.Errorf("refused undo still called the engine: %q", c)
		}
	}
}

func TestGoldenUndoDialog(t *testing.T) {
	m := New(context.Background(), fakeWithKept(), Options{DatabaseName: "app", NoColor: true, Now: func() time.Time { return fixedNow }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitText(t, tm, "u puts it back")
	tm.Send(keyMsg("u"))
	waitText(t, tm, "Type app to confirm")
	golden.RequireEqual(t, finalScreen(t, tm))
}
