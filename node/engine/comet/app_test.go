package comet

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"golang.org/x/crypto/blake2b"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/chain/tx/txtest"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/store"
)

func testGenesis() runtime.Genesis {
	var accts []runtime.GenesisAccount
	for i := 0; i < 4; i++ {
		accts = append(accts, runtime.GenesisAccount{Account: runtime.Hex32(txtest.Key(fmt.Sprintf("acct%d", i)).PublicKey()), Balance: 1e15})
	}
	g := runtime.DevGenesis("comet-test", txtest.Key("acct0").PublicKey(), accts...)
	g.SubnetDefaults = append(g.SubnetDefaults, runtime.Param{Name: "tempo", Value: 5})
	return g
}

type testBlock struct {
	height uint64
	time   time.Time
	hash   [32]byte
	txs    [][]byte
}

func sign(t *testing.T, gh [32]byte, from string, nonce uint64, call tx.Call) []byte {
	t.Helper()
	x, err := tx.Sign(txtest.Key(from), gh, nonce, call)
	if err != nil {
		t.Fatal(err)
	}
	return x.Encode()
}

// testBlocks are 40 blocks: transfers from three accounts (with a stale and a future nonce among them), a
// subnet registration and burned registrations, so epochs run (tempo 5) over a non-trivial state.
func testBlocks(t *testing.T, gh [32]byte) []testBlock {
	nonces := map[string]uint64{}
	next := func(a string) uint64 { n := nonces[a]; nonces[a]++; return n }
	base := time.UnixMilli(1_750_000_000_000)
	var out []testBlock
	for h := uint64(1); h <= 40; h++ {
		var txs [][]byte
		switch {
		case h == 2:
			txs = append(txs, sign(t, gh, "acct0", next("acct0"), tx.RegisterNetwork{Hotkey: txtest.Key("owner-hot").PublicKey()}))
		case h >= 4 && h <= 8:
			txs = append(txs, sign(t, gh, "acct0", next("acct0"), tx.BurnedRegister{Netuid: 1, Hotkey: txtest.Key(fmt.Sprintf("hot%d", h)).PublicKey()}))
		}
		for k := 1; k <= 3; k++ {
			a := fmt.Sprintf("acct%d", k)
			for j := 0; j < int(h%3); j++ {
				txs = append(txs, sign(t, gh, a, next(a), tx.Transfer{Dest: txtest.Key(fmt.Sprintf("dest%d", j)).PublicKey(), Amount: 1000*h + uint64(j)}))
			}
		}
		if h == 10 {
			txs = append(txs, sign(t, gh, "acct1", 0, tx.Transfer{Dest: txtest.Key("x").PublicKey(), Amount: 1}))    // stale nonce
			txs = append(txs, sign(t, gh, "acct2", 1000, tx.Transfer{Dest: txtest.Key("x").PublicKey(), Amount: 1})) // future nonce
			txs = append(txs, []byte("not a transaction"))
		}
		var hb [8]byte
		binary.LittleEndian.PutUint64(hb[:], h)
		out = append(out, testBlock{height: h, time: base.Add(time.Duration(h) * 250 * time.Millisecond), hash: blake2b.Sum256(hb[:]), txs: txs})
	}
	return out
}

