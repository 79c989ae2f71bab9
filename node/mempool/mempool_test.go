package mempool

import (
	"errors"
	"testing"
)

func tx(signer byte, nonce uint64) Tx {
	return Tx{Hash: [32]byte{signer, byte(nonce), byte(nonce >> 8)}, Signer: [32]byte{signer}, Nonce: nonce, Raw: make([]byte, 100)}
}

func TestReapOrderAndLimits(t *testing.T) {
	p := New(Config{MaxTxs: 10, MaxPerAccount: 4})
	state := map[[32]byte]uint64{}
	nonceOf := func(s [32]byte) uint64 { return state[s] }
	// Signer 1 submits nonces 2, 0, 1 (out of order); signer 2 submits 0 in between; signer 3 only a future nonce.
	for _, x := range []Tx{tx(1, 2), tx(2, 0), tx(1, 0), tx(1, 1), tx(3, 3)} {
		if err := p.Add(x, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Add(tx(1, 0), 0); !errors.Is(err, ErrAlreadyKnown) {
		t.Fatal(err)
	}
	dup := tx(1, 1)
	dup.Hash[5] = 9
	if err := p.Add(dup, 0); !errors.Is(err, ErrNonceTaken) {
		t.Fatal(err)
	}
	if err := p.Add(tx(1, 3), 0); err != nil {
		t.Fatal(err)
	}
	if err := p.Add(tx(1, 4), 0); !errors.Is(err, ErrAccountFull) && !errors.Is(err, ErrTooFarAhead) {
		t.Fatal(err)
	}
	if n := p.NextNonce([32]byte{1}, 0); n != 4 {
		t.Fatalf("next nonce %d", n)
	}
	got := p.Reap(100, 1<<20, nonceOf)
	var order []string
	for _, x := range got {
		order = append(order, string(rune('0'+x.Signer[0]))+":"+string(rune('0'+x.Nonce)))
	}
	// Signer 2's nonce 0 arrived before signer 1's nonce 0; signer 3's future nonce waits.
	if want := "[2:0 1:0 1:1 1:2 1:3]"; fmtList(order) != want {
		t.Fatalf("order %s, want %s", fmtList(order), want)
	}
	state[[32]byte{1}], state[[32]byte{2}] = 4, 1
	p.Update([][32]byte{{1}, {2}}, nonceOf, nil)
	if n, _ := p.Size(); n != 1 {
		t.Fatalf("%d left, want signer 3's future transaction", n)
	}
	// Byte limit.
	q := New(Config{MaxBytes: 250})
	q.Add(tx(1, 0), 0)
	q.Add(tx(1, 1), 0)
	if err := q.Add(tx(1, 2), 0); !errors.Is(err, ErrFull) {
		t.Fatal(err)
	}
	if got := q.Reap(100, 150, func([32]byte) uint64 { return 0 }); len(got) != 1 {
		t.Fatalf("reaped %d under a 150-byte block limit", len(got))
	}
}

func fmtList(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out + "]"
}
