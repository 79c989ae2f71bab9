package runtime_test

import (
	"testing"

	"github.com/gotensor/gotensor/chain/runtime"
	sc "github.com/gotensor/gotensor/chain/runtime/scenario"
	"github.com/gotensor/gotensor/chain/tx"
)

const tao = 1_000_000_000

func TestTransfers(t *testing.T) {
	c := sc.New(t, sc.Options{})
	issuance := c.R.TotalIssuance()
	c.Must("alice", tx.Transfer{Dest: sc.Pub("zed"), Amount: 5 * tao})
	if got := c.R.Balance(sc.Pub("zed")); got != 5*tao {
		t.Fatalf("zed balance %d", got)
	}
	if got := c.R.Balance(sc.Pub("alice")); got != sc.Endowment-5*tao {
		t.Fatalf("alice balance %d", got)
	}
	// Leaving dust below the existential deposit burns it.
	c.Must("zed", tx.Transfer{Dest: sc.Pub("bob"), Amount: 5*tao - 100})
	if got := c.R.Balance(sc.Pub("zed")); got != 0 {
		t.Fatalf("zed kept dust %d", got)
	}
	if got := c.R.TotalIssuance(); got != issuance-100 {
		t.Fatalf("issuance %d, want %d", got, issuance-100)
	}
	c.Must("bob", tx.TransferAll{Dest: sc.Pub("yan"), KeepAlive: true})
	if got := c.R.Balance(sc.Pub("bob")); got != 500 {
		t.Fatalf("bob kept %d, want the existential deposit", got)
	}
	c.Step(1)
	if c.R.Account(sc.Pub("alice")).Nonce != 1 {
		t.Fatal("nonce not bumped")
	}
}

func TestFaucet(t *testing.T) {
	c := sc.New(t, sc.Options{})
	diff := c.R.Global(runtime.GFaucetDifficulty)
	c.SetGlobal(runtime.GFaucetDifficulty, 1000) // keep the test fast
	diff = 1000
	nonce, seal, ok := tx.SolvePoW([32]byte{}, sc.Pub("zed"), diff, 0, 1<<22)
	if !ok {
		t.Fatal("no solution")
	}
	f := tx.Faucet{BlockNumber: c.Height(), Nonce: nonce, Work: seal}
	res := c.Must("zed", f)
	if res.Events[0].Name != runtime.EvFaucet || c.R.Balance(sc.Pub("zed")) != 1000*tao {
		t.Fatalf("faucet: %+v balance %d", res.Events, c.R.Balance(sc.Pub("zed")))
	}
	c.ExpectFail("zed", f, runtime.ErrInvalidSeal) // the same work twice
	c.Step(3)
	f.BlockNumber = c.Height() - 3
	c.ExpectFail("zed", f, runtime.ErrInvalidWorkBlock)
}

