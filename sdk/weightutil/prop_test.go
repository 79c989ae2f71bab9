package weightutil

import (
	"errors"
	"math"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

func genWeights(t *rapid.T, label string) []float64 {
	// Zero, or normal float32 magnitudes (NumPy gives NaN too when float32 sums underflow).
	elem := rapid.OneOf(rapid.Float64Range(1e-20, 1), rapid.Float64Range(1e-20, 1e6), rapid.Just(0.0),
		rapid.Float64Range(1e-20, 1e-4), rapid.Just(1.0))
	return rapid.SliceOfN(elem, 1, 300).Draw(t, label)
}

func TestPropConvertForEmit(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWeights(t, "weights")
		uids := make([]uint16, len(w))
		for i := range uids {
			uids[i] = uint16(len(w) - i) // distinct, not sorted
		}
		for _, path := range []string{"float64", "float32"} {
			var u, v []uint16
			var err error
			if path == "float64" {
				u, v, err = ConvertWeightsAndUidsForEmit(uids, w)
			} else {
				u, v, err = ConvertWeightsAndUidsForEmit32(uids, f32s(w))
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(u) != len(v) || len(u) > len(w) {
				t.Fatalf("%s: %d uids, %d values from %d weights", path, len(u), len(v), len(w))
			}
			if slices.Max(w) == 0 || (path == "float32" && slices.Max(f32s(w)) == 0) {
				if len(u) != 0 {
					t.Fatalf("%s: all-zero weights must give nothing", path)
				}
				continue
			}
			if slices.Contains(v, 0) {
				t.Fatalf("%s: a zero value was kept: %v", path, v)
			}
			if slices.Max(v) != U16Max {
				t.Fatalf("%s: the largest weight must map to 65535, got %v", path, slices.Max(v))
			}
			// Order kept, zero weights dropped: u is a subsequence of uids over positive weights.
			j := 0
			for i := range uids {
				if j < len(u) && uids[i] == u[j] {
					if w[i] == 0 {
						t.Fatalf("%s: uid %d kept with weight 0", path, u[j])
					}
					j++
				}
			}
			if j != len(u) {
				t.Fatalf("%s: uids reordered: %v", path, u)
			}
		}
	})
}

func TestPropNormalizeMaxWeight(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := genWeights(t, "x")
		limit := rapid.OneOf(rapid.Float64Range(0.01, 1), rapid.SampledFrom([]float64{0.1, 0.2, 0.5, 1})).Draw(t, "limit")
		// Upstream's 1e-7 epsilon is absolute, so the limit holds only approximately for entries tiny
		// next to the largest (upstream returns the same); keep entries at 1e-3 of the max or above.
		top := slices.Max(x)
		for i, v := range x {
			if v < 1e-3*top {
				x[i] = 0
			}
		}
		// Clipping only lowers entries, so the limit is reachable when the positive entries can share 1.
		pos := 0
		for _, v := range x {
			if float32(v) > 0 {
				pos++
			}
		}
		n := float64(pos)
		check := func(name string, y []float64, tol float64) {
			if len(y) != len(x) {
				t.Fatalf("%s: length %d want %d", name, len(y), len(x))
			}
			var sum float64
			for _, v := range y {
				if v < 0 || math.IsNaN(v) {
					t.Fatalf("%s: entry %v", name, v)
				}
				sum += v
			}
			if math.Abs(sum-1) > tol {
				t.Fatalf("%s: sum %v", name, sum)
			}
			if n*limit > 1.001 {
				if m := slices.Max(y); m > limit+tol {
					t.Fatalf("%s: max %v above limit %v", name, m, limit)
				}
			}
		}
		check("float64", NormalizeMaxWeight(slices.Clone(x), limit), 1e-9)
		check("float32", widen(NormalizeMaxWeight(f32s(x), limit)), 1e-5)
	})
}

func TestPropProcessWeights(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWeights(t, "weights")
		n := rapid.IntRange(len(w), len(w)+20).Draw(t, "n")
		uids := make([]uint16, len(w))
		for i := range uids {
			uids[i] = uint16(i)
		}
		lim := Limits{N: n, MinAllowedWeights: rapid.IntRange(0, 40).Draw(t, "min"), MaxWeightLimit: rapid.Float64Range(0.05, 1).Draw(t, "limit")}
		ex := rapid.Uint16().Draw(t, "exclude")
		u, out, err := ProcessWeights(uids, w, lim, ex)
		if err != nil {
			t.Fatal(err)
		}
		if len(u) != len(out) || len(out) == 0 {
			t.Fatalf("%d uids, %d weights", len(u), len(out))
		}
		var sum float64
		for _, v := range out {
			sum += v
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Fatalf("weights sum to %v", sum)
		}
		nnz := 0
		for _, v := range w {
			if float32(v) > 0 {
				nnz++
			}
		}
		if nnz >= lim.MinAllowedWeights && nnz > 0 && n >= lim.MinAllowedWeights && len(u) < min(nnz, lim.MinAllowedWeights) {
			t.Fatalf("kept %d of %d weights, fewer than min allowed %d", len(u), nnz, lim.MinAllowedWeights)
		}
	})
}

