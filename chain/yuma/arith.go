package yuma

import "math/bits"

// This file holds the engine's own I32F32 arithmetic on raw int64 values (value = raw / 2^32), with exactly
// substrate-fixed 0.6.0 semantics (spec/yuma.md §1). The engine's hot loops work on raw values in flat
// slices, so these helpers are plain functions the compiler can inline; chain/fixed holds the general
// types. Tests check these helpers against chain/fixed.

const (
	rFrac   = 32
	rOne    = int64(1) << rFrac // I32F32 1.0
	rHalf   = int64(1) << (rFrac - 1)
	rMax    = int64(^uint64(0) >> 1)
	rMin    = -rMax - 1
	rU16Max = 65535
)

// rMulSat is I32F32 saturating_mul: the exact product shifted right by 32 (floored toward −∞), clamped to
// MAX when the operands' signs agree and to MIN otherwise.
func rMulSat(a, b int64) int64 {
	r, ok := rMulChecked(a, b)
	if ok {
		return r
	}
	if (a < 0) == (b < 0) {
		return rMax
	}
	return rMin
}

// rMulChecked is I32F32 checked_mul: ok = false when the floored product does not fit.
func rMulChecked(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	h := int64(hi)
	if a < 0 {
		h -= b
	}
	if b < 0 {
		h -= a
	}
	r := int64(uint64(h)<<32 | lo>>32)
	if h>>31 != r>>63 {
		return 0, false
	}
	return r, true
}

// rMulNonNeg multiplies two non-negative raw values whose product fits (the proportions of the epoch);
// it is rMulSat without the sign handling.
func rMulNonNeg(a, b int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= 1<<31 {
		return rMax
	}
	return int64(hi<<32 | lo>>32)
}

// rDivChecked is I32F32 checked_div: trunc((a << 32) / b); ok = false on a zero divisor or overflow.
func rDivChecked(a, b int64) (int64, bool) {
	if b == 0 {
		return 0, false
	}
	ua, ub := rAbs(a), rAbs(b)
	hi, lo := ua>>32, ua<<32
	if hi >= ub {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, ub)
	if (a < 0) != (b < 0) {
		if q > 1<<63 {
			return 0, false
		}
		return int64(-q), true
	}
	if q > 1<<63-1 {
		return 0, false
	}
	return int64(q), true
}

// rDivSafe is subtensor's safe_div: checked_div or 0 (on a zero divisor and on overflow).
func rDivSafe(a, b int64) int64 {
	r, _ := rDivChecked(a, b)
	return r
}

// rDivSat is I32F32 saturating_div for a non-zero divisor.
func rDivSat(a, b int64) int64 {
	r, ok := rDivChecked(a, b)
	if ok {
		return r
	}
	if (a < 0) == (b < 0) {
		return rMax
	}
	return rMin
}

// rDivNonNeg is rDivSafe for 0 ≤ a and 0 < b.
func rDivNonNeg(a, b int64) int64 {
	ua, ub := uint64(a), uint64(b)
	hi := ua >> 32
	if hi >= ub {
		return 0
	}
	q, _ := bits.Div64(hi, ua<<32, ub)
	if q > 1<<63-1 {
		return 0
	}
	return int64(q)
}

func rAbs(a int64) uint64 {
	if a < 0 {
		return uint64(-a)
	}
	return uint64(a)
}

func rAddSat(a, b int64) int64 {
	s := a + b
	if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) {
		if a >= 0 {
			return rMax
		}
		return rMin
	}
	return s
}

func rSubSat(a, b int64) int64 {
	s := a - b
	if (a >= 0) != (b >= 0) && (s >= 0) != (a >= 0) {
		if a >= 0 {
			return rMax
		}
		return rMin
	}
	return s
}

func rClamp(x, lo, hi int64) int64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// rToU16 is fixed_proportion_to_u16: floor(saturating_mul(x, 65535)) clamped to [0, 65535].
func rToU16(x int64) uint16 {
	if uint64(x) <= uint64(rOne) {
		return uint16((x * rU16Max) >> rFrac) // exact product, no saturation possible
	}
	return rToU16Slow(x)
}

func rToU16Slow(x int64) uint16 {
	p := rMulSat(x, rU16Max<<rFrac) >> rFrac
	if p < 0 {
		return 0
	}
	if p > rU16Max {
		return rU16Max
	}
	return uint16(p)
}

