package remote

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

// skewedClock sends every request as a machine whose clock is off by
// shift would: its X-Amz-Date is that clock's time.
type skewedClock struct{ shift time.Duration }

func (s skewedClock) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("X-Amz-Date", time.Now().UTC().Add(s.shift).Format("20060102T150405Z"))
	return http.DefaultTransport.RoundTrip(r)
}

// TestRemote08ClockSkewSaysFixTheClock: a real versitygw refuses requests
// from a client whose clock is an hour behind (RequestTimeTooSkewed); the
// check and an upload both say to set the clock, at once (no retries), and
// never show the secret.
func TestRemote08ClockSkewSaysFixTheClock(t *testing.T) {
	srv := s3test.Start(t)
	r := srv.Remote("offsite", "db1/")
	st, err := Open(r)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(r.Endpoint)
	st.c, err = minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(r.AccessKeyID, r.SecretAccessKey, ""),
		Region: r.Region, BucketLookup: minio.BucketLookupPath, MaxRetries: maxRetries,
		Transport: skewedClock{-time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = st.Check(ctx)
	if err == nil || !strings.Contains(err.Error(), "clock") || !strings.Contains(err.Error(), "set the time") ||
		strings.Contains(err.Error(), srv.Secret) {
		t.Fatalf("check with the clock an hour behind: %v", err)
	}
	start := time.Now()
	data := bytes.Repeat([]byte("x"), 1000)
	err = st.PutTail(ctx, "a.sql", Whole(bytes.NewReader(data), int64(len(data))), nil)
	if err == nil || !strings.Contains(err.Error(), "clock") || strings.Contains(err.Error(), srv.Secret) {
		t.Fatalf("upload with the clock an hour behind: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("a clock-skew refusal was retried for %v: it cannot pass on its own", d)
	}
	t.Logf("the message: %v", err)
}
