package yuma

import "slices"

// dmat is a dense rows×cols matrix of I32F32 raw values, row-major.
type dmat struct {
	rows, cols int
	v          []int64
}

func newDmat(rows, cols int) *dmat { return &dmat{rows: rows, cols: cols, v: make([]int64, rows*cols)} }

func (m *dmat) row(i int) []int64 { return m.v[i*m.cols : (i+1)*m.cols] }

func (m *dmat) clone() *dmat { return &dmat{rows: m.rows, cols: m.cols, v: slices.Clone(m.v)} }

// dmatColNormalize is inplace_col_normalize.
func dmatColNormalize(m *dmat) {
	sums := make([]int64, m.cols)
	for i := 0; i < m.rows; i++ {
		for j, x := range m.row(i) {
			sums[j] = rAddSat(sums[j], x)
		}
	}
	for i := 0; i < m.rows; i++ {
		r := m.row(i)
		for j := range r {
			if sums[j] != 0 {
				r[j] = rDivSafe(r[j], sums[j])
			}
		}
	}
}

// dmatEma is mat_ema: α·new + (1−α)·old per entry.
func dmatEma(nw, old *dmat, alpha int64) *dmat {
	oneMinus := rSubSat(rOne, alpha)
	out := newDmat(nw.rows, nw.cols)
	for k := range out.v {
		out.v[k] = rAddSat(rMulSat(alpha, nw.v[k]), rMulSat(oneMinus, old.v[k]))
	}
	return out
}

// laParamsFrom derives the liquid-alpha constants from the hyperparameters.
func laParamsFrom(p *Params) laParams {
	la := laParams{
		lo:       rDivSafe(int64(p.AlphaLow)<<rFrac, rU16Max<<rFrac),
		hi:       rDivSafe(int64(p.AlphaHigh)<<rFrac, rU16Max<<rFrac),
		steepDiv: rDivSat(int64(p.AlphaSigmoidSteepness)<<rFrac, -100<<rFrac),
	}
	// d = 0 (a weight at or below consensus, or equal to the bond) is common; its exponent is one value.
	la.x0 = rMulSat(la.steepDiv, -rHalf)
	la.e0 = rExpSafe(la.x0)
	return la
}

// dmatEmaAlpha is compute_liquid_alpha_values followed by mat_ema_alpha: for every entry,
// a = alpha_sigmoid(C_j, W_ij, B_ij) and B'_ij = min(1, (1−a)·B_ij + max(0, a·W_ij)).
func dmatEmaAlpha(w, b *dmat, cons []int64, la laParams) *dmat {
	out := newDmat(w.rows, w.cols)
	for i := 0; i < w.rows; i++ {
		wr, br, or := w.row(i), b.row(i), out.row(i)
		for j := range wr {
			a := rAlphaSigmoid(cons[j], wr[j], br[j], la.lo, la.hi, la.steepDiv)
			inc := rMulSat(a, wr[j])
			if inc < 0 {
				inc = 0
			}
			v := rAddSat(rMulSat(rSubSat(rOne, a), br[j]), inc)
			if v > rOne {
				v = rOne
			}
			or[j] = v
		}
	}
	return out
}

// ComputeBondsDense is the dense Yuma3 bond EMA, subtensor's compute_bonds, on I32F32 raw values:
// weights and bonds are rows×cols row-major matrices, consensus has cols entries. With liquid alpha on (and
// some consensus entry ≠ 0) each entry gets its own sigmoid alpha; otherwise the fixed EMA alpha from
// BondsMovingAverage is used. It returns the new bonds, row-major.
func ComputeBondsDense(weights, bonds []int64, rows, cols int, consensus []int64, p Params) []int64 {
	w := &dmat{rows: rows, cols: cols, v: weights}
	b := &dmat{rows: rows, cols: cols, v: bonds}
	if p.LiquidAlpha && len(consensus) > 0 && slices.ContainsFunc(consensus, func(c int64) bool { return c != 0 }) {
		return dmatEmaAlpha(w, b, consensus, laParamsFrom(&p)).v
	}
	return dmatEma(w, b, rEmaAlpha(p.BondsMovingAverage)).v
}

