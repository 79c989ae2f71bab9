package tx_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/chain/tx/txtest"
	"github.com/gotensor/gotensor/keys"
)

var genesis = [32]byte{1, 2, 3}

func sampleCalls() []tx.Call {
	hk := txtest.Key("hot").PublicKey()
	return []tx.Call{
		tx.SetWeights{Netuid: 1, Dests: []uint16{0, 1}, Weights: []uint16{5, 7}, VersionKey: 3},
		tx.CommitWeights{Netuid: 2, Hash: [32]byte{9}},
		tx.RevealWeights{Netuid: 2, Uids: []uint16{1}, Values: []uint16{2}, Salt: []uint16{3, 4}, VersionKey: 5},
		tx.BatchRevealWeights{Netuid: 2, Uids: [][]uint16{{1}, {2}}, Values: [][]uint16{{3}, {4}}, Salts: [][]uint16{{5}, {6}}, VersionKeys: []uint64{7, 8}},
		tx.ServeAxon{Netuid: 1, Version: 2, IP: tx.IPv4(10, 0, 0, 1), Port: 8091, IPType: 4, Protocol: 4, Placeholder1: 8, Placeholder2: 9},
		tx.ServeAxonTLS{ServeAxon: tx.ServeAxon{Netuid: 1, IP: tx.U128{Hi: 1, Lo: 2}, Port: 1, IPType: 6}, Certificate: []byte{1, 2, 3}},
		tx.ServePrometheus{Netuid: 1, Version: 1, IP: tx.IPv4(1, 2, 3, 4), Port: 9090, IPType: 4},
		tx.Register{Netuid: 1, BlockNumber: 10, Nonce: 11, Work: [32]byte{1}, Hotkey: hk, Coldkey: [32]byte{2}},
		tx.BurnedRegister{Netuid: 1, Hotkey: hk},
		tx.RootRegister{Hotkey: hk},
		tx.AssociateHotkey{Hotkey: hk},
		tx.RegisterNetwork{Hotkey: hk},
		tx.StartCall{Netuid: 3},
		tx.AddStake{Hotkey: hk, Netuid: 1, Amount: 5_000_000},
		tx.RemoveStake{Hotkey: hk, Netuid: 1, Amount: 4_000_000},
		tx.DecreaseTake{Hotkey: hk, Take: 100},
		tx.IncreaseTake{Hotkey: hk, Take: 200},
		tx.Faucet{BlockNumber: 1, Nonce: 2, Work: [32]byte{3}},
		tx.Transfer{Dest: hk, Amount: 1_000_000_000},
		tx.TransferAll{Dest: hk, KeepAlive: true},
		tx.SetHyperparameter{Netuid: 1, Name: "tempo", Value: 99},
		tx.SetGlobalParameter{Name: "network_rate_limit", Value: 0},
		tx.Sudo{Call: tx.SetHyperparameter{Netuid: 1, Name: "kappa", Value: 1}},
	}
}

func TestRoundTripAndSignature(t *testing.T) {
	k := txtest.Key("alice")
	for i, c := range sampleCalls() {
		signed, err := tx.Sign(k, genesis, uint64(i), c)
		if err != nil {
			t.Fatal(err)
		}
		raw := signed.Encode()
		got, err := tx.Decode(raw)
		if err != nil {
			t.Fatalf("%s: decode: %v", c.Index().Name(), err)
		}
		if !reflect.DeepEqual(got.Call, c) || got.Nonce != uint64(i) || got.Signer != k.PublicKey() || got.Genesis != genesis {
			t.Fatalf("%s: round trip: got %+v want %+v", c.Index().Name(), got.Call, c)
		}
		if err := got.Verify(); err != nil {
			t.Fatalf("%s: verify: %v", c.Index().Name(), err)
		}
		if !bytes.Equal(got.Encode(), raw) {
			t.Fatalf("%s: re-encoding differs", c.Index().Name())
		}
		// Any flipped bit breaks either decoding or the signature.
		for _, pos := range []int{1, 40, 70, len(raw) - 70, len(raw) - 1} {
			bad := bytes.Clone(raw)
			bad[pos] ^= 0x01
			if d, err := tx.Decode(bad); err == nil {
				if d.Verify() == nil {
					t.Fatalf("%s: flipped byte %d still verifies", c.Index().Name(), pos)
				}
			}
		}
	}
}

