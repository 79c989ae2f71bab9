package yuma

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gotensor/gotensor/chain/fixed"
	"pgregory.net/rapid"
)

// Golden primitive vectors (schema yuma-golden-primitive/v1, golden/README.md §1).

type goldenPrimitiveFile struct {
	Schema    string `json:"schema"`
	Name      string `json:"name"`
	Functions []struct {
		Function string `json:"function"`
		Cases    []struct {
			Name     string         `json:"name"`
			Inputs   map[string]any `json:"inputs"`
			Expected any            `json:"expected"`
			Cmp      string         `json:"cmp"`
			Tol      any            `json:"tol"`
		} `json:"cases"`
	} `json:"functions"`
}

func loadGolden(t *testing.T, name string) goldenPrimitiveFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var f goldenPrimitiveFile
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if f.Schema != "yuma-golden-primitive/v1" {
		t.Fatalf("%s: schema %q", name, f.Schema)
	}
	return f
}

// bitsOf returns v["bits"] when v is a {"bits": ...} object, else v itself.
func bitsOf(v any) any {
	if m, ok := v.(map[string]any); ok {
		if b, ok := m["bits"]; ok {
			return b
		}
	}
	return v
}

func asInt(v any) int64 {
	n, ok := v.(json.Number)
	if !ok {
		panic(fmt.Sprintf("not a number: %#v", v))
	}
	i, err := n.Int64()
	if err != nil {
		panic(err)
	}
	return i
}

func asFix(v any) fixed.I32F32 { return fixed.I32F32(asInt(bitsOf(v))) }

func asVec(v any) []fixed.I32F32 {
	l := bitsOf(v).([]any)
	out := make([]fixed.I32F32, len(l))
	for i, x := range l {
		out[i] = fixed.I32F32(asInt(x))
	}
	return out
}

func asDense(v any) [][]fixed.I32F32 {
	l := bitsOf(v).([]any)
	out := make([][]fixed.I32F32, len(l))
	for i, r := range l {
		out[i] = asVec(r)
	}
	return out
}

func asSparse(v any) []SparseRow {
	l := bitsOf(v).([]any)
	out := make([]SparseRow, len(l))
	for i, r := range l {
		row := SparseRow{}
		for _, e := range r.([]any) {
			p := e.([]any)
			row = append(row, Entry{Col: uint16(asInt(p[0])), Val: fixed.I32F32(asInt(p[1]))})
		}
		out[i] = row
	}
	return out
}

func asU16s(v any) []uint16 {
	l := bitsOf(v).([]any)
	out := make([]uint16, len(l))
	for i, x := range l {
		out[i] = uint16(asInt(x))
	}
	return out
}

func asInts(v any) []int {
	l := v.([]any)
	out := make([]int, len(l))
	for i, x := range l {
		out[i] = int(asInt(x))
	}
	return out
}

func asBools(v any) []bool {
	l := v.([]any)
	out := make([]bool, len(l))
	for i, x := range l {
		out[i] = x.(bool)
	}
	return out
}

func tolBits(v any) int64 {
	if v == nil {
		return 0
	}
	return asInt(bitsOf(v))
}

func absDiff(a, b fixed.I32F32) int64 {
	d := int64(a) - int64(b)
	if d < 0 {
		d = -d
	}
	return d
}

// checkVec compares vectors under cmp ("eq" or "abs_le").
func checkVec(got, want []fixed.I32F32, cmp string, tol int64) error {
	if len(got) != len(want) {
		return fmt.Errorf("length %d, want %d (got %v, want %v)", len(got), len(want), got, want)
	}
	for i := range got {
		switch cmp {
		case "eq":
			if got[i] != want[i] {
				return fmt.Errorf("[%d] = %d (%s), want %d (%s)", i, got[i], got[i], want[i], want[i])
			}
		case "abs_le":
			if absDiff(got[i], want[i]) > tol {
				return fmt.Errorf("[%d] = %d, want %d ± %d", i, got[i], want[i], tol)
			}
		default:
			return fmt.Errorf("unknown cmp %q", cmp)
		}
	}
	return nil
}

