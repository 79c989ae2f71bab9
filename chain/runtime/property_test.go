package runtime_test

import (
	"testing"

	"github.com/gotensor/gotensor/chain/kv"
	sc "github.com/gotensor/gotensor/chain/runtime/scenario"
	"github.com/gotensor/gotensor/chain/tx"
	"pgregory.net/rapid"
)

// TestFailedCallsChangeNothing throws random (mostly invalid) calls at a chain. Any call that fails must
// leave every key but the signer's account (nonce) as it was, and nothing may panic.
func TestFailedCallsChangeNothing(t *testing.T) {
	names := []string{"alice", "bob", "owner", "v1", "m1", "sudo"}
	hps := []string{"tempo", "rho", "kappa", "max_allowed_uids", "min_burn", "max_burn", "commit_reveal_period",
		"commit_reveal_weights_enabled", "weights_rate_limit", "burn", "immunity_period", "alpha_low", "alpha_high"}
	rapid.Check(t, func(rt *rapid.T) {
		c, net := base(t, sc.Options{GrantPermits: true})
		u16s := rapid.SliceOfN(rapid.Uint16Range(0, 6), 0, 5)
		for i := 0; i < 15; i++ {
			signer := rapid.SampledFrom(names).Draw(rt, "signer")
			netuid := rapid.Uint16Range(0, net+1).Draw(rt, "netuid")
			var call tx.Call
			switch rapid.IntRange(0, 15).Draw(rt, "op") {
			case 0:
				call = tx.Transfer{Dest: sc.Pub(rapid.SampledFrom(names).Draw(rt, "to")), Amount: rapid.Uint64().Draw(rt, "amt")}
			case 1:
				call = tx.BurnedRegister{Netuid: netuid, Hotkey: sc.Pub(rapid.SampledFrom(names).Draw(rt, "hk"))}
			case 2:
				call = tx.Register{Netuid: netuid, BlockNumber: c.Height(), Nonce: rapid.Uint64().Draw(rt, "n"), Hotkey: sc.Pub(signer)}
			case 3:
				d := u16s.Draw(rt, "dests")
				call = tx.SetWeights{Netuid: netuid, Dests: d, Weights: u16s.Draw(rt, "w"), VersionKey: rapid.Uint64Range(0, 2).Draw(rt, "vk")}
			case 4:
				call = tx.CommitWeights{Netuid: netuid, Hash: tx.CommitHash(sc.Pub(signer), netuid, []uint16{1}, []uint16{1}, nil, 0)}
			case 5:
				call = tx.RevealWeights{Netuid: netuid, Uids: u16s.Draw(rt, "u"), Values: u16s.Draw(rt, "v")}
			case 6:
				call = tx.ServeAxon{Netuid: netuid, IP: tx.U128{Lo: rapid.Uint64Range(0, 1<<33).Draw(rt, "ip")},
					Port: rapid.Uint16Range(0, 2).Draw(rt, "port"), IPType: rapid.Uint8Range(3, 7).Draw(rt, "ipt")}
			case 7:
				call = tx.SetHyperparameter{Netuid: netuid, Name: rapid.SampledFrom(hps).Draw(rt, "hp"), Value: rapid.Uint64Range(0, 1000).Draw(rt, "val")}
			case 8:
				call = tx.Sudo{Call: tx.SetHyperparameter{Netuid: netuid, Name: rapid.SampledFrom(hps).Draw(rt, "hp"), Value: rapid.Uint64Range(0, 1000).Draw(rt, "val")}}
			case 9:
				call = tx.RegisterNetwork{Hotkey: sc.Pub(rapid.SampledFrom(names).Draw(rt, "hk"))}
			case 10:
				call = tx.StartCall{Netuid: netuid}
			case 11:
				c.Step(rapid.IntRange(1, 4).Draw(rt, "blocks"))
				continue
			case 12:
				call = tx.AddStake{Hotkey: sc.Pub(rapid.SampledFrom(names).Draw(rt, "hk")), Netuid: netuid, Amount: rapid.Uint64Range(0, 2000*tao).Draw(rt, "amt")}
			case 13:
				call = tx.RemoveStake{Hotkey: sc.Pub(rapid.SampledFrom(names).Draw(rt, "hk")), Netuid: netuid, Amount: rapid.Uint64Range(0, 2000*tao).Draw(rt, "amt")}
			case 14:
				call = tx.IncreaseTake{Hotkey: sc.Pub(rapid.SampledFrom(names).Draw(rt, "hk")), Take: rapid.Uint16().Draw(rt, "take")}
			case 15:
				call = tx.DecreaseTake{Hotkey: sc.Pub(rapid.SampledFrom(names).Draw(rt, "hk")), Take: rapid.Uint16().Draw(rt, "take")}
			}
			before := c.Snapshot()
			res := c.Do(signer, call)
			if res.OK() {
				continue
			}
			if res.Error == "" || res.Code == 0 {
				rt.Fatalf("failure without an error name: %+v", res)
			}
			pub := sc.Pub(signer)
			acct := append([]byte("Account/"), pub[:]...)
			for _, k := range diffKeys(before, c) {
				if k != string(acct) {
					rt.Fatalf("%s by %s failed with %s but changed %q", call.Index().Name(), signer, res.Error, k)
				}
			}
		}
	})
}

func diffKeys(before *kv.MemStore, c *sc.Chain) []string { return c.Changed(before) }
