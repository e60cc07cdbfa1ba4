package sqlsplit

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// gateRun feeds sql through a fresh gate for target app and returns the
// first refusal ("" when all pass).
func gateRun(t *testing.T, sql string, others ...string) string {
	t.Helper()
	rep, err := Inspect(context.Background(), strings.NewReader(sql), InspectOptions{
		Gate: GateOptions{Target: "app", Others: others}, CompletionPrefix: "-- Dump completed"})
	if err != nil {
		t.Fatalf("inspect %q: %v", sql, err)
	}
	if rep.Refusal != nil {
		return rep.Refusal.Error()
	}
	return ""
}

// TestTrust04GateAllowsWhatADumpHolds: the statements mysqldump,
// mariadb-dump and lifeboat write for one database pass.
func TestTrust04GateAllowsWhatADumpHolds(t *testing.T) {
	allowed := []string{
		"/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n/*!40101 SET SQL_MODE=@OLD_SQL_MODE */",
		"/*!50503 SET NAMES utf8mb4 */", "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci",
		"SET @@SESSION.SQL_LOG_BIN= 0", "SET @MYSQLDUMP_TEMP_LOG_BIN = @@SESSION.SQL_LOG_BIN",
		"/*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY, NOTE_VERBOSITY=0 */",
		"SET TIME_ZONE='+00:00'", "SET @x = -1", "SET character_set_client = utf8mb4",
		"CREATE DATABASE /*!32312 IF NOT EXISTS*/ `app` /*!40100 DEFAULT CHARACTER SET utf8mb4 */",
		"USE `app`", "DROP DATABASE IF EXISTS `app`",
		"DROP TABLE IF EXISTS `t`, `u`", "/*!50001 DROP VIEW IF EXISTS `v`*/",
		"CREATE TABLE `t` (`id` int NOT NULL, `g` varchar(9) DEFAULT 'x;y', `n` BIGINT DEFAULT NEXTVAL(`s`), PRIMARY KEY (`id`), CONSTRAINT `c` CHECK (`id` >= 0), CONSTRAINT `f` FOREIGN KEY (`id`) REFERENCES `app`.`u` (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
		"INSERT INTO `t` VALUES (1,'a\\'b',NULL,0x00FF,_binary 'x',X'00',b'101',-1.5e-3,'2024-01-01'),(2,'',NULL,0,'',1,0,+2,'')",
		"INSERT IGNORE INTO `t` (`id`,`g`) VALUES (1,'(x)')", "REPLACE INTO t VALUES (1)",
		"LOCK TABLES `t` WRITE", "UNLOCK TABLES",
		"/*!40000 ALTER TABLE `t` DISABLE KEYS */", "/*!40000 ALTER TABLE `t` ENABLE KEYS */",
		"ALTER TABLE `t` ADD KEY `k` (`g`), ADD UNIQUE KEY `u` (`n`)",
		"/*!50003 ALTER DATABASE `app` CHARACTER SET latin1 COLLATE latin1_swedish_ci */",
		"UPDATE `t` SET `g` = CONCAT(`g`, 'more') WHERE `id` = 1",
		"UPDATE `t` SET `g` = CONCAT(`g`, 'more'), `ts` = `ts`, `u` = `u` WHERE `id` = 1",
		"UPDATE `t` SET `b` = CONCAT(`b`, _binary 0x0000) WHERE `id` = -1 AND `k` = 'x'",
		"CREATE SEQUENCE `s` start with 1 minvalue 1 maxvalue 9 increment by 1 cache 1000 nocycle ENGINE=InnoDB",
		"DO SETVAL(`s`, 101, 0, 0)", "SELECT SETVAL(`s`, 5, 0)",
		"/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */ /*!50001 VIEW `v` AS select `app`.`t`.`id` AS `id`, `x`.`g` AS `g` from `t` `x` */",
		"DELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `tr` AFTER INSERT ON `t` FOR EACH ROW BEGIN INSERT INTO log VALUES (NEW.id); SET @n = NEW.id; END */;;\nDELIMITER ",
		"DELIMITER ;;\nCREATE DEFINER=`root`@`localhost` PROCEDURE `p`() BEGIN SELECT 1; SELECT `t`.`id` FROM `t`; END;;\nDELIMITER ",
		"CREATE DEFINER=`root`@`localhost` EVENT `ev` ON SCHEDULE EVERY 1 DAY DO INSERT INTO log VALUES (0)",
		"TRUNCATE TABLE `t`", "RENAME TABLE `t` TO `t2`", "COMMIT",
	}
	for _, s := range allowed {
		if r := gateRun(t, s+";\n"); r != "" {
			t.Errorf("%s: refused: %s", s, r)
		}
	}
}

