package miner

import (
	"context"
	"testing"

	"github.com/gotensor/gotensor/examples/factor/protocol"
	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/metagraph"
)

func testMiner(t *testing.T, cfg Config) (*Miner, map[string]string) {
	t.Helper()
	names := map[string]string{}
	info := &client.MetagraphInfo{Netuid: 1, N: 2}
	for i, uri := range []string{"//Validator", "//Member"} {
		k, err := keys.FromURI(uri)
		if err != nil {
			t.Fatal(err)
		}
		names[uri] = k.SS58()
		info.Hotkeys = append(info.Hotkeys, client.AccountID(k.PublicKey()))
		info.Coldkeys = append(info.Coldkeys, client.AccountID{})
		info.ValidatorPermit = append(info.ValidatorPermit, i == 0)
		stake := client.TAO(float64(100 * (2 - i)))
		info.TotalStake = append(info.TotalStake, stake)
		info.AlphaStake = append(info.AlphaStake, stake)
		info.TaoStake = append(info.TaoStake, 0)
	}
	for _, s := range []*[]uint16{&info.Rank, &info.Trust, &info.Consensus, &info.ValidatorTrust, &info.Incentive, &info.Dividends} {
		*s = make([]uint16, 2)
	}
	info.Emission = make([]client.Balance, 2)
	info.Active = make([]bool, 2)
	info.LastUpdate = make([]uint64, 2)
	info.BlockAtRegistration = make([]uint64, 2)
	info.Axons = make([]client.AxonInfo, 2)
	info.Prometheus = make([]client.PrometheusInfo, 2)
	stranger, _ := keys.FromURI("//Stranger")
	names["//Stranger"] = stranger.SS58()
	hot, _ := keys.FromURI("//Miner")
	m, err := New(nopChain{}, hot, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.mg = metagraph.FromInfo(info)
	return m, names
}

type nopChain struct{ client.Chain }

func TestBlacklistAndPriority(t *testing.T) {
	ctx := context.Background()
	m, who := testMiner(t, Config{})
	req := func(uri string) *axon.Request { return &axon.Request{Hotkey: who[uri]} }
	for uri, wantReject := range map[string]bool{"//Validator": false, "//Member": true, "//Stranger": true} {
		if got, reason := m.blacklist(ctx, req(uri), &protocol.Factor{}); got != wantReject {
			t.Errorf("%s: rejected %v (%s), want %v", uri, got, reason, wantReject)
		}
	}
	if got, _ := m.blacklist(ctx, &axon.Request{Hotkey: "not an address"}, nil); !got {
		t.Error("a malformed hotkey was let through")
	}
	if m.priority(ctx, req("//Validator"), nil) <= m.priority(ctx, req("//Member"), nil) {
		t.Error("priority does not follow stake")
	}
	if m.priority(ctx, req("//Stranger"), nil) != 0 {
		t.Error("an unregistered caller has a priority")
	}

	open, who := testMiner(t, Config{AllowNonValidators: true, AllowNonRegistered: true})
	for _, uri := range []string{"//Member", "//Stranger"} {
		if got, _ := open.blacklist(ctx, &axon.Request{Hotkey: who[uri]}, nil); got {
			t.Errorf("%s rejected although allowed", uri)
		}
	}
}

func TestForwardAnswersAndDegrades(t *testing.T) {
	ctx := context.Background()
	good, _ := testMiner(t, Config{})
	f := &protocol.Factor{N: 77}
	if err := good.forward(ctx, &axon.Request{Hotkey: "a"}, f); err != nil || f.P == nil || !protocol.Check(77, *f.P, *f.Q) {
		t.Fatalf("honest answer: %+v %v", f, err)
	}
	flaky, _ := testMiner(t, Config{WrongEvery: 2})
	var right int
	for range 4 {
		f := &protocol.Factor{N: 77}
		_ = flaky.forward(ctx, &axon.Request{Hotkey: "a"}, f)
		if protocol.Check(77, *f.P, *f.Q) {
			right++
		}
	}
	if right != 2 {
		t.Fatalf("WrongEvery 2: %d of 4 right", right)
	}
}
