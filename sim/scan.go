package sim

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner is a small pull parser for JSON, fast enough that decoding a scenario never dominates a run: it
// reads numbers straight into integers and never builds a generic tree.
type scanner struct {
	data []byte
	pos  int
}

// posError is a syntax or type error at a byte offset; it prints as line:column.
type posError struct {
	data []byte
	off  int
	msg  string
}

func (e *posError) Error() string {
	line, col := 1, 1
	end := min(e.off, len(e.data))
	if i := bytes.LastIndexByte(e.data[:end], '\n'); i >= 0 {
		line = bytes.Count(e.data[:end], []byte{'\n'}) + 1
		col = end - i
	} else {
		col = end + 1
	}
	return fmt.Sprintf("line %d column %d: %s", line, col, e.msg)
}

func (s *scanner) errf(format string, args ...any) error {
	return &posError{data: s.data, off: s.pos, msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		if s.pos >= len(s.data) {
			return s.errf("unexpected end of input, want %q", c)
		}
		return s.errf("unexpected %q, want %q", s.data[s.pos], c)
	}
	s.pos++
	return nil
}

// kind describes the next value for error messages.
func (s *scanner) kind() string {
	switch c := s.peek(); {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "number"
	case c == 0:
		return "end of input"
	}
	return "invalid value"
}

// object calls fn for each member with the scanner positioned at the value; fn must consume the value.
func (s *scanner) object(fn func(key string) error) error {
	if s.peek() != '{' {
		return s.errf("want an object, found %s", s.kind())
	}
	s.pos++
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.errf("want a member name")
		}
		key, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		s.ws()
		if err := fn(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.errf("want ',' or '}' in object")
		}
	}
}

// array calls fn for each element, positioned at it; fn must consume the element.
func (s *scanner) array(fn func(i int) error) error {
	if s.peek() != '[' {
		return s.errf("want an array, found %s", s.kind())
	}
	s.pos++
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		s.ws()
		if err := fn(i); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.errf("want ',' or ']' in array")
		}
	}
}

func (s *scanner) str() (string, error) {
	if s.peek() != '"' {
		return "", s.errf("want a string, found %s", s.kind())
	}
	s.pos++
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		if c == '"' {
			v := string(s.data[start:s.pos])
			s.pos++
			return v, nil
		}
		if c == '\\' {
			return s.strSlow(start)
		}
		if c < 0x20 {
			return "", s.errf("control character in string")
		}
		s.pos++
	}
	return "", s.errf("unterminated string")
}

func (s *scanner) strSlow(start int) (string, error) {
	buf := append([]byte(nil), s.data[start:s.pos]...)
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			if !utf8.Valid(buf) {
				return string(bytes.ToValidUTF8(buf, []byte("\uFFFD"))), nil
			}
			return string(buf), nil
		case c < 0x20:
			return "", s.errf("control character in string")
		case c != '\\':
			buf = append(buf, c)
			s.pos++
			continue
		}
		if s.pos+1 >= len(s.data) {
			return "", s.errf("unterminated escape")
		}
		e := s.data[s.pos+1]
		s.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, err := s.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(utf8.RuneError)
				if s.pos+1 < len(s.data) && s.data[s.pos] == '\\' && s.data[s.pos+1] == 'u' {
					s.pos += 2
					lo, err := s.hex4()
					if err != nil {
						return "", err
					}
					r2 = utf16.DecodeRune(r, lo)
				} else {
					r2 = utf8.RuneError
				}
				r = r2
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", s.errf("invalid escape \\%c", e)
		}
	}
	return "", s.errf("unterminated string")
}

func (s *scanner) hex4() (rune, error) {
	if s.pos+4 > len(s.data) {
		return 0, s.errf("short \\u escape")
	}
	var r rune
	for _, c := range s.data[s.pos : s.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, s.errf("invalid \\u escape")
		}
	}
	s.pos += 4
	return r, nil
}