func checkDense(got, want [][]fixed.I32F32, cmp string, tol int64) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d rows, want %d", len(got), len(want))
	}
	for i := range got {
		if err := checkVec(got[i], want[i], cmp, tol); err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
	}
	return nil
}

func checkSparse(got, want []SparseRow, cmp string, tol int64) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d rows, want %d", len(got), len(want))
	}
	for i := range got {
		if len(got[i]) != len(want[i]) {
			return fmt.Errorf("row %d: %v, want %v", i, got[i], want[i])
		}
		for k := range got[i] {
			g, w := got[i][k], want[i][k]
			if g.Col != w.Col {
				return fmt.Errorf("row %d entry %d: column %d, want %d", i, k, g.Col, w.Col)
			}
			switch cmp {
			case "eq", "eq_structure_and_values":
				if g.Val != w.Val {
					return fmt.Errorf("row %d col %d: %d, want %d", i, g.Col, g.Val, w.Val)
				}
			case "same_structure_abs_le":
				if absDiff(g.Val, w.Val) > tol {
					return fmt.Errorf("row %d col %d: %d, want %d ± %d", i, g.Col, g.Val, w.Val, tol)
				}
			default:
				return fmt.Errorf("unknown cmp %q", cmp)
			}
		}
	}
	return nil
}

func TestMathGolden(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "golden", "math_*.json"))
	if err != nil || len(paths) < 7 {
		t.Fatalf("golden math files: %v, %v", paths, err)
	}
	total := 0
	for _, p := range paths {
		name := filepath.Base(p)
		if name == "math_fixed_conversions.json" {
			continue // TestMathGoldenFixedConversions: a different case layout
		}
		f := loadGolden(t, name)
		for _, fn := range f.Functions {
			for _, c := range fn.Cases {
				total++
				in := c.Inputs
				tol := tolBits(c.Tol)
				var err error
				switch fn.Function {
				case "inplace_col_clip":
					m := asDense(in["matrix"])
					InplaceColClip(m, asVec(in["col_threshold"]))
					err = checkDense(m, asDense(c.Expected), c.Cmp, tol)
				case "col_clip_sparse":
					got := ColClipSparse(asSparse(in["matrix"]), asVec(in["col_threshold"]))
					err = checkSparse(got, asSparse(c.Expected), c.Cmp, tol)
				case "interpolate":
					got := Interpolate(asDense(in["mat1"]), asDense(in["mat2"]), asFix(in["ratio"]))
					err = checkDense(got, asDense(c.Expected), c.Cmp, tol)
				case "interpolate_sparse":
					got := InterpolateSparse(asSparse(in["mat1"]), asSparse(in["mat2"]), int(asInt(in["columns"])), asFix(in["ratio"]))
					err = checkSparse(got, asSparse(c.Expected), c.Cmp, tol)
				case "is_topk":
					got := IsTopK(asVec(in["vector"]), int(asInt(in["k"])))
					want := asBools(c.Expected)
					if fmt.Sprint(got) != fmt.Sprint(want) {
						err = fmt.Errorf("got %v, want %v", got, want)
					}
				case "mat_ema_alpha":
					got := MatEmaAlpha(asDense(in["new"]), asDense(in["old"]), asDense(in["alpha"]))
					err = checkDense(got, asDense(c.Expected), c.Cmp, tol)
				case "mat_ema_alpha_sparse":
					got := MatEmaAlphaSparse(asSparse(in["new"]), asSparse(in["old"]), asDense(in["alpha"]))
					err = checkSparse(got, asSparse(c.Expected), c.Cmp, tol)
				case "vec_max_upscale_to_u16":
					got := VecMaxUpscaleToU16(asVec(in["vec"]))
					if want := asU16s(c.Expected); fmt.Sprint(got) != fmt.Sprint(want) {
						err = fmt.Errorf("got %v, want %v", got, want)
					}
				case "vec_u16_max_upscale_to_u16":
					got := VecU16MaxUpscaleToU16(asU16s(in["vec_u16"]))
					if want := asU16s(c.Expected); fmt.Sprint(got) != fmt.Sprint(want) {
						err = fmt.Errorf("got %v, want %v", got, want)
					}
				case "weighted_median":
					got := WeightedMedian(asVec(in["stake"]), asVec(in["score"]), asInts(in["partition_idx"]),
						asFix(in["minority"]), asFix(in["partition_lo"]), asFix(in["partition_hi"]))
					err = checkVec([]fixed.I32F32{got}, []fixed.I32F32{asFix(c.Expected)}, c.Cmp, tol)
				case "weighted_median_col":
					got := WeightedMedianCol(asVec(in["stake"]), asDense(in["score"]), asFix(in["majority"]))
					err = checkVec(got, asVec(c.Expected), c.Cmp, tol)
				case "weighted_median_col_sparse":
					got := WeightedMedianColSparse(asVec(in["stake"]), asSparse(in["score"]), int(asInt(in["columns"])), asFix(in["majority"]))
					err = checkVec(got, asVec(c.Expected), c.Cmp, tol)
				default:
					err = fmt.Errorf("no Go function mapped to %s", fn.Function)
				}
				if err != nil {
					t.Errorf("%s: %s / case %q (cmp %s): %v", name, fn.Function, c.Name, c.Cmp, err)
				}
			}
		}
	}
	if total != 93 {
		t.Errorf("checked %d primitive cases, want 93 (did a vector file change?)", total)
	}
}

