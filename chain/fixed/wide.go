package fixed

import "math/bits"

// u128 is a 128-bit word; the fixed types interpret it as two's complement (signed) or unsigned.
type u128 struct{ hi, lo uint64 }

// u256 is a 256-bit word, w0 the least significant limb; used for exact double-width products and
// quotients. It is a struct of four words (not an array) so that the compiler keeps it in registers.
type u256 struct{ w0, w1, w2, w3 uint64 }

func (x u128) isNeg() bool { return int64(x.hi) < 0 }

func (x u128) neg() u128 {
	lo, b := bits.Sub64(0, x.lo, 0)
	hi, _ := bits.Sub64(0, x.hi, b)
	return u128{hi, lo}
}

func (x u128) add(y u128) (u128, uint64) {
	lo, c := bits.Add64(x.lo, y.lo, 0)
	hi, c := bits.Add64(x.hi, y.hi, c)
	return u128{hi, lo}, c
}

func (x u128) sub(y u128) (u128, uint64) {
	lo, b := bits.Sub64(x.lo, y.lo, 0)
	hi, b := bits.Sub64(x.hi, y.hi, b)
	return u128{hi, lo}, b
}

func (x u128) cmp(y u128) int {
	switch {
	case x.hi < y.hi:
		return -1
	case x.hi > y.hi:
		return 1
	case x.lo < y.lo:
		return -1
	case x.lo > y.lo:
		return 1
	}
	return 0
}

func (x u128) isZero() bool { return x.hi|x.lo == 0 }

// scmp compares x and y as signed (two's complement) or unsigned 128-bit integers.
func scmp(x, y u128, signed bool) int {
	if signed {
		x.hi ^= 1 << 63
		y.hi ^= 1 << 63
	}
	return x.cmp(y)
}

// abs returns the magnitude of x (as unsigned) and whether x is negative, when signed.
func (x u128) abs(signed bool) (u128, bool) {
	if signed && x.isNeg() {
		return x.neg(), true
	}
	return x, false
}

// mul128 returns the exact 256-bit product of two unsigned 128-bit values.
func mul128(a, b u128) u256 {
	h00, l00 := bits.Mul64(a.lo, b.lo)
	h01, l01 := bits.Mul64(a.lo, b.hi)
	h10, l10 := bits.Mul64(a.hi, b.lo)
	h11, l11 := bits.Mul64(a.hi, b.hi)
	r1, c1 := bits.Add64(h00, l01, 0)
	r1, c2 := bits.Add64(r1, l10, 0)
	r2, d1 := bits.Add64(h01, h10, c1)
	r2, d2 := bits.Add64(r2, l11, c2)
	r3 := h11 + d1 + d2 // the product of two 128-bit values fits in 256 bits
	return u256{l00, r1, r2, r3}
}

// get returns limb i (0 ≤ i < 4).
func (x *u256) get(i int) uint64 {
	switch i {
	case 0:
		return x.w0
	case 1:
		return x.w1
	case 2:
		return x.w2
	}
	return x.w3
}

// set sets limb i (0 ≤ i < 4).
func (x *u256) set(i int, v uint64) {
	switch i {
	case 0:
		x.w0 = v
	case 1:
		x.w1 = v
	case 2:
		x.w2 = v
	default:
		x.w3 = v
	}
}

// shr returns x >> s (logical) for 0 ≤ s < 256.
func (x u256) shr(s uint) u256 {
	switch s { // the shifts the fixed types use, straight-line
	case 0:
		return x
	case 32:
		return u256{x.w0>>32 | x.w1<<32, x.w1>>32 | x.w2<<32, x.w2>>32 | x.w3<<32, x.w3 >> 32}
	case 64:
		return u256{x.w1, x.w2, x.w3, 0}
	}
	var r u256
	w, b := int(s/64), s%64
	for i := 0; i+w < 4; i++ {
		v := x.get(i+w) >> b
		if b != 0 && i+w+1 < 4 {
			v |= x.get(i+w+1) << (64 - b)
		}
		r.set(i, v)
	}
	return r
}

