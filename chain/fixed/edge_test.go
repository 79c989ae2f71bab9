package fixed

import (
	"math"
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

func i(v int64) I32F32 { return I32F32FromInt(v) }

func TestFixedI32F32Edges(t *testing.T) {
	mp := MustParseI32F32
	cases := []struct {
		name      string
		got, want I32F32
	}{
		// multiplication floors toward −∞; division truncates toward zero
		{"mul floor positive", I32F32(3).Mul(I32F32Half), I32F32(1)},
		{"mul floor negative", I32F32(-3).Mul(I32F32Half), I32F32(-2)},
		{"div trunc positive", I32F32(1).Div(i(3)), I32F32(0)},
		{"div trunc negative", I32F32(-1).Div(i(3)), I32F32(0)},
		{"div -7/2", I32F32(-7).Div(i(2)), I32F32(-3)},
		{"1/3", I32F32One.Div(i(3)), I32F32(1431655765)},
		{"-1/3", I32F32One.Neg().Div(i(3)), I32F32(-1431655765)},
		// saturation
		{"sat mul max", I32F32Max.SaturatingMul(i(2)), I32F32Max},
		{"sat mul min", I32F32Max.SaturatingMul(i(-2)), I32F32Min},
		{"sat mul neg·neg", I32F32Min.SaturatingMul(i(-1)), I32F32Max},
		{"min·1", I32F32Min.SaturatingMul(I32F32One), I32F32Min},
		{"sat add", I32F32Max.SaturatingAdd(I32F32Delta), I32F32Max},
		{"sat sub", I32F32Min.SaturatingSub(I32F32Delta), I32F32Min},
		{"sat div", i(1 << 20).SaturatingDiv(I32F32Delta), I32F32Max},
		{"sat div neg", i(1 << 20).SaturatingDiv(-I32F32Delta), I32F32Min},
		{"min / -1 saturates", I32F32Min.SaturatingDiv(i(-1)), I32F32Max},
		// safe_div: 0 on zero divisor AND on overflow
		{"safe_div by 0", I32F32One.SafeDiv(0), 0},
		{"safe_div overflow", I32F32Max.SafeDiv(I32F32Delta), 0},
		{"safe_div min/-1", I32F32Min.SafeDiv(i(-1)), 0},
		{"safe_div min/1", I32F32Min.SafeDiv(I32F32One), I32F32Min},
		{"safe_div neg", i(-3).SafeDiv(i(2)), mp("-1.5")},
		{"safe_div neg divisor", i(3).SafeDiv(i(-2)), mp("-1.5")},
		// round: ties away from zero
		{"round 0.5", mp("0.5").Round(), i(1)},
		{"round 1.5", mp("1.5").Round(), i(2)},
		{"round 2.5", mp("2.5").Round(), i(3)},
		{"round -0.5", mp("-0.5").Round(), i(-1)},
		{"round -1.5", mp("-1.5").Round(), i(-2)},
		{"round -1.4999", (mp("-1.5") + 1).Round(), i(-1)},
		{"round 1.4999", (mp("1.5") - 1).Round(), i(1)},
		{"round 32767.5", mp("32767.5").Round(), i(32768)},
		{"round max wraps", I32F32Max.Round(), I32F32Min},
		{"floor -0.5", mp("-0.5").Floor(), i(-1)},
		// integer conversions saturate
		{"from int big", i(1 << 40), I32F32Max},
		{"from int small", i(-(1 << 40)), I32F32Min},
		{"from int max32", i(math.MaxInt32), I32F32(math.MaxInt32 << 32)},
		{"from uint", I32F32FromUint(1 << 40), I32F32Max},
		// chain constants
		{"kappa 32767/65535", U16ProportionToFixed(32767), I32F32(2147450879)},
		{"u16 prop 65535", U16ProportionToFixed(65535), I32F32One},
		{"u16 to fixed", U16ToFixed(65535), i(65535)},
		{"fixed_to_fixed_u16_proportion", FixedToFixedU16Proportion(i(65535)), I32F32One},
		{"from_num(0.1)", mp("0.1"), I32F32(429496730)},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %d (%s), want %d (%s)", c.name, c.got, c.got, c.want, c.want)
		}
	}
	if _, ok := I32F32Max.CheckedMul(i(2)); ok {
		t.Error("CheckedMul overflow not reported")
	}
	if _, ok := I32F32One.CheckedDiv(0); ok {
		t.Error("CheckedDiv by zero not reported")
	}
	if _, ok := I32F32Min.CheckedDiv(i(-1)); ok {
		t.Error("CheckedDiv MIN/-1 not reported")
	}
	if _, ok := I32F32Max.CheckedAdd(1); ok {
		t.Error("CheckedAdd overflow not reported")
	}
	for _, c := range []struct {
		x    I32F32
		want uint16
	}{{I32F32Half, 32767}, {I32F32One, 65535}, {i(-1), 0}, {i(2), 65535}, {I32F32Max, 65535}, {I32F32Min, 0}, {0, 0}} {
		if got := FixedProportionToU16(c.x); got != c.want {
			t.Errorf("FixedProportionToU16(%s) = %d, want %d", c.x, got, c.want)
		}
	}
	if got := mp("-0.5").SaturatingToUint64(); got != 0 {
		t.Errorf("SaturatingToUint64(-0.5) = %d", got)
	}
	if got := mp("-0.5").SaturatingToInt64(); got != -1 {
		t.Errorf("SaturatingToInt64(-0.5) = %d, want -1 (floor)", got)
	}
	mustPanicT(t, "Div by zero", func() { I32F32One.Div(0) })
}