func TestSubnetLifecycle(t *testing.T) {
	c := sc.New(t, sc.Options{})
	lock := c.R.LockCost()
	if lock != 1000*tao {
		t.Fatalf("first lock cost %d", lock)
	}
	before := c.R.Balance(sc.Pub("owner"))
	res := c.Must("owner", tx.RegisterNetwork{Hotkey: sc.Pub("owner-hot")})
	if res.Events[0].Name != runtime.EvNetworkAdded || res.Events[0].Attr("netuid") != "1" {
		t.Fatalf("events %+v", res.Events)
	}
	if got := c.R.Balance(sc.Pub("owner")); got != before-lock {
		t.Fatalf("owner paid %d", before-got)
	}
	info, _ := c.R.SubnetInfo(1)
	if info.N != 1 || info.TAO != 1000*tao || info.AlphaIn != 1000*tao || info.OwnerHotkey != sc.Pub("owner-hot") || info.SubtokenEnabled {
		t.Fatalf("subnet info %+v", info)
	}
	if uid, ok := c.R.Uid(1, sc.Pub("owner-hot")); !ok || uid != 0 {
		t.Fatal("owner hotkey is not uid 0")
	}
	// The price doubles, then decays.
	if got := c.R.LockCost(); got != 2000*tao {
		t.Fatalf("second lock cost %d", got)
	}
	c.Must("owner", tx.StartCall{Netuid: 1})
	c.ExpectFail("owner", tx.StartCall{Netuid: 1}, runtime.ErrFirstEmissionBlockNumberAlreadySet)
	info, _ = c.R.SubnetInfo(1)
	if !info.SubtokenEnabled || info.FirstEmissionBlock != c.Height()+1 {
		t.Fatalf("start call: %+v", info)
	}
	// Defaults: the dev profile's values and the new-subnet defaults of §6.2.
	for name, want := range map[string]uint64{"tempo": 360, "max_registrations_per_block": 32, "target_registrations_per_interval": 64,
		"difficulty": 10_000, "commit_reveal_weights_enabled": 1, "yuma3_enabled": 1, "liquid_alpha_enabled": 0, "max_allowed_uids": 256,
		"immunity_period": 5000, "adjustment_interval": 360, "burn": 100_000_000} {
		if got, _ := c.R.Hyperparameter(1, name); got != want {
			t.Errorf("%s = %d, want %d", name, got, want)
		}
	}
	// LastAdjustmentBlock is 0, so the first adjustment fires at block 360 (adjustment_interval):
	// zero registrations under target, case E: burn falls, difficulty stays clamped at min = max.
	c.StepTo(359)
	if rc, _ := c.R.RegistrationCost(1); rc.Burn != 100_000_000 {
		t.Fatalf("burn moved before the interval: %d", rc.Burn)
	}
	c.Step(1)
	rc, _ := c.R.RegistrationCost(1)
	if rc.Burn != runtime.AdjustedValue(100_000_000, 0, 64, 17_893_341_751_498_265_066, 500_000, 100*tao) || rc.Difficulty != 10_000 {
		t.Fatalf("after the first adjustment: %+v", rc)
	}
}

func TestRegistrationAndPruning(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "min_allowed_uids", 1)
	c.SetHyper(net, "max_allowed_uids", 4)
	c.SetHyper(net, "immunity_period", 0)
	c.SetHyper(net, "min_non_immune_uids", 0)
	burn, _ := c.R.Hyperparameter(net, "burn")
	before := c.R.Balance(sc.Pub("alice"))
	pool, _ := c.R.SubnetInfo(net)
	u1 := c.BurnedRegister("alice", "a1", net)
	if u1 != 1 || c.R.Balance(sc.Pub("alice")) != before-burn {
		t.Fatalf("uid %d, alice paid %d", u1, before-c.R.Balance(sc.Pub("alice")))
	}
	after, _ := c.R.SubnetInfo(net)
	if after.TAO != pool.TAO+burn || after.AlphaIn != pool.AlphaIn-burn || after.RAORecycled != burn {
		t.Fatalf("pool %+v -> %+v", pool, after)
	}
	if u := c.PowRegister("bob", "b1", net); u != 2 {
		t.Fatalf("pow uid %d", u)
	}
	if owner, _ := c.R.Owner(sc.Pub("b1")); owner != sc.Pub("bob") {
		t.Fatal("pow register did not associate the coldkey")
	}
	c.BurnedRegister("charlie", "c1", net)
	c.Step(1)
	// Full: the next registration replaces the lowest (emission, registration block, uid) non-owner: a1.
	c.Must("a1", tx.ServeAxon{Netuid: net, IP: tx.IPv4(10, 0, 0, 1), Port: 1, IPType: 4})
	res := c.Must("dave", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("d1")})
	if res.Events[0].Attr("uid") != "1" {
		t.Fatalf("replaced uid %s, want 1", res.Events[0].Attr("uid"))
	}
	if _, ok := c.R.Uid(net, sc.Pub("a1")); ok {
		t.Fatal("a1 still registered")
	}
	n, _ := c.R.NeuronByHotkey(net, sc.Pub("d1"))
	if n.Uid != 1 || n.BlockAtRegistration != c.Height() || n.Coldkey != sc.Pub("dave") {
		t.Fatalf("neuron %+v", n)
	}
}

