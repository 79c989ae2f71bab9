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
)

// TestFloodOverRPC sends 10,000 transfers from 40 accounts concurrently through the WebSocket client
// (managed nonces, no waiting, the node's rate limit in the way) and checks that every one is included
// exactly once, in nonce order per account.
func TestFloodOverRPC(t *testing.T) {
	const accounts, per = 40, 250
	var accts []runtime.GenesisAccount
	for i := 0; i < accounts; i++ {
		accts = append(accts, runtime.GenesisAccount{Account: runtime.Hex32(txtest.Key(fmt.Sprintf("flood%d", i)).PublicKey()), Balance: 1e15})
	}
	g := runtime.DevGenesis("flood", accts[0].Account, accts...)
	n, err := server.Start(context.Background(), server.Config{Home: t.TempDir(), RPCAddr: "127.0.0.1:0", BlockTime: 100 * time.Millisecond,
		NoSync: true, Genesis: &g})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, "ws://"+n.RPCAddr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sink := client.AccountID(txtest.Key("flood-sink").PublicKey())
	hashes := make([][]client.Hash, accounts)
	var wg sync.WaitGroup
	errs := make(chan error, accounts)
	for a := 0; a < accounts; a++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := txtest.Key(fmt.Sprintf("flood%d", a))
			for i := 0; i < per; i++ {
				r, err := c.Transfer(ctx, k, sink, client.Balance(1000+a), client.WithoutWait())
				if err != nil {
					errs <- fmt.Errorf("account %d tx %d: %w", a, i, err)
					return
				}
				hashes[a] = append(hashes[a], r.Hash)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for a := range hashes {
		if _, err := c.WaitForInclusion(ctx, hashes[a][per-1]); err != nil {
			t.Fatal(err)
		}
	}
	// Scan the blocks: each hash once, nonces in order per signer.
	head, _ := c.Head(ctx)
	seen := map[[32]byte]int{}
	next := map[[32]byte]uint64{}
	for h := uint64(1); h <= head.Height; h++ {
		b, err := n.Engine.Block(h)
		if err != nil {
			t.Fatal(err)
		}
		for i, raw := range b.Txs {
			if !b.Results[i].OK() {
				t.Fatalf("block %d tx %d: %+v", h, i, b.Results[i])
			}
			x, _ := tx.Decode(raw)
			if x.Nonce != next[x.Signer] {
				t.Fatalf("signer %x nonce %d, want %d", x.Signer[:4], x.Nonce, next[x.Signer])
			}
			next[x.Signer]++
			seen[x.Hash()]++
		}
	}
	total := 0
	for a := range hashes {
		for _, h := range hashes[a] {
			if seen[h] != 1 {
				t.Fatalf("transfer %s included %d times", h, seen[h])
			}
			total++
		}
	}
	var want client.Balance
	for a := 0; a < accounts; a++ {
		want += client.Balance(per * (1000 + a))
	}
	if got, _ := c.Balance(ctx, sink); got != want || total != accounts*per {
		t.Fatalf("sink %v, want %v (%d transfers)", got, want, total)
	}
}
