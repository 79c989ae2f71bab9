package yuma

import (
	"math/bits"
	"slices"
	"sort"
)

// smat is a sparse matrix of I32F32 raw values in segmented compressed-row form: row i holds the entries
// [start[i], start[i]+cnt[i]) of col and val. Segments are reserved before a parallel pass fills them, so
// each worker writes only its own rows.
type smat struct {
	start, cnt []int32
	col        []uint16
	val        []int64
	// asc[i] true records that row i is known to be ascending (colsAscending) so it need not be checked
	// again; false means unknown. allAsc: every row is.
	asc    []bool
	allAsc bool
}

// ascending is colsAscending of row i, from what is known where possible.
func (m *smat) ascending(i int) bool {
	if m.allAsc || m.asc != nil && m.asc[i] {
		return true
	}
	c, _ := m.row(i)
	return colsAscending(c)
}

// newSmat reserves capFor(i) entries for each of the rows (all counts 0), from the arena.
func newSmat(ar *arena, rows int, capFor func(i int) int) *smat {
	m := &smat{start: ar.int32s(rows, false), cnt: ar.int32s(rows, true)}
	pos := 0
	for i := 0; i < rows; i++ {
		m.start[i] = int32(pos)
		pos += capFor(i)
	}
	m.col = ar.uint16s(pos)
	m.val = ar.int64s(pos, false)
	return m
}

func (m *smat) row(i int) ([]uint16, []int64) {
	a := m.start[i]
	b := a + m.cnt[i]
	return m.col[a:b], m.val[a:b]
}

func (m *smat) rowLen(i int) int { return int(m.cnt[i]) }

// colsAscending reports whether cols is strictly increasing (sorted, no duplicates).
func colsAscending(cols []uint16) bool {
	for k := 1; k < len(cols); k++ {
		if cols[k] <= cols[k-1] {
			return false
		}
	}
	return true
}

// rowScratch is a worker's dense scratch row with generation stamps, so that only touched slots need
// resetting.
type rowScratch struct {
	gen   uint32
	stamp []uint32
	v     []int64
	touch []uint16
}

func newRowScratch(n int) *rowScratch {
	return &rowScratch{stamp: make([]uint32, n), v: make([]int64, n), touch: make([]uint16, 0, 64)}
}

func (s *rowScratch) reset() {
	s.gen++
	if s.gen == 0 {
		clear(s.stamp)
		s.gen = 1
	}
	s.touch = s.touch[:0]
}

func (s *rowScratch) get(j uint16) int64 {
	if s.stamp[j] == s.gen {
		return s.v[j]
	}
	return 0
}

// accumulate adds x into slot j with saturation (a fresh slot starts at 0).
func (s *rowScratch) accumulate(j uint16, x int64) {
	if s.stamp[j] != s.gen {
		s.stamp[j] = s.gen
		s.v[j] = 0
		s.touch = append(s.touch, j)
	}
	s.v[j] = rAddSat(s.v[j], x)
}

func (s *rowScratch) set(j uint16, x int64) {
	if s.stamp[j] != s.gen {
		s.stamp[j] = s.gen
		s.touch = append(s.touch, j)
	}
	s.v[j] = x
}

// smatEmaRow is one row of mat_ema_sparse: acc = α·new + (1−α)·old per column (saturating, new first),
// entries > 0 kept in ascending column order. It writes into oc/ov and returns the count.
// asc reports whether nc and ocol are both ascending.
func smatEmaRow(nc []uint16, nv []int64, ocol []uint16, oval []int64, alpha, oneMinus int64, s *rowScratch, outC []uint16, outV []int64, asc bool) int {
	if alpha >= 0 && oneMinus >= 0 && len(ocol) == 0 && asc {
		// No stored bonds: α·new only (entries are ≥ 0, so the product cannot saturate negative).
		k := 0
		for a, j := range nc {
			if v := rMulNonNeg(alpha, nv[a]); v > 0 {
				outC[k], outV[k] = j, v
				k++
			}
		}
		return k
	}
	if asc {
		// Merge: each column gets 0 + α·new then + (1−α)·old.
		a, b, k := 0, 0, 0
		if alpha >= 0 && oneMinus >= 0 {
			// Non-negative coefficients (always, for α from bonds_moving_average): where an entry is
			// non-negative too, saturating_mul is rMulNonNeg (the same floored product, MAX above the
			// range). Shared columns come first: rows of the same validators mostly share them all.
			for a < len(nc) && b < len(ocol) {
				ja, jb := nc[a], ocol[b]
				var acc int64
				if ja == jb {
					x, y := nv[a], oval[b]
					var p, q int64
					if x >= 0 {
						p = rMulNonNeg(alpha, x)
					} else {
						p = rMulSat(alpha, x)
					}
					if y >= 0 {
						q = rMulNonNeg(oneMinus, y)
					} else {
						q = rMulSat(oneMinus, y)
					}
					acc = rAddSat(p, q)
					a++
					b++
				} else if ja < jb {
					acc = rMulSat(alpha, nv[a])
					a++
				} else {
					ja = jb
					acc = rMulSat(oneMinus, oval[b])
					b++
				}
				if acc > 0 {
					outC[k], outV[k] = ja, acc
					k++
				}
			}
			for ; a < len(nc); a++ {
				if acc := rMulSat(alpha, nv[a]); acc > 0 {
					outC[k], outV[k] = nc[a], acc
					k++
				}
			}
			for ; b < len(ocol); b++ {
				if acc := rMulSat(oneMinus, oval[b]); acc > 0 {
					outC[k], outV[k] = ocol[b], acc
					k++
				}
			}
			return k
		}
		for a < len(nc) || b < len(ocol) {
			var j uint16
			var acc int64
			switch {
			case b >= len(ocol) || a < len(nc) && nc[a] < ocol[b]:
				j = nc[a]
				acc = rMulSat(alpha, nv[a])
				a++
			case a >= len(nc) || ocol[b] < nc[a]:
				j = ocol[b]
				acc = rMulSat(oneMinus, oval[b])
				b++
			default:
				j = nc[a]
				acc = rAddSat(rMulSat(alpha, nv[a]), rMulSat(oneMinus, oval[b]))
				a++
				b++
			}
			if acc > 0 {
				outC[k], outV[k] = j, acc
				k++
			}
		}
		return k
	}
	s.reset()
	for k, j := range nc {
		s.accumulate(j, rMulSat(alpha, nv[k]))
	}
	for k, j := range ocol {
		s.accumulate(j, rMulSat(oneMinus, oval[k]))
	}
	slices.Sort(s.touch)
	k := 0
	for _, j := range s.touch {
		if v := s.v[j]; v > 0 {
			outC[k], outV[k] = j, v
			k++
		}
	}
	return k
}

