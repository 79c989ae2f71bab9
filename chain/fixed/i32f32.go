package fixed

import (
	"math"
	"math/bits"
)

// I32F32 is substrate-fixed's I32F32: a signed fixed-point number whose int64 value IS the two's-complement
// raw value, with 32 fraction bits (value = raw / 2^32, range [−2^31, 2^31 − 2^−32]).
//
// Because the type is a named int64, the native operators work on raw values: ==, <, <= etc. compare
// exactly, and + and − are Rust's plain (wrapping) add and sub, exact whenever they do not overflow.
// Never use * or / on I32F32 (they would multiply raw values); use Mul, Div and friends. Likewise
// I32F32(5) is the raw value 5·2^−32; use I32F32FromInt(5) for the integer 5.
type I32F32 int64

// Well-known I32F32 values.
const (
	I32F32Zero I32F32 = 0
	I32F32One  I32F32 = 1 << 32
	I32F32Max  I32F32 = math.MaxInt64
	I32F32Min  I32F32 = math.MinInt64
	// I32F32Delta is the smallest positive value, 2^−32.
	I32F32Delta I32F32 = 1
	// I32F32Half is 0.5.
	I32F32Half I32F32 = 1 << 31
)

// I32F32FromRaw returns the I32F32 whose two's-complement raw value (Rust's from_bits) is raw.
func I32F32FromRaw(raw int64) I32F32 { return I32F32(raw) }

// Raw returns the two's-complement raw value (Rust's to_bits).
func (a I32F32) Raw() int64 { return int64(a) }

// I32F32FromInt converts an integer exactly, saturating outside [−2^31, 2^31 − 1].
func I32F32FromInt(v int64) I32F32 {
	if v > math.MaxInt32 {
		return I32F32Max
	}
	if v < math.MinInt32 {
		return I32F32Min
	}
	return I32F32(v << 32)
}

// I32F32FromUint converts an unsigned integer exactly, saturating above 2^31 − 1.
func I32F32FromUint(v uint64) I32F32 {
	if v > math.MaxInt32 {
		return I32F32Max
	}
	return I32F32(v << 32)
}

// Add returns a + b. It wraps on overflow (the caller guarantees none, as with Rust's `+` in release).
func (a I32F32) Add(b I32F32) I32F32 { return a + b }

// Sub returns a − b. It wraps on overflow (the caller guarantees none).
func (a I32F32) Sub(b I32F32) I32F32 { return a - b }

// SaturatingAdd returns a + b clamped to [MIN, MAX].
func (a I32F32) SaturatingAdd(b I32F32) I32F32 {
	s := a + b
	if (s^a)&(s^b) < 0 { // overflow: the sign of s differs from both operands
		if a < 0 {
			return I32F32Min
		}
		return I32F32Max
	}
	return s
}

// SaturatingSub returns a − b clamped to [MIN, MAX].
func (a I32F32) SaturatingSub(b I32F32) I32F32 {
	s := a - b
	if (a^b)&(s^a) < 0 {
		if a < 0 {
			return I32F32Min
		}
		return I32F32Max
	}
	return s
}

// CheckedAdd returns a + b, or ok = false on overflow.
func (a I32F32) CheckedAdd(b I32F32) (I32F32, bool) {
	s := a + b
	if (s^a)&(s^b) < 0 {
		return 0, false
	}
	return s, true
}

// CheckedSub returns a − b, or ok = false on overflow.
func (a I32F32) CheckedSub(b I32F32) (I32F32, bool) {
	s := a - b
	if (a^b)&(s^a) < 0 {
		return 0, false
	}
	return s, true
}

// mul32 returns the floored product and whether it fits in 64 bits.
func mul32(a, b I32F32) (I32F32, bool) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	// Signed correction of the unsigned 128-bit product.
	hi -= uint64(a>>63)&uint64(b) + uint64(b>>63)&uint64(a)
	// The result is bits 32..95 of the product; it fits iff bits 95..127 are a sign extension.
	return I32F32(hi<<32 | lo>>32), (hi+1<<31)>>32 == 0
}

// Mul returns a·b floored toward −∞ (exact product, arithmetic shift). It wraps on overflow (the caller
// guarantees none).
func (a I32F32) Mul(b I32F32) I32F32 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	hi -= uint64(a>>63)&uint64(b) + uint64(b>>63)&uint64(a)
	return I32F32(hi<<32 | lo>>32)
}

// SaturatingMul returns a·b floored, clamped to MAX when the operands' signs agree and MIN otherwise.
func (a I32F32) SaturatingMul(b I32F32) I32F32 {
	r, ok := mul32(a, b)
	if !ok {
		if (a ^ b) < 0 {
			return I32F32Min
		}
		return I32F32Max
	}
	return r
}

// CheckedMul returns a·b floored, or ok = false on overflow.
func (a I32F32) CheckedMul(b I32F32) (I32F32, bool) {
	r, ok := mul32(a, b)
	if !ok {
		return 0, false
	}
	return r, true
}

