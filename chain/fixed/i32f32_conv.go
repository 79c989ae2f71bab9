package fixed

import "math/bits"

// ToI64F64 converts exactly to I64F64.
func (a I32F32) ToI64F64() I64F64 { return I64F64{fromWide(i32ToWide(a), i64f64Signed, i64f64Frac)} }

// ToI96F32 converts exactly to I96F32.
func (a I32F32) ToI96F32() I96F32 { return I96F32{u128{uint64(a >> 63), uint64(a)}} }

// ToU96F32 converts to U96F32; negative values saturate to 0.
func (a I32F32) ToU96F32() U96F32 {
	if a < 0 {
		return U96F32{}
	}
	return U96F32{u128{0, uint64(a)}}
}

// ToU64F64 converts to U64F64; negative values saturate to 0.
func (a I32F32) ToU64F64() U64F64 { return U64F64{fromWide(i32ToWide(a), u64f64Signed, u64f64Frac)} }

// String returns the exact decimal value, e.g. "0.5", "-1.25", "0.00000000023283064365386962890625".
func (a I32F32) String() string { return formatWide(i32ToWide(a)) }

// ParseI32F32 parses a decimal string "[+-]int[.frac]" to the nearest I32F32, ties to even (as
// I32F32::from_num on the exact decimal value). Out-of-range values give ErrRange.
func ParseI32F32(s string) (I32F32, error) {
	r, err := parseFix(s, true, 32)
	if err != nil {
		return 0, err
	}
	w := toWide(r, true, 32)
	v := wideToI32(w)
	if i32ToWide(v) != w {
		return 0, ErrRange
	}
	return v, nil
}

// MustParseI32F32 is ParseI32F32 for constants and tests; it panics on error.
func MustParseI32F32(s string) I32F32 {
	v, err := ParseI32F32(s)
	if err != nil {
		panic(err.Error() + ": " + s)
	}
	return v
}

// U16ToFixed is subtensor's u16_to_fixed: v as an integer.
func U16ToFixed(v uint16) I32F32 { return I32F32(int64(v) << 32) }

// u16Max is 65535 as I32F32.
const u16Max I32F32 = 65535 << 32

// U16ProportionToFixed is subtensor's u16_proportion_to_fixed: safe_div(v, 65535).
func U16ProportionToFixed(v uint16) I32F32 { return I32F32((int64(v) << 32) / 65535) }

// FixedProportionToU16 is subtensor's fixed_proportion_to_u16: floor(saturating_mul(x, 65535)) clamped to
// [0, 65535]. So 0.5 gives 32767.
func FixedProportionToU16(x I32F32) uint16 { return x.SaturatingMul(u16Max).SaturatingToUint16() }

// FixedToFixedU16Proportion is subtensor's fixed_to_fixed_u16_proportion: safe_div(x, 65535).
func FixedToFixedU16Proportion(x I32F32) I32F32 { return x.SafeDiv(u16Max) }

// eI9F23 is substrate-fixed's transcendental::E, an I9F23 with raw 22802600, as I32F32.
const eI9F23 I32F32 = 22802600 << 9

// Exp is substrate_fixed::transcendental::exp::<I32F32, I32F32>, bit for bit: exp(0) = 1; exp(1) = e as
// I9F23 (2.7182817459…); otherwise, with y = |x|, result = 1 + y + Σ_{i=2}^{31} term_i where
// term_i = checked_div(checked_mul(term_{i−1}, y), i) and every step is checked; for x < 0 the result is
// checked_div(1, result). ok = false reports the Rust Err(()) (any overflow).
func (x I32F32) Exp() (I32F32, bool) {
	if x == 0 {
		return I32F32One, true
	}
	if x == I32F32One {
		return eI9F23, true
	}
	neg := x < 0
	y := x
	if neg {
		y = -x // wraps for MIN; the first checked_mul then fails, as in Rust
	}
	result, ok := y.CheckedAdd(I32F32One)
	if !ok {
		return 0, false
	}
	// checked_div(term, from_num(i)) is trunc((term·2^32) / (i·2^32)) = trunc(term / i) on raw values and
	// cannot overflow for i ≥ 2; divU64Small computes it without a hardware division. Once a term is 0
	// every later term is 0 too (terms are ≥ 0), so stopping there is exact.
	term := y
	for i := uint64(2); i < 32; i++ {
		if term, ok = mul32(term, y); !ok {
			return 0, false
		}
		if term = I32F32(divU64Small(uint64(term), i)); term == 0 {
			break
		}
		if result, ok = result.CheckedAdd(term); !ok {
			return 0, false
		}
	}
	if neg {
		return I32F32One.CheckedDiv(result)
	}
	return result, true
}

// recip[i] = floor(2^64 / i) for 2 ≤ i < 32.
var recip = func() (r [32]uint64) {
	for i := uint64(2); i < 32; i++ {
		r[i], _ = bits.Div64(1, 0, i)
	}
	return r
}()

// divU64Small returns floor(n / d) for 2 ≤ d < 32 by multiplying with floor(2^64 / d): the estimate is
// floor(n/d) or one less (the reciprocal is low by less than 1, so the error is below n / 2^64 < 1),
// and one remainder check corrects it.
func divU64Small(n, d uint64) uint64 {
	q, _ := bits.Mul64(n, recip[d])
	if n-q*d >= d {
		q++
	}
	return q
}

// ExpSafe is subtensor's exp_safe: x is clamped to [−20, 20], then Exp; on error it returns 0 if the
// clamped x ≤ 0, else MAX (errors cannot occur inside [−20, 20]).
func (x I32F32) ExpSafe() I32F32 {
	const lo, hi = -20 << 32, 20 << 32
	x = x.Clamp(lo, hi)
	r, ok := x.Exp()
	if !ok {
		if x <= 0 {
			return 0
		}
		return I32F32Max
	}
	return r
}