// smatEma is mat_ema_sparse over all rows.
func smatEma(ar *arena, tm *team, nw, old *smat, rows, n int, alpha int64, b []int, sumParts [][]int64) *smat {
	oneMinus := rSubSat(rOne, alpha)
	out := newSmat(ar, rows, func(i int) int { return nw.rowLen(i) + old.rowLen(i) })
	out.allAsc = true // every path of smatEmaRow emits its columns in ascending order
	tm.run(b, func(c, lo, hi int) {
		es := sumParts[c]
		var s *rowScratch
		for i := lo; i < hi; i++ {
			nc, nv := nw.row(i)
			oc, ov := old.row(i)
			if len(nc) == 0 && len(oc) == 0 {
				continue
			}
			asc := nw.ascending(i) && old.ascending(i)
			if s == nil && !asc {
				s = newRowScratch(n)
			}
			st := out.start[i]
			capI := int32(len(nc) + len(oc))
			k := smatEmaRow(nc, nv, oc, ov, alpha, oneMinus, s, out.col[st:st+capI], out.val[st:st+capI], asc)
			out.cnt[i] = int32(k)
			for e, j := range out.col[st : st+int32(k)] {
				es[j] += out.val[int(st)+e] // EMA bonds are ≤ 1 and < 2^16 rows add up: no saturation
			}
		}
	})
	return out
}

// smatWalk records the entries of a sparse row that subtensor's ascending "peek walk" lookup finds (spec
// §4.3): the entries whose column exceeds every column found before them. For an ascending row that is
// every entry. The found value for column j is that of the found entry with column j.
func smatWalk(cols []uint16, vals []int64, s *rowScratch) {
	s.reset()
	next := 0 // the walk has consumed columns < next
	for k, j := range cols {
		if int(j) >= next {
			s.set(j, vals[k])
			next = int(j) + 1
		}
	}
}

// laParams are the liquid-alpha constants.
type laParams struct {
	lo, hi, steepDiv int64
	x0, e0           int64 // the exponent for d = 0 and its exp_safe
}

// laBuf is a worker's per-row buffers for the liquid-alpha rows.
type laBuf struct {
	x, e, b []int64
	idx     []int32
}

func (lb *laBuf) grow(m int) {
	if cap(lb.x) < m {
		lb.x, lb.e, lb.b, lb.idx = make([]int64, m), make([]int64, m), make([]int64, m), make([]int32, 0, m)
	}
	lb.x, lb.e, lb.b = lb.x[:m], lb.e[:m], lb.b[:m]
}

