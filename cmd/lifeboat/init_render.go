package main

import (
	"fmt"
	"strings"
)

// render is the config file init writes, with comments.
func (a *initAnswers) render() string {
	var b strings.Builder
	b.WriteString("# lifeboat config, written by `lifeboat init`. Mode 0600: it may hold a password.\n")
	b.WriteString("# Every key is described in the README; unknown keys are errors.\n\n[database]\n")
	if a.socket != "" {
		fmt.Fprintf(&b, "socket = %s\n", tomlString(a.socket))
	} else {
		fmt.Fprintf(&b, "host = %s\n", tomlString(a.host))
		if a.port != "" {
			fmt.Fprintf(&b, "port = %s\n", a.port)
		}
	}
	if a.user != "" {
		fmt.Fprintf(&b, "user = %s\n", tomlString(a.user))
	}
	switch {
	case a.passwordFile != "":
		fmt.Fprintf(&b, "password_file = %s\n", tomlString(a.passwordFile))
	case a.password != "":
		fmt.Fprintf(&b, "password = %s\n", tomlString(a.password))
	default:
		b.WriteString("# no password here: it comes from the [client] group of ~/.my.cnf, if any\n")
	}
	fmt.Fprintf(&b, "name = %s          # the application database\n\n", tomlString(a.database))
	fmt.Fprintf(&b, "[backup]\ndir = %s\n", tomlString(a.dir))
	b.WriteString("keep = 20                 # newest full backups kept after each backup and by prune\n")
	b.WriteString("compression = \"gzip\"      # gzip | zstd | none\n")
	b.WriteString("# timezone = \"Local\"      # IANA name used for file names and displayed times\n")
	b.WriteString("# stale_after = \"26h\"     # status warns when the newest complete backup is older\n\n")
	b.WriteString("# Per-project backups: uncomment and name your projects table.\n")
	b.WriteString("# [projects]\n# table = \"projects\"\n# id_column = \"id\"\n# name_column = \"name\"\n")
	b.WriteString("# dependent tables are found through foreign keys; declare the ones the schema does not:\n")
	b.WriteString("# [[projects.relation]]\n# table = \"translations\"\n# column = \"string_id\"\n# references = \"strings.id\"\n")
	return b.String()
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
