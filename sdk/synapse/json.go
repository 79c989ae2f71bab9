package synapse

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrJSON means a body is not JSON as Python's json.loads reads it.
var ErrJSON = errors.New("JSON decode error")

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNum
	jStr
	jArr
	jObj
)

// jv is a parsed JSON value that keeps what Python keeps: object key order (a repeated key keeps its first
// position and its last value) and whether a number was written as an int or a float.
type jv struct {
	k       jkind
	b       bool
	isFloat bool     // number has '.', 'e', 'E', or is NaN/Infinity
	s       string   // string value, or number text
	kids    []jv     // array items, or object values
	keys    []string // object keys (parallel to kids)
}

func (v jv) field(name string) (jv, bool) {
	for i, k := range v.keys {
		if k == name {
			return v.kids[i], true
		}
	}
	return jv{}, false
}

const maxJSONDepth = 256

type jparser struct {
	s     []byte
	i     int
	depth int
}

// parseJSON parses b like Python json.loads (NaN, Infinity and -Infinity accepted; strict strings).
func parseJSON(b []byte) (jv, error) {
	if !utf8.Valid(b) {
		return jv{}, fmt.Errorf("%w: invalid UTF-8", ErrJSON)
	}
	p := &jparser{s: b}
	p.ws()
	v, err := p.value()
	if err != nil {
		return jv{}, err
	}
	p.ws()
	if p.i != len(p.s) {
		return jv{}, p.errf("Extra data")
	}
	return v, nil
}

func (p *jparser) errf(msg string) error { return fmt.Errorf("%w: %s at char %d", ErrJSON, msg, p.i) }

func (p *jparser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) lit(word string) bool {
	if len(p.s)-p.i >= len(word) && string(p.s[p.i:p.i+len(word)]) == word {
		p.i += len(word)
		return true
	}
	return false
}

func (p *jparser) value() (jv, error) {
	if p.i >= len(p.s) {
		return jv{}, p.errf("Expecting value")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		return jv{k: jStr, s: s}, err
	case p.lit("null"):
		return jv{k: jNull}, nil
	case p.lit("true"):
		return jv{k: jBool, b: true}, nil
	case p.lit("false"):
		return jv{k: jBool}, nil
	case p.lit("NaN"):
		return jv{k: jNum, s: "NaN", isFloat: true}, nil
	case p.lit("Infinity"):
		return jv{k: jNum, s: "Infinity", isFloat: true}, nil
	case p.lit("-Infinity"):
		return jv{k: jNum, s: "-Infinity", isFloat: true}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		return jv{}, p.errf("Expecting value")
	}
}

func (p *jparser) number() (jv, error) {
	start := p.i
	isFloat := false
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.s) && p.s[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return jv{}, p.errf("Expecting value")
	}
	if p.i+1 < len(p.s) && p.s[p.i] == '.' && p.s[p.i+1] >= '0' && p.s[p.i+1] <= '9' {
		p.i++
		digits()
		isFloat = true
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		save := p.i
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			p.i = save // Python's regex leaves a dangling exponent unmatched: "Extra data" follows
		} else {
			isFloat = true
		}
	}
	return jv{k: jNum, s: string(p.s[start:p.i]), isFloat: isFloat}, nil
}

func (p *jparser) str() (string, error) {
	p.i++ // opening quote
	var out []byte
	start := p.i
	for {
		if p.i >= len(p.s) {
			return "", p.errf("Unterminated string")
		}
		c := p.s[p.i]
		switch {
		case c == '"':
			if out == nil {
				s := string(p.s[start:p.i])
				p.i++
				return s, nil
			}
			out = append(out, p.s[start:p.i]...)
			p.i++
			return string(out), nil
		case c < 0x20:
			return "", p.errf("Invalid control character")
		case c == '\\':
			out = append(out, p.s[start:p.i]...)
			p.i++
			if p.i >= len(p.s) {
				return "", p.errf("Unterminated string")
			}
			e := p.s[p.i]
			p.i++
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.errf("Invalid \\uXXXX escape")
				}
				if utf16.IsSurrogate(r) {
					save := p.i
					if p.lit(`\u`) {
						if r2, ok := p.hex4(); ok {
							if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
								out = utf8.AppendRune(out, d)
								break
							}
						}
					}
					p.i = save
					r = utf8.RuneError // a lone surrogate: Python keeps it, Go strings cannot
				}
				out = utf8.AppendRune(out, r)
			default:
				return "", p.errf("Invalid \\escape")
			}
			start = p.i
		default:
			p.i++
		}
	}
}

