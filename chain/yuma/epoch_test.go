package yuma

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/gotensor/gotensor/chain/fixed"
)

// genSubnet draws a random subnet: validators 0..v-1 (staked; permitted unless noPermits), miners v..n-1
// without stake. Weight and bond rows are sorted and unique. The block at registration of some uids is
// recent, so outdated and recently-registered masks apply.
func genSubnet(t *rapid.T, kind string) *Inputs {
	n := rapid.IntRange(1, 24).Draw(t, "n")
	v := rapid.IntRange(1, n).Draw(t, "validators")
	p := benchParams(kind)
	p.MaxAllowedValidators = uint16(rapid.IntRange(1, 32).Draw(t, "maxValidators"))
	p.Kappa = uint16(rapid.IntRange(0, 65535).Draw(t, "kappa"))
	p.BondsPenalty = rapid.SampledFrom([]uint16{0, 65535, 32768, uint16(rapid.IntRange(0, 65535).Draw(t, "bp"))}).Draw(t, "bondsPenalty")
	p.BondsMovingAverage = rapid.SampledFrom([]uint64{900000, 975000, 500000, 0}).Draw(t, "bma")
	p.AlphaLow = uint16(rapid.IntRange(1638, 60000).Draw(t, "alphaLow"))
	p.AlphaHigh = uint16(rapid.IntRange(int(p.AlphaLow), 65535).Draw(t, "alphaHigh"))
	p.AlphaSigmoidSteepness = int16(rapid.IntRange(0, 5000).Draw(t, "steep"))
	p.Tempo = 10
	p.ActivityCutoff = 50
	in := &Inputs{N: n, AlphaStake: make([]uint64, n), OwnerUID: NoOwner, LastUpdate: make([]uint64, n),
		BlockAtRegistration: make([]uint64, n), ValidatorPermit: make([]bool, n), CurrentBlock: 100,
		RaoEmission: rapid.Uint64Range(0, 1<<50).Draw(t, "rao"), Params: p}
	for i := 0; i < n; i++ {
		in.BlockAtRegistration[i] = rapid.SampledFrom([]uint64{1, 1, 1, 50, 95}).Draw(t, "bar")
		in.LastUpdate[i] = rapid.SampledFrom([]uint64{99, 99, 99, 40, 96}).Draw(t, "lu")
		if i < v {
			in.AlphaStake[i] = rapid.Uint64Range(0, 1<<44).Draw(t, "stake")
			in.ValidatorPermit[i] = rapid.IntRange(0, 9).Draw(t, "permit") > 0
		}
	}
	for i := 0; i < n; i++ {
		var cols, vals []uint16
		if i < v || rapid.Bool().Draw(t, "minerWeights") {
			for j := 0; j < n; j++ {
				if rapid.IntRange(0, 2).Draw(t, "has") > 0 {
					cols = append(cols, uint16(j))
					vals = append(vals, uint16(rapid.IntRange(0, 65535).Draw(t, "w")))
				}
			}
			if len(vals) > 0 {
				vals = VecU16MaxUpscaleToU16(vals)
			}
		}
		in.Weights.AppendRow(cols, vals)
	}
	for i := 0; i < n; i++ {
		var cols, vals []uint16
		if in.ValidatorPermit[i] {
			for j := 0; j < n; j++ {
				if rapid.IntRange(0, 2).Draw(t, "hasBond") == 0 {
					cols = append(cols, uint16(j))
					vals = append(vals, uint16(rapid.IntRange(1, 65535).Draw(t, "b")))
				}
			}
		}
		in.Bonds.AppendRow(cols, vals)
	}
	return in
}

func mustRun(t interface{ Fatalf(string, ...any) }, in *Inputs, m Mode) *Outputs {
	out, err := Run(in, m)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out
}

