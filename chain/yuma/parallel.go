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

// chunksPerWorker is how many chunks a pass without per-chunk partial sums is cut into per worker, so
// that a worker on a slower or late core takes fewer of them (passes with partials use one per worker).
const chunksPerWorker = 4

// fineChunks is the chunk count for a pass without partial sums: one for a single worker.
func fineChunks(workers int) int {
	if workers < 2 {
		return 1
	}
	return chunksPerWorker * workers
}

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

// runChunks runs fn(c, lo, hi) for each chunk c = [b[c], b[c+1]) on up to maxWorkers goroutines that
// claim chunks in turn, and waits for all of them.
func runChunks(b []int, fn func(c, lo, hi int)) {
	nc := len(b) - 1
	if nc <= 1 {
		fn(0, b[0], b[len(b)-1])
		return
	}
	p := &teamPass{b: b, fn: fn}
	var wg sync.WaitGroup
	for range min(maxWorkers(), nc) - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.work()
		}()
	}
	p.work()
	wg.Wait()
}

// team is the helper goroutines of one epoch. In each pass every member, the caller included, claims
// chunks in turn until none is left, so a helper that is late or on a slower core simply takes fewer of
// them; which goroutine runs a chunk never changes what the chunk writes. Between passes the helpers wait
// by spinning (yielding now and then) instead of parking: on a virtual machine a parked core can take
// hundreds of microseconds to wake up, as long as a whole pass over a 4096-uid subnet, and an epoch has
// about ten passes. A team lives for one epoch (stop), so the spinning lasts milliseconds. A nil *team
// runs each pass with runChunks.
type team struct {
	helpers int
	pass    atomic.Pointer[teamPass] // the current pass
	quit    atomic.Bool
	exited  sync.WaitGroup
}

// teamPass is one pass: its chunks, its work, and the claim and completion counters. A pass is never
// reused, so a helper that comes late to it finds every chunk claimed and does nothing.
type teamPass struct {
	b          []int
	fn         func(c, lo, hi int)
	next, done atomic.Int64
}

// work claims and runs chunks of p until every chunk is claimed.
func (p *teamPass) work() {
	n := int64(len(p.b) - 1)
	for {
		c := p.next.Add(1) - 1
		if c >= n {
			return
		}
		p.fn(int(c), p.b[c], p.b[c+1])
		p.done.Add(1)
	}
}

// newTeam starts workers−1 helpers; for a single worker it returns nil.
func newTeam(workers int) *team {
	if workers < 2 {
		return nil
	}
	t := &team{helpers: workers - 1}
	t.exited.Add(t.helpers)
	for range t.helpers {
		go t.helper()
	}
	return t
}

func (t *team) helper() {
	defer t.exited.Done()
	var seen *teamPass
	for spins := 0; ; spins++ {
		p := t.pass.Load()
		if p == seen {
			if t.quit.Load() {
				return
			}
			yieldSometimes(spins)
			continue
		}
		seen = p
		p.work()
	}
}

// run is runChunks on the team: the caller and the helpers claim the chunks of b; it returns when all are
// done.
func (t *team) run(b []int, fn func(c, lo, hi int)) {
	if t == nil || len(b)-1 <= 1 {
		runChunks(b, fn)
		return
	}
	p := &teamPass{b: b, fn: fn}
	t.pass.Store(p) // publishes the pass to the helpers
	p.work()
	for spins, n := 0, int64(len(b)-1); p.done.Load() != n; spins++ {
		yieldSometimes(spins)
	}
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
