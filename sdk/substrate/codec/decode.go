// Package codec decodes and encodes SCALE values by walking a runtime's type registry, so no layout is
// hard-coded. Go structs are filled by field name (tag `scale:"name"`): for each target struct the codec
// checks, once, that every field it expects exists with a compatible kind, and reports drift as a
// *DriftError naming the field and the spec version ("NeuronInfoLite.pruning_score missing at spec 401")
// rather than decoding garbage. Fields the chain adds are skipped, so additive runtime changes keep
// working. Plans are compiled once per (type, Go type) and cached.
//
// Go ↔ registry mapping: bool; unsigned Go integers for u8–u64 and compacts (range-checked); scale.U128
// for u128/i128 and compact u128; string or []byte for str, Vec<u8> and Vec<Compact<u8>>; [N]byte for
// [u8; N] (so AccountId32 and H256 newtypes land in [32]byte); slices and arrays element-wise; pointers or
// plain values for Option (None leaves a plain value at its zero); Go structs for composites (by tag name)
// and tuples (by position). Single-field composites (newtypes such as NetUid or AlphaCurrency) are
// unwrapped when the Go target is not a struct that names their field.
package codec

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

// DriftError reports a runtime layout that no longer matches what gotensor expects.
type DriftError struct {
	Type   string // registry type name, e.g. "NeuronInfoLite"
	Field  string // dotted field path, e.g. "pruning_score" or "axon_info.ip"
	Spec   uint32
	Reason string // "missing", or a kind mismatch
}

// Error formats the drift as "Type.field reason at spec N".
func (e *DriftError) Error() string {
	return fmt.Sprintf("%s.%s %s at spec %d", e.Type, e.Field, e.Reason, e.Spec)
}

// ErrKind is wrapped by errors about a Go value that cannot represent (or be encoded as) a registry type.
var ErrKind = errors.New("codec: incompatible kinds")

type decodeFn func(d *scale.Decoder, v reflect.Value) error
type skipFn func(d *scale.Decoder) error

type planKey struct {
	id metadata.TypeID
	rt reflect.Type
}

// Codec decodes and encodes against one runtime's metadata. It is safe for concurrent use.
type Codec struct {
	md  *metadata.Metadata
	reg *metadata.Registry

	mu    sync.Mutex
	plans map[planKey]*decodeFn
	skips map[metadata.TypeID]*skipFn
}

// New returns a codec for md.
func New(md *metadata.Metadata) *Codec {
	return &Codec{md: md, reg: md.Types, plans: map[planKey]*decodeFn{}, skips: map[metadata.TypeID]*skipFn{}}
}

// Metadata is the metadata the codec reads layouts from.
func (c *Codec) Metadata() *metadata.Metadata { return c.md }

var u128Type = reflect.TypeOf(scale.U128{})

// Decode decodes data as registry type id into out (a non-nil pointer) and requires every byte to be
// consumed.
func (c *Codec) Decode(id metadata.TypeID, data []byte, out any) error {
	d := scale.NewDecoder(data)
	if err := c.DecodeFrom(d, id, out); err != nil {
		return err
	}
	return d.Done()
}

// DecodeFrom decodes one value of type id from d into out (a non-nil pointer).
func (c *Codec) DecodeFrom(d *scale.Decoder, id metadata.TypeID, out any) error {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("%w: decode target must be a non-nil pointer, got %T", ErrKind, out)
	}
	fn, err := c.Plan(id, rv.Type().Elem())
	if err != nil {
		return err
	}
	return fn(d, rv.Elem())
}

// Check compiles the plan for decoding type id into Go type rt without decoding anything: it is how a
// caller learns about layout drift before reading data.
func (c *Codec) Check(id metadata.TypeID, rt reflect.Type) error {
	_, err := c.Plan(id, rt)
	return err
}

// Plan returns the compiled decoder of type id into values of Go type rt.
func (c *Codec) Plan(id metadata.TypeID, rt reflect.Type) (func(*scale.Decoder, reflect.Value) error, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn, err := c.plan(id, rt)
	if err != nil {
		return nil, err
	}
	return fn, nil
}

