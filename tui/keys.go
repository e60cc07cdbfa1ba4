package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
)

func bind(keys []string, k, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
}

// globalKeys work on every tab.
type globalKeys struct {
	Next, Prev, TabN, Help, Quit, Cancel, Message key.Binding
}

// newGlobalKeys binds the number keys 1..tabs to the tabs.
func newGlobalKeys(tabs int) globalKeys {
	var digits []string
	for i := 1; i <= tabs && i <= 9; i++ {
		digits = append(digits, strconv.Itoa(i))
	}
	return globalKeys{
		TabN:   bind(digits, strings.Join(digits, "/"), "go to tab"),
		Next:   bind([]string{"tab"}, "tab", "next tab"),
		Prev:   bind([]string{"shift+tab"}, "shift+tab", "previous tab"),
		Help:   bind([]string{"?"}, "?", "help"),
		Quit:   bind([]string{"q", "ctrl+c"}, "q", "quit"),
		Cancel: bind([]string{"esc"}, "esc", "cancel job"),
		// Message shows the whole status line when it was cut to the width.
		Message: bind([]string{"m"}, "m", "whole message"),
	}
}

// backupsKeys belong to the Full backups tab.
type backupsKeys struct {
	Up, Down, Details, New, Verify, VerifyRestore, Restore, Undo, Delete, Prune, Filter, Refresh, Back key.Binding
}

func newBackupsKeys() backupsKeys {
	return backupsKeys{
		Up:            bind([]string{"up", "k"}, "↑/k", "up"),
		Down:          bind([]string{"down", "j"}, "↓/j", "down"),
		Details:       bind([]string{"enter"}, "enter", "details"),
		New:           bind([]string{"n"}, "n", "new"),
		Restore:       bind([]string{"r"}, "r", "restore"),
		Undo:          bind([]string{"u"}, "u", "undo"),
		Verify:        bind([]string{"v"}, "v", "verify"),
		VerifyRestore: bind([]string{"V"}, "V", "verify by restoring"),
		Delete:        bind([]string{"d"}, "d", "delete"),
		Prune:         bind([]string{"p"}, "p", "prune"),
		Filter:        bind([]string{"/"}, "/", "filter"),
		Refresh:       bind([]string{"R"}, "R", "refresh"),
		Back:          bind([]string{"esc"}, "esc", "back"),
	}
}

// projectsKeys belong to the Projects tab.
type projectsKeys struct {
	Up, Down, Open, Backup, Restore, Delete, Prune, Refresh, Back key.Binding
}

func newProjectsKeys() projectsKeys {
	return projectsKeys{
		Up:      bind([]string{"up", "k"}, "↑/k", "up"),
		Down:    bind([]string{"down", "j"}, "↓/j", "down"),
		Open:    bind([]string{"enter"}, "enter", "open"),
		Backup:  bind([]string{"b"}, "b", "backup"),
		Restore: bind([]string{"r"}, "r", "restore"),
		Delete:  bind([]string{"d"}, "d", "delete"),
		Prune:   bind([]string{"p"}, "p", "prune"),
		Refresh: bind([]string{"R"}, "R", "refresh"),
		Back:    bind([]string{"esc"}, "esc", "back"),
	}
}

// activityKeys belong to the Activity tab.
type activityKeys struct {
	Up, Down, Filter, Expand, Refresh key.Binding
}

func newActivityKeys() activityKeys {
	return activityKeys{
		Up:      bind([]string{"up", "k"}, "↑/k", "up"),
		Down:    bind([]string{"down", "j"}, "↓/j", "down"),
		Filter:  bind([]string{"/"}, "/", "filter"),
		Expand:  bind([]string{"m"}, "m", "whole error"),
		Refresh: bind([]string{"R"}, "R", "refresh"),
	}
}

// confirmKeys answer the dialog.
type confirmKeys struct {
	Yes, No, Enter, Esc key.Binding
}

func newConfirmKeys() confirmKeys {
	return confirmKeys{
		Yes:   bind([]string{"y", "Y"}, "y", "yes"),
		No:    bind([]string{"n", "N", "esc"}, "n/esc", "no"),
		Enter: bind([]string{"enter"}, "enter", "confirm the typed name"),
		Esc:   bind([]string{"esc"}, "esc", "cancel"),
	}
}

// timelineKeys belong to the Timeline tab.
type timelineKeys struct {
	Up, Down, NextRisky, PrevRisky, Restore, Filter, Refresh key.Binding
}

func newTimelineKeys() timelineKeys {
	return timelineKeys{
		Up:        bind([]string{"up", "k"}, "↑/k", "up"),
		Down:      bind([]string{"down", "j"}, "↓/j", "down"),
		NextRisky: bind([]string{"n"}, "n", "next marked"),
		PrevRisky: bind([]string{"N"}, "N", "previous marked"),
		Restore:   bind([]string{"r"}, "r", "restore to just before"),
		Filter:    bind([]string{"/"}, "/", "filter"),
		Refresh:   bind([]string{"R"}, "R", "refresh"),
	}
}
