package substrate

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
)

const fixtures = "testdata/finney/"

var (
	fixOnce  sync.Once
	fixRec   rpc.Recording
	v14Hex   string
	v15Hex   string
	meta15   *metadata.Metadata
	fixError error
)

func loadFixtures(t testing.TB) {
	t.Helper()
	fixOnce.Do(func() {
		if fixRec, fixError = rpc.LoadRecording(fixtures + "recorded-rpc.json"); fixError != nil {
			return
		}
		b14, err := os.ReadFile(fixtures + "metadata-v14-spec343.scale")
		if err != nil {
			fixError = err
			return
		}
		b15, err := os.ReadFile(fixtures + "metadata-v15-spec343.opaque")
		if err != nil {
			fixError = err
			return
		}
		v14Hex, v15Hex = "0x"+hex.EncodeToString(b14), "0x"+hex.EncodeToString(b15)
		meta15, fixError = metadata.Parse(b15)
	})
	if fixError != nil {
		t.Fatal(fixError)
	}
}

// replay returns a strict replay of seed that serves the spec-343 metadata to any metadata request, as
// the fixtures' own FakeWebsocket does, and fails the test on any unrecorded request.
func replay(t *testing.T, seed string) *rpc.Replay {
	t.Helper()
	loadFixtures(t)
	r, err := rpc.NewReplay(fixRec, seed)
	if err != nil {
		t.Fatal(err)
	}
	_ = r.SetStatic("state_getMetadata", v14Hex)
	_ = r.SetStaticCall("Metadata_metadata_at_version", v15Hex)
	r.OnUnrecorded = func(method string, params []any) {
		t.Errorf("unrecorded request: %s %v", method, params)
	}
	return r
}

// noSubs hides the replay's subscriptions, as an HTTP endpoint would.
type noSubs struct{ rpc.Transport }

