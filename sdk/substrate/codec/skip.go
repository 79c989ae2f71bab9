package codec

import (
	"fmt"

	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

// fixedSize returns the encoded size of type id when every value has the same size.
func (c *Codec) fixedSize(id metadata.TypeID, depth int) (int, bool) {
	if depth > 32 {
		return 0, false
	}
	t, err := c.reg.Type(id)
	if err != nil {
		return 0, false
	}
	switch t.Kind {
	case metadata.KindPrimitive:
		n := t.Prim.Size()
		return n, n > 0
	case metadata.KindComposite:
		total := 0
		for _, f := range t.Fields {
			n, ok := c.fixedSize(f.Type, depth+1)
			if !ok {
				return 0, false
			}
			total += n
		}
		return total, true
	case metadata.KindTuple:
		total := 0
		for _, e := range t.Tuple {
			n, ok := c.fixedSize(e, depth+1)
			if !ok {
				return 0, false
			}
			total += n
		}
		return total, true
	case metadata.KindArray:
		n, ok := c.fixedSize(t.Elem, depth+1)
		if !ok || int64(n)*int64(t.Len) > 1<<30 {
			return 0, false
		}
		return n * int(t.Len), true
	}
	return 0, false
}

// minSize is a lower bound on the encoded size of type id (used to bound sequence lengths).
func (c *Codec) minSize(id metadata.TypeID, depth int) int {
	if depth > 32 {
		return 0
	}
	t, err := c.reg.Type(id)
	if err != nil {
		return 0
	}
	switch t.Kind {
	case metadata.KindPrimitive:
		if t.Prim == metadata.PrimStr {
			return 1
		}
		return t.Prim.Size()
	case metadata.KindComposite:
		total := 0
		for _, f := range t.Fields {
			total += c.minSize(f.Type, depth+1)
		}
		return total
	case metadata.KindTuple:
		total := 0
		for _, e := range t.Tuple {
			total += c.minSize(e, depth+1)
		}
		return total
	case metadata.KindArray:
		n := c.minSize(t.Elem, depth+1)
		if int64(n)*int64(t.Len) > 1<<30 {
			return 1 << 30
		}
		return n * int(t.Len)
	case metadata.KindVariant, metadata.KindSequence, metadata.KindCompact, metadata.KindBitSequence:
		return 1
	}
	return 0
}

func (c *Codec) skip(id metadata.TypeID) (skipFn, error) {
	if p, ok := c.skips[id]; ok {
		return func(d *scale.Decoder) error { return (*p)(d) }, nil
	}
	p := new(skipFn)
	c.skips[id] = p
	fn, err := c.buildSkip(id)
	if err != nil {
		delete(c.skips, id)
		return nil, err
	}
	*p = fn
	return fn, nil
}

func (c *Codec) buildSkip(id metadata.TypeID) (skipFn, error) {
	if n, ok := c.fixedSize(id, 0); ok {
		return func(d *scale.Decoder) error { return d.Skip(n) }, nil
	}
	t, err := c.reg.Type(id)
	if err != nil {
		return nil, err
	}
	seq := func(ids []metadata.TypeID) (skipFn, error) {
		fns := make([]skipFn, len(ids))
		for i, e := range ids {
			if fns[i], err = c.skip(e); err != nil {
				return nil, err
			}
		}
		return func(d *scale.Decoder) error {
			for _, f := range fns {
				if err := f(d); err != nil {
					return err
				}
			}
			return nil
		}, nil
	}
	switch t.Kind {
	case metadata.KindComposite:
		ids := make([]metadata.TypeID, len(t.Fields))
		for i, f := range t.Fields {
			ids[i] = f.Type
		}
		return seq(ids)
	case metadata.KindTuple:
		return seq(t.Tuple)
	case metadata.KindVariant:
		byIndex := map[uint8]skipFn{}
		for _, v := range t.Variants {
			ids := make([]metadata.TypeID, len(v.Fields))
			for i, f := range v.Fields {
				ids[i] = f.Type
			}
			fn, err := seq(ids)
			if err != nil {
				return nil, err
			}
			byIndex[v.Index] = fn
		}
		return func(d *scale.Decoder) error {
			b, err := d.U8()
			if err != nil {
				return err
			}
			fn, ok := byIndex[b]
			if !ok {
				return fmt.Errorf("%w: %s has no variant %d", scale.ErrInvalid, t.Name(), b)
			}
			return fn(d)
		}, nil
	case metadata.KindSequence:
		if n, ok := c.fixedSize(t.Elem, 0); ok {
			return func(d *scale.Decoder) error {
				l, err := d.Length(n)
				if err != nil {
					return err
				}
				return d.Skip(l * n)
			}, nil
		}
		elem, err := c.skip(t.Elem)
		if err != nil {
			return nil, err
		}
		minSize := c.minSize(t.Elem, 0)
		return func(d *scale.Decoder) error {
			l, err := d.Length(minSize)
			if err != nil {
				return err
			}
			for i := 0; i < l; i++ {
				if err := elem(d); err != nil {
					return err
				}
			}
			return nil
		}, nil
	case metadata.KindArray:
		elem, err := c.skip(t.Elem)
		if err != nil {
			return nil, err
		}
		n := int(t.Len)
		return func(d *scale.Decoder) error {
			for i := 0; i < n; i++ {
				if err := elem(d); err != nil {
					return err
				}
			}
			return nil
		}, nil
	case metadata.KindPrimitive: // str
		return func(d *scale.Decoder) error {
			_, err := d.ByteVec()
			return err
		}, nil
	case metadata.KindCompact:
		in := c.reg.Resolve(t.Elem)
		if in.Kind == metadata.KindTuple && len(in.Tuple) == 0 {
			return func(*scale.Decoder) error { return nil }, nil
		}
		return func(d *scale.Decoder) error {
			_, err := d.CompactU128()
			return err
		}, nil
	case metadata.KindBitSequence:
		store := c.reg.Resolve(t.Elem)
		width := 1
		if store.Kind == metadata.KindPrimitive && store.Prim.Size() > 0 {
			width = store.Prim.Size()
		}
		return func(d *scale.Decoder) error {
			nbits, err := d.Compact()
			if err != nil {
				return err
			}
			words := (nbits + uint64(width*8) - 1) / uint64(width*8)
			if words > uint64(d.Remaining()/width) {
				return scale.ErrShort
			}
			return d.Skip(int(words) * width)
		}, nil
	}
	return nil, fmt.Errorf("%w: cannot skip type %d (%s)", ErrKind, id, t.Kind)
}
