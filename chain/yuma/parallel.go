package yuma

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Parallelism follows DESIGN.md §1: the work is split into contiguous chunks of rows (or columns) fixed
// before the workers start; each worker writes only the slots of its own rows and its own chunk's partial
// results; every reduction runs after the join, in chunk index order. The reductions used here are sums
// and maxima of non-negative values with saturation, which are associative, so the outputs do not depend
// on the number of chunks or on scheduling.

// minParallelWork is the amount of work (entries) below which a loop runs on the calling goroutine.
const minParallelWork = 1 << 15

func maxWorkers() int {
	w := runtime.GOMAXPROCS(0)
	if w > 16 {
		w = 16
	}
	if w < 1 {
		w = 1
	}
	return w
}

// chunkBounds splits [0, n) into at most k contiguous chunks of about equal cost, where cost(i) ≥ 0 is the
// work of item i (one is added per item). It returns the chunk boundaries b[0] = 0 < … < b[len-1] = n.
func chunkBounds(n, k int, cost func(i int) int) []int {
	if n == 0 {
		return []int{0, 0}
	}
	total := 0
	for i := 0; i < n; i++ {
		total += cost(i) + 1
	}
	if k <= 1 || total < minParallelWork {
		return []int{0, n}
	}
	b := make([]int, 1, k+1)
	acc, next := 0, 1
	for i := 0; i < n; i++ {
		acc += cost(i) + 1
		if acc*k >= next*total && next < k && i+1 < n {
			b = append(b, i+1)
			next++
		}
	}
	return append(b, n)
}

// runChunks runs fn(c, lo, hi) for each chunk c = [b[c], b[c+1]) and waits for all of them.
func runChunks(b []int, fn func(c, lo, hi int)) {
	nc := len(b) - 1
	if nc <= 1 {
		fn(0, b[0], b[len(b)-1])
		return
	}
	var wg sync.WaitGroup
	for c := 1; c < nc; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			fn(c, b[c], b[c+1])
		}(c)
	}
	fn(0, b[0], b[1])
	wg.Wait()
}

// team is the helper goroutines of one epoch, each running the chunk of its own index in every pass.
// Between passes the helpers wait by spinning (yielding to the scheduler on every turn) instead of
// parking: on a virtual machine a parked core can take hundreds of microseconds to wake up, as long as a
// whole pass over a 4096-uid subnet, and an epoch has about ten passes. A team lives for one epoch (stop),
// so the spinning lasts milliseconds. A nil *team runs each pass with runChunks.
type team struct {
	helpers int
	seq     atomic.Uint64 // the current pass; helpers run each pass once
	pending atomic.Int64  // helpers not yet done with the current pass
	quit    atomic.Bool
	b       []int               // the current pass's chunk boundaries
	fn      func(c, lo, hi int) // and its work
	exited  sync.WaitGroup
}

// newTeam starts workers−1 helpers; for a single worker it returns nil.
func newTeam(workers int) *team {
	if workers < 2 {
		return nil
	}
	t := &team{helpers: workers - 1}
	t.exited.Add(t.helpers)
	for h := 1; h <= t.helpers; h++ {
		go t.helper(h)
	}
	return t
}

func (t *team) helper(h int) {
	defer t.exited.Done()
	var seen uint64
	for spins := 0; ; spins++ {
		s := t.seq.Load()
		if s == seen {
			if t.quit.Load() {
				return
			}
			yieldSometimes(spins)
			continue
		}
		seen = s
		if h+1 < len(t.b) {
			t.fn(h, t.b[h], t.b[h+1])
		}
		t.pending.Add(-1) // every helper reports, with or without a chunk: t.b is not read after this
	}
}

// run is runChunks on the team: chunk 0 on the caller, chunk c on helper c.
func (t *team) run(b []int, fn func(c, lo, hi int)) {
	if t == nil || len(b)-1 <= 1 || len(b)-2 > t.helpers {
		runChunks(b, fn)
		return
	}
	t.b, t.fn = b, fn
	t.pending.Store(int64(t.helpers))
	t.seq.Add(1) // publishes b and fn to the helpers
	fn(0, b[0], b[1])
	for spins := 0; t.pending.Load() != 0; spins++ {
		yieldSometimes(spins)
	}
	t.b, t.fn = nil, nil
}

// stop ends the helpers and waits for them.
func (t *team) stop() {
	if t == nil {
		return
	}
	t.quit.Store(true)
	t.exited.Wait()
}

// yieldSometimes lets other goroutines run on every 64th turn of a spin loop: a yield takes the scheduler's
// lock, and two spinners yielding on every turn would contend for it with the work itself.
func yieldSometimes(spins int) {
	if spins&63 == 63 {
		runtime.Gosched()
	}
}