func TestPropSplitSumsToU16Max(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		split := rapid.SliceOfN(rapid.Float64Range(0, 100), 1, 64).Draw(t, "split")
		got, err := ConvertMaybeSplitToU16(split)
		if slices.Max(split) == 0 {
			if !errors.Is(err, ErrInvalidWeights) {
				t.Fatalf("an all-zero split must fail, got %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		var sum int
		for _, v := range got {
			sum += int(v)
		}
		if sum != U16Max {
			t.Fatalf("split %v sums to %d", got, sum)
		}
	})
}

func TestFloatToU64(t *testing.T) {
	for x, want := range map[float64]uint64{0: 0, 1: math.MaxUint64, 0.5: 9223372036854775807, 0.1: 1844674407370955161,
		0.25: 4611686018427387903, 1e-20: 0, 0.123456789012345678: 2277375791072698160,
		0.3333333333333333: 6148914691236516590, 0.9999999999999999: 18446744073709549770} {
		if got, err := FloatToU64(x); err != nil || got != want {
			t.Errorf("FloatToU64(%v) = %d %v want %d", x, got, err, want)
		}
	}
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		if _, err := FloatToU64(bad); err == nil {
			t.Errorf("FloatToU64(%v) must fail", bad)
		}
	}
}

func TestErrorsAndHelpers(t *testing.T) {
	if _, _, err := ConvertWeightsAndUidsForEmit([]uint16{1}, []float64{-1}); !errors.Is(err, ErrInvalidWeights) {
		t.Errorf("negative weight: %v", err)
	}
	if _, _, err := ConvertWeightsAndUidsForEmit([]uint16{1, 2}, []float64{1}); !errors.Is(err, ErrInvalidWeights) {
		t.Errorf("length mismatch: %v", err)
	}
	if _, _, err := ConvertWeightsAndUidsForEmit([]uint16{1}, []float64{math.NaN()}); !errors.Is(err, ErrInvalidWeights) {
		t.Errorf("NaN: %v", err)
	}
	if u, v, err := ConvertWeightsAndUidsForEmit(nil, nil); err != nil || u != nil || v != nil {
		t.Errorf("empty input: %v %v %v", u, v, err)
	}
	if _, _, err := ProcessWeights([]uint16{0, 1}, []float64{1, 1}, Limits{N: 1, MinAllowedWeights: 3, MaxWeightLimit: 1}, 0); err != nil {
		t.Errorf("n below min allowed is the uniform branch, not an error: %v", err)
	}
	if _, _, err := ProcessWeights([]uint16{0, 1, 2}, []float64{0, 0, 1}, Limits{N: 2, MinAllowedWeights: 2, MaxWeightLimit: 1}, 0); !errors.Is(err, ErrInvalidWeights) {
		t.Errorf("a weight at an index beyond n must fail: %v", err)
	}
	if _, err := WeightRow(2, []uint16{5}, []uint16{1}); !errors.Is(err, ErrInvalidWeights) {
		t.Errorf("uid beyond n: %v", err)
	}
	row, err := RootWeightRow(3, []uint16{7, 9, 4}, []uint16{100, 300, 5}, []uint16{9, 7})
	if err != nil || !slices.Equal(row, []float32{0.75, 0.25, 0}) {
		t.Errorf("RootWeightRow = %v %v", row, err)
	}
	bonds, err := BondRow(3, []uint16{2, 0}, []uint16{7, 65535})
	if err != nil || !slices.Equal(bonds, []int64{65535, 0, 7}) {
		t.Errorf("BondRow = %v %v", bonds, err)
	}
	if got := ChainLimits(10, 3, 32767); got.MaxWeightLimit != 32767.0/65535 || got.MinAllowedWeights != 3 || got.N != 10 {
		t.Errorf("ChainLimits = %+v", got)
	}
	if NetuidIndex(1, 1) != 4097 || NetuidIndex(5, 0) != 5 {
		t.Error("NetuidIndex")
	}
	if _, err := VersionAsInt("10.2"); err == nil {
		t.Error("VersionAsInt must reject a two-part version")
	}
}
