package yuma

// Vector and matrix primitives of subtensor's epoch/math.rs (spec/yuma.md §1, §3, §4.3), with exactly the
// chain's fixed-point semantics. The golden vectors testdata/golden/math_*.json test them bit for bit.
//
// Representation:
//   - A vector is a []fixed.I32F32 (or []fixed.I64F64).
//   - A dense matrix is a [][]fixed.I32F32, one slice per row.
//   - A sparse matrix is a []SparseRow; a SparseRow is a []Entry of (column, value) pairs in whatever order
//     produced them (stored rows keep the submitted order; duplicates and explicit zeros are kept).
//     Functions that build a sparse matrix allocate one flat []Entry for all its rows and slice the rows out
//     of it (each row capped, so appending to one row never overwrites the next), so a result costs two
//     allocations, not one per row.
//
// Functions named Inplace* modify their argument; the others never modify their inputs, and their results
// never alias them except where a doc comment says so (the ratio = 0 / 1 shortcuts of Interpolate*).

import (
	"cmp"
	"slices"

	"github.com/gotensor/gotensor/chain/fixed"
)

// Entry is one entry of a sparse row: column index and value.
type Entry struct {
	Col uint16
	Val fixed.I32F32
}

// SparseRow is one row of a sparse matrix: (column, value) entries in stored order.
type SparseRow []Entry

const (
	mZero = fixed.I32F32Zero
	mOne  = fixed.I32F32One
)

// mHalf is 0.5 as I32F32.
const mHalf = fixed.I32F32Half

// mGetSafe is subtensor's get_safe: s[i], or 0 when i is out of range.
func mGetSafe(s []fixed.I32F32, i int) fixed.I32F32 {
	if i >= 0 && i < len(s) {
		return s[i]
	}
	return 0
}

// mRowBuilder builds a sparse matrix in one flat buffer.
type mRowBuilder struct {
	buf  []Entry
	ends []int
}

func newMRowBuilder(rows, entries int) *mRowBuilder {
	return &mRowBuilder{buf: make([]Entry, 0, entries), ends: make([]int, 0, rows)}
}

func (b *mRowBuilder) push(col uint16, v fixed.I32F32) { b.buf = append(b.buf, Entry{col, v}) }

func (b *mRowBuilder) endRow() { b.ends = append(b.ends, len(b.buf)) }

func (b *mRowBuilder) finish() []SparseRow {
	out := make([]SparseRow, len(b.ends))
	start := 0
	for i, e := range b.ends {
		out[i] = SparseRow(b.buf[start:e:e])
		start = e
	}
	return out
}

// mCloneSparse copies a sparse matrix into one flat buffer.
func mCloneSparse(m []SparseRow) []SparseRow {
	total := 0
	for _, r := range m {
		total += len(r)
	}
	b := newMRowBuilder(len(m), total)
	for _, r := range m {
		b.buf = append(b.buf, r...)
		b.endRow()
	}
	return b.finish()
}

// mCloneDense copies a dense matrix.
func mCloneDense(m [][]fixed.I32F32) [][]fixed.I32F32 {
	out := make([][]fixed.I32F32, len(m))
	for i, r := range m {
		out[i] = slices.Clone(r)
	}
	return out
}

// Sum is the plain (exact, wrapping) sum of x, Rust's iter().sum().
func Sum(x []fixed.I32F32) fixed.I32F32 {
	var s fixed.I32F32
	for _, v := range x {
		s += v
	}
	return s
}

// Normalize returns a copy of x divided by its sum (safe_div); if the sum is 0, an unchanged copy.
func Normalize(x []fixed.I32F32) []fixed.I32F32 {
	out := slices.Clone(x)
	InplaceNormalize(out)
	return out
}

// InplaceNormalize divides every x_i by Σx (safe_div, so 0 on overflow), unless Σx = 0.
func InplaceNormalize(x []fixed.I32F32) {
	s := Sum(x)
	if s == 0 {
		return
	}
	for i, v := range x {
		x[i] = v.SafeDiv(s)
	}
}

