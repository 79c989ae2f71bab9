package yuma

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
)

// cpuTime is the process's user+system CPU time in nanoseconds (all threads), to report the CPU cost of
// an epoch next to its wall time on a shared machine.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkEpoch: one sparse epoch with 64 validators weighting every miner. "first" has no stored bonds;
// "second" is the next epoch, with the bonds the first one stored and new random weights (so every liquid
// alpha differs). One untimed epoch runs first, as on a chain, where the engine's scratch arena is sized by
// the previous epoch and kept.
func BenchmarkEpoch(b *testing.B) {
	for _, n := range []int{256, 1024, 4096} {
		for _, kind := range []string{"classic", "yuma3", "yuma3la"} {
			for _, which := range []string{"first", "second"} {
				b.Run(fmt.Sprintf("n=%d/%s/%s", n, kind, which), func(b *testing.B) {
					in := benchInputs(n, 64, benchParams(kind), 1)
					out, err := Epoch(in) // the warm-up epoch
					if err != nil {
						b.Fatal(err)
					}
					if which == "second" {
						in = nextEpoch(in, out, 2)
					}
					b.ReportAllocs()
					b.ResetTimer()
					c0 := cpuTime()
					for b.Loop() {
						if _, err := Epoch(in); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
				})
			}
		}
	}
}

// BenchmarkMedian64x4096: the engine's weighted median of 4096 columns of 64 random scores (consensus
// for 64 validators), random stakes, kappa 0.5.
func BenchmarkMedian64x4096(b *testing.B) {
	const K, cols = 64, 4096
	r := rand.New(rand.NewPCG(1, 2))
	stake := make([]int64, K)
	for k := range stake {
		stake[k] = int64(r.IntN(1 << 30))
	}
	rNormalize(stake)
	total := rSum(stake)
	minority := rSubSat(total, rOne/2)
	src := make([]uint64, K*cols)
	for j := 0; j < cols; j++ {
		for k := 0; k < K; k++ {
			src[j*K+k] = medianKey(int64(r.IntN(1<<32)), k)
		}
	}
	keys, tmp := make([]uint64, K*cols), make([]uint64, K)
	tab := new(stakeTable)
	copy(tab[:], stake)
	b.ResetTimer()
	for b.Loop() {
		copy(keys, src)
		for j := 0; j < cols; j++ {
			rMedian(keys[j*K:(j+1)*K], tmp, tab, minority)
		}
	}
}
