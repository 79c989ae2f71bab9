package runtime_test

import (
	"fmt"
	"testing"

	"github.com/gotensor/gotensor/chain/runtime"
	sc "github.com/gotensor/gotensor/chain/runtime/scenario"
	"github.com/gotensor/gotensor/chain/tx"
)

// bigSubnet builds a subnet of n UIDs (the owner and n−1 burned registrations) with validator permits
// for everyone, commit-reveal off and no weights rate limit.
func bigSubnet(b *testing.B, n int) (*sc.Chain, uint16) {
	g := sc.Genesis()
	g.Globals = append(g.Globals, runtime.Param{Name: runtime.GMaxAllowedUidsCap, Value: uint64(n)})
	g.SubnetDefaults = append(g.SubnetDefaults,
		runtime.Param{Name: "max_allowed_uids", Value: uint64(n)},
		runtime.Param{Name: "max_allowed_validators", Value: uint64(n)},
		runtime.Param{Name: "max_registrations_per_block", Value: 65535},
		runtime.Param{Name: "target_registrations_per_interval", Value: 65535},
		runtime.Param{Name: "commit_reveal_weights_enabled", Value: 0},
		runtime.Param{Name: "weights_rate_limit", Value: 0},
		runtime.Param{Name: "tempo", Value: 10},
	)
	c := sc.New(b, sc.Options{Genesis: &g, GrantPermits: true})
	net := c.CreateSubnet("owner", "owner-hot")
	raws := make([][]byte, 0, n)
	nonce := c.R.Account(sc.Pub("alice")).Nonce
	for i := 1; i < n; i++ {
		t, err := tx.Sign(sc.Key("alice"), c.R.GenesisHash(), nonce, tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub(fmt.Sprintf("hot-%d", i))})
		if err != nil {
			b.Fatal(err)
		}
		nonce++
		raws = append(raws, t.Encode())
	}
	for i, res := range c.R.DeliverTxs(raws) {
		if !res.OK() {
			b.Fatalf("register %d: %s %s", i, res.Error, res.Log)
		}
	}
	c.StepToEpoch(net)
	c.Step(1)
	return c, net
}

// BenchmarkBlock64SetWeights4096 applies one block of 64 set_weights transactions with 4096 entries each
// (in-memory kv, signature checks included and run in parallel, no commit).
func BenchmarkBlock64SetWeights4096(b *testing.B) {
	const n, validators = 4096, 64
	c, net := bigSubnet(b, n)
	dests := make([]uint16, n)
	weights := make([]uint16, n)
	for i := range dests {
		dests[i] = uint16(i)
		weights[i] = uint16(i*7919%65535 + 1)
	}
	raws := make([][]byte, validators)
	for v := 0; v < validators; v++ {
		hot := fmt.Sprintf("hot-%d", v+1)
		t, err := tx.Sign(sc.Key(hot), c.R.GenesisHash(), 0, tx.SetWeights{Netuid: net, Dests: dests, Weights: weights})
		if err != nil {
			b.Fatal(err)
		}
		raws[v] = t.Encode()
	}
	c.R.AbortBlock()
	height := c.R.Height() + 1
	b.SetBytes(int64(len(raws[0]) * validators))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.R.BeginBlock(runtime.Header{Height: height}); err != nil {
			b.Fatal(err)
		}
		for j, res := range c.R.DeliverTxs(raws) {
			if !res.OK() {
				b.Fatalf("tx %d: %s %s", j, res.Error, res.Log)
			}
		}
		c.R.AbortBlock()
	}
}

// BenchmarkVerifyOnly decodes and verifies one 4096-entry set_weights transaction (one core).
func BenchmarkVerifyOnly(b *testing.B) {
	dests := make([]uint16, 4096)
	weights := make([]uint16, 4096)
	t, _ := tx.Sign(sc.Key("v"), [32]byte{}, 0, tx.SetWeights{Netuid: 1, Dests: dests, Weights: weights})
	raw := t.Encode()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := tx.Decode(raw)
		if err != nil || d.Verify() != nil {
			b.Fatal("verify")
		}
	}
}
