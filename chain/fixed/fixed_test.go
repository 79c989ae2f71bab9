package fixed

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// ops is the method set every fixed type in this package shares.
type ops[T any] interface {
	comparable
	Add(T) T
	Sub(T) T
	SaturatingAdd(T) T
	SaturatingSub(T) T
	CheckedAdd(T) (T, bool)
	CheckedSub(T) (T, bool)
	Mul(T) T
	SaturatingMul(T) T
	CheckedMul(T) (T, bool)
	Div(T) T
	SaturatingDiv(T) T
	CheckedDiv(T) (T, bool)
	SafeDiv(T) T
	Round() T
	Floor() T
	Cmp(T) int
	String() string
	SaturatingToInt64() int64
	SaturatingToUint64() uint64
	ToI64F64() I64F64
	ToI96F32() I96F32
	ToU96F32() U96F32
	ToU64F64() U64F64
}

// typeSpec describes one type for the reference (math/big) model.
type typeSpec[T ops[T]] struct {
	name    string
	signed  bool
	frac    uint
	width   uint
	fromRaw func(*big.Int) T // raw must be in range
	toRaw   func(T) *big.Int
	parse   func(string) (T, error)
	toI32   func(T) I32F32
}

func (s typeSpec[T]) min() *big.Int {
	if !s.signed {
		return new(big.Int)
	}
	return new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), s.width-1))
}

func (s typeSpec[T]) max() *big.Int {
	w := s.width
	if s.signed {
		w--
	}
	return new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), w), big.NewInt(1))
}

func (s typeSpec[T]) fits(x *big.Int) bool { return x.Cmp(s.min()) >= 0 && x.Cmp(s.max()) <= 0 }

func (s typeSpec[T]) clamp(x *big.Int) *big.Int {
	if x.Cmp(s.min()) < 0 {
		return s.min()
	}
	if x.Cmp(s.max()) > 0 {
		return s.max()
	}
	return x
}

// wrap reduces x modulo 2^width into the type's range.
func (s typeSpec[T]) wrap(x *big.Int) *big.Int {
	m := new(big.Int).Lsh(big.NewInt(1), s.width)
	r := new(big.Int).Mod(x, m)
	if s.signed && r.Cmp(s.max()) > 0 {
		r.Sub(r, m)
	}
	return r
}

// draw generates a raw value in range, biased toward small magnitudes, integers, halves and the bounds.
func (s typeSpec[T]) draw(t *rapid.T, label string) *big.Int {
	kind := rapid.IntRange(0, 5).Draw(t, label+"_kind")
	var x *big.Int
	switch kind {
	case 0: // bounds and near them
		d := big.NewInt(rapid.Int64Range(0, 3).Draw(t, label+"_d"))
		if rapid.Bool().Draw(t, label+"_top") {
			x = new(big.Int).Sub(s.max(), d)
		} else {
			x = new(big.Int).Add(s.min(), d)
		}
	case 1: // integers and half-integers
		v := big.NewInt(rapid.Int64Range(-1000, 1000).Draw(t, label+"_i"))
		x = new(big.Int).Lsh(v, s.frac-1)
	default: // random bits, random magnitude
		hi := rapid.Uint64().Draw(t, label+"_hi")
		lo := rapid.Uint64().Draw(t, label+"_lo")
		x = new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
		x.Or(x, new(big.Int).SetUint64(lo))
		x.Rsh(x, 128-s.width)
		x.Rsh(x, rapid.UintRange(0, s.width).Draw(t, label+"_shift"))
		if s.signed && rapid.Bool().Draw(t, label+"_neg") {
			x.Neg(x)
		}
	}
	return s.clamp(x)
}

func bigFloorShr(x *big.Int, n uint) *big.Int { return new(big.Int).Rsh(x, n) } // Rsh floors negatives

func mustPanic(t *rapid.T, what string, f func()) {
	defer func() {
		if recover() == nil {
			t.Fatalf("%s did not panic", what)
		}
	}()
	f()
}

