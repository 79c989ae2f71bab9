package yuma

import (
	"math/bits"
	"slices"
)

// epochPrep holds the parts of the epoch that both modes compute the same way (spec/yuma.md §3.1–3.4), apart
// from the owner handling, which only the sparse mode has.
type epochPrep struct {
	n         int
	lu        []uint64 // LastUpdate padded with 0 up to n
	inactive  []bool   // over lu
	bar       []uint64 // block at registration, 0 without a key
	stake     []int64  // S (I32F32 raw)
	permit    []bool   // stored permits (length as stored) with the owner override in sparse mode
	newPermit []bool
	sAct      []int64
	lastTempo uint64
}

func (in *Inputs) hasKey(i int) bool { return in.HasKey == nil || in.HasKey[i] }

func prepareEpoch(in *Inputs, sparse bool) *epochPrep {
	n := in.N
	p := &in.Params
	pr := &epochPrep{n: n}

	// 3.1 Activity.
	lu := in.LastUpdate
	if len(lu) < n {
		lu = make([]uint64, n)
		copy(lu, in.LastUpdate)
	}
	pr.lu = lu
	pr.inactive = make([]bool, len(lu))
	for i, u := range lu {
		s, c := bits.Add64(u, p.ActivityCutoff, 0)
		if c != 0 {
			s = ^uint64(0)
		}
		pr.inactive[i] = s < in.CurrentBlock
	}
	pr.bar = make([]uint64, n)
	for i := 0; i < n; i++ {
		if in.hasKey(i) {
			pr.bar[i] = in.BlockAtRegistration[i]
		}
	}

	// 3.2 Stake.
	owner := -1
	if sparse {
		owner = in.OwnerUID
	}
	pr.stake = stakeWeights(in, owner)

	// 3.3 Permits.
	pr.permit = slices.Clone(in.ValidatorPermit)
	if pr.permit == nil {
		pr.permit = []bool{}
	}
	if sparse && in.OwnerUID >= 0 && in.OwnerUID < len(pr.permit) {
		pr.permit[in.OwnerUID] = true
	}
	pr.newPermit = rTopK(pr.stake, int(p.MaxAllowedValidators))
	if sparse && in.OwnerUID >= 0 {
		pr.newPermit[in.OwnerUID] = true
	}

	// 3.4 Active stake. An empty permit vector masks nothing (a missing entry otherwise masks).
	pr.sAct = slices.Clone(pr.stake)
	for i := range pr.sAct {
		if i >= len(pr.inactive) || pr.inactive[i] {
			pr.sAct[i] = 0
		}
		if len(pr.permit) > 0 && (i >= len(pr.permit) || !pr.permit[i]) {
			pr.sAct[i] = 0
		}
	}
	rNormalize(pr.sAct)

	// 3.10 last_tempo.
	if in.LastMechanismStepBlock != 0 {
		pr.lastTempo = in.LastMechanismStepBlock + 1
	} else if in.CurrentBlock > uint64(p.Tempo) {
		pr.lastTempo = in.CurrentBlock - uint64(p.Tempo)
	}
	return pr
}

// rowForbidden reports the row mask of §3.5.2: no permit, or no permit entry.
func (pr *epochPrep) rowForbidden(i int) bool { return i >= len(pr.permit) || !pr.permit[i] }

// wideU128 is an unsigned 128-bit integer.
type wideU128 struct{ hi, lo uint64 }

func (a wideU128) add(b wideU128) wideU128 {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, _ := bits.Add64(a.hi, b.hi, c)
	return wideU128{hi, lo}
}

func (a wideU128) less(b wideU128) bool { return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo }

