// Package node_test is the end-to-end crash test of `gotensor node`: it runs the real binary
// ($GOTENSOR_BIN, or one it builds), submits transactions, kills it with SIGKILL at arbitrary moments,
// restarts it and checks that nothing acknowledged (included in a committed block) was lost and that the
// chain resumes from the last committed block with the same state hash.
package node_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/client"
)

func binary(t *testing.T) string {
	if b := os.Getenv("GOTENSOR_BIN"); b != "" {
		return b
	}
	out := filepath.Join(t.TempDir(), "gotensor")
	cmd := exec.Command("go", "build", "-o", out, "github.com/gotensor/gotensor/cmd/gotensor")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build gotensor: %v\n%s", err, b)
	}
	return out
}

type proc struct {
	cmd  *exec.Cmd
	addr string
}

// start runs `gotensor node` and waits for its RPC address.
func start(t *testing.T, bin, home string) *proc {
	t.Helper()
	cmd := exec.Command(bin, "node", "--dev", "--fast", "--home", home, "--rpc.addr", "127.0.0.1:0", "--metrics.addr", "",
		"--block-time", "100ms", "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	began := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if rest, ok := strings.CutPrefix(line, "rpc listening on ws://"); ok {
				addr <- strings.Fields(rest)[0]
			}
		}
	}()
	select {
	case a := <-addr:
		t.Logf("node up at %s in %v", a, time.Since(began).Round(time.Millisecond))
		return &proc{cmd: cmd, addr: a}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("node did not print its RPC address")
	}
	return nil
}

func (p *proc) kill9() {
	p.cmd.Process.Kill() // SIGKILL
	p.cmd.Wait()
}

type ack struct {
	hash   client.Hash
	block  uint64
	amount client.Balance
	dest   int
}

func TestKill9LosesNothingCommitted(t *testing.T) {
	bin := binary(t)
	home := t.TempDir()
	alice, _ := keys.FromURI("//Alice")
	bob, _ := keys.FromURI("//Bob")
	signers := []*keys.Keypair{alice, bob}
	var dests []client.AccountID
	for i := 0; i < 3; i++ {
		k, _ := keys.FromURI(fmt.Sprintf("//crash-dest-%d", i))
		dests = append(dests, client.AccountID(k.PublicKey()))
	}
	var acks []ack
	var lastHead client.BlockRef
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 3; round++ {
		p := start(t, bin, home)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		c, err := client.Dial(ctx, "ws://"+p.addr)
		if err != nil {
			t.Fatal(err)
		}
		// Everything acknowledged before the last kill is still there, with the same state hash.
		if round > 0 {
			head, err := c.Head(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if head.Height < lastHead.Height {
				t.Fatalf("round %d: head %d below the last seen committed block %d", round, head.Height, lastHead.Height)
			}
			b, err := c.Block(ctx, lastHead.Height)
			if err != nil {
				t.Fatal(err)
			}
			if b.Hash != lastHead.Hash || b.StateHash != lastHead.StateHash {
				t.Fatalf("round %d: block %d changed across the crash", round, lastHead.Height)
			}
			checkAcks(t, ctx, c, acks, dests)
		}
		// Submit transfers from two signers concurrently and kill at a random moment.
		var mu sync.Mutex
		var wg sync.WaitGroup
		for si, s := range signers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					d := (si + i) % len(dests)
					amt := client.Balance(1000 + i)
					r, err := c.Transfer(ctx, s, dests[d], amt)
					if err != nil {
						return // the node died
					}
					mu.Lock()
					acks = append(acks, ack{r.Hash, r.Block, amt, d})
					mu.Unlock()
				}
			}()
		}
		// Charlie floods without waiting (unacknowledged: these may be lost, but never applied twice).
		charlie, _ := keys.FromURI("//Charlie")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if _, err := c.Transfer(ctx, charlie, dests[i%len(dests)], client.Balance(700+i), client.WithoutWait()); err != nil {
					if ctx.Err() != nil || errors.Is(err, client.ErrNoNode) || errors.Is(err, client.ErrConnectionLost) {
						return
					}
					c.ResetNonce(client.AccountID(charlie.PublicKey())) // e.g. the mempool's per-account limit
					time.Sleep(10 * time.Millisecond)
				}
			}
		}()
		time.Sleep(time.Duration(800+rng.IntN(1200)) * time.Millisecond)
		mu.Lock()
		if h, err := c.Head(ctx); err == nil {
			lastHead = h
		}
		n := len(acks)
		mu.Unlock()
		p.kill9()
		cancel()
		wg.Wait()
		c.Close()
		t.Logf("round %d: killed after %d acknowledged transfers, head %d", round, n, lastHead.Height)
		if n == 0 {
			t.Fatalf("round %d: no transfer was acknowledged", round)
		}
	}
	// Final restart: check once more, and the chain moves on.
	p := start(t, bin, home)
	defer p.kill9()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, "ws://"+p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	checkAcks(t, ctx, c, acks, dests)
	head, _ := c.Head(ctx)
	if _, err := c.WaitForBlock(ctx, head.Height+3); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Transfer(ctx, alice, dests[0], 5000); err != nil {
		t.Fatalf("transfer after restarts: %v", err)
	}
}

// checkAcks verifies every acknowledged transfer is in its block, and that each destination's balance
// equals the transfers the chain holds (so none was applied twice).
func checkAcks(t *testing.T, ctx context.Context, c *client.Node, acks []ack, dests []client.AccountID) {
	t.Helper()
	for _, a := range acks {
		var inc struct {
			Height uint64 `json:"height"`
		}
		if err := c.Transport().Call(ctx, "chain_tx", map[string]any{"hash": a.hash}, &inc); err != nil || inc.Height != a.block {
			t.Fatalf("acknowledged transfer %s (block %d) lost: height %d, %v", a.hash, a.block, inc.Height, err)
		}
	}
	head, err := c.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Sum the included transfers per destination by scanning the blocks.
	want := make([]client.Balance, len(dests))
	at := c.At(head.Height)
	for h := uint64(1); h <= head.Height; h++ {
		evs, err := c.Events(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs.Events {
			if e.Name != "Transfer" {
				continue
			}
			for i, d := range dests {
				if e.Attr("to") == d.Hex() {
					var v uint64
					fmt.Sscan(e.Attr("amount"), &v)
					want[i] += client.Balance(v)
				}
			}
		}
	}
	for i, d := range dests {
		got, err := at.Balance(ctx, d)
		if err != nil && !errors.Is(err, client.ErrNotFound) {
			t.Fatal(err)
		}
		if got != want[i] {
			t.Fatalf("destination %d holds %d, the blocks transfer %d", i, got, want[i])
		}
	}
}