func checkAgainstBig[T ops[T]](t *testing.T, s typeSpec[T]) {
	rapid.Check(t, func(t *rapid.T) {
		ra, rb := s.draw(t, "a"), s.draw(t, "b")
		a, b := s.fromRaw(ra), s.fromRaw(rb)
		eq := func(op string, got T, want *big.Int) {
			if g := s.toRaw(got); g.Cmp(want) != 0 {
				t.Fatalf("%s %s(%s, %s) = %s, want %s", s.name, op, ra, rb, g, want)
			}
		}
		chk := func(op string, got T, ok bool, want *big.Int, wantOK bool) {
			if ok != wantOK {
				t.Fatalf("%s %s(%s, %s) ok = %v, want %v", s.name, op, ra, rb, ok, wantOK)
			}
			if ok {
				eq(op, got, want)
			} else if g := s.toRaw(got); g.Sign() != 0 {
				t.Fatalf("%s %s: failed result %s, want 0", s.name, op, g)
			}
		}
		// add / sub
		sum := new(big.Int).Add(ra, rb)
		eq("Add", a.Add(b), s.wrap(sum))
		eq("SaturatingAdd", a.SaturatingAdd(b), s.clamp(sum))
		r, ok := a.CheckedAdd(b)
		chk("CheckedAdd", r, ok, sum, s.fits(sum))
		diff := new(big.Int).Sub(ra, rb)
		eq("Sub", a.Sub(b), s.wrap(diff))
		eq("SaturatingSub", a.SaturatingSub(b), s.clamp(diff))
		r, ok = a.CheckedSub(b)
		chk("CheckedSub", r, ok, diff, s.fits(diff))
		// mul: floor of the exact product
		prod := bigFloorShr(new(big.Int).Mul(ra, rb), s.frac)
		eq("Mul", a.Mul(b), s.wrap(prod))
		eq("SaturatingMul", a.SaturatingMul(b), s.clamp(prod))
		r, ok = a.CheckedMul(b)
		chk("CheckedMul", r, ok, prod, s.fits(prod))
		// div: truncation of the exact quotient
		if rb.Sign() == 0 {
			mustPanic(t, "Div by zero", func() { a.Div(b) })
			mustPanic(t, "SaturatingDiv by zero", func() { a.SaturatingDiv(b) })
			r, ok = a.CheckedDiv(b)
			chk("CheckedDiv", r, ok, nil, false)
			eq("SafeDiv", a.SafeDiv(b), new(big.Int))
		} else {
			q := new(big.Int).Quo(new(big.Int).Lsh(ra, s.frac), rb)
			eq("Div", a.Div(b), s.wrap(q))
			eq("SaturatingDiv", a.SaturatingDiv(b), s.clamp(q))
			r, ok = a.CheckedDiv(b)
			chk("CheckedDiv", r, ok, q, s.fits(q))
			if s.fits(q) {
				eq("SafeDiv", a.SafeDiv(b), q)
			} else {
				eq("SafeDiv", a.SafeDiv(b), new(big.Int))
			}
		}
		// comparisons
		if got, want := a.Cmp(b), ra.Cmp(rb); got != want {
			t.Fatalf("%s Cmp(%s, %s) = %d, want %d", s.name, ra, rb, got, want)
		}
		// unary: floor, round (ties away from zero, wrapping), integer conversions
		one := new(big.Int).Lsh(big.NewInt(1), s.frac)
		fl := new(big.Int).Lsh(bigFloorShr(ra, s.frac), s.frac)
		eq("Floor", a.Floor(), fl)
		mag := new(big.Int).Abs(ra)
		mag.Add(mag, new(big.Int).Rsh(one, 1))
		mag.Rsh(mag, s.frac)
		mag.Lsh(mag, s.frac)
		if ra.Sign() < 0 {
			mag.Neg(mag)
		}
		eq("Round", a.Round(), s.wrap(mag))
		ip := bigFloorShr(ra, s.frac)
		if got, want := a.SaturatingToInt64(), clampBig(ip, big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)).Int64(); got != want {
			t.Fatalf("%s SaturatingToInt64(%s) = %d, want %d", s.name, ra, got, want)
		}
		if got, want := a.SaturatingToUint64(), clampBig(ip, new(big.Int), new(big.Int).SetUint64(math.MaxUint64)).Uint64(); got != want {
			t.Fatalf("%s SaturatingToUint64(%s) = %d, want %d", s.name, ra, got, want)
		}
		// fixed → fixed conversions: floor of dropped bits, then saturation
		conv := func(dst string, gotRaw *big.Int, dsigned bool, dfrac, dwidth uint) {
			v := new(big.Int).Lsh(ra, 64) // common scale 2^(64 + frac)
			v = bigFloorShr(v, 64+s.frac-dfrac)
			lo, hi := new(big.Int), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), dwidth), big.NewInt(1))
			if dsigned {
				lo = new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), dwidth-1))
				hi = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), dwidth-1), big.NewInt(1))
			}
			if want := clampBig(v, lo, hi); gotRaw.Cmp(want) != 0 {
				t.Fatalf("%s(%s).To%s = %s, want %s", s.name, ra, dst, gotRaw, want)
			}
		}
		conv("I32F32", big.NewInt(int64(s.toI32(a))), true, 32, 64)
		conv("I64F64", i64f64Spec.toRaw(a.ToI64F64()), true, 64, 128)
		conv("I96F32", i96f32Spec.toRaw(a.ToI96F32()), true, 32, 128)
		conv("U96F32", u96f32Spec.toRaw(a.ToU96F32()), false, 32, 128)
		conv("U64F64", u64f64Spec.toRaw(a.ToU64F64()), false, 64, 128)
		// exact decimal formatting, and parsing it back
		str := a.String()
		if want := exactDecimal(ra, s.frac); str != want {
			t.Fatalf("%s(%s).String() = %s, want %s", s.name, ra, str, want)
		}
		back, err := s.parse(str)
		if err != nil || back != a {
			t.Fatalf("%s parse(%s) = %s, %v; want %s", s.name, str, s.toRaw(back), err, ra)
		}
	})
}

