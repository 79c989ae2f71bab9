package kv

import (
	"bytes"
	"encoding/binary"
	"slices"

	"golang.org/x/crypto/blake2b"
)

// StateHasher keeps a commitment to a store that is cheap to update after a block: the keys are grouped
// in buckets (BucketOf), each bucket's hash is BLAKE2b-256 over its entries in key order (as Hash does),
// and the root is BLAKE2b-256 over the non-empty buckets' (name, hash) pairs in name order. The root
// depends only on the store's content, never on the order writes happened in, so an incremental Update
// and a Full recomputation always agree.
type StateHasher struct {
	buckets map[string][32]byte
	root    [32]byte
	ready   bool
}

// BucketOf is the bucket of a key: everything up to and including the first '/', plus the next two bytes
// (for the runtime's layout: the storage item and the netuid, or the first two bytes of an account).
// A key without '/' is its own bucket.
func BucketOf(key []byte) []byte {
	i := bytes.IndexByte(key, '/')
	if i < 0 {
		return key
	}
	return key[:min(len(key), i+3)]
}

// NewStateHasher returns a hasher with nothing computed yet.
func NewStateHasher() *StateHasher { return &StateHasher{buckets: map[string][32]byte{}} }

// Ready reports whether Full has run (Update needs a base to update).
func (h *StateHasher) Ready() bool { return h.ready }

// Root is the last computed root.
func (h *StateHasher) Root() [32]byte { return h.root }

// Full recomputes every bucket of s.
func (h *StateHasher) Full(s Store) [32]byte {
	clear(h.buckets)
	var names []string
	s.Iterate(nil, nil, func(k, _ []byte) bool {
		b := string(BucketOf(k))
		if n := len(names); n == 0 || names[n-1] != b {
			names = append(names, b)
		}
		return true
	})
	for _, b := range slices.Compact(names) {
		h.rehash(s, b)
	}
	h.ready = true
	return h.finish()
}

// Update recomputes the buckets of the changed keys (taken from s, the store after the changes).
func (h *StateHasher) Update(s Store, changed []string) [32]byte {
	if !h.ready {
		return h.Full(s)
	}
	var dirty []string
	for _, k := range changed {
		dirty = append(dirty, string(BucketOf([]byte(k))))
	}
	slices.Sort(dirty)
	for _, b := range slices.Compact(dirty) {
		h.rehash(s, b)
	}
	return h.finish()
}

func (h *StateHasher) rehash(s Store, bucket string) {
	hh, _ := blake2b.New256(nil)
	var n [4]byte
	empty := true
	prefix := []byte(bucket)
	s.Iterate(prefix, PrefixEnd(prefix), func(k, v []byte) bool {
		if string(BucketOf(k)) != bucket {
			return true // a longer bucket sharing the prefix (keys without '/')
		}
		empty = false
		binary.LittleEndian.PutUint32(n[:], uint32(len(k)))
		hh.Write(n[:])
		hh.Write(k)
		binary.LittleEndian.PutUint32(n[:], uint32(len(v)))
		hh.Write(n[:])
		hh.Write(v)
		return true
	})
	if empty {
		delete(h.buckets, bucket)
		return
	}
	var out [32]byte
	hh.Sum(out[:0])
	h.buckets[bucket] = out
}

func (h *StateHasher) finish() [32]byte {
	names := make([]string, 0, len(h.buckets))
	for b := range h.buckets {
		names = append(names, b)
	}
	slices.Sort(names)
	hh, _ := blake2b.New256(nil)
	hh.Write([]byte("gotensor-state-v1"))
	var n [4]byte
	for _, b := range names {
		binary.LittleEndian.PutUint32(n[:], uint32(len(b)))
		hh.Write(n[:])
		hh.Write([]byte(b))
		v := h.buckets[b]
		hh.Write(v[:])
	}
	hh.Sum(h.root[:0])
	return h.root
}