// shl returns x << s for 0 ≤ s < 256.
func (x u256) shl(s uint) u256 {
	switch s {
	case 0:
		return x
	case 32:
		return u256{x.w0 << 32, x.w1<<32 | x.w0>>32, x.w2<<32 | x.w1>>32, x.w3<<32 | x.w2>>32}
	case 64:
		return u256{0, x.w0, x.w1, x.w2}
	}
	var r u256
	w, b := int(s/64), s%64
	for i := 3; i >= w; i-- {
		v := x.get(i-w) << b
		if b != 0 && i-w-1 >= 0 {
			v |= x.get(i-w-1) >> (64 - b)
		}
		r.set(i, v)
	}
	return r
}

// not returns ^x.
func (x u256) not() u256 { return u256{^x.w0, ^x.w1, ^x.w2, ^x.w3} }

// lowBitsNonzero reports whether any of the low s bits of x is set (s ≤ 128).
func (x u256) lowBitsNonzero(s uint) bool {
	switch {
	case s == 0:
		return false
	case s < 64:
		return x.w0&(1<<s-1) != 0
	case s == 64:
		return x.w0 != 0
	case s < 128:
		return x.w0 != 0 || x.w1&(1<<(s-64)-1) != 0
	}
	return x.w0|x.w1 != 0
}

func (x u256) low() u128 { return u128{x.w1, x.w0} }

func (x u256) highZero() bool { return x.w2|x.w3 == 0 }

func (x u256) inc() u256 {
	var c uint64
	x.w0, c = bits.Add64(x.w0, 1, 0)
	x.w1, c = bits.Add64(x.w1, 0, c)
	x.w2, c = bits.Add64(x.w2, 0, c)
	x.w3 += c
	return x
}

// div256 returns floor(n / d) for d ≠ 0 (Knuth's algorithm D with 64-bit digits).
func div256(n u256, d u128) u256 {
	var q u256
	if d.hi == 0 {
		var r uint64
		q.w3, r = bits.Div64(0, n.w3, d.lo)
		q.w2, r = bits.Div64(r, n.w2, d.lo)
		q.w1, r = bits.Div64(r, n.w1, d.lo)
		q.w0, _ = bits.Div64(r, n.w0, d.lo)
		return q
	}
	s := uint(bits.LeadingZeros64(d.hi))
	dn := u128{d.hi<<s | d.lo>>(64-s), d.lo << s} // Go defines x >> 64 as 0
	// Normalised dividend: 5 limbs.
	var u [5]uint64
	u[4] = n.w3 >> (64 - s)
	u[3] = n.w3<<s | n.w2>>(64-s)
	u[2] = n.w2<<s | n.w1>>(64-s)
	u[1] = n.w1<<s | n.w0>>(64-s)
	u[0] = n.w0 << s
	var r1, r0 uint64 // running remainder, always < dn
	j := 4
	for j > 0 && u[j] == 0 { // leading zero digits give zero quotient digits
		j--
	}
	for ; j >= 0; j-- {
		u0 := u[j]
		var qh uint64
		if r1 >= dn.hi {
			qh = ^uint64(0)
		} else {
			qh, _ = bits.Div64(r1, r0, dn.hi)
		}
		// p = qh·dn (192 bits)
		ph0, pl0 := bits.Mul64(qh, dn.lo)
		ph1, pl1 := bits.Mul64(qh, dn.hi)
		p0 := pl0
		p1, c := bits.Add64(ph0, pl1, 0)
		p2 := ph1 + c
		// while p > (r1, r0, u0): qh--, p -= dn
		for p2 > r1 || (p2 == r1 && (p1 > r0 || (p1 == r0 && p0 > u0))) {
			qh--
			var b uint64
			p0, b = bits.Sub64(p0, dn.lo, 0)
			p1, b = bits.Sub64(p1, dn.hi, b)
			p2 -= b
		}
		// remainder = (r1, r0, u0) − p, which is < dn (fits in 128 bits)
		nr0, b := bits.Sub64(u0, p0, 0)
		nr1, _ := bits.Sub64(r0, p1, b)
		r1, r0 = nr1, nr0
		if j < 4 {
			q.set(j, qh)
		}
	}
	return q
}

// sar returns x >> s, arithmetic (two's complement), for 0 ≤ s < 256.
func (x u256) sar(s uint) u256 {
	if int64(x.w3) < 0 {
		return x.not().shr(s).not()
	}
	return x.shr(s)
}