// storedBonds applies the bond writes of out to the stored rows of in, as a dense matrix.
func storedBonds(in *Inputs, out *Outputs) [][]uint16 {
	m := make([][]uint16, in.N)
	for i := range m {
		m[i] = make([]uint16, in.N)
		cols, vals := in.Bonds.Row(i)
		if out.BondsWrite[i] {
			cols, vals = out.Bonds.Row(i)
		}
		for k, j := range cols {
			if int(j) < in.N {
				m[i][j] = vals[k]
			}
		}
	}
	return m
}

func TestPropertyEmissionNeverExceedsRao(t *testing.T) {
	for _, kind := range []string{"classic", "yuma3", "yuma3la"} {
		t.Run(kind, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				in := genSubnet(t, kind)
				for _, m := range []Mode{Sparse, Dense} {
					out := mustRun(t, in, m)
					var srv, val, comb uint64
					for i := 0; i < in.N; i++ {
						srv += out.ServerEmission[i]
						val += out.ValidatorEmission[i]
						comb += out.Emission[i]
					}
					if srv+val > in.RaoEmission || comb > in.RaoEmission {
						t.Fatalf("%v: server %d + validator %d or combined %d exceed rao %d", m, srv, val, comb, in.RaoEmission)
					}
				}
			})
		})
	}
}

func TestPropertyIncentiveSumsToOne(t *testing.T) {
	for _, kind := range []string{"classic", "yuma3", "yuma3la"} {
		t.Run(kind, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				in := genSubnet(t, kind)
				// Every validator active and permitted: a column with consensus > 0 then has a validator with
				// active stake whose clipped weight on it is > 0, so the ranks have a positive sum.
				for i := range in.LastUpdate {
					in.LastUpdate[i] = 99
					in.BlockAtRegistration[i] = 1
					in.ValidatorPermit[i] = true
				}
				out := mustRun(t, in, Sparse)
				if !slices.ContainsFunc(out.Consensus, func(c uint16) bool { return c > 0 }) {
					return
				}
				sum := 0
				for _, x := range out.Incentive {
					sum += int(x)
				}
				if sum > 65535 || sum < 65535-in.N-1 {
					t.Fatalf("Σ incentive = %d, want 65535 - [0, n+1] (n = %d)", sum, in.N)
				}
			})
		})
	}
}

// TestPropertyDenseEqualsSparse: with no owner, no commit mask, sorted unique rows and (for liquid alpha)
// no stored bonds, the two paths store the same numbers (spec/yuma.md §9), epoch after epoch for the fixed
// EMA modes.
func TestPropertyDenseEqualsSparse(t *testing.T) {
	for _, kind := range []string{"classic", "yuma3", "yuma3la"} {
		t.Run(kind, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				in := genSubnet(t, kind)
				if kind == "yuma3la" {
					in.Bonds = Rows{}
				}
				ins, ind := in, in
				epochs := 3
				if kind == "yuma3la" {
					epochs = 1
				}
				for e := 0; e < epochs; e++ {
					os, od := mustRun(t, ins, Sparse), mustRun(t, ind, Dense)
					compareOutputs(t, fmt.Sprintf("epoch %d", e), os, od)
					bs, bd := storedBonds(ins, os), storedBonds(ind, od)
					if !reflect.DeepEqual(bs, bd) {
						t.Fatalf("epoch %d: stored bonds differ:\nsparse %v\ndense  %v", e, bs, bd)
					}
					ins, ind = advance(ins, os), advance(ind, od)
				}
			})
		})
	}
}

// advance returns the next epoch's inputs: the stored permits and bonds of out, the block moved on.
func advance(in *Inputs, out *Outputs) *Inputs {
	nx := *in
	nx.ValidatorPermit = slices.Clone(out.ValidatorPermit)
	var b Rows
	for i := 0; i < in.N; i++ {
		c, v := in.Bonds.Row(i)
		if out.BondsWrite[i] {
			c, v = out.Bonds.Row(i)
		}
		// Dense stores explicit zeros; drop them so both paths read the same rows.
		var cc, vv []uint16
		for k := range c {
			if v[k] != 0 {
				cc, vv = append(cc, c[k]), append(vv, v[k])
			}
		}
		b.AppendRow(cc, vv)
	}
	nx.Bonds = b
	nx.CurrentBlock += 10
	return &nx
}