// InplaceNormalize64 is inplace_normalize_64: the I64F64 version of InplaceNormalize.
func InplaceNormalize64(x []fixed.I64F64) {
	var s fixed.I64F64
	for _, v := range x {
		s = s.Add(v)
	}
	if s.IsZero() {
		return
	}
	for i, v := range x {
		x[i] = v.SafeDiv(s)
	}
}

// InplaceRowNormalize normalises each dense row whose (plain) sum is > 0.
func InplaceRowNormalize(m [][]fixed.I32F32) {
	for _, row := range m {
		if s := Sum(row); s > 0 {
			for j, v := range row {
				row[j] = v.SafeDiv(s)
			}
		}
	}
}

// InplaceRowNormalizeSparse normalises each sparse row whose (plain) sum is > 0.
func InplaceRowNormalizeSparse(m []SparseRow) {
	for _, row := range m {
		var s fixed.I32F32
		for _, e := range row {
			s += e.Val
		}
		if s > 0 {
			for k := range row {
				row[k].Val = row[k].Val.SafeDiv(s)
			}
		}
	}
}

// RowSumSparse returns the plain sum of each sparse row.
func RowSumSparse(m []SparseRow) []fixed.I32F32 {
	out := make([]fixed.I32F32, len(m))
	for i, row := range m {
		for _, e := range row {
			out[i] += e.Val
		}
	}
	return out
}

// ColSumSparse returns the saturating sum of each column < columns (other entries are ignored).
func ColSumSparse(m []SparseRow, columns int) []fixed.I32F32 {
	out := make([]fixed.I32F32, columns)
	for _, row := range m {
		for _, e := range row {
			if int(e.Col) < columns {
				out[e.Col] = out[e.Col].SaturatingAdd(e.Val)
			}
		}
	}
	return out
}

// InplaceColNormalizeSparse divides each entry by its column's saturating sum where that sum is ≠ 0.
// Entries in columns ≥ columns are left unchanged.
func InplaceColNormalizeSparse(m []SparseRow, columns int) {
	sums := ColSumSparse(m, columns)
	for _, row := range m {
		for k, e := range row {
			if int(e.Col) < columns && sums[e.Col] != 0 {
				row[k].Val = e.Val.SafeDiv(sums[e.Col])
			}
		}
	}
}

// InplaceColNormalize is the dense column normalisation: column sums are saturating, rows may have
// different lengths (missing entries count as 0), and only columns with a non-zero sum are divided.
func InplaceColNormalize(m [][]fixed.I32F32) {
	var sums []fixed.I32F32
	for _, row := range m {
		if len(sums) < len(row) {
			sums = append(sums, make([]fixed.I32F32, len(row)-len(sums))...)
		}
		for j, v := range row {
			sums[j] = sums[j].SaturatingAdd(v)
		}
	}
	for _, row := range m {
		for j, v := range row {
			if sums[j] != 0 {
				row[j] = v.SafeDiv(sums[j])
			}
		}
	}
}

// InplaceColMaxUpscaleSparse divides each entry by its column maximum (taken over the entries, starting
// from 0) where that maximum is ≠ 0. Entries in columns ≥ columns are left unchanged.
func InplaceColMaxUpscaleSparse(m []SparseRow, columns int) {
	maxes := make([]fixed.I32F32, columns)
	for _, row := range m {
		for _, e := range row {
			if int(e.Col) < columns && maxes[e.Col] < e.Val {
				maxes[e.Col] = e.Val
			}
		}
	}
	for _, row := range m {
		for k, e := range row {
			if int(e.Col) < columns && maxes[e.Col] != 0 {
				row[k].Val = e.Val.SafeDiv(maxes[e.Col])
			}
		}
	}
}

// InplaceColMaxUpscale is the dense column max-upscale (rows may differ in length).
func InplaceColMaxUpscale(m [][]fixed.I32F32) {
	var maxes []fixed.I32F32
	for _, row := range m {
		if len(maxes) < len(row) {
			maxes = append(maxes, make([]fixed.I32F32, len(row)-len(maxes))...)
		}
		for j, v := range row {
			if maxes[j] < v {
				maxes[j] = v
			}
		}
	}
	for _, row := range m {
		for j, v := range row {
			if maxes[j] != 0 {
				row[j] = v.SafeDiv(maxes[j])
			}
		}
	}
}

