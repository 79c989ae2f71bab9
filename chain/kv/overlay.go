package kv

import (
	"bytes"
	"slices"
)

// Overlay is a Store that reads through to a parent and buffers its own writes. Commit applies the
// buffered writes to the parent in ascending key order; Discard drops them. Overlays nest.
type Overlay struct {
	parent Store
	writes map[string][]byte // nil value = deleted
}

// NewOverlay returns an empty overlay over parent.
func NewOverlay(parent Store) *Overlay {
	return &Overlay{parent: parent, writes: map[string][]byte{}}
}

// Parent is the store the overlay writes to on Commit.
func (o *Overlay) Parent() Store { return o.parent }

// Get implements Store.
func (o *Overlay) Get(key []byte) ([]byte, bool) {
	if v, ok := o.writes[string(key)]; ok {
		return v, v != nil
	}
	return o.parent.Get(key)
}

// Set implements Store.
func (o *Overlay) Set(key, value []byte) { o.writes[string(key)] = bytes.Clone(nonNil(value)) }

// SetOwned implements OwnedSetter.
func (o *Overlay) SetOwned(key, value []byte) { o.writes[string(key)] = nonNil(value) }

// Reserve makes room for about n more writes, so a caller about to write many keys does not grow the
// map write by write. Only the capacity changes (the copy does not depend on the map's order).
func (o *Overlay) Reserve(n int) {
	if n <= 0 {
		return
	}
	m := make(map[string][]byte, len(o.writes)+n)
	for k, v := range o.writes {
		m[k] = v
	}
	o.writes = m
}

// Delete implements Store.
func (o *Overlay) Delete(key []byte) { o.writes[string(key)] = nil }

// Dirty reports whether the overlay holds any write.
func (o *Overlay) Dirty() bool { return len(o.writes) > 0 }

func (o *Overlay) sortedWrites() []string {
	keys := make([]string, 0, len(o.writes))
	for k := range o.writes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Iterate implements Store: a merge of the parent's keys and the overlay's writes, in ascending order.
func (o *Overlay) Iterate(start, end []byte, fn func(key, value []byte) bool) {
	var mine []string
	for k := range o.writes {
		if k >= string(start) && (end == nil || k < string(end)) {
			mine = append(mine, k)
		}
	}
	slices.Sort(mine)
	i := 0
	stopped := false
	emitMineBelow := func(limit string, bounded bool) bool {
		for i < len(mine) && (!bounded || mine[i] < limit) {
			k := mine[i]
			i++
			if v := o.writes[k]; v != nil {
				if !fn([]byte(k), v) {
					return false
				}
			}
		}
		return true
	}
	o.parent.Iterate(start, end, func(k, v []byte) bool {
		ks := string(k)
		if !emitMineBelow(ks, true) {
			stopped = true
			return false
		}
		if i < len(mine) && mine[i] == ks {
			return true // overridden by the overlay; emitted (or skipped as deleted) below
		}
		if !fn(k, v) {
			stopped = true
			return false
		}
		return true
	})
	if stopped {
		return
	}
	// Remaining overlay keys; a key equal to a parent key that was skipped above is handled here too.
	for i < len(mine) {
		k := mine[i]
		i++
		if v := o.writes[k]; v != nil {
			if !fn([]byte(k), v) {
				return
			}
		}
	}
}

// Commit writes the buffered writes to the parent in ascending key order and empties the overlay.
func (o *Overlay) Commit() {
	for _, k := range o.sortedWrites() {
		if v := o.writes[k]; v != nil {
			SetOwned(o.parent, []byte(k), v) // the overlay's own copy, dropped below
		} else {
			o.parent.Delete([]byte(k))
		}
	}
	clear(o.writes)
}

// Discard drops every buffered write.
func (o *Overlay) Discard() { clear(o.writes) }

// Writes returns the buffered keys in ascending order with their values (nil = delete).
func (o *Overlay) Writes() (keys []string, values [][]byte) {
	keys = o.sortedWrites()
	values = make([][]byte, len(keys))
	for i, k := range keys {
		values[i] = o.writes[k]
	}
	return keys, values
}

// Diff lists the keys whose presence or value differs between a and b, in ascending order.
func Diff(a, b Store) []string {
	var out []string
	type kvp struct{ k, v []byte }
	collect := func(s Store) []kvp {
		var all []kvp
		s.Iterate(nil, nil, func(k, v []byte) bool {
			all = append(all, kvp{bytes.Clone(k), v})
			return true
		})
		return all
	}
	x, y := collect(a), collect(b)
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case j >= len(y) || (i < len(x) && bytes.Compare(x[i].k, y[j].k) < 0):
			out = append(out, string(x[i].k))
			i++
		case i >= len(x) || bytes.Compare(x[i].k, y[j].k) > 0:
			out = append(out, string(y[j].k))
			j++
		default:
			if !bytes.Equal(x[i].v, y[j].v) {
				out = append(out, string(x[i].k))
			}
			i++
			j++
		}
	}
	return out
}
