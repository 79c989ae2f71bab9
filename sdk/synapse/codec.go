package synapse

import (
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"sync"
)

// ErrDeclaration means a Go type cannot be used as a synapse (or as a field type of one).
var ErrDeclaration = errors.New("invalid synapse declaration")

type tkind uint8

const (
	tString tkind = iota
	tBool
	tInt
	tUint
	tFloat
	tPtr
	tList
	tTuple
	tModel
	tDict
	tAny
	tBigInt
)

// typeCodec describes how one Go type maps to a pydantic type.
type typeCodec struct {
	kind   tkind
	typ    reflect.Type
	elem   *typeCodec // ptr, list, tuple, dict values
	fields []*fieldCodec
	byName map[string]*fieldCodec
	ready  bool
}

type fieldSpecial uint8

const (
	specNone fieldSpecial = iota
	specName
	specTimeout
)

type fieldCodec struct {
	name     string
	index    []int
	codec    *typeCodec
	required bool
	hash     bool
	def      *jv
	special  fieldSpecial
	pos      int
	isBase   bool
}

var (
	baseType    = reflect.TypeFor[Base]()
	anyType     = reflect.TypeFor[any]()
	bigIntType  = reflect.TypeFor[big.Int]()
	omIface     = reflect.TypeFor[orderedMap]()
	codecMu     sync.Mutex
	codecCache  = map[reflect.Type]*typeCodec{}
	schemaCache sync.Map // reflect.Type -> *Schema or error
)

func codecOf(t reflect.Type) (*typeCodec, error) {
	codecMu.Lock()
	defer codecMu.Unlock()
	return buildCodec(t)
}

func buildCodec(t reflect.Type) (*typeCodec, error) {
	if c, ok := codecCache[t]; ok {
		return c, nil
	}
	c := &typeCodec{typ: t}
	codecCache[t] = c
	var err error
	defer func() {
		if err != nil {
			delete(codecCache, t)
		}
	}()
	switch {
	case t == anyType:
		c.kind = tAny
	case t == bigIntType:
		c.kind = tBigInt
	case reflect.PointerTo(t).Implements(omIface):
		c.kind = tDict
		elem := reflect.New(t).Interface().(orderedMap).omElem()
		if c.elem, err = buildCodec(reflect.TypeOf(elem).Elem()); err != nil {
			return nil, err
		}
	default:
		switch t.Kind() {
		case reflect.String:
			c.kind = tString
		case reflect.Bool:
			c.kind = tBool
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			c.kind = tInt
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			c.kind = tUint
		case reflect.Float64:
			c.kind = tFloat
		case reflect.Float32:
			err = fmt.Errorf("%w: float32 (%s) cannot hold the float64 a Python peer sends and hashes; use float64", ErrDeclaration, t)
			return nil, err
		case reflect.Pointer:
			c.kind = tPtr
			if t.Elem().Kind() == reflect.Pointer {
				err = fmt.Errorf("%w: pointer to pointer (%s)", ErrDeclaration, t)
				return nil, err
			}
			if c.elem, err = buildCodec(t.Elem()); err != nil {
				return nil, err
			}
		case reflect.Slice:
			c.kind = tList
			if c.elem, err = buildCodec(t.Elem()); err != nil {
				return nil, err
			}
		case reflect.Array:
			c.kind = tTuple
			if c.elem, err = buildCodec(t.Elem()); err != nil {
				return nil, err
			}
		case reflect.Struct:
			c.kind = tModel
			c.byName = map[string]*fieldCodec{}
			if err = addFields(c, t, nil); err != nil {
				return nil, err
			}
		case reflect.Map:
			err = fmt.Errorf("%w: Go map %s loses the key order the body hash depends on; use synapse.OrderedMap", ErrDeclaration, t)
			return nil, err
		default:
			err = fmt.Errorf("%w: unsupported field type %s", ErrDeclaration, t)
			return nil, err
		}
	}
	c.ready = true
	if c.kind == tModel {
		names := make([]string, len(c.fields))
		for i, f := range c.fields {
			names[i] = f.name
		}
		internNames(names...)
	}
	return c, nil
}

