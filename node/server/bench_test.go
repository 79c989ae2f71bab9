package server_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/chain/tx/txtest"
	"github.com/gotensor/gotensor/node/server"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/metagraph"
)

var (
	bigOnce sync.Once
	bigNode *server.Node
	bigErr  error
)

// bigSubnet starts (once per test binary) a node whose subnet 1 has n = 4096 neurons, 64 of them
// validators with a full 4096-entry weights row.
func bigSubnet(b *testing.B) *server.Node {
	bigOnce.Do(func() { bigNode, bigErr = startBig(b.TempDir()) })
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigNode
}

func startBig(home string) (*server.Node, error) {
	const n, colds, validators = 4096, 8, 64
	var accts []runtime.GenesisAccount
	for i := 0; i < colds; i++ {
		accts = append(accts, runtime.GenesisAccount{Account: runtime.Hex32(txtest.Key(fmt.Sprintf("cold%d", i)).PublicKey()), Balance: 1e16})
	}
	g := runtime.DevGenesis("bench", accts[0].Account, accts...)
	g.SubnetDefaults = append(g.SubnetDefaults, runtime.Param{Name: "max_allowed_uids", Value: n},
		runtime.Param{Name: "max_registrations_per_block", Value: n}, runtime.Param{Name: "target_registrations_per_interval", Value: n},
		runtime.Param{Name: "commit_reveal_weights_enabled", Value: 0}, runtime.Param{Name: "weights_rate_limit", Value: 0},
		runtime.Param{Name: "tempo", Value: 10})
	nd, err := server.Start(context.Background(), server.Config{Home: home, RPCAddr: "127.0.0.1:0", BlockTime: time.Hour, NoSync: true, Genesis: &g})
	if err != nil {
		return nil, err
	}
	e := nd.Engine
	nonce := make([]uint64, colds)
	submit := func(k *txtest.Keypair, nonce *uint64, c tx.Call) error {
		x, _ := tx.Sign(k, e.GenesisHash(), *nonce, c)
		*nonce++
		_, err := e.Submit(x.Encode())
		return err
	}
	if err := submit(txtest.Key("cold0"), &nonce[0], tx.RegisterNetwork{Hotkey: txtest.Key("hot0").PublicKey()}); err != nil {
		return nil, err
	}
	if _, err := e.ProduceBlock(); err != nil {
		return nil, err
	}
	if err := submit(txtest.Key("cold0"), &nonce[0], tx.StartCall{Netuid: 1}); err != nil {
		return nil, err
	}
	for i := 1; i < n; i++ {
		c := i % colds
		if err := submit(txtest.Key(fmt.Sprintf("cold%d", c)), &nonce[c], tx.BurnedRegister{Netuid: 1, Hotkey: txtest.Key(fmt.Sprintf("hot%d", i)).PublicKey()}); err != nil {
			return nil, err
		}
	}
	for v := 0; v < validators; v++ {
		c := v % colds
		if err := submit(txtest.Key(fmt.Sprintf("cold%d", c)), &nonce[c], tx.AddStake{Hotkey: txtest.Key(fmt.Sprintf("hot%d", v)).PublicKey(), Netuid: 1, Amount: 1e9}); err != nil {
			return nil, err
		}
	}
	for i := 0; i < 12; i++ {
		if _, err := e.ProduceBlock(); err != nil {
			return nil, err
		}
	}
	uids, weights := make([]uint16, n), make([]uint16, n)
	for i := range uids {
		uids[i], weights[i] = uint16(i), uint16(i%1000+1)
	}
	for v := 0; v < validators; v++ {
		var vn uint64
		if err := submit(txtest.Key(fmt.Sprintf("hot%d", v)), &vn, tx.SetWeights{Netuid: 1, Dests: uids, Weights: weights}); err != nil {
			return nil, err
		}
	}
	for i := 0; i < 12; i++ {
		blk, err := e.ProduceBlock()
		if err != nil {
			return nil, err
		}
		for _, r := range blk.Results {
			if !r.OK() {
				return nil, fmt.Errorf("%s: %s", r.Call, r.Log)
			}
		}
	}
	return nd, nil
}

func benchSync(b *testing.B, opts ...metagraph.Option) {
	nd := bigSubnet(b)
	ctx := context.Background()
	c, err := client.Dial(ctx, "ws://"+nd.RPCAddr.String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := metagraph.Sync(ctx, c, 1, opts...)
		if err != nil {
			b.Fatal(err)
		}
		if m.N != 4096 || m.Hotkeys[4095].IsZero() {
			b.Fatalf("n = %d", m.N)
		}
		if !m.Lite {
			var sum float32
			for _, w := range m.WeightsOf(63) {
				sum += w
			}
			if sum < 0.99 || !m.ValidatorPermit[63] {
				b.Fatalf("validator 63: weights sum %v, permit %v", sum, m.ValidatorPermit[63])
			}
		}
	}
}

// BenchmarkMetagraphSync4096Lite is a lite metagraph sync of n = 4096 over WebSocket RPC (target ≤ 100 ms).
func BenchmarkMetagraphSync4096Lite(b *testing.B) { benchSync(b, metagraph.Lite()) }

// BenchmarkMetagraphSync4096Full adds the weights and bonds (64 validators × 4096 weights).
func BenchmarkMetagraphSync4096Full(b *testing.B) { benchSync(b) }

// BenchmarkMetagraphRPC4096Full is the RPC round trip alone (no float conversion).
func BenchmarkMetagraphRPC4096Full(b *testing.B) {
	nd := bigSubnet(b)
	ctx := context.Background()
	c, err := client.Dial(ctx, "ws://"+nd.RPCAddr.String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Metagraph(ctx, 1, false); err != nil {
			b.Fatal(err)
		}
	}
}
