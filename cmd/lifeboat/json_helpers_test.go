package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// decodeJSON decodes a --json reply into the type the command prints
// (json_*.go), refusing keys the type does not have, so a test reads the
// same contract scripts do.
func decodeJSON[T any](t *testing.T, r result) T {
	t.Helper()
	var out T
	dec := json.NewDecoder(bytes.NewReader([]byte(r.stdout)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("--json reply (code %d) does not decode into %T: %v: %q (stderr %q)", r.code, out, err, r.stdout, r.stderr)
	}
	return out
}

// jsonReply runs lifeboat ARGS --json, which must succeed, and returns its
// reply decoded into T and, for the key-name checks (fields), as a map.
func jsonReply[T any](t *testing.T, f *fixture, args ...string) (T, map[string]any) {
	t.Helper()
	r := f.run(t, append(args, "--json")...)
	var raw map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatalf("lifeboat %v --json: code %d, not JSON: %q (stderr %q)", args, r.code, r.stdout, r.stderr)
	}
	if r.code != 0 {
		t.Fatalf("lifeboat %v: code %d: %v (stderr %q)", args, r.code, raw, r.stderr)
	}
	return decodeJSON[T](t, r), raw
}

// sub is the object at key k of a raw reply, for fields.
func sub(t *testing.T, m map[string]any, k string) map[string]any {
	t.Helper()
	v, ok := m[k].(map[string]any)
	if !ok {
		t.Fatalf("JSON %q is not an object: %v", k, m)
	}
	return v
}
