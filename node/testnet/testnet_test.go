package testnet

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFreePortsAreDistinct(t *testing.T) {
	ps, err := FreePorts("127.0.0.1", 12)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ps {
		if p <= 0 || seen[p] {
			t.Fatalf("ports %v", ps)
		}
		seen[p] = true
	}
}

func TestManifestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "testnet init") {
		t.Fatalf("missing manifest: %v", err)
	}
	m := &Manifest{ChainID: "c", BlockTimeMs: 100, Created: time.Unix(1, 0).UTC(),
		Nodes: []Node{{Name: "node0", Home: "node0", NodeID: "id", P2PAddr: "127.0.0.1:1", RPCAddr: "127.0.0.1:2", Validator: true}}}
	if err := m.Write(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil || got.ChainID != "c" || len(got.Nodes) != 1 || got.Nodes[0] != m.Nodes[0] {
		t.Fatalf("%+v %v", got, err)
	}
	args := NodeArgs(got, dir, 0, "--log-level", "warn")
	want := []string{"node", "--engine", "comet", "--home", dir + "/node0", "--rpc-addr", "127.0.0.1:2", "--metrics-addr", "", "--log-level", "warn"}
	if strings.Join(args, " ") != strings.Join(want, " ") {
		t.Fatalf("args %q", args)
	}
}

func TestHeadWithoutNode(t *testing.T) {
	ps, _ := FreePorts("127.0.0.1", 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, _, err := Head(ctx, "127.0.0.1:"+strconv.Itoa(ps[0])); err == nil {
		t.Fatal("Head answered with nothing listening")
	}
}
