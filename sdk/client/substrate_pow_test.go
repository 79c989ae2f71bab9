package client_test

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/pow"
	"github.com/gotensor/gotensor/sdk/substrate"
	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
	"github.com/gotensor/gotensor/sdk/substrate/substratetest"
)

func meta343(t *testing.T) *metadata.Metadata {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(substratetest.Dir(), "metadata-v15-spec343.opaque"))
	if err != nil {
		t.Fatal(err)
	}
	md, err := metadata.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return md
}

// outcomeEvents encodes the head block's System.Events with the extrinsic at index 1 succeeding (failure
// "") or failing with the SubtensorModule error named failure.
func outcomeEvents(t *testing.T, md *metadata.Metadata, failure string) string {
	t.Helper()
	c := codec.New(md)
	_, entry, err := md.Storage("System", "Events")
	if err != nil {
		t.Fatal(err)
	}
	info := map[string]any{"weight": map[string]any{"ref_time": uint64(1000), "proof_size": uint64(10)}, "class": "Normal", "pays_fee": "Yes"}
	rec := func(idx uint32, pallet, name string, fields ...any) map[string]any {
		return map[string]any{"phase": codec.Variant{Name: "ApplyExtrinsic", Fields: []any{idx}},
			"event": codec.Variant{Name: pallet, Fields: []any{codec.Variant{Name: name, Fields: fields}}}, "topics": [][32]byte{}}
	}
	last := rec(1, "System", "ExtrinsicSuccess", info)
	if failure != "" {
		p, _ := md.Pallet("SubtensorModule")
		v, ok := md.Types.MustType(*p.Errors).VariantByName(failure)
		if !ok {
			t.Fatalf("no error %s", failure)
		}
		last = rec(1, "System", "ExtrinsicFailed", codec.Variant{Name: "Module", Fields: []any{map[string]any{"index": p.Index, "error": [4]byte{v.Index}}}}, info)
	}
	b, err := c.Encode(entry.Value, []any{rec(0, "System", "ExtrinsicSuccess", info), last})
	if err != nil {
		t.Fatal(err)
	}
	return "0x" + hex.EncodeToString(b)
}

// powChain plays a subtensor node for PowRegister over the strict replay of the recorded head: the
// subnet's Difficulty and the hotkey's Uids entry are scripted, every submitted extrinsic lands at index 1
// of the head block, and the n-th submission's outcome is outcomes[n] ("" for success, else a
// SubtensorModule error). A success or HotKeyAlreadyRegisteredInSubNet leaves the hotkey registered as uid 5.
type powChain struct {
	rpc.Transport
	uidsKey, diffKey, eventsKey string
	difficulty                  uint64
	outcomes, events            []string
	registered                  bool
	xts                         []string
	// staleAfter > 0 makes the first header read after that many difficulty reads (the solver reads it
	// twice per solve, so 2 means PowRegister's staleness check) report a head 5 blocks ahead;
	// difficultyReads counts the solver's reads of the difficulty.
	staleAfter, difficultyReads int
	staleArmed                  bool
}

func newPowChain(t *testing.T, hot [32]byte, outcomes ...string) *powChain {
	md := meta343(t)
	key := func(pallet, item string, k ...[]byte) string {
		b, _, err := md.StorageKey(pallet, item, k...)
		if err != nil {
			t.Fatal(err)
		}
		return "0x" + hex.EncodeToString(b)
	}
	pc := &powChain{Transport: substratetest.Replay(t, substratetest.SeedMetagraph), difficulty: 1000, outcomes: outcomes,
		uidsKey: key("SubtensorModule", "Uids", []byte{1, 0}, hot[:]), diffKey: key("SubtensorModule", "Difficulty", []byte{1, 0}),
		eventsKey: key("System", "Events")}
	for _, o := range outcomes {
		pc.events = append(pc.events, outcomeEvents(t, md, o))
	}
	return pc
}

func (p *powChain) Call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	switch {
	case method == "author_submitExtrinsic":
		p.xts = append(p.xts, params[0].(string))
		return json.RawMessage(`"0x` + strings.Repeat("cd", 32) + `"`), nil
	case method == "chain_getHeader" && p.staleArmed:
		p.staleArmed = false
		return json.RawMessage(`{"number":"0x689057","parentHash":"0x7348409fe36728fa2ac7f0886346fd35b79804d294046d152ba1baccd9d0be3a"}`), nil
	case method == "system_accountNextIndex":
		return json.RawMessage("9"), nil
	case method == "chain_getBlock" && len(p.xts) > 0:
		return json.Marshal(map[string]any{"block": map[string]any{
			"header":     map[string]any{"number": "0x689052", "parentHash": "0x7348409fe36728fa2ac7f0886346fd35b79804d294046d152ba1baccd9d0be3a"},
			"extrinsics": []string{"0x280403000b", p.xts[len(p.xts)-1]}}})
	case method == "state_getRuntimeVersion" && len(params) == 1 && params[0] == substratetest.HeadHash:
		return json.RawMessage(`{"specName":"node-subtensor","specVersion":343,"transactionVersion":1}`), nil
	case method == "state_getStorageAt":
		switch strings.ToLower(params[0].(string)) {
		case p.diffKey:
			p.difficultyReads++
			if p.difficultyReads == p.staleAfter {
				p.staleArmed = true
			}
			return json.Marshal("0x" + hex.EncodeToString(binary.LittleEndian.AppendUint64(nil, p.difficulty)))
		case p.uidsKey:
			if p.registered {
				return json.RawMessage(`"0x0500"`), nil
			}
			return json.RawMessage("null"), nil
		case p.eventsKey:
			n := len(p.xts) - 1
			if o := p.outcomes[n]; o == "" || o == "HotKeyAlreadyRegisteredInSubNet" {
				p.registered = true
			}
			return json.Marshal(p.events[n])
		}
	}
	return p.Transport.Call(ctx, method, params...)
}

