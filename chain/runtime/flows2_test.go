package runtime_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/chain/runtime"
	sc "github.com/gotensor/gotensor/chain/runtime/scenario"
	"github.com/gotensor/gotensor/chain/tx"
)

const alpha97 = 17_893_341_751_498_265_066

// TestAdjustmentCases drives the interval adjustment on chain through cases A, B, C and D of §1.5.
func TestAdjustmentCases(t *testing.T) {
	cases := []struct {
		name            string
		target          uint64
		pow, burn       int
		diffUp, burnMov bool
	}{
		{"A: over target, mostly PoW → difficulty", 1, 2, 0, true, false},
		{"B: over target, mostly burn → burn", 1, 0, 2, false, true},
		{"C: under target, mostly PoW → burn", 4, 1, 0, false, true},
		{"D: under target, mostly burn → difficulty", 4, 0, 1, true, false},
		{"E: nothing → both", 4, 0, 0, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := sc.New(t, sc.Options{})
			net := c.CreateSubnet("owner", "owner-hot")
			c.SetHyper(net, "min_difficulty", 1)
			c.SetHyper(net, "max_difficulty", 1_000_000)
			c.SetHyper(net, "difficulty", 1000)
			c.SetHyper(net, "target_registrations_per_interval", tc.target)
			c.SetHyper(net, "adjustment_interval", 20)
			c.StepTo(20) // an adjustment fires at 20 and resets the counters
			for i := 0; i < tc.pow; i++ {
				c.PowRegister("bob", "p"+string(rune('a'+i)), net)
			}
			for i := 0; i < tc.burn; i++ {
				c.BurnedRegister("alice", "b"+string(rune('a'+i)), net)
			}
			rc, _ := c.R.RegistrationCost(net)
			c.StepTo(40)
			after, _ := c.R.RegistrationCost(net)
			r := uint16(tc.pow + tc.burn)
			wantDiff, wantBurn := rc.Difficulty, rc.Burn
			if tc.diffUp {
				wantDiff = runtime.AdjustedValue(rc.Difficulty, r, uint16(tc.target), alpha97, 1, 1_000_000)
			}
			if tc.burnMov {
				wantBurn = runtime.AdjustedValue(rc.Burn, r, uint16(tc.target), alpha97, 500_000, 100*tao)
			}
			if after.Difficulty != wantDiff || after.Burn != wantBurn {
				t.Fatalf("difficulty %d→%d (want %d), burn %d→%d (want %d)", rc.Difficulty, after.Difficulty, wantDiff, rc.Burn, after.Burn, wantBurn)
			}
			if after.RegistrationsIntvl != 0 {
				t.Fatal("interval counter not reset")
			}
		})
	}
}

