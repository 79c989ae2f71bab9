package codec

import (
	"fmt"
	"reflect"

	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

// Variant is an enum value to encode: the variant's name and its fields in order (none for a unit
// variant). MultiAddress::Id(account) is Variant{Name: "Id", Fields: []any{account}}.
type Variant struct {
	Name   string
	Fields []any
}

// Encode encodes v as registry type id.
func (c *Codec) Encode(id metadata.TypeID, v any) ([]byte, error) {
	e := &scale.Encoder{}
	if err := c.EncodeTo(e, id, v); err != nil {
		return nil, err
	}
	return e.Bytes(), nil
}

// EncodeTo appends v encoded as registry type id. Accepted Go values: see the package documentation;
// composites also accept map[string]any, tuples also accept []any, Option accepts nil (None), and enums
// accept Variant or, for unit variants, the variant name as a string.
func (c *Codec) EncodeTo(e *scale.Encoder, id metadata.TypeID, v any) error {
	return c.encode(e, id, reflect.ValueOf(v), 0)
}

func (c *Codec) encErr(t *metadata.Type, v reflect.Value, why string) error {
	typ := "nil"
	if v.IsValid() {
		typ = v.Type().String()
	}
	return fmt.Errorf("%w: cannot encode Go %s as %s (%s) at spec %d: %s", ErrKind, typ, t.Name(), t.Kind, c.md.SpecVersion, why)
}

func deref(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

func (c *Codec) encode(e *scale.Encoder, id metadata.TypeID, v reflect.Value, depth int) error {
	if depth > 64 {
		return fmt.Errorf("%w: value nested too deeply", ErrKind)
	}
	t, err := c.reg.Type(id)
	if err != nil {
		return err
	}
	if inner, ok := isOption(t); ok {
		v = deref(v)
		if !v.IsValid() {
			e.U8(0)
			return nil
		}
		e.U8(1)
		return c.encode(e, inner, v, depth+1)
	}
	v = deref(v)
	if !v.IsValid() {
		return c.encErr(t, v, "nil value")
	}
	switch t.Kind {
	case metadata.KindComposite:
		return c.encodeComposite(e, t, v, depth)
	case metadata.KindTuple:
		return c.encodeList(e, t, t.Tuple, v, depth)
	case metadata.KindVariant:
		return c.encodeVariant(e, t, v, depth)
	case metadata.KindSequence:
		if plain, _ := c.byteLike(t.Elem); plain && (v.Kind() == reflect.String || (v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8)) {
			e.Compact(uint64(v.Len()))
			e.Raw(bytesOf(v))
			return nil
		}
		if _, compact := c.byteLike(t.Elem); compact && (v.Kind() == reflect.String || (v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8)) {
			b := bytesOf(v)
			e.Compact(uint64(len(b)))
			for _, x := range b {
				e.Compact(uint64(x))
			}
			return nil
		}
		if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
			return c.encErr(t, v, "want a slice")
		}
		e.Compact(uint64(v.Len()))
		for i := 0; i < v.Len(); i++ {
			if err := c.encode(e, t.Elem, v.Index(i), depth+1); err != nil {
				return err
			}
		}
		return nil
	case metadata.KindArray:
		if v.Kind() != reflect.Slice && v.Kind() != reflect.Array && v.Kind() != reflect.String {
			return c.encErr(t, v, "want an array")
		}
		if v.Len() != int(t.Len) {
			return c.encErr(t, v, fmt.Sprintf("want %d elements, have %d", t.Len, v.Len()))
		}
		if plain, _ := c.byteLike(t.Elem); plain {
			e.Raw(bytesOf(v))
			return nil
		}
		for i := 0; i < v.Len(); i++ {
			if err := c.encode(e, t.Elem, v.Index(i), depth+1); err != nil {
				return err
			}
		}
		return nil
	case metadata.KindPrimitive:
		return c.encodePrimitive(e, t, v)
	case metadata.KindCompact:
		in := c.reg.Resolve(t.Elem)
		if in.Kind == metadata.KindTuple && len(in.Tuple) == 0 {
			return nil
		}
		if v.Type() == u128Type {
			e.CompactU128(v.Interface().(scale.U128))
			return nil
		}
		x, ok := asUint(v)
		if !ok {
			return c.encErr(t, v, "want an unsigned integer")
		}
		if in.Kind == metadata.KindPrimitive && in.Prim.Size() < 8 && x>>(8*in.Prim.Size()) != 0 {
			return c.encErr(t, v, fmt.Sprintf("%d overflows %s", x, in.Prim))
		}
		e.Compact(x)
		return nil
	}
	return c.encErr(t, v, "unsupported kind")
}

func bytesOf(v reflect.Value) []byte {
	if v.Kind() == reflect.String {
		return []byte(v.String())
	}
	if v.Kind() == reflect.Slice {
		return v.Bytes()
	}
	b := make([]byte, v.Len())
	reflect.Copy(reflect.ValueOf(b), v)
	return b
}

func asUint(v reflect.Value) (uint64, bool) {
	switch {
	case isUint(v.Kind()):
		return v.Uint(), true
	case isInt(v.Kind()) && v.Int() >= 0:
		return uint64(v.Int()), true
	}
	return 0, false
}

func (c *Codec) encodePrimitive(e *scale.Encoder, t *metadata.Type, v reflect.Value) error {
	switch t.Prim {
	case metadata.PrimBool:
		if v.Kind() == reflect.Bool {
			e.Bool(v.Bool())
			return nil
		}
	case metadata.PrimStr:
		if v.Kind() == reflect.String {
			e.String(v.String())
			return nil
		}
	case metadata.PrimU8, metadata.PrimU16, metadata.PrimU32, metadata.PrimU64:
		x, ok := asUint(v)
		if !ok {
			break
		}
		size := t.Prim.Size()
		if size < 8 && x>>(8*size) != 0 {
			return c.encErr(t, v, fmt.Sprintf("%d overflows %s", x, t.Prim))
		}
		for i := 0; i < size; i++ {
			e.U8(byte(x >> (8 * i)))
		}
		return nil
	case metadata.PrimI8, metadata.PrimI16, metadata.PrimI32, metadata.PrimI64:
		if !isInt(v.Kind()) {
			break
		}
		x := v.Int()
		size := t.Prim.Size()
		if size < 8 {
			lim := int64(1) << (8*size - 1)
			if x < -lim || x >= lim {
				return c.encErr(t, v, fmt.Sprintf("%d overflows %s", x, t.Prim))
			}
		}
		for i := 0; i < size; i++ {
			e.U8(byte(uint64(x) >> (8 * i)))
		}
		return nil
	case metadata.PrimU128, metadata.PrimI128:
		if v.Type() == u128Type {
			e.U128(v.Interface().(scale.U128))
			return nil
		}
		if x, ok := asUint(v); ok && t.Prim == metadata.PrimU128 {
			e.U128(scale.U128{Lo: x})
			return nil
		}
		if v.Kind() == reflect.Array && v.Len() == 16 {
			e.Raw(bytesOf(v))
			return nil
		}
	}
	return c.encErr(t, v, "incompatible primitive")
}

func (c *Codec) encodeComposite(e *scale.Encoder, t *metadata.Type, v reflect.Value, depth int) error {
	if len(t.Fields) == 0 {
		return nil
	}
	named := t.Fields[0].Name != ""
	if v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String && named {
		for _, f := range t.Fields {
			fv := v.MapIndex(reflect.ValueOf(f.Name))
			if !fv.IsValid() {
				return c.encErr(t, v, "missing field "+f.Name)
			}
			if err := c.encode(e, f.Type, fv, depth+1); err != nil {
				return fmt.Errorf("%s.%s: %w", t.Name(), f.Name, err)
			}
		}
		return nil
	}
	if v.Kind() == reflect.Struct && v.Type() != u128Type {
		gf := goFields(v.Type())
		if named {
			byName := map[string]int{}
			for _, g := range gf {
				if g.name != "" {
					byName[g.name] = g.index
				}
			}
			ok := true
			for _, f := range t.Fields {
				_, has := byName[f.Name]
				ok = ok && has
			}
			if ok {
				for _, f := range t.Fields {
					if err := c.encode(e, f.Type, v.Field(byName[f.Name]), depth+1); err != nil {
						return fmt.Errorf("%s.%s: %w", t.Name(), f.Name, err)
					}
				}
				return nil
			}
		}
		if len(t.Fields) > 1 || !named {
			ids := make([]metadata.TypeID, len(t.Fields))
			for i, f := range t.Fields {
				ids[i] = f.Type
			}
			if len(t.Fields) > 1 || len(gf) == len(ids) {
				return c.encodeList(e, t, ids, v, depth)
			}
		}
	}
	if len(t.Fields) == 1 { // newtype
		return c.encode(e, t.Fields[0].Type, v, depth+1)
	}
	return c.encErr(t, v, "want a struct or map with the fields "+fieldNames(t.Fields))
}

func fieldNames(fs []metadata.Field) string {
	s := ""
	for i, f := range fs {
		if i > 0 {
			s += ", "
		}
		s += f.Name
	}
	return s
}

func (c *Codec) encodeList(e *scale.Encoder, t *metadata.Type, ids []metadata.TypeID, v reflect.Value, depth int) error {
	switch {
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Interface:
		if v.Len() != len(ids) {
			return c.encErr(t, v, fmt.Sprintf("want %d elements, have %d", len(ids), v.Len()))
		}
		for i, id := range ids {
			if err := c.encode(e, id, v.Index(i), depth+1); err != nil {
				return err
			}
		}
		return nil
	case v.Kind() == reflect.Struct:
		gf := goFields(v.Type())
		if len(gf) != len(ids) {
			return c.encErr(t, v, fmt.Sprintf("want %d fields, have %d", len(ids), len(gf)))
		}
		for i, id := range ids {
			if err := c.encode(e, id, v.Field(gf[i].index), depth+1); err != nil {
				return err
			}
		}
		return nil
	case len(ids) == 1:
		return c.encode(e, ids[0], v, depth+1)
	case len(ids) == 0:
		return nil
	}
	return c.encErr(t, v, "want a struct or []any")
}

func (c *Codec) encodeVariant(e *scale.Encoder, t *metadata.Type, v reflect.Value, depth int) error {
	var name string
	var fields []any
	switch x := v.Interface().(type) {
	case Variant:
		name, fields = x.Name, x.Fields
	case string:
		name = x
	default:
		return c.encErr(t, v, "want codec.Variant")
	}
	vr, ok := t.VariantByName(name)
	if !ok {
		return c.encErr(t, v, "no variant "+name)
	}
	if len(fields) != len(vr.Fields) {
		return c.encErr(t, v, fmt.Sprintf("variant %s takes %d fields, have %d", name, len(vr.Fields), len(fields)))
	}
	e.U8(vr.Index)
	for i, f := range vr.Fields {
		if err := c.encode(e, f.Type, reflect.ValueOf(fields[i]), depth+1); err != nil {
			return fmt.Errorf("%s::%s: %w", t.Name(), name, err)
		}
	}
	return nil
}
