package synapse

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// Wire header names and prefixes (always lower case on the wire).
const (
	HeaderName             = "name"
	HeaderTimeout          = "timeout"
	HeaderHeaderSize       = "header_size"
	HeaderTotalSize        = "total_size"
	HeaderComputedBodyHash = "computed_body_hash"
	PrefixAxon             = "bt_header_axon_"
	PrefixDendrite         = "bt_header_dendrite_"
	PrefixInputObj         = "bt_header_input_obj_"
	inputObjMarker         = "bt_header_input_obj"
)

// Header is one wire header, its key already lower case.
type Header struct{ Key, Value string }

// Headers is an ordered header list (Python's dict order).
type Headers []Header

// Get returns the value of key (exact, lower case).
func (h Headers) Get(key string) (string, bool) {
	for _, kv := range h {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// WriteTo sets every header into dst under its exact lower-case key (never canonicalised: the Python
// dendrite matches `bt_header_axon_` case-sensitively).
func (h Headers) WriteTo(dst http.Header) {
	vals := make([]string, len(h))
	for i, kv := range h {
		vals[i] = kv.Value
		dst[kv.Key] = vals[i : i+1 : i+1]
	}
}

var terminalCodec = func() *typeCodec {
	c, err := codecOf(reflect.TypeFor[TerminalInfo]())
	if err != nil {
		panic(err) // a programming error in this package, caught by every test
	}
	return c
}()

// ToHeaders renders m as Python's Synapse.to_headers: name, timeout, the non-null axon and dendrite fields,
// a dummy `bt_header_input_obj_<f>` for every required non-null field, header_size, total_size and the body
// hash.
func ToHeaders(m Message) (Headers, error) {
	s, err := SchemaOf(m)
	if err != nil {
		return nil, err
	}
	return s.toHeaders(reflect.ValueOf(m).Elem())
}

func (s *Schema) toHeaders(v reflect.Value) (Headers, error) {
	b := v.Addr().Interface().(Message).base()
	h := make(Headers, 0, 24)
	h = append(h, Header{HeaderName, s.Name}, Header{HeaderTimeout, FormatFloat(b.Timeout)})
	h = appendTerminal(h, PrefixAxon, &b.Axon)
	h = appendTerminal(h, PrefixDendrite, &b.Dendrite)
	for _, f := range s.required {
		fv := v.FieldByIndex(f.index)
		dummy, ok, err := dummyJSON(fv, f.codec)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.name, err)
		}
		if ok {
			h = append(h, Header{PrefixInputObj + f.name, base64.StdEncoding.EncodeToString([]byte(dummy))})
		}
	}
	hash, err := s.bodyHash(v)
	if err != nil {
		return nil, err
	}
	h = append(h,
		Header{HeaderHeaderSize, strconv.FormatInt(b.HeaderSize, 10)},
		Header{HeaderTotalSize, strconv.FormatInt(b.TotalSize, 10)},
		Header{HeaderComputedBodyHash, hash})
	return h, nil
}

func appendTerminal(h Headers, prefix string, t *TerminalInfo) Headers {
	v := reflect.ValueOf(t).Elem()
	for _, f := range terminalCodec.fields {
		fv := v.FieldByIndex(f.index)
		if fv.IsNil() {
			continue
		}
		s, _ := pyStr(fv, f.codec) // scalar fields: cannot fail
		h = append(h, Header{prefix + f.name, s})
	}
	return h
}

