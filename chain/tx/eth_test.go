package tx_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/gotensor/gotensor/chain/tx"
)

func TestEthereumEnvelope(t *testing.T) {
	// Golden mapping (testdata/golden/chain_evm_mapping_selectors.json).
	var h160 [20]byte
	h160[18], h160[19] = 0x12, 0x34
	if a := tx.EVMAccount(h160); hex.EncodeToString(a[:]) != "e96513f9de8c72d93980ef4e913774eaf8c867e75a9b7278744f7db2234ca512" {
		t.Fatalf("mapping %x", a)
	}
	raw := []byte{0x02, 0xc0, 0x01}
	env := tx.EncodeEthereum(raw)
	if !tx.IsEthereum(env) || tx.IsEthereum(raw) {
		t.Fatal("IsEthereum")
	}
	if p, ok := tx.EthereumPayload(env); !ok || !bytes.Equal(p, raw) {
		t.Fatal("payload")
	}
	// Without the runtime's decoder (this package alone) an Ethereum envelope is a bad version.
	if _, err := tx.Decode(env); !errors.Is(err, tx.ErrBadVersion) {
		t.Fatalf("no decoder: %v", err)
	}
	tx.SetEthereumDecoder(func(b []byte) (tx.Ethereum, error) {
		if len(b) < 3 {
			return tx.Ethereum{}, tx.ErrMalformed
		}
		return tx.Ethereum{From: h160, Nonce: 7, Hash: [32]byte{9}}, nil
	})
	t.Cleanup(func() { tx.SetEthereumDecoder(nil) })
	d, err := tx.Decode(env)
	if err != nil {
		t.Fatal(err)
	}
	if d.Signer != tx.EVMAccount(h160) || d.Nonce != 7 || d.Hash() != [32]byte{9} || d.Verify() != nil || !bytes.Equal(d.Encode(), env) ||
		d.Call.Index() != tx.CallEthereum || d.Call.Index().Name() != "ethereum_transact" {
		t.Fatalf("decoded %+v", d)
	}
	if _, err := tx.Decode(tx.EncodeEthereum([]byte{1})); !errors.Is(err, tx.ErrMalformed) {
		t.Fatalf("decoder error: %v", err)
	}
	if _, err := tx.Decode([]byte{tx.VersionEthereum}); !errors.Is(err, tx.ErrMalformed) {
		t.Fatalf("empty: %v", err)
	}
}