// TestDeterminismAcrossEngines feeds the same blocks (height, time, block hash, transactions) to the
// runtime the way the dev engine drives it (BeginBlock, DeliverTxs, EndBlock, Commit, then one store
// commit per block) and through the ABCI adapter (FinalizeBlock, Commit): the state hash is the same at
// every height.
func TestDeterminismAcrossEngines(t *testing.T) {
	g := testGenesis()
	ctx := context.Background()

	// The ABCI adapter over a dev.Engine that is not running.
	homeB := t.TempDir()
	const genesisMs = 1_750_000_000_000
	if _, err := dev.InitStore(homeB, g, genesisMs, true); err != nil {
		t.Fatal(err)
	}
	e, err := dev.Open(dev.Config{Home: homeB, Genesis: g, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	app := NewApp(e, nil)
	doc, _ := json.Marshal(g)
	ic, err := app.InitChain(ctx, &abci.InitChainRequest{AppStateBytes: doc, ChainId: g.ChainID})
	if err != nil {
		t.Fatal(err)
	}
	parent := e.Head().Hash

	// The dev engine's way, on its own store.
	db, err := store.Open(filepath.Join(t.TempDir(), "chain.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rt := runtime.New(db)
	sh0, err := rt.InitChain(g)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CommitBlock(&store.Block{Height: 0, StateHash: runtime.Hex32(sh0)}); err != nil {
		t.Fatal(err)
	}
	if string(ic.AppHash) != string(sh0[:]) {
		t.Fatalf("genesis state hash: adapter %x, dev %x", ic.AppHash, sh0)
	}
	proposer := []byte("validator-address-20")
	included := 0
	for _, b := range testBlocks(t, e.GenesisHash()) {
		hdr := runtime.Header{Height: b.height, Time: uint64(b.time.UnixMilli()), ParentHash: parent, Proposer: Proposer(proposer)}
		if _, err := rt.BeginBlock(hdr); err != nil {
			t.Fatal(err)
		}
		resA := rt.DeliverTxs(b.txs)
		if _, err := rt.EndBlock(); err != nil {
			t.Fatal(err)
		}
		shA, err := rt.Commit()
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CommitBlock(&store.Block{Height: b.height, Hash: runtime.Hex32(b.hash), ParentHash: runtime.Hex32(parent),
			Time: hdr.Time, StateHash: runtime.Hex32(shA), Txs: b.txs, Results: resA}); err != nil {
			t.Fatal(err)
		}

		fb, err := app.FinalizeBlock(ctx, &abci.FinalizeBlockRequest{Height: int64(b.height), Time: b.time, Hash: b.hash[:], Txs: b.txs,
			ProposerAddress: proposer})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.Commit(ctx, &abci.CommitRequest{}); err != nil {
			t.Fatal(err)
		}
		if string(fb.AppHash) != string(shA[:]) {
			t.Fatalf("height %d: adapter state hash %x, dev engine's %x", b.height, fb.AppHash, shA)
		}
		if head := e.Head(); head.Height != b.height || head.StateHash != runtime.Hex32(shA) || head.Hash != runtime.Hex32(b.hash) {
			t.Fatalf("height %d: engine head %+v", b.height, head)
		}
		for i, r := range resA {
			x := fb.TxResults[i]
			if x.Code != r.Code || (len(x.Data) == 1) != r.Included {
				t.Fatalf("height %d tx %d: adapter code %d data %x, dev %+v", b.height, i, x.Code, x.Data, r)
			}
			if r.Included && r.Code == 0 {
				included++
			}
		}
		parent = b.hash
	}
	if included < 40 {
		t.Fatalf("only %d transactions succeeded: the blocks do not exercise the runtime", included)
	}
	epochs := 0
	for h := uint64(1); h <= 40; h++ {
		b, err := e.Block(h)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range b.Events {
			if ev.Name == runtime.EvEpochRun {
				epochs++
			}
		}
	}
	if epochs == 0 {
		t.Fatal("no epoch ran in the 40 blocks")
	}
	// Info reports the head for CometBFT's replay, also after a restart.
	info, _ := app.Info(ctx, &abci.InfoRequest{})
	h := e.Head()
	if info.LastBlockHeight != 40 || string(info.LastBlockAppHash) != string(h.StateHash[:]) {
		t.Fatalf("info %+v, head %+v", info, h)
	}
	e.Close()
	e2, err := dev.Open(dev.Config{Home: homeB, Genesis: g, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	info2, _ := NewApp(e2, nil).Info(ctx, &abci.InfoRequest{})
	if info2.LastBlockHeight != 40 || string(info2.LastBlockAppHash) != string(h.StateHash[:]) {
		t.Fatalf("info after reopening: %+v", info2)
	}
	q, err := NewApp(e2, nil).Query(ctx, &abci.QueryRequest{Path: "balance/" + runtime.Hex32(txtest.Key("dest0").PublicKey()).String()})
	if err != nil || q.Code != 0 || len(q.Value) == 0 || q.Height != 40 {
		t.Fatalf("query: %+v %v", q, err)
	}
}

func TestInitChainRejectsAnotherGenesis(t *testing.T) {
	g := testGenesis()
	home := t.TempDir()
	if _, err := dev.InitStore(home, g, 0, true); err != nil {
		t.Fatal(err)
	}
	e, err := dev.Open(dev.Config{Home: home, Genesis: g, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	other := g
	other.ChainID = "another"
	doc, _ := json.Marshal(other)
	if _, err := NewApp(e, nil).InitChain(context.Background(), &abci.InitChainRequest{AppStateBytes: doc}); err == nil {
		t.Fatal("InitChain accepted a genesis the store was not created from")
	}
}

func TestOrderTxs(t *testing.T) {
	var gh [32]byte
	mk := func(from string, n uint64) []byte {
		return sign(t, gh, from, n, tx.Transfer{Dest: txtest.Key("d").PublicKey(), Amount: 1})
	}
	a4, a5, a6, a8 := mk("acct1", 4), mk("acct1", 5), mk("acct1", 6), mk("acct1", 8)
	b0, b1, b2 := mk("acct2", 0), mk("acct2", 1), mk("acct2", 2)
	state := map[[32]byte]uint64{txtest.Key("acct1").PublicKey(): 5, txtest.Key("acct2").PublicKey(): 0}
	in := [][]byte{b1, a6, []byte("junk"), a5, b0, a4, a8, b2}
	got := OrderTxs(in, func(k [32]byte) uint64 { return state[k] })
	want := [][]byte{b0, b1, b2, a5, a6} // acct2 first appears first; acct1's 4 is stale, 8 after a gap
	if len(got) != len(want) {
		t.Fatalf("got %d transactions, want %d", len(got), len(want))
	}
	for i := range want {
		if string(got[i]) != string(want[i]) {
			t.Fatalf("position %d differs", i)
		}
	}
}

func TestInitTestnetAndSettings(t *testing.T) {
	// Covered end to end by e2e/comet; here only that the settings round-trip into CometBFT's config.
	dir := t.TempDir()
	s := DefaultSettings()
	s.P2PAddr, s.TimeoutCommitMs, s.LoopbackPeers = "tcp://127.0.0.1:0", 150, true
	if err := SaveSettings(dir, s); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSettings(dir)
	if err != nil || got != s {
		t.Fatalf("%+v %v", got, err)
	}
	cfg, err := got.cometConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Consensus.TimeoutCommit != 150*time.Millisecond || cfg.P2P.PexReactor || !cfg.P2P.AllowDuplicateIP || cfg.RPC.ListenAddress != "" {
		t.Fatalf("config %+v %+v", cfg.Consensus, cfg.P2P)
	}
}

func TestCheckTxAndRecheck(t *testing.T) {
	g := testGenesis()
	home := t.TempDir()
	if _, err := dev.InitStore(home, g, 0, true); err != nil {
		t.Fatal(err)
	}
	e, err := dev.Open(dev.Config{Home: home, Genesis: g, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	app := NewApp(e, nil)
	ctx := context.Background()
	gh := e.GenesisHash()
	t0 := sign(t, gh, "acct1", 0, tx.Transfer{Dest: txtest.Key("d").PublicKey(), Amount: 5})
	t1 := sign(t, gh, "acct1", 1, tx.Transfer{Dest: txtest.Key("d").PublicKey(), Amount: 5})
	for _, raw := range [][]byte{t0, t1} {
		if r, _ := app.CheckTx(ctx, &abci.CheckTxRequest{Tx: raw, Type: abci.CHECK_TX_TYPE_CHECK}); r.Code != 0 {
			t.Fatalf("check: %+v", r)
		}
	}
	if r, _ := app.CheckTx(ctx, &abci.CheckTxRequest{Tx: []byte("junk"), Type: abci.CHECK_TX_TYPE_CHECK}); r.Code == 0 {
		t.Fatal("junk admitted")
	}
	if _, err := app.FinalizeBlock(ctx, &abci.FinalizeBlockRequest{Height: 1, Time: time.UnixMilli(1000), Txs: [][]byte{t0}}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Commit(ctx, &abci.CommitRequest{}); err != nil {
		t.Fatal(err)
	}
	if r, _ := app.CheckTx(ctx, &abci.CheckTxRequest{Tx: t0, Type: abci.CHECK_TX_TYPE_RECHECK}); r.Code != runtime.ErrStaleNonce.Code {
		t.Fatalf("recheck of an included transaction: %+v", r)
	}
	if r, _ := app.CheckTx(ctx, &abci.CheckTxRequest{Tx: t1, Type: abci.CHECK_TX_TYPE_RECHECK}); r.Code != 0 {
		t.Fatalf("recheck of the next one: %+v", r)
	}
	if r, _ := app.CheckTx(ctx, &abci.CheckTxRequest{Tx: t0, Type: abci.CHECK_TX_TYPE_CHECK}); r.Code == 0 {
		t.Fatalf("a stale nonce admitted: %+v", r)
	}
}