func TestReplaceResetsAndOwnerImmortality(t *testing.T) {
	c := sc.New(t, sc.Options{GrantPermits: true})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.SetHyper(net, "weights_rate_limit", 0)
	c.SetHyper(net, "commit_reveal_weights_enabled", 0)
	c.SetHyper(net, "min_allowed_uids", 1)
	c.SetHyper(net, "max_allowed_uids", 3)
	c.SetHyper(net, "immunity_period", 0)
	c.SetHyper(net, "min_non_immune_uids", 0)
	c.BurnedRegister("alice", "v1", net)
	c.BurnedRegister("bob", "m1", net)
	c.StepToEpoch(net)
	c.Must("v1", tx.SetWeights{Netuid: net, Dests: []uint16{1, 2}, Weights: []uint16{1, 1}})
	c.Must("m1", tx.SetWeights{Netuid: net, Dests: []uint16{2}, Weights: []uint16{1}})
	n2, _ := c.R.Neuron(net, 2)
	c.Step(1)
	// Owner hotkey (uid 0) is the oldest, but immortal: uid 1 (v1) is the one replaced.
	res := c.Must("charlie", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("c1")})
	if res.Events[0].Attr("uid") != "1" {
		t.Fatalf("replaced uid %s", res.Events[0].Attr("uid"))
	}
	if len(c.R.WeightsRow(net, 1)) != 0 {
		t.Fatal("the replaced uid's own weights survived")
	}
	row := c.R.WeightsRow(net, 2)
	if len(row) != 1 || row[0].Value == 0 {
		t.Fatalf("m1's self weight changed: %+v", row)
	}
	// Replace m1 (uid 2) next: c1's incoming weight to it becomes 0 but stays in the row.
	c.StepToEpoch(net)
	c.Must("c1", tx.SetWeights{Netuid: net, Dests: []uint16{2, 0}, Weights: []uint16{5, 5}})
	c.Step(1)
	c.Must("dave", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("d1")})
	row = c.R.WeightsRow(net, 1)
	if len(row) != 2 || row[0] != (runtime.WeightEntry{Uid: 2, Value: 0}) || row[1].Value != 65535 {
		t.Fatalf("incoming weights after replace: %+v", row)
	}
	n, _ := c.R.Neuron(net, 2)
	// CLASSIC keeps LastUpdate and ValidatorPermit of the uid across a replacement.
	if n.Hotkey != sc.Pub("d1") || !n.ValidatorPermit || n.LastUpdate != n2.LastUpdate || n.BlockAtRegistration != c.Height() {
		t.Fatalf("replaced neuron %+v (LastUpdate before %d)", n.NeuronInfoLite, n2.LastUpdate)
	}
}

func TestRootRegisterAndOwnerSetters(t *testing.T) {
	c := sc.New(t, sc.Options{})
	res := c.Must("alice", tx.RootRegister{Hotkey: sc.Pub("a-root")})
	if res.Events[0].Attr("netuid") != "0" || res.Events[0].Attr("uid") != "0" {
		t.Fatalf("root register events %+v", res.Events)
	}
	net := c.CreateSubnet("owner", "owner-hot")
	res = c.Must("owner", tx.SetHyperparameter{Netuid: net, Name: "immunity_period", Value: 77})
	if res.Events[0].Name != runtime.EvHyperparameterSet {
		t.Fatalf("events %+v", res.Events)
	}
	if v, _ := c.R.Hyperparameter(net, "immunity_period"); v != 77 {
		t.Fatalf("immunity_period %d", v)
	}
	c.SetHyper(net, "tempo", 99)
	if info, _ := c.R.SubnetInfo(net); info.Tempo != 99 {
		t.Fatal("sudo tempo")
	}
	c.SetGlobal(runtime.GNetworkRateLimit, 5)
	if c.R.Global(runtime.GNetworkRateLimit) != 5 {
		t.Fatal("global not set")
	}
	c.Must("alice", tx.AssociateHotkey{Hotkey: sc.Pub("a-free")})
	if o, _ := c.R.Owner(sc.Pub("a-free")); o != sc.Pub("alice") {
		t.Fatal("associate hotkey")
	}
}

func TestBatchReveal(t *testing.T) {
	c := sc.New(t, sc.Options{GrantPermits: true})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.SetHyper(net, "weights_rate_limit", 0)
	c.BurnedRegister("alice", "v1", net)
	c.StepToEpoch(net)
	h1 := tx.CommitHash(sc.Pub("v1"), net, []uint16{0}, []uint16{1}, []uint16{1}, 0)
	h2 := tx.CommitHash(sc.Pub("v1"), net, []uint16{1}, []uint16{2}, []uint16{2}, 0)
	c.Must("v1", tx.CommitWeights{Netuid: net, Hash: h1})
	c.Must("v1", tx.CommitWeights{Netuid: net, Hash: h2})
	c.Step(1)
	res := c.Must("v1", tx.BatchRevealWeights{Netuid: net, Uids: [][]uint16{{0}, {1}}, Values: [][]uint16{{1}, {2}},
		Salts: [][]uint16{{1}, {2}}, VersionKeys: []uint64{0, 0}})
	if last := res.Events[len(res.Events)-1]; last.Name != runtime.EvWeightsBatchRevealed || !strings.Contains(last.Attr("hashes"), ",") {
		t.Fatalf("events %+v", res.Events)
	}
	if row := c.R.WeightsRow(net, 1); len(row) != 1 || row[0].Uid != 1 {
		t.Fatalf("row %+v (the last reveal wins)", row)
	}
}

