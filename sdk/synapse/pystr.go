package synapse

import (
	"crypto/sha3"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FormatFloat renders f as Python's repr/str does: the shortest round-tripping digits, positional when the
// decimal exponent is in [-4, 16) (with ".0" when there is no fraction), otherwise d[.ddd]e±XX; inf, -inf,
// nan; -0.0.
func FormatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // e.g. -1.2345e+06
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expS)
	if exp < -4 || exp >= 16 {
		return s // Go's 'e' form already matches Python: explicit sign, at least two exponent digits
	}
	neg := strings.HasPrefix(mant, "-")
	digits := strings.Replace(strings.TrimPrefix(mant, "-"), ".", "", 1)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if exp >= 0 {
		if len(digits) <= exp+1 {
			b.WriteString(digits)
			b.WriteString(strings.Repeat("0", exp+1-len(digits)))
			b.WriteString(".0")
		} else {
			b.WriteString(digits[:exp+1])
			b.WriteByte('.')
			b.WriteString(digits[exp+1:])
		}
	} else {
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -exp-1))
		b.WriteString(digits)
	}
	return b.String()
}

// PyRepr renders s as Python's repr(str): single quotes unless s holds ' and no ", backslash escapes, and
// \xNN / \uNNNN / \UNNNNNNNN for characters Python does not print.
func PyRepr(s string) string { return string(appendPyRepr(nil, s)) }

func appendPyRepr(buf []byte, s string) []byte {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	buf = append(buf, quote)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == rune(quote) || r == '\\':
			buf = append(buf, '\\', byte(r))
		case r == '\t':
			buf = append(buf, '\\', 't')
		case r == '\n':
			buf = append(buf, '\\', 'n')
		case r == '\r':
			buf = append(buf, '\\', 'r')
		case r < 0x20 || r == 0x7f:
			buf = append(buf, '\\', 'x', hexDigits[r>>4], hexDigits[r&15])
		case r < 0x7f:
			buf = append(buf, byte(r))
		case unicode.IsPrint(r):
			buf = utf8.AppendRune(buf, r)
		case r <= 0xff:
			buf = append(buf, '\\', 'x', hexDigits[r>>4], hexDigits[r&15])
		case r <= 0xffff:
			buf = append(buf, '\\', 'u')
			buf = append(buf, fmt.Sprintf("%04x", r)...)
		default:
			buf = append(buf, '\\', 'U')
			buf = append(buf, fmt.Sprintf("%08x", r)...)
		}
	}
	return append(buf, quote)
}

// pyStr is Python str() of a validated value of codec c: a str raw, anything else as repr.
func pyStr(v reflect.Value, c *typeCodec) (string, error) {
	if c.kind == tString {
		return v.String(), nil
	}
	if c.kind == tAny && !v.IsNil() {
		if s, ok := v.Elem().Interface().(string); ok {
			return s, nil
		}
	}
	if c.kind == tPtr && !v.IsNil() && c.elem.kind == tString {
		return v.Elem().String(), nil
	}
	b, err := appendRepr(nil, v, c)
	return string(b), err
}

func appendRepr(buf []byte, v reflect.Value, c *typeCodec) ([]byte, error) {
	var err error
	switch c.kind {
	case tString:
		return appendPyRepr(buf, v.String()), nil
	case tBool:
		if v.Bool() {
			return append(buf, "True"...), nil
		}
		return append(buf, "False"...), nil
	case tInt:
		return strconv.AppendInt(buf, v.Int(), 10), nil
	case tUint:
		return strconv.AppendUint(buf, v.Uint(), 10), nil
	case tBigInt:
		return v.Addr().Interface().(*big.Int).Append(buf, 10), nil
	case tFloat:
		return append(buf, FormatFloat(v.Float())...), nil
	case tPtr:
		if v.IsNil() {
			return append(buf, "None"...), nil
		}
		return appendRepr(buf, v.Elem(), c.elem)
	case tList, tTuple:
		open, close := byte('['), byte(']')
		if c.kind == tTuple {
			open, close = '(', ')'
		}
		buf = append(buf, open)
		for i := range v.Len() {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			if buf, err = appendRepr(buf, v.Index(i), c.elem); err != nil {
				return nil, err
			}
		}
		if c.kind == tTuple && v.Len() == 1 {
			buf = append(buf, ',')
		}
		return append(buf, close), nil
	case tDict:
		om := v.Addr().Interface().(orderedMap)
		buf = append(buf, '{')
		for i := range om.omLen() {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendPyRepr(buf, om.omKey(i))
			buf = append(buf, ": "...)
			if buf, err = appendRepr(buf, reflect.ValueOf(om.omVal(i)).Elem(), c.elem); err != nil {
				return nil, err
			}
		}
		return append(buf, '}'), nil
	case tModel:
		buf = append(buf, '{')
		for i, f := range c.fields {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendPyRepr(buf, f.name)
			buf = append(buf, ": "...)
			if buf, err = appendRepr(buf, v.FieldByIndex(f.index), f.codec); err != nil {
				return nil, err
			}
		}
		return append(buf, '}'), nil
	case tAny:
		if v.IsNil() {
			return append(buf, "None"...), nil
		}
		dv := v.Elem()
		dc, err := codecOf(dv.Type())
		if err != nil {
			return nil, err
		}
		if !dv.CanAddr() {
			p := reflect.New(dv.Type())
			p.Elem().Set(dv)
			dv = p.Elem()
		}
		return appendRepr(buf, dv, dc)
	}
	return nil, fmt.Errorf("%w: cannot render %s", ErrDeclaration, v.Type())
}

// EmptyBodyHash is the body hash of a synapse without required hash fields: SHA3-256 of "".
const EmptyBodyHash = "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"

// BodyHash computes the body hash of m (Python `Synapse.body_hash`): for each required hash field in order,
// the hex SHA3-256 of Python str() of its value; then the hex SHA3-256 of their concatenation.
func BodyHash(m Message) (string, error) {
	s, err := SchemaOf(m)
	if err != nil {
		return "", err
	}
	return s.bodyHash(reflect.ValueOf(m).Elem())
}

func (s *Schema) bodyHash(v reflect.Value) (string, error) {
	if len(s.hash) == 0 {
		return EmptyBodyHash, nil
	}
	parts := make([]byte, 0, 64*len(s.hash))
	for _, f := range s.hash {
		str, err := pyStr(v.FieldByIndex(f.index), f.codec)
		if err != nil {
			return "", err
		}
		sum := sha3.Sum256([]byte(str))
		parts = hex.AppendEncode(parts, sum[:])
	}
	sum := sha3.Sum256(parts)
	return hex.EncodeToString(sum[:]), nil
}

// PyStrField renders field name of m as the body hash sees it (Python str of the validated value).
func PyStrField(m Message, name string) (string, error) {
	s, err := SchemaOf(m)
	if err != nil {
		return "", err
	}
	f, ok := s.model.byName[name]
	if !ok {
		return "", fmt.Errorf("%w: no field %q in %s", ErrDeclaration, name, s.Name)
	}
	return pyStr(reflect.ValueOf(m).Elem().FieldByIndex(f.index), f.codec)
}
