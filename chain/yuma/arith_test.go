package yuma

import (
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/gotensor/gotensor/chain/fixed"
)

// The engine's raw helpers must agree with chain/fixed, the general substrate-fixed implementation.

func genRaw(t *rapid.T, label string) int64 {
	return rapid.OneOf(
		rapid.Int64(),
		rapid.Int64Range(-4<<32, 4<<32),
		rapid.Int64Range(0, 1<<32),
		rapid.SampledFrom([]int64{0, 1, -1, rOne, -rOne, rHalf, math.MaxInt64, math.MinInt64, 20 << 32, -20 << 32}),
	).Draw(t, label)
}

func TestRawArithmeticMatchesFixed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genRaw(t, "a"), genRaw(t, "b")
		fa, fb := fixed.I32F32FromRaw(a), fixed.I32F32FromRaw(b)
		if got, want := rMulSat(a, b), fa.SaturatingMul(fb).Raw(); got != want {
			t.Fatalf("mulSat(%d, %d) = %d, fixed %d", a, b, got, want)
		}
		gm, gok := rMulChecked(a, b)
		wm, wok := fa.CheckedMul(fb)
		if gok != wok || gok && gm != wm.Raw() {
			t.Fatalf("mulChecked(%d, %d) = %d %v, fixed %d %v", a, b, gm, gok, wm.Raw(), wok)
		}
		if got, want := rDivSafe(a, b), fa.SafeDiv(fb).Raw(); got != want {
			t.Fatalf("divSafe(%d, %d) = %d, fixed %d", a, b, got, want)
		}
		if b != 0 {
			if got, want := rDivSat(a, b), fa.SaturatingDiv(fb).Raw(); got != want {
				t.Fatalf("divSat(%d, %d) = %d, fixed %d", a, b, got, want)
			}
		}
		if a >= 0 && b >= 0 {
			if got, want := rMulNonNeg(a, b), fa.SaturatingMul(fb).Raw(); got != want {
				t.Fatalf("mulNonNeg(%d, %d) = %d, fixed %d", a, b, got, want)
			}
			if b > 0 {
				if got, want := rDivNonNeg(a, b), fa.SafeDiv(fb).Raw(); got != want {
					t.Fatalf("divNonNeg(%d, %d) = %d, fixed %d", a, b, got, want)
				}
			}
		}
		if got, want := rAddSat(a, b), fa.SaturatingAdd(fb).Raw(); got != want {
			t.Fatalf("addSat(%d, %d) = %d, fixed %d", a, b, got, want)
		}
		if got, want := rSubSat(a, b), fa.SaturatingSub(fb).Raw(); got != want {
			t.Fatalf("subSat(%d, %d) = %d, fixed %d", a, b, got, want)
		}
		if got, want := rToU16(a), fixed.FixedProportionToU16(fa); got != want {
			t.Fatalf("toU16(%d) = %d, fixed %d", a, got, want)
		}
	})
}

func TestExpMatchesFixed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := rapid.OneOf(rapid.Int64Range(-25<<32, 25<<32), rapid.Int64Range(-6<<32, 6<<32), rapid.Int64()).Draw(t, "x")
		fx := fixed.I32F32FromRaw(x)
		g, gok := rExp(x)
		w, wok := fx.Exp()
		if gok != wok || gok && g != w.Raw() {
			t.Fatalf("exp(%d) = %d %v, fixed %d %v", x, g, gok, w.Raw(), wok)
		}
		if got, want := rExpSafe(x), fx.ExpSafe().Raw(); got != want {
			t.Fatalf("expSafe(%d) = %d, fixed %d", x, got, want)
		}
		if x > 0 {
			a, aok := rExpSeries(uint64(x))
			b, bok := rExpSeriesRef(uint64(x))
			if aok != bok || aok && a != b {
				t.Fatalf("expSeries(%d) = %d %v, loop form %d %v", x, a, aok, b, bok)
			}
		}
	})
}

func TestAlphaSigmoidMatchesFixed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := rapid.Int64Range(0, rOne).Draw(t, "c")
		w := rapid.Int64Range(0, rOne).Draw(t, "w")
		b := rapid.Int64Range(0, rOne).Draw(t, "b")
		lo16 := rapid.Uint16().Draw(t, "lo")
		hi16 := rapid.Uint16Min(lo16).Draw(t, "hi")
		steep := int16(rapid.Int16().Draw(t, "steep"))
		p := Params{AlphaLow: lo16, AlphaHigh: hi16, AlphaSigmoidSteepness: steep}
		la := laParamsFrom(&p)
		got := rAlphaSigmoid(c, w, b, la.lo, la.hi, la.steepDiv)
		want := AlphaSigmoid(fixed.I32F32FromRaw(c), fixed.I32F32FromRaw(w), fixed.I32F32FromRaw(b),
			fixed.U16ProportionToFixed(lo16), fixed.U16ProportionToFixed(hi16), fixed.I32F32FromInt(int64(steep))).Raw()
		if got != want {
			t.Fatalf("alphaSigmoid(%d, %d, %d, lo %d, hi %d, steep %d) = %d, math.go %d", c, w, b, lo16, hi16, steep, got, want)
		}
	})
}

