package weightutil

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// WeightRow is convert_weight_uids_and_vals_to_tensor (spec/sdk.md §5.4): a float32 row of length n with
// row[uid] = val, divided by its sum when the sum is positive. A uid ≥ n is an error.
func WeightRow(n int, uids, vals []uint16) ([]float32, error) {
	if len(uids) != len(vals) {
		return nil, fmt.Errorf("%w: %d uids and %d values", ErrInvalidWeights, len(uids), len(vals))
	}
	row := make([]float32, n)
	for i, u := range uids {
		if int(u) >= n {
			return nil, fmt.Errorf("%w: uid %d outside a subnet of %d neurons", ErrInvalidWeights, u, n)
		}
		row[u] = float32(vals[i])
	}
	if s := pairwiseSum(row); s > 0 {
		divide(row, s)
	}
	return row, nil
}

// RootWeightRow is convert_root_weight_uids_and_vals_to_tensor: like WeightRow, but each uid is a netuid
// placed at its position in subnets; netuids not in subnets are skipped (upstream logs a warning).
func RootWeightRow(n int, uids, vals []uint16, subnets []uint16) ([]float32, error) {
	if len(uids) != len(vals) {
		return nil, fmt.Errorf("%w: %d uids and %d values", ErrInvalidWeights, len(uids), len(vals))
	}
	pos := make(map[uint16]int, len(subnets))
	for i := len(subnets) - 1; i >= 0; i-- { // first occurrence wins, as list.index
		pos[subnets[i]] = i
	}
	row := make([]float32, n)
	for i, u := range uids {
		p, ok := pos[u]
		if !ok {
			continue
		}
		if p >= n {
			return nil, fmt.Errorf("%w: subnet position %d outside a row of %d", ErrInvalidWeights, p, n)
		}
		row[p] = float32(vals[i])
	}
	if s := pairwiseSum(row); s > 0 {
		divide(row, s)
	}
	return row, nil
}

// BondRow is convert_bond_uids_and_vals_to_tensor: the raw bonds as an int64 row of length n.
func BondRow(n int, uids, bonds []uint16) ([]int64, error) {
	if len(uids) != len(bonds) {
		return nil, fmt.Errorf("%w: %d uids and %d bonds", ErrInvalidWeights, len(uids), len(bonds))
	}
	row := make([]int64, n)
	for i, u := range uids {
		if int(u) >= n {
			return nil, fmt.Errorf("%w: uid %d outside a subnet of %d neurons", ErrInvalidWeights, u, n)
		}
		row[u] = int64(bonds[i])
	}
	return row, nil
}

// U16NormalizedFloat is x/65535 in float64 (u16_normalized_float).
func U16NormalizedFloat(x uint16) float64 { return float64(x) / U16Max }

// FloatToU64 is the SDK's float_to_u64 (spec/sdk.md §5.6): x in [0, 1] goes through its shortest decimal
// form, is multiplied by 2^64−1 in Python's default decimal context (28 significant digits, half to even)
// and truncated.
func FloatToU64(x float64) (uint64, error) {
	if !(x >= 0 && x <= 1) {
		return 0, fmt.Errorf("%w: %v must be between 0 and 1", ErrInvalidWeights, x)
	}
	// x = digits × 10^exp exactly, from the shortest representation (Python's str(float)).
	s := strconv.FormatFloat(x, 'e', -1, 64)
	mant, expStr, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expStr)
	intPart, frac, _ := strings.Cut(mant, ".")
	digits, _ := new(big.Int).SetString(intPart+frac, 10)
	exp -= len(frac)
	p := digits.Mul(digits, new(big.Int).SetUint64(math.MaxUint64))
	// Round the product to 28 significant digits, half to even.
	ten := big.NewInt(10)
	if nd := len(p.String()); nd > 28 {
		k := nd - 28
		div := new(big.Int).Exp(ten, big.NewInt(int64(k)), nil)
		q, r := new(big.Int).QuoRem(p, div, new(big.Int))
		switch c := new(big.Int).Lsh(r, 1).Cmp(div); {
		case c > 0, c == 0 && q.Bit(0) == 1:
			q.Add(q, big.NewInt(1))
		}
		p, exp = q, exp+k
	}
	if exp >= 0 {
		p.Mul(p, new(big.Int).Exp(ten, big.NewInt(int64(exp)), nil))
	} else {
		p.Quo(p, new(big.Int).Exp(ten, big.NewInt(int64(-exp)), nil))
	}
	return p.Uint64(), nil
}

// VersionAsInt is the SDK's version_as_int rule, major·1_000_000 + minor·1_000 + patch, for a
// "major.minor.patch" string: "10.2.0" gives 10002000. It is the weights version_key the SDK sends.
func VersionAsInt(version string) (uint64, error) {
	parts := strings.Split(strings.TrimPrefix(version, "v"), ".")
	if len(parts) != 3 {
		return 0, fmt.Errorf("version %q: want major.minor.patch", version)
	}
	var n [3]uint64
	for i, p := range parts {
		v, err := strconv.ParseUint(p, 10, 32)
		if err != nil {
			return 0, fmt.Errorf("version %q: %q is not a number", version, p)
		}
		n[i] = v
	}
	return n[0]*1_000_000 + n[1]*1_000 + n[2], nil
}