// number consumes a JSON number and returns its text.
func (s *scanner) number() ([]byte, error) {
	s.ws()
	start := s.pos
	d := s.data
	i := s.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	if i >= len(d) || d[i] < '0' || d[i] > '9' {
		return nil, s.errf("want a number, found %s", s.kind())
	}
	if d[i] == '0' {
		i++
	} else {
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			s.pos = i
			return nil, s.errf("invalid number")
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			s.pos = i
			return nil, s.errf("invalid number")
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	s.pos = i
	return d[start:i], nil
}

// uint reads a non-negative integer no larger than max.
func (s *scanner) uint(max uint64) (uint64, error) {
	s.ws()
	d := s.data
	i := s.pos
	var v uint64
	digits := 0
	for i < len(d) && d[i] >= '0' && d[i] <= '9' && digits < 19 {
		v = v*10 + uint64(d[i]-'0')
		i++
		digits++
	}
	if digits > 0 && digits < 19 && (i >= len(d) || !isNumCont(d[i])) && !(digits > 1 && d[s.pos] == '0') {
		if v > max {
			return 0, s.errf("%d out of range [0, %d]", v, max)
		}
		s.pos = i
		return v, nil
	}
	// Slow path: long, signed, fractional or malformed numbers.
	start := s.pos
	raw, err := s.number()
	if err != nil {
		return 0, err
	}
	u, perr := strconv.ParseUint(string(raw), 10, 64)
	if perr != nil || u > max {
		s.pos = start
		return 0, s.errf("%s is not an integer in [0, %d]", raw, max)
	}
	return u, nil
}

func isNumCont(c byte) bool { return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' }

// int reads a signed integer in [lo, hi].
func (s *scanner) int(lo, hi int64) (int64, error) {
	start := s.pos
	raw, err := s.number()
	if err != nil {
		return 0, err
	}
	v, perr := strconv.ParseInt(string(raw), 10, 64)
	if perr != nil || v < lo || v > hi {
		s.pos = start
		return 0, s.errf("%s is not an integer in [%d, %d]", raw, lo, hi)
	}
	return v, nil
}

func (s *scanner) float() (float64, error) {
	start := s.pos
	raw, err := s.number()
	if err != nil {
		return 0, err
	}
	v, perr := strconv.ParseFloat(string(raw), 64)
	if perr != nil {
		s.pos = start
		return 0, s.errf("invalid number %s", raw)
	}
	return v, nil
}

func (s *scanner) literal(word string) bool {
	if bytes.HasPrefix(s.data[s.pos:], []byte(word)) {
		s.pos += len(word)
		return true
	}
	return false
}

func (s *scanner) bool() (bool, error) {
	s.ws()
	if s.literal("true") {
		return true, nil
	}
	if s.literal("false") {
		return false, nil
	}
	return false, s.errf("want a boolean, found %s", s.kind())
}

// null consumes a null if one is next.
func (s *scanner) null() bool {
	s.ws()
	return s.literal("null")
}

// skip consumes any value.
func (s *scanner) skip() error {
	return s.skipDepth(0)
}

func (s *scanner) skipDepth(depth int) error {
	if depth > 256 {
		return s.errf("nesting too deep")
	}
	if c := s.peek(); c == '[' || c == '{' {
		return s.skipContainer()
	}
	switch s.peek() {
	case '{':
		return s.object(func(string) error { return s.skipDepth(depth + 1) })
	case '[':
		return s.array(func(int) error { return s.skipDepth(depth + 1) })
	case '"':
		_, err := s.str()
		return err
	case 't', 'f':
		_, err := s.bool()
		return err
	case 'n':
		if s.null() {
			return nil
		}
	case 0:
		return s.errf("unexpected end of input")
	default:
		_, err := s.number()
		return err
	}
	return s.errf("invalid value")
}

// skipContainer skips an array or object by matching brackets outside strings. It checks the nesting and
// the strings but not the tokens in between: values that are skipped are never used.
func (s *scanner) skipContainer() error {
	d := s.data
	var stack [256]byte
	depth := 0
	for i := s.pos; i < len(d); i++ {
		switch c := d[i]; c {
		case '[', '{':
			if depth == len(stack) {
				s.pos = i
				return s.errf("nesting too deep")
			}
			stack[depth] = c
			depth++
		case ']', '}':
			if depth == 0 || (c == ']') != (stack[depth-1] == '[') {
				s.pos = i
				return s.errf("mismatched %q", c)
			}
			depth--
			if depth == 0 {
				s.pos = i + 1
				return nil
			}
		case '"':
			s.pos = i
			if _, err := s.str(); err != nil {
				return err
			}
			i = s.pos - 1
		}
	}
	s.pos = len(d)
	return s.errf("unterminated array or object")
}

// Typed array helpers: tight loops over arrays of integers (the bulk of a large scenario).

// uintArray reads an array of non-negative integers ≤ max, calling add for each.
func (s *scanner) uintArray(max uint64, add func(uint64)) error {
	if s.peek() != '[' {
		return s.errf("want an array, found %s", s.kind())
	}
	s.pos++
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	d := s.data
	for {
		v, err := s.uint(max)
		if err != nil {
			return err
		}
		add(v)
		i := s.pos
		for i < len(d) && (d[i] == ' ' || d[i] == '\n' || d[i] == '\t' || d[i] == '\r') {
			i++
		}
		if i >= len(d) {
			s.pos = i
			return s.errf("unterminated array")
		}
		switch d[i] {
		case ',':
			s.pos = i + 1
		case ']':
			s.pos = i + 1
			return nil
		default:
			s.pos = i
			return s.errf("want ',' or ']' in array")
		}
	}
}

func (s *scanner) uints(max uint64) ([]uint64, error) {
	out := []uint64{}
	err := s.uintArray(max, func(v uint64) { out = append(out, v) })
	return out, err
}

func (s *scanner) u16s() ([]uint16, error) {
	out := make([]uint16, 0, 16)
	err := s.uintArray(65535, func(v uint64) { out = append(out, uint16(v)) })
	return out, err
}

func (s *scanner) bools() ([]bool, error) {
	var out []bool
	err := s.array(func(int) error {
		v, err := s.bool()
		out = append(out, v)
		return err
	})
	return out, err
}
