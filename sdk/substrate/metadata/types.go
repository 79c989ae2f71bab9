package metadata

import (
	"fmt"
	"strings"

	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

// TypeID names a type in the portable type registry.
type TypeID uint32

// Kind is the shape of a registry type (scale-info's TypeDef).
type Kind uint8

// The registry type kinds, in scale-info's TypeDef order.
const (
	KindComposite Kind = iota
	KindVariant
	KindSequence
	KindArray
	KindTuple
	KindPrimitive
	KindCompact
	KindBitSequence
)

var kindNames = [...]string{"composite", "variant", "sequence", "array", "tuple", "primitive", "compact", "bitsequence"}

// String is the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Primitive is a scale-info primitive type.
type Primitive uint8

// The primitives, in scale-info's order.
const (
	PrimBool Primitive = iota
	PrimChar
	PrimStr
	PrimU8
	PrimU16
	PrimU32
	PrimU64
	PrimU128
	PrimU256
	PrimI8
	PrimI16
	PrimI32
	PrimI64
	PrimI128
	PrimI256
)

var primNames = [...]string{"bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "u256", "i8", "i16", "i32", "i64", "i128", "i256"}

// String is the primitive's Rust name.
func (p Primitive) String() string {
	if int(p) < len(primNames) {
		return primNames[p]
	}
	return fmt.Sprintf("prim(%d)", uint8(p))
}

// Size is the encoded width of a fixed-width primitive, or 0 for str.
func (p Primitive) Size() int {
	switch p {
	case PrimBool, PrimU8, PrimI8:
		return 1
	case PrimU16, PrimI16:
		return 2
	case PrimU32, PrimI32, PrimChar:
		return 4
	case PrimU64, PrimI64:
		return 8
	case PrimU128, PrimI128:
		return 16
	case PrimU256, PrimI256:
		return 32
	}
	return 0
}

// Field is a named or positional field of a composite type or enum variant.
type Field struct {
	Name     string // empty for tuple-like fields
	Type     TypeID
	TypeName string // the Rust type name as written in the source, informational
}

// Variant is one variant of an enum type.
type Variant struct {
	Name   string
	Index  uint8
	Fields []Field
	Docs   []string
}

// Type is one entry of the portable registry.
type Type struct {
	ID       TypeID
	Path     []string // e.g. ["pallet_subtensor", "rpc_info", "neuron_info", "NeuronInfoLite"]
	Params   []TypeID // resolved generic parameters (absent ones are omitted)
	Kind     Kind
	Fields   []Field   // KindComposite
	Variants []Variant // KindVariant, ordered as in the registry
	Elem     TypeID    // KindSequence, KindArray, KindCompact element; KindBitSequence store type
	Len      uint32    // KindArray
	Tuple    []TypeID  // KindTuple
	Prim     Primitive // KindPrimitive
	BitOrder TypeID    // KindBitSequence
}

// Name is the last element of the type's path ("NeuronInfoLite"), or a description of its shape.
func (t *Type) Name() string {
	if len(t.Path) > 0 {
		return t.Path[len(t.Path)-1]
	}
	switch t.Kind {
	case KindPrimitive:
		return t.Prim.String()
	case KindSequence:
		return "Vec"
	case KindArray:
		return fmt.Sprintf("[_; %d]", t.Len)
	case KindTuple:
		return "tuple"
	case KindCompact:
		return "Compact"
	}
	return t.Kind.String()
}

// FullPath is the type's path joined with "::".
func (t *Type) FullPath() string { return strings.Join(t.Path, "::") }

// VariantByName returns the named variant.
func (t *Type) VariantByName(name string) (*Variant, bool) {
	for i := range t.Variants {
		if t.Variants[i].Name == name {
			return &t.Variants[i], true
		}
	}
	return nil, false
}

// VariantByIndex returns the variant with the given encoded index.
func (t *Type) VariantByIndex(idx uint8) (*Variant, bool) {
	for i := range t.Variants {
		if t.Variants[i].Index == idx {
			return &t.Variants[i], true
		}
	}
	return nil, false
}

// Registry is the portable type registry of a runtime.
type Registry struct {
	types []Type
}

// Len is the number of types.
func (r *Registry) Len() int { return len(r.types) }

// Type returns the type with the given id.
func (r *Registry) Type(id TypeID) (*Type, error) {
	if int64(id) >= int64(len(r.types)) {
		return nil, fmt.Errorf("metadata: type id %d out of range (%d types)", id, len(r.types))
	}
	return &r.types[id], nil
}

// MustType is Type for ids the registry itself handed out; an unknown id gives an empty composite.
func (r *Registry) MustType(id TypeID) *Type {
	if t, err := r.Type(id); err == nil {
		return t
	}
	return &Type{ID: id}
}

// Find returns the first type whose path ends with the given elements, e.g. Find("NeuronInfoLite").
func (r *Registry) Find(pathSuffix ...string) (*Type, bool) {
	for i := range r.types {
		p := r.types[i].Path
		if len(p) >= len(pathSuffix) && equalStrings(p[len(p)-len(pathSuffix):], pathSuffix) {
			return &r.types[i], true
		}
	}
	return nil, false
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Resolve follows single-field composites (newtypes such as NetUid(u16) or AccountId32([u8; 32])) and
// returns the innermost type. It stops after a bounded number of steps so cyclic registries cannot loop.
func (r *Registry) Resolve(id TypeID) *Type {
	t := r.MustType(id)
	for i := 0; i < 16 && t.Kind == KindComposite && len(t.Fields) == 1; i++ {
		t = r.MustType(t.Fields[0].Type)
	}
	return t
}

// IsEmpty reports whether values of the type encode to zero bytes: the unit tuple, composites whose fields
// are all empty, and zero-length arrays.
func (r *Registry) IsEmpty(id TypeID) bool { return r.isEmpty(id, 0) }

func (r *Registry) isEmpty(id TypeID, depth int) bool {
	if depth > 32 {
		return false
	}
	t, err := r.Type(id)
	if err != nil {
		return false
	}
	switch t.Kind {
	case KindComposite:
		for _, f := range t.Fields {
			if !r.isEmpty(f.Type, depth+1) {
				return false
			}
		}
		return true
	case KindTuple:
		for _, e := range t.Tuple {
			if !r.isEmpty(e, depth+1) {
				return false
			}
		}
		return true
	case KindArray:
		return t.Len == 0 || r.isEmpty(t.Elem, depth+1)
	}
	return false
}

func decodeRegistry(d *scale.Decoder) (*Registry, error) {
	n, err := d.Length(2)
	if err != nil {
		return nil, fmt.Errorf("type count: %w", err)
	}
	reg := &Registry{types: make([]Type, n)}
	for i := 0; i < n; i++ {
		id, err := d.Compact()
		if err != nil {
			return nil, fmt.Errorf("type %d id: %w", i, err)
		}
		if id != uint64(i) {
			return nil, fmt.Errorf("type %d has id %d: registry ids must be dense", i, id)
		}
		t := &reg.types[i]
		t.ID = TypeID(id)
		if err := decodeType(d, t); err != nil {
			return nil, fmt.Errorf("type %d: %w", i, err)
		}
	}
	for i := range reg.types {
		if err := reg.checkRefs(&reg.types[i]); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

func (r *Registry) checkRefs(t *Type) error {
	check := func(id TypeID) error {
		if int64(id) >= int64(len(r.types)) {
			return fmt.Errorf("type %d refers to unknown type %d", t.ID, id)
		}
		return nil
	}
	for _, f := range t.Fields {
		if err := check(f.Type); err != nil {
			return err
		}
	}
	for _, v := range t.Variants {
		for _, f := range v.Fields {
			if err := check(f.Type); err != nil {
				return err
			}
		}
	}
	for _, e := range t.Tuple {
		if err := check(e); err != nil {
			return err
		}
	}
	switch t.Kind {
	case KindSequence, KindArray, KindCompact:
		return check(t.Elem)
	case KindBitSequence:
		if err := check(t.Elem); err != nil {
			return err
		}
		return check(t.BitOrder)
	}
	return nil
}

func decodeStrings(d *scale.Decoder) ([]string, error) {
	n, err := d.Length(1)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	out := make([]string, n)
	for i := range out {
		if out[i], err = d.String(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func skipStrings(d *scale.Decoder) error {
	n, err := d.Length(1)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if _, err := d.ByteVec(); err != nil {
			return err
		}
	}
	return nil
}

func decodeTypeID(d *scale.Decoder) (TypeID, error) {
	v, err := d.Compact()
	if err != nil {
		return 0, err
	}
	if v > 1<<31 {
		return 0, fmt.Errorf("%w: type id %d", scale.ErrInvalid, v)
	}
	return TypeID(v), nil
}

func decodeOptString(d *scale.Decoder) (string, error) {
	some, err := d.Option()
	if err != nil || !some {
		return "", err
	}
	return d.String()
}

func decodeFields(d *scale.Decoder) ([]Field, error) {
	n, err := d.Length(3)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	fields := make([]Field, n)
	for i := range fields {
		f := &fields[i]
		if f.Name, err = decodeOptString(d); err != nil {
			return nil, err
		}
		if f.Type, err = decodeTypeID(d); err != nil {
			return nil, err
		}
		if f.TypeName, err = decodeOptString(d); err != nil {
			return nil, err
		}
		if err = skipStrings(d); err != nil {
			return nil, err
		}
	}
	return fields, nil
}

func decodeType(d *scale.Decoder, t *Type) error {
	var err error
	if t.Path, err = decodeStrings(d); err != nil {
		return fmt.Errorf("path: %w", err)
	}
	np, err := d.Length(2)
	if err != nil {
		return fmt.Errorf("params: %w", err)
	}
	for i := 0; i < np; i++ {
		if _, err := d.String(); err != nil {
			return err
		}
		some, err := d.Option()
		if err != nil {
			return err
		}
		if some {
			id, err := decodeTypeID(d)
			if err != nil {
				return err
			}
			t.Params = append(t.Params, id)
		}
	}
	tag, err := d.U8()
	if err != nil {
		return err
	}
	t.Kind = Kind(tag)
	switch t.Kind {
	case KindComposite:
		t.Fields, err = decodeFields(d)
	case KindVariant:
		var n int
		if n, err = d.Length(4); err != nil {
			return err
		}
		t.Variants = make([]Variant, n)
		for i := range t.Variants {
			v := &t.Variants[i]
			if v.Name, err = d.String(); err != nil {
				return err
			}
			if v.Fields, err = decodeFields(d); err != nil {
				return err
			}
			if v.Index, err = d.U8(); err != nil {
				return err
			}
			if v.Docs, err = decodeStrings(d); err != nil {
				return err
			}
		}
	case KindSequence, KindCompact:
		t.Elem, err = decodeTypeID(d)
	case KindArray:
		if t.Len, err = d.U32(); err != nil {
			return err
		}
		t.Elem, err = decodeTypeID(d)
	case KindTuple:
		var n int
		if n, err = d.Length(1); err != nil {
			return err
		}
		t.Tuple = make([]TypeID, n)
		for i := range t.Tuple {
			if t.Tuple[i], err = decodeTypeID(d); err != nil {
				return err
			}
		}
	case KindPrimitive:
		var p uint8
		if p, err = d.U8(); err != nil {
			return err
		}
		if p > uint8(PrimI256) {
			return fmt.Errorf("%w: primitive %d", scale.ErrInvalid, p)
		}
		t.Prim = Primitive(p)
	case KindBitSequence:
		if t.Elem, err = decodeTypeID(d); err != nil {
			return err
		}
		t.BitOrder, err = decodeTypeID(d)
	default:
		return fmt.Errorf("%w: type def tag %d", scale.ErrInvalid, tag)
	}
	if err != nil {
		return err
	}
	return skipStrings(d) // docs
}
