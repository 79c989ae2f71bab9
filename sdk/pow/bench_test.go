package pow

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/gotensor/gotensor/chain/tx"
)

// BenchmarkSealKernel is the inner loop on one core: one op is one seal (and difficulty test).
//
//	go test ./sdk/pow -run '^$' -bench 'Seal' -benchtime 2s -count 3
func BenchmarkSealKernel(b *testing.B) {
	w := NewWork(Block{Hash: hashOf(1), Difficulty: math.MaxUint64}, hashOf(2), RuleChain)
	b.ReportAllocs()
	b.ResetTimer()
	w.Search(0, uint64(b.N))
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "H/s")
}

// BenchmarkSealReference is the same work through tx.SealFromBlockHotkeyHash, for comparison.
func BenchmarkSealReference(b *testing.B) {
	bh := tx.BlockAndHotkeyHash(hashOf(1), hashOf(2))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if tx.MeetsDifficulty(tx.SealFromBlockHotkeyHash(bh, uint64(i)), math.MaxUint64) {
			b.Fatal("unexpected solution")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "H/s")
}

// BenchmarkSolver runs CPUSolver with GOMAXPROCS workers (set it with -cpu) on an unreachable difficulty
// until b.N hashes are done; H/s is the total rate. Compare -cpu 1 with -cpu 2 for the multi-core scaling;
// on a shared machine H/cpu-s (hashes per CPU-second of the process) shows the parallel overhead alone.
//
//	go test ./sdk/pow -run '^$' -bench Solver -cpu 1,2 -benchtime 20000000x -count 3
func BenchmarkSolver(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var hashes uint64
	s := &CPUSolver{TimeBudget: -1, ProgressInterval: 5 * time.Millisecond, Progress: func(p Progress) {
		hashes = p.Hashes
		if p.Hashes >= uint64(b.N) {
			cancel()
		}
	}}
	cpu0 := cpuTime()
	b.ResetTimer()
	_, _ = s.Solve(ctx, Problem{Block: Block{Hash: hashOf(1), Difficulty: math.MaxUint64}, Key: hashOf(2)})
	b.StopTimer()
	b.ReportMetric(float64(hashes)/b.Elapsed().Seconds(), "H/s")
	if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
		// Per CPU-second: equal for 1 and N workers means the N-worker rate is N× on idle cores.
		b.ReportMetric(float64(hashes)/cpu, "H/cpu-s")
	}
	b.ReportMetric(float64(s.processors()), "procs")
}