func TestRejections(t *testing.T) {
	k := txtest.Key("alice")
	good, _ := tx.Sign(k, genesis, 0, tx.Transfer{Amount: 1})
	raw := good.Encode()

	badVersion := bytes.Clone(raw)
	badVersion[0] = 2
	unknown := bytes.Clone(raw)
	unknown[1+32+32+8] = 199
	trailing := append(bytes.Clone(raw[:len(raw)-64]), 0)
	trailing = append(trailing, raw[len(raw)-64:]...)
	cases := []struct {
		name string
		raw  []byte
		want error
	}{
		{"oversized", make([]byte, tx.MaxSize+1), tx.ErrOversized},
		{"empty", nil, tx.ErrMalformed},
		{"version", badVersion, tx.ErrBadVersion},
		{"unknown call", unknown, tx.ErrUnknownCall},
		{"trailing", trailing, tx.ErrMalformed},
		{"truncated", raw[:len(raw)-1], tx.ErrMalformed},
	}
	for _, c := range cases {
		if _, err := tx.Decode(c.raw); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	// Sudo may wrap only admin calls.
	s, _ := tx.Sign(k, genesis, 0, tx.Sudo{Call: tx.Transfer{Amount: 1}})
	if _, err := tx.Decode(s.Encode()); !errors.Is(err, tx.ErrUnknownCall) {
		t.Errorf("sudo(transfer): err = %v", err)
	}
	// A signature by someone else.
	forged := bytes.Clone(raw)
	other, _ := tx.Sign(txtest.Key("mallory"), genesis, 0, tx.Transfer{Amount: 1})
	copy(forged[len(forged)-64:], other.Signature[:])
	d, err := tx.Decode(forged)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(); !errors.Is(err, tx.ErrBadSignature) {
		t.Errorf("forged: err = %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	k := txtest.Key("alice")
	for i, c := range sampleCalls() {
		s, _ := tx.Sign(k, genesis, uint64(i), c)
		f.Add(s.Encode())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := tx.Decode(b)
		if err != nil {
			return
		}
		// Canonical: whatever decodes re-encodes to the same bytes.
		if !bytes.Equal(d.Encode(), b) {
			t.Fatalf("decode/encode not canonical:\n in  %x\n out %x", b, d.Encode())
		}
		_ = d.Verify()
	})
}

// A keys.Keypair signs transactions directly (it satisfies tx.Signer).
func TestKeysKeypairSigns(t *testing.T) {
	alice, err := keys.FromURI("//Alice")
	if err != nil {
		t.Fatal(err)
	}
	var _ tx.Signer = alice
	s, err := tx.Sign(alice, genesis, 0, tx.Transfer{Amount: 1})
	if err != nil {
		t.Fatal(err)
	}
	d, err := tx.Decode(s.Encode())
	if err != nil || d.Verify() != nil {
		t.Fatalf("decode/verify: %v", err)
	}
	if d.Signer != alice.PublicKey() {
		t.Fatal("signer")
	}
}

// TestWriteSeedCorpus regenerates testdata/fuzz/FuzzDecode from sampleCalls when GOTENSOR_WRITE_CORPUS
// is set (the fuzz target's f.Add seeds are the same; the files let `go test -fuzz` start from them).
func TestWriteSeedCorpus(t *testing.T) {
	if os.Getenv("GOTENSOR_WRITE_CORPUS") == "" {
		t.Skip("set GOTENSOR_WRITE_CORPUS=1 to rewrite the seed corpus")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	k := txtest.Key("alice")
	for i, c := range sampleCalls() {
		s, _ := tx.Sign(k, genesis, uint64(i), c)
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s.Encode())
		if err := os.WriteFile(filepath.Join(dir, "seed-"+c.Index().Name()), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
