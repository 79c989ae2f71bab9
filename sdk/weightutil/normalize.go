package weightutil

import (
	"math"
	"slices"
)

// Float is the element type of a weight vector: float32 follows NumPy's float32 arithmetic, float64 its
// float64 arithmetic.
type Float interface{ ~float32 | ~float64 }

// U16Max is the chain's full weight, 65535.
const U16Max = 65535

// normEpsilon is normalize_max_weight's epsilon (a Python float, so float32 for float32 input).
const normEpsilon = 1e-7

// NormalizeMaxWeight returns x scaled to sum 1 with no entry above limit where that is possible
// (normalize_max_weight, spec/sdk.md §5.1):
//
//   - an all-zero x, or len(x)·limit ≤ 1, gives the uniform vector 1/len(x);
//   - if no normalised entry exceeds limit, x/sum(x);
//   - otherwise the entries above a cutoff are clipped to it and the result is renormalised. With zeros
//     present the computed cutoff can be negative; then every entry, zeros included, becomes equal (the
//     upstream quirk, kept).
//
// The arithmetic is NumPy's for the element type: for float32, every array operation is float32, the
// Python constants (limit, 1e-7) are rounded to float32 (NumPy 2, NEP 50), the cutoff itself is float64,
// and sums are pairwise. x must be finite; it is not modified.
func NormalizeMaxWeight[F Float](x []F, limit float64) []F {
	n := len(x)
	weights := slices.Clone(x)
	if n == 0 {
		return weights
	}
	values := slices.Clone(x)
	slices.Sort(values)
	if pairwiseSum(x) == 0 || float64(n)*limit <= 1 {
		u := F(1) / F(n)
		for i := range weights {
			weights[i] = u
		}
		return weights
	}
	flimit, eps := F(limit), F(normEpsilon)
	vsum := pairwiseSum(values)
	est := make([]F, n)
	emax := F(math.Inf(-1))
	for i, v := range values {
		est[i] = v / vsum
		emax = max(emax, est[i])
	}
	if emax <= flimit {
		return divide(weights, pairwiseSum(weights))
	}
	cum := make([]F, n)
	var acc F
	for i, e := range est {
		acc += e
		cum[i] = acc
	}
	// n_values = count of est[i] / ((n−1−i)·est[i] + cum[i] + ε) < limit, each step rounded to F.
	nValues := 0
	for i, e := range est {
		tail := F(F(n-1-i) * e)
		den := F(F(tail+cum[i]) + eps)
		if F(e/den) < flimit {
			nValues++
		}
	}
	k := nValues - 1
	if k < 0 { // Python's cumsum[-1]
		k = n - 1
	}
	num := F(F(flimit*cum[k]) - eps)
	den := 1 - float64(limit*float64(n-nValues))
	cutoff := float64(num) / den * float64(vsum)
	fcut := F(cutoff)
	for i, w := range weights {
		if float64(w) > cutoff {
			weights[i] = fcut
		}
	}
	return divide(weights, pairwiseSum(weights))
}

func divide[F Float](x []F, d F) []F {
	for i := range x {
		x[i] /= d
	}
	return x
}

// pwBlock is NumPy's PW_BLOCKSIZE.
const pwBlock = 128

// pairwiseSum is NumPy's float reduction (pairwise_sum in loops_utils.h): a plain loop below 8 elements,
// eight interleaved accumulators up to 128, and recursive halving (at multiples of 8) above, every
// addition in F.
func pairwiseSum[F Float](a []F) F {
	n := len(a)
	switch {
	case n < 8:
		var res F
		for _, v := range a {
			res += v
		}
		return res
	case n <= pwBlock:
		var r [8]F
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range 8 {
				r[j] += a[i+j]
			}
		}
		res := F(F(r[0]+r[1])+F(r[2]+r[3])) + F(F(r[4]+r[5])+F(r[6]+r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return pairwiseSum(a[:n2]) + pairwiseSum(a[n2:])
	}
}
