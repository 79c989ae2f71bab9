package yuma

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// rTopKStable is rTopK's reference: a stable ascending sort of the indices by value.
func rTopKStable(v []int64, k int) []bool {
	n := len(v)
	r := make([]bool, n)
	for i, x := range v {
		r[i] = x != 0
	}
	if n < k {
		return r
	}
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		switch {
		case v[a] < v[b]:
			return -1
		case v[a] > v[b]:
			return 1
		}
		return 0
	})
	for _, i := range idx[:n-k] {
		r[i] = false
	}
	return r
}

// TestTopKKeySortMatchesStable: the key-sort path of rTopK drops exactly the entries the stable sort does,
// ties included.
func TestTopKKeySortMatchesStable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for it := 0; it < 300; it++ {
		n := 1 + r.IntN(600)
		v := make([]int64, n)
		spread := []int64{3, 50, 1 << 32, 1<<47 - 1}[r.IntN(4)]
		for i := range v {
			v[i] = r.Int64N(spread)
		}
		for _, k := range []int{0, 1, n / 3, n - 1, n, n + 1, 64} {
			if k < 0 {
				continue
			}
			got, want := rTopK(v, k), rTopKStable(v, k)
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d k=%d: rTopK differs from the stable sort", n, k)
			}
		}
	}
}
