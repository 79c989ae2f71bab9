package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gotensor/gotensor/node/server"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/pow"
)

// TestInProcessClient drives the client through node/rpc's in-process transport: no network at all.
func TestInProcessClient(t *testing.T) {
	n := startNode(t, 30*time.Millisecond)
	c := client.New(n.RPC.InProcess())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	heads, err := c.SubscribeHeads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	<-heads
	alice, dave := key(t, "//Alice"), key(t, "//Dave//fresh")
	before, _ := c.Balance(ctx, acct(alice))
	r, err := c.Transfer(ctx, alice, acct(dave), 5*client.RaoPerTAO)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Balance(ctx, acct(dave)); got != 5*client.RaoPerTAO {
		t.Fatalf("dave holds %v", got)
	}
	// The past still reads the past.
	if got, err := c.At(r.Block-1).Balance(ctx, acct(dave)); err != nil || got != 0 {
		t.Fatalf("dave at block %d: %v %v", r.Block-1, got, err)
	}
	if after, _ := c.Balance(ctx, acct(alice)); after != before-5*client.RaoPerTAO {
		t.Fatalf("alice %v → %v", before, after)
	}
	// Pipelined transactions with managed nonces, then wait for the last.
	var last *client.Receipt
	for i := 0; i < 20; i++ {
		last, err = c.Transfer(ctx, alice, acct(dave), client.RaoPerTAO, client.WithoutWait())
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.WaitForInclusion(ctx, last.Hash); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Balance(ctx, acct(dave)); got != 25*client.RaoPerTAO {
		t.Fatalf("dave holds %v after 20 more (last %s)", got, last.Hash)
	}
	// Two clients share a signer: each one's cached nonce goes stale and is refreshed transparently.
	c2 := client.New(n.RPC.InProcess())
	for i := 0; i < 3; i++ {
		if _, err := c.Transfer(ctx, alice, acct(dave), 1, client.WithoutWait()); err != nil {
			t.Fatal(err)
		}
		if _, err := c2.Transfer(ctx, alice, acct(dave), 1, client.WithoutWait()); err != nil {
			t.Fatalf("second client: %v", err)
		}
	}
	// Insufficient balance is a typed error; the next transaction still goes through (nonce reset).
	_, err = c.Transfer(ctx, dave, acct(alice), 1000*client.RaoPerTAO)
	if !errors.Is(err, client.TxErr("InsufficientBalance")) {
		t.Fatalf("overspend: %v", err)
	}
	if _, err := c.Transfer(ctx, dave, acct(alice), client.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	// The faucet (dev genesis) pays a proof of work over the coldkey.
	if _, err := c.SudoSetGlobal(ctx, alice, "faucet_difficulty", 2_000); err != nil {
		t.Fatal(err)
	}
	eve := key(t, "//Eve//faucet")
	if _, err := c.Faucet(ctx, eve, &pow.CPUSolver{Processors: 1, HashRate: 1e5}); err != nil {
		t.Fatalf("faucet: %v", err)
	}
	if got, _ := c.Balance(ctx, acct(eve)); got == 0 {
		t.Fatal("faucet paid nothing")
	}
	// Unknown subnet and pruned state are named errors.
	if _, err := c.SubnetInfo(ctx, 77); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("subnet 77: %v", err)
	}
	if _, err := c.At(1 << 40).Subnets(ctx); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("future block: %v", err)
	}
	em, err := c.Emission(ctx)
	if err != nil || em.BlockEmission == 0 || em.TotalIssuance == 0 || len(em.Subnets) == 0 {
		t.Fatalf("emission %+v %v", em, err)
	}
	info, err := c.Info(ctx)
	if err != nil || info.ChainID != "gotensor-dev-fast" || info.BlockTime != 30*time.Millisecond {
		t.Fatalf("%+v %v", info, err)
	}
}

func TestPrunedIsNamed(t *testing.T) {
	n, err := server.Start(context.Background(), server.Config{Home: t.TempDir(), RPCAddr: "127.0.0.1:0", BlockTime: time.Hour, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Stop()
	for i := 0; i < 300; i++ {
		if _, err := n.Engine.ProduceBlock(); err != nil {
			t.Fatal(err)
		}
	}
	c := client.New(n.RPC.InProcess())
	if _, err := c.At(10).Subnets(context.Background()); !errors.Is(err, client.ErrPruned) || !strings.Contains(err.Error(), "--archive") {
		t.Fatalf("%v", err)
	}
}
