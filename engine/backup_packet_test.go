package engine

import (
	"context"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestTrust01ManifestRecordsPacketLimits (issue 11 item 1): the manifest
// records the server's max_allowed_packet, the largest statement written
// (never above 16 MiB less the margin) and the largest value written in
// pieces, so verify and restore can check a target before anything changes;
// and lifeboat restore, with all its checks, brings the row in pieces back.
func TestTrust01ManifestRecordsPacketLimits(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE big (id INT PRIMARY KEY, b LONGBLOB)",
		"INSERT INTO big VALUES (1, REPEAT(CHAR(0), 9*1024*1024)), (2, 'x')",
	)
	var server int64
	if err := d.QueryRow("SELECT @@GLOBAL.max_allowed_packet").Scan(&server); err != nil {
		t.Fatal(err)
	}
	e := backupEngine(t, d, "gzip")
	res, err := e.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := bkManifest(t, e.dir(), res.Filename)
	if m.MaxAllowedPacket != server || server == 0 {
		t.Errorf("manifest max_allowed_packet = %d, server has %d", m.MaxAllowedPacket, server)
	}
	// 9 MiB of zero bytes escape to 18 MiB: written in pieces.
	if m.LargestStatement <= 1<<20 || m.LargestStatement > 16<<20-4<<10 {
		t.Errorf("manifest largest_statement = %d, want between 1 MiB and 16 MiB less 4 KiB", m.LargestStatement)
	}
	if m.LargestValue != 9<<20 {
		t.Errorf("manifest largest_value = %d, want %d", m.LargestValue, 9<<20)
	}

	into := d.Name + "_r"
	t.Cleanup(func() { d.Exec("DROP DATABASE IF EXISTS `" + into + "`") })
	if _, err := e.Restore(context.Background(), res.Filename, RestoreOptions{Into: into, NoSafetyBackup: true}, nil); err != nil {
		t.Fatalf("restore: %v", err)
	}
	sum := func(db string) string {
		var s string
		q := "SELECT GROUP_CONCAT(id, ':', LENGTH(b), ':', SHA2(b, 256) ORDER BY id) FROM `" + db + "`.big"
		if err := d.QueryRow(q).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got, want := sum(into), sum(d.Name); got != want {
		t.Errorf("restored rows %q, want %q", got, want)
	}
}
