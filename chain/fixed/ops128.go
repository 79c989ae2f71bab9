package fixed

import "math/bits"

// Generic arithmetic on 128-bit fixed-point raw values. signed selects two's complement; frac is the
// number of fraction bits. The "of" results are 0 when the exact result fits, +1 when it is above the
// type's range and −1 when it is below; the returned value is then the wrapped result (low 128 bits).

func maxRaw(signed bool) u128 {
	if signed {
		return u128{1<<63 - 1, ^uint64(0)}
	}
	return u128{^uint64(0), ^uint64(0)}
}

func minRaw(signed bool) u128 {
	if signed {
		return u128{1 << 63, 0}
	}
	return u128{}
}

// saturate returns r if of == 0, else the range bound of the overflow's side.
func saturate(r u128, of int, signed bool) u128 {
	switch {
	case of > 0:
		return maxRaw(signed)
	case of < 0:
		return minRaw(signed)
	}
	return r
}

func addFix(a, b u128, signed bool) (u128, int) {
	r, c := a.add(b)
	if signed {
		if a.isNeg() == b.isNeg() && r.isNeg() != a.isNeg() {
			if a.isNeg() {
				return r, -1
			}
			return r, 1
		}
		return r, 0
	}
	if c != 0 {
		return r, 1
	}
	return r, 0
}

func subFix(a, b u128, signed bool) (u128, int) {
	r, bw := a.sub(b)
	if signed {
		if a.isNeg() != b.isNeg() && r.isNeg() != a.isNeg() {
			if a.isNeg() {
				return r, -1
			}
			return r, 1
		}
		return r, 0
	}
	if bw != 0 {
		return r, -1
	}
	return r, 0
}

// fitMag turns a magnitude and a sign into a raw value, reporting overflow.
func fitMag(m u256, neg, signed bool) (u128, int) {
	lo := m.low()
	r := lo
	if neg {
		r = lo.neg()
	}
	of := 1
	if neg {
		of = -1
	}
	if !m.highZero() {
		return r, of
	}
	switch {
	case !signed:
		if neg && !lo.isZero() {
			return r, of
		}
	case neg:
		if lo.hi > 1<<63 || (lo.hi == 1<<63 && lo.lo != 0) {
			return r, of
		}
	default:
		if lo.hi >= 1<<63 {
			return r, of
		}
	}
	return r, 0
}

// mulFix returns floor(a·b / 2^frac) on the exact product.
func mulFix(a, b u128, signed bool, frac uint) (u128, int) {
	ma, na := a.abs(signed)
	mb, nb := b.abs(signed)
	neg := na != nb
	p := mul128(ma, mb)
	m := p.shr(frac)
	if neg && p.lowBitsNonzero(frac) {
		m = m.inc() // floor of a negative value rounds the magnitude up
	}
	return fitMag(m, neg, signed)
}

// divFix returns trunc(a·2^frac / b). b must be non-zero.
func divFix(a, b u128, signed bool, frac uint) (u128, int) {
	ma, na := a.abs(signed)
	mb, nb := b.abs(signed)
	n := u256{w0: ma.lo, w1: ma.hi}.shl(frac)
	q := div256(n, mb)
	return fitMag(q, na != nb, signed)
}

// roundFix rounds to the nearest integer, ties away from zero, wrapping on overflow like Rust's release
// build.
func roundFix(a u128, signed bool, frac uint) u128 {
	m, neg := a.abs(signed)
	w := u256{w0: m.lo, w1: m.hi}
	w = addU256(w, u256{w0: 1}.shl(frac-1))
	w = w.shr(frac).shl(frac)
	r, _ := fitMag(w, neg, signed)
	return r
}

// floorFix returns the largest integer ≤ a.
func floorFix(a u128, frac uint) u128 {
	if frac >= 64 {
		return u128{a.hi &^ (1<<(frac-64) - 1), 0}
	}
	return u128{a.hi, a.lo &^ (1<<frac - 1)}
}

func addU256(x, y u256) u256 {
	var c uint64
	x.w0, c = bits.Add64(x.w0, y.w0, 0)
	x.w1, c = bits.Add64(x.w1, y.w1, c)
	x.w2, c = bits.Add64(x.w2, y.w2, c)
	x.w3, _ = bits.Add64(x.w3, y.w3, c)
	return x
}