func compareOutputs(t *rapid.T, what string, a, b *Outputs) {
	fields := []struct {
		name string
		x, y any
	}{
		{"incentive", a.Incentive, b.Incentive}, {"dividends", a.Dividends, b.Dividends},
		{"consensus", a.Consensus, b.Consensus}, {"validator_trust", a.ValidatorTrust, b.ValidatorTrust},
		{"stake_weight", a.StakeWeight, b.StakeWeight}, {"rank", a.Rank, b.Rank}, {"trust", a.Trust, b.Trust},
		{"active", a.Active, b.Active}, {"validator_permit", a.ValidatorPermit, b.ValidatorPermit},
		{"emission", a.Emission, b.Emission}, {"server_emission", a.ServerEmission, b.ServerEmission},
		{"validator_emission", a.ValidatorEmission, b.ValidatorEmission},
	}
	for _, f := range fields {
		if !reflect.DeepEqual(f.x, f.y) {
			t.Fatalf("%s: %s differ:\nsparse %v\ndense  %v", what, f.name, f.x, f.y)
		}
	}
}

// TestPropertyMinerPermutation: relabelling the miners (uids without stake) permutes every output the same
// way; the validators keep their uids, so the median's row order is unchanged.
func TestPropertyMinerPermutation(t *testing.T) {
	for _, kind := range []string{"classic", "yuma3", "yuma3la"} {
		t.Run(kind, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				in := genSubnet(t, kind)
				v := 0
				for v < in.N && in.AlphaStake[v] != 0 || v < in.N && in.ValidatorPermit[v] {
					v++
				}
				perm := make([]int, in.N) // perm[old] = new
				for i := range perm {
					perm[i] = i
				}
				miners := perm[v:]
				shuffled := rapid.Permutation(slices.Clone(miners)).Draw(t, "perm")
				copy(miners, shuffled)
				for i := v; i < in.N; i++ {
					if in.AlphaStake[i] != 0 || in.ValidatorPermit[i] {
						return // only zero-stake, unpermitted uids are relabelled
					}
				}
				pin := permuteInputs(in, perm)
				for _, m := range []Mode{Sparse, Dense} {
					a, b := mustRun(t, in, m), mustRun(t, pin, m)
					pa := permuteOutputs(a, perm)
					compareOutputs(t, m.String(), pa, b)
					if ba, bb := storedBonds(pin, pa), storedBonds(pin, b); !reflect.DeepEqual(ba, bb) {
						t.Fatalf("%v: bonds differ after permutation:\n%v\n%v", m, ba, bb)
					}
				}
			})
		})
	}
}

func permuteRows(r *Rows, n int, perm []int) Rows {
	rows := make([][2][]uint16, n)
	for i := 0; i < n; i++ {
		cols, vals := r.Row(i)
		type e struct{ c, v uint16 }
		es := make([]e, len(cols))
		for k := range cols {
			es[k] = e{uint16(perm[cols[k]]), vals[k]}
		}
		slices.SortFunc(es, func(a, b e) int { return int(a.c) - int(b.c) })
		var cc, vv []uint16
		for _, x := range es {
			cc, vv = append(cc, x.c), append(vv, x.v)
		}
		rows[perm[i]] = [2][]uint16{cc, vv}
	}
	var out Rows
	for _, x := range rows {
		out.AppendRow(x[0], x[1])
	}
	return out
}

func permuteSlice[T any](x []T, perm []int) []T {
	if x == nil {
		return nil
	}
	y := make([]T, len(x))
	for i := range x {
		y[perm[i]] = x[i]
	}
	return y
}

