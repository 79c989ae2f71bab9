package runtime_test

import (
	"encoding/binary"
	"strconv"
	"testing"

	"github.com/gotensor/gotensor/chain/kv"
	"github.com/gotensor/gotensor/chain/runtime"
	sc "github.com/gotensor/gotensor/chain/runtime/scenario"
	"github.com/gotensor/gotensor/chain/tx"
)

func u64At(s kv.Store, k string) uint64 {
	v, ok := s.Get([]byte(k))
	if !ok || len(v) != 8 {
		return 0
	}
	return binary.LittleEndian.Uint64(v)
}

func netKey(name string, netuid uint16) string {
	return name + "/" + string([]byte{byte(netuid >> 8), byte(netuid)})
}

// ledger reads the quantities the conservation checks compare, straight from the store.
type ledger struct {
	issuance, balances, poolTAO uint64
	alphaIn, alphaOut           map[uint16]uint64
	staked                      map[uint16]uint64 // Σ TotalHotkeyAlpha per netuid
	pending, burned             map[uint16]uint64
}

func readLedger(s kv.Store, nets []uint16) ledger {
	l := ledger{issuance: u64At(s, "TotalIssuance/"), alphaIn: map[uint16]uint64{}, alphaOut: map[uint16]uint64{},
		staked: map[uint16]uint64{}, pending: map[uint16]uint64{}, burned: map[uint16]uint64{}}
	kv.IteratePrefix(s, []byte("Account/"), func(_, v []byte) bool {
		l.balances += binary.LittleEndian.Uint64(v[8:16])
		return true
	})
	kv.IteratePrefix(s, []byte("TotalHotkeyAlpha/"), func(k, v []byte) bool {
		n := uint16(k[len(k)-2])<<8 | uint16(k[len(k)-1])
		l.staked[n] += binary.LittleEndian.Uint64(v)
		return true
	})
	for _, n := range nets {
		l.poolTAO += u64At(s, netKey("SubnetTAO", n))
		l.alphaIn[n] = u64At(s, netKey("SubnetAlphaIn", n))
		l.alphaOut[n] = u64At(s, netKey("SubnetAlphaOut", n))
		for _, p := range []string{"PendingServerEmission", "PendingValidatorEmission", "PendingRootAlphaDivs", "PendingOwnerCut"} {
			l.pending[n] += u64At(s, netKey(p, n))
		}
		l.burned[n] = u64At(s, netKey("SubnetAlphaBurned", n))
	}
	return l
}

func attrU(e runtime.Event, k string) uint64 {
	v, _ := strconv.ParseUint(e.Attr(k), 10, 64)
	return v
}