// stakeWeights computes S (spec/yuma.md §3.2 steps 2–5). The I64F64 stake of uid i is U_i·2^-32 with
// U_i = alpha_i·2^32 + tao_i·tw where tw is the raw U96F32 tao weight (its I64F64 conversion and the
// product are exact, with at most 32 fraction bits), so the I64F64 normalisation followed by the I32F32
// conversion is S_i = ⌊U_i·2^32 / ΣU⌋ exactly. owner ≥ 0 is exempt from the stake threshold.
func stakeWeights(in *Inputs, owner int) []int64 {
	n := in.N
	p := &in.Params
	// tao_weight = U96F32(raw) / U96F32(u64::MAX), truncating: ⌊raw·2^32 / (2^64−1)⌋ < 2^32.
	tw, _ := bits.Div64(p.TaoWeight>>32, p.TaoWeight<<32, ^uint64(0))
	const capInt = 1<<63 - 1 // I64F64 integer maximum
	u := make([]wideU128, n)
	var sum wideU128
	for i := 0; i < n; i++ {
		if !in.hasKey(i) {
			continue
		}
		a := min(in.AlphaStake[i], capInt)
		var t uint64
		if in.RootStake != nil {
			t = min(in.RootStake[i], capInt)
		}
		x := wideU128{a >> 32, a << 32}
		th, tl := bits.Mul64(t, tw)
		x = x.add(wideU128{th, tl})
		if x.hi >= 1<<31 { // saturate at the I64F64 maximum (unreachable with real stakes)
			x = wideU128{1<<31 - 1, ^uint64(0)}
		}
		// Threshold on ⌊total⌋ = U >> 32.
		if i != owner {
			floor := x.hi<<32 | x.lo>>32
			if floor < p.StakeThreshold {
				continue
			}
		}
		u[i] = x
		sum = sum.add(x)
	}
	s := make([]int64, n)
	if sum.hi == 0 && sum.lo == 0 {
		return s
	}
	for i := range s {
		if u[i].hi == 0 && u[i].lo == 0 {
			continue
		}
		s[i] = int64(wideFracOf(u[i], sum))
	}
	return s
}

// wideFracOf returns ⌊x·2^32 / d⌋ for 0 ≤ x ≤ d, x < 2^96, d > 0 (so the result is ≤ 2^32).
func wideFracOf(x, d wideU128) uint64 {
	// N = x << 32 < 2^128 because stakeWeights caps x below 2^95.
	nh, nl := x.hi<<32|x.lo>>32, x.lo<<32
	if d.hi == 0 {
		q, _ := bits.Div64(nh, nl, d.lo)
		return q
	}
	k := uint(bits.Len64(d.hi))
	dd := d.hi<<(64-k) | d.lo>>k
	if k == 64 {
		dd = d.hi
	}
	var qh, ql uint64
	if k == 64 {
		qh, ql = 0, nh
	} else {
		qh, ql = nh>>k, nh<<(64-k)|nl>>k
	}
	q, _ := bits.Div64(qh, ql, dd)
	return wideCorrect(q, wideU128{nh, nl}, 0, d)
}

// wideCorrect adjusts an estimate q of ⌊N/d⌋ (N = top·2^128 + n) by ±small steps until exact.
func wideCorrect(q uint64, n wideU128, top uint64, d wideU128) uint64 {
	for q > 0 && wideMul3(d, q).gt3(top, n) {
		q--
	}
	for !wideMul3(d, q+1).gt3(top, n) {
		q++
	}
	return q
}

type wideU192 struct{ a2, a1, a0 uint64 }

func wideMul3(d wideU128, q uint64) wideU192 {
	h0, l0 := bits.Mul64(d.lo, q)
	h1, l1 := bits.Mul64(d.hi, q)
	m, c := bits.Add64(h0, l1, 0)
	return wideU192{h1 + c, m, l0}
}

func (p wideU192) gt3(top uint64, n wideU128) bool {
	if p.a2 != top {
		return p.a2 > top
	}
	if p.a1 != n.hi {
		return p.a1 > n.hi
	}
	return p.a0 > n.lo
}

// selectAsc returns the element that would be at index p (0 ≤ p < len) if keys, which are distinct, were
// sorted ascending; keys are reordered (quickselect, median-of-three pivots).
func selectAsc(keys []uint64, p int) uint64 {
	lo, hi := 0, len(keys)-1
	for lo < hi {
		a, b, c := keys[lo], keys[lo+(hi-lo)/2], keys[hi]
		pivot := max(min(a, b), min(max(a, b), c))
		i, j := lo, hi
		for i <= j {
			for keys[i] < pivot {
				i++
			}
			for keys[j] > pivot {
				j--
			}
			if i <= j {
				keys[i], keys[j] = keys[j], keys[i]
				i++
				j--
			}
		}
		switch {
		case p <= j:
			hi = j
		case p >= i:
			lo = i
		default:
			return keys[p]
		}
	}
	return keys[p]
}

