package synapse

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
)

// ErrValidation means a value does not validate as the declared type (pydantic's ValidationError).
var ErrValidation = errors.New("validation error")

func verr(path, format string, a ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrValidation, path, fmt.Sprintf(format, a...))
}

// decodeValue assigns the JSON value v to dst (of codec c) with pydantic's lax coercion.
func decodeValue(v jv, c *typeCodec, dst reflect.Value, path string) error {
	switch c.kind {
	case tAny:
		a := toAny(v)
		if a == nil {
			dst.SetZero()
		} else {
			dst.Set(reflect.ValueOf(a))
		}
		return nil
	case tPtr:
		if v.k == jNull {
			dst.SetZero()
			return nil
		}
		p := reflect.New(c.elem.typ)
		if c.elem.kind == tModel {
			if err := applyModelDefaults(c.elem, p.Elem()); err != nil {
				return err
			}
		}
		if err := decodeValue(v, c.elem, p.Elem(), path); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	case tString:
		if v.k != jStr {
			return verr(path, "Input should be a valid string")
		}
		dst.SetString(v.s)
		return nil
	case tBool:
		b, ok := laxBool(v)
		if !ok {
			return verr(path, "Input should be a valid boolean")
		}
		dst.SetBool(b)
		return nil
	case tInt, tUint, tBigInt:
		if c.kind != tBigInt {
			if i, ok := fastInt(v); ok {
				if c.kind == tInt {
					if dst.OverflowInt(i) {
						return verr(path, "integer out of range for %s", dst.Type())
					}
					dst.SetInt(i)
					return nil
				}
				if i < 0 || dst.OverflowUint(uint64(i)) {
					return verr(path, "integer out of range for %s", dst.Type())
				}
				dst.SetUint(uint64(i))
				return nil
			}
		}
		n, ok := laxInt(v)
		if !ok {
			return verr(path, "Input should be a valid integer")
		}
		switch c.kind {
		case tBigInt:
			dst.Set(reflect.ValueOf(*n))
		case tInt:
			if !n.IsInt64() || dst.OverflowInt(n.Int64()) {
				return verr(path, "integer out of range for %s", dst.Type())
			}
			dst.SetInt(n.Int64())
		default:
			if n.Sign() < 0 || !n.IsUint64() || dst.OverflowUint(n.Uint64()) {
				return verr(path, "integer out of range for %s", dst.Type())
			}
			dst.SetUint(n.Uint64())
		}
		return nil
	case tFloat:
		f, ok := laxFloat(v)
		if !ok {
			return verr(path, "Input should be a valid number")
		}
		dst.SetFloat(f)
		return nil
	case tList:
		if v.k != jArr {
			return verr(path, "Input should be a valid list")
		}
		s := reflect.MakeSlice(c.typ, len(v.kids), len(v.kids))
		for i, e := range v.kids {
			if err := decodeValue(e, c.elem, s.Index(i), path); err != nil {
				return err
			}
		}
		dst.Set(s)
		return nil
	case tTuple:
		if v.k != jArr {
			return verr(path, "Input should be a valid tuple")
		}
		if len(v.kids) != c.typ.Len() {
			return verr(path, "Tuple should have %d items, not %d", c.typ.Len(), len(v.kids))
		}
		for i, e := range v.kids {
			if err := decodeValue(e, c.elem, dst.Index(i), path); err != nil {
				return err
			}
		}
		return nil
	case tDict:
		if v.k != jObj {
			return verr(path, "Input should be a valid dictionary")
		}
		om := dst.Addr().Interface().(orderedMap)
		om.omReset()
		for i, k := range v.keys {
			slot := reflect.ValueOf(om.omAppend(k)).Elem()
			if err := decodeValue(v.kids[i], c.elem, slot, path); err != nil {
				return err
			}
		}
		return nil
	case tModel:
		if v.k != jObj {
			return verr(path, "Input should be a valid dictionary or instance of %s", c.typ.Name())
		}
		return decodeModel(v, c, dst, path)
	}
	return verr(path, "unsupported type")
}

