package config

import (
	"strings"
	"testing"
)

// database.names selects several databases; both keys at once, system
// schemas, paths, duplicates and a "*" among names are refused by key.
func TestDatabaseNamesValidation(t *testing.T) {
	c, err := loadTOML(t, "[database]\nnames = [\"app\", \"crm\"]\naccounts = true\n")
	if err != nil {
		t.Fatalf("good names refused: %v", err)
	}
	if got := c.Database.Selection(); strings.Join(got, ",") != "app,crm" || c.Database.Primary() != "app" || !c.Database.Several() || !c.Database.Accounts {
		t.Fatalf("selection %v primary %q several %v", got, c.Database.Primary(), c.Database.Several())
	}
	c, err = loadTOML(t, "[database]\nnames = [\"*\"]\n")
	if err != nil || !c.Database.All() || c.Database.Primary() != "" {
		t.Fatalf("[\"*\"]: %v all=%v", err, c != nil && c.Database.All())
	}
	for body, want := range map[string]string{
		"[database]\nname = \"app\"\nnames = [\"crm\"]\n": "database.names and database.name are both set",
		"[database]\nnames = [\"app\", \"../etc\"]\n":     `database.names[1] "../etc": must not contain /`,
		"[database]\nnames = [\"mysql\"]\n":               `database.names[0] "mysql" is a system schema`,
		"[database]\nnames = [\"a\", \"a\"]\n":            `database.names[1] "a" is listed twice`,
		"[database]\nnames = [\"*\", \"a\"]\n":            `"*" stands alone`,
		"[database]\nname = \"..\"\n":                     `database.name "..": is a path`,
		"[database]\nport = 3306\n":                       "database.name is required",
	} {
		_, err := loadTOML(t, body)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", body, err, want)
		}
	}
}
