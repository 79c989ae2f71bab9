package weightutil

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"
)

// TestNumpyDerived replays testdata/numpy_derived.json: upstream's normalize_max_weight and process_weights
// run under NumPy's NEP 50 promotion (NumPy 2's rule) on random inputs, compared bit for bit. These are
// derived vectors (testdata/gen_numpy.py), not upstream assertions.
func TestNumpyDerived(t *testing.T) {
	b, err := os.ReadFile("testdata/numpy_derived.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Normalize []struct {
			X     []float64 `json:"x"`
			Limit float64   `json:"limit"`
			Dtype string    `json:"dtype"`
			Out   []float64 `json:"out"`
		} `json:"normalize_max_weight"`
		Process []struct {
			Uids       []uint16  `json:"uids"`
			Weights    []float64 `json:"weights"`
			N          int       `json:"n"`
			MinAllowed int       `json:"min_allowed_weights"`
			MaxLimit   float64   `json:"max_weight_limit"`
			Exclude    uint16    `json:"exclude_quantile"`
			OutUids    []uint16  `json:"out_uids"`
			OutWeights []float64 `json:"out_weights"`
		} `json:"process_weights"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Normalize) == 0 || len(f.Process) == 0 {
		t.Fatal("no vectors")
	}
	for i, c := range f.Normalize {
		name := fmt.Sprintf("normalize_max_weight[%d] (%s, n=%d, limit=%v)", i, c.Dtype, len(c.X), c.Limit)
		if c.Dtype == "float32" {
			got := NormalizeMaxWeight(f32s(c.X), c.Limit)
			if !slices.Equal(widen(got), c.Out) {
				t.Errorf("%s:\n got  %v\n want %v", name, got, c.Out)
			}
		} else if got := NormalizeMaxWeight(slices.Clone(c.X), c.Limit); !slices.Equal(got, c.Out) {
			t.Errorf("%s:\n got  %v\n want %v", name, got, c.Out)
		}
	}
	for i, c := range f.Process {
		name := fmt.Sprintf("process_weights[%d] (n=%d, min=%d, limit=%v, exclude=%d)", i, c.N, c.MinAllowed, c.MaxLimit, c.Exclude)
		u, w, err := ProcessWeights(c.Uids, c.Weights, Limits{N: c.N, MinAllowedWeights: c.MinAllowed, MaxWeightLimit: c.MaxLimit}, c.Exclude)
		if err != nil || !slices.Equal(u, c.OutUids) || !slices.Equal(w, c.OutWeights) {
			t.Errorf("%s: %v\n got  %v %v\n want %v %v", name, err, u, w, c.OutUids, c.OutWeights)
		}
	}
}

func widen(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}