// rU16Proportion is u16_proportion_to_fixed(v) = safe_div(v, 65535).
func rU16Proportion(v uint16) int64 {
	return int64(v) << rFrac / rU16Max
}

// rRao converts a proportion to rao: floor(raw × rao / 2^32) through I96F32, saturating to u64.
func rRao(x int64, rao uint64) uint64 {
	if x <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(x), rao)
	if hi >= 1<<32 {
		return ^uint64(0)
	}
	return hi<<32 | lo>>32
}

// rNormalize is inplace_normalize: x_i = safe_div(x_i, Σx) unless Σx = 0 (the sum wraps like the chain's
// release build; it never overflows in the epoch's ranges).
func rNormalize(x []int64) {
	var s int64
	for _, v := range x {
		s += v
	}
	if s == 0 {
		return
	}
	for i, v := range x {
		x[i] = rDivSafe(v, s)
	}
}

func rSum(x []int64) int64 {
	var s int64
	for _, v := range x {
		s += v
	}
	return s
}

// rEmaAlpha is 1 − I32F32(I64F64(bma) / I64F64(1 000 000)), the fixed EMA coefficient of classic Yuma and of
// Yuma3 without liquid alpha (spec/yuma.md §3.10a.3). The I64F64 quotient truncates, the conversion floors;
// floor(floor(x)/2^32) = floor(x/2^32), so the I32F32 value is floor(bma·2^32/1e6) saturated to I32F32.
func rEmaAlpha(bma uint64) int64 {
	b := bma
	if b > 1<<63-1 { // I64F64::saturating_from_num(u64) clamps at the I64F64 integer maximum
		b = 1<<63 - 1
	}
	hi, lo := bits.Mul64(b, 1<<32)
	var m int64
	if hi >= 1000000 {
		m = rMax
	} else {
		q, _ := bits.Div64(hi, lo, 1000000)
		if q > uint64(rMax) {
			m = rMax
		} else {
			m = int64(q)
		}
	}
	return rSubSat(rOne, m)
}

// rExp is substrate_fixed::transcendental::exp for I32F32 (spec/yuma.md §1): the 31-term Taylor series
// with checked arithmetic, the I9F23 constant for x = 1, and the reciprocal for negative x. The series stops
// once a term reaches zero, which is exact: every later term is then zero too.
func rExp(x int64) (int64, bool) {
	if x == 0 {
		return rOne, true
	}
	if x == rOne {
		return 22802600 << 9, true
	}
	y := x
	if y < 0 {
		if y == rMin {
			return 0, false
		}
		y = -y
	}
	r, ok := rExpSeries(uint64(y))
	if !ok {
		return 0, false
	}
	if x < 0 {
		return rDivChecked(rOne, r)
	}
	return r, true
}

// rExpSafe is subtensor's exp_safe: clamp to [−20, 20], then exp; on error 0 for x ≤ 0, else MAX.
func rExpSafe(x int64) int64 {
	const lim = 20 << rFrac
	if x < -lim {
		x = -lim
	} else if x > lim {
		x = lim
	}
	r, ok := rExp(x)
	if !ok {
		if x <= 0 {
			return 0
		}
		return rMax
	}
	return r
}

// rExpTerm multiplies the term t by y (both non-negative) with checked_mul semantics.
func rExpTerm(t, y uint64) (uint64, bool) {
	hi, lo := bits.Mul64(t, y)
	if hi >= 1<<31 {
		return 0, false
	}
	return hi<<32 | lo>>32, true
}

// rExpSeries computes 1 + y + Σ_{i=2..31} term_i for y > 0 (raw), term_i = trunc(floor(term_{i-1}·y)/i).
// checked_div(term, i) on I32F32 is trunc((term·2^32)/(i·2^32)) = trunc(term/i); the divisions by the
// constants 2..31 are written out so that the compiler turns them into multiplications.
func rExpSeries(y uint64) (int64, bool) {
	r := uint64(rOne) + y
	if r > uint64(rMax) {
		return 0, false
	}
	t := y
	var ok bool
	add := func(v uint64) bool {
		r += v
		return r <= uint64(rMax)
	}
	// Each step: t = checked_mul(t, y); t = t / i; r += t. Stop at the first zero term.
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 2; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 3; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 4; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 5; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 6; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 7; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 8; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 9; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 10; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 11; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 12; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 13; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 14; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 15; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 16; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 17; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 18; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 19; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 20; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 21; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 22; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 23; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 24; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 25; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 26; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 27; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 28; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 29; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 30; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	if t, ok = rExpTerm(t, y); !ok {
		return 0, false
	}
	if t /= 31; t == 0 {
		return int64(r), true
	} else if !add(t) {
		return 0, false
	}
	return int64(r), true
}