// dummyJSON is json.dumps(type(value)()) for a required field's current value; ok is false for None.
func dummyJSON(v reflect.Value, c *typeCodec) (string, bool, error) {
	switch c.kind {
	case tString:
		return `""`, true, nil
	case tBool:
		return "false", true, nil
	case tInt, tUint, tBigInt:
		return "0", true, nil
	case tFloat:
		return "0.0", true, nil
	case tList, tTuple:
		return "[]", true, nil
	case tDict:
		return "{}", true, nil
	case tPtr:
		if v.IsNil() {
			return "", false, nil
		}
		return dummyJSON(v.Elem(), c.elem)
	case tAny:
		if v.IsNil() {
			return "", false, nil
		}
		dc, err := codecOf(v.Elem().Type())
		if err != nil {
			return "", false, err
		}
		return dummyJSON(v.Elem(), dc)
	}
	return "", false, fmt.Errorf("%w: a required %s field cannot be sent in headers", ErrDeclaration, c.pyType())
}

// FromHeaders builds m (a fresh value) from request headers as Python's Synapse.from_headers does, on top
// of the type's defaults: `bt_header_axon_*` and `bt_header_dendrite_*` fill the terminals,
// `bt_header_input_obj_*` the fields (base64 JSON; undecodable JSON is skipped), then timeout, header_size,
// total_size and computed_body_hash. A required field no header supplied is an error, as is any value that
// does not validate (Python answers 500), and so are two header names that set the same field (Python would
// keep whichever came last; a peer that sends both is not honest).
func FromHeaders(h http.Header, m Message) error {
	s, err := SchemaOf(m)
	if err != nil {
		return err
	}
	return s.fromHeaders(h, reflect.ValueOf(m).Elem())
}

// headerGet is a case-insensitive lookup of a lower-case key.
func headerGet(h http.Header, key string) (string, bool) {
	if vs, ok := h[http.CanonicalHeaderKey(key)]; ok && len(vs) > 0 {
		return vs[0], true
	}
	if vs, ok := h[key]; ok && len(vs) > 0 {
		return vs[0], true
	}
	for k, vs := range h {
		if len(vs) > 0 && strings.EqualFold(k, key) {
			return vs[0], true
		}
	}
	return "", false
}

// indexFold is strings.Index(strings.ToLower(s), sub) for a lower-case ASCII sub, without allocating.
func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

func (s *Schema) fromHeaders(h http.Header, v reflect.Value) error {
	if err := s.applyDefaults(v); err != nil {
		return err
	}
	b := v.Addr().Interface().(Message).base()
	seen := make([]bool, len(s.model.fields))
	var axonSet, dendriteSet [16]bool
	for key, vs := range h {
		if len(vs) == 0 || len(key) < len(PrefixAxon) {
			continue
		}
		value := vs[0]
		if i := indexFold(key, PrefixAxon); i >= 0 {
			if err := setTerminalOnce(&b.Axon, &axonSet, strings.ToLower(key[i+len(PrefixAxon):]), value, "axon"); err != nil {
				return err
			}
		} else if i := indexFold(key, PrefixDendrite); i >= 0 {
			if err := setTerminalOnce(&b.Dendrite, &dendriteSet, strings.ToLower(key[i+len(PrefixDendrite):]), value, "dendrite"); err != nil {
				return err
			}
		} else if indexFold(key, inputObjMarker) >= 0 {
			i := indexFold(key, PrefixInputObj)
			if i < 0 {
				continue
			}
			name := strings.ToLower(key[i+len(PrefixInputObj):])
			raw, err := base64.StdEncoding.DecodeString(value)
			if err != nil {
				return fmt.Errorf("%w: %s: invalid base64", ErrValidation, key)
			}
			val, err := parseJSON(raw)
			if err != nil {
				continue // Python logs and skips a JSONDecodeError
			}
			f, ok := s.model.byName[name]
			if !ok || f.isBase {
				continue
			}
			if seen[f.pos] {
				return fmt.Errorf("%w: %s set by two headers", ErrValidation, name)
			}
			if err := decodeValue(val, f.codec, v.FieldByIndex(f.index), name); err != nil {
				return err
			}
			seen[f.pos] = true
		}
	}
	if t, ok := headerGet(h, HeaderTimeout); ok {
		f, ok := PyFloat(t)
		if !ok {
			return fmt.Errorf("%w: timeout: Input should be a valid number", ErrValidation)
		}
		b.Timeout = f
	}
	for _, kv := range []struct {
		key string
		dst *int64
	}{{HeaderHeaderSize, &b.HeaderSize}, {HeaderTotalSize, &b.TotalSize}} {
		if t, ok := headerGet(h, kv.key); ok {
			n, ok := PyInt(t)
			if !ok || !n.IsInt64() {
				return fmt.Errorf("%w: %s: Input should be a valid integer", ErrValidation, kv.key)
			}
			*kv.dst = n.Int64()
		}
	}
	if hash, ok := headerGet(h, HeaderComputedBodyHash); ok {
		b.ComputedBodyHash = hash
	}
	for _, f := range s.required {
		if !seen[f.pos] {
			return fmt.Errorf("%w: %s: Field required", ErrValidation, f.name)
		}
	}
	return nil
}