// key reads an object key: a known field name is returned without allocating.
func (p *jparser) key() (string, error) {
	for j := p.i + 1; j < len(p.s); j++ {
		c := p.s[j]
		if c == '"' {
			if m := internedKeys.Load(); m != nil {
				if k, ok := (*m)[string(p.s[p.i+1:j])]; ok {
					p.i = j + 1
					return k, nil
				}
			}
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	return p.str()
}

// internedKeys holds every declared field name, so decoding a body does not allocate its keys.
var (
	internedKeys atomic.Pointer[map[string]string]
	internMu     sync.Mutex
)

// internNames adds names to internedKeys (copy on write; called when a type is declared).
func internNames(names ...string) {
	internMu.Lock()
	defer internMu.Unlock()
	var old map[string]string
	if m := internedKeys.Load(); m != nil {
		old = *m
	}
	missing := false
	for _, n := range names {
		if _, ok := old[n]; !ok {
			missing = true
		}
	}
	if !missing {
		return
	}
	m := make(map[string]string, len(old)+len(names))
	for k, v := range old {
		m[k] = v
	}
	for _, n := range names {
		m[n] = n
	}
	internedKeys.Store(&m)
}

func (p *jparser) hex4() (rune, bool) {
	if len(p.s)-p.i < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.s[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(n), true
}

func (p *jparser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errf("nesting too deep")
	}
	return nil
}

func (p *jparser) array() (jv, error) {
	if err := p.enter(); err != nil {
		return jv{}, err
	}
	defer func() { p.depth-- }()
	p.i++
	v := jv{k: jArr, kids: make([]jv, 0, 4)}
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return v, nil
	}
	for {
		p.ws()
		e, err := p.value()
		if err != nil {
			return jv{}, err
		}
		v.kids = append(v.kids, e)
		p.ws()
		if p.i >= len(p.s) {
			return jv{}, p.errf("Expecting ',' delimiter")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return v, nil
		default:
			return jv{}, p.errf("Expecting ',' delimiter")
		}
	}
}

func (p *jparser) object() (jv, error) {
	if err := p.enter(); err != nil {
		return jv{}, err
	}
	defer func() { p.depth-- }()
	p.i++
	v := jv{k: jObj, keys: make([]string, 0, 12), kids: make([]jv, 0, 12)}
	var idx map[string]int
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return v, nil
	}
	for {
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return jv{}, p.errf("Expecting property name enclosed in double quotes")
		}
		k, err := p.key()
		if err != nil {
			return jv{}, err
		}
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return jv{}, p.errf("Expecting ':' delimiter")
		}
		p.i++
		p.ws()
		e, err := p.value()
		if err != nil {
			return jv{}, err
		}
		if idx == nil && len(v.keys) >= 16 {
			idx = make(map[string]int, 2*len(v.keys))
			for j, ek := range v.keys {
				idx[ek] = j
			}
		}
		j := -1
		if idx != nil {
			if at, ok := idx[k]; ok {
				j = at
			}
		} else {
			for at, ek := range v.keys {
				if ek == k {
					j = at
					break
				}
			}
		}
		if j >= 0 {
			v.kids[j] = e
		} else {
			if idx != nil {
				idx[k] = len(v.keys)
			}
			v.keys = append(v.keys, k)
			v.kids = append(v.kids, e)
		}
		p.ws()
		if p.i >= len(p.s) {
			return jv{}, p.errf("Expecting ',' delimiter")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return v, nil
		default:
			return jv{}, p.errf("Expecting ',' delimiter")
		}
	}
}