// TestConservation runs two subnets and root stake for several tempos with stake moving in and out, and
// checks two ledgers every block.
//
// TAO: the change in total issuance equals Σ (tao_in + excess) injected, and every rao of issuance is in
// a free balance or a pool's TAO reserve. Alpha, per subnet: the change in alpha issuance (AlphaIn +
// AlphaOut) equals alpha_in + alpha_out emitted minus what was recycled, and every outstanding alpha is
// in a stake pool, a pending accumulator or the recorded unowned (burned) amount.
func TestConservation(t *testing.T) {
	c := sc.New(t, sc.Options{})
	n1 := c.CreateSubnet("owner", "owner-hot")
	n2 := c.CreateSubnet("owner2", "owner2-hot")
	for _, n := range []uint16{n1, n2} {
		c.SetHyper(n, "tempo", 7)
		c.SetHyper(n, "weights_rate_limit", 0)
		c.SetHyper(n, "commit_reveal_weights_enabled", 0)
	}
	c.SetHyper(n2, "recycle_or_burn", 1)
	// Moving prices reach 1 within a few blocks, so Σ prices > 1 and root dividends flow (the root sell flag).
	c.SetGlobal(runtime.GSubnetMovingAlpha, 1<<32)
	c.SetHyper(n1, "ema_price_halving_blocks", 1)
	c.SetHyper(n2, "ema_price_halving_blocks", 1)
	c.BurnedRegister("alice", "v1", n1)
	c.BurnedRegister("bob", "m1", n1)
	c.BurnedRegister("owner", "owner-miner", n1) // the owner's own miner: its incentive is burned
	c.BurnedRegister("charlie", "v2", n2)
	c.BurnedRegister("owner2", "owner2-miner", n2) // recycled on n2
	c.BurnedRegister("dave", "m2", n2)
	c.Must("alice", tx.RootRegister{Hotkey: sc.Pub("v1")})
	c.Step(2)
	nets := []uint16{0, n1, n2}
	prev := readLedger(c.R.View(), nets)
	evStart := len(c.Events)
	script := map[int]func(){
		1: func() { c.Stake("alice", "v1", n1, 200*tao); c.Stake("ferdie", "v1", n1, 30*tao) },
		2: func() {
			c.Stake("charlie", "v2", n2, 80*tao)
			c.Stake("alice", "v1", 0, 300*tao)
			c.Stake("dave", "v1", 0, 100*tao) // a root-only nominator of v1
		},
		9:  func() { c.Must("v1", tx.SetWeights{Netuid: n1, Dests: []uint16{2, 3}, Weights: []uint16{3, 1}}) },
		10: func() { c.Must("v2", tx.SetWeights{Netuid: n2, Dests: []uint16{2, 3}, Weights: []uint16{1, 1}}) },
		15: func() { c.Unstake("ferdie", "v1", n1, 10*tao) },
		20: func() { c.Unstake("alice", "v1", 0, 100*tao); c.Stake("eve", "m2", n2, 5*tao) },
		30: func() { c.Unstake("ferdie", "v1", n1, c.StakeOf("ferdie", "v1", n1)) }, // full unstake
	}
	sawEpoch, sawInjection, sawRootDivs := false, false, false
	for blk := 0; blk < 60; blk++ {
		if f := script[blk]; f != nil {
			f()
		}
		c.Step(1)
		cur := readLedger(c.R.View(), nets)
		var injected uint64
		alphaMint := map[uint16]uint64{}
		recycled := map[uint16]uint64{}
		for _, e := range c.Events[evStart:] {
			n := uint16(attrU(e, "netuid"))
			switch e.Name {
			case runtime.EvSubnetEmission:
				injected += attrU(e, "tao_in") + attrU(e, "excess_tao")
				alphaMint[n] += attrU(e, "alpha_in") + attrU(e, "alpha_out")
				recycled[n] += attrU(e, "recycled_alpha")
				sawInjection = sawInjection || attrU(e, "tao_in") > 0
			case runtime.EvEpochDistributed:
				recycled[n] += attrU(e, "recycled")
				sawEpoch = true
				sawRootDivs = sawRootDivs || attrU(e, "root_dividends") > 0
			}
		}
		evStart = len(c.Events)
		if cur.issuance-prev.issuance != injected {
			t.Fatalf("block %d: issuance moved %d, injected %d", c.Height(), cur.issuance-prev.issuance, injected)
		}
		if cur.issuance != cur.balances+cur.poolTAO {
			t.Fatalf("block %d: issuance %d ≠ balances %d + pools %d", c.Height(), cur.issuance, cur.balances, cur.poolTAO)
		}
		for _, n := range []uint16{n1, n2} {
			before, after := prev.alphaIn[n]+prev.alphaOut[n], cur.alphaIn[n]+cur.alphaOut[n]
			if after+recycled[n] != before+alphaMint[n] {
				t.Fatalf("block %d netuid %d: alpha issuance %d → %d, minted %d, recycled %d", c.Height(), n, before, after, alphaMint[n], recycled[n])
			}
			if cur.alphaOut[n] != cur.staked[n]+cur.pending[n]+cur.burned[n] {
				t.Fatalf("block %d netuid %d: alpha out %d ≠ staked %d + pending %d + burned %d", c.Height(), n, cur.alphaOut[n], cur.staked[n], cur.pending[n], cur.burned[n])
			}
		}
		if cur.alphaOut[0] != cur.staked[0] {
			t.Fatalf("block %d: root stake %d ≠ root pools %d", c.Height(), cur.alphaOut[0], cur.staked[0])
		}
		prev = cur
	}
	if !sawEpoch || !sawInjection || !sawRootDivs {
		t.Fatalf("epochs %v, TAO injection %v, root dividends %v", sawEpoch, sawInjection, sawRootDivs)
	}
	if c.StakeOf("dave", "v1", n1) == 0 {
		t.Fatal("v1's root nominator got no root dividends on the subnet")
	}
	if c.StakeOf("owner", "owner-miner", n1) != 0 || c.StakeOf("owner2", "owner2-miner", n2) != 0 {
		t.Fatal("the owner's own miners were paid incentive")
	}
	if c.StakeOf("bob", "m1", n1) == 0 || c.StakeOf("dave", "m2", n2) == 0 {
		t.Fatal("miners were not paid")
	}
}