func permuteInputs(in *Inputs, perm []int) *Inputs {
	p := *in
	p.AlphaStake = permuteSlice(in.AlphaStake, perm)
	p.LastUpdate = permuteSlice(in.LastUpdate, perm)
	p.BlockAtRegistration = permuteSlice(in.BlockAtRegistration, perm)
	p.ValidatorPermit = permuteSlice(in.ValidatorPermit, perm)
	p.Weights = permuteRows(&in.Weights, in.N, perm)
	p.Bonds = permuteRows(&in.Bonds, in.N, perm)
	return &p
}

func permuteOutputs(o *Outputs, perm []int) *Outputs {
	p := *o
	p.Incentive, p.Dividends, p.Consensus = permuteSlice(o.Incentive, perm), permuteSlice(o.Dividends, perm), permuteSlice(o.Consensus, perm)
	p.ValidatorTrust, p.StakeWeight = permuteSlice(o.ValidatorTrust, perm), permuteSlice(o.StakeWeight, perm)
	p.Rank, p.Trust = permuteSlice(o.Rank, perm), permuteSlice(o.Trust, perm)
	p.Active, p.ValidatorPermit = permuteSlice(o.Active, perm), permuteSlice(o.ValidatorPermit, perm)
	p.Emission, p.ServerEmission = permuteSlice(o.Emission, perm), permuteSlice(o.ServerEmission, perm)
	p.ValidatorEmission = permuteSlice(o.ValidatorEmission, perm)
	p.BondsWrite = permuteSlice(o.BondsWrite, perm)
	p.Bonds = permuteRows(&o.Bonds, len(o.Incentive), perm)
	return &p
}

// TestGOMAXPROCSIndependent: the parallel engine gives identical outputs with 1 and 2 (and 3) threads.
func TestGOMAXPROCSIndependent(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, kind := range []string{"classic", "yuma3", "yuma3la"} {
		for _, n := range []int{300, 2048} {
			in := benchInputs(n, 64, benchParams(kind), 3)
			runtime.GOMAXPROCS(1)
			first := mustRun(t, in, Sparse)
			in2 := nextEpoch(in, first, 4)
			second := mustRun(t, in2, Sparse)
			for _, procs := range []int{2, 3} {
				runtime.GOMAXPROCS(procs)
				if got := mustRun(t, in, Sparse); !reflect.DeepEqual(got, first) {
					t.Fatalf("%s n=%d: first epoch differs with GOMAXPROCS=%d", kind, n, procs)
				}
				if got := mustRun(t, in2, Sparse); !reflect.DeepEqual(got, second) {
					t.Fatalf("%s n=%d: second epoch differs with GOMAXPROCS=%d", kind, n, procs)
				}
			}
			runtime.GOMAXPROCS(1)
		}
	}
}

// refLaEmaSparse is the chain's sparse liquid-alpha EMA written literally: a dense alpha matrix from the
// ascending peek walk (compute_liquid_alpha_values_sparse), then math.go's MatEmaAlphaSparse.
func refLaEmaSparse(w, b []SparseRow, cons []fixed.I32F32, p Params) []SparseRow {
	lo, hi := fixed.U16ProportionToFixed(p.AlphaLow), fixed.U16ProportionToFixed(p.AlphaHigh)
	steep := fixed.I32F32FromInt(int64(p.AlphaSigmoidSteepness))
	alphas := make([][]fixed.I32F32, len(w))
	for i := range w {
		wi, bi := 0, 0
		for j := range cons {
			var wv, bv fixed.I32F32
			for wi < len(w[i]) {
				if c := int(w[i][wi].Col); c < j {
					wi++
					continue
				} else if c == j {
					wv = w[i][wi].Val
				}
				break
			}
			for bi < len(b[i]) {
				if c := int(b[i][bi].Col); c < j {
					bi++
					continue
				} else if c == j {
					bv = b[i][bi].Val
				}
				break
			}
			alphas[i] = append(alphas[i], AlphaSigmoid(cons[j], wv, bv, lo, hi, steep))
		}
	}
	return MatEmaAlphaSparse(w, b, alphas)
}