func TestSetWeightsAndCommitReveal(t *testing.T) {
	c := sc.New(t, sc.Options{GrantPermits: true})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.SetHyper(net, "weights_rate_limit", 0)
	for _, h := range []string{"v1", "m1", "m2"} {
		c.BurnedRegister("alice", h, net)
	}
	c.ExpectFail("v1", tx.SetWeights{Netuid: net, Dests: []uint16{1}, Weights: []uint16{1}}, runtime.ErrCommitRevealEnabled)
	c.StepToEpoch(net) // permits granted
	// Commit-reveal: commit now, reveal in the next epoch.
	uids, vals, salt := []uint16{2, 3}, []uint16{1, 3}, []uint16{7}
	hash := tx.CommitHash(sc.Pub("v1"), net, uids, vals, salt, 0)
	c.Must("v1", tx.CommitWeights{Netuid: net, Hash: hash})
	if len(c.R.PendingCommits(net, sc.Pub("v1"))) != 1 {
		t.Fatal("commit not stored")
	}
	c.ExpectFail("v1", tx.RevealWeights{Netuid: net, Uids: uids, Values: vals, Salt: salt}, runtime.ErrRevealTooEarly)
	c.Step(1) // the epoch index increments on the block after the epoch: the reveal window opens
	res := c.Must("v1", tx.RevealWeights{Netuid: net, Uids: uids, Values: vals, Salt: salt})
	if res.Events[len(res.Events)-1].Name != runtime.EvWeightsRevealed {
		t.Fatalf("events %+v", res.Events)
	}
	row := c.R.WeightsRow(net, 1)
	if len(row) != 2 || row[0] != (runtime.WeightEntry{Uid: 2, Value: 21845}) || row[1] != (runtime.WeightEntry{Uid: 3, Value: 65535}) {
		t.Fatalf("row %+v", row)
	}
	if len(c.R.PendingCommits(net, sc.Pub("v1"))) != 0 {
		t.Fatal("commit not removed")
	}
	// Plain set_weights once commit-reveal is off.
	c.SetHyper(net, "commit_reveal_weights_enabled", 0)
	c.Must("m1", tx.SetWeights{Netuid: net, Dests: []uint16{2}, Weights: []uint16{9}})
	if got := c.R.WeightsRow(net, 2); len(got) != 1 || got[0].Value != 65535 {
		t.Fatalf("self weight %+v", got)
	}
	n, _ := c.R.Neuron(net, 2)
	if n.LastUpdate != c.Height() {
		t.Fatal("LastUpdate not refreshed")
	}
}

func TestServing(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.BurnedRegister("alice", "a1", net)
	// 127.0.0.2 passes (neurons on one machine); only 127.0.0.1 is refused.
	c.Must("a1", tx.ServeAxonTLS{ServeAxon: tx.ServeAxon{Netuid: net, Version: 1, IP: tx.IPv4(127, 0, 0, 2), Port: 8091, IPType: 4, Protocol: 4},
		Certificate: append([]byte{1}, make([]byte, 64)...)})
	n, _ := c.R.Neuron(net, 1)
	if n.Axon.Port != 8091 || n.Axon.Block != c.Height() || n.Certificate == nil || len(n.Certificate.PublicKey) != 64 {
		t.Fatalf("axon %+v cert %+v", n.Axon, n.Certificate)
	}
	c.ExpectFail("a1", tx.ServeAxon{Netuid: net, IP: tx.IPv4(127, 0, 0, 2), Port: 8091, IPType: 4}, runtime.ErrServingRateLimitExceeded)
	c.Must("a1", tx.ServePrometheus{Netuid: net, IP: tx.IPv4(1, 2, 3, 4), Port: 9090, IPType: 4})
	n, _ = c.R.Neuron(net, 1)
	if n.Prometheus.Port != 9090 {
		t.Fatalf("prometheus %+v", n.Prometheus)
	}
}

func TestRevealExpires(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.SetHyper(net, "weights_rate_limit", 0)
	c.BurnedRegister("alice", "v1", net)
	hash := tx.CommitHash(sc.Pub("v1"), net, []uint16{1}, []uint16{1}, nil, 0)
	c.Must("v1", tx.CommitWeights{Netuid: net, Hash: hash})
	c.Step(30)
	c.ExpectFail("v1", tx.RevealWeights{Netuid: net, Uids: []uint16{1}, Values: []uint16{1}}, runtime.ErrExpiredWeightCommit)
}
