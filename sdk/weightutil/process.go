package weightutil

import (
	"fmt"
	"math"
	"slices"
)

// Limits are the chain values process_weights_for_netuid reads, passed in so that this package needs no
// client.
type Limits struct {
	// N is the subnet's neuron count (metagraph.n).
	N int
	// MinAllowedWeights is the MinAllowedWeights hyperparameter.
	MinAllowedWeights int
	// MaxWeightLimit is MaxWeightsLimit/65535, the largest share one uid may get.
	MaxWeightLimit float64
}

// ChainLimits builds Limits from the chain's raw values, as the SDK reads them (max_weight_limit is
// u16_normalized_float(MaxWeightsLimit)).
func ChainLimits(n int, minAllowedWeights, maxWeightsLimit uint16) Limits {
	return Limits{N: n, MinAllowedWeights: int(minAllowedWeights), MaxWeightLimit: U16NormalizedFloat(maxWeightsLimit)}
}

// ProcessWeights is process_weights_for_netuid (spec/sdk.md §5.3) with the chain values in lim. The
// weights are first rounded to float32, and entries ≤ 0 are treated as absent. Then:
//
//  1. no positive weight, or lim.N < MinAllowedWeights: every uid 0..N−1 with 1/N (float64);
//  2. fewer positive weights than MinAllowedWeights: every uid 0..N−1 with 1e-5, plus each positive
//     weight added at its index position (not its uid, as upstream), then NormalizeMaxWeight in float64;
//  3. otherwise: drop the weights below the exclude quantile (exclude/65535, at most the share that keeps
//     MinAllowedWeights entries; NumPy's linear quantile) and NormalizeMaxWeight the rest in float32.
//
// The weights returned sum to 1; float32 results are returned widened, so they pass exactly to
// ConvertWeightsAndUidsForEmit. Errors: lengths that differ, NaN or infinite weights, a positive weight
// at an index ≥ N in case 2, and N above 65536.
func ProcessWeights(uids []uint16, weights []float64, lim Limits, excludeQuantile uint16) ([]uint16, []float64, error) {
	if len(uids) != len(weights) {
		return nil, nil, fmt.Errorf("%w: %d uids and %d weights must have the same length", ErrInvalidWeights, len(uids), len(weights))
	}
	if err := checkFinite("weights", weights, true); err != nil {
		return nil, nil, err
	}
	if lim.N < 0 || lim.N > U16Max+1 {
		return nil, nil, fmt.Errorf("%w: neuron count %d out of range", ErrInvalidWeights, lim.N)
	}
	w32 := make([]float32, len(weights))
	var idx []int
	for i, w := range weights {
		w32[i] = float32(w)
		if w32[i] > 0 {
			idx = append(idx, i)
		}
	}
	n := lim.N
	arange := func() []uint16 {
		a := make([]uint16, n)
		for i := range a {
			a[i] = uint16(i)
		}
		return a
	}
	if len(idx) == 0 || n < lim.MinAllowedWeights {
		out := make([]float64, n)
		for i := range out {
			out[i] = 1 / float64(n)
		}
		return arange(), out, nil
	}
	if len(idx) < lim.MinAllowedWeights {
		w := make([]float64, n)
		for i := range w {
			w[i] = 1e-5
		}
		for _, i := range idx {
			if i >= n {
				return nil, nil, fmt.Errorf("%w: weight at index %d but the subnet has %d neurons", ErrInvalidWeights, i, n)
			}
			w[i] += float64(w32[i])
		}
		return arange(), NormalizeMaxWeight(w, lim.MaxWeightLimit), nil
	}
	nz := make([]float32, len(idx))
	for j, i := range idx {
		nz[j] = w32[i]
	}
	quantile := float64(excludeQuantile) / U16Max
	maxExclude := float64(max(0, len(nz)-lim.MinAllowedWeights)) / float64(len(nz))
	lowest := quantile32(nz, min(quantile, maxExclude))
	var keptUids []uint16
	var kept []float32
	for j, i := range idx {
		if lowest <= nz[j] {
			keptUids = append(keptUids, uids[i])
			kept = append(kept, nz[j])
		}
	}
	norm := NormalizeMaxWeight(kept, lim.MaxWeightLimit)
	out := make([]float64, len(norm))
	for i, v := range norm {
		out[i] = float64(v)
	}
	return keptUids, out, nil
}

// quantile32 is np.quantile(a, q) with the default linear method on a float32 array under NumPy 2, where
// the Python float q takes the array's dtype: the virtual index (n−1)·q, the fraction and the
// interpolation are all float32, and from a fraction of 0.5 up it interpolates down from the upper value.
func quantile32(a []float32, q float64) float32 {
	s := slices.Clone(a)
	slices.Sort(s)
	n := len(s)
	v := float32(float32(n-1) * float32(q))
	if v >= float32(n-1) {
		return s[n-1]
	}
	if v <= 0 {
		return s[0]
	}
	p := int(math.Floor(float64(v)))
	g := float32(float64(v) - float64(p))
	lo, hi := s[p], s[p+1]
	d := hi - lo
	if g >= 0.5 {
		return hi - float32(d*float32(1-g))
	}
	return lo + float32(d*g)
}