func clampBig(x, lo, hi *big.Int) *big.Int {
	if x.Cmp(lo) < 0 {
		return lo
	}
	if x.Cmp(hi) > 0 {
		return hi
	}
	return x
}

// exactDecimal is the reference formatter: raw / 2^frac = raw·5^frac / 10^frac.
func exactDecimal(raw *big.Int, frac uint) string {
	neg := raw.Sign() < 0
	m := new(big.Int).Abs(raw)
	m.Mul(m, new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(frac)), nil))
	s := m.String()
	if len(s) <= int(frac) {
		s = strings.Repeat("0", int(frac)-len(s)+1) + s
	}
	ip, fp := s[:len(s)-int(frac)], strings.TrimRight(s[len(s)-int(frac):], "0")
	out := ip
	if fp != "" {
		out += "." + fp
	}
	if neg {
		out = "-" + out
	}
	return out
}

func raw128(hi, lo uint64, signed bool) *big.Int {
	x := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
	x.Or(x, new(big.Int).SetUint64(lo))
	if signed && int64(hi) < 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), 128))
	}
	return x
}

func split128(x *big.Int) (hi, lo uint64) {
	m := new(big.Int).Mod(x, new(big.Int).Lsh(big.NewInt(1), 128))
	lo = new(big.Int).And(m, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	hi = new(big.Int).Rsh(m, 64).Uint64()
	return hi, lo
}

var (
	i32f32Spec = typeSpec[I32F32]{
		name: "I32F32", signed: true, frac: 32, width: 64,
		fromRaw: func(x *big.Int) I32F32 { return I32F32FromRaw(x.Int64()) },
		toRaw:   func(a I32F32) *big.Int { return big.NewInt(a.Raw()) },
		parse:   ParseI32F32,
		toI32:   func(a I32F32) I32F32 { return a },
	}
	i64f64Spec = typeSpec[I64F64]{
		name: "I64F64", signed: true, frac: 64, width: 128,
		fromRaw: func(x *big.Int) I64F64 { return I64F64FromRaw(split128(x)) },
		toRaw:   func(a I64F64) *big.Int { h, l := a.Raw(); return raw128(h, l, true) },
		parse:   ParseI64F64,
		toI32:   I64F64.ToI32F32,
	}
	i96f32Spec = typeSpec[I96F32]{
		name: "I96F32", signed: true, frac: 32, width: 128,
		fromRaw: func(x *big.Int) I96F32 { return I96F32FromRaw(split128(x)) },
		toRaw:   func(a I96F32) *big.Int { h, l := a.Raw(); return raw128(h, l, true) },
		parse:   ParseI96F32,
		toI32:   I96F32.ToI32F32,
	}
	u96f32Spec = typeSpec[U96F32]{
		name: "U96F32", signed: false, frac: 32, width: 128,
		fromRaw: func(x *big.Int) U96F32 { return U96F32FromRaw(split128(x)) },
		toRaw:   func(a U96F32) *big.Int { h, l := a.Raw(); return raw128(h, l, false) },
		parse:   ParseU96F32,
		toI32:   U96F32.ToI32F32,
	}
	u64f64Spec = typeSpec[U64F64]{
		name: "U64F64", signed: false, frac: 64, width: 128,
		fromRaw: func(x *big.Int) U64F64 { return U64F64FromRaw(split128(x)) },
		toRaw:   func(a U64F64) *big.Int { h, l := a.Raw(); return raw128(h, l, false) },
		parse:   ParseU64F64,
		toI32:   U64F64.ToI32F32,
	}
)

func TestFixedI32F32AgainstBig(t *testing.T) { checkAgainstBig(t, i32f32Spec) }
func TestFixedI64F64AgainstBig(t *testing.T) { checkAgainstBig(t, i64f64Spec) }
func TestFixedI96F32AgainstBig(t *testing.T) { checkAgainstBig(t, i96f32Spec) }
func TestFixedU96F32AgainstBig(t *testing.T) { checkAgainstBig(t, u96f32Spec) }
func TestFixedU64F64AgainstBig(t *testing.T) { checkAgainstBig(t, u64f64Spec) }

var _ = fmt.Sprint