// registerXt reads back a submitted register extrinsic: its signer and nonce, and the call's block
// number, nonce, work, hotkey and coldkey (the call is the last 117 bytes: 7, 6, netuid, block_number,
// nonce, compact 32, work, hotkey, coldkey).
type registerXt struct {
	signer, hotkey, coldkey, work [32]byte
	sigScheme                     byte
	xtNonce, block, nonce         uint64
	pallet, call                  byte
}

func readRegister(t *testing.T, xt string) registerXt {
	t.Helper()
	raw, err := hex.DecodeString(strings.TrimPrefix(xt, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	d := scale.NewDecoder(raw)
	if _, err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	var r registerXt
	head, _ := d.Bytes(2) // version, address variant
	if head[0] != 0x84 || head[1] != 0 {
		t.Fatalf("not a signed v4 extrinsic: %x", head)
	}
	s, _ := d.Bytes(32)
	copy(r.signer[:], s)
	sc, _ := d.Bytes(1)
	r.sigScheme = sc[0]
	_ = d.Skip(64 + 2) // signature, mortal era
	r.xtNonce, _ = d.Compact()
	call := raw[len(raw)-117:]
	r.pallet, r.call = call[0], call[1]
	if call[2] != 1 || call[3] != 0 || call[20] != 0x80 {
		t.Fatalf("call %x", call)
	}
	r.block = binary.LittleEndian.Uint64(call[4:])
	r.nonce = binary.LittleEndian.Uint64(call[12:])
	copy(r.work[:], call[21:53])
	copy(r.hotkey[:], call[53:85])
	copy(r.coldkey[:], call[85:117])
	return r
}

func powClient(t *testing.T, pc *powChain) *client.Substrate {
	t.Helper()
	b, err := substrate.New(context.Background(), pc, substrate.Options{Genesis: &substrate.FinneyGenesis})
	if err != nil {
		t.Fatal(err)
	}
	return client.NewSubstrate(b)
}

// TestSubstratePowRegister: PowRegister solves the little-endian seal for the hotkey on the recorded head
// at the subnet's difficulty, submits SubtensorModule.register signed by the coldkey (sr25519) and returns
// the uid; stale work (InvalidWorkBlock) is solved again and resubmitted; a runtime that wants the hotkey
// as signer gets it; HotKeyAlreadyRegisteredInSubNet and an already registered hotkey count as done.
func TestSubstratePowRegister(t *testing.T) {
	cold, _ := keys.FromURI("//Alice")
	hot, _ := keys.FromURI("//Alice//pow")
	headHash, _ := hex.DecodeString(strings.TrimPrefix(substratetest.HeadHash, "0x"))
	solver := &pow.CPUSolver{Processors: 1}
	for _, tc := range []struct {
		name     string
		outcomes []string
		signers  []*keys.Keypair
		receipt  bool
	}{
		{"first try", []string{""}, []*keys.Keypair{cold}, true},
		{"stale work", []string{"InvalidWorkBlock", ""}, []*keys.Keypair{cold, cold}, true},
		{"hotkey signer wanted", []string{"TransactorAccountShouldBeHotKey", ""}, []*keys.Keypair{cold, hot}, true},
		{"already registered on the way", []string{"HotKeyAlreadyRegisteredInSubNet"}, []*keys.Keypair{cold}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pc := newPowChain(t, hot.PublicKey(), tc.outcomes...)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			uid, r, err := powClient(t, pc).PowRegister(ctx, hot, cold, 1, solver, client.WithNonce(3))
			if err != nil {
				t.Fatal(err)
			}
			if uid != 5 || (r != nil) != tc.receipt {
				t.Fatalf("uid %d receipt %+v", uid, r)
			}
			if len(pc.xts) != len(tc.signers) {
				t.Fatalf("%d submissions, want %d", len(pc.xts), len(tc.signers))
			}
			for i, xt := range pc.xts {
				x := readRegister(t, xt)
				if x.signer != tc.signers[i].PublicKey() || x.sigScheme != 1 {
					t.Fatalf("submission %d: signer %x (scheme %d)", i, x.signer, x.sigScheme)
				}
				if want := map[bool]uint64{true: 3, false: 9}[i == 0]; x.xtNonce != want {
					t.Fatalf("submission %d: nonce %d, want %d", i, x.xtNonce, want)
				}
				if x.pallet != 7 || x.call != 6 || x.hotkey != hot.PublicKey() || x.coldkey != cold.PublicKey() || x.block != 6852690 {
					t.Fatalf("submission %d: %+v", i, x)
				}
				sol := pow.Solution{Block: pow.Block{Number: x.block, Hash: [32]byte(headHash), Difficulty: 1000}, Key: hot.PublicKey(),
					Rule: pow.RuleChain, Nonce: x.nonce, Seal: x.work}
				if err := sol.Verify(); err != nil {
					t.Fatalf("submission %d: %v", i, err)
				}
			}
		})
	}

	// the head moved past the work's window while solving: solved again on a fresh read, submitted once
	pc := newPowChain(t, hot.PublicKey(), "")
	pc.staleAfter = 2
	slow := &pow.CPUSolver{Processors: 1, PollInterval: time.Hour} // one difficulty read per solve
	uid, r, err := powClient(t, pc).PowRegister(context.Background(), hot, cold, 1, slow, client.WithNonce(3))
	base := newPowChain(t, hot.PublicKey(), "")
	if _, _, err := powClient(t, base).PowRegister(context.Background(), hot, cold, 1, slow, client.WithNonce(3)); err != nil {
		t.Fatal(err)
	}
	if err != nil || uid != 5 || r == nil || len(pc.xts) != 1 || pc.staleArmed || base.difficultyReads != 2 || pc.difficultyReads != 4 ||
		readRegister(t, pc.xts[0]).block != 6852690 {
		t.Fatalf("stale work: uid %d err %v, %d submissions, %d difficulty reads (%d per solve)", uid, err, len(pc.xts), pc.difficultyReads, base.difficultyReads)
	}

	// already registered: nothing is solved or sent
	pc = newPowChain(t, hot.PublicKey())
	pc.registered = true
	uid, r, err = powClient(t, pc).PowRegister(context.Background(), hot, cold, 1, solver)
	if err != nil || uid != 5 || r != nil || len(pc.xts) != 0 {
		t.Fatalf("already registered: uid %d receipt %v err %v, %d submissions", uid, r, err, len(pc.xts))
	}

	// a chain error other than the retried ones comes back by name
	pc = newPowChain(t, hot.PublicKey(), "NotEnoughBalanceToStake")
	_, _, err = powClient(t, pc).PowRegister(context.Background(), hot, cold, 1, solver, client.WithNonce(3))
	var te *client.TxError
	if !errors.As(err, &te) || te.Call != "register" || !te.Included || !errors.Is(err, client.TxErr("NotEnoughBalanceToStake")) {
		t.Fatalf("failure: %v", err)
	}
}

// TestSubstrateSetHyperparameter: the owner call is signed by the given coldkey and a chain refusal comes
// back as a *TxError by name (SubtensorModule.NotSubnetOwner) with the call's name; a root-only or unknown
// name is refused by name without a request.
func TestSubstrateSetHyperparameter(t *testing.T) {
	md := meta343(t)
	owner, _ := keys.FromURI("//Alice")
	sc := &inclusionScript{Transport: substratetest.Replay(t, substratetest.SeedMetagraph), events: outcomeEvents(t, md, "NotSubnetOwner")}
	b, err := substrate.New(context.Background(), sc, substrate.Options{Genesis: &substrate.FinneyGenesis})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = client.NewSubstrate(b).SetHyperparameter(ctx, owner, 1, "immunity_period", 7200, client.WithNonce(3))
	var te *client.TxError
	if !errors.As(err, &te) || !te.Included || te.Call != "sudo_set_immunity_period" || !errors.Is(err, client.TxErr("NotSubnetOwner")) {
		t.Fatalf("want NotSubnetOwner, got %v", err)
	}
	raw, _ := hex.DecodeString(strings.TrimPrefix(sc.xt, "0x"))
	pub := owner.PublicKey()
	if !strings.Contains(hex.EncodeToString(raw[:40]), hex.EncodeToString(pub[:])) || hex.EncodeToString(raw[len(raw)-6:]) != "130d0100201c" {
		t.Fatalf("extrinsic %x", raw)
	}

	r := substratetest.Replay(t, substratetest.SeedMetagraph)
	b, err = substrate.New(context.Background(), r, substrate.Options{Genesis: &substrate.FinneyGenesis})
	if err != nil {
		t.Fatal(err)
	}
	c := client.NewSubstrate(b)
	for _, name := range []string{"kappa", "weights_rate_limit", "difficulty"} {
		_, err := c.SetHyperparameter(ctx, owner, 1, name, 1)
		var he *substrate.HyperparameterError
		if !errors.Is(err, client.ErrUnsupported) || !errors.As(err, &he) || he.Name != name || !strings.Contains(err.Error(), "root-only") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := c.SetHyperparameter(ctx, owner, 1, "nope", 1); !errors.Is(err, substrate.ErrUnknownHyperparameter) {
		t.Errorf("unknown: %v", err)
	}
	if calls := r.Calls(); len(calls) != 0 {
		t.Fatalf("refused names reached the chain: %v", calls)
	}
}
