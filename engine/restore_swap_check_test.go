package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestSwapContentCheck: a backup records CHECKSUM TABLE of each table in
// its snapshot; a copy whose rows differ from the backup's while their
// count is the same (a value tampered with as it is checked) is refused
// before the swap, naming the table: live stays exactly as it was and the
// copy is dropped. A manifest without checksums (an older backup), or one
// made by another server version, leaves the row counts alone to speak.
func TestSwapContentCheck(t *testing.T) {
	d, e, name, old, neu := swapFixture(t, 2000)
	ctx := context.Background()
	m, err := e.restoreManifest(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range []string{"big", "gen", "log"} {
		sum, ok := m.Checksums[tb]
		if !ok || !strings.HasPrefix(neu["table "+tb], fmt.Sprint(sum)+" ") {
			t.Fatalf("manifest checksum of %s: %d (%v), CHECKSUM TABLE at backup time: %q", tb, sum, ok, neu["table "+tb])
		}
	}
	shadow := shadowName(d.Name)
	older, otherServer := *m, *m
	older.Checksums = nil
	otherServer.ServerVersion = "10.6.0-MariaDB"
	var olderErr, otherErr, sameErr error
	tamper := func() { d.MustExec(t, fmt.Sprintf("UPDATE %s.gen SET g = 'nex'", quoteIdent(shadow))) }
	// The copy's tables are checked as they load: gen is changed just
	// before its check reads it.
	shadowCheckHook = func(table string) {
		if table == "gen" {
			tamper()
		}
	}
	defer func() { shadowCheckHook = nil }()
	swapStageHook = func(stage string, _ int64) {
		if stage != "loaded" {
			return
		}
		tamper() // the same change, for the checks of the whole copy at once
		olderErr = e.checkShadow(ctx, shadow, &older)
		otherErr = e.checkShadow(ctx, shadow, &otherServer)
		sameErr = e.checkShadow(ctx, shadow, m)
	}
	defer func() { swapStageHook = nil }()
	res, err := e.Restore(ctx, name, RestoreOptions{}, nil)
	swapStageHook, shadowCheckHook = nil, nil
	if err == nil || !strings.Contains(err.Error(), `table "gen" holds other rows than the backup wrote`) ||
		!strings.Contains(err.Error(), fmt.Sprintf("database %q is unchanged", d.Name)) || !strings.Contains(err.Error(), "copy was dropped") {
		t.Fatalf("restore of a tampered copy: %+v, %v", res, err)
	}
	t.Logf("message: %v", err)
	if olderErr != nil || otherErr != nil || sameErr == nil {
		t.Errorf("check without checksums: %v, from another server version: %v, with them: %v; want nil, nil, an error", olderErr, otherErr, sameErr)
	}
	sameFingerprint(t, old, swapFingerprint(t, d, d.Name))
	if s := schemaCount(t, d, likePrefix(d.Name)); len(s) != 0 {
		t.Errorf("left behind: %v", s)
	}
	res, err = e.Restore(ctx, name, RestoreOptions{}, nil)
	if err != nil || res.Mode != ModeSwap {
		t.Fatalf("untampered restore %+v: %v", res, err)
	}
	sameFingerprint(t, neu, swapFingerprint(t, d, d.Name))
}