// rTopK is is_topk_nonzero (spec/yuma.md §1): true for non-zero entries among the k largest, ties
// broken by a stable ascending sort, so the higher index wins.
func rTopK(v []int64, k int) []bool {
	n := len(v)
	r := make([]bool, n)
	for i, x := range v {
		r[i] = x != 0
	}
	if n < k {
		return r
	}
	if n <= 1<<16 && k >= 0 && !slices.ContainsFunc(v, func(x int64) bool { return x < 0 || x >= 1<<47 }) {
		// The stable ascending order by value is the order of the keys value·2^16 + index (distinct), so
		// a plain sort of those keys drops the same n−k entries.
		keys := make([]uint64, n)
		for i, x := range v {
			keys[i] = uint64(x)<<16 | uint64(i)
		}
		if k == 0 {
			clear(r)
			return r
		}
		// Drop every key below the k-th largest one.
		t := selectAsc(keys, n-k)
		for i, x := range v {
			if uint64(x)<<16|uint64(i) < t {
				r[i] = false
			}
		}
		return r
	}
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		switch {
		case v[a] < v[b]:
			return -1
		case v[a] > v[b]:
			return 1
		}
		return 0
	})
	for _, i := range idx[:n-k] {
		r[i] = false
	}
	return r
}

// epochEmissions computes §3.11 and fills the emission outputs.
func epochEmissions(out *Outputs, incentive, dividends, stake, sAct []int64, rao uint64) {
	n := len(incentive)
	comb := make([]int64, n)
	var sum int64
	for i := range comb {
		comb[i] = rAddSat(incentive[i], dividends[i])
		sum += comb[i]
	}
	server := slices.Clone(incentive)
	validator := slices.Clone(dividends)
	if sum != 0 {
		for i := range server {
			server[i] = rDivSafe(server[i], sum)
			validator[i] = rDivSafe(validator[i], sum)
		}
		rNormalize(comb)
	} else {
		src := sAct
		if rSum(sAct) == 0 {
			src = stake
		}
		copy(validator, src)
		copy(comb, src)
	}
	out.ServerEmission = make([]uint64, n)
	out.ValidatorEmission = make([]uint64, n)
	out.Emission = make([]uint64, n)
	for i := 0; i < n; i++ {
		out.ServerEmission[i] = rRao(server[i], rao)
		out.ValidatorEmission[i] = rRao(validator[i], rao)
		out.Emission[i] = rRao(comb[i], rao)
	}
}

func rVecU16(x []int64) []uint16 {
	r := make([]uint16, len(x))
	for i, v := range x {
		r[i] = rToU16(v)
	}
	return r
}

// rTrust is vecdiv(R, preranks): R_j / P_j where P_j ≠ 0, else 0 (safe_div).
func rTrust(r, pre []int64) []int64 {
	t := make([]int64, len(r))
	for j := range r {
		if pre[j] != 0 {
			t[j] = rDivSafe(r[j], pre[j])
		}
	}
	return t
}

// epochFillCommon writes the per-uid vector outputs shared by both modes.
func epochFillCommon(out *Outputs, pr *epochPrep, incentive, dividends, consensus, vtrust, trust []int64) {
	n := pr.n
	out.Incentive = rVecU16(incentive)
	out.Dividends = rVecU16(dividends)
	out.Consensus = rVecU16(consensus)
	out.ValidatorTrust = rVecU16(vtrust)
	out.StakeWeight = rVecU16(pr.stake)
	out.Rank = rVecU16(incentive)
	out.Trust = rVecU16(trust)
	out.Active = make([]bool, n)
	for i := 0; i < n; i++ {
		out.Active[i] = !pr.inactive[i]
	}
	out.ValidatorPermit = pr.newPermit
}
