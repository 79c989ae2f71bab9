package yuma

import (
	"testing"

	"github.com/gotensor/gotensor/chain/fixed"
)

// benchMatrix is a 64-validator × n-miner weight matrix: every validator weights every miner.
func benchMatrix(validators, n int) ([]fixed.I32F32, []SparseRow) {
	s := uint64(0x2545f4914f6cdd1d)
	next := func() uint64 { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s }
	stake := make([]fixed.I32F32, n)
	rows := make([]SparseRow, n)
	for i := range validators {
		stake[i] = fixed.I32F32(next()%(1<<26) + 1)
		row := make(SparseRow, n)
		for j := range row {
			row[j] = Entry{uint16(j), fixed.I32F32(next() % (1 << 20))}
		}
		rows[i] = row
	}
	InplaceNormalize(stake)
	InplaceRowNormalizeSparse(rows)
	return stake, rows
}

func BenchmarkMathWeightedMedianColSparse64x4096(b *testing.B) {
	stake, w := benchMatrix(64, 4096)
	kappa := fixed.U16ProportionToFixed(32767)
	b.ReportAllocs()
	for b.Loop() {
		WeightedMedianColSparse(stake, w, 4096, kappa)
	}
}

func BenchmarkMathInterpolateSparse64x4096(b *testing.B) {
	stake, w := benchMatrix(64, 4096)
	c := WeightedMedianColSparse(stake, w, 4096, fixed.U16ProportionToFixed(32767))
	clipped := ColClipSparse(w, c)
	ratio := fixed.U16ProportionToFixed(32767)
	b.ReportAllocs()
	for b.Loop() {
		InterpolateSparse(w, clipped, 4096, ratio)
	}
}

func BenchmarkMathAlphaSigmoid(b *testing.B) {
	lo, hi := fixed.U16ProportionToFixed(45875), fixed.U16ProportionToFixed(58982)
	steep := fixed.I32F32FromInt(1000)
	var acc fixed.I32F32
	k := fixed.I32F32(0)
	for b.Loop() {
		k += 1 << 20
		acc += AlphaSigmoid(k&(1<<32-1), (k*7)&(1<<32-1), (k*13)&(1<<32-1), lo, hi, steep)
	}
	_ = acc
}
