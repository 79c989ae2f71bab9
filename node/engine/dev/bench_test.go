package dev

import (
	"fmt"
	"testing"
	"time"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/chain/tx/txtest"
	"github.com/gotensor/gotensor/node/mempool"
)

// drain produces blocks until the mempool is empty and returns how many transactions were included.
func drain(b *testing.B, e *Engine) int {
	n := 0
	for {
		if size, _ := e.MempoolSize(); size == 0 {
			return n
		}
		blk, err := e.ProduceBlock()
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range blk.Results {
			if !r.OK() {
				b.Fatalf("%+v", r)
			}
		}
		n += len(blk.Txs)
	}
}

// BenchmarkSustainedTransfers measures transactions per second through the whole engine path: admission
// (CheckTx, signature), mempool, block execution (DeliverTxs) and the bbolt commit with fsync.
func BenchmarkSustainedTransfers(b *testing.B) {
	const accounts, batch = 64, 4096
	var accts []runtime.GenesisAccount
	for i := 0; i < accounts; i++ {
		accts = append(accts, runtime.GenesisAccount{Account: runtime.Hex32(txtest.Key(fmt.Sprintf("acct%d", i)).PublicKey()), Balance: 1e15})
	}
	e, err := Open(Config{Home: b.TempDir(), Genesis: runtime.DevGenesis("bench", accts[0].Account, accts...)})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	dest := txtest.Key("sink").PublicKey()
	nonce := make([]uint64, accounts)
	b.ResetTimer()
	total := 0
	start := time.Now()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		raws := make([][]byte, 0, batch)
		for j := 0; j < batch; j++ {
			a := j % accounts
			x, _ := tx.Sign(txtest.Key(fmt.Sprintf("acct%d", a)), e.GenesisHash(), nonce[a], tx.Transfer{Dest: dest, Amount: 1000})
			nonce[a]++
			raws = append(raws, x.Encode())
		}
		b.StartTimer()
		for _, r := range raws {
			if _, err := e.Submit(r); err != nil {
				b.Fatal(err)
			}
		}
		total += drain(b, e)
	}
	_ = start
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkSustainedSetWeights measures set_weights transactions per second: 64 validators on a
// 64-neuron subnet, each setting a 64-entry weights vector.
func BenchmarkSustainedSetWeights(b *testing.B) {
	const n = 64
	owner := txtest.Key("owner")
	g := runtime.DevGenesis("bench", owner.PublicKey(), runtime.GenesisAccount{Account: runtime.Hex32(owner.PublicKey()), Balance: 1e15})
	g.SubnetDefaults = append(g.SubnetDefaults, runtime.Param{Name: "commit_reveal_weights_enabled", Value: 0},
		runtime.Param{Name: "weights_rate_limit", Value: 0}, runtime.Param{Name: "tempo", Value: 10},
		runtime.Param{Name: "max_registrations_per_block", Value: 256})
	e, err := Open(Config{Home: b.TempDir(), Genesis: g, Mempool: mempool.Config{MaxPerAccount: 8192}})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	submit := func(k *txtest.Keypair, nonce uint64, c tx.Call) {
		x, _ := tx.Sign(k, e.GenesisHash(), nonce, c)
		if _, err := e.Submit(x.Encode()); err != nil {
			b.Fatal(err)
		}
	}
	submit(owner, 0, tx.RegisterNetwork{Hotkey: txtest.Key("v0").PublicKey()})
	submit(owner, 1, tx.StartCall{Netuid: 1})
	for i := 1; i < n; i++ {
		submit(owner, uint64(i+1), tx.BurnedRegister{Netuid: 1, Hotkey: txtest.Key(fmt.Sprintf("v%d", i)).PublicKey()})
	}
	for i := 0; i < n; i++ {
		submit(owner, uint64(n+1+i), tx.AddStake{Hotkey: txtest.Key(fmt.Sprintf("v%d", i)).PublicKey(), Netuid: 1, Amount: 1e9})
	}
	for i := 0; i < 24; i++ { // past an epoch: every staked uid gets a validator permit
		if _, err := e.ProduceBlock(); err != nil {
			b.Fatal(err)
		}
	}
	uids, weights := make([]uint16, n), make([]uint16, n)
	for i := range uids {
		uids[i], weights[i] = uint16(i), uint16(i+1)
	}
	nonce := make([]uint64, n)
	total := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var raws [][]byte
		for r := 0; r < 16; r++ {
			for v := 0; v < n; v++ {
				x, _ := tx.Sign(txtest.Key(fmt.Sprintf("v%d", v)), e.GenesisHash(), nonce[v], tx.SetWeights{Netuid: 1, Dests: uids, Weights: weights})
				nonce[v]++
				raws = append(raws, x.Encode())
			}
		}
		b.StartTimer()
		for _, r := range raws {
			if _, err := e.Submit(r); err != nil {
				b.Fatal(err)
			}
		}
		total += drain(b, e)
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "tx/s")
}
