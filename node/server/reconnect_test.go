package server_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/gotensor/gotensor/node/server"
	"github.com/gotensor/gotensor/sdk/client"
)

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestSubscriptionsSurviveRestart stops the node under a subscribed client, restarts it on the same
// address, and expects the event stream to continue with no block missing.
func TestSubscriptionsSurviveRestart(t *testing.T) {
	home, addr := t.TempDir(), freeAddr(t)
	cfg := server.Config{Home: home, RPCAddr: addr, Fast: true, BlockTime: 50 * time.Millisecond, NoSync: true}
	n, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, "ws://"+addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	evs, err := c.SubscribeEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	heads, err := c.SubscribeHeads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first := <-evs
	<-heads
	n.Stop()
	time.Sleep(200 * time.Millisecond)
	if _, err := c.Head(ctx); err == nil {
		t.Fatal("a call succeeded with the node down")
	}
	n, err = server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Stop()
	last := first.Height
	stopAt := n.Engine.Head().Height + 5
	for last < stopAt {
		select {
		case e := <-evs:
			if e.Height != last+1 {
				t.Fatalf("events jumped from block %d to %d", last, e.Height)
			}
			last = e.Height
		case <-ctx.Done():
			t.Fatalf("events stopped at block %d after the restart", last)
		}
	}
	// Heads resume too.
	select {
	case h := <-heads:
		for h.Height < stopAt {
			h = <-heads
		}
	case <-ctx.Done():
		t.Fatal("heads did not resume")
	}
}
