package client_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/node/server"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/metagraph"
	"github.com/gotensor/gotensor/sdk/pow"
	"github.com/gotensor/gotensor/sdk/substrate"
	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/substratetest"
)

// The client contract: the same read cases run against the gotensor node (in process) and against the
// substrate backend over a loopback replay of the recorded finney conversation (subnet 1, 1,024 uids).
// Only what the recordings cover is asked of the replay: it fails on any unrecorded request.

// readContract checks one backend's reads of a subnet with neurons.
func readContract(t *testing.T, ctx context.Context, c client.Chain, netuid uint16, minN int) {
	t.Helper()
	head, err := c.Head(ctx)
	if err != nil {
		t.Fatalf("Head: %v", err)
	}
	if head.Height == 0 {
		t.Fatal("Head: height 0")
	}
	mg, err := c.Metagraph(ctx, netuid, true)
	if err != nil {
		t.Fatalf("Metagraph: %v", err)
	}
	n := int(mg.N)
	if n < minN || mg.Netuid != netuid || mg.Subnet.Netuid != netuid || mg.Block == 0 || mg.Block > head.Height {
		t.Fatalf("Metagraph: netuid %d n %d block %d (head %d)", mg.Netuid, n, mg.Block, head.Height)
	}
	for name, l := range map[string]int{"hotkeys": len(mg.Hotkeys), "coldkeys": len(mg.Coldkeys), "stake": len(mg.TotalStake),
		"rank": len(mg.Rank), "trust": len(mg.Trust), "consensus": len(mg.Consensus), "incentive": len(mg.Incentive),
		"dividends": len(mg.Dividends), "emission": len(mg.Emission), "active": len(mg.Active), "last_update": len(mg.LastUpdate),
		"validator_permit": len(mg.ValidatorPermit), "axons": len(mg.Axons)} {
		if l != n {
			t.Fatalf("Metagraph column %s has %d entries for %d uids", name, l, n)
		}
	}
	if tempo, ok := mg.Hyperparameters.Get("tempo"); !ok || tempo == 0 {
		t.Fatalf("Metagraph hyperparameters: tempo %d %v", tempo, ok)
	}
	lite, err := c.NeuronsLite(ctx, netuid)
	if err != nil {
		t.Fatalf("NeuronsLite: %v", err)
	}
	if len(lite) != n {
		t.Fatalf("NeuronsLite: %d neurons, metagraph %d", len(lite), n)
	}
	for i, nl := range lite {
		if int(nl.UID) != i || nl.Netuid != netuid || nl.Hotkey != mg.Hotkeys[i] || nl.Coldkey != mg.Coldkeys[i] {
			t.Fatalf("uid %d: NeuronsLite (uid %d, %s) disagrees with Metagraph (%s)", i, nl.UID, nl.Hotkey, mg.Hotkeys[i])
		}
	}
	past, err := c.At(mg.Block).Metagraph(ctx, netuid, true)
	if err != nil {
		t.Fatalf("At(%d).Metagraph: %v", mg.Block, err)
	}
	if past.Block != mg.Block || len(past.Hotkeys) != n || past.Hotkeys[n-1] != mg.Hotkeys[n-1] {
		t.Fatalf("At(%d).Metagraph: block %d, %d uids", mg.Block, past.Block, len(past.Hotkeys))
	}
}