func backend(t *testing.T, r rpc.Transport) *Backend {
	t.Helper()
	b, err := New(context.Background(), r, Options{Genesis: &FinneyGenesis, Client: rpc.ClientOptions{Retries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	headHash   = "0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0"
	parentHash = "0x7348409fe36728fa2ac7f0886346fd35b79804d294046d152ba1baccd9d0be3a"
)

// TestMetagraphReplay reads subnet 1 through the backend from the recorded finney conversation: head,
// header, runtime version, then ONE runtime call for the whole subnet; the replay fails on anything else.
func TestMetagraphReplay(t *testing.T) {
	r := replay(t, "metagraph")
	b := backend(t, r)
	ctx := context.Background()
	mg, err := b.Metagraph(ctx, 1, At{})
	if err != nil {
		t.Fatal(err)
	}
	if mg.Name != "Apex" || len(mg.Neurons) != 1024 || mg.Block != 6852690 {
		t.Fatalf("metagraph %s %d uids at %d", mg.Name, len(mg.Neurons), mg.Block)
	}
	calls := r.Calls()
	want := []string{"chain_getHead", "chain_getHeader", "state_getRuntimeVersion", "state_call", "state_call"}
	if len(calls) != len(want) {
		t.Fatalf("calls %v", calls)
	}
	for i := range want {
		if !strings.HasPrefix(calls[i], want[i]+" ") {
			t.Fatalf("call %d: %s, want %s", i, calls[i], want[i])
		}
	}
	if !strings.Contains(calls[4], "SubnetInfoRuntimeApi_get_selective_mechagraph") {
		t.Fatalf("metagraph call %s", calls[4])
	}

	// The runtime is cached: the next reads fetch no metadata.
	lite, err := b.NeuronsLite(ctx, 1, At{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := b.SubnetState(ctx, 1, At{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != 1024 || len(st.Neurons) != 1024 || lite[7].Hotkey != mg.Neurons[7].Hotkey {
		t.Fatal("views disagree")
	}
	for _, c := range r.Calls()[len(calls):] {
		if strings.Contains(c, "Metadata_metadata_at_version") {
			t.Fatalf("metadata fetched twice: %s", c)
		}
	}
	n, err := b.BlockNumber(ctx)
	if err != nil || n != 6852690 {
		t.Fatalf("block number %d %v", n, err)
	}
	// At a given block: chain_getBlockHash(6852690) is recorded.
	if _, err := b.Metagraph(ctx, 1, AtBlock(6852690)); err != nil {
		t.Fatal(err)
	}
	if u := r.Unrecorded(); len(u) != 0 {
		t.Fatalf("unrecorded %v", u)
	}
}

// TestReplayRefusesUnrecorded: a subnet that was not recorded is a -32601 from the replay, surfaced as an
// error, never a silent empty answer.
func TestReplayRefusesUnrecorded(t *testing.T) {
	r := replay(t, "metagraph")
	var missed []string
	r.OnUnrecorded = func(m string, p []any) { missed = append(missed, m) }
	b := backend(t, r)
	_, err := b.Metagraph(context.Background(), 2, At{})
	var re *rpc.Error
	if !errors.As(err, &re) || re.Code != rpc.CodeMethodNotFound {
		t.Fatalf("want -32601, got %v", err)
	}
	if len(missed) != 1 || missed[0] != "state_call" {
		t.Fatalf("missed %v", missed)
	}
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestServeAxonThroughBackend submits serve_axon through the backend with the vector's ed25519 key: the
// replay only knows the polkadot.js bytes, so any difference fails the submission.
func TestServeAxonThroughBackend(t *testing.T) {
	raw, err := os.ReadFile(fixtures + "serve_axon_vector.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Seed, Extrinsic string }
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	r := replay(t, "metagraph")
	if err := r.AddResult("author_submitExtrinsic", []any{v.Extrinsic}, "0x"+strings.Repeat("ab", 32)); err != nil {
		t.Fatal(err)
	}
	b := backend(t, r)
	nonce := uint64(7)
	signer := extrinsic.Ed25519(ed25519.NewKeyFromSeed(unhex(t, v.Seed)))
	rc, err := b.ServeAxon(context.Background(), signer, 1, 9011001, netip.MustParseAddrPort("192.222.59.109:6028"), 4, TxOptions{Nonce: &nonce})
	if err != nil {
		t.Fatal(err)
	}
	if rc.Index != -1 || rc.Hash == ([32]byte{}) {
		t.Fatalf("receipt %+v", rc)
	}
}

// TestStorageReads rebuilds recorded storage keys from (pallet, item, Go keys) through the backend and
// decodes the recorded values: System.Account (Blake2_128Concat) and SubtensorModule.Uids (Identity +
// Blake2_128Concat).
func TestStorageReads(t *testing.T) {
	loadFixtures(t)
	r := replay(t, "metagraph")
	var accountKey, accountVal, uidsKey, uidsVal string
	for p, resp := range fixRec["get_balance"]["state_getStorageAt"] {
		var params []any
		_ = json.Unmarshal([]byte(p), &params)
		accountKey = params[0].(string)
		var res struct{ Result string }
		_ = json.Unmarshal(resp, &res)
		accountVal = res.Result
	}
	for p, resp := range fixRec["get_uid_for_hotkey_on_subnet"]["state_getStorageAt"] {
		var params []any
		_ = json.Unmarshal([]byte(p), &params)
		uidsKey = params[0].(string)
		var res struct{ Result string }
		_ = json.Unmarshal(resp, &res)
		uidsVal = res.Result
	}
	_ = r.AddResult("state_getStorageAt", []any{accountKey, headHash}, accountVal)
	_ = r.AddResult("state_getStorageAt", []any{uidsKey, headHash}, uidsVal)
	b := backend(t, r)
	ctx := context.Background()

	var acct subtensor.AccountID
	copy(acct[:], unhex(t, accountKey)[len(unhex(t, accountKey))-32:])
	bal, err := b.Balance(ctx, acct, At{})
	if err != nil {
		t.Fatal(err)
	}
	if bal.Free != 7450117072 || bal.Reserved != 100000000 {
		t.Fatalf("balance %+v", bal)
	}
	var hot subtensor.AccountID
	copy(hot[:], unhex(t, uidsKey)[len(unhex(t, uidsKey))-32:])
	uid, ok, err := b.UIDForHotkey(ctx, 23, hot, At{})
	if err != nil || !ok || uid != 5 {
		t.Fatalf("uid %d %v %v", uid, ok, err)
	}
}

// TestInclusionFailure submits over a transport without subscriptions, finds the extrinsic by scanning
// blocks, and maps the recorded-style System.ExtrinsicFailed event to the pallet error name.
func TestInclusionFailure(t *testing.T) {
	r, signer, nonce, xt := scriptInclusion(t, false)
	b := backend(t, noSubs{r})
	rc, err := b.SetWeights(context.Background(), signer, 1, []uint16{0, 1}, []uint16{1, 2}, 0, TxOptions{Nonce: &nonce, Wait: WaitInclusion, PollInterval: 1})
	var de *extrinsic.DispatchError
	if !errors.As(err, &de) || de.Pallet != "SubtensorModule" || de.Name != "SettingWeightsTooFast" || !errors.Is(err, ErrDispatch) {
		t.Fatalf("want SubtensorModule.SettingWeightsTooFast, got %v (%+v)", err, rc)
	}
	if !contains(r.Calls(), "author_submitExtrinsic") || contains(r.Calls(), "author_submitAndWatchExtrinsic") {
		t.Fatalf("calls %v", r.Calls())
	}
	_ = xt
	if u := r.Unrecorded(); len(u) != 0 {
		t.Fatalf("unrecorded %v", u)
	}
}

// TestInclusionWatch follows author_submitAndWatchExtrinsic to the block and reads a success.
func TestInclusionWatch(t *testing.T) {
	r, signer, nonce, xt := scriptInclusion(t, true)
	if err := r.AddSubscription("author_submitAndWatchExtrinsic", []any{xt}, "ready", map[string]any{"broadcast": []string{"peer"}}, map[string]any{"inBlock": headHash}); err != nil {
		t.Fatal(err)
	}
	b := backend(t, r)
	rc, err := b.SetWeights(context.Background(), signer, 1, []uint16{0, 1}, []uint16{1, 2}, 0, TxOptions{Nonce: &nonce, Wait: WaitInclusion})
	if err != nil {
		t.Fatal(err)
	}
	if rc.Index != 1 || rc.BlockNumber != 6852690 || hexHash(rc.BlockHash) != headHash || len(rc.Events) != 3 {
		t.Fatalf("receipt %+v", rc)
	}
	if rc.Events[2].Pallet != "SubtensorModule" || rc.Events[2].Name != "WeightsSet" {
		t.Fatalf("events %+v", rc.Events)
	}
	// Waiting for finalization with only an inBlock status ends without a verdict.
	_, err = b.SetWeights(context.Background(), signer, 1, []uint16{0, 1}, []uint16{1, 2}, 0, TxOptions{Nonce: &nonce, Wait: WaitFinalization})
	if !errors.Is(err, ErrNotIncluded) {
		t.Fatalf("want ErrNotIncluded, got %v", err)
	}
	if u := r.Unrecorded(); len(u) != 0 {
		t.Fatalf("unrecorded %v", u)
	}
}

func contains(calls []string, method string) bool {
	for _, c := range calls {
		if strings.HasPrefix(c, method+" ") {
			return true
		}
	}
	return false
}

// scriptInclusion scripts the chain around a set_weights extrinsic: the block holding it (at index 1) and
// its System.Events, with the extrinsic succeeding or failing with SettingWeightsTooFast.
func scriptInclusion(t *testing.T, success bool) (*rpc.Replay, extrinsic.Signer, uint64, string) {
	t.Helper()
	loadFixtures(t)
	r := replay(t, "metagraph")
	signer := extrinsic.Ed25519(ed25519.NewKeyFromSeed(make([]byte, 32)))
	nonce := uint64(3)
	c := codec.New(meta15)
	bl := extrinsic.NewBuilder(c)
	call, err := bl.Call("SubtensorModule", "set_weights", uint16(1), []uint16{0, 1}, []uint16{1, 2}, uint64(0))
	if err != nil {
		t.Fatal(err)
	}
	era := extrinsic.MortalEra(6852690, extrinsic.DefaultPeriod)
	head, _ := parseHash(headHash)
	signed, err := bl.Sign(call, extrinsic.Params{Genesis: FinneyGenesis, Era: era, EraHash: head, Nonce: nonce}, signer)
	if err != nil {
		t.Fatal(err)
	}
	xt := "0x" + hex.EncodeToString(signed.Bytes)
	_ = r.AddResult("author_submitExtrinsic", []any{xt}, hexHash(signed.Hash))
	_ = r.AddResult("chain_getBlock", []any{headHash}, map[string]any{"block": map[string]any{
		"header": map[string]any{"number": "0x689052", "parentHash": parentHash}, "extrinsics": []string{"0x280403000b", xt}}})
	_ = r.AddResult("state_getRuntimeVersion", []any{headHash}, map[string]any{"specVersion": 343, "transactionVersion": 1})

	_, tooFast := errorIndex(t, meta15, "SubtensorModule", "SettingWeightsTooFast")
	second := record(1, codec.Variant{Name: "System", Fields: []any{codec.Variant{Name: "ExtrinsicFailed", Fields: []any{
		codec.Variant{Name: "Module", Fields: []any{map[string]any{"index": uint8(7), "error": [4]byte{tooFast}}}},
		dispatchInfo()}}}})
	if success {
		second = record(1, codec.Variant{Name: "System", Fields: []any{codec.Variant{Name: "ExtrinsicSuccess", Fields: []any{dispatchInfo()}}}})
	}
	recs := []any{
		record(0, codec.Variant{Name: "System", Fields: []any{codec.Variant{Name: "ExtrinsicSuccess", Fields: []any{dispatchInfo()}}}}),
		second,
	}
	if success {
		recs = append(recs, record(1, codec.Variant{Name: "SubtensorModule", Fields: []any{codec.Variant{Name: "WeightsSet", Fields: []any{uint16(1), uint16(0)}}}}))
	}
	events := encodeEvents(t, c, recs)
	key, _, err := meta15.StorageKey("System", "Events")
	if err != nil {
		t.Fatal(err)
	}
	_ = r.AddResult("state_getStorageAt", []any{"0x" + hex.EncodeToString(key), headHash}, "0x"+hex.EncodeToString(events))
	return r, signer, nonce, xt
}

func errorIndex(t *testing.T, m *metadata.Metadata, pallet, name string) (uint8, uint8) {
	t.Helper()
	p, err := m.Pallet(pallet)
	if err != nil {
		t.Fatal(err)
	}
	et := m.Types.MustType(*p.Errors)
	v, ok := et.VariantByName(name)
	if !ok {
		t.Fatalf("no error %s", name)
	}
	return p.Index, v.Index
}

func dispatchInfo() map[string]any {
	return map[string]any{"weight": map[string]any{"ref_time": uint64(1000), "proof_size": uint64(10)}, "class": "Normal", "pays_fee": "Yes"}
}

func record(idx uint32, event codec.Variant) map[string]any {
	return map[string]any{"phase": codec.Variant{Name: "ApplyExtrinsic", Fields: []any{idx}}, "event": event, "topics": [][32]byte{}}
}

func encodeEvents(t *testing.T, c *codec.Codec, recs []any) []byte {
	t.Helper()
	_, entry, err := c.Metadata().Storage("System", "Events")
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Encode(entry.Value, recs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPoolErrors(t *testing.T) {
	err := poolError(&rpc.Error{Code: 1010, Message: "Invalid Transaction", Data: json.RawMessage(`"Custom error: 6"`)})
	var pe *PoolError
	if !errors.As(err, &pe) || pe.Custom != 6 || pe.Name != "RateLimitExceeded" || !errors.Is(err, ErrRejected) {
		t.Fatalf("got %v", err)
	}
	plain := &rpc.Error{Code: -32000, Message: "boom"}
	if poolError(plain) != error(plain) {
		t.Fatal("non-pool errors pass through")
	}
}

func TestLookupNetwork(t *testing.T) {
	for _, n := range []string{"finney", "test", "archive", "local", "wss://x.example:443", "http://127.0.0.1:9933"} {
		if _, err := LookupNetwork(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	if _, err := LookupNetwork("mainnet-ish"); err == nil {
		t.Fatal("unknown network accepted")
	}
}

// TestUnsupportedCall: a call the runtime lacks is ErrUnsupported, never a silent no-op.
func TestUnsupportedCall(t *testing.T) {
	r := replay(t, "metagraph")
	b := backend(t, r)
	nonce := uint64(0)
	_, err := b.Submit(context.Background(), extrinsic.Ed25519(ed25519.NewKeyFromSeed(make([]byte, 32))), "SubtensorModule", "lock_stake", nil, TxOptions{Nonce: &nonce})
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("want ErrUnsupported, got %v", err)
	}
}

func TestRuntimeInfoAndLayouts(t *testing.T) {
	b := backend(t, replay(t, "metagraph"))
	info, err := b.Runtime(context.Background())
	if err != nil || info.SpecVersion != 343 || info.MetadataVersion != 15 || len(info.Extensions) != 11 {
		t.Fatalf("%+v %v", info, err)
	}
	if err := b.CheckLayouts(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestWatchFinalized(t *testing.T) {
	r := replay(t, "metagraph")
	_ = r.AddSubscription("chain_subscribeFinalizedHeads", nil, map[string]any{"number": "0x689052", "parentHash": parentHash})
	b := backend(t, r)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := b.WatchFinalized(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h, ok := <-ch
	if !ok || h.Number != 6852690 || hexHash(h.Hash) != headHash {
		t.Fatalf("head %+v %v", h, ok)
	}
	if _, ok := <-ch; ok {
		t.Fatal("channel should close when the subscription ends")
	}
	if _, err := backend(t, noSubs{r}).WatchFinalized(ctx); err == nil {
		t.Fatal("watch without subscriptions accepted")
	}
}

// TestWriteHelpers drives every write helper to the submission, capturing the extrinsic the replay was
// asked to submit: each must carry the call index the spec-343 metadata gives.
func TestWriteHelpers(t *testing.T) {
	r, sub := captureReplay(t)
	b := backend(t, r)
	ctx := context.Background()
	s := extrinsic.Ed25519(ed25519.NewKeyFromSeed(make([]byte, 32)))
	n := uint64(1)
	o := TxOptions{Nonce: &n}
	hot := subtensor.AccountID{9}
	addr := netip.MustParseAddrPort("[2001:db8::1]:8091")
	type tc struct {
		name   string
		pallet byte
		call   byte
		run    func() (*Receipt, error)
	}
	for _, c := range []tc{
		{"set_weights", 7, 0, func() (*Receipt, error) { return b.SetWeights(ctx, s, 1, []uint16{1}, []uint16{1}, 0, o) }},
		{"set_mechanism_weights", 7, 119, func() (*Receipt, error) { return b.SetMechanismWeights(ctx, s, 1, 0, []uint16{1}, []uint16{1}, 0, o) }},
		{"commit_weights", 7, 96, func() (*Receipt, error) { return b.CommitWeights(ctx, s, 1, [32]byte{1}, o) }},
		{"reveal_weights", 7, 97, func() (*Receipt, error) {
			return b.RevealWeights(ctx, s, 1, []uint16{1}, []uint16{1}, []uint16{1}, 0, o)
		}},
		{"serve_axon", 7, 4, func() (*Receipt, error) { return b.ServeAxon(ctx, s, 1, 1, addr, 4, o) }},
		{"serve_axon_tls", 7, 40, func() (*Receipt, error) { return b.ServeAxonTLS(ctx, s, 1, 1, addr, 4, []byte("cert"), o) }},
		{"register", 7, 6, func() (*Receipt, error) { return b.Register(ctx, s, 1, 6852690, 42, make([]byte, 32), hot, hot, o) }},
		{"burned_register", 7, 7, func() (*Receipt, error) { return b.BurnedRegister(ctx, s, 1, hot, o) }},
		{"add_stake", 7, 2, func() (*Receipt, error) { return b.AddStake(ctx, s, hot, 1, 1e9, o) }},
		{"remove_stake", 7, 3, func() (*Receipt, error) { return b.RemoveStake(ctx, s, hot, 1, 1e9, o) }},
		{"add_stake_limit", 7, 88, func() (*Receipt, error) { return b.AddStakeLimit(ctx, s, hot, 1, 1e9, 2e9, true, o) }},
		{"remove_stake_limit", 7, 89, func() (*Receipt, error) { return b.RemoveStakeLimit(ctx, s, hot, 1, 1e9, 1, false, o) }},
		{"transfer_keep_alive", 5, 3, func() (*Receipt, error) { return b.Transfer(ctx, s, hot, 5, true, o) }},
		{"transfer_allow_death", 5, 0, func() (*Receipt, error) { return b.Transfer(ctx, s, hot, 5, false, o) }},
		{"transfer_all", 5, 4, func() (*Receipt, error) { return b.TransferAll(ctx, s, hot, true, o) }},
		{"serve_prometheus", 7, 5, func() (*Receipt, error) { return b.ServePrometheus(ctx, s, 1, 1, addr, o) }},
		{"batch_reveal_weights", 7, 98, func() (*Receipt, error) {
			return b.BatchRevealWeights(ctx, s, 1, [][]uint16{{1}}, [][]uint16{{2}}, [][]uint16{{3}}, []uint64{4}, o)
		}},
		{"root_register", 7, 62, func() (*Receipt, error) { return b.RootRegister(ctx, s, hot, o) }},
		{"register_network", 7, 59, func() (*Receipt, error) { return b.RegisterNetwork(ctx, s, hot, o) }},
		{"start_call", 7, 92, func() (*Receipt, error) { return b.StartCall(ctx, s, 1, o) }},
		{"try_associate_hotkey", 7, 91, func() (*Receipt, error) { return b.AssociateHotkey(ctx, s, hot, o) }},
		{"decrease_take", 7, 65, func() (*Receipt, error) { return b.DecreaseTake(ctx, s, hot, 1, o) }},
		{"increase_take", 7, 66, func() (*Receipt, error) { return b.IncreaseTake(ctx, s, hot, 1, o) }},
	} {
		before := len(*sub)
		_, err := c.run()
		var re *rpc.Error
		if !errors.As(err, &re) || re.Code != rpc.CodeMethodNotFound || len(*sub) != before+1 {
			t.Fatalf("%s: want the replay's refusal of the submission, got %v", c.name, err)
		}
		xt := unhex(t, (*sub)[before])
		// compact length, 0x84, address (33), signature (65), era (2), nonce (1), tip (1), mode (1), call
		call := xt[len(scaleCompact(uint64(len(xt))))+1+33+65+2+1+1+1:]
		if call[0] != c.pallet || call[1] != c.call {
			t.Errorf("%s: call index %d/%d, want %d/%d", c.name, call[0], call[1], c.pallet, c.call)
		}
	}
	if _, err := b.SetWeights(ctx, s, 1, []uint16{1, 2}, []uint16{1}, 0, o); err == nil {
		t.Fatal("unequal lengths accepted")
	}
}

// scaleCompact returns the compact length prefix of an extrinsic of n total bytes.
func scaleCompact(n uint64) []byte {
	for _, w := range []uint64{1, 2, 4} {
		body := n - w
		if (w == 1 && body < 1<<6) || (w == 2 && body >= 1<<6 && body < 1<<14) || (w == 4 && body >= 1<<14) {
			return make([]byte, w)
		}
	}
	return make([]byte, 5)
}

func TestAlreadyImported(t *testing.T) {
	if !alreadyImported(&rpc.Error{Code: 1013, Message: "Transaction Already Imported"}) || alreadyImported(&rpc.Error{Code: 1010}) {
		t.Fatal("1013 handling")
	}
}

func TestExistentialDepositAndProbe(t *testing.T) {
	r := replay(t, "metagraph")
	b := backend(t, r)
	ed, err := b.ExistentialDeposit(context.Background())
	if err != nil || ed != 500 {
		t.Fatalf("existential deposit %d %v", ed, err)
	}
	_ = r.AddResult("state_getRuntimeVersion", nil, map[string]any{"specName": "node-subtensor", "specVersion": 343})
	name, ok, err := Probe(context.Background(), r)
	if err != nil || !ok || name != "node-subtensor" {
		t.Fatalf("probe %q %v %v", name, ok, err)
	}
}

// TestHyperparameters reads get_subnet_hyperparams_v2 through the backend; the answer is the recorded
// metagraph's hyperparameters encoded with the registry (no recording of this call exists).
func TestHyperparameters(t *testing.T) {
	r := replay(t, "metagraph")
	b := backend(t, r)
	ctx := context.Background()
	mg, err := b.Metagraph(ctx, 1, At{})
	if err != nil {
		t.Fatal(err)
	}
	h := mg.Hyperparameters
	mt, err := meta15.RuntimeAPI("SubnetInfoRuntimeApi", "get_subnet_hyperparams_v2")
	if err != nil {
		t.Fatal(err)
	}
	c := codec.New(meta15)
	inner := meta15.Types.MustType(mt.Output).Variants[1].Fields[0].Type
	fields := map[string]any{}
	for _, f := range meta15.Types.MustType(inner).Fields {
		fields[f.Name] = uint64(0)
	}
	for k, v := range map[string]any{"rho": h.Rho, "kappa": h.Kappa, "immunity_period": h.ImmunityPeriod, "tempo": h.Tempo,
		"min_allowed_weights": h.MinAllowedWeights, "max_weights_limit": h.MaxWeightsLimit, "weights_rate_limit": h.WeightsRateLimit,
		"max_burn": h.MaxBurn, "min_burn": h.MinBurn, "difficulty": h.Difficulty, "commit_reveal_period": h.CommitRevealPeriod,
		"registration_allowed": h.RegistrationAllowed, "commit_reveal_weights_enabled": h.CommitRevealEnabled,
		"liquid_alpha_enabled": false, "subnet_is_active": true, "transfers_enabled": true, "bonds_reset_enabled": false,
		"user_liquidity_enabled": false, "alpha_sigmoid_steepness": int64(0)} {
		fields[k] = v
	}
	for k, v := range fields { // bools must be bools
		if _, isBool := v.(bool); !isBool {
			if tt := meta15.Types.Resolve(fieldType(t, meta15, inner, k)); tt.Kind == metadata.KindPrimitive && tt.Prim == metadata.PrimBool {
				fields[k] = false
			}
		}
	}
	enc, err := c.Encode(inner, fields)
	if err != nil {
		t.Fatal(err)
	}
	_ = r.AddResult("state_call", []any{"SubnetInfoRuntimeApi_get_subnet_hyperparams_v2", "0x0100", headHash}, "0x01"+hex.EncodeToString(enc))
	got, err := b.Hyperparameters(ctx, 1, At{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Tempo != 99 || got.ImmunityPeriod != 7200 || got.Kappa != h.Kappa || got.MaxBurn != h.MaxBurn || !got.CommitRevealEnabled {
		t.Fatalf("%+v", got)
	}
	_ = r.AddResult("state_call", []any{"SubnetInfoRuntimeApi_get_subnet_hyperparams_v2", "0x0900", headHash}, "0x00")
	if _, err := b.Hyperparameters(ctx, 9, At{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing subnet: %v", err)
	}
}

func fieldType(t *testing.T, m *metadata.Metadata, id metadata.TypeID, name string) metadata.TypeID {
	for _, f := range m.Types.MustType(id).Fields {
		if f.Name == name {
			return f.Type
		}
	}
	t.Fatalf("no field %s", name)
	return 0
}

// TestMoreReads covers Owner, TotalIssuance, Stake and Events with answers encoded by the registry (the
// recordings have none of them at spec 343); the storage keys and call data must match what the backend
// asks for, or the strict replay fails.
func TestMoreReads(t *testing.T) {
	r := replay(t, "metagraph")
	b := backend(t, r)
	ctx := context.Background()
	c := codec.New(meta15)
	hot, cold := subtensor.AccountID{1}, subtensor.AccountID{2}
	ownerKey := storageKey(t, c, "SubtensorModule", "Owner", [32]byte(hot))
	_ = r.AddResult("state_getStorageAt", []any{ownerKey, headHash}, "0x"+hex.EncodeToString(cold[:]))
	issKey := storageKey(t, c, "Balances", "TotalIssuance")
	_ = r.AddResult("state_getStorageAt", []any{issKey, headHash}, "0x00e1f50500000000")

	got, ok, err := b.Owner(ctx, hot, At{})
	if err != nil || !ok || got != cold {
		t.Fatalf("owner %v %v %v", got, ok, err)
	}
	iss, err := b.TotalIssuance(ctx, At{})
	if err != nil || iss != 100_000_000 {
		t.Fatalf("issuance %d %v", iss, err)
	}

	mt, _ := meta15.RuntimeAPI("StakeInfoRuntimeApi", "get_stake_info_for_hotkey_coldkey_netuid")
	enc, err := c.Encode(mt.Output, map[string]any{"hotkey": [32]byte(hot), "coldkey": [32]byte(cold), "netuid": uint16(1),
		"stake": uint64(42), "locked": uint64(0), "emission": uint64(0), "tao_emission": uint64(0), "drain": uint64(0), "is_registered": true})
	if err != nil {
		t.Fatal(err)
	}
	data := "0x" + hex.EncodeToString(hot[:]) + hex.EncodeToString(cold[:]) + "0100"
	_ = r.AddResult("state_call", []any{"StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid", data, headHash}, "0x"+hex.EncodeToString(enc))
	st, err := b.Stake(ctx, hot, cold, 1, At{})
	if err != nil || st.Stake != 42 || !st.IsRegistered {
		t.Fatalf("stake %+v %v", st, err)
	}

	_ = r.AddResult("state_getRuntimeVersion", []any{headHash}, map[string]any{"specVersion": 343})
	events := encodeEvents(t, c, []any{record(0, codec.Variant{Name: "System", Fields: []any{codec.Variant{Name: "ExtrinsicSuccess", Fields: []any{dispatchInfo()}}}})})
	_ = r.AddResult("state_getStorageAt", []any{storageKey(t, c, "System", "Events"), headHash}, "0x"+hex.EncodeToString(events))
	evs, err := b.Events(ctx, 6852690)
	if err != nil || len(evs) != 1 || evs[0].Name != "ExtrinsicSuccess" || evs[0].Extrinsic != 0 {
		t.Fatalf("events %+v %v", evs, err)
	}
}

func storageKey(t *testing.T, c *codec.Codec, pallet, item string, keys ...any) string {
	t.Helper()
	md := c.Metadata()
	_, e, err := md.Storage(pallet, item)
	if err != nil {
		t.Fatal(err)
	}
	kt := md.KeyTypes(e)
	enc := make([][]byte, len(keys))
	for i, k := range keys {
		if enc[i], err = c.Encode(kt[i], k); err != nil {
			t.Fatal(err)
		}
	}
	key, _, err := md.StorageKey(pallet, item, enc...)
	if err != nil {
		t.Fatal(err)
	}
	return "0x" + hex.EncodeToString(key)
}

// BenchmarkBackendMetagraph is the whole read through the backend on the replay transport: head, header,
// runtime version (metadata cached), the runtime call, JSON and hex decoding, and the metagraph decode.
func BenchmarkBackendMetagraph(b *testing.B) {
	loadFixtures(b)
	r, err := rpc.NewReplay(fixRec, "metagraph")
	if err != nil {
		b.Fatal(err)
	}
	_ = r.SetStaticCall("Metadata_metadata_at_version", v15Hex)
	be, err := New(context.Background(), r, Options{Genesis: &FinneyGenesis})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		mg, err := be.Metagraph(ctx, 1, At{})
		if err != nil || len(mg.Neurons) != 1024 {
			b.Fatal(err)
		}
	}
}
