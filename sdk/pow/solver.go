package pow

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gotensor/gotensor/chain/tx"
)

// WorkWindow is the chain's work-block window (spec/chain.md §1.2 step 7): a seal for block b is accepted by
// a block now with b ≤ now and now − b < WorkWindow.
const WorkWindow = 3

// Block is a chain block as the solver needs it.
type Block struct {
	// Number is the block number the work is for; it goes into the extrinsic as block_number.
	Number uint64
	// Hash is the chain's block_hash(Number): the hash of a block already produced. (The chain reads an
	// all-zero hash for the block being built, so the work must name a finished one, normally the head.)
	Hash [32]byte
	// Difficulty is the difficulty the seal must meet: the subnet's Difficulty at this block, or the
	// faucet's fixed difficulty.
	Difficulty uint64
}

// BlockSource supplies the chain head so a solver can move its work to a fresh block before the old one
// leaves the WorkWindow. The client implements it; tests use BlockSourceFunc.
type BlockSource interface {
	// Head returns the latest produced block with its hash and the difficulty that applies now.
	Head(ctx context.Context) (Block, error)
}

// BlockSourceFunc adapts a function to BlockSource.
type BlockSourceFunc func(ctx context.Context) (Block, error)

// Head calls f.
func (f BlockSourceFunc) Head(ctx context.Context) (Block, error) { return f(ctx) }

// Problem is what to solve.
type Problem struct {
	// Key is the public key the seal is bound to: the hotkey for register, the signing coldkey for faucet.
	Key [32]byte
	// Block is the block to work on when Source is nil. With a Source the solver takes the head from it
	// and Block is ignored.
	Block Block
	// Source, when set, is polled for the head; the solver moves to a new block as the chain advances, so
	// the solution it returns is never outside the WorkWindow at the time it is returned.
	Source BlockSource
	// Rule is the difficulty test; the zero value is the chain's.
	Rule Rule
	// StartNonce is where the search begins on every block; solvers searching the same problem on
	// several machines should use disjoint starts.
	StartNonce uint64
}

// Solution is a seal that meets the difficulty: Block.Number, Nonce and Seal are the extrinsic's
// block_number, nonce and work.
type Solution struct {
	Block Block
	Key   [32]byte
	Rule  Rule
	Nonce uint64
	Seal  [32]byte
	// Hashes is how many seals were computed in all, and Elapsed how long the search took.
	Hashes  uint64
	Elapsed time.Duration
}

// Expired reports whether a transaction carrying the solution can no longer be included, given that
// head is the latest produced block (the earliest including block is head+1).
func (s Solution) Expired(head uint64) bool { return head+1 >= s.Block.Number+WorkWindow }

// Verify recomputes the seal with the chain's functions (tx.SealHash) and checks the difficulty.
func (s Solution) Verify() error {
	if tx.SealHash(s.Block.Hash, s.Key, s.Nonce) != s.Seal {
		return errors.New("pow: seal does not match block hash, key and nonce")
	}
	if !MeetsDifficulty(s.Seal, s.Block.Difficulty, s.Rule) {
		return fmt.Errorf("pow: seal does not meet difficulty %d (%s rule)", s.Block.Difficulty, s.Rule)
	}
	return nil
}

// Solver finds seals. CPUSolver is the CPU implementation; a GPU solver implements the same interface
// (Work, Progress, CheckReach and the BlockSource contract are shared building blocks).
type Solver interface {
	// Solve searches until it finds a solution, ctx ends, or the difficulty is beyond reach.
	Solve(ctx context.Context, p Problem) (Solution, error)
}

