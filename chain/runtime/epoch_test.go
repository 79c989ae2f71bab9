package runtime_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/gotensor/gotensor/chain/runtime"
	sc "github.com/gotensor/gotensor/chain/runtime/scenario"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/chain/yuma"
)

// epochRecord is one epoch as the runtime ran it: a private copy of the engine's inputs and outputs, and
// what the state said at that moment (read inside the block, before the distribution).
type epochRecord struct {
	netuid     uint16
	in         *yuma.Inputs
	out        *yuma.Outputs
	alpha      []uint64 // TotalHotkeyAlpha[hot][netuid] per uid, read from state
	root       []uint64
	weights    [][]runtime.WeightEntry
	lastUpdate []uint64
}

func cloneRows(r yuma.Rows) yuma.Rows {
	return yuma.Rows{Ptr: slices.Clone(r.Ptr), Cols: slices.Clone(r.Cols), Vals: slices.Clone(r.Vals)}
}

func cloneInputs(in *yuma.Inputs) *yuma.Inputs {
	c := *in
	c.HasKey = slices.Clone(in.HasKey)
	c.AlphaStake, c.RootStake = slices.Clone(in.AlphaStake), slices.Clone(in.RootStake)
	c.LastUpdate, c.BlockAtRegistration = slices.Clone(in.LastUpdate), slices.Clone(in.BlockAtRegistration)
	c.ValidatorPermit, c.CommitBlocks = slices.Clone(in.ValidatorPermit), slices.Clone(in.CommitBlocks)
	c.Weights, c.Bonds = cloneRows(in.Weights), cloneRows(in.Bonds)
	return &c
}

func cloneOutputs(o *yuma.Outputs) *yuma.Outputs {
	c := *o
	c.Incentive, c.Dividends, c.Consensus = slices.Clone(o.Incentive), slices.Clone(o.Dividends), slices.Clone(o.Consensus)
	c.ValidatorTrust, c.StakeWeight = slices.Clone(o.ValidatorTrust), slices.Clone(o.StakeWeight)
	c.Rank, c.Trust, c.Active, c.ValidatorPermit = slices.Clone(o.Rank), slices.Clone(o.Trust), slices.Clone(o.Active), slices.Clone(o.ValidatorPermit)
	c.Emission, c.ServerEmission, c.ValidatorEmission = slices.Clone(o.Emission), slices.Clone(o.ServerEmission), slices.Clone(o.ValidatorEmission)
	c.Bonds, c.BondsWrite = cloneRows(o.Bonds), slices.Clone(o.BondsWrite)
	return &c
}

// recorder installs an EpochOutputs hook that records every epoch.
func recorder(c **sc.Chain, recs *[]epochRecord) runtime.Hooks {
	return runtime.Hooks{EpochOutputs: func(netuid uint16, in *yuma.Inputs, out *yuma.Outputs) {
		r := epochRecord{netuid: netuid, in: cloneInputs(in), out: cloneOutputs(out)}
		for uid := 0; uid < in.N; uid++ {
			hot := (*c).R.View()
			_ = hot
			n, _ := (*c).R.Neuron(netuid, uint16(uid))
			r.alpha = append(r.alpha, (*c).R.HotkeyStake(n.Hotkey, netuid))
			r.root = append(r.root, (*c).R.HotkeyStake(n.Hotkey, 0))
			r.weights = append(r.weights, (*c).R.WeightsRow(netuid, uint16(uid)))
			r.lastUpdate = append(r.lastUpdate, n.LastUpdate)
		}
		*recs = append(*recs, r)
	}}
}

