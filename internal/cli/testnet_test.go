package cli

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gotensor/gotensor/node/testnet"
)

// withEngine registers e as name for the test only.
func withEngine(t *testing.T, name string, e Engine) {
	t.Helper()
	RegisterEngine(name, e)
	t.Cleanup(func() {
		enginesMu.Lock()
		delete(engines, name)
		enginesMu.Unlock()
	})
}

func TestNodeHasEngineFlag(t *testing.T) {
	root := NewRootCommand(strings.NewReader(""), io.Discard, io.Discard)
	node, _, err := root.Find([]string{"node"})
	if err != nil || node.Name() != "node" {
		t.Fatalf("node command: %v", err)
	}
	f := node.Flags().Lookup("engine")
	if f == nil || f.DefValue != "dev" {
		t.Fatalf("node --engine: %+v", f)
	}
}

func TestNodeUnknownEngine(t *testing.T) {
	code, _, errOut := run(t, "node", "--engine", "nosuch", "--home", t.TempDir(), "--metrics-addr", "")
	if code == 0 || !strings.Contains(errOut, `--engine "nosuch"`) || !strings.Contains(errOut, "dev") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestNodeRunsARegisteredEngine(t *testing.T) {
	done := make(chan struct{})
	close(done) // stops at once
	var got EngineOptions
	withEngine(t, "fake", Engine{Start: func(_ context.Context, o EngineOptions) (*EngineNode, error) {
		got = o
		return &EngineNode{RPCAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1234}, Summary: []string{"fake engine up"},
			Done: done, Stop: func() error { return errors.New("boom") }, Height: func() uint64 { return 7 }}, nil
	}})
	home := t.TempDir()
	code, out, errOut := run(t, "node", "--engine", "fake", "--home", home, "--rpc.addr", "127.0.0.1:0", "--metrics-addr", "",
		"--block-time", "150ms", "--fast")
	if code == 0 || !strings.Contains(errOut, "the fake engine stopped: boom") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "fake engine up") || !strings.Contains(out, "rpc listening on ws://127.0.0.1:1234") {
		t.Fatalf("stdout: %s", out)
	}
	if got.NodeDir != filepath.Join(home, "node") || got.RPCAddr != "127.0.0.1:0" || got.BlockTime != 150*time.Millisecond || !got.Fast {
		t.Fatalf("options %+v", got)
	}
}

func TestTestnetInit(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := run(t, "testnet", "init", "--validators", "4", "--output", dir); code == 0 || !strings.Contains(errOut, "no comet engine") {
		t.Fatalf("without the comet engine: exit %d: %s", code, errOut)
	}
	if code, _, errOut := run(t, "testnet", "init", "--validators", "4"); code == 0 || !strings.Contains(errOut, "--output") {
		t.Fatalf("without --output: exit %d: %s", code, errOut)
	}
	var got testnet.InitOptions
	withEngine(t, "comet", Engine{InitTestnet: func(o testnet.InitOptions) (*testnet.Manifest, error) {
		got = o
		return &testnet.Manifest{ChainID: "c", BlockTimeMs: o.BlockTime.Milliseconds(),
			Nodes: []testnet.Node{{Name: "node0", Home: "node0", RPCAddr: "127.0.0.1:1", P2PAddr: "127.0.0.1:2"}}}, nil
	}})
	out := mustRun(t, "testnet", "init", "--validators", "3", "--output", dir, "--block-time", "200ms", "--fast", "--json-output")
	var m testnet.Manifest
	if err := json.Unmarshal([]byte(out), &m); err != nil || m.ChainID != "c" || len(m.Nodes) != 1 {
		t.Fatalf("%s: %v", out, err)
	}
	if got.Validators != 3 || got.BlockTime != 200*time.Millisecond || !got.Fast || got.Dir != dir || got.Host != "127.0.0.1" {
		t.Fatalf("options %+v", got)
	}
}

func TestTestnetStartNeedsAManifest(t *testing.T) {
	code, _, errOut := run(t, "testnet", "start", t.TempDir())
	if code == 0 || !strings.Contains(errOut, "testnet init") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}