func TestDeliverTxsMatchesSequential(t *testing.T) {
	run := func(batch bool) [32]byte {
		c := sc.New(t, sc.Options{})
		var raws [][]byte
		for i := uint64(0); i < 8; i++ {
			tr, _ := tx.Sign(sc.Key("alice"), c.R.GenesisHash(), i, tx.Transfer{Dest: sc.Pub("bob"), Amount: tao})
			raws = append(raws, tr.Encode())
		}
		bad := append([]byte(nil), raws[3]...)
		bad[len(bad)-1] ^= 1
		raws = append(raws, bad)
		if batch {
			res := c.R.DeliverTxs(raws)
			if res[8].Error != "BadSignature" || !res[7].OK() {
				t.Fatalf("batch results %+v", res[7:])
			}
		} else {
			for _, r := range raws {
				c.R.DeliverTx(r)
			}
		}
		return c.Step(1)
	}
	if run(true) != run(false) {
		t.Fatal("DeliverTxs and DeliverTx disagree")
	}
}

func TestQueryJSON(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.Step(1)
	for _, path := range []string{"subnets", "subnet/1", "hyperparameters/1", "registration/1", "neuron/1/0", "neurons_lite/1",
		"globals", "issuance", "lock_cost", "balance/" + sc.Pub("alice").String(), "account/" + sc.Pub("alice").String(),
		"neuron_by_hotkey/1/" + sc.Pub("owner-hot").String(), "commits/1/" + sc.Pub("owner-hot").String(), "owner/" + sc.Pub("owner-hot").String(),
		"stake/" + sc.Pub("owner-hot").String() + "/" + sc.Pub("owner").String() + "/1", "stake_for_coldkey/" + sc.Pub("owner").String(),
		"delegate_take/" + sc.Pub("owner-hot").String(), "metagraph/1", "metagraph_full/1", "subnets_emission", "pending/1",
		"block_emission", "total_stake"} {
		b, err := c.R.Query(path)
		if err != nil || !json.Valid(b) {
			t.Fatalf("query %s: %v %s", path, err, b)
		}
	}
	b, _ := c.R.Query("neuron/1/0")
	var n runtime.NeuronInfo
	if err := json.Unmarshal(b, &n); err != nil || n.Hotkey != sc.Pub("owner-hot") || !strings.Contains(string(b), `"hotkey":"0x`) {
		t.Fatalf("neuron json %s (%v)", b, err)
	}
	if b, _ := c.R.Query("neuron/1/9"); string(b) != "null" {
		t.Fatalf("missing neuron: %s", b)
	}
	if _, err := c.R.Query("nope"); err == nil {
		t.Fatal("unknown path accepted")
	}
	_ = net
}

func TestEpochHookSchedule(t *testing.T) {
	var fired []uint64
	c := sc.New(t, sc.Options{Hooks: runtime.Hooks{Epoch: func(e *runtime.EpochState) error {
		if e.Netuid == 1 {
			fired = append(fired, e.Block)
		}
		return nil
	}}})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.StepTo(31)
	// (b + netuid + 1) mod (tempo + 1) == tempo  →  b ∈ {8, 19, 30}
	if len(fired) != 3 || fired[0] != 8 || fired[1] != 19 || fired[2] != 30 {
		t.Fatalf("epochs at %v", fired)
	}
	info, _ := c.R.SubnetInfo(net)
	if info.LastStep != 30 || info.BlocksSinceLastStep != 1 || info.EpochIndex != runtime.EpochIndex(net, 10, 31) {
		t.Fatalf("schedule info %+v", info)
	}
}