// Skip advances d over one value of type id.
func (c *Codec) Skip(d *scale.Decoder, id metadata.TypeID) error {
	c.mu.Lock()
	fn, err := c.skip(id)
	c.mu.Unlock()
	if err != nil {
		return err
	}
	return fn(d)
}

func (c *Codec) drift(t *metadata.Type, field, reason string) error {
	return &DriftError{Type: t.Name(), Field: field, Spec: c.md.SpecVersion, Reason: reason}
}

func (c *Codec) mismatch(t *metadata.Type, rt reflect.Type) error {
	return fmt.Errorf("%w: registry type %d (%s, %s) into Go %s at spec %d", ErrKind, t.ID, t.Name(), t.Kind, rt, c.md.SpecVersion)
}

// plan compiles lazily: a placeholder is stored first so recursive types terminate.
func (c *Codec) plan(id metadata.TypeID, rt reflect.Type) (decodeFn, error) {
	key := planKey{id, rt}
	if p, ok := c.plans[key]; ok {
		return func(d *scale.Decoder, v reflect.Value) error { return (*p)(d, v) }, nil
	}
	p := new(decodeFn)
	c.plans[key] = p
	fn, err := c.build(id, rt)
	if err != nil {
		delete(c.plans, key)
		return nil, err
	}
	*p = fn
	return fn, nil
}