// TestLiquidAlphaRowsMatchLiteral checks the fast liquid-alpha EMA (merge and four-lane exp, or the walk
// emulation for unsorted rows) against the literal chain algorithm, including unsorted and duplicate
// entries.
func TestLiquidAlphaRowsMatchLiteral(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 40).Draw(t, "n")
		sorted := rapid.Bool().Draw(t, "sorted")
		row := func(label string) ([]uint16, []int64) {
			var c []uint16
			var v []int64
			for j := 0; j < n; j++ {
				if rapid.Bool().Draw(t, label) {
					c = append(c, uint16(j))
					v = append(v, rapid.Int64Range(0, rOne).Draw(t, label+"v"))
				}
			}
			if !sorted && len(c) > 1 {
				perm := rapid.Permutation(c).Draw(t, label+"perm")
				c = perm
				if rapid.Bool().Draw(t, label+"dup") {
					c = append(c, c[0])
					v = append(v, rapid.Int64Range(0, rOne).Draw(t, label+"dupv"))
				}
			}
			return c, v
		}
		wc, wv := row("w")
		bc, bv := row("b")
		cons := make([]int64, n)
		for j := range cons {
			cons[j] = rapid.Int64Range(0, rOne).Draw(t, "c")
		}
		p := Params{AlphaLow: uint16(rapid.IntRange(1638, 65535).Draw(t, "lo"))}
		p.AlphaHigh = uint16(rapid.IntRange(int(p.AlphaLow), 65535).Draw(t, "hi"))
		p.AlphaSigmoidSteepness = int16(rapid.IntRange(-2000, 32767).Draw(t, "steep"))
		la := laParamsFrom(&p)
		outC, outV := make([]uint16, len(wc)), make([]int64, len(wc))
		k := smatLaEmaRow(wc, wv, bc, bv, cons, la, &laBuf{}, newRowScratch(n), newRowScratch(n), newRowScratch(n), outC, outV, colsAscending(wc) && colsAscending(bc))

		toRow := func(c []uint16, v []int64) SparseRow {
			r := SparseRow{}
			for i := range c {
				r = append(r, Entry{Col: c[i], Val: fixed.I32F32FromRaw(v[i])})
			}
			return r
		}
		fc := make([]fixed.I32F32, n)
		for j := range cons {
			fc[j] = fixed.I32F32FromRaw(cons[j])
		}
		want := refLaEmaSparse([]SparseRow{toRow(wc, wv)}, []SparseRow{toRow(bc, bv)}, fc, p)[0]
		got := toRow(outC[:k], outV[:k])
		if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("liquid-alpha row:\n got  %v\n want %v", got, want)
		}
	})
}

func TestInputsValidation(t *testing.T) {
	in := benchInputs(8, 2, benchParams("yuma3"), 1)
	bad := *in
	bad.AlphaStake = bad.AlphaStake[:3]
	if _, err := Epoch(&bad); !errors.Is(err, ErrInputs) {
		t.Fatalf("short AlphaStake: err = %v, want ErrInputs", err)
	}
	bad = *in
	bad.OwnerUID = 8
	if _, err := Epoch(&bad); !errors.Is(err, ErrInputs) {
		t.Fatalf("owner out of range: err = %v", err)
	}
	bad = *in
	bad.Weights = Rows{Ptr: []int32{0, 5}, Cols: []uint16{1}, Vals: []uint16{1}}
	if _, err := Epoch(&bad); !errors.Is(err, ErrInputs) {
		t.Fatalf("bad Ptr: err = %v", err)
	}
	if _, err := Run(in, Mode(9)); err == nil {
		t.Fatal("unknown mode accepted")
	}
	empty := &Inputs{N: 0, OwnerUID: NoOwner}
	for _, m := range []Mode{Sparse, Dense} {
		out := mustRun(t, empty, m)
		if len(out.Incentive) != 0 {
			t.Fatalf("%v: n = 0 gives outputs", m)
		}
	}
}

