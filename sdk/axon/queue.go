package axon

import (
	"container/heap"
	"sync"
)

// job is a verified request waiting for an execution slot.
type job struct {
	priority float64
	seq      uint64
	index    int           // position in the heap; -1 once taken out
	start    chan struct{} // closed when the job is handed a slot
}

// jobHeap orders by priority (higher first), then arrival (FIFO).
type jobHeap []*job

func (h jobHeap) Len() int { return len(h) }
func (h jobHeap) Less(i, k int) bool {
	if h[i].priority != h[k].priority {
		return h[i].priority > h[k].priority
	}
	return h[i].seq < h[k].seq
}
func (h jobHeap) Swap(i, k int) { h[i], h[k] = h[k], h[i]; h[i].index = i; h[k].index = k }
func (h *jobHeap) Push(x any)   { j := x.(*job); j.index = len(*h); *h = append(*h, j) }
func (h *jobHeap) Pop() any {
	old := *h
	j := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	j.index = -1
	return j
}

// pool is the axon's worker pool: a fixed number of execution slots (MaxWorkers forward calls at once) and a
// bounded priority queue of requests waiting for one. A request that finds a free slot and nobody waiting
// runs at once on its own goroutine; otherwise it waits in the queue and the slot of a finishing request is
// handed to the highest-priority waiter. A full queue refuses the request (back-pressure: 503) instead of
// growing.
type pool struct {
	mu       sync.Mutex
	h        jobHeap
	seq      uint64
	capacity int
	slots    int
	free     int
	onDepth  func(int)
	onBusy   func(int)
}

func newPool(workers, capacity int, onDepth func(int), onBusy func(int)) *pool {
	return &pool{capacity: capacity, slots: workers, free: workers, onDepth: onDepth, onBusy: onBusy}
}

// acquire takes a slot at once (j == nil, ok) or queues a job to wait for one (j != nil, ok: wait on
// j.start, or withdraw). ok is false when the queue is full.
func (p *pool) acquire(priority float64) (j *job, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.free > 0 && len(p.h) == 0 {
		p.free--
		p.onBusy(p.slots - p.free)
		return nil, true
	}
	if len(p.h) >= p.capacity {
		return nil, false
	}
	p.seq++
	j = &job{priority: priority, seq: p.seq, start: make(chan struct{})}
	heap.Push(&p.h, j)
	p.onDepth(len(p.h))
	return j, true
}

// withdraw takes a waiting job out of the queue. It returns false when the job was already handed a slot,
// which the caller then owns and must release.
func (p *pool) withdraw(j *job) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if j.index < 0 {
		return false
	}
	heap.Remove(&p.h, j.index)
	p.onDepth(len(p.h))
	return true
}

// release gives a slot back: to the best waiting job, or to the free set.
func (p *pool) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.h) > 0 {
		j := heap.Pop(&p.h).(*job)
		p.onDepth(len(p.h))
		close(j.start)
		return
	}
	p.free++
	p.onBusy(p.slots - p.free)
}

// depth is the number of waiting jobs.
func (p *pool) depth() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.h)
}