// Progress is a snapshot of a running search, for a progress bar or a log line.
type Progress struct {
	// Block and Difficulty are the work being searched now.
	Block      uint64
	Difficulty uint64
	Processors int
	// Hashes is the total number of seals computed; HashRate the recent rate in hashes per second.
	Hashes   uint64
	HashRate float64
	Elapsed  time.Duration
	// ExpectedHashes is the mean number of hashes per solution at Difficulty (about Difficulty).
	ExpectedHashes float64
	// Refreshes counts moves to a newer block.
	Refreshes int
	// SourceErr is the last error from the BlockSource, if its latest call failed.
	SourceErr error
	// Done is set on the last report, the one that comes with the solution.
	Done bool
}

// Defaults of CPUSolver's zero fields.
const (
	DefaultProgressInterval = time.Second
	DefaultPollInterval     = 250 * time.Millisecond
	DefaultRefreshBlocks    = 1
	DefaultTimeBudget       = 24 * time.Hour
)

// chunk is how many nonces a worker takes at a time: small enough for prompt cancellation and block
// refresh (about a millisecond), large enough that the shared counter costs nothing.
const chunk = 1 << 12

// CPUSolver searches on all (or Processors) cores. Workers take disjoint chunks of the nonce space from a
// shared counter, so no nonce is tried twice on one block. The zero value is ready to use.
type CPUSolver struct {
	// Processors is the number of worker goroutines; 0 means runtime.GOMAXPROCS(0).
	Processors int
	// Progress, when set, receives a report every ProgressInterval and a last one (Done) with the
	// solution. It is called from Solve's goroutine, so a slow callback delays only the reports and the
	// block polling, never the hashing. It keeps the package free of terminal code: the CLI renders it
	// (see sdk/pow/powbar).
	Progress func(Progress)
	// ProgressInterval defaults to DefaultProgressInterval.
	ProgressInterval time.Duration
	// PollInterval is how often Problem.Source is asked for the head; DefaultPollInterval by default.
	PollInterval time.Duration
	// RefreshBlocks is how many blocks the head may advance past the work block before the work moves to
	// the head; DefaultRefreshBlocks (1) by default. Values ≥ WorkWindow−1 let work expire.
	RefreshBlocks uint64
	// TimeBudget is the longest expected search the solver accepts: a difficulty whose expected time at
	// HashRate exceeds it is refused up front with an *UnreachableError. 0 means DefaultTimeBudget;
	// a negative budget disables the check.
	TimeBudget time.Duration
	// HashRate is the total hashes per second assumed for that check; 0 means measure it
	// (MeasureHashRate), which takes a few milliseconds.
	HashRate float64
}

func (s *CPUSolver) processors() int {
	if s.Processors > 0 {
		return s.Processors
	}
	return runtime.GOMAXPROCS(0)
}

func orDefault[T comparable](v, d T) T {
	var zero T
	if v == zero {
		return d
	}
	return v
}

type job struct {
	w    *Work
	next atomic.Uint64
}

type candidate struct {
	w     *Work
	nonce uint64
	seal  [32]byte
}

