package dev

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/chain/tx/txtest"
	"github.com/gotensor/gotensor/node/store"
)

func testGenesis(n int) runtime.Genesis {
	var accts []runtime.GenesisAccount
	for i := 0; i < n; i++ {
		accts = append(accts, runtime.GenesisAccount{Account: runtime.Hex32(txtest.Key(fmt.Sprintf("acct%d", i)).PublicKey()), Balance: 1e15})
	}
	return runtime.DevGenesis("test", txtest.Key("acct0").PublicKey(), accts...)
}

func openTest(t testing.TB, home string, accounts int) *Engine {
	t.Helper()
	e, err := Open(Config{Home: home, Genesis: testGenesis(accounts), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func transfer(t testing.TB, e *Engine, from string, nonce uint64, to [32]byte, amount uint64) []byte {
	t.Helper()
	x, err := tx.Sign(txtest.Key(from), e.GenesisHash(), nonce, tx.Transfer{Dest: to, Amount: amount})
	if err != nil {
		t.Fatal(err)
	}
	return x.Encode()
}

func TestRestartKeepsState(t *testing.T) {
	home := t.TempDir()
	e := openTest(t, home, 2)
	dest := txtest.Key("dest").PublicKey()
	for i := uint64(0); i < 5; i++ {
		if _, err := e.Submit(transfer(t, e, "acct1", i, dest, 1000)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		if _, err := e.ProduceBlock(); err != nil {
			t.Fatal(err)
		}
	}
	head := e.Head()
	if head.Height != 3 {
		t.Fatalf("height %d", head.Height)
	}
	q, _, err := e.Query("balance/"+runtime.Hex32(dest).String(), nil)
	if err != nil || string(q) != "5000" {
		t.Fatalf("balance %s %v", q, err)
	}
	// Past state: at block 0 the destination is empty.
	zero := uint64(0)
	q, _, err = e.Query("balance/"+runtime.Hex32(dest).String(), &zero)
	if err != nil || string(q) != "0" {
		t.Fatalf("balance at 0: %s %v", q, err)
	}
	e.Close()
	e2 := openTest(t, home, 2)
	defer e2.Close()
	if e2.Head() != head {
		t.Fatalf("head after restart %+v, want %+v", e2.Head(), head)
	}
	if _, err := e2.ProduceBlock(); err != nil {
		t.Fatal(err)
	}
}

func TestPrunedPastState(t *testing.T) {
	e := openTest(t, t.TempDir(), 1)
	defer e.Close()
	for i := 0; i < store.KeepBlocks+5; i++ {
		if _, err := e.ProduceBlock(); err != nil {
			t.Fatal(err)
		}
	}
	at := uint64(2)
	if _, _, err := e.Query("issuance", &at); err == nil {
		t.Fatal("query at a pruned block succeeded")
	}
	at = e.Head().Height - store.KeepBlocks
	if _, _, err := e.Query("issuance", &at); err != nil {
		t.Fatalf("query at the oldest kept block: %v", err)
	}
}

// TestMempoolFlood submits 10,000 transfers from 100 accounts (100 each, out of order within the
// flood) and checks every one is included once, in nonce order per account.
func TestMempoolFlood(t *testing.T) {
	const accounts, per = 100, 100
	e := openTest(t, t.TempDir(), accounts)
	defer e.Close()
	dest := txtest.Key("sink").PublicKey()
	raws := make([][]byte, 0, accounts*per)
	for n := 0; n < per; n++ {
		for a := 0; a < accounts; a++ {
			raws = append(raws, transfer(t, e, fmt.Sprintf("acct%d", a), uint64(n), dest, uint64(1000+a)))
		}
	}
	// Submit the second half of each account's nonces first: they wait as future transactions.
	half := len(raws) / 2
	for _, r := range append(raws[half:], raws[:half]...) {
		if _, err := e.Submit(r); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := e.MempoolSize(); n != accounts*per {
		t.Fatalf("mempool holds %d", n)
	}
	seen := map[[32]byte]bool{}
	next := map[[32]byte]uint64{}
	for i := 0; i < 20 && len(seen) < accounts*per; i++ {
		b, err := e.ProduceBlock()
		if err != nil {
			t.Fatal(err)
		}
		for j, raw := range b.Txs {
			r := b.Results[j]
			if !r.OK() {
				t.Fatalf("tx failed: %+v", r)
			}
			if seen[r.TxHash] {
				t.Fatal("transaction applied twice")
			}
			seen[r.TxHash] = true
			x, _ := tx.Decode(raw)
			if x.Nonce != next[x.Signer] {
				t.Fatalf("nonce %d, want %d", x.Nonce, next[x.Signer])
			}
			next[x.Signer]++
		}
	}
	if len(seen) != accounts*per {
		t.Fatalf("%d of %d included", len(seen), accounts*per)
	}
	if n, _ := e.MempoolSize(); n != 0 {
		t.Fatalf("mempool left %d", n)
	}
	var want uint64
	for a := 0; a < accounts; a++ {
		want += uint64(per * (1000 + a))
	}
	q, _, _ := e.Query("balance/"+runtime.Hex32(dest).String(), nil)
	if string(q) != fmt.Sprint(want) {
		t.Fatalf("sink balance %s, want %d", q, want)
	}
	// A replay is refused at admission.
	if _, err := e.Submit(raws[0]); err == nil {
		t.Fatal("replayed transaction admitted")
	}
}

func TestRunAndWait(t *testing.T) {
	e, err := Open(Config{Home: t.TempDir(), Genesis: testGenesis(1), NoSync: true, BlockTime: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go e.Run(ctx)
	h, err := e.Submit(transfer(t, e, "acct0", 0, txtest.Key("x").PublicKey(), 600))
	if err != nil {
		t.Fatal(err)
	}
	b, i, err := e.WaitTx(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Results[i].OK() {
		t.Fatalf("%+v", b.Results[i])
	}
}

// TestConcurrentReads runs queries (head and past) while blocks that add keys are produced; run it
// with -race.
func TestConcurrentReads(t *testing.T) {
	e := openTest(t, t.TempDir(), 2)
	defer e.Close()
	stop := make(chan struct{})
	done := make(chan struct{})
	for w := 0; w < 3; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for {
				select {
				case <-stop:
					return
				default:
				}
				e.Query("globals", nil)
				e.Query("subnets", nil)
				h := e.Head().Height
				if h > 2 {
					at := h - 2
					e.Query("issuance", &at)
				}
			}
		}()
	}
	for i := uint64(0); i < 30; i++ {
		dest := txtest.Key(fmt.Sprintf("new%d", i)).PublicKey()
		if _, err := e.Submit(transfer(t, e, "acct1", i, dest, 1000)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.ProduceBlock(); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	for w := 0; w < 3; w++ {
		<-done
	}
}