// smatLaEmaRow is one row of the sparse liquid-alpha bond EMA (compute_liquid_alpha_values_sparse followed by
// mat_ema_alpha_sparse): for each W_b entry (j, w) in row order, a = alpha_sigmoid(C_j, w', b') with w' and
// b' the walk lookups, and B'_ij = min(1, (1−a)·B_ij + max(0, a·w)), emitted if > 0.
// asc reports whether wc and bc are both ascending.
func smatLaEmaRow(wc []uint16, wv []int64, bc []uint16, bv []int64, cons []int64, la laParams, lb *laBuf, ws, bs, bl *rowScratch, outC []uint16, outV []int64, asc bool) int {
	k := 0
	if asc {
		// Merge with the bond row; compute every exponent, take exp_safe from the d = 0 constant where the
		// exponent is that one (same input, same output), and run the others four at a time.
		m := len(wc)
		lb.grow(m)
		xs, es, bs4 := lb.x, lb.e, lb.b
		idx := lb.idx[:0]
		b := 0
		for e, j := range wc {
			for b < len(bc) && bc[b] < j {
				b++
			}
			var bj int64
			if b < len(bc) && bc[b] == j {
				bj = bv[b]
			}
			bs4[e] = bj
			x := rSigmoidArg(cons[j], wv[e], bj, la.steepDiv)
			xs[e] = x
			if x == la.x0 {
				es[e] = la.e0
			} else {
				idx = append(idx, int32(e))
			}
		}
		var x4, e4 [4]int64
		q := 0
		for ; q+4 <= len(idx); q += 4 {
			x4 = [4]int64{xs[idx[q]], xs[idx[q+1]], xs[idx[q+2]], xs[idx[q+3]]}
			rExpSafe4(&x4, &e4)
			es[idx[q]], es[idx[q+1]], es[idx[q+2]], es[idx[q+3]] = e4[0], e4[1], e4[2], e4[3]
		}
		for ; q < len(idx); q++ {
			es[idx[q]] = rExpSafe(xs[idx[q]])
		}
		lb.idx = idx
		for e, j := range wc {
			a := rSigmoidFinish(es[e], la.lo, la.hi)
			bj, w := bs4[e], wv[e]
			var dec int64
			if bj != 0 {
				dec = rMulSat(rSubSat(rOne, a), bj)
			}
			inc := rMulSat(a, w)
			if inc < 0 {
				inc = 0
			}
			v := rAddSat(dec, inc)
			if v > rOne {
				v = rOne
			}
			if v > 0 {
				outC[k], outV[k] = j, v
				k++
			}
		}
		return k
	}
	smatWalk(wc, wv, ws)
	smatWalk(bc, bv, bl)
	bs.reset()
	for e, j := range bc {
		bs.set(j, bv[e])
	}
	for e, j := range wc {
		a := rAlphaSigmoid(cons[j], ws.get(j), bl.get(j), la.lo, la.hi, la.steepDiv)
		dec := rMulSat(rSubSat(rOne, a), bs.get(j))
		inc := rMulSat(a, wv[e])
		if inc < 0 {
			inc = 0
		}
		v := rAddSat(dec, inc)
		if v > rOne {
			v = rOne
		}
		if v > 0 {
			outC[k], outV[k] = j, v
			k++
		}
	}
	return k
}

// divByRecip returns ⌊nn / V⌋ for nn < 2^64 given r = ⌊(2^64−1)/V⌋, V > 0.
func divByRecip(nn, V, r uint64) uint64 {
	q, _ := bits.Mul64(nn, r)
	if nn-q*V >= V {
		q++
	}
	return q
}

// The weighted median works on packed keys: key = score<<medianKeyShift | k, where k is the entry's index
// into the stake vector. Scores are normalised weights in [0, 1] (raw ≤ 2^32), so keys order by score
// first, the index only breaking ties, and one 8-byte array carries both halves of each (score, stake) pair.
const (
	medianKeyShift = 16
	medianKeyMask  = 1<<medianKeyShift - 1
)

// stakeTable holds the median's stakes by key index; indexing it with a masked key needs no bounds check.
type stakeTable [1 << medianKeyShift]int64

// newStakeTable copies stake (at most 2^16 entries) into a table.
func newStakeTable(stake []int64) *stakeTable {
	t := new(stakeTable)
	copy(t[:], stake)
	return t
}

// medianKey packs score (0 ≤ score < 2^47) and the stake index k (< 2^16).
func medianKey(score int64, k int) uint64 { return uint64(score)<<medianKeyShift | uint64(k) }

// rMedian is subtensor's weighted_median (spec §3.6) over every entry of keys; keys and tmp (scratch of
// the same length or more) are overwritten. The stake entries are non-negative shares of a normalised
// vector, so their partial sums cannot overflow and plain additions equal the chain's saturating ones (the
// chain's lo and hi bounds are exactly the stake below and above the current range).
//
// With exact sums the chain's recursion returns the value group v whose stake interval
// [cum_below(v), cum_through(v)) holds minority — the unique weighted quantile — or, for minority < 0 or
// ≥ total, the smallest or largest score. Any pivot finds that same value; a better pivot only takes fewer
// rounds. TestWeightedMedianMatchesMath checks this against the chain's literal algorithm.
func rMedian(keys, tmp []uint64, stake *stakeTable, minority int64) int64 {
	var lo int64 // the stake below the current range
	src, dst := keys, tmp[:len(keys)]
	for {
		m := len(src)
		switch m {
		case 0:
			return 0
		case 1:
			return int64(src[0] >> medianKeyShift)
		}
		pivot := pivotOf(src) >> medianKeyShift
		nl, nh, loS, eqS := partition3(src, dst, pivot<<medianKeyShift, (pivot+1)<<medianKeyShift, stake)
		switch {
		case minority < lo+loS && nl > 0:
			src, dst = dst[:nl], src[:nl]
		case lo+loS+eqS <= minority && nh > 0:
			lo += loS + eqS
			src, dst = dst[m-nh:m], src[m-nh:m]
		default:
			return int64(pivot)
		}
	}
}

// partition3 writes the keys of src below lowB to the front of dst and those at or above highB to its back
// (in reverse order), without branches on the keys, and returns both counts and the stake below lowB and
// between the bounds. Every key is written to both ends' next free slots; a slot written for a key that
// belongs to the other end (or to neither) is overwritten later or lies outside both ends.
func partition3(src, dst []uint64, lowB, highB uint64, stake *stakeTable) (nl, nh int, loS, eqS int64) {
	m := len(src)
	dst = dst[:m]
	for _, x := range src {
		below, above := b2i(x < lowB), b2i(x >= highB)
		dst[nl] = x
		dst[m-1-nh] = x
		nl += below
		nh += above
		st := stake[x&medianKeyMask]
		loS += st & -int64(below)
		eqS += st & -int64(1-below-above)
	}
	return nl, nh, loS, eqS
}

