package remote_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/remote"
	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

func TestRemote02PutGetListRemove(t *testing.T) {
	srv := s3test.Start(t)
	st, err := remote.Open(srv.Remote("offsite", "db1"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	data := make([]byte, remote.MinPartSize+123) // two parts
	_, _ = rand.Read(data)
	var sent int64
	if err := st.Put(ctx, "a.sql.gz", bytes.NewReader(data), int64(len(data)), func(n int64) { sent += n }); err != nil {
		t.Fatal(err)
	}
	if sent != int64(len(data)) {
		t.Fatalf("progress heard %d of %d bytes", sent, len(data))
	}
	rc, size, err := st.Get(ctx, "a.sql.gz")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if size != int64(len(data)) || !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes (size %d), want %d", len(got), size, len(data))
	}
	objs, err := st.List(ctx)
	if err != nil || len(objs) != 1 || objs[0].Name != "a.sql.gz" {
		t.Fatalf("list = %+v, %v", objs, err)
	}
	if err := st.Remove(ctx, "a.sql.gz"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Get(ctx, "a.sql.gz"); !errors.Is(err, remote.ErrNotFound) {
		t.Fatalf("after remove: %v", err)
	}
}

func TestRemote02PartSizeKeepsUnder1000Parts(t *testing.T) {
	for _, size := range []int64{0, 1 << 20, 10 << 30, 50 << 30, 1 << 40} {
		p := int64(remote.PartSize(size))
		if p < remote.MinPartSize || (size+p-1)/p > remote.MaxParts {
			t.Errorf("size %d: part %d gives %d parts", size, p, (size+p-1)/p)
		}
	}
}

func TestRemote02ClearErrorsWithoutSecret(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	bad := srv.Remote("offsite", "")
	bad.SecretAccessKey = "WrongSecretValue42"
	st, _ := remote.Open(bad)
	err := st.Check(ctx)
	if err == nil || !strings.Contains(err.Error(), "secret key is wrong") || strings.Contains(err.Error(), "WrongSecretValue42") {
		t.Fatalf("wrong secret: %v", err)
	}
	badID := srv.Remote("offsite", "")
	badID.AccessKeyID = "nobody"
	st, _ = remote.Open(badID)
	if err := st.Check(ctx); err == nil || !strings.Contains(err.Error(), "access_key_id") || strings.Contains(err.Error(), srv.Secret) {
		t.Fatalf("wrong id: %v", err)
	}
	nb := srv.Remote("offsite", "")
	nb.Bucket = "missing"
	st, _ = remote.Open(nb)
	if err := st.Check(ctx); err == nil || !strings.Contains(err.Error(), `bucket "missing" does not exist`) {
		t.Fatalf("missing bucket: %v", err)
	}
	srv.Kill()
	st, _ = remote.Open(srv.Remote("offsite", ""))
	if err := st.Check(ctx); err == nil || !strings.Contains(err.Error(), "not reachable") {
		t.Fatalf("down: %v", err)
	}
}
