package server_test

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/node/server"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/metagraph"
	"github.com/gotensor/gotensor/sdk/pow"
)

func key(t *testing.T, uri string) *keys.Keypair {
	t.Helper()
	kp, err := keys.FromURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

func acct(k *keys.Keypair) client.AccountID { return client.AccountID(k.PublicKey()) }

func startNode(t *testing.T, blockTime time.Duration) *server.Node {
	t.Helper()
	n, err := server.Start(context.Background(), server.Config{Home: t.TempDir(), RPCAddr: "127.0.0.1:0", Fast: true,
		BlockTime: blockTime, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Stop() })
	return n
}

// waitEpoch waits for an EpochRun event of netuid in a block after the given one.
func waitEpoch(t *testing.T, ctx context.Context, evs <-chan client.BlockEvents, netuid uint16, after uint64) uint64 {
	t.Helper()
	for {
		select {
		case <-ctx.Done():
			t.Fatalf("no epoch on subnet %d: %v", netuid, ctx.Err())
		case b := <-evs:
			for _, e := range b.Events {
				if b.Height > after && e.Name == runtime.EvEpochRun && e.Attr("netuid") == strconv.Itoa(int(netuid)) {
					return b.Height
				}
			}
		}
	}
}

// TestIntegration drives a fast in-process node through the WebSocket client: subnet, burn and PoW
// registration, axon, stake, commit-reveal weights, epochs, and the metagraph against the runtime.
func TestIntegration(t *testing.T) {
	n := startNode(t, 60*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, "ws://"+n.RPCAddr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	evs, err := c.SubscribeEvents(ctx, runtime.EvEpochRun)
	if err != nil {
		t.Fatal(err)
	}

	alice, aliceHot := key(t, "//Alice"), key(t, "//Alice//hot")
	bob, bobHot := key(t, "//Bob"), key(t, "//Bob//hot")
	charlie, charlieHot := key(t, "//Charlie"), key(t, "//Charlie//hot")

	netuid, _, err := c.RegisterNetwork(ctx, alice, acct(aliceHot))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.StartCall(ctx, alice, netuid); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SudoSetHyperparameter(ctx, alice, netuid, "weights_rate_limit", 0); err != nil {
		t.Fatal(err)
	}
	hp, err := c.Hyperparameters(ctx, netuid)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := hp.Get("tempo"); v != 10 {
		t.Fatalf("tempo %d, want 10 (fast dev genesis)", v)
	}

	uidBob, _, err := c.BurnedRegister(ctx, bob, netuid, acct(bobHot))
	if err != nil {
		t.Fatal(err)
	}
	uidCharlie, rc, err := c.PowRegister(ctx, charlieHot, charlie, netuid, &pow.CPUSolver{Processors: 1, HashRate: 1e5})
	if err != nil {
		t.Fatal(err)
	}
	if uidBob != 1 || uidCharlie != 2 || rc == nil {
		t.Fatalf("uids %d %d", uidBob, uidCharlie)
	}
	if _, err := c.ServeAxon(ctx, bobHot, netuid, client.Axon{IP: netip.MustParseAddr("10.1.2.3"), Port: 8091, Protocol: 4, Version: 1}); err != nil {
		t.Fatal(err)
	}
	cert := append([]byte{1}, make([]byte, 32)...)
	cert[5] = 0xAB
	if _, err := c.ServeAxon(ctx, charlieHot, netuid, client.Axon{IP: netip.MustParseAddr("2001:db8::7"), Port: 9000, Protocol: 4, Certificate: cert}); err != nil {
		t.Fatal(err)
	}
	cn, err := c.Neuron(ctx, netuid, uidCharlie)
	if err != nil || cn.Certificate == nil || cn.Certificate.Algorithm != 1 || cn.Certificate.PublicKey[4] != 0xAB ||
		cn.Axon.IP != netip.MustParseAddr("2001:db8::7") || cn.Axon.IPType != 6 {
		t.Fatalf("charlie's TLS axon: %+v %v", cn, err)
	}
	// A refused call is a typed error with the chain's name.
	_, err = c.SetWeights(ctx, aliceHot, netuid, []uint16{1, 2}, []uint16{1, 1}, 0)
	if !errors.Is(err, client.TxErr("CommitRevealEnabled")) {
		t.Fatalf("set_weights with commit-reveal on: %v", err)
	}
	if _, err := c.AddStake(ctx, alice, acct(aliceHot), netuid, 100*client.RaoPerTAO); err != nil {
		t.Fatal(err)
	}
	stake, err := c.Stake(ctx, acct(aliceHot), acct(alice), netuid)
	if err != nil || stake == 0 {
		t.Fatalf("stake %d %v", stake, err)
	}
	head, _ := c.Head(ctx)
	waitEpoch(t, ctx, evs, netuid, head.Height)
	own, err := c.Neuron(ctx, netuid, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !own.ValidatorPermit {
		t.Fatal("the staked owner hotkey has no validator permit after an epoch")
	}

	uids, weights, salt := []uint16{1, 2}, []uint16{30000, 10000}, []uint16{7, 8, 9}
	if _, err := c.CommitWeights(ctx, aliceHot, netuid, client.CommitHash(acct(aliceHot), netuid, uids, weights, salt, 0)); err != nil {
		t.Fatal(err)
	}
	commits, err := c.PendingCommits(ctx, netuid, acct(aliceHot))
	if err != nil || len(commits) != 1 {
		t.Fatalf("commits %v %v", commits, err)
	}
	if _, err := c.WaitForBlock(ctx, commits[0].FirstRevealBlock); err != nil {
		t.Fatal(err)
	}
	rv, err := c.RevealWeights(ctx, aliceHot, netuid, uids, weights, salt, 0)
	if err != nil {
		t.Fatal(err)
	}
	waitEpoch(t, ctx, evs, netuid, waitEpoch(t, ctx, evs, netuid, rv.Block))

	mg, err := metagraph.Sync(ctx, c, netuid)
	if err != nil {
		t.Fatal(err)
	}
	if mg.N != 3 {
		t.Fatalf("metagraph n %d", mg.N)
	}
	// Check against the runtime at the same block.
	at := mg.Block
	_, err = n.Engine.Read(&at, func(r *runtime.Runtime) error {
		m, ok := r.Metagraph(netuid, true)
		if !ok {
			t.Fatal("runtime has no metagraph")
		}
		for uid := 0; uid < mg.N; uid++ {
			nr, _ := r.Neuron(netuid, uint16(uid))
			if mg.Hotkeys[uid] != client.AccountID(nr.Hotkey) || mg.Coldkeys[uid] != client.AccountID(nr.Coldkey) {
				t.Errorf("uid %d keys differ", uid)
			}
			if got, want := mg.Stake[uid], float32(float64(m.TotalStake[uid])/1e9); got != want {
				t.Errorf("uid %d stake %v, want %v", uid, got, want)
			}
			if got, want := mg.Incentive[uid], float32(nr.Incentive)/65535; got != want {
				t.Errorf("uid %d incentive %v, want %v", uid, got, want)
			}
			if got, want := mg.Dividends[uid], float32(nr.Dividends)/65535; got != want {
				t.Errorf("uid %d dividends %v, want %v", uid, got, want)
			}
			if got, want := mg.Emission[uid], float32(float64(nr.Emission)/1e9); got != want {
				t.Errorf("uid %d emission %v, want %v", uid, got, want)
			}
			if mg.ValidatorPermit[uid] != nr.ValidatorPermit || mg.LastUpdate[uid] != nr.LastUpdate || mg.Active[uid] != nr.Active {
				t.Errorf("uid %d permit/last_update/active differ", uid)
			}
			if mg.Axons[uid].Port != nr.Axon.Port {
				t.Errorf("uid %d axon port %d, want %d", uid, mg.Axons[uid].Port, nr.Axon.Port)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if a := mg.Axons[uidBob]; a.IP != netip.MustParseAddr("10.1.2.3") || a.Port != 8091 || mg.Addresses()[uidBob] != "/ipv4/10.1.2.3:8091" {
		t.Fatalf("bob's axon %+v", a)
	}
	w := mg.W()[0]
	if w[1] != 0.75 || w[2] != 0.25 {
		t.Fatalf("validator weights row %v, want [0 0.75 0.25]", w)
	}
	if mg.Incentive[1] <= mg.Incentive[2] || mg.Incentive[2] == 0 {
		t.Fatalf("incentive %v: the miners' epoch outputs are missing", mg.Incentive)
	}
	if v, ok := mg.UIDOf(acct(charlieHot)); !ok || v != uidCharlie {
		t.Fatalf("UIDOf charlie %d %v", v, ok)
	}
	// Save and load.
	path := filepath.Join(t.TempDir(), "mg.json")
	if err := mg.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := metagraph.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.N != mg.N || back.Axons[1] != mg.Axons[1] || back.W()[0][1] != 0.75 || back.Hotkeys[2] != mg.Hotkeys[2] {
		t.Fatal("metagraph changed in a save/load round trip")
	}
	// A past block reads the past: before Charlie registered, the subnet had two neurons.
	past, err := c.At(rc.Block-1).SubnetInfo(ctx, netuid)
	if err != nil || past.N != 2 {
		t.Fatalf("subnet at block %d: %+v %v", rc.Block-1, past, err)
	}
	lite, err := metagraph.Sync(ctx, c, netuid, metagraph.Lite(), metagraph.AtBlock(rc.Block))
	if err != nil || lite.N != 3 || lite.W() != nil || lite.Block != rc.Block {
		t.Fatalf("lite metagraph at %d: %+v %v", rc.Block, lite, err)
	}
}

func TestNoNodeError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := client.Dial(ctx, "ws://127.0.0.1:1")
	if !errors.Is(err, client.ErrNoNode) || !strings.Contains(err.Error(), "no node at 127.0.0.1:1: is `gotensor node` running?") {
		t.Fatalf("error %v", err)
	}
}