// div32 returns trunc((a<<32)/b) and ok = true, or (0, false) if b is zero or the quotient overflows.
//
//go:noinline
func div32(a, b I32F32) (I32F32, bool) {
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = -ua
	}
	if b < 0 {
		ub = -ub
	}
	hi := ua >> 32
	if hi >= ub { // quotient ≥ 2^64, or b == 0
		return 0, false
	}
	q, _ := bits.Div64(hi, ua<<32, ub)
	if (a ^ b) < 0 {
		if q > 1<<63 {
			return 0, false
		}
		return I32F32(-q), true
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	return I32F32(q), true
}

// Div returns trunc((a << 32) / b), truncating toward zero. It panics if b is zero and wraps on overflow
// (the caller guarantees none).
func (a I32F32) Div(b I32F32) I32F32 {
	if a == I32F32(int32(a)) && b > 0 { // a << 32 fits and so does the quotient
		return (a << 32) / b
	}
	return divSlow32(a, b)
}

//go:noinline
func divSlow32(a, b I32F32) I32F32 {
	if b == 0 {
		panic("fixed: I32F32 division by zero")
	}
	if r, ok := div32(a, b); ok {
		return r
	}
	// Wrapped quotient: the low 64 bits of the exact quotient, with its sign.
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = -ua
	}
	if b < 0 {
		ub = -ub
	}
	q, _ := bits.Div64((ua>>32)%ub, ua<<32, ub)
	if (a ^ b) < 0 {
		return I32F32(-q)
	}
	return I32F32(q)
}

// SaturatingDiv returns trunc((a << 32) / b) clamped: MAX when the signs agree, MIN otherwise. A zero divisor
// panics, as in Rust.
func (a I32F32) SaturatingDiv(b I32F32) I32F32 {
	if b == 0 {
		panic("fixed: I32F32 division by zero")
	}
	r, ok := div32(a, b)
	if !ok {
		if (a ^ b) < 0 {
			return I32F32Min
		}
		return I32F32Max
	}
	return r
}

// CheckedDiv returns trunc((a << 32) / b), or ok = false if b is zero or the quotient overflows.
func (a I32F32) CheckedDiv(b I32F32) (I32F32, bool) {
	if a == I32F32(int32(a)) && b > 0 {
		return (a << 32) / b, true
	}
	return div32(a, b)
}

// SafeDiv is subtensor's safe_div: trunc((a << 32) / b), or 0 if b is zero or the quotient overflows.
func (a I32F32) SafeDiv(b I32F32) I32F32 {
	if a == I32F32(int32(a)) && b > 0 {
		return (a << 32) / b
	}
	return safeDivSlow32(a, b)
}

//go:noinline
func safeDivSlow32(a, b I32F32) I32F32 {
	r, _ := div32(a, b)
	return r
}

// Neg returns −a (wrapping: −MIN = MIN).
func (a I32F32) Neg() I32F32 { return -a }

// Abs returns |a| (wrapping: |MIN| = MIN).
func (a I32F32) Abs() I32F32 {
	if a < 0 {
		return -a
	}
	return a
}

// Cmp returns −1, 0 or +1 as a < b, a == b, a > b.
func (a I32F32) Cmp(b I32F32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Min returns the smaller of a and b.
func (a I32F32) Min(b I32F32) I32F32 { return min(a, b) }

// Max returns the larger of a and b.
func (a I32F32) Max(b I32F32) I32F32 { return max(a, b) }

// Clamp returns a limited to [lo, hi] (lo ≤ hi is assumed).
func (a I32F32) Clamp(lo, hi I32F32) I32F32 {
	if a < lo {
		return lo
	}
	if a > hi {
		return hi
	}
	return a
}

// Floor returns the largest integer ≤ a.
func (a I32F32) Floor() I32F32 { return a &^ (1<<32 - 1) }

// Round returns a rounded to the nearest integer, ties away from zero (substrate-fixed's round()). Like
// Rust's release build it wraps when the result overflows (a ≥ 2^31 − 0.5 gives MIN).
func (a I32F32) Round() I32F32 {
	if a >= 0 {
		return (a + 1<<31) &^ (1<<32 - 1)
	}
	return (a + (1<<31 - 1)) &^ (1<<32 - 1)
}

// SaturatingToInt64 returns floor(a) (always representable).
func (a I32F32) SaturatingToInt64() int64 { return int64(a >> 32) }

// SaturatingToUint64 returns floor(a), or 0 if a is negative (Rust's saturating_to_num::<u64>).
func (a I32F32) SaturatingToUint64() uint64 {
	if a < 0 {
		return 0
	}
	return uint64(a >> 32)
}

// SaturatingToUint16 returns floor(a) clamped to [0, 65535].
func (a I32F32) SaturatingToUint16() uint16 {
	v := a >> 32
	if v < 0 {
		return 0
	}
	if v > math.MaxUint16 {
		return math.MaxUint16
	}
	return uint16(v)
}