// checkAgainstEngine re-runs the engine on the recorded inputs and checks that (1) the inputs are what
// state held, (2) the engine gives the recorded outputs again, bit for bit, and (3) the stored state
// equals them.
func checkAgainstEngine(t *testing.T, c *sc.Chain, rec epochRecord, prevPermits []bool) {
	t.Helper()
	in := rec.in
	for uid := 0; uid < in.N; uid++ {
		if in.AlphaStake[uid] != rec.alpha[uid] || in.RootStake[uid] != rec.root[uid] {
			t.Fatalf("uid %d: epoch stakes (%d, %d), state (%d, %d)", uid, in.AlphaStake[uid], in.RootStake[uid], rec.alpha[uid], rec.root[uid])
		}
		cols, vals := in.Weights.Row(uid)
		var row []runtime.WeightEntry
		for k := range cols {
			row = append(row, runtime.WeightEntry{Uid: cols[k], Value: vals[k]})
		}
		if !(len(row) == 0 && len(rec.weights[uid]) == 0) && !reflect.DeepEqual(row, rec.weights[uid]) {
			t.Fatalf("uid %d: epoch weights %v, state %v", uid, row, rec.weights[uid])
		}
		if in.LastUpdate[uid] != rec.lastUpdate[uid] {
			t.Fatalf("uid %d: last update %d, state %d", uid, in.LastUpdate[uid], rec.lastUpdate[uid])
		}
		if prevPermits != nil && uid < len(prevPermits) && in.ValidatorPermit[uid] != prevPermits[uid] {
			t.Fatalf("uid %d: epoch read permit %v, previous epoch stored %v", uid, in.ValidatorPermit[uid], prevPermits[uid])
		}
	}
	again, err := yuma.Run(cloneInputs(in), yuma.Sparse)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, rec.out) {
		t.Fatalf("engine on the same inputs gives different outputs")
	}
}

// checkStored compares the committed state with an epoch's outputs.
func checkStored(t *testing.T, c *sc.Chain, netuid uint16, out *yuma.Outputs) {
	t.Helper()
	m, ok := c.R.Metagraph(netuid, true)
	if !ok {
		t.Fatal("no metagraph")
	}
	for uid := 0; uid < int(m.N); uid++ {
		got := []uint64{uint64(m.Incentive[uid]), uint64(m.Dividends[uid]), uint64(m.Consensus[uid]), uint64(m.ValidatorTrust[uid]), m.Emission[uid]}
		want := []uint64{uint64(out.Incentive[uid]), uint64(out.Dividends[uid]), uint64(out.Consensus[uid]), uint64(out.ValidatorTrust[uid]), out.Emission[uid]}
		if !slices.Equal(got, want) || m.Active[uid] != out.Active[uid] || m.ValidatorPermit[uid] != out.ValidatorPermit[uid] {
			t.Fatalf("uid %d: stored (inc, div, cons, vtrust, emission) %v active %v permit %v; engine %v %v %v", uid, got, m.Active[uid], m.ValidatorPermit[uid], want, out.Active[uid], out.ValidatorPermit[uid])
		}
		if out.BondsWrite[uid] {
			cols, vals := out.Bonds.Row(uid)
			var row []runtime.WeightEntry
			for k := range cols {
				if vals[k] != 0 {
					row = append(row, runtime.WeightEntry{Uid: cols[k], Value: vals[k]})
				}
			}
			if !(len(row) == 0 && len(m.Bonds[uid]) == 0) && !reflect.DeepEqual(row, m.Bonds[uid]) {
				t.Fatalf("uid %d: stored bonds %v, engine %v", uid, m.Bonds[uid], row)
			}
		}
	}
}

