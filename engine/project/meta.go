package project

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Meta is the "metadata" object of a project backup file.
type Meta struct {
	ProjectID         ID                   `json:"project_id"`
	ProjectName       string               `json:"project_name"`
	CreatedAt         string               `json:"created_at"` // RFC 3339 with offset
	CreatedBy         string               `json:"created_by"`
	CreatedByName     string               `json:"created_by_name"`
	BackupVersion     string               `json:"backup_version"`
	ToolVersion       string               `json:"tool_version,omitempty"`
	Reason            string               `json:"reason,omitempty"` // "safety" before a restore
	Database          string               `json:"database"`
	RootTable         string               `json:"root_table"`
	IDColumn          string               `json:"id_column"`
	NameColumn        string               `json:"name_column"`
	TableOrder        []string             `json:"table_order"`
	Tables            map[string]TableMeta `json:"tables"`
	Links             []Link               `json:"links"`
	Triggers          []Trigger            `json:"triggers,omitempty"`
	SchemaFingerprint string               `json:"schema_fingerprint"`
}

// TableMeta describes one table in a backup.
type TableMeta struct {
	Columns    []Column `json:"columns"`
	PrimaryKey []string `json:"primary_key"`
	Rows       int64    `json:"rows"`
}

// ID is a project id; it is written as a JSON number when it is one (as
// the seed's scripts expect) and as a string otherwise.
type ID string

var digits = regexp.MustCompile(`^(0|[1-9][0-9]{0,18})$`)

// MarshalJSON writes plain integers unquoted.
func (id ID) MarshalJSON() ([]byte, error) {
	if digits.MatchString(string(id)) {
		return []byte(id), nil
	}
	return json.Marshal(string(id))
}

// UnmarshalJSON accepts a number or a string.
func (id *ID) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = ID(s)
		return nil
	}
	n := strings.TrimSpace(string(b))
	if !json.Valid(b) || (n != "" && strings.ContainsAny(n[:1], "{[tfn")) {
		return fmt.Errorf("project_id %.40s is not a number or a string", n)
	}
	*id = ID(n)
	return nil
}

// Fingerprint hashes the graph tables' columns, types and keys, so two
// backups (or a backup and the live schema) can be compared at a glance.
func Fingerprint(tables map[string]TableMeta) string {
	names := make([]string, 0, len(tables))
	for n := range tables {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		t := tables[n]
		h.Write([]byte("table " + n + "\n"))
		for _, c := range t.Columns {
			h.Write([]byte(c.Name + " " + c.Type + "\n"))
		}
		h.Write([]byte("pk " + strings.Join(t.PrimaryKey, ",") + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// tableMetas describes the graph's tables (rows left at zero).
func (g *Graph) tableMetas() map[string]TableMeta {
	out := map[string]TableMeta{}
	for _, n := range g.Order {
		t := g.Table(n)
		pk := t.PK
		if pk == nil {
			pk = []string{}
		}
		out[n] = TableMeta{Columns: t.Columns, PrimaryKey: pk}
	}
	return out
}

// graphLinks are the links that decide membership, for the record.
func (g *Graph) graphLinks() []Link {
	var out []Link
	for _, n := range g.Order {
		out = append(out, g.Via[n]...)
		out = append(out, g.Self[n]...)
	}
	if out == nil {
		out = []Link{}
	}
	return out
}
