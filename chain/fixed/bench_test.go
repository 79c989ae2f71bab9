package fixed

import "testing"

// Inputs in the epoch's ranges: proportions in [0, 1] and small integers.
var (
	benchA   = make([]I32F32, 1024)
	benchB   = make([]I32F32, 1024)
	benchX   = make([]I32F32, 1024)
	bench64A = make([]I64F64, 1024)
	bench64B = make([]I64F64, 1024)
	bench64P = make([]I64F64, 1024)
	sink32   I32F32
	sink64   I64F64
)

func init() {
	s := uint64(0x9e3779b97f4a7c15)
	next := func() uint64 { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s }
	for k := range benchA {
		benchA[k] = I32F32(next() % (1 << 32))             // [0, 1)
		benchB[k] = I32F32(next()%(1<<32) + 1<<20)         // (0, 1), non-zero
		benchX[k] = I32F32(int64(next()%(10<<32)) - 5<<32) // [−5, 5): liquid alpha's exp range
		bench64A[k] = I64F64FromUint(next() % 1e15)        // stakes in rao
		bench64B[k] = I64F64FromUint(next()%1e15 + 1e15)   // sums
	}
}

func BenchmarkI32F32Mul(b *testing.B) {
	var acc I32F32
	for n := 0; n < b.N; n++ {
		k := n & 1023
		acc += benchA[k].Mul(benchB[k])
	}
	sink32 = acc
}

func BenchmarkI32F32SaturatingMul(b *testing.B) {
	var acc I32F32
	for n := 0; n < b.N; n++ {
		k := n & 1023
		acc += benchA[k].SaturatingMul(benchB[k])
	}
	sink32 = acc
}

func BenchmarkI32F32Div(b *testing.B) {
	var acc I32F32
	for n := 0; n < b.N; n++ {
		k := n & 1023
		acc += benchA[k].Div(benchB[k])
	}
	sink32 = acc
}

func BenchmarkI32F32SafeDiv(b *testing.B) {
	var acc I32F32
	for n := 0; n < b.N; n++ {
		k := n & 1023
		acc += benchA[k].SafeDiv(benchB[k])
	}
	sink32 = acc
}

func BenchmarkI32F32Exp(b *testing.B) {
	var acc I32F32
	for n := 0; n < b.N; n++ {
		r, _ := benchX[n&1023].Exp()
		acc += r
	}
	sink32 = acc
}

func BenchmarkI64F64Mul(b *testing.B) {
	var acc I64F64
	for n := 0; n < b.N; n++ {
		k := n & 1023
		acc = acc.Add(bench64A[k].Mul(bench64P[k])) // stake × share
	}
	sink64 = acc
}

func BenchmarkI64F64Div(b *testing.B) {
	var acc I64F64
	for n := 0; n < b.N; n++ {
		k := n & 1023
		acc = acc.Add(bench64A[k].SafeDiv(bench64B[k]))
	}
	sink64 = acc
}
