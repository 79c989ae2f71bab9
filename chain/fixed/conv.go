package fixed

import (
	"errors"
	"math/bits"
	"strings"
)

// The common wide representation used by conversions, formatting and parsing: a 256-bit two's-complement
// integer with 64 fraction bits. Every value of every type in this package is exact in it.
const wideFrac = 64

func toWide(x u128, signed bool, frac uint) u256 {
	var ext uint64
	if signed && x.isNeg() {
		ext = ^uint64(0)
	}
	return u256{x.lo, x.hi, ext, ext}.shl(wideFrac - frac)
}

func (w u256) isNeg() bool { return int64(w.w3) < 0 }

// fromWide converts to a raw value with frac fraction bits: floor of the dropped bits, then saturation.
func fromWide(w u256, signed bool, frac uint) u128 {
	s := w.sar(wideFrac - frac)
	neg := s.isNeg()
	if signed {
		var ext uint64
		if neg {
			ext = ^uint64(0)
		}
		if s.w3 == ext && s.w2 == ext && (int64(s.w1) < 0) == neg {
			return u128{s.w1, s.w0}
		}
	} else if !neg && s.w2|s.w3 == 0 {
		return u128{s.w1, s.w0}
	}
	if neg {
		return minRaw(signed)
	}
	return maxRaw(signed)
}

func intToWide(v int64) u256 {
	ext := uint64(v >> 63)
	return u256{0, uint64(v), ext, ext}
}

func uintToWide(v uint64) u256 { return u256{0, v, 0, 0} }

// wideToInt64 is floor then clamp to the int64 range.
func wideToInt64(w u256) int64 {
	s := w.sar(wideFrac)
	if s.isNeg() {
		if s.w3&s.w2&s.w1 == ^uint64(0) && int64(s.w0) < 0 {
			return int64(s.w0)
		}
		return -1 << 63
	}
	if s.w3|s.w2|s.w1 == 0 && int64(s.w0) >= 0 {
		return int64(s.w0)
	}
	return 1<<63 - 1
}

// wideToUint64 is floor then clamp to [0, 2^64 − 1].
func wideToUint64(w u256) uint64 {
	if w.isNeg() {
		return 0
	}
	s := w.shr(wideFrac)
	if s.w3|s.w2|s.w1 != 0 {
		return ^uint64(0)
	}
	return s.w0
}

func i32ToWide(a I32F32) u256 { return toWide(u128{uint64(a >> 63), uint64(a)}, true, 32) }

func wideToI32(w u256) I32F32 {
	r := fromWide(w, true, 32)
	// fromWide saturates to the 128-bit range; narrow it to 64 bits.
	if int64(r.hi) < 0 {
		if r.hi != ^uint64(0) || int64(r.lo) >= 0 {
			return I32F32Min
		}
	} else if r.hi != 0 || int64(r.lo) < 0 {
		return I32F32Max
	}
	return I32F32(r.lo)
}

// formatWide writes the exact decimal value of w / 2^64: an optional '-', the integer part and, when the
// value is not an integer, '.' and every fraction digit (a binary fraction has a finite decimal expansion).
func formatWide(w u256) string {
	var sb strings.Builder
	if w.isNeg() {
		sb.WriteByte('-')
		w = w.not().inc()
	}
	frac := w.w0
	ip := u128{w.w2, w.w1} // every type's integer part fits in 128 bits
	sb.WriteString(u128Decimal(ip))
	if frac != 0 {
		sb.WriteByte('.')
		for frac != 0 {
			d, f := bits.Mul64(frac, 10)
			sb.WriteByte(byte('0' + d))
			frac = f
		}
	}
	return sb.String()
}

func u128Decimal(x u128) string {
	if x.isZero() {
		return "0"
	}
	var buf [40]byte
	i := len(buf)
	for !x.isZero() {
		// divide by 10^19, then print the remainder as 19 digits (or fewer for the leading chunk)
		const p19 = 10000000000000000000
		qh := x.hi / p19
		rh := x.hi % p19
		ql, r := bits.Div64(rh, x.lo, p19)
		x = u128{qh, ql}
		for k := 0; k < 19; k++ {
			if x.isZero() && r == 0 {
				break
			}
			i--
			buf[i] = byte('0' + r%10)
			r /= 10
		}
	}
	return string(buf[i:])
}

// Errors returned by the Parse functions.
var (
	ErrSyntax = errors.New("fixed: invalid decimal syntax")
	ErrRange  = errors.New("fixed: value out of range")
)

// parseFix parses a decimal string "[+-]digits[.digits]" (either digit run may be empty, not both) to the
// nearest raw value with frac fraction bits, ties to even, like substrate-fixed's from_str / from_num on a
// literal. Values outside the type's range give ErrRange.
func parseFix(s string, signed bool, frac uint) (u128, error) {
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	ip, fp, _ := strings.Cut(s, ".")
	if ip == "" && fp == "" {
		return u128{}, ErrSyntax
	}
	var im u128 // integer magnitude
	for i := 0; i < len(ip); i++ {
		c := ip[i]
		if c < '0' || c > '9' {
			return u128{}, ErrSyntax
		}
		h1, l1 := bits.Mul64(im.lo, 10)
		h2, l2 := bits.Mul64(im.hi, 10)
		if h2 != 0 {
			return u128{}, ErrRange
		}
		hi, c1 := bits.Add64(l2, h1, 0)
		lo, c2 := bits.Add64(l1, uint64(c-'0'), 0)
		hi, c3 := bits.Add64(hi, 0, c2)
		if c1|c3 != 0 {
			return u128{}, ErrRange
		}
		im = u128{hi, lo}
	}
	digits := make([]byte, len(fp))
	for i := 0; i < len(fp); i++ {
		c := fp[i]
		if c < '0' || c > '9' {
			return u128{}, ErrSyntax
		}
		digits[i] = c - '0'
	}
	// Fraction bits by repeated doubling of the decimal fraction: each carry out is the next bit.
	var fb uint64 // frac ≤ 64 bits
	for range frac {
		carry := byte(0)
		for i := len(digits) - 1; i >= 0; i-- {
			d := digits[i]*2 + carry
			carry = d / 10
			digits[i] = d % 10
		}
		fb = fb<<1 | uint64(carry)
	}
	// What remains decides the rounding: above ½ rounds up, exactly ½ rounds to even.
	up := false
	if len(digits) > 0 {
		switch {
		case digits[0] > 5:
			up = true
		case digits[0] == 5:
			rest := false
			for _, d := range digits[1:] {
				if d != 0 {
					rest = true
					break
				}
			}
			up = rest || fb&1 == 1
		}
	}
	// magnitude = im << frac | fb (+1)
	m := u256{w0: im.lo, w1: im.hi}.shl(frac)
	m.w0 |= fb
	if up {
		m = m.inc()
	}
	r, of := fitMag(m, neg, signed)
	if of != 0 {
		return u128{}, ErrRange
	}
	return r, nil
}
