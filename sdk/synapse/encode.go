package synapse

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// ErrNotJSON means a value cannot be written as JSON (NaN or infinity, which Starlette refuses).
var ErrNotJSON = errors.New("value is not JSON serializable")

// Style is a Python JSON writer configuration.
type Style struct {
	ascii   bool
	itemSep string
	kvSep   string
}

var (
	// StyleDumps is Python json.dumps with its defaults, which aiohttp uses for a dendrite request body:
	// ", " and ": " separators, non-ASCII escaped as \uXXXX.
	StyleDumps = Style{ascii: true, itemSep: ", ", kvSep: ": "}
	// StyleCompact is Starlette's JSONResponse, which a Python axon replies with: "," and ":", UTF-8 kept.
	StyleCompact = Style{ascii: false, itemSep: ",", kvSep: ":"}
)

// Marshal writes the whole synapse (model_dump) as JSON in style st. Name is always the class name.
func Marshal(m Message, st Style) ([]byte, error) {
	s, err := SchemaOf(m)
	if err != nil {
		return nil, err
	}
	return s.marshal(reflect.ValueOf(m).Elem(), st)
}

func (s *Schema) marshal(v reflect.Value, st Style) ([]byte, error) {
	buf := make([]byte, 0, 1024)
	return encodeModel(buf, v, s.model, st, s.Name)
}

func encodeModel(buf []byte, v reflect.Value, c *typeCodec, st Style, className string) ([]byte, error) {
	buf = append(buf, '{')
	var err error
	for i, f := range c.fields {
		if i > 0 {
			buf = append(buf, st.itemSep...)
		}
		buf = appendJSONString(buf, f.name, st.ascii)
		buf = append(buf, st.kvSep...)
		if f.special == specName && className != "" {
			buf = appendJSONString(buf, className, st.ascii)
			continue
		}
		if buf, err = encodeValue(buf, v.FieldByIndex(f.index), f.codec, st); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return append(buf, '}'), nil
}

func encodeValue(buf []byte, v reflect.Value, c *typeCodec, st Style) ([]byte, error) {
	var err error
	switch c.kind {
	case tString:
		return appendJSONString(buf, v.String(), st.ascii), nil
	case tBool:
		return strconv.AppendBool(buf, v.Bool()), nil
	case tInt:
		return strconv.AppendInt(buf, v.Int(), 10), nil
	case tUint:
		return strconv.AppendUint(buf, v.Uint(), 10), nil
	case tBigInt:
		b := v.Addr().Interface().(*big.Int)
		return b.Append(buf, 10), nil
	case tFloat:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%w: out of range float value %s", ErrNotJSON, FormatFloat(f))
		}
		return append(buf, FormatFloat(f)...), nil
	case tPtr:
		if v.IsNil() {
			return append(buf, "null"...), nil
		}
		return encodeValue(buf, v.Elem(), c.elem, st)
	case tList, tTuple:
		if c.kind == tList && v.IsNil() {
			return append(buf, "[]"...), nil
		}
		buf = append(buf, '[')
		for i := range v.Len() {
			if i > 0 {
				buf = append(buf, st.itemSep...)
			}
			if buf, err = encodeValue(buf, v.Index(i), c.elem, st); err != nil {
				return nil, err
			}
		}
		return append(buf, ']'), nil
	case tDict:
		om := v.Addr().Interface().(orderedMap)
		buf = append(buf, '{')
		for i := range om.omLen() {
			if i > 0 {
				buf = append(buf, st.itemSep...)
			}
			buf = appendJSONString(buf, om.omKey(i), st.ascii)
			buf = append(buf, st.kvSep...)
			if buf, err = encodeValue(buf, reflect.ValueOf(om.omVal(i)).Elem(), c.elem, st); err != nil {
				return nil, err
			}
		}
		return append(buf, '}'), nil
	case tModel:
		return encodeModel(buf, v, c, st, "")
	case tAny:
		if v.IsNil() {
			return append(buf, "null"...), nil
		}
		dv := v.Elem()
		dc, err := codecOf(dv.Type())
		if err != nil {
			return nil, err
		}
		if !dv.CanAddr() { // OrderedMap and big.Int need an addressable value
			p := reflect.New(dv.Type())
			p.Elem().Set(dv)
			dv = p.Elem()
		}
		return encodeValue(buf, dv, dc, st)
	}
	return nil, fmt.Errorf("%w: unsupported type %s", ErrNotJSON, v.Type())
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as Python's json module does (ensure_ascii or not).
func appendJSONString(buf []byte, s string, ascii bool) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '"':
			buf = append(buf, '\\', '"')
		case r == '\\':
			buf = append(buf, '\\', '\\')
		case r == '\n':
			buf = append(buf, '\\', 'n')
		case r == '\r':
			buf = append(buf, '\\', 'r')
		case r == '\t':
			buf = append(buf, '\\', 't')
		case r == '\b':
			buf = append(buf, '\\', 'b')
		case r == '\f':
			buf = append(buf, '\\', 'f')
		case r < 0x20 || (ascii && r >= 0x7f):
			if r > 0xffff {
				r -= 0x10000
				buf = appendU4(buf, 0xd800+(r>>10))
				buf = appendU4(buf, 0xdc00+(r&0x3ff))
			} else {
				buf = appendU4(buf, r)
			}
		default:
			buf = utf8.AppendRune(buf, r)
		}
	}
	return append(buf, '"')
}

func appendU4(buf []byte, r rune) []byte {
	return append(buf, '\\', 'u', hexDigits[r>>12&15], hexDigits[r>>8&15], hexDigits[r>>4&15], hexDigits[r&15])
}

// AppendJSONString appends s as a JSON string written in style st.
func AppendJSONString(dst []byte, s string, st Style) []byte {
	return appendJSONString(dst, s, st.ascii)
}