func TestStakeWeightsMatchI64F64(t *testing.T) {
	// S_i = I32F32(I64F64 normalise) computed through fixed.I64F64 for small cases.
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "n")
		in := &Inputs{N: n, AlphaStake: make([]uint64, n), RootStake: make([]uint64, n), OwnerUID: NoOwner}
		for i := range in.AlphaStake {
			in.AlphaStake[i] = rapid.OneOf(rapid.Uint64Range(0, 1<<40), rapid.Uint64Range(0, 1<<58)).Draw(t, "alpha")
			in.RootStake[i] = rapid.Uint64Range(0, 1<<40).Draw(t, "root")
		}
		in.Params.TaoWeight = rapid.Uint64().Draw(t, "tw")
		got := stakeWeights(in, NoOwner)
		tw := fixed.U96F32FromUint(in.Params.TaoWeight).SafeDiv(fixed.U96F32FromUint(math.MaxUint64)).ToI64F64()
		tot := make([]fixed.I64F64, n)
		var sum fixed.I64F64
		for i := 0; i < n; i++ {
			tot[i] = fixed.I64F64FromUint(in.AlphaStake[i]).SaturatingAdd(fixed.I64F64FromUint(in.RootStake[i]).SaturatingMul(tw))
			sum = sum.Add(tot[i])
		}
		for i := 0; i < n; i++ {
			want := int64(0)
			if !sum.IsZero() {
				want = tot[i].SafeDiv(sum).ToI32F32().Raw()
			}
			if got[i] != want {
				t.Fatalf("S[%d] = %d, I64F64 route %d", i, got[i], want)
			}
		}
	})
}

func TestExpSafe4MatchesScalar(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var x, got [4]int64
		for k := range x {
			x[k] = rapid.OneOf(rapid.Int64Range(-25<<32, 25<<32), rapid.Int64Range(-6<<32, 6<<32),
				rapid.SampledFrom([]int64{0, rOne, -rOne, 20 << 32, -20 << 32, 1, -1})).Draw(t, "x")
		}
		rExpSafe4(&x, &got)
		for k := range x {
			if want := rExpSafe(x[k]); got[k] != want {
				t.Fatalf("lane %d: expSafe4(%d) = %d, scalar %d", k, x[k], got[k], want)
			}
		}
	})
}

func TestEmaAlphaConstants(t *testing.T) {
	// spec/yuma.md §8.4 and golden/math_fixed_conversions.json.
	for _, c := range []struct {
		bma  uint64
		want int64
	}{{900000, 429496730}, {975000, 107374183}, {1000000, 0}, {0, rOne}} {
		if got := rEmaAlpha(c.bma); got != c.want {
			t.Errorf("emaAlpha(%d) = %d, want %d", c.bma, got, c.want)
		}
	}
	if got := rDivSafe(32767<<32, 65535<<32); got != 2147450879 {
		t.Errorf("kappa(32767) = %d, want 2147450879", got)
	}
}

func TestDivByRecip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		V := rapid.OneOf(rapid.Uint64Range(1, 1<<31-1), rapid.SampledFrom([]uint64{1, 2, 3, 65535, 1 << 30})).Draw(t, "V")
		v := rapid.Uint64Range(0, 65535).Draw(t, "v")
		nn := v << 32
		if got, want := divByRecip(nn, V, ^uint64(0)/V), uint64(rDivNonNeg(int64(nn), int64(V<<32))); got != want {
			t.Fatalf("divByRecip(%d<<32, %d) = %d, safe_div %d", v, V, got, want)
		}
	})
}

func TestColDiv(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := rapid.OneOf(rapid.Int64Range(1, 1<<40), rapid.Int64Range(1, math.MaxInt64),
			rapid.Custom(func(t *rapid.T) int64 { return rapid.Int64Range(1, 1<<30).Draw(t, "v") << 32 }),
			rapid.SampledFrom([]int64{1, 2, 3, rOne, rOne + 1, 1 << 62})).Draw(t, "d")
		x := rapid.OneOf(rapid.Int64Range(0, d), rapid.Int64Range(0, math.MaxInt64), rapid.Int64Range(0, 1<<34),
			rapid.Custom(func(t *rapid.T) int64 { return rapid.Int64Range(0, 65535).Draw(t, "xv") << 32 })).Draw(t, "x")
		c := newColDiv(nil, []int64{d})
		if got, want := c.div(x, 0), rDivNonNeg(x, d); got != want {
			t.Fatalf("colDiv(%d, %d) = %d, want %d", x, d, got, want)
		}
	})
}

// rExpSeriesRef is the plain loop form of rExpSeries, used by tests.
func rExpSeriesRef(y uint64) (int64, bool) {
	r := uint64(rOne) + y
	t := y
	for i := uint64(2); i <= 31; i++ {
		var ok bool
		if t, ok = rExpTerm(t, y); !ok {
			return 0, false
		}
		t /= i
		r += t
		if r > uint64(rMax) {
			return 0, false
		}
	}
	return int64(r), true
}