func isUint(k reflect.Kind) bool {
	switch k {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

func isInt(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

// isOption reports whether t is Rust's Option<T>, returning T.
func isOption(t *metadata.Type) (metadata.TypeID, bool) {
	if t.Kind != metadata.KindVariant || len(t.Path) != 1 || t.Path[0] != "Option" || len(t.Variants) != 2 {
		return 0, false
	}
	none, ok1 := t.VariantByIndex(0)
	some, ok2 := t.VariantByIndex(1)
	if !ok1 || !ok2 || none.Name != "None" || some.Name != "Some" || len(some.Fields) != 1 {
		return 0, false
	}
	return some.Fields[0].Type, true
}

// structFields maps tag names of rt's exported fields to their index; untagged exported fields are
// reachable by position.
type goField struct {
	index    int
	name     string
	optional bool
}

func goFields(rt reflect.Type) []goField {
	var out []goField
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("scale")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		out = append(out, goField{index: i, name: name, optional: opts == "optional"})
	}
	return out
}

func (c *Codec) build(id metadata.TypeID, rt reflect.Type) (decodeFn, error) {
	t, err := c.reg.Type(id)
	if err != nil {
		return nil, err
	}
	// Option<T>: pointer or plain target.
	if inner, ok := isOption(t); ok {
		if rt.Kind() == reflect.Pointer {
			elem, err := c.plan(inner, rt.Elem())
			if err != nil {
				return nil, err
			}
			return func(d *scale.Decoder, v reflect.Value) error {
				some, err := d.Option()
				if err != nil {
					return err
				}
				if !some {
					v.SetZero()
					return nil
				}
				p := reflect.New(rt.Elem())
				if err := elem(d, p.Elem()); err != nil {
					return err
				}
				v.Set(p)
				return nil
			}, nil
		}
		elem, err := c.plan(inner, rt)
		if err != nil {
			return nil, err
		}
		return func(d *scale.Decoder, v reflect.Value) error {
			some, err := d.Option()
			if err != nil {
				return err
			}
			if !some {
				v.SetZero()
				return nil
			}
			return elem(d, v)
		}, nil
	}
	switch t.Kind {
	case metadata.KindComposite:
		return c.buildComposite(t, rt)
	case metadata.KindTuple:
		if rt.Kind() == reflect.Struct && rt != u128Type {
			return c.buildPositional(t, t.Tuple, rt)
		}
		if len(t.Tuple) == 1 {
			return c.plan(t.Tuple[0], rt)
		}
	case metadata.KindSequence:
		return c.buildSequence(t, rt)
	case metadata.KindArray:
		return c.buildArray(t, rt)
	case metadata.KindPrimitive:
		return c.buildPrimitive(t, rt)
	case metadata.KindCompact:
		return c.buildCompact(t, rt)
	case metadata.KindVariant:
		if isUint(rt.Kind()) { // C-like enum into its index
			allUnit := true
			for _, v := range t.Variants {
				allUnit = allUnit && len(v.Fields) == 0
			}
			if allUnit {
				return func(d *scale.Decoder, v reflect.Value) error {
					b, err := d.U8()
					if err != nil {
						return err
					}
					if _, ok := t.VariantByIndex(b); !ok {
						return fmt.Errorf("%w: %s has no variant %d", scale.ErrInvalid, t.Name(), b)
					}
					v.SetUint(uint64(b))
					return nil
				}, nil
			}
		}
	}
	return nil, c.mismatch(t, rt)
}

func (c *Codec) buildComposite(t *metadata.Type, rt reflect.Type) (decodeFn, error) {
	named := len(t.Fields) > 0 && t.Fields[0].Name != ""
	if rt.Kind() == reflect.Struct && rt != u128Type {
		gf := goFields(rt)
		// A newtype around a struct (or an unnamed single field) is unwrapped unless the Go struct names it.
		if len(t.Fields) == 1 {
			names := false
			for _, f := range gf {
				names = names || f.name == t.Fields[0].Name
			}
			if !names || !named {
				return c.plan(t.Fields[0].Type, rt)
			}
		}
		if !named {
			ids := make([]metadata.TypeID, len(t.Fields))
			for i, f := range t.Fields {
				ids[i] = f.Type
			}
			return c.buildPositional(t, ids, rt)
		}
		return c.buildNamed(t, rt, gf)
	}
	if len(t.Fields) == 1 {
		return c.plan(t.Fields[0].Type, rt)
	}
	return nil, c.mismatch(t, rt)
}

func (c *Codec) buildNamed(t *metadata.Type, rt reflect.Type, gf []goField) (decodeFn, error) {
	byName := map[string]goField{}
	for _, f := range gf {
		if f.name != "" {
			byName[f.name] = f
		}
	}
	type step struct {
		goIndex int // -1: skip
		dec     decodeFn
		skip    skipFn
	}
	steps := make([]step, len(t.Fields))
	seen := map[string]bool{}
	for i, f := range t.Fields {
		g, ok := byName[f.Name]
		if !ok {
			s, err := c.skip(f.Type)
			if err != nil {
				return nil, err
			}
			steps[i] = step{goIndex: -1, skip: s}
			continue
		}
		seen[f.Name] = true
		fn, err := c.plan(f.Type, rt.Field(g.index).Type)
		if err != nil {
			var de *DriftError
			if errors.As(err, &de) {
				return nil, &DriftError{Type: t.Name(), Field: f.Name + "." + de.Field, Spec: de.Spec, Reason: de.Reason}
			}
			return nil, c.drift(t, f.Name, "has an incompatible type ("+err.Error()+")")
		}
		steps[i] = step{goIndex: g.index, dec: fn}
	}
	for _, g := range gf {
		if g.name != "" && !seen[g.name] && !g.optional {
			return nil, c.drift(t, g.name, "missing")
		}
	}
	return func(d *scale.Decoder, v reflect.Value) error {
		for i := range steps {
			s := &steps[i]
			if s.goIndex < 0 {
				if err := s.skip(d); err != nil {
					return fmt.Errorf("%s.%s: %w", t.Name(), t.Fields[i].Name, err)
				}
				continue
			}
			if err := s.dec(d, v.Field(s.goIndex)); err != nil {
				return fmt.Errorf("%s.%s: %w", t.Name(), t.Fields[i].Name, err)
			}
		}
		return nil
	}, nil
}

func (c *Codec) buildPositional(t *metadata.Type, ids []metadata.TypeID, rt reflect.Type) (decodeFn, error) {
	gf := goFields(rt)
	if len(gf) > len(ids) {
		return nil, c.drift(t, strconv.Itoa(len(ids)), "missing (tuple is shorter than Go "+rt.String()+")")
	}
	decs := make([]decodeFn, len(gf))
	for i := range gf {
		fn, err := c.plan(ids[i], rt.Field(gf[i].index).Type)
		if err != nil {
			return nil, err
		}
		decs[i] = fn
	}
	var rest []skipFn
	for _, id := range ids[len(gf):] {
		s, err := c.skip(id)
		if err != nil {
			return nil, err
		}
		rest = append(rest, s)
	}
	return func(d *scale.Decoder, v reflect.Value) error {
		for i, fn := range decs {
			if err := fn(d, v.Field(gf[i].index)); err != nil {
				return err
			}
		}
		for _, s := range rest {
			if err := s(d); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// byteLike reports whether registry type id is u8 (possibly via newtypes) or Compact<u8>.
func (c *Codec) byteLike(id metadata.TypeID) (plain, compact bool) {
	t := c.reg.Resolve(id)
	if t.Kind == metadata.KindPrimitive && t.Prim == metadata.PrimU8 {
		return true, false
	}
	if t.Kind == metadata.KindCompact {
		in := c.reg.Resolve(t.Elem)
		if in.Kind == metadata.KindPrimitive && in.Prim == metadata.PrimU8 {
			return false, true
		}
	}
	return false, false
}

func (c *Codec) buildSequence(t *metadata.Type, rt reflect.Type) (decodeFn, error) {
	plain, compact := c.byteLike(t.Elem)
	isBytes := rt.Kind() == reflect.String || (rt.Kind() == reflect.Slice && rt.Elem().Kind() == reflect.Uint8)
	if isBytes && plain {
		return func(d *scale.Decoder, v reflect.Value) error {
			b, err := d.ByteVec()
			if err != nil {
				return err
			}
			if rt.Kind() == reflect.String {
				v.SetString(string(b))
			} else {
				v.SetBytes(append([]byte(nil), b...))
			}
			return nil
		}, nil
	}
	if isBytes && compact {
		return func(d *scale.Decoder, v reflect.Value) error {
			n, err := d.Length(1)
			if err != nil {
				return err
			}
			b := make([]byte, n)
			for i := range b {
				x, err := d.Compact()
				if err != nil {
					return err
				}
				if x > 255 {
					return fmt.Errorf("%w: compact u8 %d", scale.ErrInvalid, x)
				}
				b[i] = byte(x)
			}
			if rt.Kind() == reflect.String {
				v.SetString(string(b))
			} else {
				v.SetBytes(b)
			}
			return nil
		}, nil
	}
	if rt.Kind() != reflect.Slice {
		return nil, c.mismatch(t, rt)
	}
	if fast := c.fastSlice(t, rt); fast != nil {
		return fast, nil
	}
	elem, err := c.plan(t.Elem, rt.Elem())
	if err != nil {
		return nil, err
	}
	minSize := c.minSize(t.Elem, 0)
	return func(d *scale.Decoder, v reflect.Value) error {
		n, err := d.Length(minSize)
		if err != nil {
			return err
		}
		s := reflect.MakeSlice(rt, n, n)
		for i := 0; i < n; i++ {
			if err := elem(d, s.Index(i)); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		v.Set(s)
		return nil
	}, nil
}

func (c *Codec) buildArray(t *metadata.Type, rt reflect.Type) (decodeFn, error) {
	n := int(t.Len)
	plain, _ := c.byteLike(t.Elem)
	if plain && rt.Kind() == reflect.Array && rt.Elem().Kind() == reflect.Uint8 && rt.Len() == n {
		return func(d *scale.Decoder, v reflect.Value) error {
			b, err := d.Bytes(n)
			if err != nil {
				return err
			}
			reflect.Copy(v, reflect.ValueOf(b))
			return nil
		}, nil
	}
	switch {
	case rt.Kind() == reflect.Array && rt.Len() == n:
	case rt.Kind() == reflect.Slice:
	default:
		return nil, c.mismatch(t, rt)
	}
	elem, err := c.plan(t.Elem, rt.Elem())
	if err != nil {
		return nil, err
	}
	return func(d *scale.Decoder, v reflect.Value) error {
		if v.Kind() == reflect.Slice {
			if n > d.Remaining()+scale.MaxZeroSizedLen {
				return scale.ErrShort
			}
			v.Set(reflect.MakeSlice(rt, n, n))
		}
		for i := 0; i < n; i++ {
			if err := elem(d, v.Index(i)); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

func setUint(v reflect.Value, x uint64, t *metadata.Type) error {
	if v.OverflowUint(x) {
		return fmt.Errorf("%w: %s value %d overflows Go %s", scale.ErrInvalid, t.Name(), x, v.Type())
	}
	v.SetUint(x)
	return nil
}

func (c *Codec) buildPrimitive(t *metadata.Type, rt reflect.Type) (decodeFn, error) {
	k := rt.Kind()
	switch t.Prim {
	case metadata.PrimBool:
		if k == reflect.Bool {
			return func(d *scale.Decoder, v reflect.Value) error {
				b, err := d.Bool()
				v.SetBool(b)
				return err
			}, nil
		}
	case metadata.PrimStr:
		if k == reflect.String {
			return func(d *scale.Decoder, v reflect.Value) error {
				s, err := d.String()
				v.SetString(s)
				return err
			}, nil
		}
	case metadata.PrimU8, metadata.PrimU16, metadata.PrimU32, metadata.PrimU64:
		size := t.Prim.Size()
		if isUint(k) && int(rt.Size()) >= size {
			return func(d *scale.Decoder, v reflect.Value) error {
				b, err := d.Bytes(size)
				if err != nil {
					return err
				}
				var x uint64
				for i := size - 1; i >= 0; i-- {
					x = x<<8 | uint64(b[i])
				}
				v.SetUint(x)
				return nil
			}, nil
		}
	case metadata.PrimI8, metadata.PrimI16, metadata.PrimI32, metadata.PrimI64:
		size := t.Prim.Size()
		if isInt(k) && int(rt.Size()) >= size {
			return func(d *scale.Decoder, v reflect.Value) error {
				b, err := d.Bytes(size)
				if err != nil {
					return err
				}
				var x uint64
				for i := size - 1; i >= 0; i-- {
					x = x<<8 | uint64(b[i])
				}
				shift := 64 - 8*size
				v.SetInt(int64(x<<shift) >> shift)
				return nil
			}, nil
		}
	case metadata.PrimU128, metadata.PrimI128:
		if rt == u128Type {
			return func(d *scale.Decoder, v reflect.Value) error {
				x, err := d.U128()
				v.Set(reflect.ValueOf(x))
				return err
			}, nil
		}
		if k == reflect.Array && rt.Len() == 16 && rt.Elem().Kind() == reflect.Uint8 {
			return func(d *scale.Decoder, v reflect.Value) error {
				b, err := d.Bytes(16)
				if err == nil {
					reflect.Copy(v, reflect.ValueOf(b))
				}
				return err
			}, nil
		}
	case metadata.PrimU256, metadata.PrimI256:
		if k == reflect.Array && rt.Len() == 32 && rt.Elem().Kind() == reflect.Uint8 {
			return func(d *scale.Decoder, v reflect.Value) error {
				b, err := d.Bytes(32)
				if err == nil {
					reflect.Copy(v, reflect.ValueOf(b))
				}
				return err
			}, nil
		}
	}
	return nil, c.mismatch(t, rt)
}

func (c *Codec) buildCompact(t *metadata.Type, rt reflect.Type) (decodeFn, error) {
	in := c.reg.Resolve(t.Elem)
	if in.Kind == metadata.KindTuple && len(in.Tuple) == 0 { // Compact<()>
		return func(*scale.Decoder, reflect.Value) error { return nil }, nil
	}
	if in.Kind != metadata.KindPrimitive {
		return nil, c.mismatch(t, rt)
	}
	switch {
	case rt == u128Type:
		return func(d *scale.Decoder, v reflect.Value) error {
			x, err := d.CompactU128()
			v.Set(reflect.ValueOf(x))
			return err
		}, nil
	case isUint(rt.Kind()):
		if in.Prim > metadata.PrimU64 || in.Prim < metadata.PrimU8 {
			if in.Prim != metadata.PrimU128 {
				return nil, c.mismatch(t, rt)
			}
		}
		return func(d *scale.Decoder, v reflect.Value) error {
			x, err := d.Compact()
			if err != nil {
				return err
			}
			return setUint(v, x, in)
		}, nil
	}
	return nil, c.mismatch(t, rt)
}

// fastSlice decodes Vec<Compact<uN>>, Vec<uN> and Vec<bool> into unnamed-element Go slices without a
// reflect call per element (the per-uid vectors of a metagraph are tens of thousands of such values).
func (c *Codec) fastSlice(t *metadata.Type, rt reflect.Type) decodeFn {
	ek := rt.Elem().Kind()
	if rt.Elem().PkgPath() != "" || !(isUint(ek) || ek == reflect.Bool) {
		return nil
	}
	et := c.reg.Resolve(t.Elem)
	compact := false
	var prim metadata.Primitive
	switch et.Kind {
	case metadata.KindCompact:
		in := c.reg.Resolve(et.Elem)
		if in.Kind != metadata.KindPrimitive || in.Prim < metadata.PrimU8 || in.Prim > metadata.PrimU64 {
			return nil
		}
		compact, prim = true, in.Prim
	case metadata.KindPrimitive:
		prim = et.Prim
		if prim != metadata.PrimBool && (prim < metadata.PrimU8 || prim > metadata.PrimU64) {
			return nil
		}
	default:
		return nil
	}
	if (prim == metadata.PrimBool) != (ek == reflect.Bool) {
		return nil
	}
	size := prim.Size()
	if !compact && int(rt.Elem().Size()) < size {
		return nil
	}
	bitsWide := int(rt.Elem().Size()) * 8
	minSize := size
	if compact {
		minSize = 1
	}
	read := func(d *scale.Decoder) (uint64, error) {
		if compact {
			x, err := d.Compact()
			if err == nil && bitsWide < 64 && x>>bitsWide != 0 {
				return 0, fmt.Errorf("%w: compact %d overflows Go %s", scale.ErrInvalid, x, rt.Elem())
			}
			return x, err
		}
		b, err := d.Bytes(size)
		if err != nil {
			return 0, err
		}
		var x uint64
		for i := size - 1; i >= 0; i-- {
			x = x<<8 | uint64(b[i])
		}
		return x, nil
	}
	return func(d *scale.Decoder, v reflect.Value) error {
		n, err := d.Length(minSize)
		if err != nil {
			return err
		}
		sl := reflect.MakeSlice(rt, n, n)
		switch s := sl.Interface().(type) {
		case []bool:
			for i := range s {
				if s[i], err = d.Bool(); err != nil {
					return err
				}
			}
		case []uint8:
			for i := range s {
				x, err := read(d)
				if err != nil {
					return err
				}
				s[i] = uint8(x)
			}
		case []uint16:
			for i := range s {
				x, err := read(d)
				if err != nil {
					return err
				}
				s[i] = uint16(x)
			}
		case []uint32:
			for i := range s {
				x, err := read(d)
				if err != nil {
					return err
				}
				s[i] = uint32(x)
			}
		case []uint64:
			for i := range s {
				if s[i], err = read(d); err != nil {
					return err
				}
			}
		default:
			for i := 0; i < n; i++ {
				x, err := read(d)
				if err != nil {
					return err
				}
				sl.Index(i).SetUint(x)
			}
		}
		v.Set(sl)
		return nil
	}
}
