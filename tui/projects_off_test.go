package tui

import (
	"context"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
)

type projectsOff struct{ *fakeBackend }

func (projectsOff) Projects(context.Context) ([]engine.ProjectInfo, error) {
	return nil, engine.ErrProjectsOff
}

func TestIssue13Item8ProjectsOffSaysHowToTurnOn(t *testing.T) {
	f := newFake()
	f.projects = nil
	d := newDriver(t, f, 80, 24)
	p := d.m.tabs[tabProjects].(projectsTab)
	p.b = projectsOff{f}
	d.m.tabs[tabProjects] = p
	d.press("2", "R")
	d.settle()
	d.mustSee("Per-project backups are off", "[projects]", `table = "projects"`, "restart lifeboat")
	d.mustNotSee("could not read the projects")
}