// TestStakeRoundTrip: stake and unstake give back exactly what went in (no emission on the hotkey), on
// a subnet and on root; pools share emission pro rata.
func TestStakeRoundTrip(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.Must("bob", tx.AssociateHotkey{Hotkey: sc.Pub("idle")}) // exists, never registered: earns nothing
	for _, n := range []uint16{net, 0} {
		bal := c.R.Balance(sc.Pub("alice"))
		c.Stake("alice", "idle", n, 12_345_678_901)
		c.Stake("charlie", "idle", n, 3*tao)
		if got := c.StakeOf("alice", "idle", n); got != 12_345_678_901 {
			t.Fatalf("netuid %d: stake %d", n, got)
		}
		c.Step(1)
		c.Unstake("alice", "idle", n, 2_345_678_901)
		c.Step(1)
		c.Unstake("alice", "idle", n, 1<<62) // capped at the stake: a full unstake
		if got := c.R.Balance(sc.Pub("alice")); got != bal {
			t.Fatalf("netuid %d: balance %d after the round trip, want %d", n, got, bal)
		}
		if c.StakeOf("alice", "idle", n) != 0 || c.StakeOf("charlie", "idle", n) != 3*tao {
			t.Fatalf("netuid %d: stakes after the round trip: %d, %d", n, c.StakeOf("alice", "idle", n), c.StakeOf("charlie", "idle", n))
		}
	}
	// Pro rata: two nominators 2:1 on a validator share its dividends 2:1 (±1 rao of rounding).
	c.SetHyper(net, "tempo", 5)
	c.BurnedRegister("dave", "val", net)
	c.Step(1)
	c.Stake("eve", "val", net, 200*tao)
	c.Stake("ferdie", "val", net, 100*tao)
	c.StepToEpoch(net)
	c.StepToEpoch(net)
	e, f := c.StakeOf("eve", "val", net)-200*tao, c.StakeOf("ferdie", "val", net)-100*tao
	if f == 0 || e < 2*f-2 || e > 2*f+2 {
		t.Fatalf("nominator gains %d and %d, want 2:1", e, f)
	}
	if c.StakeOf("dave", "val", net) == 0 {
		t.Fatal("the validator's owner got no take")
	}
}

