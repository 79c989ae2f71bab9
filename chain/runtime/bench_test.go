package runtime_test

import (
	"fmt"
	"syscall"
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

// epochSubnet is bigSubnet with 64 staked validators that have set full weights (4096 entries each)
// and two epochs behind them (so bonds exist). It returns the chain with the block before the next
// epoch committed and no block open, and that epoch's height.
func epochSubnet(b *testing.B, n, validators int, liquid bool) (*sc.Chain, uint16, uint64) {
	c, net := bigSubnet(b, n)
	// From here on permits are the engine's: the top 64 stake weights (the validators), as on mainnet.
	c.R.SetHooks(runtime.Hooks{})
	c.SetHyper(net, "max_allowed_validators", uint64(validators)+1) // + the owner hotkey, staked by the owner cut
	if liquid {
		c.SetHyper(net, "liquid_alpha_enabled", 1)
	}
	for v := 1; v <= validators; v++ {
		c.Stake("alice", fmt.Sprintf("hot-%d", v), net, uint64(1+v%7)*tao)
	}
	dests := make([]uint16, n)
	for i := range dests {
		dests[i] = uint16(i)
	}
	for round := 0; round < 3; round++ {
		c.Step(1)
		raws := make([][]byte, validators)
		for v := 0; v < validators; v++ {
			hot := fmt.Sprintf("hot-%d", v+1)
			w := make([]uint16, n)
			for i := range w {
				w[i] = uint16((i*7919+v*104729+round*31)%65535 + 1)
			}
			t, err := tx.Sign(sc.Key(hot), c.R.GenesisHash(), c.R.Account(sc.Pub(hot)).Nonce, tx.SetWeights{Netuid: net, Dests: dests, Weights: w})
			if err != nil {
				b.Fatal(err)
			}
			raws[v] = t.Encode()
		}
		for j, res := range c.R.DeliverTxs(raws) {
			if !res.OK() {
				b.Fatalf("weights %d: %s %s", j, res.Error, res.Log)
			}
		}
		if round < 2 {
			c.StepToEpoch(net)
		}
	}
	info, _ := c.R.SubnetInfo(net)
	left := runtime.BlocksUntilNextEpoch(net, info.Tempo, c.Height())
	c.Step(int(left) - 1) // the open block is the one before the epoch
	if _, err := c.R.EndBlock(); err != nil {
		b.Fatal(err)
	}
	if _, err := c.R.Commit(); err != nil {
		b.Fatal(err)
	}
	return c, net, c.R.Height() + 1
}

// BenchmarkBeginBlockEpoch4096 is BeginBlock at a subnet's epoch block: n = 4096 uids, 64 validators
// with full weights, in-memory kv — coinbase, Yuma (sparse, Yuma3), storing the outputs and the
// distribution (target ≤ 30 ms with liquid alpha off).
func BenchmarkBeginBlockEpoch4096(b *testing.B) {
	for _, liquid := range []bool{false, true} {
		b.Run(fmt.Sprintf("liquid=%v", liquid), func(b *testing.B) {
			c, net, height := epochSubnet(b, 4096, 64, liquid)
			b.ReportAllocs()
			b.ResetTimer()
			c0 := cpuTime()
			defer func() { b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op") }()
			for i := 0; i < b.N; i++ {
				evs, err := c.R.BeginBlock(runtime.Header{Height: height})
				if err != nil {
					b.Fatal(err)
				}
				if i == 0 {
					ran := false
					for _, e := range evs {
						ran = ran || e.Name == runtime.EvEpochRun && e.Attr("netuid") == fmt.Sprint(net)
					}
					if !ran {
						b.Fatal("no epoch at the measured block")
					}
				}
				c.R.AbortBlock()
			}
		})
	}
}

// BenchmarkMetagraphLite4096 is the lite metagraph query of a 4096-uid subnet (target ≤ 10 ms).
func BenchmarkMetagraphLite4096(b *testing.B) {
	c, net, _ := epochSubnet(b, 4096, 64, false)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	defer func() { b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op") }()
	for i := 0; i < b.N; i++ {
		if m, ok := c.R.Metagraph(net, false); !ok || m.N != 4096 {
			b.Fatal("metagraph")
		}
	}
}

// cpuTime is the process's user+system CPU time in nanoseconds (all threads): the CPU cost of an
// operation next to its wall time on the shared machine.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
