package comet_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gotensor/gotensor/sdk/client"
)

// The measurements below are recorded in docs/network.md. They run only with GOTENSOR_COMET_BENCH=1 (a few
// minutes; speed is measured, never asserted):
//
//	go build -o bin/gotensor ./cmd/gotensor
//	GOTENSOR_COMET_BENCH=1 GOTENSOR_BIN=$PWD/bin/gotensor go test -count=1 -v -run Bench -timeout 20m ./e2e/comet

func benchOnly(t *testing.T) {
	if os.Getenv("GOTENSOR_COMET_BENCH") != "1" {
		t.Skip("a measurement: set GOTENSOR_COMET_BENCH=1 to run it")
	}
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// TestBenchThroughput measures blocks/s of an idle 4-validator loopback network and the transfer
// throughput (tx/s) under load: six signers each submit GOTENSOR_COMET_BENCH_TXS transfers (default 1000)
// without waiting, through different nodes.
func TestBenchThroughput(t *testing.T) {
	benchOnly(t)
	bt := envDuration("GOTENSOR_COMET_BENCH_BLOCK_TIME", 100*time.Millisecond)
	nw := newNetwork(t, 4, bt)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	nw.waitHeight(0, 3, 30*time.Second)
	h0, _ := nw.height(0)
	began := time.Now()
	time.Sleep(15 * time.Second)
	h1, _ := nw.height(0)
	idle := float64(h1-h0) / time.Since(began).Seconds()
	t.Logf("idle: %d blocks in %v: %.2f blocks/s (timeout_commit %v)", h1-h0, time.Since(began).Round(time.Millisecond), idle, bt)

	per := envInt("GOTENSOR_COMET_BENCH_TXS", 1000)
	var mu sync.Mutex
	last := map[int]client.Hash{}
	var wg sync.WaitGroup
	start := time.Now()
	hs, _ := nw.height(0)
	for k := 0; k < 6; k++ {
		c := nw.dial(ctx, k%4)
		signer := keypair(t, devURIs[k])
		to := dest(t, k)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < per; j++ {
				r, err := c.Transfer(ctx, signer, to, client.Balance(1+j), client.WithoutWait())
				if err != nil {
					t.Errorf("signer %d transfer %d: %v", k, j, err)
					return
				}
				mu.Lock()
				last[k] = r.Hash
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	submitted := time.Since(start)
	c0 := nw.dial(ctx, 0)
	for k, h := range last {
		if _, err := c0.WaitForInclusion(ctx, h); err != nil {
			t.Fatalf("signer %d's last transfer: %v", k, err)
		}
	}
	el := time.Since(start)
	he, _ := nw.height(0)
	n := 6 * per
	t.Logf("load: %d transfers submitted in %v, all included after %v in %d blocks: %.0f tx/s, %.2f blocks/s",
		n, submitted.Round(time.Millisecond), el.Round(time.Millisecond), he-hs, float64(n)/el.Seconds(), float64(he-hs)/el.Seconds())
	nw.agree(ctx, []int{0, 1, 2, 3}, he)
}

// TestBenchCatchUp measures how long a validator that was down takes to catch up
// GOTENSOR_COMET_BENCH_BLOCKS blocks (default 1,000) after a restart.
func TestBenchCatchUp(t *testing.T) {
	benchOnly(t)
	bt := envDuration("GOTENSOR_COMET_BENCH_BLOCK_TIME", 10*time.Millisecond)
	behind := uint64(envInt("GOTENSOR_COMET_BENCH_BLOCKS", 1000))
	// A dead proposer costs timeout_propose every fourth height: keep it short so the three live
	// validators make the 1,000 blocks quickly.
	nw := newNetwork(t, 4, bt, func(s map[string]any) { s["timeout_propose_ms"] = 150 })
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	nw.waitHeight(3, 3, 30*time.Second)
	nw.kill(3)
	from, _ := nw.height(0)
	began := time.Now()
	nw.waitHeight(0, from+behind, 12*time.Minute)
	t.Logf("three validators produced %d blocks in %v", behind, time.Since(began).Round(time.Millisecond))
	target, _ := nw.height(0)
	restart := time.Now()
	nw.start(3)
	nw.waitRPC(3)
	up := time.Since(restart)
	nw.waitHeight(3, target, 5*time.Minute)
	el := time.Since(restart)
	t.Logf("node3 restarted at height ~%d, caught up to %d (%d blocks) in %v (RPC up after %v): %.0f blocks/s",
		from, target, target-from, el.Round(time.Millisecond), up.Round(time.Millisecond), float64(target-from)/el.Seconds())
	nw.agree(ctx, []int{0, 3}, target)
}
