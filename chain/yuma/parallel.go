package yuma

import (
	"runtime"
	"sync"
)

// Parallelism follows DESIGN.md §1: the work is split into contiguous chunks of rows (or columns) fixed
// before the workers start; each worker writes only the slots of its own rows and its own chunk's partial
// results; every reduction runs after the join, in chunk index order. The reductions used here are sums
// and maxima of non-negative values with saturation, which are associative, so the outputs do not depend
// on the number of chunks or on scheduling.

// minParallelWork is the amount of work (entries) below which a loop runs on the calling goroutine.
const minParallelWork = 8192

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