// TestTrust04GateRefusesOutsideTarget: accounts, global settings, file I/O,
// other schemas (also inside bodies, also behind comments) and anything
// unknown are refused, naming the line.
func TestTrust04GateRefusesOutsideTarget(t *testing.T) {
	refused := map[string]string{
		"GRANT ALL ON *.* TO 'evil'@'%' IDENTIFIED BY 'x'":     "account",
		"CREATE USER 'evil'@'%'":                               "account",
		"/*!50000 CREATE USER evil*/":                          "account",
		"SET PASSWORD FOR root = PASSWORD('x')":                "account",
		"SET GLOBAL max_connections = 1":                       "global",
		"SET @@global.general_log = 1":                         "global",
		"/*!40000 SET @@GLOBAL.GTID_PURGED='x'*/":              "global",
		"SET sql_log_off = 1":                                  "not a setting",
		"SELECT * FROM t INTO OUTFILE '/tmp/x'":                "file",
		"LOAD DATA INFILE '/etc/shadow' INTO TABLE t":          "file",
		"INSERT INTO t VALUES (LOAD_FILE('/etc/shadow'))":      "literal",
		"INSERT INTO t SELECT * FROM mysql.user":               "literal",
		"INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a=1": "literal",
		"INSERT INTO t VALUES (1, -- '\n LOAD_FILE('x'))":      "literal",
		"INSERT INTO t VALUES (@x)":                            "literal",
		"INSERT INTO other.t VALUES (1)":                       "outside",
		"TRUNCATE otherdb.t":                                   "outside",
		"RENAME TABLE otherdb.x TO app.x":                      "outside",
		"DROP /**/ DATABASE victim2":                           "DROP DATABASE",
		"DROP/*!*/DATABASE victim2":                            "DROP DATABASE",
		"DROP DATABASE mysql":                                  "DROP DATABASE",
		"DROP USER root":                                       "DROP USER",
		"DROP TABLE t, otherdb.t":                              "outside",
		"USE mysql":                                            "system schema",
		"CREATE TABLE t LIKE mysql.user":                       "system schema",
		"CREATE TABLE t AS SELECT 1":                           "SELECT",
		"CREATE TABLE t (a INT) ENGINE=CONNECT TABLE_TYPE=CSV FILE_NAME='/etc/passwd'":       "CONNECT",
		"CREATE TABLE t (a INT) DATA DIRECTORY='/tmp'":                                       "file",
		"CREATE VIEW v AS SELECT * FROM mysql.user":                                          "system schema",
		"CREATE VIEW v AS SELECT * FROM otherdb.t":                                           "outside",
		"CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW INSERT INTO mysql.user VALUES (1)": "system schema",
		"CREATE PROCEDURE p() BEGIN DROP DATABASE victim; END":                               "DROP DATABASE",
		"CREATE PROCEDURE p() BEGIN PREPARE s FROM @q; EXECUTE s; END":                       "dynamic",
		"CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO UPDATE a.b.c SET x = 1":                   "outside",
		"CREATE FUNCTION sys_exec RETURNS INT SONAME 'lib_mysqludf_sys.so'":                  "UDF",
		"ALTER TABLE t RENAME TO otherdb.t":                                                  "only ALTER",
		"ALTER USER root IDENTIFIED BY 'x'":                                                  "ALTER USER",
		"UPDATE t SET a = 1":                                                                 "only UPDATE",
		"UPDATE t SET a = CONCAT(a, (SELECT password FROM mysql.user)) WHERE id = 1":         "only UPDATE",
		"UPDATE t SET a = CONCAT(a, 'x'), b = 'y' WHERE id = 1":                              "only UPDATE",
		"UPDATE t SET a = CONCAT(a, 'x'), b = c WHERE id = 1":                                "only UPDATE",
		"DELETE FROM t":                "DELETE",
		"SELECT SLEEP(100)":            "SELECT",
		"SHUTDOWN":                     "server command",
		"INSTALL SONAME 'ha_connect'":  "plugin",
		"SET sql_mode = 'ANSI_QUOTES'": "double quotes",
		"SET @m = 'NO_BACKSLASH_ESCAPES'; SET sql_mode = @m": "cannot follow",
	}
	for s, want := range refused {
		r := gateRun(t, "USE app;\n"+s+";\n", "otherdb", "victim", "victim2")
		if !strings.Contains(r, want) || !strings.HasPrefix(r, "line 2") {
			t.Errorf("%s: got %q, want a refusal at line 2 mentioning %q", s, r, want)
		}
	}
	if r := gateRun(t, "CREATE DATABASE a;\nCREATE DATABASE b;\n"); !strings.Contains(r, "more than one database") {
		t.Errorf("two databases: %q", r)
	}
	// Restored into another name, a bare qualifier cannot be moved.
	if r := gateRun(t, "USE src;\nCREATE VIEW v AS SELECT src.t.id FROM src.t;\n"); !strings.Contains(r, "unquoted") {
		t.Errorf("bare source qualifier: %q", r)
	}
}