// IsTopK is is_topk: true for the k largest values. If len(v) < k every entry is true. Otherwise the
// indices are sorted ascending by value with a stable sort and the first len(v)−k are cleared, so among
// equal values the higher index wins.
func IsTopK(v []fixed.I32F32, k int) []bool {
	r := make([]bool, len(v))
	for i := range r {
		r[i] = true
	}
	mClearBottom(v, k, r)
	return r
}

// IsTopKNonzero is is_topk_nonzero: as IsTopK, but the result starts as v_i ≠ 0 instead of all true.
func IsTopKNonzero(v []fixed.I32F32, k int) []bool {
	r := make([]bool, len(v))
	for i, x := range v {
		r[i] = x != 0
	}
	mClearBottom(v, k, r)
	return r
}

func mClearBottom(v []fixed.I32F32, k int, r []bool) {
	n := len(v)
	if k < 0 {
		k = 0
	}
	if n < k {
		return
	}
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	// Sorting by (value, index) is the stable ascending sort by value.
	slices.SortFunc(idx, func(a, b int32) int {
		if c := cmp.Compare(v[a], v[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for _, i := range idx[:n-k] {
		r[i] = false
	}
}

// VecMul is vec_mul: the element-wise checked_mul of a and b, 0 where it overflows; the result has the
// length of the shorter input.
func VecMul(a, b []fixed.I32F32) []fixed.I32F32 {
	n := min(len(a), len(b))
	out := make([]fixed.I32F32, n)
	for i := range n {
		out[i], _ = a[i].CheckedMul(b[i]) // 0 when !ok
	}
	return out
}

// VecMaxUpscaleToU16 is vec_max_upscale_to_u16: scales v so that its maximum becomes 65535, rounding ties
// away from zero. With m = max(v): if m = 0 every entry is floor(saturating_mul(e, 65535)) as u16; if
// m > 32768, e·(65535/m) (the quotient truncated first); otherwise (e·65535)/m; then round() and
// saturating conversion to u16.
func VecMaxUpscaleToU16(v []fixed.I32F32) []uint16 {
	out := make([]uint16, len(v))
	if len(v) == 0 {
		return out
	}
	u16Max := fixed.I32F32FromInt(65535)
	threshold := fixed.I32F32FromInt(32768)
	m := slices.Max(v)
	switch {
	case m == 0:
		for i, e := range v {
			out[i] = e.SaturatingMul(u16Max).SaturatingToUint16()
		}
	case m > threshold:
		f := u16Max.SafeDiv(m)
		for i, e := range v {
			out[i] = e.SaturatingMul(f).Round().SaturatingToUint16()
		}
	default:
		for i, e := range v {
			out[i] = e.SaturatingMul(u16Max).SafeDiv(m).Round().SaturatingToUint16()
		}
	}
	return out
}

// VecU16MaxUpscaleToU16 is vec_u16_max_upscale_to_u16, what set_weights applies before storing a row: the
// values as I32F32 integers, then VecMaxUpscaleToU16.
func VecU16MaxUpscaleToU16(v []uint16) []uint16 {
	f := make([]fixed.I32F32, len(v))
	for i, x := range v {
		f[i] = fixed.U16ToFixed(x)
	}
	return VecMaxUpscaleToU16(f)
}

// WeightedMedian is weighted_median: the stake-weighted median of score over the indices in partition,
// by the chain's deterministic mid-pivot search (spec/yuma.md §3.6). The result depends on the order of
// partition. stake and score must have equal lengths (else 0); out-of-range indices read as 0.
func WeightedMedian(stake, score []fixed.I32F32, partition []int, minority, lo, hi fixed.I32F32) fixed.I32F32 {
	var ws mMedianScratch
	return ws.median(stake, score, partition, minority, lo, hi)
}

// mMedianScratch holds the buffers of the median search, reused across columns.
type mMedianScratch struct{ cur, lower, upper []int }

func (ws *mMedianScratch) median(stake, score []fixed.I32F32, partition []int, minority, lo, hi fixed.I32F32) fixed.I32F32 {
	if len(stake) != len(score) {
		return 0
	}
	cur := append(ws.cur[:0], partition...)
	lower, upper := ws.lower[:0], ws.upper[:0]
	defer func() { ws.cur, ws.lower, ws.upper = cur, lower, upper }()
	limit := len(partition)
	for iter := 0; ; {
		n := len(cur)
		if n == 0 {
			return 0
		}
		if n == 1 {
			return mGetSafe(score, cur[0])
		}
		pivot := mGetSafe(score, cur[n/2])
		var loStake, hiStake fixed.I32F32
		lower, upper = lower[:0], upper[:0]
		for _, idx := range cur {
			s := mGetSafe(score, idx)
			switch {
			case s == pivot:
			case s < pivot:
				loStake = loStake.SaturatingAdd(mGetSafe(stake, idx))
				lower = append(lower, idx)
			default:
				hiStake = hiStake.SaturatingAdd(mGetSafe(stake, idx))
				upper = append(upper, idx)
			}
		}
		switch {
		case minority < lo.SaturatingAdd(loStake) && len(lower) > 0:
			hi = lo.SaturatingAdd(loStake)
			cur, lower = lower, cur
		case hi.SaturatingSub(hiStake) <= minority && len(upper) > 0:
			lo = hi.SaturatingSub(hiStake)
			cur, upper = upper, cur
		default:
			return pivot
		}
		// Safety limit of the chain's code; unreachable.
		iter++
		if iter > limit {
			return 0
		}
	}
}

// WeightedMedianCol is weighted_median_col, the dense consensus: for each column c, the rows r < len(stake)
// with stake_r > 0 contribute (stake_r, score[r][c]) (a missing row, or one whose length differs from the
// first row's, contributes (0, 0)); that stake is normalised, minority = Σ − majority (saturating), and
// the median is taken over [0, Σ]. The column count is len(score[0]).
func WeightedMedianCol(stake []fixed.I32F32, score [][]fixed.I32F32, majority fixed.I32F32) []fixed.I32F32 {
	columns := 0
	if len(score) > 0 {
		columns = len(score[0])
	}
	median := make([]fixed.I32F32, columns)
	var ws mMedianScratch
	useStake := make([]fixed.I32F32, 0, len(stake))
	useScore := make([]fixed.I32F32, 0, len(stake))
	var idx []int
	for c := range columns {
		useStake, useScore = useStake[:0], useScore[:0]
		for r, st := range stake {
			if st <= 0 {
				continue
			}
			if r < len(score) && len(score[r]) == columns {
				useStake = append(useStake, st)
				useScore = append(useScore, score[r][c])
			} else {
				useStake = append(useStake, 0)
				useScore = append(useScore, 0)
			}
		}
		if len(useStake) == 0 {
			continue
		}
		InplaceNormalize(useStake)
		sum := Sum(useStake)
		minority := sum.SaturatingSub(majority)
		idx = idx[:0]
		for k := range useStake {
			idx = append(idx, k)
		}
		median[c] = ws.median(useStake, useScore, idx, minority, 0, sum)
	}
	return median
}

// WeightedMedianColSparse is weighted_median_col_sparse, the production consensus: the positive entries
// of stake, in uid order, normalised again, are the median's stakes; row r's entries (c, v) with
// c < columns give the scores (missing entries are 0; a duplicate column keeps the last value). Rows are
// matched with stake up to the shorter of the two.
func WeightedMedianColSparse(stake []fixed.I32F32, score []SparseRow, columns int, majority fixed.I32F32) []fixed.I32F32 {
	useStake := make([]fixed.I32F32, 0, len(stake))
	for _, s := range stake {
		if s > 0 {
			useStake = append(useStake, s)
		}
	}
	InplaceNormalize(useStake)
	sum := Sum(useStake)
	minority := sum.SaturatingSub(majority)
	k := len(useStake)
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i
	}
	// rowScore[kk*columns + c] is the score of the kk-th positive-stake row in column c: filled row by row
	// (sequential writes), then gathered one column at a time into colScore (consecutive columns share
	// cache lines, so the gather streams through the matrix once).
	rowScore := make([]fixed.I32F32, k*columns)
	kk := 0
	for r := 0; r < len(stake) && r < len(score); r++ {
		if stake[r] <= 0 {
			continue
		}
		dst := rowScore[kk*columns : (kk+1)*columns]
		for _, e := range score[r] {
			if int(e.Col) < columns {
				dst[e.Col] = e.Val
			}
		}
		kk++
	}
	median := make([]fixed.I32F32, columns)
	colScore := make([]fixed.I32F32, k)
	var ws mMedianScratch
	for c := range columns {
		for r := range colScore {
			colScore[r] = rowScore[r*columns+c]
		}
		median[c] = ws.median(useStake, colScore, idx, minority, 0, sum)
	}
	return median
}

// InplaceColClip is inplace_col_clip: x_ij = min(x_ij, threshold_j) (over the common length of each row
// and threshold).
func InplaceColClip(m [][]fixed.I32F32, threshold []fixed.I32F32) {
	for _, row := range m {
		for j := range min(len(row), len(threshold)) {
			row[j] = min(row[j], threshold[j])
		}
	}
}

// ColClipSparse is col_clip_sparse: entries above their column's threshold become the threshold, except
// that an entry above a threshold ≤ 0 is dropped. A column without a threshold reads threshold 0.
// Row order is kept.
func ColClipSparse(m []SparseRow, threshold []fixed.I32F32) []SparseRow {
	total := 0
	for _, r := range m {
		total += len(r)
	}
	b := newMRowBuilder(len(m), total)
	for _, row := range m {
		for _, e := range row {
			t := mGetSafe(threshold, int(e.Col))
			if t < e.Val {
				if 0 < t {
					b.push(e.Col, t)
				}
			} else {
				b.push(e.Col, e.Val)
			}
		}
		b.endRow()
	}
	return b.finish()
}

// Interpolate is interpolate: mat1 + ratio·(mat2 − mat1) per element with saturating operations. If
// ratio = 0 it returns a copy of mat1, if ratio = 1 a copy of mat2. An empty mat1 (or empty first row)
// gives one empty row. The result has mat1's shape (len(mat1) rows of len(mat1[0])); elements beyond the
// shorter of the two rows (or rows beyond mat2) stay 0.
func Interpolate(mat1, mat2 [][]fixed.I32F32, ratio fixed.I32F32) [][]fixed.I32F32 {
	if ratio == 0 {
		return mCloneDense(mat1)
	}
	if ratio == mOne {
		return mCloneDense(mat2)
	}
	if len(mat1) == 0 || len(mat1[0]) == 0 {
		return [][]fixed.I32F32{{}}
	}
	cols := len(mat1[0])
	flat := make([]fixed.I32F32, len(mat1)*cols)
	out := make([][]fixed.I32F32, len(mat1))
	for i := range out {
		out[i] = flat[i*cols : (i+1)*cols : (i+1)*cols]
	}
	for i, r1 := range mat1 {
		if i >= len(mat2) {
			break
		}
		r2 := mat2[i]
		n := min(len(r1), len(r2), cols)
		for j := range n {
			out[i][j] = r1[j].SaturatingAdd(ratio.SaturatingMul(r2[j].SaturatingSub(r1[j])))
		}
	}
	return out
}

// InterpolateSparse is interpolate_sparse: if ratio = 0 a copy of mat1, if ratio = 1 a copy of mat2 (rows
// as they are, explicit zeros included); if the row counts differ, a copy of mat2. Otherwise each row is
// densified over [0, columns) (a duplicate column keeps its last value; columns ≥ columns are ignored),
// v1 + ratio·(v2 − v1) is computed with saturating operations, and only results > 0 are kept, in
// ascending column order.
func InterpolateSparse(mat1, mat2 []SparseRow, columns int, ratio fixed.I32F32) []SparseRow {
	if ratio == 0 {
		return mCloneSparse(mat1)
	}
	if ratio == mOne || len(mat1) != len(mat2) {
		return mCloneSparse(mat2)
	}
	row1 := make([]fixed.I32F32, columns)
	row2 := make([]fixed.I32F32, columns)
	bound := 0 // every kept column is in row1 or row2
	for i := range mat1 {
		bound += min(columns, len(mat1[i])+len(mat2[i]))
	}
	b := newMRowBuilder(len(mat1), bound)
	for i := range mat1 {
		r1, r2 := mat1[i], mat2[i]
		if len(r1) == 0 && len(r2) == 0 {
			b.endRow() // every result is 0 + ratio·0 = 0: nothing is kept
			continue
		}
		for _, e := range r1 {
			if int(e.Col) < columns {
				row1[e.Col] = e.Val
			}
		}
		for _, e := range r2 {
			if int(e.Col) < columns {
				row2[e.Col] = e.Val
			}
		}
		for j := range columns {
			v1, v2 := row1[j], row2[j]
			if v1|v2 == 0 {
				continue // 0 + ratio·0 = 0 is not kept
			}
			if v := v1.SaturatingAdd(ratio.SaturatingMul(v2.SaturatingSub(v1))); v > 0 {
				b.push(uint16(j), v)
			}
		}
		for _, e := range r1 {
			if int(e.Col) < columns {
				row1[e.Col] = 0
			}
		}
		for _, e := range r2 {
			if int(e.Col) < columns {
				row2[e.Col] = 0
			}
		}
		b.endRow()
	}
	return b.finish()
}

// MatEma is mat_ema: alpha·new + (1 − alpha)·old per element, saturating, over the common shape.
func MatEma(newM, oldM [][]fixed.I32F32, alpha fixed.I32F32) [][]fixed.I32F32 {
	if len(newM) == 0 || len(newM[0]) == 0 {
		return [][]fixed.I32F32{{}}
	}
	oneMinus := mOne.SaturatingSub(alpha)
	out := make([][]fixed.I32F32, 0, len(newM))
	for i, nr := range newM {
		if i >= len(oldM) {
			break
		}
		or := oldM[i]
		r := make([]fixed.I32F32, min(len(nr), len(or)))
		for j := range r {
			r[j] = alpha.SaturatingMul(nr[j]).SaturatingAdd(oneMinus.SaturatingMul(or[j]))
		}
		out = append(out, r)
	}
	return out
}

// MatEmaSparse is mat_ema_sparse: per row, the dense accumulation over [0, len(newM)) of alpha·new and
// then (1 − alpha)·old (saturating adds; entries in columns ≥ len(newM) are ignored), keeping entries > 0
// in ascending column order. Rows of new beyond old get no old part.
func MatEmaSparse(newM, oldM []SparseRow, alpha fixed.I32F32) []SparseRow {
	n := len(newM)
	if n == 0 {
		return nil
	}
	oneMinus := mOne.SaturatingSub(alpha)
	acc := make([]fixed.I32F32, n)
	bound := 0 // every kept column is in the new or the old row
	for i, nr := range newM {
		k := len(nr)
		if i < len(oldM) {
			k += len(oldM[i])
		}
		bound += min(n, k)
	}
	b := newMRowBuilder(n, bound)
	for i, nr := range newM {
		var or SparseRow
		if i < len(oldM) {
			or = oldM[i]
		}
		if len(nr) == 0 && len(or) == 0 {
			b.endRow() // nothing accumulates, nothing is kept
			continue
		}
		for _, e := range nr {
			if int(e.Col) < n {
				acc[e.Col] = acc[e.Col].SaturatingAdd(alpha.SaturatingMul(e.Val))
			}
		}
		for _, e := range or {
			if int(e.Col) < n {
				acc[e.Col] = acc[e.Col].SaturatingAdd(oneMinus.SaturatingMul(e.Val))
			}
		}
		for j, v := range acc {
			if v > 0 {
				b.push(uint16(j), v)
			}
		}
		clear(acc)
		b.endRow()
	}
	return b.finish()
}

// mEmaAlphaEntry is min(1, (1 − a)·old + max(0, a·new)) with saturating operations.
func mEmaAlphaEntry(newV, oldV, a fixed.I32F32) fixed.I32F32 {
	decayed := mOne.SaturatingSub(a).SaturatingMul(oldV)
	inc := max(a.SaturatingMul(newV), 0)
	return min(decayed.SaturatingAdd(inc), mOne)
}

// MatEmaAlpha is mat_ema_alpha, the dense per-entry-alpha EMA: min(1, (1 − a_ij)·old_ij + max(0,
// a_ij·new_ij)). An empty new (or empty first row) gives one empty row; if the row counts differ it
// returns a copy of old; if any row lengths differ, a copy of new.
func MatEmaAlpha(newM, oldM, alpha [][]fixed.I32F32) [][]fixed.I32F32 {
	if len(newM) == 0 || len(newM[0]) == 0 {
		return [][]fixed.I32F32{{}}
	}
	if len(newM) != len(oldM) || len(newM) != len(alpha) {
		return mCloneDense(oldM)
	}
	for i, nr := range newM {
		if len(nr) != len(oldM[i]) || len(nr) != len(alpha[i]) {
			return mCloneDense(newM)
		}
	}
	out := make([][]fixed.I32F32, len(newM))
	for i, nr := range newM {
		r := make([]fixed.I32F32, len(nr))
		or, ar := oldM[i], alpha[i]
		for j := range r {
			r[j] = mEmaAlphaEntry(nr[j], or[j], ar[j])
		}
		out[i] = r
	}
	return out
}

// MatEmaAlphaSparse is mat_ema_alpha_sparse, the production liquid-alpha EMA (spec/yuma.md §3.10b): for
// each entry (j, w) of new row i, in new's order, with a = alpha[i][j] and b = the old row's value at j
// (0 if absent; a duplicate keeps the last), it emits min(1, (1 − a)·b + max(0, a·w)) if that is > 0.
// Columns outside alpha[i] are skipped. An old entry whose column is absent from the new row vanishes. If
// the row counts differ it returns a copy of new.
func MatEmaAlphaSparse(newM, oldM []SparseRow, alpha [][]fixed.I32F32) []SparseRow {
	if len(newM) != len(oldM) || len(newM) != len(alpha) {
		return mCloneSparse(newM)
	}
	total, width := 0, 0
	for i, r := range newM {
		total += len(r)
		width = max(width, len(alpha[i]))
	}
	decayed := make([]fixed.I32F32, width)
	b := newMRowBuilder(len(newM), total)
	for i, nr := range newM {
		ar := alpha[i]
		d := decayed[:len(ar)]
		clear(d)
		for _, e := range oldM[i] {
			if int(e.Col) < len(ar) {
				d[e.Col] = mOne.SaturatingSub(ar[e.Col]).SaturatingMul(e.Val)
			}
		}
		for _, e := range nr {
			if int(e.Col) >= len(ar) {
				continue
			}
			a := ar[e.Col]
			inc := max(a.SaturatingMul(e.Val), 0)
			if v := min(d[e.Col].SaturatingAdd(inc), mOne); v > 0 {
				b.push(e.Col, v)
			}
		}
		b.endRow()
	}
	return b.finish()
}

// AlphaSigmoid is the liquid-alpha coefficient alpha_sigmoid(c, w, b) of spec/yuma.md §4.3:
// d = clamp(w − c, 0, 1) if w ≥ b, else clamp(b − w, 0, 1); x = saturating_div(steepness, −100)·(d − ½);
// σ = 1 / (1 + exp_safe(x)) (saturating); a = clamp(low + σ·(high − low), low, high), all saturating.
// steepness is I32F32FromInt(AlphaSigmoidSteepness); low and high are AlphaValues/65535.
func AlphaSigmoid(consensus, weight, bond, low, high, steepness fixed.I32F32) fixed.I32F32 {
	var d fixed.I32F32
	if weight >= bond {
		d = mClampValue(weight.SaturatingSub(consensus), mZero, mOne)
	} else {
		d = mClampValue(bond.SaturatingSub(weight), mZero, mOne)
	}
	x := steepness.SaturatingDiv(fixed.I32F32FromInt(-100)).SaturatingMul(d.SaturatingSub(mHalf))
	sigma := mOne.SaturatingDiv(mOne.SaturatingAdd(x.ExpSafe()))
	a := low.SaturatingAdd(sigma.SaturatingMul(high.SaturatingSub(low)))
	return mClampValue(a, low, high)
}

// mClampValue is subtensor's clamp_value: min(high) first, then max(low).
func mClampValue(v, low, high fixed.I32F32) fixed.I32F32 { return max(min(v, high), low) }

// MatmulSparse is matmul_sparse: result_j = Σ_i vector_i·m_ij over columns < columns, with saturating
// products and sums (ranks R = S·W̄). Rows beyond vector are ignored.
func MatmulSparse(m []SparseRow, vector []fixed.I32F32, columns int) []fixed.I32F32 {
	out := make([]fixed.I32F32, columns)
	for i, row := range m {
		if i >= len(vector) {
			break
		}
		vi := vector[i]
		for _, e := range row {
			if int(e.Col) < columns {
				out[e.Col] = out[e.Col].SaturatingAdd(vi.SaturatingMul(e.Val))
			}
		}
	}
	return out
}

// MatmulTransposeSparse is matmul_transpose_sparse: result_i = Σ_j vector_j·m_ij, saturating (columns
// beyond vector read 0).
func MatmulTransposeSparse(m []SparseRow, vector []fixed.I32F32) []fixed.I32F32 {
	out := make([]fixed.I32F32, len(m))
	for i, row := range m {
		var s fixed.I32F32
		for _, e := range row {
			s = s.SaturatingAdd(mGetSafe(vector, int(e.Col)).SaturatingMul(e.Val))
		}
		out[i] = s
	}
	return out
}

// Matmul is the dense matmul: result_j = Σ_i vector_i·m_ij, saturating; the column count is len(m[0]).
func Matmul(m [][]fixed.I32F32, vector []fixed.I32F32) []fixed.I32F32 {
	if len(m) == 0 || len(m[0]) == 0 {
		return nil
	}
	out := make([]fixed.I32F32, len(m[0]))
	for i, row := range m {
		if i >= len(vector) {
			break
		}
		vi := vector[i]
		for j := range min(len(row), len(out)) {
			out[j] = out[j].SaturatingAdd(vi.SaturatingMul(row[j]))
		}
	}
	return out
}

// MatmulTranspose is the dense matmul_transpose: result_i = Σ_j vector_j·m_ij, saturating.
func MatmulTranspose(m [][]fixed.I32F32, vector []fixed.I32F32) []fixed.I32F32 {
	if len(m) == 0 || len(m[0]) == 0 {
		return nil
	}
	out := make([]fixed.I32F32, len(m))
	for i, row := range m {
		var s fixed.I32F32
		for j := range min(len(row), len(vector)) {
			s = s.SaturatingAdd(vector[j].SaturatingMul(row[j]))
		}
		out[i] = s
	}
	return out
}

// MatVecMulSparse is mat_vec_mul_sparse: entry (i, j) becomes m_ij·vector_j (saturating); products equal
// to 0, and entries whose column is beyond vector, are dropped. Row order is kept.
func MatVecMulSparse(m []SparseRow, vector []fixed.I32F32) []SparseRow {
	total := 0
	for _, r := range m {
		total += len(r)
	}
	b := newMRowBuilder(len(m), total)
	for _, row := range m {
		for _, e := range row {
			if int(e.Col) < len(vector) {
				if v := e.Val.SaturatingMul(vector[e.Col]); v != 0 {
					b.push(e.Col, v)
				}
			}
		}
		b.endRow()
	}
	return b.finish()
}