func addFields(c *typeCodec, t reflect.Type, prefix []int) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		idx := append(append([]int(nil), prefix...), i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && sf.Tag.Get("json") == "" {
			if sf.Type == baseType {
				if err := addBaseFields(c, idx); err != nil {
					return err
				}
				continue
			}
			if err := addFields(c, sf.Type, idx); err != nil {
				return err
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		name := sf.Name
		if tag := sf.Tag.Get("json"); tag != "" {
			n, _, _ := strings.Cut(tag, ",")
			if n == "-" {
				continue
			}
			if n != "" {
				name = n
			}
		}
		fc, err := buildCodec(sf.Type)
		if err != nil {
			return fmt.Errorf("field %s.%s: %w", t.Name(), sf.Name, err)
		}
		f := &fieldCodec{name: name, index: idx, codec: fc}
		for _, opt := range strings.Split(sf.Tag.Get("synapse"), ",") {
			switch strings.TrimSpace(opt) {
			case "":
			case "required":
				f.required = true
			case "hash":
				f.hash = true
			default:
				return fmt.Errorf("%w: field %s: unknown synapse tag option %q", ErrDeclaration, name, opt)
			}
		}
		if d, ok := sf.Tag.Lookup("default"); ok {
			v, err := parseJSON([]byte(d))
			if err != nil {
				return fmt.Errorf("%w: field %s: default tag is not JSON: %v", ErrDeclaration, name, err)
			}
			f.def = &v
		}
		if _, dup := c.byName[name]; dup {
			return fmt.Errorf("%w: duplicate field name %q in %s", ErrDeclaration, name, t)
		}
		f.pos = len(c.fields)
		c.fields = append(c.fields, f)
		c.byName[name] = f
	}
	return nil
}

func addBaseFields(c *typeCodec, idx []int) error {
	for i := range baseType.NumField() {
		sf := baseType.Field(i)
		fc, err := buildCodec(sf.Type)
		if err != nil {
			return err
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		f := &fieldCodec{name: name, index: append(append([]int(nil), idx...), i), codec: fc, isBase: true}
		switch name {
		case "name":
			f.special = specName
		case "timeout":
			f.special = specTimeout
		}
		if _, dup := c.byName[name]; dup {
			return fmt.Errorf("%w: field %q declared twice (is Base embedded twice?)", ErrDeclaration, name)
		}
		f.pos = len(c.fields)
		c.fields = append(c.fields, f)
		c.byName[name] = f
	}
	return nil
}

// pyType is the Python spelling of a codec's type, for documentation and /info.
func (c *typeCodec) pyType() string {
	switch c.kind {
	case tString:
		return "str"
	case tBool:
		return "bool"
	case tInt, tUint, tBigInt:
		return "int"
	case tFloat:
		return "float"
	case tPtr:
		return "Optional[" + c.elem.pyType() + "]"
	case tList:
		return "list[" + c.elem.pyType() + "]"
	case tTuple:
		return "tuple[" + c.elem.pyType() + ", ...]"
	case tDict:
		return "dict[str, " + c.elem.pyType() + "]"
	case tModel:
		return c.typ.Name()
	default:
		return "Any"
	}
}

// Schema is a declared synapse type.
type Schema struct {
	// Name is the class name and route.
	Name string
	// Timeout is the default timeout in seconds.
	Timeout float64
	// Fields lists every field in wire order, base fields first.
	Fields []FieldInfo
	// HashFields is required_hash_fields in hashing order.
	HashFields []string

	typ      reflect.Type
	model    *typeCodec
	hash     []*fieldCodec
	required []*fieldCodec
}

// FieldInfo describes one field of a Schema.
type FieldInfo struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Required bool   `json:"required"`
	Hash     bool   `json:"hash"`
}

// SchemaOf returns the schema of m's type, validating the declaration.
func SchemaOf(m Message) (*Schema, error) {
	t := reflect.TypeOf(m)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: a synapse must be a pointer to a struct embedding synapse.Base", ErrDeclaration)
	}
	return schemaOfType(t.Elem())
}