// pivotOf picks the median of the first, middle and last keys.
func pivotOf(ps []uint64) uint64 {
	a, b, c := ps[0], ps[len(ps)/2], ps[len(ps)-1]
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	return max(a, b)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// smatConsensus computes C (spec §3.6) for the rows of w with positive active stake.
func smatConsensus(ar *arena, tm *team, w *smat, sAct []int64, n int, kappa int64) []int64 {
	cons := make([]int64, n)
	var vrows []int
	var use []int64
	for i, s := range sAct {
		if s > 0 {
			vrows = append(vrows, i)
			use = append(use, s)
		}
	}
	K := len(vrows)
	if K == 0 || n == 0 {
		return cons
	}
	rNormalize(use)
	total := rSum(use)
	minority := rSubSat(total, kappa)
	zeroKeys := make([]uint64, K) // a column with every score 0
	for k := range zeroKeys {
		zeroKeys[k] = medianKey(0, k)
	}
	tab := (*stakeTable)(ar.int64s(1<<medianKeyShift, false)) // entries ≥ K are never read
	copy(tab[:], use)
	b := chunkBounds(n, fineChunks(maxWorkers()), func(j int) int { return K })
	sorted := true
	for _, i := range vrows {
		if !w.ascending(i) {
			sorted = false
			break
		}
	}
	if sorted {
		// Rows ascending (the usual case): each worker fills a small column-major block of scores from
		// per-row cursors and takes the medians of its columns while the block is in cache.
		tm.run(b, func(_, lo, hi int) {
			const blk = 64
			buf, tmp := make([]uint64, blk*K), make([]uint64, K)
			cur := make([]int, K)
			for k, i := range vrows {
				cols, _ := w.row(i)
				cur[k] = sort.Search(len(cols), func(x int) bool { return int(cols[x]) >= lo })
			}
			for j0 := lo; j0 < hi; j0 += blk {
				j1 := min(j0+blk, hi)
				sc := buf[:(j1-j0)*K]
				for c := 0; c < j1-j0; c++ {
					copy(sc[c*K:(c+1)*K], zeroKeys)
				}
				for k, i := range vrows {
					cols, vals := w.row(i)
					c := cur[k]
					for c < len(cols) && int(cols[c]) < j1 {
						sc[(int(cols[c])-j0)*K+k] = medianKey(vals[c], k)
						c++
					}
					cur[k] = c
				}
				for j := j0; j < j1; j++ {
					cons[j] = rMedian(sc[(j-j0)*K:(j-j0+1)*K], tmp, tab, minority)
				}
			}
		})
		return cons
	}
	if K*n <= 1<<22 {
		// Column-major dense keys: column j is keys[j*K : (j+1)*K].
		keys := make([]uint64, K*n)
		for j := 0; j < n; j++ {
			copy(keys[j*K:(j+1)*K], zeroKeys)
		}
		for k, i := range vrows {
			cols, vals := w.row(i)
			for e, j := range cols {
				keys[int(j)*K+k] = medianKey(vals[e], k) // a duplicate entry: the last one wins
			}
		}
		tm.run(b, func(_, lo, hi int) {
			tmp := make([]uint64, K)
			for j := lo; j < hi; j++ {
				cons[j] = rMedian(keys[j*K:(j+1)*K], tmp, tab, minority)
			}
		})
		return cons
	}
	// Many validators: transpose the positive-stake rows into columns instead, (k, value) in row order.
	cnt := make([]int32, n+1)
	for _, i := range vrows {
		cols, _ := w.row(i)
		for _, j := range cols {
			cnt[j+1]++
		}
	}
	for j := 1; j <= n; j++ {
		cnt[j] += cnt[j-1]
	}
	pos := slices.Clone(cnt[:n])
	tk := make([]int32, cnt[n])
	tv := make([]int64, cnt[n])
	for k, i := range vrows {
		cols, vals := w.row(i)
		for e, j := range cols {
			q := pos[j]
			tk[q], tv[q] = int32(k), vals[e]
			pos[j]++
		}
	}
	tm.run(b, func(_, lo, hi int) {
		keys, tmp := make([]uint64, K), make([]uint64, K)
		for j := lo; j < hi; j++ {
			copy(keys, zeroKeys)
			for q := cnt[j]; q < cnt[j+1]; q++ {
				keys[tk[q]] = medianKey(tv[q], int(tk[q])) // a duplicate entry: the last one wins
			}
			cons[j] = rMedian(keys, tmp, tab, minority)
		}
	})
	return cons
}

// epochSparse is the production epoch, subtensor's epoch_mechanism (spec/yuma.md §3).
func epochSparse(in *Inputs) *Outputs {
	workers := maxWorkers()
	var tm *team // started first, so that the helpers wake up while the epoch is prepared
	if len(in.Weights.Cols)+len(in.Bonds.Cols)+in.N >= 2*minParallelWork {
		tm = newTeam(workers) // small subnets run most passes as one chunk: no helpers to spin for them
	}
	defer tm.stop()
	pr := prepareEpoch(in, true)
	n := pr.n
	p := &in.Params
	owner := in.OwnerUID
	nw := min(in.Weights.NumRows(), n)
	crMask := p.CommitReveal && in.CommitBlocks != nil
	ar := getArena()
	defer ar.release()

	// 3.5 Weights: load with the permit, diagonal, outdated and commit masks, then row-normalise.
	W := newSmat(ar, n, func(i int) int {
		if i >= nw || pr.rowForbidden(i) {
			return 0
		}
		return int(in.Weights.Ptr[i+1] - in.Weights.Ptr[i])
	})
	W.asc = make([]bool, n)
	rb := chunkBounds(n, fineChunks(workers), func(i int) int {
		if i >= nw {
			return 0
		}
		return int(in.Weights.Ptr[i+1] - in.Weights.Ptr[i])
	})
	tm.run(rb, func(_, lo, hi int) {
		for i := lo; i < min(hi, nw); i++ {
			if pr.rowForbidden(i) {
				continue
			}
			cols, vals := in.Weights.Row(i)
			// Masks: outdated (last_update ≤ block_at_registration_j) and, with commit-reveal, committed
			// before the registration (commit block < block_at_registration_j): one bound on bar[j].
			barMin := pr.lu[i]
			if crMask && in.CommitBlocks[i] < barMin {
				barMin = in.CommitBlocks[i] + 1
			}
			self := i // the diagonal is dropped, except for the owner's own weight
			if i == owner {
				self = -1
			}
			st := W.start[i]
			oc, ov := W.col[st:], W.val[st:]
			c := 0
			var sum int64
			prev, asc := -1, true
			for k, j := range cols {
				if int(j) >= n || int(j) == self || pr.bar[j] >= barMin {
					continue
				}
				v := int64(vals[k]) << rFrac
				oc[c], ov[c] = j, v
				sum += v
				c++
				asc = asc && int(j) > prev
				prev = int(j)
			}
			W.asc[i] = asc
			if sum > 0 {
				if V := uint64(sum) >> rFrac; V < 1<<31 {
					// safe_div(v, V) = ⌊v·2^32 / V⌋ with N = v·2^32 < 2^48: a multiply by the row's
					// reciprocal r = ⌊(2^64−1)/V⌋ gives q or q−1 (N·r/2^64 > N/V − 1), one step corrects it.
					r := ^uint64(0) / V
					for k := 0; k < c; k++ {
						ov[k] = int64(divByRecip(uint64(ov[k]), V, r))
					}
				} else {
					for k := 0; k < c; k++ {
						ov[k] = rDivNonNeg(ov[k], sum)
					}
				}
			}
			W.cnt[i] = int32(c)
		}
	})

	// 3.6 Consensus.
	kappa := rDivSafe(int64(p.Kappa)<<rFrac, rU16Max<<rFrac)
	cons := smatConsensus(ar, tm, W, pr.sAct, n, kappa)

	// 3.7–3.8 Clip, validator trust, pre-clip ranks and ranks. Wbar shares W's segments (it is built only
	// when β = 1 uses it); wclip holds the clipped value of every W entry (0 where col_clip_sparse drops it)
	// for an interpolation with 0 < β < 1.
	beta := rDivSafe(int64(p.BondsPenalty)<<rFrac, rU16Max<<rFrac)
	var Wbar *smat
	var wclip []int64
	// In classic mode W̄ (β = 1) is used only through ΔB = W̄ ∘ S, so its entries are stored as that
	// product, the one the ranks add up, and the EMA pass does not multiply again.
	wbarDelta := !p.Yuma3 && beta == rOne
	switch beta {
	case 0:
	case rOne:
		// W̄'s rows are subsequences of W's: ascending where W's are.
		Wbar = &smat{start: W.start, cnt: ar.int32s(n, true), col: ar.uint16s(len(W.col)), val: ar.int64s(len(W.val), false), asc: W.asc}
	default:
		wclip = ar.int64s(len(W.val), false)
	}
	vtrust := make([]int64, n)
	wb := chunkBounds(n, workers, W.rowLen)
	nc := len(wb) - 1
	preParts := make([][]int64, nc)
	rankParts := make([][]int64, nc)
	for c := 0; c < nc; c++ {
		preParts[c], rankParts[c] = ar.int64s(n, true), ar.int64s(n, true)
	}
	// Products of a stake share and a weight are ≤ 1, and at most 65535 of them add up, so neither the
	// multiplications nor the column sums can saturate: plain arithmetic equals the chain's saturating one.
	tm.run(wb, func(c, lo, hi int) {
		pre, rk := preParts[c], rankParts[c]
		for i := lo; i < hi; i++ {
			cols, vals := W.row(i)
			st := int(W.start[i])
			var oc []uint16
			var ov, wc []int64
			if Wbar != nil {
				oc, ov = Wbar.col[st:], Wbar.val[st:]
			}
			if wclip != nil {
				wc = wclip[st : st+len(cols)]
			}
			s := pr.sAct[i]
			k := 0
			var t int64
			// The clipped value x = min(v, C_j) is below v for about half the entries, so the loops below
			// do not branch on it: the rank product s·x is computed for every entry (it equals s·v when
			// x = v). col_clip_sparse drops an entry only where C_j ≤ 0 < … (C_j < v), which is rare and
			// tested first.
			switch {
			case oc != nil && wc == nil && s != 0:
				oc, ov = oc[:len(cols)], ov[:len(cols)]
				for e, j := range cols {
					v := vals[e]
					cj := cons[j]
					x := min(v, cj)
					sx := rMulNonNeg(s, x)
					if cj <= 0 && cj < v {
						x, sx = 0, 0 // col_clip_sparse drops the entry
					} else {
						oc[k], ov[k] = j, x
						if wbarDelta {
							ov[k] = sx
						}
						k++
					}
					t += x
					pre[j] += rMulNonNeg(s, v)
					rk[j] += sx
				}
			default:
				for e, j := range cols {
					v := vals[e]
					cj := cons[j]
					x := min(v, cj)
					if cj <= 0 && cj < v {
						x = 0 // col_clip_sparse drops the entry
					} else if oc != nil {
						oc[k], ov[k] = j, x
						if wbarDelta {
							ov[k] = rMulNonNeg(s, x)
						}
						k++
					}
					if wc != nil {
						wc[e] = x
					}
					t += x
					if s != 0 {
						pre[j] += rMulNonNeg(s, v)
						rk[j] += rMulNonNeg(s, x)
					}
				}
			}
			if Wbar != nil {
				Wbar.cnt[i] = int32(k)
			}
			vtrust[i] = t
		}
	})
	pre, ranks := preParts[0], rankParts[0]
	for c := 1; c < nc; c++ {
		for j := 0; j < n; j++ {
			pre[j] += preParts[c][j]
			ranks[j] += rankParts[c][j]
		}
	}
	trust := rTrust(ranks, pre)
	incentive := slices.Clone(ranks)
	rNormalize(incentive)

	// 3.9 Bonds penalty: W_b = interpolate(W, W̄, β).
	var Wb *smat
	switch beta {
	case 0:
		Wb = W
	case rOne:
		Wb = Wbar
	default:
		Wb = newSmat(ar, n, W.rowLen)
		Wb.allAsc = true // both paths below emit ascending columns
		tm.run(wb, func(_, lo, hi int) {
			var s1, s2 *rowScratch
			for i := lo; i < hi; i++ {
				cols, vals := W.row(i)
				st := W.start[i]
				oc, ov := Wb.col[Wb.start[i]:], Wb.val[Wb.start[i]:]
				k := 0
				if W.ascending(i) {
					for e, j := range cols {
						v1, v2 := vals[e], wclip[int(st)+e]
						x := rAddSat(v1, rMulSat(beta, rSubSat(v2, v1)))
						if x > 0 {
							oc[k], ov[k] = j, x
							k++
						}
					}
				} else {
					if s1 == nil {
						s1, s2 = newRowScratch(n), newRowScratch(n)
					}
					s1.reset()
					s2.reset()
					for e, j := range cols {
						s1.set(j, vals[e])
						s2.set(j, wclip[int(st)+e])
					}
					slices.Sort(s1.touch)
					for _, j := range s1.touch {
						v1, v2 := s1.v[j], s2.v[j]
						x := rAddSat(v1, rMulSat(beta, rSubSat(v2, v1)))
						if x > 0 {
							oc[k], ov[k] = j, x
							k++
						}
					}
				}
				Wb.cnt[i] = int32(k)
			}
		})
	}

	// 3.10 Bonds: stored rows, recently-registered columns dropped (classic mode also sums the columns of
	// the integer bonds on the way, for their column normalisation).
	nbr := min(in.Bonds.NumRows(), n)
	bondLen := func(i int) int {
		if i >= nbr {
			return 0
		}
		return int(in.Bonds.Ptr[i+1] - in.Bonds.Ptr[i])
	}
	B := newSmat(ar, n, bondLen)
	B.asc = make([]bool, n)
	bb := chunkBounds(n, workers, bondLen)
	var bParts [][]int64
	if !p.Yuma3 {
		bParts = ar.partials(len(bb)-1, n)
	}
	tm.run(bb, func(c, lo, hi int) {
		var bs []int64
		if bParts != nil {
			bs = bParts[c]
		}
		for i := lo; i < min(hi, nbr); i++ {
			cols, vals := in.Bonds.Row(i)
			st := int(B.start[i])
			oc, ov := B.col[st:], B.val[st:]
			k := 0
			prev, asc := -1, true
			for e, j := range cols {
				if int(j) >= n || pr.lastTempo <= pr.bar[j] {
					continue
				}
				asc = asc && int(j) > prev
				prev = int(j)
				var v int64
				if p.Yuma3 {
					v = rU16Proportion(vals[e])
				} else {
					v = int64(vals[e]) << rFrac
					bs[j] = rAddSat(bs[j], v)
				}
				oc[k], ov[k] = j, v
				k++
			}
			B.cnt[i] = int32(k)
			B.asc[i] = asc
		}
	})

	emaB := chunkBounds(n, workers, func(i int) int { return Wb.rowLen(i) + B.rowLen(i) })
	eParts := ar.partials(len(emaB)-1, n) // column sums of the EMA bonds, per chunk
	alpha := rEmaAlpha(p.BondsMovingAverage)
	dividends := make([]int64, n)
	var out *Outputs
	if p.Yuma3 {
		var ema *smat
		if p.LiquidAlpha && n > 0 && slices.ContainsFunc(cons, func(c int64) bool { return c != 0 }) {
			la := laParamsFrom(p)
			ema = newSmat(ar, n, Wb.rowLen)
			tm.run(emaB, func(c, lo, hi int) {
				es := eParts[c]
				lb := &laBuf{}
				var ws, bs, bl *rowScratch
				for i := lo; i < hi; i++ {
					wc, wv := Wb.row(i)
					if len(wc) == 0 {
						continue
					}
					bc, bv := B.row(i)
					asc := Wb.ascending(i) && B.ascending(i)
					if ws == nil && !asc {
						ws, bs, bl = newRowScratch(n), newRowScratch(n), newRowScratch(n)
					}
					st := ema.start[i]
					k := smatLaEmaRow(wc, wv, bc, bv, cons, la, lb, ws, bs, bl, ema.col[st:], ema.val[st:], asc)
					ema.cnt[i] = int32(k)
					for e, j := range ema.col[st : int(st)+k] {
						es[j] += ema.val[int(st)+e] // ≤ 1 each (clamped), < 2^16 rows: no saturation
					}
				}
			})
		} else {
			ema = smatEma(ar, tm, Wb, B, n, n, alpha, emaB, eParts)
		}
		// Dividends from the column-normalised EMA bonds, normalised on the fly (spec §3.10b.3–4): each
		// B'ⁿ_ij = safe_div(B'_ij, colsum_j) and its product with I_j are computed exactly as the chain does.
		// The stored bonds are the EMA bonds themselves, written as u16 in the same pass.
		sums := reduceSums(eParts)
		cd := newColDiv(tm, sums)
		out = newBondsOutputs(in, pr, ema)
		eb := chunkBounds(n, fineChunks(workers), ema.rowLen)
		tm.run(eb, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				cols, vals := ema.row(i)
				var t int64
				for k, j := range cols {
					x := vals[k] // > 0, like the column sums and the incentive
					if sums[j] != 0 {
						if q, ok := cd.fast(x, j); ok {
							x = q
						} else {
							x = cd.divSlow(x, j)
						}
					}
					t += rMulNonNeg(x, incentive[j])
				}
				d, ok := rMulChecked(t, pr.sAct[i])
				if !ok {
					d = 0
				}
				dividends[i] = d
				if a, b := out.Bonds.Ptr[i], out.Bonds.Ptr[i+1]; a < b {
					copy(out.Bonds.Cols[a:b], cols)
					ov := out.Bonds.Vals[a:b]
					for k, v := range vals {
						ov[k] = rToU16(v)
					}
				}
			}
		})
		rNormalize(dividends)
	} else {
		// Classic (spec §3.10a), with the column normalisations of B and ΔB = W_b ∘ S applied on the fly.
		bsum := reduceSums(bParts)
		// Column sums of ΔB: with β = 0 or 1, W_b is W or W̄, and Σ_i W_b,ij·S_i are exactly the pre-clip
		// ranks or the ranks computed above (the same floored products, summed without saturation).
		var dParts [][]int64
		switch beta {
		case 0:
			dParts = [][]int64{pre}
		case rOne:
			dParts = [][]int64{ranks}
		default:
			dParts = ar.partials(len(wb)-1, n)
			tm.run(wb, func(c, lo, hi int) {
				ds := dParts[c]
				for i := lo; i < hi; i++ {
					s := pr.sAct[i]
					if s == 0 {
						continue
					}
					cols, vals := Wb.row(i)
					for k, j := range cols {
						ds[j] += rMulNonNeg(vals[k], s) // ≤ 1 each: no saturation
					}
				}
			})
		}
		dsum := reduceSums(dParts)
		dcd, bcd := newColDiv(tm, dsum), newColDiv(tm, bsum)
		oneMinus := rSubSat(rOne, alpha)
		ema := newSmat(ar, n, func(i int) int { return Wb.rowLen(i) + B.rowLen(i) })
		// The column maxima of the normalised B' (the upscale divisors) are those of B' divided by the
		// column sums: flooring division by a positive number keeps the order.
		mParts := ar.partials(len(emaB)-1, n)
		tm.run(emaB, func(c, lo, hi int) {
			es, mx := eParts[c], mParts[c]
			var sc *rowScratch
			var nb, ob []int64
			for i := lo; i < hi; i++ {
				nc, nv := Wb.row(i)
				oc, ov := B.row(i)
				if len(nc) == 0 && len(oc) == 0 {
					continue
				}
				s := pr.sAct[i]
				st := int(ema.start[i])
				if len(oc) == 0 && alpha >= 0 && oneMinus >= 0 && Wb.ascending(i) {
					// No stored bonds in this row (every row in a first epoch): smatEmaRow's α·new path,
					// fused with ΔB's normalisation.
					outC, outV := ema.col[st:st+len(nc)], ema.val[st:st+len(nc)]
					k := 0
					for e, j := range nc {
						x := nv[e] // ΔB_ij, stored by the clip pass
						if !wbarDelta {
							x = rMulNonNeg(x, s)
						}
						if dsum[j] != 0 {
							if q, ok := dcd.fast(x, j); ok {
								x = q
							} else {
								x = dcd.divSlow(x, j)
							}
						}
						if v := rMulNonNeg(alpha, x); v > 0 {
							outC[k], outV[k] = j, v
							k++
							es[j] += v // ≤ 1 each, < 2^16 rows: no saturation
							mx[j] = max(mx[j], v)
						}
					}
					ema.cnt[i] = int32(k)
					continue
				}
				nb = slices.Grow(nb[:0], len(nv))[:len(nv)]
				for k, j := range nc {
					x := nv[k]
					if !wbarDelta {
						x = rMulNonNeg(x, s)
					}
					if dsum[j] != 0 {
						if q, ok := dcd.fast(x, j); ok {
							x = q
						} else {
							x = dcd.divSlow(x, j)
						}
					}
					nb[k] = x
				}
				ob = slices.Grow(ob[:0], len(ov))[:len(ov)]
				for k, j := range oc {
					x := ov[k]
					if bsum[j] != 0 {
						// The stored bonds are whole numbers, and so are their column sums: divSlow's
						// integer path, taken here first (every path gives rDivNonNeg's quotient).
						if d, ri := bcd.e[j].d, bcd.ri[j]; x <= d && ri != 0 && x&(1<<rFrac-1) == 0 {
							x = int64(divByRecip(uint64(x), uint64(d)>>rFrac, ri))
						} else if q, ok := bcd.fast(x, j); ok {
							x = q
						} else {
							x = bcd.divSlow(x, j)
						}
					}
					ob[k] = x
				}
				asc := Wb.ascending(i) && B.ascending(i)
				if sc == nil && !asc {
					sc = newRowScratch(n)
				}
				capI := len(nc) + len(oc)
				k := smatEmaRow(nc, nb, oc, ob, alpha, oneMinus, sc, ema.col[st:st+capI], ema.val[st:st+capI], asc)
				ema.cnt[i] = int32(k)
				for e, j := range ema.col[st : st+k] {
					x := ema.val[st+e]
					es[j] += x // ≤ 1 each, < 2^16 rows: no saturation
					mx[j] = max(mx[j], x)
				}
			}
		})
		esum := reduceSums(eParts)
		ecd := newColDiv(tm, esum)
		upscale := reduceMax(mParts)
		for j, x := range upscale {
			if esum[j] != 0 {
				upscale[j] = ecd.div(x, uint16(j))
			}
		}
		ucd := newColDiv(tm, upscale)
		// Normalise B' by column, dividends D_i = Σ_j I_j·B'_ij, and the stored bonds: B' upscaled by
		// column to u16 (spec §3.10a), written in the same pass.
		out = newBondsOutputs(in, pr, ema)
		eb := chunkBounds(n, fineChunks(workers), ema.rowLen)
		tm.run(eb, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				cols, vals := ema.row(i)
				a, b := out.Bonds.Ptr[i], out.Bonds.Ptr[i+1]
				ov := out.Bonds.Vals[a:b]
				copy(out.Bonds.Cols[a:b], cols)
				var t int64
				for k, j := range cols {
					x := vals[k]
					if esum[j] != 0 {
						if q, ok := ecd.fast(x, j); ok {
							x = q
						} else {
							x = ecd.divSlow(x, j)
						}
					}
					t += rMulNonNeg(incentive[j], x) // ≤ 1 each, < 2^16 of them: no saturation
					if a < b {
						if upscale[j] != 0 {
							if q, ok := ucd.fast(x, j); ok {
								x = q
							} else {
								x = ucd.divSlow(x, j)
							}
						}
						ov[k] = rToU16(x)
					}
				}
				dividends[i] = t
			}
		})
		rNormalize(dividends)
	}

	epochEmissions(out, incentive, dividends, pr.stake, pr.sAct, in.RaoEmission)
	epochFillCommon(out, pr, incentive, dividends, cons, vtrust, trust)

	return out
}

