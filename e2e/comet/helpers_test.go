// Package comet_test is the end-to-end suite of CometBFT networks: real `gotensor node --engine comet`
// processes ($GOTENSOR_BIN, or a binary it builds) on loopback ports chosen free at run time, started from
// `gotensor testnet init`. Tests run serially and are bounded in time.
package comet_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gotensor/gotensor/node/testnet"
	"github.com/gotensor/gotensor/sdk/client"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}

func binary(t *testing.T) string {
	t.Helper()
	if b := os.Getenv("GOTENSOR_BIN"); b != "" {
		return b
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gotensor-e2e-comet-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "gotensor")
		cmd := exec.Command("go", "build", "-o", builtBin, "github.com/gotensor/gotensor/cmd/gotensor")
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build gotensor: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// network is a testnet written by `gotensor testnet init` whose nodes this test runs.
type network struct {
	t     *testing.T
	bin   string
	dir   string
	m     *testnet.Manifest
	procs []*testnet.Process
}

// newNetwork writes an n-validator network with the given block time and starts every node; each edit
// changes every node's config/gotensor-comet.json (a JSON object) before the start.
func newNetwork(t *testing.T, n int, blockTime time.Duration, edits ...func(settings map[string]any)) *network {
	t.Helper()
	bin := binary(t)
	dir := t.TempDir()
	out, err := exec.Command(bin, "testnet", "init", "--validators", fmt.Sprint(n), "--output", dir,
		"--block-time", blockTime.String()).CombinedOutput()
	if err != nil {
		t.Fatalf("testnet init: %v\n%s", err, out)
	}
	m, err := testnet.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Nodes {
		if len(edits) > 0 {
			editSettings(t, filepath.Join(m.NodeHome(dir, i), "node", "config", "gotensor-comet.json"), edits)
		}
	}
	nw := &network{t: t, bin: bin, dir: dir, m: m, procs: make([]*testnet.Process, n)}
	t.Cleanup(func() {
		for _, p := range nw.procs {
			if p != nil {
				p.Kill()
			}
		}
		if t.Failed() {
			for _, nd := range m.Nodes {
				b, _ := os.ReadFile(filepath.Join(dir, nd.Name+".log"))
				if len(b) > 4000 {
					b = b[len(b)-4000:]
				}
				t.Logf("---- %s.log (tail) ----\n%s", nd.Name, b)
			}
		}
	})
	for i := range m.Nodes {
		nw.start(i)
	}
	for i := range m.Nodes {
		nw.waitRPC(i)
	}
	return nw
}

func editSettings(t *testing.T, path string, edits []func(map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		e(s)
	}
	if b, err = json.Marshal(s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func (nw *network) addr(i int) string { return nw.m.Nodes[i].RPCAddr }

// start runs node i (again).
func (nw *network) start(i int) {
	nw.t.Helper()
	p, err := testnet.StartNode(nw.bin, nw.m, nw.dir, i, "--log-level", "warn")
	if err != nil {
		nw.t.Fatal(err)
	}
	nw.procs[i] = p
}

// waitRPC waits until node i answers RPC.
func (nw *network) waitRPC(i int) {
	nw.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-nw.procs[i].Done():
			nw.t.Fatalf("%s exited: %v", nw.m.Nodes[i].Name, nw.procs[i].Err())
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, _, err := testnet.Head(ctx, nw.addr(i))
		cancel()
		if err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	nw.t.Fatalf("%s does not answer RPC", nw.m.Nodes[i].Name)
}

// kill SIGKILLs node i.
func (nw *network) kill(i int) {
	nw.procs[i].Kill()
	nw.procs[i] = nil
}

func (nw *network) height(i int) (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	h, _, err := testnet.Head(ctx, nw.addr(i))
	return h, err
}

// waitHeight waits until node i reaches height h.
func (nw *network) waitHeight(i int, h uint64, timeout time.Duration) uint64 {
	nw.t.Helper()
	deadline := time.Now().Add(timeout)
	var got uint64
	for time.Now().Before(deadline) {
		var err error
		if got, err = nw.height(i); err == nil && got >= h {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
	nw.t.Fatalf("%s at height %d after %v, want %d", nw.m.Nodes[i].Name, got, timeout, h)
	return 0
}

// dial connects an SDK client to node i.
func (nw *network) dial(ctx context.Context, i int) *client.Node {
	nw.t.Helper()
	c, err := client.Dial(ctx, "http://"+nw.addr(i))
	if err != nil {
		nw.t.Fatal(err)
	}
	nw.t.Cleanup(func() { c.Close() })
	return c
}

// agree checks that the nodes report the same block hash and state hash at every height 1..h.
func (nw *network) agree(ctx context.Context, nodes []int, h uint64) {
	nw.t.Helper()
	cs := make([]*client.Node, len(nodes))
	for k, i := range nodes {
		cs[k] = nw.dial(ctx, i)
	}
	for height := uint64(1); height <= h; height++ {
		var ref *client.Block
		for k, c := range cs {
			b, err := c.Block(ctx, height)
			if err != nil {
				nw.t.Fatalf("%s: block %d: %v", nw.m.Nodes[nodes[k]].Name, height, err)
			}
			if ref == nil {
				ref = b
				continue
			}
			if b.Hash != ref.Hash || b.StateHash != ref.StateHash {
				nw.t.Fatalf("height %d: %s has block %s state %s, %s has block %s state %s", height,
					nw.m.Nodes[nodes[0]].Name, ref.Hash, ref.StateHash, nw.m.Nodes[nodes[k]].Name, b.Hash, b.StateHash)
			}
		}
	}
}

// included checks that every hash is included at the same height on each of the nodes.
func (nw *network) included(ctx context.Context, nodes []int, want map[client.Hash]uint64) {
	nw.t.Helper()
	for _, i := range nodes {
		c := nw.dial(ctx, i)
		for hash, height := range want {
			var inc struct {
				Height uint64 `json:"height"`
			}
			if err := c.Transport().Call(ctx, "chain_tx", map[string]any{"hash": hash}, &inc); err != nil {
				nw.t.Fatalf("%s: transaction %s (block %d): %v", nw.m.Nodes[i].Name, hash, height, err)
			}
			if height != 0 && inc.Height != height {
				nw.t.Fatalf("%s: transaction %s at block %d, want %d", nw.m.Nodes[i].Name, hash, inc.Height, height)
			}
		}
	}
}

// cliBalance runs `gotensor wallet balance --ss58 A --network ws://node --json-output` and expects want rao.
func (nw *network) cliBalance(a client.AccountID, want uint64, i int) {
	nw.t.Helper()
	cmd := exec.Command(nw.bin, "wallet", "balance", "--ss58", a.SS58(), "--network", "ws://"+nw.addr(i), "--json-output")
	cmd.Env = append(os.Environ(), "HOME="+nw.t.TempDir(), "GOTENSOR_NETWORK=", "BT_SUBTENSOR_NETWORK=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		nw.t.Fatalf("%s: gotensor wallet balance: %v\n%s", nw.m.Nodes[i].Name, err, out)
	}
	var doc struct {
		Totals struct {
			Free struct {
				Rao uint64 `json:"rao"`
			} `json:"free"`
		} `json:"totals"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || doc.Totals.Free.Rao != want {
		nw.t.Fatalf("%s: gotensor wallet balance: want %d rao free, got %s (%v)", nw.m.Nodes[i].Name, want, out, err)
	}
}
