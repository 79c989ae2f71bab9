package comet_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/node/testnet"
	"github.com/gotensor/gotensor/sdk/client"
)

var devURIs = []string{"//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"}

func keypair(t *testing.T, uri string) *keys.Keypair {
	t.Helper()
	k, err := keys.FromURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func dest(t *testing.T, i int) client.AccountID {
	return client.AccountID(keypair(t, fmt.Sprintf("//comet-dest-%d", i)).PublicKey())
}

// submitEach has signer i send count transfers through node i (waiting for each), concurrently, and returns
// the receipts' hashes with their heights.
func submitEach(t *testing.T, ctx context.Context, nw *network, nodes []int, count int) map[client.Hash]uint64 {
	t.Helper()
	var mu sync.Mutex
	got := map[client.Hash]uint64{}
	var wg sync.WaitGroup
	errs := make(chan error, len(nodes))
	for k, i := range nodes {
		c := nw.dial(ctx, i)
		signer := keypair(t, devURIs[k])
		to := dest(t, k)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < count; j++ {
				r, err := c.Transfer(ctx, signer, to, client.Balance(1_000+j))
				if err != nil {
					errs <- fmt.Errorf("transfer %d from %s through %s: %w", j, devURIs[k], nw.m.Nodes[i].Name, err)
					return
				}
				mu.Lock()
				got[r.Hash] = r.Block
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return got
}

// TestFourValidatorsAgree: transactions submitted to different nodes are all included, and every node
// reports the same block and state hash at every height for 200 blocks.
func TestFourValidatorsAgree(t *testing.T) {
	nw := newNetwork(t, 4, 100*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	all := []int{0, 1, 2, 3}
	acks := submitEach(t, ctx, nw, all, 5)
	// Ferdie floods node 2 without waiting: nonces must be ordered in the proposals whatever the gossip order.
	c2 := nw.dial(ctx, 2)
	ferdie := keypair(t, "//Ferdie")
	var flood []client.Hash
	for j := 0; j < 20; j++ {
		r, err := c2.Transfer(ctx, ferdie, dest(t, 5), client.Balance(7_000+j), client.WithoutWait())
		if err != nil {
			t.Fatalf("flood %d: %v", j, err)
		}
		flood = append(flood, r.Hash)
	}
	c0 := nw.dial(ctx, 0)
	for _, h := range flood {
		r, err := c0.WaitForInclusion(ctx, h) // asked of another node than the one it was sent to
		if err != nil {
			t.Fatalf("flooded transfer %s: %v", h, err)
		}
		acks[h] = r.Block
	}
	nw.included(ctx, all, acks)
	start := time.Now()
	h0, _ := nw.height(0)
	const blocks = 200
	top := nw.waitHeight(0, blocks, 120*time.Second)
	for i := 1; i < 4; i++ {
		nw.waitHeight(i, blocks, 10*time.Second)
	}
	t.Logf("%d blocks in %v (%.1f blocks/s); %d transactions included", top-h0, time.Since(start).Round(time.Millisecond),
		float64(top-h0)/time.Since(start).Seconds(), len(acks))
	nw.agree(ctx, all, blocks)
	// The CLI works against any node: every node reports the same balance (5 transfers of 1000..1004 rao).
	for i := range all {
		nw.cliBalance(dest(t, 0), 5010, i)
	}
	// The destinations' balances agree on every node.
	for k := 0; k < 6; k++ {
		var ref client.Balance
		for i := range all {
			b, err := nw.dial(ctx, i).At(blocks).Balance(ctx, dest(t, k))
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				ref = b
			} else if b != ref {
				t.Fatalf("destination %d: %s has %d, node0 %d", k, nw.m.Nodes[i].Name, b, ref)
			}
		}
	}
}

// TestKillOneValidator: with one of four validators killed (SIGKILL) the network keeps producing blocks;
// restarted, the validator catches up and agrees.
func TestKillOneValidator(t *testing.T) {
	nw := newNetwork(t, 4, 100*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	nw.waitHeight(0, 5, 30*time.Second)
	nw.kill(3)
	h, _ := nw.height(0)
	for i := 0; i < 3; i++ {
		nw.waitHeight(i, h+10, 30*time.Second)
	}
	acks := submitEach(t, ctx, nw, []int{0, 1, 2}, 3)
	nw.start(3)
	nw.waitRPC(3)
	top, _ := nw.height(0)
	began := time.Now()
	nw.waitHeight(3, top, 30*time.Second)
	t.Logf("node3 caught up %d blocks in %v", top, time.Since(began).Round(time.Millisecond))
	// And it takes part again: a transfer through it is included everywhere.
	more := submitEach(t, ctx, nw, []int{3}, 1)
	for k, v := range more {
		acks[k] = v
	}
	top, _ = nw.height(3)
	for i := 0; i < 4; i++ {
		nw.waitHeight(i, top, 10*time.Second)
	}
	nw.included(ctx, []int{0, 1, 2, 3}, acks)
	nw.agree(ctx, []int{0, 1, 2, 3}, top)
}

// TestKillTwoHaltsThenResumes: with two of four validators killed there is no 2/3 majority and the network
// halts; restarting one resumes it, and no committed transaction is lost.
func TestKillTwoHaltsThenResumes(t *testing.T) {
	nw := newNetwork(t, 4, 100*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	acks := submitEach(t, ctx, nw, []int{0, 1, 2, 3}, 3)
	nw.kill(2)
	nw.kill(3)
	time.Sleep(time.Second) // let a height already voted on finish
	h0, _ := nw.height(0)
	h1, _ := nw.height(1)
	// Submitted while halted: it waits in the mempool.
	c0 := nw.dial(ctx, 0)
	pending, err := c0.Transfer(ctx, keypair(t, "//Eve"), dest(t, 4), 4242, client.WithoutWait())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	g0, _ := nw.height(0)
	g1, _ := nw.height(1)
	if g0 != h0 || g1 != h1 {
		t.Fatalf("two of four validators down, yet heights moved: node0 %d→%d, node1 %d→%d", h0, g0, h1, g1)
	}
	t.Logf("halted at height %d", g0)
	nw.start(3)
	nw.waitRPC(3)
	nw.waitHeight(0, g0+5, 40*time.Second)
	r, err := c0.WaitForInclusion(ctx, pending.Hash)
	if err != nil {
		t.Fatalf("transfer submitted while halted: %v", err)
	}
	acks[r.Hash] = r.Block
	top, _ := nw.height(0)
	for _, i := range []int{1, 3} {
		nw.waitHeight(i, top, 30*time.Second)
	}
	nw.included(ctx, []int{0, 1, 3}, acks)
	nw.agree(ctx, []int{0, 1, 3}, top)
	// The last one comes back too and agrees.
	nw.start(2)
	nw.waitRPC(2)
	nw.waitHeight(2, top, 30*time.Second)
	nw.included(ctx, []int{2}, acks)
	nw.agree(ctx, []int{0, 2}, top)
}

// TestTestnetStartCommand: `gotensor testnet start DIR` runs every node of `gotensor testnet init` as a
// child process with its log in DIR, and stops them all on SIGTERM.
func TestTestnetStartCommand(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	if out, err := exec.Command(bin, "testnet", "init", "--validators", "3", "--output", dir, "--block-time", "100ms").CombinedOutput(); err != nil {
		t.Fatalf("testnet init: %v\n%s", err, out)
	}
	m, err := testnet.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	cmd := exec.Command(bin, "testnet", "start", dir)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Kill()
	}()
	deadline := time.Now().Add(40 * time.Second)
	for _, n := range m.Nodes {
		for {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			h, _, err := testnet.Head(ctx, n.RPCAddr)
			cancel()
			if err == nil && h >= 3 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not producing blocks: %v\n%s", n.Name, err, out.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
		if _, err := os.Stat(filepath.Join(dir, n.Name+".log")); err != nil {
			t.Fatalf("no log for %s: %v", n.Name, err)
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("testnet start exited with %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("testnet start did not stop on SIGTERM\n%s", out.String())
	}
	for _, n := range m.Nodes {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, _, err := testnet.Head(ctx, n.RPCAddr)
		cancel()
		if err == nil {
			t.Fatalf("%s still answers after testnet start stopped", n.Name)
		}
	}
	if s := out.String(); !strings.Contains(s, "node2: rpc http://") || !strings.Contains(s, "stopping the testnet") {
		t.Fatalf("output:\n%s", s)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSingleNodeEngine: `gotensor node --engine comet` on an empty home creates a one-validator network,
// produces blocks, serves the SDK, stops on SIGTERM and resumes where it stopped.
func TestSingleNodeEngine(t *testing.T) {
	bin := binary(t)
	home := t.TempDir()
	ports, err := testnet.FreePorts("127.0.0.1", 1)
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", ports[0])
	run := func() (*exec.Cmd, *syncBuffer, chan error) {
		var out syncBuffer
		cmd := exec.Command(bin, "node", "--engine", "comet", "--home", home, "--rpc.addr", addr, "--metrics-addr", "",
			"--block-time", "100ms", "--log-level", "warn")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		t.Cleanup(func() { cmd.Process.Kill() })
		return cmd, &out, done
	}
	waitH := func(h uint64, out *syncBuffer) uint64 {
		deadline := time.Now().Add(30 * time.Second)
		for {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			got, _, err := testnet.Head(ctx, addr)
			cancel()
			if err == nil && got >= h {
				return got
			}
			if time.Now().After(deadline) {
				t.Fatalf("height %d, want %d: %v\n%s", got, h, err, out.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	stop := func(cmd *exec.Cmd, out *syncBuffer, done chan error) {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("node exited with %v\n%s", err, out.String())
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("node did not stop on SIGTERM\n%s", out.String())
		}
	}
	cmd, out, done := run()
	waitH(3, out)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, "ws://"+addr)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Transfer(ctx, keypair(t, "//Alice"), dest(t, 0), 12345)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if s := out.String(); !strings.Contains(s, "initialised a one-validator dev network") || !strings.Contains(s, "engine comet") {
		t.Fatalf("output:\n%s", s)
	}
	stop(cmd, out, done)
	cmd, out, done = run()
	waitH(r.Block+3, out)
	c, err = client.Dial(ctx, "ws://"+addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if b, err := c.Balance(ctx, dest(t, 0)); err != nil || b != 12345 {
		t.Fatalf("balance after restart: %d, %v", b, err)
	}
	stop(cmd, out, done)
}