// SchemaFor returns the schema of synapse type T.
func SchemaFor[T any, PT interface {
	*T
	Message
}]() (*Schema, error) {
	return schemaOfType(reflect.TypeFor[T]())
}

func schemaOfType(t reflect.Type) (*Schema, error) {
	if v, ok := schemaCache.Load(t); ok {
		if e, isErr := v.(error); isErr {
			return nil, e
		}
		return v.(*Schema), nil
	}
	s, err := buildSchema(t)
	if err != nil {
		schemaCache.Store(t, err)
		return nil, err
	}
	schemaCache.Store(t, s)
	return s, nil
}

func buildSchema(t reflect.Type) (*Schema, error) {
	c, err := codecOf(t)
	if err != nil {
		return nil, err
	}
	if f, ok := c.byName["computed_body_hash"]; !ok || !f.isBase {
		return nil, fmt.Errorf("%w: %s does not embed synapse.Base", ErrDeclaration, t)
	}
	proto := reflect.New(t).Interface()
	s := &Schema{Name: t.Name(), Timeout: DefaultTimeout, typ: t, model: c}
	if n, ok := proto.(Namer); ok {
		s.Name = n.SynapseName()
	}
	if s.Name == "" || strings.ContainsAny(s.Name, "/?#% \t\r\n") {
		return nil, fmt.Errorf("%w: synapse name %q is not a valid route segment", ErrDeclaration, s.Name)
	}
	if d, ok := proto.(TimeoutDefaulter); ok {
		s.Timeout = d.DefaultTimeout()
	}
	for _, f := range c.fields {
		s.Fields = append(s.Fields, FieldInfo{Name: f.name, Type: f.codec.pyType(), Required: f.required, Hash: f.hash})
		if f.required {
			if f.codec.kind == tModel || (f.codec.kind == tPtr && f.codec.elem.kind == tModel) {
				return nil, fmt.Errorf("%w: required field %q has a model type, which the Python dendrite cannot send (to_headers raises); give it a default (make it a pointer)", ErrDeclaration, f.name)
			}
			s.required = append(s.required, f)
		}
		if f.hash {
			s.hash = append(s.hash, f)
		}
	}
	if hf, ok := proto.(HashFielder); ok {
		s.hash = s.hash[:0]
		for _, n := range hf.RequiredHashFields() {
			f, ok := c.byName[n]
			if !ok {
				return nil, fmt.Errorf("%w: required hash field %q is not a field of %s", ErrDeclaration, n, s.Name)
			}
			s.hash = append(s.hash, f)
		}
	}
	for _, f := range s.hash {
		s.HashFields = append(s.HashFields, f.name)
	}
	return s, nil
}

// New returns a fresh *T with Python's defaults applied (timeout, `default` tags).
func New[T any, PT interface {
	*T
	Message
}]() (PT, error) {
	p := PT(new(T))
	if err := ApplyDefaults(p); err != nil {
		return nil, err
	}
	return p, nil
}

// ApplyDefaults sets the declared defaults on m: the type's timeout, Name, and every `default` tag.
func ApplyDefaults(m Message) error {
	s, err := SchemaOf(m)
	if err != nil {
		return err
	}
	return s.applyDefaults(reflect.ValueOf(m).Elem())
}

func (s *Schema) applyDefaults(v reflect.Value) error {
	b := v.Addr().Interface().(Message).base()
	b.Name = s.Name
	b.Timeout = s.Timeout
	return applyModelDefaults(s.model, v)
}

func applyModelDefaults(c *typeCodec, v reflect.Value) error {
	for _, f := range c.fields {
		if f.def == nil {
			continue
		}
		if err := decodeValue(*f.def, f.codec, v.FieldByIndex(f.index), f.name); err != nil {
			return fmt.Errorf("%w: default of %s: %v", ErrDeclaration, f.name, err)
		}
	}
	return nil
}