// TestEpochThroughRuntimeMatchesEngine drives a subnet only through transactions — registrations, stake
// (alpha and root), weights, commit-reveal — for several tempos, and checks every epoch the runtime runs
// against the Yuma engine run directly on the same inputs, and the inputs against state.
func TestEpochThroughRuntimeMatchesEngine(t *testing.T) {
	for _, mode := range []struct {
		name   string
		liquid bool
		yuma3  bool
	}{{"yuma3", false, true}, {"yuma3+liquid", true, true}, {"classic", false, false}} {
		t.Run(mode.name, func(t *testing.T) {
			var recs []epochRecord
			var c *sc.Chain
			c = sc.New(t, sc.Options{Hooks: recorder(&c, &recs)})
			net := c.CreateSubnet("owner", "owner-hot")
			c.SetHyper(net, "tempo", 10)
			c.SetHyper(net, "weights_rate_limit", 0)
			c.SetHyper(net, "commit_reveal_weights_enabled", 0)
			c.SetHyper(net, "max_allowed_validators", 3)
			c.SetHyper(net, "activity_cutoff", 360)
			c.SetGlobal(runtime.GStakeThreshold, tao)
			if mode.liquid {
				c.SetHyper(net, "liquid_alpha_enabled", 1)
			}
			if !mode.yuma3 {
				c.SetHyper(net, "yuma3_enabled", 0)
			}
			vals := []string{"v1", "v2", "v3", "v4"}
			for i, v := range vals {
				c.BurnedRegister([]string{"alice", "bob", "charlie", "dave"}[i], v, net)
			}
			for i := 0; i < 4; i++ {
				c.BurnedRegister("eve", "m"+string(rune('1'+i)), net)
			}
			c.Step(1)
			c.Stake("alice", "v1", net, 300*tao)
			c.Stake("bob", "v2", net, 200*tao)
			c.Stake("charlie", "v3", net, 100*tao)
			c.Stake("dave", "v4", net, 50*tao)
			c.Stake("ferdie", "v2", net, 40*tao) // a nominator
			c.Must("charlie", tx.RootRegister{Hotkey: sc.Pub("v3")})
			c.Stake("charlie", "v3", 0, 500*tao) // root stake weighs in via tao_weight
			c.StepToEpoch(net)
			miners := []uint16{5, 6, 7, 8}
			for epoch := 0; epoch < 6; epoch++ {
				c.Step(1)
				for i, v := range vals {
					if epoch == 3 && i == 3 {
						continue // v4 skips a round
					}
					w := []uint16{uint16(1 + i), uint16(4 - i), uint16(2 + (epoch+i)%3), uint16(1 + epoch)}
					res := c.Do(v, tx.SetWeights{Netuid: net, Dests: miners, Weights: w})
					if !res.OK() && res.Error != runtime.ErrNeuronNoValidatorPermit.Name {
						t.Fatalf("%s set weights: %s", v, res.Log)
					}
				}
				if epoch == 2 {
					c.Stake("dave", "v4", net, 250*tao) // v4 overtakes and should take a permit
				}
				c.StepToEpoch(net)
			}
			if len(recs) < 6 {
				t.Fatalf("%d epochs recorded", len(recs))
			}
			var prev []bool
			for i, rec := range recs {
				checkAgainstEngine(t, c, rec, prev)
				prev = rec.out.ValidatorPermit
				if i == len(recs)-1 {
					checkStored(t, c, net, rec.out)
				}
			}
			last := recs[len(recs)-1].out
			var inc uint64
			for _, v := range last.Incentive {
				inc += uint64(v)
			}
			if inc == 0 || !last.ValidatorPermit[4] || last.ValidatorPermit[3] {
				t.Fatalf("final epoch: incentive sum %d, permits %v", inc, last.ValidatorPermit)
			}
		})
	}
}

// TestPermitsFollowStake: the top max_allowed_validators stake weights hold permits (the owner always),
// ties go to the higher uid, and permits move only at epochs.
func TestPermitsFollowStake(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.SetHyper(net, "max_allowed_validators", 2)
	c.BurnedRegister("alice", "a", net) // uid 1
	c.BurnedRegister("bob", "b", net)   // uid 2
	c.BurnedRegister("charlie", "c", net)
	c.Stake("alice", "a", net, 30*tao)
	c.Stake("bob", "b", net, 20*tao)
	c.Stake("charlie", "c", net, 20*tao) // tie with b: the higher uid (3) wins
	c.StepToEpoch(net)
	permits := func() []bool {
		m, _ := c.R.Metagraph(net, false)
		return m.ValidatorPermit
	}
	if got := permits(); !reflect.DeepEqual(got, []bool{true, true, false, true}) {
		t.Fatalf("permits %v, want owner, a and c (tie to the higher uid)", got)
	}
	c.Step(1)
	c.Stake("bob", "b", net, 50*tao)
	if got := permits(); got[2] {
		t.Fatal("permit changed before the epoch")
	}
	c.StepToEpoch(net)
	if got := permits(); !reflect.DeepEqual(got, []bool{true, true, true, false}) {
		t.Fatalf("permits %v, want owner, a, b", got)
	}
}