// TestWeightedMedianMatchesMath compares the engine's median with math.go's WeightedMedian (the chain's
// literal algorithm), on the given order and on a shuffled one: the engine picks its pivots differently,
// which is only right because the result does not depend on the order (see pivotOf).
func TestWeightedMedianMatchesMath(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(1, 70).Draw(t, "k")
		stake := make([]int64, k)
		score := make([]int64, k)
		for i := range stake {
			stake[i] = rapid.OneOf(rapid.Int64Range(1, 1<<30), rapid.Just(int64(1)), rapid.Int64Range(1, 100)).Draw(t, "stake")
			score[i] = rapid.SampledFrom([]int64{0, rOne / 4, rOne / 2, rOne, rapid.Int64Range(0, rOne).Draw(t, "s")}).Draw(t, "score")
		}
		rNormalize(stake)
		total := rSum(stake)
		kappa := rDivSafe(int64(rapid.IntRange(0, 65535).Draw(t, "kappa"))<<32, 65535<<32)
		minority := rSubSat(total, kappa)
		literal := func(stake, score []int64) int64 {
			fs, fsc := make([]fixed.I32F32, k), make([]fixed.I32F32, k)
			idx := make([]int, k)
			for i := range fs {
				fs[i], fsc[i], idx[i] = fixed.I32F32FromRaw(stake[i]), fixed.I32F32FromRaw(score[i]), i
			}
			return WeightedMedian(fs, fsc, idx, fixed.I32F32FromRaw(minority), 0, fixed.I32F32FromRaw(total)).Raw()
		}
		want := literal(stake, score)
		if got := rMedian(medianKeys(score), make([]uint64, k), newStakeTable(stake), minority); got != want {
			t.Fatalf("median = %d, math.go %d", got, want)
		}
		perm := rapid.Permutation(func() []int {
			p := make([]int, k)
			for i := range p {
				p[i] = i
			}
			return p
		}()).Draw(t, "perm")
		ps, pc := make([]int64, k), make([]int64, k)
		for i, j := range perm {
			ps[i], pc[i] = stake[j], score[j]
		}
		if got := literal(ps, pc); got != want {
			t.Fatalf("the chain's median depends on the order here: %d vs %d", got, want)
		}
		if got := rMedian(medianKeys(pc), make([]uint64, k), newStakeTable(ps), minority); got != want {
			t.Fatalf("shuffled: median = %d, want %d", got, want)
		}
	})
}

// medianKeys packs scores with their indices for rMedian.
func medianKeys(score []int64) []uint64 {
	keys := make([]uint64, len(score))
	for k, s := range score {
		keys[k] = medianKey(s, k)
	}
	return keys
}

func TestTopKTies(t *testing.T) {
	// At equal stake the higher uid wins (stable ascending sort).
	got := rTopK([]int64{5, 5, 5, 0}, 2)
	if want := []bool{false, true, true, false}; !reflect.DeepEqual(got, want) {
		t.Fatalf("topk = %v, want %v", got, want)
	}
	r := rand.New(rand.NewPCG(1, 2))
	v := make([]int64, 200)
	for i := range v {
		v[i] = int64(r.IntN(5))
	}
	fv := make([]fixed.I32F32, len(v))
	for i := range v {
		fv[i] = fixed.I32F32FromRaw(v[i])
	}
	if got, want := rTopK(v, 64), IsTopKNonzero(fv, 64); !reflect.DeepEqual(got, want) {
		t.Fatalf("topk differs from math.go IsTopKNonzero")
	}
}