// epochDense is the reference epoch, subtensor's epoch_dense_mechanism (spec/yuma.md §9).
func epochDense(in *Inputs) *Outputs {
	pr := prepareEpoch(in, false)
	n := pr.n
	p := &in.Params

	// Weights: dense (a duplicate entry: the last one wins), permit rows, diagonal, outdated, row-normalise.
	W := newDmat(n, n)
	for i := 0; i < min(in.Weights.NumRows(), n); i++ {
		cols, vals := in.Weights.Row(i)
		r := W.row(i)
		for k, j := range cols {
			if int(j) < n {
				r[j] = int64(vals[k]) << rFrac
			}
		}
	}
	for i := 0; i < n; i++ {
		r := W.row(i)
		if pr.rowForbidden(i) {
			clear(r)
			continue
		}
		r[i] = 0
		for j := range r {
			if pr.lu[i] <= pr.bar[j] {
				r[j] = 0
			}
		}
		var s int64
		for _, x := range r {
			s += x
		}
		if s > 0 {
			for j := range r {
				r[j] = rDivSafe(r[j], s)
			}
		}
	}

	// Consensus: the same column medians as the sparse path.
	kappa := rDivSafe(int64(p.Kappa)<<rFrac, rU16Max<<rFrac)
	cons := make([]int64, n)
	var vrows []int
	var use []int64
	for i, s := range pr.sAct {
		if s > 0 {
			vrows = append(vrows, i)
			use = append(use, s)
		}
	}
	if K := len(vrows); K > 0 {
		rNormalize(use)
		total := rSum(use)
		minority := rSubSat(total, kappa)
		keys, tmp := make([]uint64, K), make([]uint64, K)
		tab := newStakeTable(use)
		for j := 0; j < n; j++ {
			for k, i := range vrows {
				keys[k] = medianKey(W.v[i*n+j], k)
			}
			cons[j] = rMedian(keys, tmp, tab, minority)
		}
	}

	// Clip, validator trust, ranks.
	Wbar := W.clone()
	vtrust := make([]int64, n)
	pre := make([]int64, n)
	ranks := make([]int64, n)
	for i := 0; i < n; i++ {
		r, rb := W.row(i), Wbar.row(i)
		var t int64
		for j := range rb {
			rb[j] = min(cons[j], rb[j])
			t += rb[j]
			pre[j] = rAddSat(pre[j], rMulSat(pr.sAct[i], r[j]))
			ranks[j] = rAddSat(ranks[j], rMulSat(pr.sAct[i], rb[j]))
		}
		vtrust[i] = t
	}
	trust := rTrust(ranks, pre)
	incentive := slices.Clone(ranks)
	rNormalize(incentive)

	// Bonds penalty.
	beta := rDivSafe(int64(p.BondsPenalty)<<rFrac, rU16Max<<rFrac)
	var Wb *dmat
	switch beta {
	case 0:
		Wb = W
	case rOne:
		Wb = Wbar
	default:
		Wb = newDmat(n, n)
		for k := range Wb.v {
			Wb.v[k] = rAddSat(W.v[k], rMulSat(beta, rSubSat(Wbar.v[k], W.v[k])))
		}
	}

	// Bonds: dense, columns < n, recently-registered columns zeroed.
	B := newDmat(n, n)
	for i := 0; i < min(in.Bonds.NumRows(), n); i++ {
		cols, vals := in.Bonds.Row(i)
		r := B.row(i)
		for k, j := range cols {
			if int(j) < n {
				if p.Yuma3 {
					r[j] = rU16Proportion(vals[k])
				} else {
					r[j] = int64(vals[k]) << rFrac
				}
			}
		}
	}
	for j := 0; j < n; j++ {
		if pr.lastTempo <= pr.bar[j] {
			for i := 0; i < n; i++ {
				B.v[i*n+j] = 0
			}
		}
	}

	alpha := rEmaAlpha(p.BondsMovingAverage)
	dividends := make([]int64, n)
	var stored *dmat
	if p.Yuma3 {
		var ema *dmat
		if p.LiquidAlpha && n > 0 && slices.ContainsFunc(cons, func(c int64) bool { return c != 0 }) {
			ema = dmatEmaAlpha(Wb, B, cons, laParamsFrom(p))
		} else {
			ema = dmatEma(Wb, B, alpha)
		}
		norm := ema.clone()
		dmatColNormalize(norm)
		for i := 0; i < n; i++ {
			var t int64
			for j, x := range norm.row(i) {
				m, ok := rMulChecked(x, incentive[j])
				if ok {
					t += m
				}
			}
			d, ok := rMulChecked(t, pr.sAct[i])
			if !ok {
				d = 0
			}
			dividends[i] = d
		}
		rNormalize(dividends)
		stored = ema
	} else {
		dmatColNormalize(B)
		delta := newDmat(n, n)
		for i := 0; i < n; i++ {
			r, d := Wb.row(i), delta.row(i)
			for j := range r {
				d[j] = rMulSat(pr.sAct[i], r[j])
			}
		}
		dmatColNormalize(delta)
		ema := dmatEma(delta, B, alpha)
		dmatColNormalize(ema)
		for i := 0; i < n; i++ {
			var t int64
			for j, x := range ema.row(i) {
				t = rAddSat(t, rMulSat(incentive[j], x))
			}
			dividends[i] = t
		}
		rNormalize(dividends)
		// Column max-upscale.
		mx := make([]int64, n)
		for i := 0; i < n; i++ {
			for j, x := range ema.row(i) {
				mx[j] = max(mx[j], x)
			}
		}
		for i := 0; i < n; i++ {
			r := ema.row(i)
			for j := range r {
				if mx[j] != 0 {
					r[j] = rDivSafe(r[j], mx[j])
				}
			}
		}
		stored = ema
	}

	out := &Outputs{}
	epochEmissions(out, incentive, dividends, pr.stake, pr.sAct, in.RaoEmission)
	epochFillCommon(out, pr, incentive, dividends, cons, vtrust, trust)

	// Bonds to store: a new permit writes the full row (explicit zeros included), an old permit alone
	// clears the row, and rows with neither (or past the stored permit vector) stay untouched.
	out.BondsWrite = make([]bool, n)
	out.Bonds = Rows{Ptr: make([]int32, n+1)}
	for i := 0; i < n; i++ {
		if i < len(pr.permit) {
			if pr.newPermit[i] {
				out.BondsWrite[i] = true
				for j, x := range stored.row(i) {
					out.Bonds.Cols = append(out.Bonds.Cols, uint16(j))
					out.Bonds.Vals = append(out.Bonds.Vals, rToU16(x))
				}
			} else if pr.permit[i] {
				out.BondsWrite[i] = true
			}
		}
		out.Bonds.Ptr[i+1] = int32(len(out.Bonds.Cols))
	}
	return out
}
