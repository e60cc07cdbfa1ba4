package restore

import "testing"

// TestRequalifyColumnsKeepsTheTableName: a copy's table is created in the
// copy, but its DEFAULT NEXTVAL names the database it is swapped into.
func TestRequalifyColumnsKeepsTheTableName(t *testing.T) {
	in := "CREATE TABLE `new`.`t(1)` (`id` INT DEFAULT nextval(`new`.`seq`))"
	want := "CREATE TABLE `new`.`t(1)` (`id` INT DEFAULT nextval(`live`.`seq`))"
	if got := string(requalifyColumns([]byte(in), "new", "live")); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