// TestPruningFollowsEmission: once immunity is over, a registration on a full subnet replaces the neuron
// with the lowest epoch emission.
func TestPruningFollowsEmission(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.SetHyper(net, "weights_rate_limit", 0)
	c.SetHyper(net, "commit_reveal_weights_enabled", 0)
	c.SetHyper(net, "min_allowed_uids", 1)
	c.SetHyper(net, "max_allowed_uids", 5)
	c.SetHyper(net, "immunity_period", 12)
	c.SetHyper(net, "min_non_immune_uids", 0)
	c.BurnedRegister("alice", "v", net)   // 1
	c.BurnedRegister("bob", "m-hi", net)  // 2
	c.BurnedRegister("bob", "m-lo", net)  // 3
	c.BurnedRegister("bob", "m-mid", net) // 4
	c.Stake("alice", "v", net, 100*tao)
	c.StepToEpoch(net)
	c.Step(1)
	c.Must("v", tx.SetWeights{Netuid: net, Dests: []uint16{2, 3, 4}, Weights: []uint16{9, 1, 5}})
	c.StepToEpoch(net)
	c.Step(1)
	uid := c.BurnedRegister("charlie", "newcomer", net)
	if uid != 3 {
		t.Fatalf("newcomer took uid %d, want 3 (the lowest emission)", uid)
	}
}

// crMaskRun is the commit-reveal mask story (spec/yuma.md §3.5) through real transactions on netuid 1,
// tempo 10 (epochs at blocks ≡ 8 mod 11, epoch index (b+2) div 11), reveal period 1:
//
//	9 commit c0 (W0 → uids 2, 3)   20 reveal c0   21 commit ca (→ 2, 3)   22 commit cx (→ 3)
//	30 epoch                        33 "sniper" replaces uid 2 (lowest emission)   34 commit cy (→ 3)
//	35 reveal ca: the row now weighs uid 2 again, LastUpdate (34) is after the snipe (33)
//	41 epoch: cx (block 22, epoch 2) is unexpired, so (v, 2) is masked      52 epoch: cx expired, no mask
//
// crOffAt disables commit-reveal at that block (0: never). It returns the sniper's incentive at the
// epochs at 41 and 52 and the commit block the epoch at 41 saw for v.
func crMaskRun(t *testing.T, crOffAt uint64) (at41, at52 uint16, commitBlock uint64) {
	var recs []epochRecord
	var c *sc.Chain
	c = sc.New(t, sc.Options{Hooks: recorder(&c, &recs)})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.SetHyper(net, "weights_rate_limit", 0)
	c.SetHyper(net, "min_allowed_uids", 1)
	c.SetHyper(net, "max_allowed_uids", 4)
	c.SetHyper(net, "immunity_period", 0)
	c.SetHyper(net, "min_non_immune_uids", 0)
	c.BurnedRegister("alice", "v", net) // 1
	c.BurnedRegister("bob", "m1", net)  // 2
	c.BurnedRegister("bob", "m2", net)  // 3
	c.Stake("alice", "v", net, 100*tao)
	commit := func(uids, vals, salt []uint16) {
		c.Must("v", tx.CommitWeights{Netuid: net, Hash: tx.CommitHash(sc.Pub("v"), net, uids, vals, salt, 0)})
	}
	reveal := func(uids, vals, salt []uint16) {
		c.Must("v", tx.RevealWeights{Netuid: net, Uids: uids, Values: vals, Salt: salt})
	}
	c.StepTo(9)
	commit([]uint16{2, 3}, []uint16{1, 3}, []uint16{1})
	c.StepTo(20)
	reveal([]uint16{2, 3}, []uint16{1, 3}, []uint16{1})
	c.StepTo(21)
	commit([]uint16{2, 3}, []uint16{3, 1}, []uint16{2})
	c.StepTo(22)
	commit([]uint16{3}, []uint16{1}, []uint16{3})
	c.StepTo(33)
	if uid := c.BurnedRegister("charlie", "sniper", net); uid != 2 {
		t.Fatalf("sniper took uid %d, want 2", uid)
	}
	c.StepTo(34)
	commit([]uint16{3}, []uint16{1}, []uint16{4})
	c.StepTo(35)
	reveal([]uint16{2, 3}, []uint16{3, 1}, []uint16{2})
	if crOffAt != 0 {
		c.StepTo(crOffAt)
		c.SetHyper(net, "commit_reveal_weights_enabled", 0)
	}
	c.StepTo(41)
	n, _ := c.R.Neuron(net, 2)
	at41 = n.Incentive
	rec := recs[len(recs)-1]
	if rec.in.CurrentBlock != 41 {
		t.Fatalf("last epoch at %d", rec.in.CurrentBlock)
	}
	if rec.in.CommitBlocks != nil {
		commitBlock = rec.in.CommitBlocks[1]
	}
	checkAgainstEngine(t, c, rec, nil)
	c.StepTo(52)
	n, _ = c.R.Neuron(net, 2)
	return at41, n.Incentive, commitBlock
}

