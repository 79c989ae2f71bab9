package runtime_test

import (
	"testing"

	"github.com/gotensor/gotensor/chain/codec"
	"github.com/gotensor/gotensor/chain/kv"
	sc "github.com/gotensor/gotensor/chain/runtime/scenario"
	"github.com/gotensor/gotensor/chain/tx"
)

// FuzzCalls decodes arbitrary bytes as a call, signs it with one of the scenario's keys and delivers it
// to a chain with a subnet: nothing may panic, and a failed call may change only the signer's account.
func FuzzCalls(f *testing.F) {
	for _, c := range []tx.Call{
		tx.SetWeights{Netuid: 1, Dests: []uint16{1, 2}, Weights: []uint16{1, 2}},
		tx.BurnedRegister{Netuid: 1, Hotkey: sc.Pub("x")},
		tx.ServeAxon{Netuid: 1, IP: tx.IPv4(1, 2, 3, 4), Port: 1, IPType: 4},
		tx.RevealWeights{Netuid: 1, Uids: []uint16{1}, Values: []uint16{1}},
		tx.Sudo{Call: tx.SetHyperparameter{Netuid: 1, Name: "tempo", Value: 3}},
		tx.SetHyperparameter{Netuid: 1, Name: "rho", Value: 3},
		tx.RegisterNetwork{Hotkey: sc.Pub("y")},
		tx.AddStake{Hotkey: sc.Pub("v1"), Netuid: 1, Amount: 5_000_000},
		tx.RemoveStake{Hotkey: sc.Pub("v1"), Netuid: 1, Amount: 5_000_000},
		tx.DecreaseTake{Hotkey: sc.Pub("v1"), Take: 5},
		tx.IncreaseTake{Hotkey: sc.Pub("v1"), Take: 5},
	} {
		w := codec.NewWriter(64)
		tx.EncodeCall(w, c)
		for signer := byte(0); signer < 3; signer++ {
			f.Add(signer, w.Bytes())
		}
	}
	signers := []string{"m1", "owner", "sudo"}
	f.Fuzz(func(t *testing.T, who byte, data []byte) {
		r := codec.NewReader(data)
		call, err := tx.DecodeCall(r)
		if err != nil || r.Done() != nil {
			return
		}
		c, _ := base(t, sc.Options{GrantPermits: true})
		signer := signers[int(who)%len(signers)]
		before := c.Snapshot()
		res := c.Do(signer, call)
		if res.OK() {
			return
		}
		pub := sc.Pub(signer)
		acct := string(append([]byte("Account/"), pub[:]...))
		for _, k := range kv.Diff(before, c.R.View()) {
			if k != acct {
				t.Fatalf("%s failed with %s but changed %q", call.Index().Name(), res.Error, k)
			}
		}
	})
}
