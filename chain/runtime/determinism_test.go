package runtime_test

import (
	"testing"

	"github.com/gotensor/gotensor/chain/kv"
	"github.com/gotensor/gotensor/chain/runtime"
	sc "github.com/gotensor/gotensor/chain/runtime/scenario"
	"github.com/gotensor/gotensor/chain/tx"
)

// story drives a chain through every concern and returns the state hashes of every block.
func story(t *testing.T) [][32]byte {
	c := sc.New(t, sc.Options{GrantPermits: true})
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.SetHyper(net, "weights_rate_limit", 0)
	c.Must("alice", tx.Transfer{Dest: sc.Pub("zed"), Amount: 7 * tao})
	for i, h := range []string{"h1", "h2", "h3", "h4"} {
		if i%2 == 0 {
			c.BurnedRegister("alice", h, net)
		} else {
			c.PowRegister("bob", h, net)
		}
		c.Step(1)
	}
	c.Must("h1", tx.ServeAxon{Netuid: net, IP: tx.IPv4(127, 0, 0, 2), Port: 8091, IPType: 4})
	c.StepToEpoch(net)
	h := tx.CommitHash(sc.Pub("h1"), net, []uint16{2, 3}, []uint16{5, 6}, []uint16{1}, 0)
	c.Must("h1", tx.CommitWeights{Netuid: net, Hash: h})
	c.Step(1)
	c.Must("h1", tx.RevealWeights{Netuid: net, Uids: []uint16{2, 3}, Values: []uint16{5, 6}, Salt: []uint16{1}})
	c.Do("h2", tx.SetWeights{Netuid: net, Dests: []uint16{2}, Weights: []uint16{1}}) // fails: commit-reveal on
	c.Stake("alice", "h1", net, 50*tao)
	c.Stake("zed", "h1", net, 5*tao)
	c.Must("alice", tx.RootRegister{Hotkey: sc.Pub("h3")})
	c.Stake("alice", "h3", 0, 70*tao)
	c.Step(30) // emission, epochs and distribution
	c.Unstake("zed", "h1", net, tao)
	c.Must("alice", tx.DecreaseTake{Hotkey: sc.Pub("h1"), Take: 5000})
	c.Step(400) // crosses an adjustment interval
	return c.Hashes
}

func TestDeterminism(t *testing.T) {
	a, b := story(t), story(t)
	if len(a) != len(b) {
		t.Fatalf("%d vs %d blocks", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("state hash differs at height %d", i)
		}
	}
	if a[len(a)-1] == a[0] {
		t.Fatal("state did not change")
	}
}

// TestMainnetProfile checks the default profile's limits: one registration per block, lock cost, faucet off.
func TestMainnetProfile(t *testing.T) {
	var accts []runtime.GenesisAccount
	for _, n := range sc.DefaultAccounts {
		accts = append(accts, runtime.GenesisAccount{Account: sc.Pub(n), Balance: sc.Endowment})
	}
	g := runtime.MainnetLikeGenesis("mainnet-like", sc.Pub("sudo"), accts...)
	c := sc.New(t, sc.Options{Genesis: &g})
	if c.R.Global(runtime.GFaucetEnabled) != 0 || c.R.Global(runtime.GAdminFreezeWindow) != 10 {
		t.Fatal("mainnet-like globals")
	}
	c.Must("owner", tx.RegisterNetwork{Hotkey: sc.Pub("owner-hot")})
	c.ExpectFail("owner2", tx.RegisterNetwork{Hotkey: sc.Pub("owner2-hot")}, runtime.ErrNetworkTxRateLimitExceeded)
	c.Must("alice", tx.BurnedRegister{Netuid: 1, Hotkey: sc.Pub("a1")})
	c.ExpectFail("bob", tx.BurnedRegister{Netuid: 1, Hotkey: sc.Pub("b1")}, runtime.ErrTooManyRegistrationsThisBlock)
	if d, _ := c.R.Hyperparameter(1, "difficulty"); d != 10_000_000 {
		t.Fatalf("difficulty %d", d)
	}
	c.StepTo(360) // first adjustment: min = max = u64::MAX pins the difficulty
	if d, _ := c.R.Hyperparameter(1, "difficulty"); d != ^uint64(0) {
		t.Fatalf("difficulty after the first adjustment %d", d)
	}
	// The freeze window: 10 blocks before each epoch, owner setters are refused.
	info, _ := c.R.SubnetInfo(1)
	c.Step(int(info.BlocksUntilNextEpoch) - 5)
	c.ExpectFail("owner", tx.SetHyperparameter{Netuid: 1, Name: "rho", Value: 3}, runtime.ErrAdminActionProhibitedDuringWeightsWindow)
	c.Step(10)
	c.Must("owner", tx.SetHyperparameter{Netuid: 1, Name: "rho", Value: 3})
	c.ExpectFail("owner", tx.SetHyperparameter{Netuid: 1, Name: "rho", Value: 4}, runtime.ErrTxRateLimitExceeded)
}

// The incrementally maintained state hash equals a full recomputation over the store.
func TestStateHashIsIncrementalAndComplete(t *testing.T) {
	c := sc.New(t, sc.Options{})
	net := c.CreateSubnet("owner", "owner-hot")
	c.BurnedRegister("alice", "h1", net)
	h := c.Step(3)
	if full := kv.NewStateHasher().Full(c.Store); full != h {
		t.Fatal("incremental state hash differs from a full recomputation")
	}
	// A runtime reopened over the same store reports the same height and hash.
	r2 := runtime.New(c.Store)
	c.R.AbortBlock()
	if height, hash := r2.Info(); height != c.R.Height() || hash != h {
		t.Fatalf("reopened: height %d hash %x, want %d %x", height, hash[:4], c.R.Height(), h[:4])
	}
}
