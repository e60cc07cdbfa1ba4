package restore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestTrust04RunRefusesStatementsOutsideTarget: restore.Run checks the
// gate per statement as it goes (the second line of defence: verify
// --restore and a file changed after the pre-pass reach it directly). The
// first refused statement stops the run before it executes.
func TestTrust04RunRefusesStatementsOutsideTarget(t *testing.T) {
	d := testdb.New(t)
	victim := testdb.New(t)
	victim.MustExec(t, "CREATE TABLE precious (id INT)", "INSERT INTO precious VALUES (1),(2)")
	for _, attack := range []string{
		"GRANT ALL ON *.* TO 'evil_run'@'%' IDENTIFIED BY 'Evil-pw-2'",
		"INSERT INTO `" + victim.Name + "`.precious VALUES (3)",
		"DELETE FROM `" + victim.Name + "`.precious",
		"DROP /**/ DATABASE `" + victim.Name + "`",
		"SET GLOBAL max_connections = 3",
	} {
		dump := "USE `src`;\nCREATE OR REPLACE TABLE t (id INT PRIMARY KEY);\nINSERT INTO t VALUES (1),(2);\n" + attack + ";\nCREATE TABLE after_attack (id INT);\n"
		_, err := run(t, d.Server, d.Name, []byte(dump), Options{Others: []string{victim.Name}})
		if err == nil || !strings.Contains(err.Error(), "line 4") || !strings.Contains(err.Error(), "refused") {
			t.Errorf("%s: %v, want a refusal of line 4", attack, err)
		}
		var n int
		if err := d.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'after_attack'", d.Name).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: the run went on after the refusal (%d, %v)", attack, n, err)
		}
	}
	var n int
	if err := victim.QueryRow("SELECT COUNT(*) FROM precious").Scan(&n); err != nil || n != 2 {
		t.Errorf("the other database: %d rows (%v), want 2", n, err)
	}
	if err := d.QueryRow("SELECT COUNT(*) FROM mysql.user WHERE User = 'evil_run'").Scan(&n); err != nil || n != 0 {
		t.Errorf("account created: %d (%v)", n, err)
	}
}

// TestTrust01UpdatePiecesRunAfterTheirInsert: the packet helper writes a
// value too big for one statement as an INSERT with its start, then
// UPDATE ... SET c = CONCAT(c, piece) WHERE key. INSERTs run on parallel
// workers; each UPDATE must run in file order, after its row's INSERT
// committed, or a piece is lost.
func TestTrust01UpdatePiecesRunAfterTheirInsert(t *testing.T) {
	d := testdb.New(t)
	var dump bytes.Buffer
	dump.WriteString("CREATE TABLE big (id INT PRIMARY KEY, k2 VARCHAR(5) NOT NULL, b LONGBLOB, KEY (k2));\n")
	want := map[int]string{}
	filler := strings.Repeat("f", 64<<10)
	for id := 1; id <= 200; id++ {
		// Other rows between, so the workers are busy when the UPDATEs come.
		fmt.Fprintf(&dump, "INSERT INTO big VALUES (%d,'x','%s'),(%d,'y','%s');\n", 1000+id, filler, 2000+id, filler)
		val := fmt.Sprintf("start-%d|", id)
		fmt.Fprintf(&dump, "INSERT INTO `big` VALUES (%d,'k','%s');\n", id, val)
		for p := 0; p < 3; p++ {
			piece := fmt.Sprintf("piece%d-%d|", p, id)
			fmt.Fprintf(&dump, "UPDATE `big` SET `b` = CONCAT(`b`, _binary '%s') WHERE `id` = %d AND `k2` = 'k';\n", piece, id)
			val += piece
		}
		sum := sha256.Sum256([]byte(val))
		want[id] = hex.EncodeToString(sum[:])
	}
	if _, err := run(t, d.Server, d.Name, dump.Bytes(), Options{Parallel: 2}); err != nil {
		t.Fatal(err)
	}
	rows, err := d.Query("SELECT id, SHA2(b, 256) FROM big WHERE id <= 200")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		var id int
		var sum string
		if err := rows.Scan(&id, &sum); err != nil {
			t.Fatal(err)
		}
		if sum != want[id] {
			t.Errorf("row %d: a piece is missing or out of order", id)
		}
		got++
	}
	if err := rows.Err(); err != nil || got != 200 {
		t.Fatalf("%d rows (%v), want 200", got, err)
	}
}

// TestTrust04RunStopsWhenTheServerReadsStringsDifferently: a SET sql_mode
// the server skips (a conditional comment for a version it is not) would
// leave the splitter and the gate reading backslashes differently from
// the server. The run reads the session's sql_mode back after each SET
// and stops at that statement.
func TestTrust04RunStopsWhenTheServerReadsStringsDifferently(t *testing.T) {
	d := testdb.New(t)
	dump := "CREATE TABLE t (id INT PRIMARY KEY, s TEXT);\n" +
		"/*!999999 SET sql_mode = 'NO_BACKSLASH_ESCAPES' */;\n" +
		"INSERT INTO t VALUES (1, 'a\\');\n"
	_, err := run(t, d.Server, d.Name, []byte(dump), Options{})
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "NO_BACKSLASH_ESCAPES") {
		t.Fatalf("run: %v, want a stop at line 2 naming NO_BACKSLASH_ESCAPES", err)
	}
	var n int
	if err := d.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Errorf("t: %d rows (%v): the INSERT after the SET ran", n, err)
	}
}