func setTerminalOnce(t *TerminalInfo, set *[16]bool, field, value, path string) error {
	f, ok := terminalCodec.byName[field]
	if !ok {
		return nil
	}
	if set[f.pos] {
		return fmt.Errorf("%w: %s.%s set by two headers", ErrValidation, path, field)
	}
	set[f.pos] = true
	return decodeValue(jv{k: jStr, s: value}, f.codec, reflect.ValueOf(t).Elem().FieldByIndex(f.index), path+"."+field)
}

func setTerminal(t *TerminalInfo, field, value, path string) error {
	f, ok := terminalCodec.byName[field]
	if !ok {
		return nil // unknown TerminalInfo keys are ignored
	}
	return decodeValue(jv{k: jStr, s: value}, f.codec, reflect.ValueOf(t).Elem().FieldByIndex(f.index), path+"."+field)
}

// TerminalsFromHeaders reads only the axon and dendrite terminals from response headers (what the Python
// dendrite takes from them). Header names match case-insensitively.
func TerminalsFromHeaders(h http.Header) (axon, dendrite TerminalInfo, err error) {
	for key, vs := range h {
		if len(vs) == 0 {
			continue
		}
		if i := indexFold(key, PrefixAxon); i >= 0 {
			err = setTerminal(&axon, strings.ToLower(key[i+len(PrefixAxon):]), vs[0], "axon")
		} else if i := indexFold(key, PrefixDendrite); i >= 0 {
			err = setTerminal(&dendrite, strings.ToLower(key[i+len(PrefixDendrite):]), vs[0], "dendrite")
		}
		if err != nil {
			return axon, dendrite, err
		}
	}
	return axon, dendrite, nil
}

// Unmarshal reads a JSON body into m (a fresh value) as pydantic does: defaults first, unknown keys
// ignored, lax coercion. Errors wrap ErrJSON (not JSON at all) or ErrValidation.
func Unmarshal(data []byte, m Message) error {
	s, err := SchemaOf(m)
	if err != nil {
		return err
	}
	return s.unmarshal(data, reflect.ValueOf(m).Elem())
}

func (s *Schema) unmarshal(data []byte, v reflect.Value) error {
	tree, err := parseJSON(data)
	if err != nil {
		return err
	}
	if tree.k != jObj {
		return fmt.Errorf("%w: Input should be a valid dictionary or instance of %s", ErrValidation, s.Name)
	}
	if err := s.applyDefaults(v); err != nil {
		return err
	}
	return decodeModel(tree, s.model, v, "")
}

// SignatureMessage is the text a dendrite signs and an axon verifies:
// "{nonce}.{dendrite_hotkey}.{axon_hotkey}.{dendrite_uuid}.{body_hash}".
func SignatureMessage(nonce int64, dendriteHotkey, axonHotkey, uuid, bodyHash string) string {
	return strconv.FormatInt(nonce, 10) + "." + dendriteHotkey + "." + axonHotkey + "." + uuid + "." + bodyHash
}