// decodeModel fills the struct dst from the object v; dst must already hold its defaults. Unknown keys are
// ignored (pydantic extra="ignore"); a missing required field is an error.
func decodeModel(v jv, c *typeCodec, dst reflect.Value, path string) error {
	seen := make([]bool, len(c.fields))
	for i, k := range v.keys {
		f, ok := c.byName[k]
		if !ok || f.special == specName {
			continue
		}
		fv := v.kids[i]
		if f.special == specTimeout && fv.k == jNull {
			continue // Optional[float]: keep the default rather than a None Go cannot hold
		}
		if err := decodeValue(fv, f.codec, dst.FieldByIndex(f.index), k); err != nil {
			return err
		}
		seen[f.pos] = true
	}
	for j, f := range c.fields {
		if f.required && !seen[j] {
			return verr(joinPath(path, f.name), "Field required")
		}
	}
	return nil
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func toAny(v jv) any {
	switch v.k {
	case jNull:
		return nil
	case jBool:
		return v.b
	case jNum:
		if v.isFloat {
			f, _ := parseJSONFloat(v.s)
			return f
		}
		if n, err := strconv.ParseInt(v.s, 10, 64); err == nil {
			return n
		}
		n, _ := new(big.Int).SetString(v.s, 10)
		return n
	case jStr:
		return v.s
	case jArr:
		out := make([]any, len(v.kids))
		for i, e := range v.kids {
			out[i] = toAny(e)
		}
		return out
	default:
		d := Dict{}
		for i, k := range v.keys {
			d.keys = append(d.keys, k)
			d.vals = append(d.vals, toAny(v.kids[i]))
		}
		return d
	}
}

func parseJSONFloat(s string) (float64, bool) {
	switch s {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return f, true // Python float('1e999') is inf
		}
		return 0, false
	}
	return f, true
}

func laxBool(v jv) (bool, bool) {
	switch v.k {
	case jBool:
		return v.b, true
	case jNum:
		if f, ok := parseJSONFloat(v.s); ok {
			if f == 0 {
				return false, true
			}
			if f == 1 {
				return true, true
			}
		}
	case jStr:
		switch strings.ToLower(strings.TrimSpace(v.s)) {
		case "0", "off", "f", "false", "n", "no":
			return false, true
		case "1", "on", "t", "true", "y", "yes":
			return true, true
		}
	}
	return false, false
}

// fastInt is laxInt for the common case: a plain decimal JSON integer, or a plain decimal string, that fits
// an int64. Anything else (floats, underscores, whitespace, huge values) takes the general path.
func fastInt(v jv) (int64, bool) {
	if (v.k == jNum && !v.isFloat) || v.k == jStr {
		s := v.s
		if len(s) == 0 || len(s) > 20 {
			return 0, false
		}
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < '0' || c > '9' {
				if i != 0 || c != '-' || len(s) == 1 {
					return 0, false
				}
			}
		}
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func laxInt(v jv) (*big.Int, bool) {
	switch v.k {
	case jBool:
		if v.b {
			return big.NewInt(1), true
		}
		return big.NewInt(0), true
	case jNum:
		if !v.isFloat {
			return new(big.Int).SetString(v.s, 10)
		}
		f, ok := parseJSONFloat(v.s)
		if !ok || math.IsInf(f, 0) || math.IsNaN(f) || f != math.Trunc(f) {
			return nil, false
		}
		n, _ := big.NewFloat(f).Int(nil)
		return n, true
	case jStr:
		return PyInt(v.s)
	}
	return nil, false
}

func laxFloat(v jv) (float64, bool) {
	switch v.k {
	case jBool:
		if v.b {
			return 1, true
		}
		return 0, true
	case jNum:
		return parseJSONFloat(v.s)
	case jStr:
		return PyFloat(v.s)
	}
	return 0, false
}

// PyInt parses s as Python int(s) does for base 10: surrounding whitespace, an optional sign, digits with
// single underscores between them. "1.7e18" fails, as in Python.
func PyInt(s string) (*big.Int, bool) {
	s = strings.TrimSpace(s)
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 || !digitsWithUnderscores(body) {
		return nil, false
	}
	return new(big.Int).SetString(strings.TrimPrefix(strings.ReplaceAll(s, "_", ""), "+"), 10)
}

func digitsWithUnderscores(s string) bool {
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			if s[i-1] == '_' {
				return false
			}
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// PyFloat parses s as Python float(s) does: whitespace, sign, decimal or exponent notation, underscores
// between digits, inf/infinity/nan in any case. Hexadecimal floats are refused, as in Python.
func PyFloat(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return 0, false
	}
	neg := strings.HasPrefix(s, "-")
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	if body == "" || strings.ContainsAny(body, "xXpPiInN") {
		return 0, false
	}
	if strings.Contains(body, "_") {
		for i := 0; i < len(body); i++ {
			if body[i] == '_' && (i == 0 || i == len(body)-1 || !isDigit(body[i-1]) || !isDigit(body[i+1])) {
				return 0, false
			}
		}
		s = strings.ReplaceAll(s, "_", "")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
