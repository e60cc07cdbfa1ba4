package config

import (
	"net/url"
	"path/filepath"
	"slices"
	"time"
)

// Notify is [notify]: who hears about failures, staleness and failed
// verifies. Webhook gets a POST of the event JSON; Command runs with the
// event JSON on stdin (never in argv). Either or both may be set.
type Notify struct {
	On      []string `toml:"on"`
	Webhook string   `toml:"webhook"`
	Command string   `toml:"command"`
	// Timeout bounds each attempt (one retry follows a failed one).
	Timeout Duration `toml:"timeout"`
}

// NotifyEvents are the allowed [notify] on values.
var NotifyEvents = []string{"failure", "stale", "verify_failed", "success"}

// DefaultNotifyOn is on when [notify] sets a webhook or command but no on.
var DefaultNotifyOn = []string{"failure", "stale", "verify_failed"}

// DefaultNotifyTimeout bounds one notification attempt.
const DefaultNotifyTimeout = 5 * time.Second

// Enabled reports whether n has anywhere to send to.
func (n Notify) Enabled() bool { return n.Webhook != "" || n.Command != "" }

// Wants reports whether events of kind ev are sent.
func (n Notify) Wants(ev string) bool {
	on := n.On
	if len(on) == 0 {
		on = DefaultNotifyOn
	}
	return n.Enabled() && slices.Contains(on, ev)
}

// AttemptTimeout is Timeout, or its default.
func (n Notify) AttemptTimeout() time.Duration {
	if n.Timeout.Duration > 0 {
		return n.Timeout.Duration
	}
	return DefaultNotifyTimeout
}

func (c *Config) validateNotify(v *validator) {
	n := c.Notify
	for _, ev := range n.On {
		if !slices.Contains(NotifyEvents, ev) {
			v.add("notify.on", "%q: use failure, stale, verify_failed or success", ev)
		}
	}
	if n.Webhook != "" {
		u, err := url.Parse(n.Webhook)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.add("notify.webhook", "is not an http(s) URL: set it such as \"https://hc-ping.com/...\"")
		}
	}
	if n.Command != "" && !filepath.IsAbs(n.Command) {
		v.add("notify.command", "%q: must be an absolute path to a program (the event comes on stdin)", n.Command)
	}
	if n.Timeout.Duration < 0 {
		v.add("notify.timeout", "%q: must be more than 0, such as \"5s\"", n.Timeout.Duration.String())
	}
}
