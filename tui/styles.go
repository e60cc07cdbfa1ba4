package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Palette names the few colours the screen uses.
type Palette struct {
	Accent, Muted, OK, Warn, Danger, Text, Subtle color.Color
}

// DefaultPalette reads well on dark and light terminals.
var DefaultPalette = Palette{
	Accent: lipgloss.Color("#5FAFFF"),
	Muted:  lipgloss.Color("#8A8A8A"),
	OK:     lipgloss.Color("#5FD787"),
	Warn:   lipgloss.Color("#FFAF00"),
	Danger: lipgloss.Color("#FF5F5F"),
	Text:   lipgloss.Color("#E4E4E4"),
	Subtle: lipgloss.Color("#4E4E4E"),
}

// Styles is every style a view may use; views combine these and never
// invent their own.
type Styles struct {
	NoColor   bool
	Brand     lipgloss.Style // "lifeboat" in the header
	Header    lipgloss.Style
	TabActive lipgloss.Style
	Tab       lipgloss.Style
	Rule      lipgloss.Style
	Muted     lipgloss.Style
	OK        lipgloss.Style
	Warn      lipgloss.Style
	Danger    lipgloss.Style
	ColHeader lipgloss.Style
	Selected  lipgloss.Style
	Title     lipgloss.Style
	Dialog    lipgloss.Style
	Error     lipgloss.Style
	Help      help.Styles
	BarFull   color.Color
	BarEmpty  color.Color
}

// NewStyles builds the styles from p; noColor gives plain text with no
// escape codes at all (NO_COLOR).
func NewStyles(p Palette, noColor bool) Styles {
	if noColor {
		return plainStyles()
	}
	s := lipgloss.NewStyle
	h := help.DefaultDarkStyles()
	return Styles{
		Brand:     s().Bold(true).Foreground(p.Accent),
		Header:    s(),
		TabActive: s().Bold(true).Underline(true).Foreground(p.Accent),
		Tab:       s().Foreground(p.Muted),
		Rule:      s().Foreground(p.Subtle),
		Muted:     s().Foreground(p.Muted),
		OK:        s().Foreground(p.OK),
		Warn:      s().Bold(true).Foreground(p.Warn),
		Danger:    s().Bold(true).Foreground(p.Danger),
		ColHeader: s().Bold(true),
		Selected:  s().Bold(true).Foreground(p.Accent),
		Title:     s().Bold(true),
		Dialog:    s().Border(lipgloss.RoundedBorder()).BorderForeground(p.Accent).Padding(0, 1),
		Error:     s().Foreground(p.Danger),
		Help:      h,
		BarFull:   p.Accent,
		BarEmpty:  p.Subtle,
	}
}

func plainStyles() Styles {
	s := lipgloss.NewStyle()
	return Styles{
		NoColor: true, Brand: s, Header: s, TabActive: s, Tab: s, Rule: s,
		Muted: s, OK: s, Warn: s, Danger: s, ColHeader: s, Selected: s,
		Title: s, Error: s,
		Dialog: s.Border(lipgloss.NormalBorder()).Padding(0, 1),
		Help: help.Styles{
			Ellipsis: s, ShortKey: s, ShortDesc: s, ShortSeparator: s,
			FullKey: s, FullDesc: s, FullSeparator: s,
		},
		BarFull: lipgloss.NoColor{}, BarEmpty: lipgloss.NoColor{},
	}
}
