package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/sdk/substrate"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/substratetest"
)

// finneyReplay serves the recorded finney metagraph conversation on loopback, answering the CLI's probe.
func finneyReplay(t *testing.T) (*rpc.Replay, string) {
	t.Helper()
	r := substratetest.Replay(t, substratetest.SeedMetagraph)
	_ = r.AddResult("state_getRuntimeVersion", nil, map[string]any{"specName": "node-subtensor", "specVersion": 343})
	ws, _ := substratetest.Server(t, r)
	return r, ws
}

// TestSubnetsShowFinneyReplay: `subnets show --network ws://…` probes the endpoint, picks the substrate
// backend and prints the recorded metagraph of finney subnet 1, read in one runtime call.
func TestSubnetsShowFinneyReplay(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GOTENSOR_CONFIG", t.TempDir()+"/config.yml")
	r, ws := finneyReplay(t)
	out := mustRun(t, "subnets", "show", "--netuid", "1", "--network", ws, "--json-output")
	var doc struct {
		Netuid uint16 `json:"netuid"`
		Block  uint64 `json:"block"`
		N      int    `json:"n"`
		UIDs   []struct {
			UID    uint16 `json:"uid"`
			Hotkey string `json:"hotkey"`
			Stake  struct {
				Rao uint64 `json:"rao"`
			} `json:"stake"`
		} `json:"uids"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%.500s", err, out)
	}
	// The reference: the same recording read by the backend directly.
	b, err := substrate.New(context.Background(), substratetest.Replay(t, substratetest.SeedMetagraph), substrate.Options{Genesis: &substrate.FinneyGenesis})
	if err != nil {
		t.Fatal(err)
	}
	mg, err := b.Metagraph(context.Background(), 1, substrate.At{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Netuid != 1 || doc.Block != 6852690 || doc.N != 1024 || len(doc.UIDs) != 1024 {
		t.Fatalf("netuid %d block %d n %d uids %d", doc.Netuid, doc.Block, doc.N, len(doc.UIDs))
	}
	for i, u := range doc.UIDs {
		if int(u.UID) != i || u.Hotkey != mg.Neurons[i].Hotkey.SS58() || u.Stake.Rao != mg.Neurons[i].TotalStake {
			t.Fatalf("uid %d: %+v, recorded %s %d", i, u, mg.Neurons[i].Hotkey.SS58(), mg.Neurons[i].TotalStake)
		}
	}
	var metagraphCalls int
	for _, c := range r.Calls() {
		if strings.Contains(c, "get_selective_mechagraph") {
			metagraphCalls++
		}
		if strings.Contains(c, "get_neuron") {
			t.Fatalf("a per-uid call: %s", c)
		}
	}
	if metagraphCalls != 1 {
		t.Fatalf("%d metagraph calls, want 1: %v", metagraphCalls, r.Calls())
	}

	// The table form prints too.
	table := mustRun(t, "subnets", "show", "--netuid", "1", "--network", ws)
	if !strings.Contains(table, "Subnet 1") || !strings.Contains(table, "6852690") || !strings.Contains(table, "Name Apex") {
		t.Fatalf("%.600s", table)
	}
}

// TestSubnetsShowAtBlockFinneyReplay: --block reads through chain_getBlockHash (recorded) on the substrate backend.
func TestSubnetsShowAtBlockFinneyReplay(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GOTENSOR_CONFIG", t.TempDir()+"/config.yml")
	_, ws := finneyReplay(t)
	code, _, errOut := run(t, "subnets", "show", "--netuid", "1", "--network", ws, "--block", "6852690", "--json-output")
	if code != 0 {
		t.Fatalf("show at a block: %d %s", code, errOut)
	}
}

// TestChainRecord records a conversation from a loopback replay of finney into a fixture file, then
// replays that file strictly: the backend reads the same metagraph from it with no other source.
func TestChainRecord(t *testing.T) {
	_, ws := finneyReplay(t)
	out := t.TempDir() + "/rec.json"
	got := mustRun(t, "chain", "record", "--network", ws, "--out", out, "--seed", "sn1", "block", "metagraph:1", "neurons-lite:1",
		"rpc:chain_getBlockHash:[6852690]")
	if !strings.Contains(got, `wrote seed "sn1"`) {
		t.Fatal(got)
	}
	rec, err := rpc.LoadRecording(out)
	if err != nil {
		t.Fatal(err)
	}
	r, err := rpc.NewReplay(rec, "sn1")
	if err != nil {
		t.Fatal(err)
	}
	r.OnUnrecorded = func(method string, params []any) { t.Errorf("unrecorded %s %v", method, params) }
	ctx := context.Background()
	b, err := substrate.New(ctx, r, substrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Genesis() != substrate.FinneyGenesis {
		t.Fatalf("genesis %x", b.Genesis())
	}
	mg, err := b.Metagraph(ctx, 1, substrate.At{})
	if err != nil || len(mg.Neurons) != 1024 || mg.Block != 6852690 {
		t.Fatalf("metagraph from the new recording: %v", err)
	}
	if lite, err := b.NeuronsLite(ctx, 1, substrate.At{}); err != nil || len(lite) != 1024 {
		t.Fatalf("neurons lite: %v", err)
	}
	// A second seed merges into the same file.
	mustRun(t, "chain", "record", "--network", ws, "--out", out, "--seed", "head", "block")
	if rec, _ = rpc.LoadRecording(out); len(rec) != 2 {
		t.Fatalf("%d seeds", len(rec))
	}
	if code, _, _ := run(t, "chain", "record", "--network", ws, "--out", out, "bogus:1"); code == 0 {
		t.Fatal("an unknown request was accepted")
	}
}

// TestBurnCostFinneyReplay: `subnets burn-cost` is one runtime call on the substrate backend (answered at
// the recorded head with the recorded answer of the get_subnet_burn_cost seed).
func TestBurnCostFinneyReplay(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GOTENSOR_CONFIG", t.TempDir()+"/config.yml")
	r, ws := finneyReplay(t)
	_ = r.AddResult("state_call", []any{"SubnetRegistrationRuntimeApi_get_network_registration_cost", "0x", substratetest.HeadHash}, "0x40d48b5800000000")
	out := mustRun(t, "subnets", "burn-cost", "--network", ws, "--json-output")
	var doc struct {
		Cost struct {
			Rao uint64 `json:"rao"`
		} `json:"burn_cost"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Cost.Rao != 0x588bd440 {
		t.Fatalf("%v %s", err, out)
	}
}