// TestPropertyRowOrderIrrelevantWithoutLiquidAlpha: shuffling the entries inside each stored weight and
// bond row changes nothing outside liquid alpha (whose lookup assumes ascending rows), and exercises the
// engine's unsorted-row paths.
func TestPropertyRowOrderIrrelevantWithoutLiquidAlpha(t *testing.T) {
	for _, kind := range []string{"classic", "yuma3"} {
		t.Run(kind, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				in := genSubnet(t, kind)
				sh := *in
				shuffle := func(r *Rows, label string) Rows {
					var out Rows
					for i := 0; i < in.N; i++ {
						c, v := r.Row(i)
						idx := make([]int, len(c))
						for k := range idx {
							idx[k] = k
						}
						idx = rapid.Permutation(idx).Draw(t, label)
						var cc, vv []uint16
						for _, k := range idx {
							cc, vv = append(cc, c[k]), append(vv, v[k])
						}
						out.AppendRow(cc, vv)
					}
					return out
				}
				sh.Weights = shuffle(&in.Weights, "wperm")
				sh.Bonds = shuffle(&in.Bonds, "bperm")
				a, b := mustRun(t, in, Sparse), mustRun(t, &sh, Sparse)
				compareOutputs(t, "shuffled rows", a, b)
				if ba, bb := storedBonds(in, a), storedBonds(&sh, b); !reflect.DeepEqual(ba, bb) {
					t.Fatalf("bonds differ:\n%v\n%v", ba, bb)
				}
			})
		})
	}
}

func TestCommitRevealMask(t *testing.T) {
	in := benchInputs(40, 4, benchParams("yuma3"), 5)
	in.BlockAtRegistration[20] = 50 // re-registered after validator 1's commit
	in.Params.CommitReveal = true
	in.CommitBlocks = make([]uint64, in.N)
	for i := range in.CommitBlocks {
		in.CommitBlocks[i] = ^uint64(0)
	}
	in.CommitBlocks[1] = 40
	masked := mustRun(t, in, Sparse)
	// The same epoch with validator 1's weight on uid 20 removed by hand and no commits.
	ref := *in
	ref.CommitBlocks = nil
	var w Rows
	for i := 0; i < in.N; i++ {
		c, v := in.Weights.Row(i)
		var cc, vv []uint16
		for k := range c {
			if !(i == 1 && c[k] == 20) {
				cc, vv = append(cc, c[k]), append(vv, v[k])
			}
		}
		w.AppendRow(cc, vv)
	}
	ref.Weights = w
	if want := mustRun(t, &ref, Sparse); !reflect.DeepEqual(masked, want) {
		t.Fatal("the commit mask differs from dropping the masked entry")
	}
	// Without commit-reveal the commits are ignored.
	off := *in
	off.Params.CommitReveal = false
	noCommits := *in
	noCommits.CommitBlocks = nil
	if !reflect.DeepEqual(mustRun(t, &off, Sparse), mustRun(t, &noCommits, Sparse)) {
		t.Fatal("commit blocks applied with commit-reveal off")
	}
}

func TestOwnerAndKeys(t *testing.T) {
	in := benchInputs(12, 3, benchParams("yuma3"), 6)
	in.Params.StakeThreshold = 1 << 62 // nobody meets it
	in.OwnerUID = 2
	sp := mustRun(t, in, Sparse)
	if sp.StakeWeight[2] != 65535 || !sp.ValidatorPermit[2] {
		t.Fatalf("owner: stake weight %d, permit %v; want the whole stake and a permit", sp.StakeWeight[2], sp.ValidatorPermit[2])
	}
	if de := mustRun(t, in, Dense); de.StakeWeight[2] != 0 || de.ValidatorPermit[2] {
		t.Fatal("dense path has owner exceptions")
	}
	// A uid without a key has no stake and gets no bonds row written.
	in2 := benchInputs(12, 3, benchParams("classic"), 6)
	in2.HasKey = make([]bool, 12)
	for i := range in2.HasKey {
		in2.HasKey[i] = i != 1
	}
	out := mustRun(t, in2, Sparse)
	if out.StakeWeight[1] != 0 || out.BondsWrite[1] || !out.BondsWrite[0] {
		t.Fatalf("keyless uid: stake weight %d, bonds write %v", out.StakeWeight[1], out.BondsWrite[1])
	}
}