// TestCommitRevealMask ports subtensor's three commit-mask tests (golden/README "not translated") as
// scenarios: the sniped uid gets nothing from a weight committed before it registered while that commit
// is inside the reveal window; outside the window the mask lifts; with commit-reveal off there is no mask.
func TestCommitRevealMask(t *testing.T) {
	t.Run("masks incoming to sniped uid inside the window, not outside", func(t *testing.T) {
		at41, at52, cb := crMaskRun(t, 0)
		if cb != 22 {
			t.Fatalf("epoch at 41 saw commit block %d for v, want 22", cb)
		}
		if at41 != 0 {
			t.Fatalf("sniped uid earned incentive %d inside the window", at41)
		}
		if at52 == 0 {
			t.Fatal("sniped uid still masked outside the window")
		}
	})
	t.Run("no mask when commit-reveal is disabled", func(t *testing.T) {
		at41, _, cb := crMaskRun(t, 36)
		if cb != 0 {
			t.Fatalf("commit blocks passed with commit-reveal off: %d", cb)
		}
		if at41 == 0 {
			t.Fatal("sniped uid masked with commit-reveal off")
		}
	})
}

// TestMetagraphAgreesWithNeurons: the one-call metagraph equals the per-neuron queries, and stake per
// coldkey lists what was staked.
func TestMetagraphAgreesWithNeurons(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 5)
	c.SetHyper(net, "weights_rate_limit", 0)
	c.SetHyper(net, "commit_reveal_weights_enabled", 0)
	c.BurnedRegister("alice", "v", net)
	c.BurnedRegister("bob", "m", net)
	c.Stake("alice", "v", net, 10*tao)
	c.Stake("charlie", "v", net, 3*tao)
	c.StepToEpoch(net)
	c.Step(1)
	c.Must("v", tx.SetWeights{Netuid: net, Dests: []uint16{2}, Weights: []uint16{1}})
	c.StepToEpoch(net)
	c.Step(1)
	m, ok := c.R.Metagraph(net, true)
	if !ok || m.N != 3 {
		t.Fatalf("metagraph %+v", m)
	}
	for uid := uint16(0); uid < m.N; uid++ {
		n, _ := c.R.Neuron(net, uid)
		if m.Hotkeys[uid] != n.Hotkey || m.Coldkeys[uid] != n.Coldkey || m.Incentive[uid] != n.Incentive ||
			m.Dividends[uid] != n.Dividends || m.Emission[uid] != n.Emission || m.Active[uid] != n.Active ||
			m.ValidatorPermit[uid] != n.ValidatorPermit || m.LastUpdate[uid] != n.LastUpdate ||
			m.AlphaStake[uid] != c.R.HotkeyStake(n.Hotkey, net) || !reflect.DeepEqual(m.Bonds[uid], n.Bonds) {
			t.Fatalf("uid %d: metagraph and neuron differ", uid)
		}
	}
	if m.Incentive[2] != 65535 || m.Dividends[1] != 65535 {
		t.Fatalf("incentive %v dividends %v", m.Incentive, m.Dividends)
	}
	got := c.R.StakeForColdkey(sc.Pub("charlie"))
	if len(got) != 1 || got[0].Hotkey != sc.Pub("v") || got[0].Netuid != net || got[0].Stake <= 3*tao {
		t.Fatalf("charlie's stake %+v (dividends should have raised it)", got)
	}
}
