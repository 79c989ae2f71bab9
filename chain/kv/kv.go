// Package kv is the ordered key-value store the runtime reads and writes through.
//
// Three pieces: the Store interface (ordered: Iterate visits keys in ascending byte order), MemStore (an
// in-memory Store) and Overlay (a Store layered over another that buffers its writes until Commit, or
// drops them on Discard). The runtime runs every transaction in an Overlay, so a failed call leaves
// nothing behind, and every block in another Overlay over the committed state.
//
// Nothing here depends on map iteration order: writes are applied and iterated in sorted key order.
package kv

import (
	"bytes"
	"slices"
	"strings"
)

// Store is an ordered key-value store. Values returned by Get and passed to Iterate callbacks must not be
// modified by the caller. Set copies key and value.
type Store interface {
	// Get returns the value at key and whether it exists.
	Get(key []byte) ([]byte, bool)
	// Set writes value at key (an empty value is a value, not a deletion).
	Set(key, value []byte)
	// Delete removes key; deleting a missing key is a no-op.
	Delete(key []byte)
	// Iterate calls fn for every key k with start <= k < end in ascending order, until fn returns false.
	// A nil end means no upper bound. fn must not write to the store being iterated.
	Iterate(start, end []byte, fn func(key, value []byte) bool)
}

// OwnedSetter is implemented by stores that can take a value without copying it: SetOwned(key, value) is
// Set(key, value) for a value the caller hands over (it must not modify or reuse it afterwards).
type OwnedSetter interface {
	SetOwned(key, value []byte)
}

// SetOwned writes value at key through s, without a copy where s implements OwnedSetter.
func SetOwned(s Store, key, value []byte) {
	if o, ok := s.(OwnedSetter); ok {
		o.SetOwned(key, value)
		return
	}
	s.Set(key, value)
}

// PrefixEnd returns the smallest key greater than every key with the given prefix (nil if none exists),
// so Iterate(prefix, PrefixEnd(prefix), fn) visits exactly the keys that start with prefix.
func PrefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// IteratePrefix visits the keys that start with prefix, in order.
func IteratePrefix(s Store, prefix []byte, fn func(key, value []byte) bool) {
	s.Iterate(prefix, PrefixEnd(prefix), fn)
}

// MemStore is an in-memory Store. The zero value is not usable; call NewMemStore.
// It is not safe for concurrent writes; concurrent reads are safe while nobody writes.
type MemStore struct {
	data   map[string][]byte
	sorted []string // keys in ascending order, valid when !dirty
	added  []string // keys inserted since the last sort
	dirty  bool     // a key was added or removed since the last sort
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{data: map[string][]byte{}} }

// Get implements Store.
func (m *MemStore) Get(key []byte) ([]byte, bool) {
	v, ok := m.data[string(key)]
	return v, ok
}

// Set implements Store.
func (m *MemStore) Set(key, value []byte) {
	k := string(key)
	if _, ok := m.data[k]; !ok {
		m.added = append(m.added, k)
		m.dirty = true
	}
	m.data[k] = bytes.Clone(nonNil(value))
}

// SetOwned implements OwnedSetter.
func (m *MemStore) SetOwned(key, value []byte) {
	k := string(key)
	if _, ok := m.data[k]; !ok {
		m.added = append(m.added, k)
		m.dirty = true
	}
	m.data[k] = nonNil(value)
}

// Delete implements Store.
func (m *MemStore) Delete(key []byte) {
	k := string(key)
	if _, ok := m.data[k]; ok {
		delete(m.data, k)
		m.dirty = true
	}
}

// Len is the number of keys.
func (m *MemStore) Len() int { return len(m.data) }

func (m *MemStore) sortKeys() {
	if !m.dirty {
		return
	}
	slices.Sort(m.added)
	merged := make([]string, 0, len(m.data))
	i, j := 0, 0
	for i < len(m.sorted) || j < len(m.added) {
		var k string
		if j >= len(m.added) || (i < len(m.sorted) && m.sorted[i] < m.added[j]) {
			k = m.sorted[i]
			i++
		} else {
			k = m.added[j]
			j++
		}
		if _, ok := m.data[k]; !ok {
			continue // deleted since
		}
		if n := len(merged); n > 0 && merged[n-1] == k {
			continue // re-added after a delete
		}
		merged = append(merged, k)
	}
	m.sorted, m.added, m.dirty = merged, nil, false
}

// Iterate implements Store.
func (m *MemStore) Iterate(start, end []byte, fn func(key, value []byte) bool) {
	m.sortKeys()
	keys := m.sorted
	i, _ := slices.BinarySearch(keys, string(start))
	for ; i < len(keys); i++ {
		k := keys[i]
		if end != nil && strings.Compare(k, string(end)) >= 0 {
			return
		}
		if !fn([]byte(k), m.data[k]) {
			return
		}
	}
}

// Clone returns an independent copy (values are shared, which is safe because stored values are never
// mutated in place).
func (m *MemStore) Clone() *MemStore {
	m.sortKeys()
	c := &MemStore{data: make(map[string][]byte, len(m.data)), sorted: slices.Clone(m.sorted)}
	for _, k := range m.sorted {
		c.data[k] = m.data[k]
	}
	return c
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
