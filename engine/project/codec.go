package project

import (
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// How values travel, by Column.Encoding:
//   number  integers and YEAR: the server's digits, as a JSON number
//           (64-bit values keep every digit; readers use json.Number);
//   float   FLOAT/DOUBLE: read as DOUBLE (FLOAT's own text drops digits)
//           and written with the shortest digits that give the same bits;
//   base64  binary, BIT and spatial (the server's internal WKB) as base64;
//   string  everything else (DECIMAL, dates as the server writes them,
//           zero dates included, TIMESTAMP in UTC, JSON, ENUM, text).
// NULL is null.

// selectExpr is how a column is read.
func selectExpr(alias string, c Column) string {
	expr := alias + "." + quote(c.Name)
	if c.DataType == "float" {
		return "CAST(" + expr + " AS DOUBLE)"
	}
	return expr
}

func selectList(alias string, t *Table) string {
	out := ""
	for i, c := range t.Columns {
		if i > 0 {
			out += ", "
		}
		out += selectExpr(alias, c)
	}
	return out
}

// appendJSON writes one raw value as JSON.
func appendJSON(buf []byte, c *Column, raw sql.RawBytes) ([]byte, error) {
	if raw == nil {
		return append(buf, "null"...), nil
	}
	switch c.Encoding {
	case "number", "float":
		return append(buf, raw...), nil
	case "base64":
		buf = append(buf, '"')
		buf = base64.StdEncoding.AppendEncode(buf, raw)
		return append(buf, '"'), nil
	}
	if !utf8.Valid(raw) {
		return nil, fmt.Errorf("column %q: value is not valid UTF-8 after conversion", c.Name)
	}
	return appendString(buf, raw), nil
}

// appendString writes s as a JSON string, escaping only what JSON needs.
func appendString(buf []byte, s []byte) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for _, ch := range s {
		switch {
		case ch == '"' || ch == '\\':
			buf = append(buf, '\\', ch)
		case ch == '\n':
			buf = append(buf, '\\', 'n')
		case ch == '\r':
			buf = append(buf, '\\', 'r')
		case ch == '\t':
			buf = append(buf, '\\', 't')
		case ch < 0x20:
			buf = append(buf, '\\', 'u', '0', '0', hex[ch>>4], hex[ch&0xf])
		default:
			buf = append(buf, ch)
		}
	}
	return append(buf, '"')
}

// decodeValue turns a JSON value from a backup back into the bytes the
// server gave: nil for NULL, []byte for base64 columns, string otherwise.
func decodeValue(c *Column, v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case json.Number:
		if c.Encoding != "number" && c.Encoding != "float" {
			return nil, fmt.Errorf("column %q: unexpected number %s", c.Name, x)
		}
		return string(x), nil
	case string:
		if c.Encoding == "base64" {
			b, err := base64.StdEncoding.DecodeString(x)
			if err != nil {
				return nil, fmt.Errorf("column %q: bad base64: %w", c.Name, err)
			}
			return b, nil
		}
		return x, nil
	case bool:
		return nil, fmt.Errorf("column %q: unexpected boolean", c.Name)
	}
	return nil, fmt.Errorf("column %q: unexpected JSON value %T", c.Name, v)
}

// rowKey appends a canonical, unambiguous encoding of values (from the
// server or from a backup) so rows can be compared as map keys.
func rowKey(buf []byte, vals []any) []byte {
	for _, v := range vals {
		switch x := v.(type) {
		case nil:
			buf = append(buf, 0)
		case string:
			buf = append(buf, 1)
			buf = binary.AppendUvarint(buf, uint64(len(x)))
			buf = append(buf, x...)
		case []byte:
			buf = append(buf, 1)
			buf = binary.AppendUvarint(buf, uint64(len(x)))
			buf = append(buf, x...)
		default:
			s := fmt.Sprint(x)
			buf = append(buf, 1)
			buf = binary.AppendUvarint(buf, uint64(len(s)))
			buf = append(buf, s...)
		}
	}
	return buf
}

// rawValue copies a scanned value into the form decodeValue returns.
func rawValue(c *Column, raw sql.RawBytes) any {
	if raw == nil {
		return nil
	}
	if c.Encoding == "base64" {
		return append([]byte(nil), raw...)
	}
	return string(raw)
}
