package yuma

import "sync"

// arena hands out the epoch's large scratch slices from slabs kept between epochs (a sync.Pool), so a
// repeated epoch does not allocate, zero and collect megabytes each time. Slices are handed out only on
// the calling goroutine, before parallel sections start; none of them reaches the Outputs. Memory comes back
// uncleared unless asked for; callers overwrite what they use.
type arena struct {
	i64               []int64
	u16               []uint16
	i32               []int32
	n64, n16, n32     int // handed out in this epoch (including what did not fit)
	off64, off16, o32 int
}

// One arena is kept between epochs in a plain slot rather than a sync.Pool: a chain runs an epoch every
// tempo blocks with plenty of allocation in between, and a pool is emptied by every garbage collection, so
// each epoch would allocate and zero its slabs again (and, on release, allocate them once more). Slabs
// above arenaKeepBytes are not kept. A concurrent epoch that finds the slot empty uses a fresh arena.
const arenaKeepBytes = 64 << 20

var arenaSlot struct {
	sync.Mutex
	a *arena
}

func getArena() *arena {
	arenaSlot.Lock()
	a := arenaSlot.a
	arenaSlot.a = nil
	arenaSlot.Unlock()
	if a == nil {
		a = new(arena)
	}
	return a
}

// release grows the slabs to this epoch's needs and keeps the arena for the next epoch.
func (a *arena) release() {
	if 8*a.n64+2*a.n16+4*a.n32 > arenaKeepBytes {
		return
	}
	if a.n64 > len(a.i64) {
		a.i64 = make([]int64, a.n64)
	}
	if a.n16 > len(a.u16) {
		a.u16 = make([]uint16, a.n16)
	}
	if a.n32 > len(a.i32) {
		a.i32 = make([]int32, a.n32)
	}
	a.n64, a.n16, a.n32, a.off64, a.off16, a.o32 = 0, 0, 0, 0, 0, 0
	arenaSlot.Lock()
	if arenaSlot.a == nil || len(arenaSlot.a.i64) < len(a.i64) {
		arenaSlot.a = a
	}
	arenaSlot.Unlock()
}

func (a *arena) int64s(n int, zero bool) []int64 {
	a.n64 += n
	if a.off64+n <= len(a.i64) {
		s := a.i64[a.off64 : a.off64+n : a.off64+n]
		a.off64 += n
		if zero {
			clear(s)
		}
		return s
	}
	return make([]int64, n)
}

func (a *arena) uint16s(n int) []uint16 {
	a.n16 += n
	if a.off16+n <= len(a.u16) {
		s := a.u16[a.off16 : a.off16+n : a.off16+n]
		a.off16 += n
		return s
	}
	return make([]uint16, n)
}

func (a *arena) int32s(n int, zero bool) []int32 {
	a.n32 += n
	if a.o32+n <= len(a.i32) {
		s := a.i32[a.o32 : a.o32+n : a.o32+n]
		a.o32 += n
		if zero {
			clear(s)
		}
		return s
	}
	return make([]int32, n)
}

// partials returns k zeroed column arrays of length n, one per chunk.
func (a *arena) partials(k, n int) [][]int64 {
	p := make([][]int64, k)
	for c := range p {
		p[c] = a.int64s(n, true)
	}
	return p
}
