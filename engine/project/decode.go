package project

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ReadMeta reads only the metadata of a backup file (it comes first),
// through open (nil: plain JSON).
func ReadMeta(path string, open Open) (Meta, error) {
	f, err := os.Open(path)
	if err != nil {
		return Meta{}, err
	}
	defer f.Close()
	jr, err := open.open(filepath.Base(path), f)
	if err != nil {
		return Meta{}, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	defer jr.Close()
	dec := json.NewDecoder(bufio.NewReader(jr))
	var meta Meta
	err = walkTop(dec, func(key string) (bool, error) {
		if key != "metadata" {
			var skip json.RawMessage
			return false, dec.Decode(&skip)
		}
		return true, dec.Decode(&meta)
	})
	if err != nil {
		return Meta{}, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	if meta.BackupVersion == "" {
		return Meta{}, fmt.Errorf("read %s: no metadata: not a lifeboat project backup", filepath.Base(path))
	}
	return meta, nil
}

// walkTop calls fn for each key of the top-level object, with the decoder
// positioned at its value; fn returns stop=true to end early.
func walkTop(dec *json.Decoder, fn func(key string) (stop bool, err error)) error {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("not a JSON object (%v)", err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		stop, err := fn(key)
		if err != nil || stop {
			return err
		}
	}
	return nil
}

// Backup is a whole backup file in memory, values decoded to the bytes
// the server gave (see codec.go).
type Backup struct {
	Meta Meta
	Rows map[string][][]any // per table, values in Meta.Tables[t].Columns order
}

// ReadBackup reads and checks a whole backup file.
func ReadBackup(path string) (*Backup, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := decodeBackup(bufio.NewReaderSize(f, 256<<10))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return b, nil
}

func decodeBackup(r io.Reader) (*Backup, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	b := &Backup{Rows: map[string][][]any{}}
	sawMeta := false
	err := walkTop(dec, func(key string) (bool, error) {
		switch key {
		case "metadata":
			sawMeta = true
			return false, dec.Decode(&b.Meta)
		case "data":
			if !sawMeta {
				return false, errors.New(`"metadata" must come before "data"`)
			}
			return false, b.decodeData(dec)
		}
		var skip json.RawMessage
		return false, dec.Decode(&skip)
	})
	if err != nil {
		return nil, err
	}
	if !sawMeta || b.Meta.BackupVersion == "" {
		return nil, errors.New("no metadata: not a lifeboat project backup")
	}
	for t, tm := range b.Meta.Tables {
		if int64(len(b.Rows[t])) != tm.Rows {
			return nil, fmt.Errorf("table %q: metadata says %d rows, file has %d: the file is damaged", t, tm.Rows, len(b.Rows[t]))
		}
	}
	return b, nil
}

func (b *Backup) decodeData(dec *json.Decoder) error {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf(`"data" is not an object (%v)`, err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		t, _ := tok.(string)
		tm, ok := b.Meta.Tables[t]
		if !ok {
			return fmt.Errorf("table %q has rows but no metadata", t)
		}
		rows, err := decodeRows(dec, t, tm.Columns)
		if err != nil {
			return err
		}
		b.Rows[t] = rows
	}
	_, err := dec.Token()
	return err
}

func decodeRows(dec *json.Decoder, t string, cols []Column) ([][]any, error) {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fmt.Errorf("table %q: rows are not an array (%v)", t, err)
	}
	idx := map[string]int{}
	for i, c := range cols {
		idx[c.Name] = i
	}
	var out [][]any
	for dec.More() {
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return nil, fmt.Errorf("table %q row %d: %w", t, len(out)+1, err)
		}
		if len(obj) != len(cols) {
			return nil, fmt.Errorf("table %q row %d: %d values for %d columns", t, len(out)+1, len(obj), len(cols))
		}
		row := make([]any, len(cols))
		for k, v := range obj {
			i, ok := idx[k]
			if !ok {
				return nil, fmt.Errorf("table %q row %d: unknown column %q", t, len(out)+1, k)
			}
			val, err := decodeValue(&cols[i], v)
			if err != nil {
				return nil, fmt.Errorf("table %q row %d: %w", t, len(out)+1, err)
			}
			row[i] = val
		}
		out = append(out, row)
	}
	_, err := dec.Token()
	return out, err
}
