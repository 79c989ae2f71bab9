package metadata

import (
	"encoding/binary"
	"fmt"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/crypto/blake2b"
)

// TwoxHash128 is xxhash64 with seeds 0 and 1, concatenated little-endian (Substrate's twox_128).
func TwoxHash128(b []byte) []byte { return appendTwox(make([]byte, 0, 16), b, 2) }

func appendTwox(out, b []byte, n int) []byte {
	for seed := 0; seed < n; seed++ {
		h := xxhash.NewWithSeed(uint64(seed))
		_, _ = h.Write(b)
		out = binary.LittleEndian.AppendUint64(out, h.Sum64())
	}
	return out
}

// Hash appends the hash of an encoded key under h (and, for the Concat hashers and Identity, the key).
func (h Hasher) Hash(dst, key []byte) []byte {
	switch h {
	case Blake2_128, Blake2_128Concat:
		x, _ := blake2b.New(16, nil)
		_, _ = x.Write(key)
		dst = x.Sum(dst)
		if h == Blake2_128Concat {
			dst = append(dst, key...)
		}
	case Blake2_256:
		s := blake2b.Sum256(key)
		dst = append(dst, s[:]...)
	case Twox128:
		dst = appendTwox(dst, key, 2)
	case Twox256:
		dst = appendTwox(dst, key, 4)
	case Twox64Concat:
		dst = appendTwox(dst, key, 1)
		dst = append(dst, key...)
	case Identity:
		dst = append(dst, key...)
	}
	return dst
}

// StoragePrefix returns twox128(pallet prefix) ‖ twox128(item): the key of a plain value, or the common
// prefix of every key of a map.
func (m *Metadata) StoragePrefix(pallet, item string) ([]byte, *StorageEntry, error) {
	p, e, err := m.Storage(pallet, item)
	if err != nil {
		return nil, nil, err
	}
	key := appendTwox(make([]byte, 0, 64), []byte(p.StoragePrefix), 2)
	key = appendTwox(key, []byte(e.Name), 2)
	return key, e, nil
}

// StorageKey builds the key of pallet.item for already SCALE-encoded map keys, one per hasher (fewer
// gives a prefix for iteration).
func (m *Metadata) StorageKey(pallet, item string, encodedKeys ...[]byte) ([]byte, *StorageEntry, error) {
	key, e, err := m.StoragePrefix(pallet, item)
	if err != nil {
		return nil, nil, err
	}
	if len(encodedKeys) > len(e.Hashers) {
		return nil, nil, fmt.Errorf("metadata: storage %s.%s takes %d keys, got %d", pallet, item, len(e.Hashers), len(encodedKeys))
	}
	for i, k := range encodedKeys {
		key = e.Hashers[i].Hash(key, k)
	}
	return key, e, nil
}

// KeyTypes returns the type of each map key of e (the key tuple's elements when there are several
// hashers).
func (m *Metadata) KeyTypes(e *StorageEntry) []TypeID {
	switch len(e.Hashers) {
	case 0:
		return nil
	case 1:
		return []TypeID{e.Key}
	}
	t, err := m.Types.Type(e.Key)
	if err != nil || t.Kind != KindTuple {
		return []TypeID{e.Key}
	}
	return t.Tuple
}
