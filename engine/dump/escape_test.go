package dump

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// escapeByByte is appendEscaped as it was before it looked at 8 bytes at a
// time: the reference the fast one must match byte for byte.
func escapeByByte(b, v []byte) []byte {
	b = append(b, '\'')
	for _, c := range v {
		if e := escapes[c]; e != 0 {
			b = append(b, '\\', e)
		} else {
			b = append(b, c)
		}
	}
	return append(b, '\'')
}

// TestEscapeMaskFindsTheFirstByte: for every byte value at every position
// of a word, among fillers of every other value, and for a million random
// words, escapeMask is 0 exactly when no byte is below 0x20 or is ', " or
// \, and otherwise points at the first such byte.
func TestEscapeMaskFindsTheFirstByte(t *testing.T) {
	flagged := func(c byte) bool { return c < 0x20 || c == '\'' || c == '"' || c == '\\' }
	first := func(x uint64) int {
		for i := range 8 {
			if flagged(byte(x >> (8 * i))) {
				return i
			}
		}
		return -1
	}
	got := func(x uint64) int {
		m := escapeMask(x)
		if m == 0 {
			return -1
		}
		return bits.TrailingZeros64(m) >> 3
	}
	var w [8]byte
	for fill := range 256 {
		for c := range 256 {
			for pos := range 8 {
				for i := range w {
					w[i] = byte(fill)
				}
				w[pos] = byte(c)
				x := binary.LittleEndian.Uint64(w[:])
				if g, want := got(x), first(x); g != want {
					t.Fatalf("escapeMask(% x) points at byte %d, want %d", w, g, want)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		x := r.Uint64()
		if r.IntN(2) == 0 { // bytes 0x60–0x7F, like lower-case prose, now and then one of 0x27–0x38 (' among them)
			x = x&0x1f1f1f1f1f1f1f1f | 0x6060606060606060
			x ^= uint64(r.IntN(2)) * 0x47 << (8 * r.IntN(8))
		}
		if g, want := got(x), first(x); g != want {
			t.Fatalf("escapeMask(%#016x) points at byte %d, want %d", x, g, want)
		}
	}
}

// TestEscapeLongValuesByteIdentical: long values holding every escapable
// byte (and every other byte) at every offset and in runs escape exactly
// as byte by byte, whatever the length modulo 8.
func TestEscapeLongValuesByteIdentical(t *testing.T) {
	var all []byte
	for c := range 256 {
		all = append(all, byte(c))
	}
	var cases [][]byte
	for n := range 40 { // every length up to 5 words, every escapable byte at every offset
		for _, c := range []byte{0, '\n', '\r', '\\', '\'', '"', 0x1A, 0x1F, ' ', 0x80, 0xFF} {
			for off := range n {
				v := bytes.Repeat([]byte("a"), n)
				v[off] = c
				cases = append(cases, v)
			}
		}
	}
	r := rand.New(rand.NewPCG(19, 8))
	escapable := []byte{0, '\n', '\r', '\\', '\'', '"', 0x1A}
	for _, size := range []int{64 << 10, 64<<10 + 7, 1<<20 + 3} {
		v := make([]byte, 0, size)
		for len(v) < size {
			switch r.IntN(4) {
			case 0: // a run of one escapable byte
				k := r.IntN(len(escapable))
				v = append(v, bytes.Repeat(escapable[k:k+1], r.IntN(20))...)
			case 1:
				v = append(v, all...)
			case 2:
				v = append(v, "plain prose with no escape at all, "...)
			default:
				v = append(v, byte(r.IntN(256)))
			}
		}
		cases = append(cases, v[:size], bytes.Repeat([]byte{'\''}, size), bytes.Repeat(all, size/256))
	}
	cases = append(cases, proseBodies(50)...)
	for _, v := range cases {
		got, want := appendEscaped([]byte("x"), v), escapeByByte([]byte("x"), v)
		if !bytes.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Fatalf("value of %d bytes: escaped differently from byte %d: got %q, want %q", len(v), i, got[i:min(len(got), i+16)], want[i:min(len(want), i+16)])
		}
	}
}

// TestEscapeLongValuesLikeStockClient: a LONGTEXT of 300 KB that holds
// every escapable byte, alone and in runs, is written by lifeboat with
// the very literal mariadb-dump writes, and comes back byte for byte.
func TestEscapeLongValuesLikeStockClient(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE long_text (id INT PRIMARY KEY, body LONGTEXT CHARACTER SET utf8mb4 NOT NULL) ENGINE=InnoDB")
	var v []byte
	for i := 0; len(v) < 300_000; i++ {
		v = append(v, "line "...)
		v = append(v, byte('0'+i%10))
		v = append(v, " it's \"quoted\", a back\\slash, \x00 NUL, \r\n, Ctrl-Z \x1a, ünï 😀 "...)
		v = append(v, bytes.Repeat([]byte{"\x00\n\r\\'\"\x1a"[i%7]}, 1+i%9)...)
	}
	if _, err := d.Exec("INSERT INTO long_text VALUES (1, ?)", v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dump.sql")
	dumpFile(t, d, Options{}, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ours := string(b)
	bin, err := sandbox.FindBinary("mariadb-dump")
	if err != nil {
		t.Fatal(err)
	}
	stock, err := exec.Command(bin, "--no-defaults", "--socket="+d.Server.Socket, "-uroot", "--skip-extended-insert", d.Name, "long_text").Output()
	if err != nil {
		t.Fatalf("mariadb-dump: %v", err)
	}
	lit := string(escapeByByte(nil, v))
	if !strings.Contains(string(stock), lit) {
		t.Fatalf("mariadb-dump did not write the expected literal (%d bytes): the reference is wrong", len(lit))
	}
	if !strings.Contains(ours, "(1,"+lit+")") {
		t.Fatalf("lifeboat's dump does not hold mariadb-dump's literal of the %d-byte value", len(v))
	}
	d.MustExec(t, "DROP DATABASE `"+d.Name+"`")
	testdb.LoadSQL(t, d.Server, "", strings.NewReader(ours))
	var back []byte
	if err := d.QueryRow("SELECT body FROM `" + d.Name + "`.long_text WHERE id = 1").Scan(&back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back, v) {
		t.Fatalf("restored value differs: %d bytes back, %d dumped", len(back), len(v))
	}
}