func TestPowWithPastBlockHash(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.Step(3)
	b := c.Height() - 1 // the parent: its real hash is in the seal
	diff, _ := c.R.Hyperparameter(net, "difficulty")
	nonce, seal, ok := tx.SolvePoW(c.BlockHash(b), sc.Pub("p1"), diff, 0, 1<<24)
	if !ok {
		t.Fatal("no solution")
	}
	reg := tx.Register{Netuid: net, BlockNumber: b, Nonce: nonce, Work: seal, Hotkey: sc.Pub("p1"), Coldkey: sc.Pub("bob")}
	// The same work with a zero block hash is a different seal.
	wrong := reg
	wrong.BlockNumber = c.Height()
	c.ExpectFail("p1", wrong, runtime.ErrInvalidSeal)
	c.Must("p1", reg)
}

func TestGenesisJSONRoundTrip(t *testing.T) {
	g := sc.Genesis()
	b, err := json.Marshal(g)
	if err != nil || !strings.Contains(string(b), `"sudo":"0x`) {
		t.Fatalf("marshal: %v %s", err, b[:80])
	}
	var back runtime.Genesis
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Hash() != g.Hash() {
		t.Fatal("genesis hash changed through JSON")
	}
	bad := back
	bad.Globals = append(bad.Globals, runtime.Param{Name: "nope", Value: 1})
	if bad.Validate() == nil {
		t.Fatal("unknown global accepted")
	}
	// CheckTx admits a future nonce (the mempool orders by nonce) but DeliverTx does not.
	c := sc.New(t, sc.Options{})
	future, _ := tx.Sign(sc.Key("alice"), c.R.GenesisHash(), 1, tx.Transfer{Dest: sc.Pub("bob"), Amount: tao})
	if res := c.R.CheckTx(future.Encode()); !res.OK() {
		t.Fatalf("CheckTx future nonce: %+v", res)
	}
}

func TestPruneAllImmuneAndOwnerLimit(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "min_allowed_uids", 1)
	c.SetHyper(net, "max_allowed_uids", 4)
	c.SetHyper(net, "immune_owner_uids_limit", 2)
	c.BurnedRegister("owner", "owner-hot2", net) // uid 1: the owner coldkey's second hotkey
	c.BurnedRegister("alice", "a1", net)         // uid 2
	c.BurnedRegister("bob", "b1", net)           // uid 3
	c.Step(1)
	// Everyone is inside the 5000-block immunity period: the lowest-emission immune, non-immortal neuron
	// goes (owner-hot and owner-hot2 are immortal with limit 2), ties by registration block: a1.
	res := c.Must("charlie", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("c1")})
	if res.Events[0].Attr("uid") != "2" {
		t.Fatalf("replaced uid %s, want 2", res.Events[0].Attr("uid"))
	}
	// With limit 1 only the subnet owner hotkey is immortal: owner-hot2 (oldest non-immortal) goes next.
	c.SetHyper(net, "immune_owner_uids_limit", 1)
	c.Step(1)
	res = c.Must("dave", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("d1")})
	if res.Events[0].Attr("uid") != "1" {
		t.Fatalf("replaced uid %s, want 1", res.Events[0].Attr("uid"))
	}
}