// TestStakeThresholdOwnerExempt: stake_threshold gates weights for everyone but the subnet owner hotkey.
func TestStakeThresholdOwnerExempt(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "commit_reveal_weights_enabled", 0)
	c.SetHyper(net, "weights_rate_limit", 0)
	c.BurnedRegister("alice", "v", net)
	c.SetGlobal(runtime.GStakeThreshold, 10*tao)
	c.Step(1)
	c.ExpectFail("v", tx.SetWeights{Netuid: net, Dests: []uint16{1}, Weights: []uint16{1}}, runtime.ErrNotEnoughStakeToSetWeights)
	c.Must("owner-hot", tx.SetWeights{Netuid: net, Dests: []uint16{0}, Weights: []uint16{1}})
	c.Must("alice", tx.RootRegister{Hotkey: sc.Pub("v")})
	c.Stake("alice", "v", 0, 50*tao) // 50 TAO root × 0.18 = 9 TAO: still short
	c.ExpectFail("v", tx.SetWeights{Netuid: net, Dests: []uint16{1}, Weights: []uint16{1}}, runtime.ErrNotEnoughStakeToSetWeights)
	c.Stake("alice", "v", net, 2*tao) // + 2 alpha (tao_weight is just under 0.18)
	if w := c.R.StakeWeightOf(sc.Pub("v"), net); w < 10*tao {
		t.Fatalf("stake weight %d", w)
	}
	c.Must("v", tx.SetWeights{Netuid: net, Dests: []uint16{1}, Weights: []uint16{1}}) // self-weight
}

// TestTakes: decrease, then increase only after the rate limit, and dividends pay the take.
func TestTakes(t *testing.T) {
	c := sc.New(t, sc.Options{})
	c.Must("alice", tx.AssociateHotkey{Hotkey: sc.Pub("d")})
	if c.R.DelegateTake(sc.Pub("d")) != runtime.DefaultDelegateTake {
		t.Fatal("default take")
	}
	c.Must("alice", tx.DecreaseTake{Hotkey: sc.Pub("d"), Take: 1000})
	c.SetGlobal(runtime.GTxDelegateTakeRateLimit, 5)
	c.Step(5)
	c.ExpectFail("alice", tx.IncreaseTake{Hotkey: sc.Pub("d"), Take: 2000}, runtime.ErrDelegateTxRateLimitExceeded)
	c.Step(1)
	res := c.Must("alice", tx.IncreaseTake{Hotkey: sc.Pub("d"), Take: 2000})
	if res.Events[len(res.Events)-1].Name != runtime.EvTakeIncreased || c.R.DelegateTake(sc.Pub("d")) != 2000 {
		t.Fatalf("events %v", res.Events)
	}
}

// TestBlockEmissionGolden checks the halving formula against golden/chain_block_emission.json.
func TestBlockEmissionGolden(t *testing.T) {
	var g struct {
		Vectors []struct {
			Issuance uint64 `json:"issuance_rao"`
			Emission uint64 `json:"block_emission_rao"`
		} `json:"computed_vectors"`
	}
	loadGolden(t, "chain_block_emission.json", &g)
	if len(g.Vectors) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range g.Vectors {
		if got := runtime.BlockEmissionForIssuance(v.Issuance); got != v.Emission {
			t.Errorf("issuance %d: emission %d, want %d", v.Issuance, got, v.Emission)
		}
	}
}

// TestZeroIncentiveFallback: with no weights the engine's incentives are 0 and the validators receive the
// server share too (validator + server pending emission), pro rata to stake.
func TestZeroIncentiveFallback(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 5)
	c.BurnedRegister("alice", "v1", net)
	c.BurnedRegister("bob", "v2", net)
	c.Stake("alice", "v1", net, 30*tao)
	c.Stake("bob", "v2", net, 10*tao)
	c.StepToEpoch(net)
	c.StepToEpoch(net)
	var last runtime.Event
	for _, e := range c.Events {
		if e.Name == runtime.EvEpochDistributed {
			last = e
		}
	}
	em, div, inc, und := attrU(last, "emission"), attrU(last, "dividends"), attrU(last, "incentive"), attrU(last, "undistributed")
	if em == 0 || inc != 0 || div+und != em || und > 10 {
		t.Fatalf("epoch paid emission %d as incentive %d, dividends %d, undistributed %d", em, inc, div, und)
	}
	g1, g2 := c.StakeOf("alice", "v1", net)-30*tao, c.StakeOf("bob", "v2", net)-10*tao
	if g2 == 0 || g1 < 2*g2 {
		t.Fatalf("gains %d and %d do not follow stake 3:1", g1, g2)
	}
}