func mustPanicT(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

func TestFixedEMAAlphaConstants(t *testing.T) {
	// α = 1 − I32F32(I64F64(bma) / I64F64(1e6)) (spec/yuma.md §3.10a, §8 item 4)
	for _, c := range []struct {
		bma  int64
		want I32F32
	}{{900000, 429496730}, {975000, 107374183}} {
		q := I64F64FromInt(c.bma).SaturatingDiv(I64F64FromInt(1000000))
		if got := I32F32One.SaturatingSub(q.ToI32F32()); got != c.want {
			t.Errorf("alpha(%d) = %d, want %d", c.bma, got, c.want)
		}
	}
}

func TestFixedStringParse(t *testing.T) {
	for _, c := range []struct {
		x    I32F32
		want string
	}{
		{0, "0"}, {I32F32One, "1"}, {-I32F32One, "-1"}, {I32F32Half, "0.5"}, {-I32F32Half, "-0.5"},
		{1, "0.00000000023283064365386962890625"},
		{I32F32Max, "2147483647.99999999976716935634613037109375"},
		{I32F32Min, "-2147483648"},
	} {
		if got := c.x.String(); got != c.want {
			t.Errorf("String(%d) = %s, want %s", c.x, got, c.want)
		}
	}
	// nearest, ties to even
	for _, c := range []struct {
		s    string
		want I32F32
	}{
		{"0.000000000116415321826934814453125", 0}, // exactly ½ ulp → even (0)
		{"0.000000000116415321826934814453126", 1}, // just above ½ ulp
		{"0.000000000349245965480804443359375", 2}, // 1.5 ulp → even (2)
		{"-0.000000000349245965480804443359375", -2},
		{"0.1", 429496730}, {"-0.1", -429496730}, {".5", I32F32Half}, {"+3.", i(3)},
		{"2147483647.99999999976716935634613037109375", I32F32Max},
		{"-2147483648", I32F32Min},
		{"-2147483648.0000000001", I32F32Min}, // below MIN by less than ½ ulp: rounds to MIN
	} {
		got, err := ParseI32F32(c.s)
		if err != nil || got != c.want {
			t.Errorf("ParseI32F32(%q) = %d, %v; want %d", c.s, got, err, c.want)
		}
	}
	for _, s := range []string{"", ".", "-", "1e5", "0x10", "1.2.3", " 1", "2147483648", "-2147483648.0000000002", "2147483647.9999999999"} {
		if _, err := ParseI32F32(s); err == nil {
			t.Errorf("ParseI32F32(%q) accepted", s)
		}
	}
	if v, err := ParseU96F32("-0"); err != nil || !v.IsZero() {
		t.Errorf("ParseU96F32(-0) = %v, %v", v, err)
	}
	if _, err := ParseU96F32("-1"); err == nil {
		t.Error("ParseU96F32(-1) accepted")
	}
}

// expRef is substrate_fixed::transcendental::exp::<I32F32, I32F32> in math/big, written from the Rust
// source independently of Exp.
func expRef(x int64) (int64, bool) {
	one := big.NewInt(1 << 32)
	lo, hi := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	fits := func(v *big.Int) bool { return v.Cmp(lo) >= 0 && v.Cmp(hi) <= 0 }
	if x == 0 {
		return 1 << 32, true
	}
	if x == 1<<32 {
		return 22802600 << 9, true
	}
	neg := x < 0
	y := big.NewInt(x)
	if neg {
		y.Neg(y)
		if !fits(y) {
			y = big.NewInt(math.MinInt64) // wrapping negation
		}
	}
	result := new(big.Int).Add(y, one)
	if !fits(result) {
		return 0, false
	}
	term := new(big.Int).Set(y)
	for i := int64(2); i < 32; i++ {
		term = new(big.Int).Rsh(new(big.Int).Mul(term, y), 32)
		if !fits(term) {
			return 0, false
		}
		term = new(big.Int).Quo(new(big.Int).Lsh(term, 32), big.NewInt(i<<32))
		if !fits(term) {
			return 0, false
		}
		result = new(big.Int).Add(result, term)
		if !fits(result) {
			return 0, false
		}
	}
	if neg {
		q := new(big.Int).Quo(new(big.Int).Lsh(one, 32), result)
		if !fits(q) {
			return 0, false
		}
		return q.Int64(), true
	}
	return result.Int64(), true
}

func TestFixedExp(t *testing.T) {
	type want struct {
		raw int64
		ok  bool
	}
	exp20, _ := expRef(20 << 32)
	expm20, _ := expRef(-20 << 32)
	for _, c := range []struct {
		x I32F32
		w want
	}{
		{0, want{1 << 32, true}},
		{I32F32One, want{22802600 << 9, true}}, // e as I9F23
		{i(20), want{exp20, true}},
		{i(-20), want{expm20, true}},
		{i(21), want{0, false}},
		{i(-21), want{0, false}},
		{I32F32Max, want{0, false}},
		{I32F32Min, want{0, false}},
	} {
		got, ok := c.x.Exp()
		if ok != c.w.ok || (ok && int64(got) != c.w.raw) {
			t.Errorf("Exp(%s) = %d, %v; want %d, %v", c.x, got, ok, c.w.raw, c.w.ok)
		}
	}
	// exp(20) is the 31-term partial sum, 0.8% below e^20 (spec/yuma.md §1)
	if got := i(20).ExpSafe().String(); got[:12] != "481239357.67" {
		t.Errorf("ExpSafe(20) = %s, want 481239357.67…", got)
	}
	// exp(-1) uses the series for 1 (not the I9F23 e) and a reciprocal
	if got, _ := i(-1).Exp(); got != I32F32(mustRef(-1<<32)) {
		t.Errorf("Exp(-1) = %d", got)
	}
	// exp_safe clamps to [−20, 20]; errors map to 0 / MAX (unreachable after the clamp)
	for _, c := range []struct{ x, want I32F32 }{
		{i(21), i(20).ExpSafe()}, {i(1000), i(20).ExpSafe()}, {I32F32Max, i(20).ExpSafe()},
		{i(-21), i(-20).ExpSafe()}, {I32F32Min, i(-20).ExpSafe()}, {0, I32F32One},
	} {
		if got := c.x.ExpSafe(); got != c.want {
			t.Errorf("ExpSafe(%s) = %s, want %s", c.x, got, c.want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		var x int64
		if rapid.Bool().Draw(t, "wide") {
			x = rapid.Int64().Draw(t, "x")
		} else {
			x = rapid.Int64Range(-22<<32, 22<<32).Draw(t, "x")
		}
		wantRaw, wantOK := expRef(x)
		got, ok := I32F32(x).Exp()
		if ok != wantOK || (ok && int64(got) != wantRaw) {
			t.Fatalf("Exp(%d) = %d, %v; want %d, %v", x, got, ok, wantRaw, wantOK)
		}
	})
}

func mustRef(x int64) int64 {
	r, ok := expRef(x)
	if !ok {
		panic("expRef failed")
	}
	return r
}

func TestFixedWideConversions(t *testing.T) {
	// I64F64 → I32F32 floors (also for negatives) and saturates
	x, _ := ParseI64F64("-0.00000000000000000005421010862427522170037264004349708557128906250")
	if got := x.ToI32F32(); got != -1 {
		t.Errorf("I64F64(-2^-64).ToI32F32() = %d, want -1 (floor)", got)
	}
	if got := I64F64FromInt(1 << 40).ToI32F32(); got != I32F32Max {
		t.Errorf("saturation: %d", got)
	}
	if got := I64F64FromInt(-5).ToU64F64(); !got.IsZero() {
		t.Errorf("negative → unsigned: %s", got)
	}
	if got := U64F64Max.ToI64F64(); got != I64F64Max {
		t.Errorf("U64F64 MAX → I64F64 = %s", got)
	}
	if got := I64F64FromUint(math.MaxUint64); got != I64F64Max {
		t.Errorf("I64F64FromUint(max) = %s, want MAX", got)
	}
	if got := U96F32FromUint(math.MaxUint64).SaturatingToUint64(); got != math.MaxUint64 {
		t.Errorf("U96F32 round trip: %d", got)
	}
	// rao emission: floor(raw(x) × rao / 2^32) via I96F32
	share := MustParseI32F32("0.55")
	got := share.ToI96F32().Mul(I96F32FromUint(1_000_000_000)).SaturatingToUint64()
	if got != 549999999 && got != 550000000 {
		t.Errorf("rao: %d", got)
	}
	wantRao := new(big.Int).Rsh(new(big.Int).Mul(big.NewInt(int64(share)), big.NewInt(1e9)), 32).Uint64()
	if got != wantRao {
		t.Errorf("rao = %d, want %d", got, wantRao)
	}
}

func TestFixedDivU64Small(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.Uint64().Draw(t, "n")
		if rapid.Bool().Draw(t, "edge") {
			n = math.MaxUint64 - rapid.Uint64Range(0, 64).Draw(t, "d")
		}
		for d := uint64(2); d < 32; d++ {
			if got, want := divU64Small(n, d), n/d; got != want {
				t.Fatalf("divU64Small(%d, %d) = %d, want %d", n, d, got, want)
			}
		}
	})
}