// newBondsOutputs starts the outputs with the layout of the bonds to store (spec §3.12): for every uid
// with a key a row is written, holding the stored bonds' entries for uids with a new permit and cleared
// for the others. The caller fills Cols and Vals.
func newBondsOutputs(in *Inputs, pr *epochPrep, stored *smat) *Outputs {
	n := pr.n
	out := &Outputs{BondsWrite: make([]bool, n), Bonds: Rows{Ptr: make([]int32, n+1)}}
	for i := 0; i < n; i++ {
		c := int32(0)
		if in.hasKey(i) {
			out.BondsWrite[i] = true
			if pr.newPermit[i] {
				c = stored.cnt[i]
			}
		}
		out.Bonds.Ptr[i+1] = out.Bonds.Ptr[i] + c
	}
	total := out.Bonds.Ptr[n]
	out.Bonds.Cols, out.Bonds.Vals = make([]uint16, total), make([]uint16, total)
	return out
}

// reduceSums adds the per-chunk column partials (saturating, non-negative) in chunk order into the first.
func reduceSums(parts [][]int64) []int64 {
	if len(parts) == 0 {
		return nil
	}
	sum := parts[0]
	for _, p := range parts[1:] {
		for j, v := range p {
			sum[j] = rAddSat(sum[j], v)
		}
	}
	return sum
}

// reduceMax takes the column maxima of the per-chunk partials in chunk order into the first.
func reduceMax(parts [][]int64) []int64 {
	mx := parts[0]
	for _, p := range parts[1:] {
		for j, v := range p {
			mx[j] = max(mx[j], v)
		}
	}
	return mx
}