// rAlphaSigmoid is subtensor's alpha_sigmoid (spec/yuma.md §4.3) on raw values; steepDiv is
// saturating_div(steepness, −100), precomputed.
func rAlphaSigmoid(c, w, b, lo, hi, steepDiv int64) int64 {
	return rSigmoidFinish(rExpSafe(rSigmoidArg(c, w, b, steepDiv)), lo, hi)
}

// rSigmoidArg is the exponent of alpha_sigmoid: steepDiv·(d − ½).
func rSigmoidArg(c, w, b, steepDiv int64) int64 {
	var d int64
	if w >= b {
		d = rClamp(rSubSat(w, c), 0, rOne)
	} else {
		d = rClamp(rSubSat(b, w), 0, rOne)
	}
	return rMulSat(steepDiv, d-rHalf)
}

// rSigmoidFinish turns e = exp_safe(x) into the clamped alpha.
func rSigmoidFinish(e, lo, hi int64) int64 {
	sig := rDivSat(rOne, rAddSat(rOne, e))
	a := rAddSat(lo, rMulSat(sig, rSubSat(hi, lo)))
	if a > hi {
		a = hi
	}
	if a < lo {
		a = lo
	}
	return a
}

// colDiv divides the entries of each column by that column's divisor d_j ≥ 0 (a column sum or maximum),
// exactly as rDivNonNeg does, mostly without a hardware division: for x ≤ d_j with x < 2^32 the quotient
// ⌊x·2^32/d_j⌋ comes from the column's reciprocal; for whole-number x and d_j (classic bonds read as
// integers) from the reciprocal of d_j/2^32; otherwise from rDivNonNeg.
type colDiv struct {
	e  []colDivEntry
	ri []uint64 // ⌊(2^64−1)/(d_j/2^32)⌋ where d_j is a whole number, else 0
}

type colDivEntry struct {
	d int64
	r uint64 // ⌊(2^64−1)/d_j⌋ for d_j > 0
}

func newColDiv(tm *team, d []int64) colDiv {
	c := colDiv{e: make([]colDivEntry, len(d)), ri: make([]uint64, len(d))}
	// A hardware division per column: worth splitting across workers for wide subnets.
	tm.run(chunkBounds(len(d), maxWorkers(), func(int) int { return 8 }), func(_, lo, hi int) {
		for j := lo; j < hi; j++ {
			x := d[j]
			c.e[j].d = x
			if x > 0 {
				c.e[j].r = ^uint64(0) / uint64(x)
				if x&(1<<rFrac-1) == 0 {
					c.ri[j] = ^uint64(0) / uint64(x>>rFrac)
				}
			}
		}
	})
	return c
}

// div is rDivNonNeg(x, d_j) for x ≥ 0 and d_j > 0.
func (c colDiv) div(x int64, j uint16) int64 {
	if q, ok := c.fast(x, j); ok {
		return q
	}
	return c.divSlow(x, j)
}

// fast is div's reciprocal path (small enough to inline into the loops); ok = false sends the caller to
// divSlow.
func (c colDiv) fast(x int64, j uint16) (int64, bool) {
	e := &c.e[j]
	if uint64(x) >= 1<<rFrac || x > e.d {
		return 0, false
	}
	nn := uint64(x) << rFrac
	q, _ := bits.Mul64(nn, e.r)
	if nn-q*uint64(e.d) >= uint64(e.d) {
		q++
	}
	return int64(q), true
}

func (c colDiv) divSlow(x int64, j uint16) int64 {
	d, ri := c.e[j].d, c.ri[j]
	if x <= d && ri != 0 && x&(1<<rFrac-1) == 0 {
		return int64(divByRecip(uint64(x), uint64(d)>>rFrac, ri))
	}
	return rDivNonNeg(x, d)
}
