// Package txtest gives tests deterministic sr25519 signers without depending on the keys package's
// derivation paths: Key(name) is the keypair whose mini secret is blake2b-256("gotensor-test/" + name).
package txtest

import (
	"sync"

	schnorrkel "github.com/ChainSafe/go-schnorrkel"
	"golang.org/x/crypto/blake2b"
)

// Keypair is a test signer (it satisfies tx.Signer).
type Keypair struct {
	sk  *schnorrkel.SecretKey
	pub [32]byte
}

var (
	mu    sync.Mutex
	cache = map[string]*Keypair{}
)

// Key returns the test keypair for name (cached; safe for concurrent use).
func Key(name string) *Keypair {
	mu.Lock()
	defer mu.Unlock()
	if k, ok := cache[name]; ok {
		return k
	}
	seed := blake2b.Sum256([]byte("gotensor-test/" + name))
	mini, err := schnorrkel.NewMiniSecretKeyFromRaw(seed)
	if err != nil {
		panic(err)
	}
	sk := mini.ExpandEd25519()
	pk, err := sk.Public()
	if err != nil {
		panic(err)
	}
	k := &Keypair{sk: sk, pub: pk.Encode()}
	cache[name] = k
	return k
}

// PublicKey is the 32-byte sr25519 public key.
func (k *Keypair) PublicKey() [32]byte { return k.pub }

// Sign signs msg with the "substrate" context.
func (k *Keypair) Sign(msg []byte) ([64]byte, error) {
	sig, err := k.sk.Sign(schnorrkel.NewSigningContext([]byte("substrate"), msg))
	if err != nil {
		return [64]byte{}, err
	}
	return sig.Encode(), nil
}