// Solve implements Solver.
func (s *CPUSolver) Solve(ctx context.Context, p Problem) (Solution, error) {
	start := time.Now()
	procs := s.processors()
	blk := p.Block
	if p.Source != nil {
		b, err := p.Source.Head(ctx)
		if err != nil {
			return Solution{}, fmt.Errorf("pow: read the chain head: %w", err)
		}
		blk = b
	}
	budget := orDefault(s.TimeBudget, DefaultTimeBudget)
	rate := s.HashRate
	if rate <= 0 && budget > 0 {
		rate = MeasureHashRate(procs)
	}
	if budget > 0 {
		if err := CheckReach(blk.Difficulty, p.Rule, rate, procs, budget); err != nil {
			return Solution{}, err
		}
	}
	if err := ctx.Err(); err != nil {
		return Solution{}, err
	}

	newJob := func(b Block) *job {
		j := &job{w: NewWork(b, p.Key, p.Rule)}
		j.next.Store(p.StartNonce)
		return j
	}
	var cur atomic.Pointer[job]
	cur.Store(newJob(blk))

	var (
		stop   atomic.Bool
		hashes atomic.Uint64
		wg     sync.WaitGroup
		found  = make(chan candidate, procs)
	)
	for range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				j := cur.Load()
				first := j.next.Add(chunk) - chunk
				n, seal, ok := j.w.Search(first, chunk)
				if !ok {
					hashes.Add(chunk)
					continue
				}
				hashes.Add(n - first + 1)
				select {
				case found <- candidate{w: j.w, nonce: n, seal: seal}:
				default:
				}
			}
		}()
	}
	defer func() {
		stop.Store(true)
		wg.Wait()
	}()

	var (
		refreshes  int
		sourceErr  error
		ewma       float64
		lastHashes uint64
		lastTime   = start
	)
	report := func(now time.Time, done bool) {
		h := hashes.Load()
		if dt := now.Sub(lastTime).Seconds(); dt > 0 {
			r := float64(h-lastHashes) / dt
			if ewma == 0 {
				ewma = r
			} else {
				ewma = 0.7*ewma + 0.3*r
			}
		}
		lastHashes, lastTime = h, now
		if s.Progress == nil {
			return
		}
		w := cur.Load().w
		s.Progress(Progress{
			Block: w.Block.Number, Difficulty: w.Block.Difficulty, Processors: procs,
			Hashes: h, HashRate: ewma, Elapsed: now.Sub(start),
			ExpectedHashes: ExpectedHashes(w.Block.Difficulty, p.Rule),
			Refreshes:      refreshes, SourceErr: sourceErr, Done: done,
		})
	}
	refresh := func(head Block) error {
		if budget > 0 {
			r := rate
			if ewma > 0 {
				r = ewma
			}
			if err := CheckReach(head.Difficulty, p.Rule, r, procs, budget); err != nil {
				return err
			}
		}
		cur.Store(newJob(head))
		refreshes++
		return nil
	}
	stale := func(w *Work, head Block) bool {
		c := w.Block
		switch {
		case head.Number == c.Number:
			return head.Hash != c.Hash || head.Difficulty != c.Difficulty
		case head.Number < c.Number:
			return true
		default:
			return head.Difficulty != c.Difficulty || head.Number-c.Number >= orDefault(s.RefreshBlocks, DefaultRefreshBlocks)
		}
	}

	progressT := time.NewTicker(orDefault(s.ProgressInterval, DefaultProgressInterval))
	defer progressT.Stop()
	var poll <-chan time.Time
	if p.Source != nil {
		t := time.NewTicker(orDefault(s.PollInterval, DefaultPollInterval))
		defer t.Stop()
		poll = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return Solution{}, ctx.Err()
		case now := <-progressT.C:
			report(now, false)
		case <-poll:
			head, err := p.Source.Head(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return Solution{}, ctx.Err()
				}
				sourceErr = err
				continue
			}
			sourceErr = nil
			if stale(cur.Load().w, head) {
				if err := refresh(head); err != nil {
					return Solution{}, err
				}
			}
		case c := <-found:
			sol := Solution{Block: c.w.Block, Key: p.Key, Rule: p.Rule, Nonce: c.nonce, Seal: c.seal}
			if err := sol.Verify(); err != nil {
				return Solution{}, fmt.Errorf("pow: internal error, the fast kernel disagrees with the chain: %w", err)
			}
			if p.Source != nil {
				head, err := p.Source.Head(ctx)
				if err == nil && (sol.Expired(head.Number) || !MeetsDifficulty(sol.Seal, head.Difficulty, p.Rule)) {
					// Too late for this block, or the difficulty rose: keep going on the head.
					if stale(cur.Load().w, head) {
						if err := refresh(head); err != nil {
							return Solution{}, err
						}
					}
					continue
				}
			}
			now := time.Now()
			sol.Hashes, sol.Elapsed = hashes.Load(), now.Sub(start)
			report(now, true)
			return sol, nil
		}
	}
}