func TestSubnetPruneAtLimit(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.BurnedRegister("alice", "a1", net)
	c.Must("a1", tx.ServeAxon{Netuid: net, IP: tx.IPv4(10, 0, 0, 1), Port: 1, IPType: 4})
	c.SetGlobal(runtime.GSubnetLimit, 1)
	c.SetGlobal(runtime.GNetworkImmunityPeriod, 0)
	c.Stake("charlie", "a1", net, 10*tao)
	c.Step(1)
	pool, _ := c.R.SubnetInfo(net)
	ownerBefore := c.R.Balance(sc.Pub("owner"))
	charlieBefore := c.R.Balance(sc.Pub("charlie"))
	res := c.Must("owner2", tx.RegisterNetwork{Hotkey: sc.Pub("owner2-hot")})
	if res.Events[0].Attr("netuid") != "1" {
		t.Fatalf("netuid %s, want the pruned 1", res.Events[0].Attr("netuid"))
	}
	info, _ := c.R.SubnetInfo(1)
	if info.N != 1 || info.Owner != sc.Pub("owner2") || info.OwnerHotkey != sc.Pub("owner2-hot") {
		t.Fatalf("new subnet %+v", info)
	}
	if _, ok := c.R.Uid(1, sc.Pub("a1")); ok {
		t.Fatal("a1 survived the dissolution")
	}
	if got := c.R.Balance(sc.Pub("owner")); got != ownerBefore+pool.TAO-10*tao {
		t.Fatalf("old owner got %d back, want the pool's %d less the refunded stake", got-ownerBefore, pool.TAO)
	}
	if got := c.R.Balance(sc.Pub("charlie")); got != charlieBefore+10*tao || c.StakeOf("charlie", "a1", 1) != 0 {
		t.Fatalf("staker refunded %d, stake left %d", got-charlieBefore, c.StakeOf("charlie", "a1", 1))
	}
	if n, _ := c.R.NeuronByHotkey(1, sc.Pub("a1")); n.Axon.Port != 0 {
		t.Fatal("axon survived")
	}
	c.ExpectFail("a1", tx.ServeAxon{Netuid: 1, IP: tx.IPv4(10, 0, 0, 1), Port: 1, IPType: 4}, runtime.ErrHotKeyNotRegisteredInNetwork)
}

// The epoch hook's stored Emission is the pruning score: the neuron that earned most survives.
func TestEpochOutputsDrivePruning(t *testing.T) {
	c := sc.New(t, sc.Options{Hooks: runtime.Hooks{Epoch: func(e *runtime.EpochState) error {
		for uid := uint16(0); uid < e.N(); uid++ {
			e.SetEmission(uid, 0)
		}
		if e.N() > 1 {
			e.SetEmission(1, 1_000) // uid 1 earns, uid 2 does not
			e.SetIncentive(1, 65535)
			e.SetBonds(1, []runtime.WeightEntry{{Uid: 2, Value: 7}})
		}
		return nil
	}}})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.SetHyper(net, "min_allowed_uids", 1)
	c.SetHyper(net, "max_allowed_uids", 3)
	c.SetHyper(net, "immunity_period", 0)
	c.SetHyper(net, "min_non_immune_uids", 0)
	c.BurnedRegister("alice", "a1", net) // uid 1, older
	c.BurnedRegister("bob", "b1", net)   // uid 2
	c.StepToEpoch(net)
	n1, _ := c.R.Neuron(net, 1)
	if n1.Emission != 1000 || n1.Incentive != 65535 || len(n1.Bonds) != 1 {
		t.Fatalf("epoch outputs not stored: %+v", n1)
	}
	c.Step(1)
	res := c.Must("charlie", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("c1")})
	if res.Events[0].Attr("uid") != "2" {
		t.Fatalf("pruned uid %s, want 2 (uid 1 has the higher emission)", res.Events[0].Attr("uid"))
	}
}

func TestHookErrorAbortsBlock(t *testing.T) {
	c := sc.New(t, sc.Options{})
	c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(1, "tempo", 1)
	c.Step(1)
	c.R.AbortBlock()
	c.R.SetHooks(runtime.Hooks{Epoch: func(*runtime.EpochState) error { return errors.New("boom") }})
	h := c.R.Height()
	var err error
	for i := uint64(1); i <= 3 && err == nil; i++ { // tempo 1: an epoch within two blocks
		_, err = c.R.BeginBlock(runtime.Header{Height: h + 1})
		if err == nil {
			c.R.EndBlock()
			if _, err := c.R.Commit(); err != nil {
				t.Fatal(err)
			}
			h++
		}
	}
	if err == nil || c.R.InBlock() {
		t.Fatalf("hook error: err=%v inBlock=%v", err, c.R.InBlock())
	}
}
