package kv

import (
	"encoding/binary"

	"golang.org/x/crypto/blake2b"
)

// Hash is a deterministic commitment to the whole content of s: BLAKE2b-256 over every entry in ascending
// key order, each written as len(key) u32 LE ‖ key ‖ len(value) u32 LE ‖ value. Two stores hash equal iff
// they hold the same entries (up to hash collisions).
func Hash(s Store) [32]byte {
	h, _ := blake2b.New256(nil)
	var n [4]byte
	s.Iterate(nil, nil, func(k, v []byte) bool {
		binary.LittleEndian.PutUint32(n[:], uint32(len(k)))
		h.Write(n[:])
		h.Write(k)
		binary.LittleEndian.PutUint32(n[:], uint32(len(v)))
		h.Write(n[:])
		h.Write(v)
		return true
	})
	var out [32]byte
	h.Sum(out[:0])
	return out
}
