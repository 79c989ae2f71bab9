package runtime

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestEncodeRowCV: the column/value encoder writes exactly encodeRow's bytes.
func TestEncodeRowCV(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, m := range []int{0, 1, 63, 64, 127, 128, 300, 4096, 20000} {
		cols, vals := make([]uint16, m), make([]uint16, m)
		row := make([]WeightEntry, m)
		for k := range cols {
			cols[k], vals[k] = uint16(r.Uint32()), uint16(r.Uint32())
			row[k] = WeightEntry{cols[k], vals[k]}
		}
		if !bytes.Equal(encodeRowCV(cols, vals), encodeRow(row)) {
			t.Fatalf("m=%d: encodings differ", m)
		}
	}
}