// TestMathGoldenFixedConversions checks math_fixed_conversions.json: the EMA alpha from
// bonds_moving_average and I64F64 normalisation followed by the I64F64 → I32F32 conversion.
func TestMathGoldenFixedConversions(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", "math_fixed_conversions.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Functions []struct {
			Function string `json:"function"`
			Cases    []struct {
				Name        string          `json:"name"`
				Computation string          `json:"computation"`
				Expected    json.RawMessage `json:"expected"`
			} `json:"cases"`
		} `json:"functions"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, fn := range f.Functions {
		for _, c := range fn.Cases {
			n++
			var exp struct {
				Bits       *int64 `json:"bits"`
				I64F64Bits string `json:"i64f64_bits"`
				I32F32Bits *int64 `json:"i32f32_bits"`
			}
			if err := json.Unmarshal(c.Expected, &exp); err != nil {
				t.Fatal(err)
			}
			switch {
			case exp.Bits != nil: // "alpha = 1 - I32F32(I64F64(900000) / I64F64(1000000))"
				bma := fixed.I64F64FromInt(900000).SaturatingDiv(fixed.I64F64FromInt(1000000))
				got := fixed.I32F32One.SaturatingSub(bma.ToI32F32())
				if int64(got) != *exp.Bits {
					t.Errorf("%s / %q: %d, want %d", fn.Function, c.Name, got, *exp.Bits)
				}
			default: // "I64F64(x) / I64F64(21000000000000000), then I32F32::from_num(that)"
				var num int64
				if _, err := fmt.Sscanf(c.Computation, "I64F64(%d)", &num); err != nil {
					t.Fatalf("%q: %v", c.Computation, err)
				}
				q := fixed.I64F64FromInt(num).Div(fixed.I64F64FromInt(21000000000000000))
				hi, lo := q.Raw()
				gotBits := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
				gotBits.Or(gotBits, new(big.Int).SetUint64(lo))
				if gotBits.String() != exp.I64F64Bits {
					t.Errorf("%s / %q: I64F64 bits %s, want %s", fn.Function, c.Name, gotBits, exp.I64F64Bits)
				}
				if got := q.ToI32F32(); int64(got) != *exp.I32F32Bits {
					t.Errorf("%s / %q: I32F32 bits %d, want %d", fn.Function, c.Name, got, *exp.I32F32Bits)
				}
			}
		}
	}
	if n != 5 {
		t.Errorf("checked %d conversion cases, want 5", n)
	}
}

func fx(s string) fixed.I32F32 { return fixed.MustParseI32F32(s) }

func TestMathNormalize(t *testing.T) {
	// spec/yuma.md §8: normalize([1]×10) gives raw 429496729 per entry, summing to less than 1.
	x := make([]fixed.I32F32, 10)
	for i := range x {
		x[i] = fixed.I32F32One
	}
	n := Normalize(x)
	for i, v := range n {
		if v != 429496729 {
			t.Fatalf("normalize([1]×10)[%d] = %d, want 429496729", i, v)
		}
	}
	if x[0] != fixed.I32F32One {
		t.Fatal("Normalize modified its input")
	}
	if Sum(n) >= fixed.I32F32One {
		t.Fatalf("sum %s ≥ 1", Sum(n))
	}
	z := []fixed.I32F32{0, 0}
	InplaceNormalize(z)
	if z[0] != 0 || z[1] != 0 {
		t.Fatal("zero vector changed")
	}
	// a sum of 0 with non-zero entries leaves the vector unchanged
	y := []fixed.I32F32{fx("1"), fx("-1")}
	InplaceNormalize(y)
	if y[0] != fx("1") || y[1] != fx("-1") {
		t.Fatal("zero-sum vector changed")
	}
	s64 := []fixed.I64F64{fixed.I64F64FromInt(1), fixed.I64F64FromInt(3)}
	InplaceNormalize64(s64)
	if s64[0].String() != "0.25" || s64[1].String() != "0.75" {
		t.Fatalf("normalize64 = %s, %s", s64[0], s64[1])
	}
}

func TestMathIsTopKNonzero(t *testing.T) {
	v := []fixed.I32F32{0, fx("1"), fx("1"), fx("2"), 0}
	if got := fmt.Sprint(IsTopKNonzero(v, 2)); got != "[false false true true false]" {
		t.Errorf("IsTopKNonzero(k=2) = %s (ties go to the higher index)", got)
	}
	if got := fmt.Sprint(IsTopKNonzero(v, 10)); got != "[false true true true false]" {
		t.Errorf("IsTopKNonzero(n<k) = %s", got)
	}
	if got := fmt.Sprint(IsTopK(v, 10)); got != "[true true true true true]" {
		t.Errorf("IsTopK(n<k) = %s", got)
	}
	if got := fmt.Sprint(IsTopKNonzero(v, 4)); got != "[false true true true false]" {
		t.Errorf("IsTopKNonzero(k=4) = %s (zeros stay false)", got)
	}
}

func TestMathVecMul(t *testing.T) {
	got := VecMul([]fixed.I32F32{fx("2"), fixed.I32F32Max, fx("-0.5")}, []fixed.I32F32{fx("3"), fx("2"), fx("0.5"), fx("9")})
	want := []fixed.I32F32{fx("6"), 0, fx("-0.25")}
	if err := checkVec(got, want, "eq", 0); err != nil {
		t.Error(err)
	}
}

func TestMathWeightedMedianCorners(t *testing.T) {
	q := fx("0.25")
	stake := []fixed.I32F32{q, q, q, q}
	// spec/yuma.md §6: stakes [¼,¼,¼,¼], scores [½,½,0,0], kappa(32767) → ½
	kappa := fixed.U16ProportionToFixed(32767)
	med := WeightedMedianColSparse(stake, []SparseRow{{{0, fx("0.5")}}, {{0, fx("0.5")}}, {}, {}}, 1, kappa)
	if med[0] != fx("0.5") {
		t.Errorf("test_active_stake corner: %s, want 0.5", med[0])
	}
	dense := WeightedMedianCol(stake, [][]fixed.I32F32{{fx("0.5")}, {fx("0.5")}, {0}, {0}}, kappa)
	if dense[0] != med[0] {
		t.Errorf("dense %s != sparse %s", dense[0], med[0])
	}
	// zero-stake rows are excluded; missing sparse entries are 0
	med = WeightedMedianColSparse([]fixed.I32F32{0, fx("1")}, []SparseRow{{{0, fx("0.9")}}, {}}, 1, kappa)
	if med[0] != 0 {
		t.Errorf("zero-stake row counted: %s", med[0])
	}
	// entries in columns ≥ columns are ignored, rows beyond stake are ignored
	med = WeightedMedianColSparse([]fixed.I32F32{fx("1")}, []SparseRow{{{5, fx("0.9")}, {0, fx("0.3")}}, {{0, fx("1")}}}, 1, kappa)
	if med[0] != fx("0.3") {
		t.Errorf("got %s", med[0])
	}
	// order dependence: the pivot is the middle element of the partition as given
	st := []fixed.I32F32{fx("0.2"), fx("0.2"), fx("0.2"), fx("0.2"), fx("0.2")}
	sc := []fixed.I32F32{fx("0.1"), fx("0.2"), fx("0.3"), fx("0.4"), fx("0.5")}
	a := WeightedMedian(st, sc, []int{0, 1, 2, 3, 4}, fx("0.5"), 0, fx("1"))
	if a != fx("0.3") {
		t.Errorf("median = %s, want 0.3", a)
	}
	if got := WeightedMedian(st, sc[:4], []int{0}, 0, 0, 0); got != 0 {
		t.Errorf("length mismatch should give 0, got %s", got)
	}
}

func TestMathSparseHelpers(t *testing.T) {
	m := []SparseRow{{{1, fx("2")}, {0, fx("1")}}, {{1, fx("6")}}, {}}
	InplaceColNormalizeSparse(m, 3)
	want := []SparseRow{{{1, fx("0.25")}, {0, fx("1")}}, {{1, fx("0.75")}}, {}}
	if err := checkSparse(m, want, "eq", 0); err != nil {
		t.Error(err)
	}
	InplaceColMaxUpscaleSparse(m, 3)
	want = []SparseRow{{{1, fixed.I32F32(1431655765)}, {0, fx("1")}}, {{1, fx("1")}}, {}}
	if err := checkSparse(m, want, "eq", 0); err != nil {
		t.Error(err)
	}
	r := []SparseRow{{{2, fx("3")}, {0, fx("1")}}, {{0, 0}}}
	InplaceRowNormalizeSparse(r)
	if r[0][0].Val != fx("0.75") || r[0][1].Val != fx("0.25") || r[1][0].Val != 0 {
		t.Errorf("row normalise: %v", r)
	}
	ranks := MatmulSparse([]SparseRow{{{0, fx("0.5")}, {1, fx("0.5")}}, {{1, fx("1")}}}, []fixed.I32F32{fx("0.5"), fx("0.5")}, 2)
	if ranks[0] != fx("0.25") || ranks[1] != fx("0.75") {
		t.Errorf("matmul_sparse: %v", ranks)
	}
	d := MatmulTransposeSparse([]SparseRow{{{0, fx("0.5")}, {1, fx("0.5")}}, {{1, fx("1")}}}, []fixed.I32F32{fx("0.5"), fx("1")})
	if d[0] != fx("0.75") || d[1] != fx("1") {
		t.Errorf("matmul_transpose_sparse: %v", d)
	}
	ema := MatEmaSparse([]SparseRow{{{1, fx("1")}}, {}}, []SparseRow{{{0, fx("1")}}, {{1, fx("0.5")}}}, fx("0.1"))
	wantEma := []SparseRow{
		{{0, fx("1").Mul(fixed.I32F32One - fx("0.1"))}, {1, fx("0.1")}},
		{{1, fx("0.5").Mul(fixed.I32F32One - fx("0.1"))}},
	}
	if err := checkSparse(ema, wantEma, "eq", 0); err != nil {
		t.Errorf("mat_ema_sparse: %v", err)
	}
	mv := MatVecMulSparse([]SparseRow{{{0, fx("2")}, {1, fx("3")}, {5, fx("1")}}}, []fixed.I32F32{fx("0.5"), 0})
	if err := checkSparse(mv, []SparseRow{{{0, fx("1")}}}, "eq", 0); err != nil {
		t.Errorf("mat_vec_mul_sparse: %v", err)
	}
	// results do not share backing arrays between rows
	clip := ColClipSparse([]SparseRow{{{0, fx("1")}}, {{0, fx("2")}}}, []fixed.I32F32{fx("5")})
	clip[0] = append(clip[0], Entry{1, fx("9")})
	if clip[1][0].Val != fx("2") {
		t.Error("appending to one result row overwrote the next")
	}
}

func TestMathAlphaSigmoid(t *testing.T) {
	// steepness 1: saturating_div(1, −100) is raw −42949672 (truncation toward zero)
	if got := fixed.I32F32FromInt(1).SaturatingDiv(fixed.I32F32FromInt(-100)); got != -42949672 {
		t.Fatalf("steep/−100 = %d", got)
	}
	lo, hi := fixed.U16ProportionToFixed(45875), fixed.U16ProportionToFixed(58982)
	steep := fixed.I32F32FromInt(1000)
	for _, c := range []struct{ c, w, b string }{
		{"0.5", "0.5", "0"}, {"0", "1", "0"}, {"0.3", "0.1", "0.9"}, {"0", "0", "0"}, {"1", "0", "1"},
	} {
		a := AlphaSigmoid(fx(c.c), fx(c.w), fx(c.b), lo, hi, steep)
		if a < lo || a > hi {
			t.Errorf("alpha(%v) = %s outside [%s, %s]", c, a, lo, hi)
		}
		// reference: the formula step by step
		var d fixed.I32F32
		if fx(c.w) >= fx(c.b) {
			d = (fx(c.w) - fx(c.c)).Clamp(0, fixed.I32F32One)
		} else {
			d = (fx(c.b) - fx(c.w)).Clamp(0, fixed.I32F32One)
		}
		x := fixed.I32F32FromInt(-10).Mul(d - fixed.I32F32Half)
		e, _ := x.Exp()
		sig := fixed.I32F32One.Div(fixed.I32F32One + e)
		want := (lo + sig.Mul(hi-lo)).Clamp(lo, hi)
		if a != want {
			t.Errorf("alpha(%v) = %d, want %d", c, a, want)
		}
	}
	// d = 0.5 gives x = 0, exp = 1, σ = ½ exactly
	if got, want := AlphaSigmoid(0, fx("0.5"), 0, lo, hi, steep), lo+fixed.I32F32Half.Mul(hi-lo); got != want {
		t.Errorf("midpoint alpha = %d, want %d", got, want)
	}
}

func TestMathVecU16MaxUpscale(t *testing.T) {
	// spec/yuma.md §2 and §8 item 7
	for _, c := range []struct{ in, want []uint16 }{
		{[]uint16{43690, 21845}, []uint16{65535, 32768}},
		{[]uint16{32767, 32767}, []uint16{65535, 65535}},
		{[]uint16{0, 0}, []uint16{0, 0}},
		{[]uint16{1, 2}, []uint16{32768, 65535}},
	} {
		if got := VecU16MaxUpscaleToU16(c.in); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("VecU16MaxUpscaleToU16(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestMathSparseMatchesDense checks the sparse primitives against their dense counterparts on random
// matrices, where the spec says the two agree (sparse rows hold exactly the non-zero entries).
func TestMathSparseMatchesDense(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "n")
		val := func(label string) fixed.I32F32 {
			switch rapid.IntRange(0, 3).Draw(t, label+"k") {
			case 0:
				return 0
			case 1:
				return fixed.I32F32(rapid.Int64Range(0, 1<<32).Draw(t, label)) // [0, 1]
			case 2:
				return fixed.I32F32(rapid.Int64Range(0, 4).Draw(t, label) << 30) // quarters: ties
			}
			return fixed.I32F32(rapid.Int64Range(0, 1<<40).Draw(t, label))
		}
		mat := func(name string) ([][]fixed.I32F32, []SparseRow) {
			d := make([][]fixed.I32F32, n)
			s := make([]SparseRow, n)
			for i := range d {
				d[i] = make([]fixed.I32F32, n)
				for j := range d[i] {
					d[i][j] = val(fmt.Sprintf("%s%d_%d", name, i, j))
					if d[i][j] != 0 {
						s[i] = append(s[i], Entry{uint16(j), d[i][j]})
					}
				}
			}
			return d, s
		}
		positives := func(d [][]fixed.I32F32) []SparseRow {
			out := make([]SparseRow, len(d))
			for i, r := range d {
				out[i] = SparseRow{}
				for j, v := range r {
					if v > 0 {
						out[i] = append(out[i], Entry{uint16(j), v})
					}
				}
			}
			return out
		}
		nonEmpty := func(m []SparseRow) []SparseRow {
			for i := range m {
				if m[i] == nil {
					m[i] = SparseRow{}
				}
			}
			return m
		}
		ad, as := mat("a")
		bd, bs := mat("b")
		stake := make([]fixed.I32F32, n)
		for i := range stake {
			stake[i] = val(fmt.Sprintf("s%d", i))
		}
		majority := fixed.U16ProportionToFixed(rapid.Uint16().Draw(t, "kappa"))

		if err := checkVec(WeightedMedianColSparse(stake, as, n, majority), WeightedMedianCol(stake, ad, majority), "eq", 0); err != nil {
			t.Fatalf("weighted median sparse vs dense: %v", err)
		}
		ratio := fixed.I32F32(rapid.Int64Range(1, 1<<32-1).Draw(t, "ratio"))
		if err := checkSparse(nonEmpty(InterpolateSparse(as, bs, n, ratio)), positives(Interpolate(ad, bd, ratio)), "eq", 0); err != nil {
			t.Fatalf("interpolate sparse vs dense: %v", err)
		}
		thr := make([]fixed.I32F32, n)
		for j := range thr {
			thr[j] = val(fmt.Sprintf("t%d", j))
		}
		clipped := ColClipSparse(as, thr)
		InplaceColClip(ad, thr)
		if err := checkSparse(positives(sparseToDense(clipped, n)), positives(ad), "eq", 0); err != nil {
			t.Fatalf("col clip sparse vs dense: %v", err)
		}
		// EMA with per-entry alpha: equal wherever the new row lists every column (here: all entries,
		// zeros included, as the dense path decays bonds where the weight is 0).
		alpha := make([][]fixed.I32F32, n)
		full := make([]SparseRow, n)
		for i := range alpha {
			alpha[i] = make([]fixed.I32F32, n)
			for j := range alpha[i] {
				alpha[i][j] = fixed.I32F32(rapid.Int64Range(0, 1<<32).Draw(t, fmt.Sprintf("al%d_%d", i, j)))
				full[i] = append(full[i], Entry{uint16(j), bd[i][j]})
			}
		}
		oldD := make([][]fixed.I32F32, n)
		for i := range oldD {
			oldD[i] = slices.Clone(bd[(i+1)%n])
		}
		if err := checkSparse(nonEmpty(MatEmaAlphaSparse(full, denseToSparse(oldD), alpha)), positives(MatEmaAlpha(bd, oldD, alpha)), "eq", 0); err != nil {
			t.Fatalf("mat_ema_alpha sparse vs dense: %v", err)
		}
	})
}

func sparseToDense(m []SparseRow, n int) [][]fixed.I32F32 {
	d := make([][]fixed.I32F32, len(m))
	for i, r := range m {
		d[i] = make([]fixed.I32F32, n)
		for _, e := range r {
			d[i][e.Col] = e.Val
		}
	}
	return d
}

func denseToSparse(d [][]fixed.I32F32) []SparseRow {
	s := make([]SparseRow, len(d))
	for i, r := range d {
		for j, v := range r {
			if v != 0 {
				s[i] = append(s[i], Entry{uint16(j), v})
			}
		}
	}
	return s
}
