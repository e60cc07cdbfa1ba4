package project

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestValuesRoundTripExactly backs up rows holding every kind of value,
// deletes them, restores them, and compares CHECKSUM TABLE (the stored
// bytes) before and after.
func TestValuesRoundTripExactly(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t,
		"SET SESSION sql_mode = ''",
		"CREATE TABLE projects (id VARCHAR(20) PRIMARY KEY, name VARCHAR(50))",
		`CREATE TABLE things (
  id BIGINT UNSIGNED PRIMARY KEY, project_id VARCHAR(20) NOT NULL, i8 TINYINT, u64 BIGINT UNSIGNED, s64 BIGINT,
  dec1 DECIMAL(65,30), f FLOAT, d DOUBLE, b BIT(64), b1 BIT(1), bin BINARY(4), vb VARBINARY(300), blb LONGBLOB,
  dt DATETIME(6), zd DATE, zdt DATETIME, ts TIMESTAMP(6) NULL, tm TIME(3), yr YEAR, js JSON,
  g GEOMETRY, pt POINT, e ENUM('x','y z'), st SET('a','b','c'),
  latin VARCHAR(50) CHARACTER SET latin1, sj VARCHAR(50) CHARACTER SET cp932, txt TEXT, u UUID, ip INET6,
  gen INT AS (i8 * 2) VIRTUAL,
  FOREIGN KEY (project_id) REFERENCES projects (id))`,
		"INSERT INTO projects VALUES ('p-1', 'Torture ☃'), ('p-2', 'Other')",
		`INSERT INTO things (id, project_id, i8, u64, s64, dec1, f, d, b, b1, bin, vb, blb, dt, zd, zdt, ts, tm, yr, js, g, pt, e, st, latin, sj, txt, u, ip) VALUES
 (18446744073709551615, 'p-1', -128, 18446744073709551615, -9223372036854775808,
  '-12345678901234567890123456789012345.123456789012345678901234567891', 3.4028234663852886e38, 2.2250738585072014e-308,
  b'1111111111111111111111111111111111111111111111111111111111111110', b'1', X'00FF0A0D', X'000102030405060708090A0B0C0D0E0F10FF5C27225C30',
  REPEAT(X'00FFE29883C0', 20000), '2038-01-19 03:14:07.999999', '0000-00-00', '0000-00-00 00:00:00',
  '1970-01-01 00:00:01.000001', '-838:59:59.000', 2155, '{"a": [1, 2.50, "x\\u0000"], "b": null}',
  ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))', 4326), POINT(1.5, -2.5), 'y z', 'a,c',
  'café ÿ', 'ｱｲｳ 日本', CONCAT('quote" back\\\\slash \n\t ', CHAR(1), CHAR(0), ' 🎉 </script>'), '123e4567-e89b-12d3-a456-426655440000', '2001:db8::1'),
 (1, 'p-1', 0, 0, 0, 0, 0.1, -0.0, b'0', b'0', X'00000000', '', '', '2020-00-15 00:00:00', '2020-02-00', NULL, NULL, '00:00:00', 0, '[]',
  NULL, NULL, 'x', '', '', '', '', NULL, NULL),
 (2, 'p-1', NULL, NULL, NULL, NULL, 1.2345678, 0.30000000000000004, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (3, 'p-2', 5, 5, 5, 5, 5, 5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'other', NULL, NULL)`,
	)
	cfg := Config{Table: "projects", IDColumn: "id", NameColumn: "name"}
	tables := []string{"projects", "things"}
	before := checksums(t, d.DB, tables...)
	bk := export(t, d.DB, cfg, "p-1", t.TempDir())
	raw, err := os.ReadFile(bk.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"u64": 18446744073709551615`, `"s64": -9223372036854775808`, `"project_id": "p-1"`,
		`"dec1": "-12345678901234567890123456789012345.123456789012345678901234567891"`, `"zd": "0000-00-00"`, `"ts": "1970-01-01 00:00:01.000001"`,
		`"bin": "AP8KDQ=="`, `"f": 1.2345677614212036`, `"d": 0.30000000000000004`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("backup file lacks %s", want)
		}
	}
	if st, _ := os.Stat(bk.Path); st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", st.Mode().Perm())
	}
	d.MustExec(t, "SET SESSION foreign_key_checks = 0", "DELETE FROM things WHERE project_id = 'p-1'", "DELETE FROM projects WHERE id = 'p-1'")
	b, err := ReadBackup(bk.Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(context.Background(), d.DB, cfg, RestoreOptions{ID: "p-1", Backup: b}); err != nil {
		t.Fatalf("restore: %v", err)
	}
	after := checksums(t, d.DB, tables...)
	for _, tb := range tables {
		if after[tb] != before[tb] {
			t.Errorf("table %s: checksum %d after the round trip, %d before", tb, after[tb], before[tb])
		}
	}
	// A second restore finds nothing to do.
	res, err := Restore(context.Background(), d.DB, cfg, RestoreOptions{ID: "p-1", Backup: b, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range res.Plan.Tables {
		if tp.Delete != 0 || tp.Insert != 0 {
			t.Errorf("after restore, %s still differs: %+v", tp.Table, tp)
		}
	}
}