func TestContractGotensorNode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node")
	}
	n, err := server.Start(context.Background(), server.Config{Home: t.TempDir(), RPCAddr: "127.0.0.1:0", Fast: true,
		BlockTime: 40 * time.Millisecond, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Stop() })
	c := client.New(n.RPC.InProcess())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	kp := func(uri string) *keys.Keypair {
		k, err := keys.FromURI(uri)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	alice, bob := kp("//Alice"), kp("//Bob")
	netuid, _, err := c.RegisterNetwork(ctx, alice, client.AccountID(kp("//Alice//hot").PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.BurnedRegister(ctx, bob, netuid, client.AccountID(kp("//Bob//hot").PublicKey())); err != nil {
		t.Fatal(err)
	}
	readContract(t, ctx, c, netuid, 2)

	// The gotensor chain has hash commit-reveal only: a timelocked commit is a typed refusal.
	_, _, err = c.CommitTimelockedWeights(ctx, kp("//Bob//hot"), netuid, []uint16{0}, []uint16{1}, 0)
	var ue *client.UnsupportedError
	if !errors.As(err, &ue) || ue.Backend != "gotensor" || ue.Op != "CommitTimelockedWeights" {
		t.Fatalf("CommitTimelockedWeights on the gotensor node: %v", err)
	}
}

func TestContractSubstrateReplay(t *testing.T) {
	r := substratetest.Replay(t, substratetest.SeedMetagraph)
	ws, _ := substratetest.Server(t, r)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.DialSubstrate(ctx, ws, substrate.Options{Client: rpc.ClientOptions{Retries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	readContract(t, ctx, c, 1, 1024)

	// The finney figures themselves (block 6,852,690, subnet 1 "Apex").
	mg, err := c.Metagraph(ctx, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	if mg.Block != 6852690 || mg.N != 1024 || mg.Subnet.MaxUids < 1024 {
		t.Fatalf("metagraph block %d n %d max %d", mg.Block, mg.N, mg.Subnet.MaxUids)
	}
	var staked, permits int
	for i := range mg.TotalStake {
		if mg.TotalStake[i] > 0 {
			staked++
		}
		if mg.ValidatorPermit[i] {
			permits++
		}
	}
	if staked == 0 || permits == 0 {
		t.Fatalf("%d staked uids, %d validator permits", staked, permits)
	}
	// What miners and validators sync with.
	sm, err := metagraph.Sync(ctx, c, 1, metagraph.Lite())
	if err != nil || sm.N != 1024 || sm.Block != 6852690 {
		t.Fatalf("metagraph.Sync: %v", err)
	}
}

// TestSubstrateUnsupported: what subtensor lacks, or what is not mapped, is a typed error naming the
// operation and the backend, never a silent no-op; nothing is sent to the chain.
func TestSubstrateUnsupported(t *testing.T) {
	r := substratetest.Replay(t, substratetest.SeedMetagraph)
	ctx := context.Background()
	b, err := substrate.New(ctx, r, substrate.Options{Genesis: &substrate.FinneyGenesis})
	if err != nil {
		t.Fatal(err)
	}
	c := client.NewSubstrate(b)
	alice, _ := keys.FromURI("//Alice")
	checks := map[string]error{}
	_, checks["Faucet"] = c.Faucet(ctx, alice, &pow.CPUSolver{Processors: 1})
	_, checks["SudoSetGlobal"] = c.SudoSetGlobal(ctx, alice, "x", 1)
	_, checks["SudoSetHyperparameter"] = c.SudoSetHyperparameter(ctx, alice, 1, "x", 1)
	_, checks["Block"] = c.Block(ctx, 1)
	_, checks["WaitForInclusion"] = c.WaitForInclusion(ctx, client.Hash{})
	_, checks["Metagraph with weights"] = c.Metagraph(ctx, 1, false)
	for op, err := range checks {
		var ue *client.UnsupportedError
		if !errors.Is(err, client.ErrUnsupported) || !errors.As(err, &ue) || ue.Backend != "substrate" {
			t.Errorf("%s: %v, want an UnsupportedError", op, err)
		}
	}
	if calls := r.Calls(); len(calls) != 0 {
		t.Fatalf("unsupported operations reached the chain: %v", calls)
	}
}

// captureSubmit answers author_submitExtrinsic itself (sr25519 signatures are randomised, so no recording
// can hold the bytes) and passes everything else to the strict replay.
type captureSubmit struct {
	rpc.Transport
	xts []string
}

func (c *captureSubmit) Call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	if method == "author_submitExtrinsic" {
		c.xts = append(c.xts, params[0].(string))
		return json.RawMessage(`"0x` + strings.Repeat("ab", 32) + `"`), nil
	}
	return c.Transport.Call(ctx, method, params...)
}

// TestSubstrateServeAxonBytes: ServeAxon through the client builds the extrinsic of the polkadot.js
// vector (same era, nonce, extensions and call at the recorded finney head), signed with sr25519 by the
// client's Signer, and submits it.
func TestSubstrateServeAxonBytes(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(substratetest.Dir(), "serve_axon_vector.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Extrinsic string }
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	tr := &captureSubmit{Transport: substratetest.Replay(t, substratetest.SeedMetagraph)}
	ctx := context.Background()
	b, err := substrate.New(ctx, tr, substrate.Options{Genesis: &substrate.FinneyGenesis})
	if err != nil {
		t.Fatal(err)
	}
	c := client.NewSubstrate(b)
	hot, _ := keys.FromURI("//Alice//hot")
	r, err := c.ServeAxon(ctx, hot, 1, client.Axon{IP: netip.MustParseAddr("192.222.59.109"), Port: 6028, Protocol: 4, Version: 9011001},
		client.WithoutWait(), client.WithNonce(7))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.xts) != 1 || r.Hash == (client.Hash{}) {
		t.Fatalf("submitted %d, receipt %+v", len(tr.xts), r)
	}
	got, want := strings.TrimPrefix(tr.xts[0], "0x"), strings.TrimPrefix(v.Extrinsic, "0x")
	// length prefix (2 bytes), version 0x84, address 0x00+32 bytes, signature variant + 64 bytes
	const sigEnd = 2*2 + 2*(1+1+32+1+64)
	if len(got) != len(want) || got[:4] != want[:4] || got[sigEnd:] != want[sigEnd:] {
		t.Fatalf("extrinsic\n got %s\nwant %s", got, want)
	}
	pub := hot.PublicKey()
	if got[6:8] != "00" || got[8:72] != hex.EncodeToString(pub[:]) || got[72:74] != "01" {
		t.Fatalf("not an sr25519 extrinsic of the signer: %s", got[:80])
	}
}

// inclusionScript plays a node without subscriptions on which the submitted extrinsic lands in the
// recorded head block with the given events; everything else goes to the strict replay.
type inclusionScript struct {
	rpc.Transport
	events string // System.Events of the head block, hex
	xt     string
}

func (s *inclusionScript) Call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	switch {
	case method == "author_submitExtrinsic":
		s.xt = params[0].(string)
		return json.RawMessage(`"0x` + strings.Repeat("cd", 32) + `"`), nil
	case method == "chain_getBlock" && s.xt != "":
		return json.Marshal(map[string]any{"block": map[string]any{
			"header":     map[string]any{"number": "0x689052", "parentHash": "0x7348409fe36728fa2ac7f0886346fd35b79804d294046d152ba1baccd9d0be3a"},
			"extrinsics": []string{"0x280403000b", s.xt}}})
	case method == "state_getRuntimeVersion" && len(params) == 1 && params[0] == substratetest.HeadHash:
		return json.RawMessage(`{"specName":"node-subtensor","specVersion":343,"transactionVersion":1}`), nil
	case method == "state_getStorageAt" && s.xt != "":
		return json.Marshal(s.events)
	}
	return s.Transport.Call(ctx, method, params...)
}

// TestSubstrateSetWeightsInclusion: SetWeights through the client waits for inclusion (polling blocks, as
// over HTTP) and maps System.ExtrinsicFailed to a *TxError with the pallet error name; a success is a
// receipt with the block and the events.
func TestSubstrateSetWeightsInclusion(t *testing.T) {
	b15, err := os.ReadFile(filepath.Join(substratetest.Dir(), "metadata-v15-spec343.opaque"))
	if err != nil {
		t.Fatal(err)
	}
	md, err := metadata.Parse(b15)
	if err != nil {
		t.Fatal(err)
	}
	c := codec.New(md)
	_, entry, err := md.Storage("System", "Events")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := md.Pallet("SubtensorModule")
	tooFast, _ := md.Types.MustType(*p.Errors).VariantByName("SettingWeightsTooFast")
	info := map[string]any{"weight": map[string]any{"ref_time": uint64(1000), "proof_size": uint64(10)}, "class": "Normal", "pays_fee": "Yes"}
	rec := func(idx uint32, pallet, name string, fields ...any) map[string]any {
		return map[string]any{"phase": codec.Variant{Name: "ApplyExtrinsic", Fields: []any{idx}},
			"event": codec.Variant{Name: pallet, Fields: []any{codec.Variant{Name: name, Fields: fields}}}, "topics": [][32]byte{}}
	}
	encode := func(recs ...any) string {
		b, err := c.Encode(entry.Value, recs)
		if err != nil {
			t.Fatal(err)
		}
		return "0x" + hex.EncodeToString(b)
	}
	failed := encode(rec(0, "System", "ExtrinsicSuccess", info), rec(1, "System", "ExtrinsicFailed",
		codec.Variant{Name: "Module", Fields: []any{map[string]any{"index": p.Index, "error": [4]byte{tooFast.Index}}}}, info))
	succeeded := encode(rec(0, "System", "ExtrinsicSuccess", info), rec(1, "SubtensorModule", "WeightsSet", uint16(1), uint16(0)),
		rec(1, "System", "ExtrinsicSuccess", info))

	hot, _ := keys.FromURI("//Alice//hot")
	for _, tc := range []struct {
		events string
		ok     bool
	}{{failed, false}, {succeeded, true}} {
		rp := substratetest.Replay(t, substratetest.SeedMetagraph)
		// SetWeights first reads whether subnet 1 has commit-reveal on (it then commits timelocked instead).
		crKey, _, err := md.StorageKey("SubtensorModule", "CommitRevealWeightsEnabled", []byte{1, 0})
		if err != nil {
			t.Fatal(err)
		}
		_ = rp.AddResult("state_getStorageAt", []any{"0x" + hex.EncodeToString(crKey), substratetest.HeadHash}, "0x00")
		sc := &inclusionScript{Transport: rp, events: tc.events}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		b, err := substrate.New(ctx, sc, substrate.Options{Genesis: &substrate.FinneyGenesis})
		if err != nil {
			t.Fatal(err)
		}
		r, err := client.NewSubstrate(b).SetWeights(ctx, hot, 1, []uint16{0, 1}, []uint16{1, 2}, 0, client.WithNonce(3))
		cancel()
		if !tc.ok {
			var te *client.TxError
			if !errors.As(err, &te) || !te.Included || te.Call != "set_weights" || !errors.Is(err, client.TxErr("SettingWeightsTooFast")) {
				t.Fatalf("failure: %#v", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if r.Block != 0x689052 || r.Index != 1 || r.Call != "set_weights" {
			t.Fatalf("receipt %+v", r)
		}
		if _, ok := r.Event("WeightsSet"); !ok {
			t.Fatalf("events %+v", r.Events)
		}
	}
}