// TestTrust04GatePassesRealDumps: a real mariadb-dump of a schema with
// routines, a trigger, an event, a view and a sequence, and the stored
// mysqldump 8.0 file, pass the gate whole.
func TestTrust04GatePassesRealDumps(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE t (id INT PRIMARY KEY, s TEXT, b BLOB, KEY ks (s(10)))",
		"CREATE TABLE log (id INT)",
		`INSERT INTO t VALUES (1,'a;b',0x00ff),(2,'it''s',NULL),(3,'back\\slash',''),(4,'-- x\n/* y */ #z','x'),(5,NULL,NULL)`,
		"CREATE SEQUENCE sq",
		"CREATE VIEW v AS SELECT t.id, l.id AS lid FROM t JOIN log l ON l.id = t.id",
		"CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW BEGIN INSERT INTO log VALUES (NEW.id); END",
		"CREATE PROCEDURE p() BEGIN SELECT 1; SELECT ';'; END",
		"CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN x + 1",
		"CREATE EVENT ev ON SCHEDULE EVERY 1 DAY DO INSERT INTO log VALUES (0)",
	)
	for _, args := range [][]string{{"--databases", d.Name}, {d.Name}, {"--compact", "--hex-blob", d.Name}} {
		cmd := exec.Command("mariadb-dump", append([]string{"--no-defaults", "--socket=" + d.Server.Socket, "-uroot",
			"--routines", "--triggers", "--events"}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("mariadb-dump: %v: %s", err, stderr.String())
		}
		rep, err := Inspect(context.Background(), bytes.NewReader(out), InspectOptions{
			Gate: GateOptions{Target: "restored"}, CompletionPrefix: "-- Dump completed"})
		if err != nil || rep.Refusal != nil {
			t.Fatalf("mariadb-dump %v: %v %v", args, err, rep.Refusal)
		}
		if wantDone := args[0] != "--compact"; rep.Completed != wantDone || rep.Rows != 5 {
			t.Errorf("mariadb-dump %v: completed %v, rows %d", args, rep.Completed, rep.Rows)
		}
	}
	f, err := os.ReadFile("testdata/mysqldump80.sql")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Inspect(context.Background(), bytes.NewReader(f), InspectOptions{CompletionPrefix: "-- Dump completed"})
	if err != nil || rep.Refusal != nil || rep.Database() != "shop" || !rep.Completed {
		t.Fatalf("mysqldump80.sql: %v %v %+v", err, rep.Refusal, rep)
	}
}
