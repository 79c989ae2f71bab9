package powbar

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gotensor/gotensor/sdk/pow"
)

func TestLine(t *testing.T) {
	got := Line(pow.Progress{Block: 12, Difficulty: 1000000, Processors: 2, HashRate: 2e6, Elapsed: 3 * time.Second,
		ExpectedHashes: 1e6, Refreshes: 1, SourceErr: errors.New("timeout")})
	for _, want := range []string{"block 12", "difficulty 1000000", "2.00 MH/s on 2 cores", "3s elapsed", "~0s per solution", "1 block refreshes", "chain: timeout"} {
		if !strings.Contains(got, want) {
			t.Errorf("Line = %q, missing %q", got, want)
		}
	}
}

func TestBarWithSolver(t *testing.T) {
	var out bytes.Buffer
	bar := New(&out)
	s := &pow.CPUSolver{Processors: 1, ProgressInterval: time.Millisecond, Progress: bar.Update}
	sol, err := s.Solve(context.Background(), pow.Problem{Block: pow.Block{Number: 42, Difficulty: 2000}})
	if err != nil {
		t.Fatal(err)
	}
	if err := sol.Verify(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "block 42") || !strings.Contains(out.String(), "difficulty 2000") {
		t.Fatalf("bar output %q", out.String())
	}
}
