package pow

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/crypto/sha3"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func hashOf(n uint64) (h [32]byte) {
	k := sha3.NewLegacyKeccak256()
	k.Write([]byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24), 'b'})
	k.Sum(h[:0])
	return h
}

func TestSolveMultiCore(t *testing.T) {
	key := hashOf(99)
	for _, rule := range []Rule{RuleChain, RuleSDK, RuleBoth} {
		b := Block{Number: 10, Hash: hashOf(10), Difficulty: 5000}
		if rule == RuleBoth {
			b.Difficulty = 100
		}
		var reports []Progress
		s := &CPUSolver{Processors: 4, ProgressInterval: time.Millisecond, Progress: func(p Progress) { reports = append(reports, p) }}
		sol, err := s.Solve(context.Background(), Problem{Key: key, Block: b, Rule: rule, StartNonce: 1 << 40})
		if err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		if err := sol.Verify(); err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		if sol.Block != b || sol.Key != key || sol.Rule != rule || sol.Nonce < 1<<40 || sol.Hashes == 0 {
			t.Fatalf("%s: unexpected solution %+v", rule, sol)
		}
		if len(reports) == 0 || !reports[len(reports)-1].Done || reports[len(reports)-1].Processors != 4 {
			t.Fatalf("%s: the last progress report must be Done, got %+v", rule, reports)
		}
	}
}

func TestSolveCancel(t *testing.T) {
	s := &CPUSolver{Processors: 2, TimeBudget: -1}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Solve(ctx, Problem{Block: Block{Difficulty: math.MaxUint64}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want deadline exceeded, got %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("cancellation took %v", d)
	}
	// Already cancelled: no work at all.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, err := s.Solve(ctx2, Problem{Block: Block{Difficulty: 1}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("want canceled, got %v", err)
	}
}

func TestSolveRefusesUnreachable(t *testing.T) {
	s := &CPUSolver{Processors: 2}
	start := time.Now()
	_, err := s.Solve(context.Background(), Problem{Block: Block{Number: 1, Difficulty: math.MaxUint64}})
	var ue *UnreachableError
	if !errors.Is(err, ErrUnreachable) || !errors.As(err, &ue) {
		t.Fatalf("want an UnreachableError, got %v", err)
	}
	if !strings.Contains(err.Error(), "u64::MAX") || !strings.Contains(err.Error(), "years") || ue.HashRate <= 0 {
		t.Fatalf("the refusal must give the reason: %v", err)
	}
	if time.Since(start) > time.Second {
		t.Fatal("the refusal must come up front")
	}
	// An assumed rate and a budget: 1e6 hashes at 1e3 H/s is 1000 s.
	if err := CheckReach(1e6, RuleChain, 1e3, 1, time.Hour); err != nil {
		t.Fatalf("1000 s within an hour: %v", err)
	}
	if err := CheckReach(1e6, RuleChain, 1e3, 1, time.Minute); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("1000 s over a minute must be refused, got %v", err)
	}
	if err := CheckReach(1e4, RuleBoth, 1e3, 1, time.Hour); !errors.Is(err, ErrUnreachable) {
		t.Fatal("RuleBoth squares the expected work")
	}
	if err := (&CPUSolver{HashRate: 1e3, TimeBudget: time.Minute}).check(1e6); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("HashRate and TimeBudget must drive the refusal, got %v", err)
	}
}

// check is the solver's up-front test, for the test above.
func (s *CPUSolver) check(d uint64) error {
	_, err := s.Solve(context.Background(), Problem{Block: Block{Difficulty: d}})
	return err
}

// chain is a fake chain head: the head advances one block every `every` calls, and the difficulty can be
// changed; it records the last head it reported.
type chain struct {
	mu         sync.Mutex
	calls      int
	every      int
	difficulty uint64
	last       Block
	fail       bool
}

func (c *chain) Head(ctx context.Context) (Block, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail {
		return Block{}, errors.New("connection refused")
	}
	n := uint64(100 + c.calls/c.every)
	c.calls++
	c.last = Block{Number: n, Hash: hashOf(n), Difficulty: c.difficulty}
	return c.last, nil
}

func TestSolveFollowsTheHead(t *testing.T) {
	src := &chain{every: 2, difficulty: 1 << 20}
	maxRefresh := 0
	s := &CPUSolver{Processors: 2, PollInterval: time.Millisecond, ProgressInterval: time.Millisecond,
		Progress: func(p Progress) { maxRefresh = max(maxRefresh, p.Refreshes) }}
	sol, err := s.Solve(context.Background(), Problem{Key: hashOf(7), Source: src})
	if err != nil {
		t.Fatal(err)
	}
	if err := sol.Verify(); err != nil {
		t.Fatal(err)
	}
	src.mu.Lock()
	last := src.last
	src.mu.Unlock()
	if sol.Expired(last.Number) {
		t.Fatalf("solution for block %d returned when the head was %d", sol.Block.Number, last.Number)
	}
	if sol.Block.Hash != hashOf(sol.Block.Number) {
		t.Fatal("the solution must carry the hash of its own block")
	}
	if maxRefresh == 0 && sol.Elapsed > 100*time.Millisecond {
		t.Fatalf("the solver never moved to a newer block in %v", sol.Elapsed)
	}
}

func TestSolveSourceErrors(t *testing.T) {
	s := &CPUSolver{Processors: 1}
	if _, err := s.Solve(context.Background(), Problem{Source: &chain{fail: true, every: 1}}); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("want the source's error, got %v", err)
	}
	// The difficulty rises beyond reach while solving: refused with the reason.
	src := &chain{every: 1, difficulty: 1 << 40}
	s = &CPUSolver{Processors: 1, PollInterval: time.Millisecond, HashRate: 1e6, TimeBudget: 30 * 24 * time.Hour}
	done := make(chan error, 1)
	go func() {
		_, err := s.Solve(context.Background(), Problem{Source: src})
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("2^40 at 1 MH/s is 13 days, within the 30-day budget; got %v", err)
	default:
	}
	src.mu.Lock()
	src.difficulty = math.MaxUint64
	src.mu.Unlock()
	select {
	case err := <-done:
		if !errors.Is(err, ErrUnreachable) {
			t.Fatalf("want ErrUnreachable after the difficulty rose, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the solver did not notice the difficulty change")
	}
}

func TestExpired(t *testing.T) {
	s := Solution{Block: Block{Number: 100}}
	for head, want := range map[uint64]bool{99: false, 100: false, 101: false, 102: true, 200: true} {
		if got := s.Expired(head); got != want {
			t.Errorf("work block 100, head %d: expired %v want %v", head, got, want)
		}
	}
}

func TestHumanFormats(t *testing.T) {
	for in, want := range map[float64]string{42: "42s", 600: "10.0 min", 36000: "10.0 h", 864000: "10.0 days", math.Inf(1): "forever"} {
		if got := HumanSeconds(in); got != want {
			t.Errorf("HumanSeconds(%v) = %q want %q", in, got, want)
		}
	}
	if got := HumanRate(3.2e6); got != "3.20 MH/s" {
		t.Errorf("HumanRate = %q", got)
	}
}
