package weightutil

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalidWeights is wrapped by every error about the input values of this package.
var ErrInvalidWeights = errors.New("invalid weights")

func checkFinite[F Float](what string, x []F, allowNegative bool) error {
	for i, v := range x {
		f := float64(v)
		switch {
		case math.IsNaN(f) || math.IsInf(f, 0):
			return fmt.Errorf("%w: %s[%d] is %v", ErrInvalidWeights, what, i, f)
		case f < 0 && !allowNegative:
			return fmt.Errorf("%w: %s[%d] = %v is negative and cannot exist on chain", ErrInvalidWeights, what, i, f)
		}
	}
	return nil
}

// ConvertWeightsAndUidsForEmit turns float weights into the u16 values set_weights sends
// (convert_weights_and_uids_for_emit, spec/sdk.md §5.2), on float64 values as NumPy's .tolist() gives:
//
//  1. weights must be non-negative and finite, and as many as uids;
//  2. all zero (or empty) gives nothing to send: (nil, nil, nil);
//  3. each weight is divided by the largest (max-upscale) and u16 = round(w·65535) with half to even,
//     as Python's round;
//  4. entries whose u16 is 0 are dropped with their uid; the input order is kept.
//
// The largest entry always maps to 65535.
func ConvertWeightsAndUidsForEmit(uids []uint16, weights []float64) (outUids, vals []uint16, err error) {
	if err := checkFinite("weights", weights, false); err != nil {
		return nil, nil, err
	}
	if len(uids) != len(weights) {
		return nil, nil, fmt.Errorf("%w: %d uids and %d weights must have the same length", ErrInvalidWeights, len(uids), len(weights))
	}
	var maxW float64
	for _, w := range weights {
		maxW = max(maxW, w)
	}
	if maxW == 0 {
		return nil, nil, nil
	}
	for i, w := range weights {
		u := math.RoundToEven(float64(w/maxW) * U16Max)
		if u != 0 {
			outUids = append(outUids, uids[i])
			vals = append(vals, uint16(u))
		}
	}
	return outUids, vals, nil
}

// ConvertWeightsAndUidsForEmit32 is ConvertWeightsAndUidsForEmit on float32 weights: the path
// convert_and_normalize_weights_and_uids takes for Python lists (which set_weights and reveal_weights
// use), where the weights are first made a float32 array. Float32 rounding can change a value: 1.5/65535
// gives 2 as float64 and 1 as float32.
func ConvertWeightsAndUidsForEmit32(uids []uint16, weights []float32) (outUids, vals []uint16, err error) {
	w64 := make([]float64, len(weights))
	for i, w := range weights {
		w64[i] = float64(w)
	}
	return ConvertWeightsAndUidsForEmit(uids, w64)
}

// ConvertMaybeSplitToU16 turns an emission split between mechanisms into u16 shares that sum to exactly
// 65535 (convert_maybe_split_to_u16, spec/sdk.md §5.6): normalise to sum 1, round each ×65535 half to
// even, then subtract the excess from the first largest entry. [1,1,1] gives [21845,21845,21845] and
// [0.5,0.5] gives [32767,32768].
func ConvertMaybeSplitToU16(split []float64) ([]uint16, error) {
	if len(split) == 0 {
		return nil, fmt.Errorf("%w: the split must be a non-empty list of numbers", ErrInvalidWeights)
	}
	if err := checkFinite("split", split, false); err != nil {
		return nil, err
	}
	var total float64
	for _, v := range split {
		total += v
	}
	if total <= 0 {
		return nil, fmt.Errorf("%w: the split must sum to a positive value", ErrInvalidWeights)
	}
	vals := make([]int64, len(split))
	var sum int64
	maxIdx := 0
	for i, v := range split {
		vals[i] = int64(math.RoundToEven(float64(v/total) * U16Max))
		sum += vals[i]
		if vals[i] > vals[maxIdx] {
			maxIdx = i
		}
	}
	vals[maxIdx] -= sum - U16Max
	out := make([]uint16, len(vals))
	for i, v := range vals {
		if v < 0 || v > U16Max {
			return nil, fmt.Errorf("%w: the split has too many parts to share 65535 (entry %d would be %d)", ErrInvalidWeights, i, v)
		}
		out[i] = uint16(v)
	}
	return out, nil
}
