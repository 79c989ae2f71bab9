package keys

import (
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	schnorrkel "github.com/ChainSafe/go-schnorrkel"
)

// Key errors (wrapped with context; test with errors.Is). None of them quotes key material.
var (
	// ErrNoSecret means a signing or export operation was asked of a public-only keypair.
	ErrNoSecret = errors.New("keypair has no secret key (public only)")
	// ErrInvalidSeed means a seed is not 32 bytes (64 hex digits).
	ErrInvalidSeed = errors.New("invalid seed: want 32 bytes (0x + 64 hex digits)")
	// ErrInvalidPrivateKey means a 64-byte private key is malformed (wrong length or a non-canonical scalar).
	ErrInvalidPrivateKey = errors.New("invalid private key: want 64 bytes, a canonical sr25519 scalar followed by a nonce")
	// ErrInvalidPublicKey means the bytes are not a valid sr25519 (Ristretto) public key.
	ErrInvalidPublicKey = errors.New("invalid sr25519 public key")
)

// Keypair is an sr25519 keypair, or a public key alone. The zero value is not usable; build one with
// FromMnemonic, FromURI, FromSeed, FromPrivateKey, FromPublicKey or FromSS58.
//
// A Keypair prints only its SS58 address through fmt (all verbs), so logging one cannot leak its secret.
type Keypair struct {
	pub    [32]byte
	pubKey *schnorrkel.PublicKey

	hasSecret bool
	key       [32]byte // canonical scalar (schnorrkel SecretKey::to_bytes first half)
	nonce     [32]byte

	hasSeed  bool
	seed     [32]byte // mini secret that expands to exactly this key
	mnemonic []byte   // phrase that (with an empty passphrase) gives exactly this key
}

func newPublic(pub [32]byte) (*Keypair, error) {
	pk, err := schnorrkel.NewPublicKey(pub)
	if err != nil {
		return nil, ErrInvalidPublicKey
	}
	// Encode fills go-schnorrkel's lazily cached compressed form now, so concurrent Verify calls on this
	// keypair only read it (otherwise the first concurrent uses race on that cache).
	pk.Encode()
	return &Keypair{pub: pub, pubKey: pk}, nil
}

func newSecret(sk *schnorrkel.SecretKey) (*Keypair, error) {
	pk, err := sk.Public()
	if err != nil {
		return nil, ErrInvalidPrivateKey
	}
	kp := &Keypair{pub: pk.Encode(), pubKey: pk, hasSecret: true}
	kp.key = sk.Encode()
	// go-schnorrkel keeps the nonce unexported, so each caller sets kp.nonce from its own input.
	return kp, nil
}

func fromMini(mini [32]byte) (*Keypair, error) {
	msk, err := schnorrkel.NewMiniSecretKeyFromRaw(mini)
	if err != nil {
		return nil, ErrInvalidSeed
	}
	kp, err := newSecret(msk.ExpandEd25519())
	if err != nil {
		return nil, err
	}
	kp.nonce = expandNonce(mini)
	kp.hasSeed, kp.seed = true, mini
	return kp, nil
}

// FromSeed builds the keypair of a 32-byte mini secret (the keyfile's `secretSeed`, subkey's "secret
// seed"), expanded in schnorrkel's Ed25519 mode as Substrate does.
func FromSeed(seed []byte) (*Keypair, error) {
	if len(seed) != 32 {
		return nil, fmt.Errorf("%w (got %d bytes)", ErrInvalidSeed, len(seed))
	}
	var mini [32]byte
	copy(mini[:], seed)
	defer clear(mini[:])
	return fromMini(mini)
}

// FromSeedHex is FromSeed for a hex string, with or without a 0x prefix.
func FromSeedHex(s string) (*Keypair, error) {
	b, err := decodeHex(s)
	if err != nil {
		return nil, fmt.Errorf("%w (not hex)", ErrInvalidSeed)
	}
	defer clear(b)
	return FromSeed(b)
}

// FromMnemonic builds the keypair of an English BIP39 mnemonic and optional BIP39 passphrase with
// substrate-bip39 seed derivation (see MiniSecretFromMnemonic). Bittensor wallets use an empty password.
func FromMnemonic(phrase, password string) (*Keypair, error) {
	mini, err := MiniSecretFromMnemonic(phrase, password)
	if err != nil {
		return nil, err
	}
	defer clear(mini[:])
	kp, err := fromMini(mini)
	if err != nil {
		return nil, err
	}
	if password == "" {
		kp.mnemonic = []byte(strings.Join(strings.Fields(phrase), " "))
	}
	return kp, nil
}

// FromPrivateKey builds a keypair from bittensor's 64-byte `privateKey`: schnorrkel's SecretKey::to_bytes,
// the canonical 32-byte scalar followed by the 32-byte nonce. (polkadot-js exports the "ed25519 form" with
// the scalar multiplied by 8 instead; use FromEd25519Bytes for that.)
func FromPrivateKey(priv []byte) (*Keypair, error) {
	if len(priv) != 64 {
		return nil, fmt.Errorf("%w (got %d bytes)", ErrInvalidPrivateKey, len(priv))
	}
	var key, nonce [32]byte
	copy(key[:], priv[:32])
	copy(nonce[:], priv[32:])
	defer clear(key[:])
	defer clear(nonce[:])
	kp, err := newSecret(schnorrkel.NewSecretKey(key, nonce))
	if err != nil {
		return nil, err
	}
	kp.nonce = nonce
	return kp, nil
}

// FromPrivateKeyHex is FromPrivateKey for a hex string, with or without a 0x prefix.
func FromPrivateKeyHex(s string) (*Keypair, error) {
	b, err := decodeHex(s)
	if err != nil {
		return nil, fmt.Errorf("%w (not hex)", ErrInvalidPrivateKey)
	}
	defer clear(b)
	return FromPrivateKey(b)
}

// FromEd25519Bytes builds a keypair from the 64-byte "ed25519 form" of an sr25519 secret key (scalar times
// the cofactor 8, then the nonce), the form polkadot-js stores in its PKCS8 exports.
func FromEd25519Bytes(b []byte) (*Keypair, error) {
	if len(b) != 64 {
		return nil, fmt.Errorf("%w (got %d bytes)", ErrInvalidPrivateKey, len(b))
	}
	var raw [64]byte
	copy(raw[:], b)
	defer clear(raw[:])
	kp, err := newSecret(schnorrkel.NewSecretKeyFromEd25519Bytes(raw))
	if err != nil {
		return nil, err
	}
	copy(kp.nonce[:], raw[32:])
	return kp, nil
}

// FromPublicKey returns a public-only keypair, which can verify but not sign.
func FromPublicKey(pub [32]byte) (*Keypair, error) {
	return newPublic(pub)
}

// FromPublicKeyHex is FromPublicKey for a hex string, with or without a 0x prefix.
func FromPublicKeyHex(s string) (*Keypair, error) {
	b, err := decodeHex(s)
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("%w: want 0x + 64 hex digits", ErrInvalidPublicKey)
	}
	return newPublic([32]byte(b))
}

// FromSS58 returns a public-only keypair for an SS58 address of any registered prefix.
func FromSS58(addr string) (*Keypair, error) {
	pub, _, err := DecodeSS58(addr)
	if err != nil {
		return nil, err
	}
	return newPublic(pub)
}

// PublicKey returns the 32-byte sr25519 public key (the account id).
func (k *Keypair) PublicKey() [32]byte { return k.pub }

// PublicKeyHex returns the public key as 0x + 64 lowercase hex digits.
func (k *Keypair) PublicKeyHex() string { return "0x" + hex.EncodeToString(k.pub[:]) }

// SS58 returns the address under the Bittensor prefix 42.
func (k *Keypair) SS58() string { return EncodeSS58(k.pub[:], DefaultSS58Prefix) }

// HasSecret reports whether the keypair can sign.
func (k *Keypair) HasSecret() bool { return k.hasSecret }

// PrivateKey returns a copy of the 64-byte bittensor `privateKey` (canonical scalar || nonce), or false for
// a public-only keypair.
func (k *Keypair) PrivateKey() ([]byte, bool) {
	if !k.hasSecret {
		return nil, false
	}
	out := make([]byte, 64)
	copy(out, k.key[:])
	copy(out[32:], k.nonce[:])
	return out, true
}

// Seed returns a copy of the 32-byte mini secret that expands to exactly this key (the keyfile's
// `secretSeed`), or false when it is unknown (a key imported from a private key, or soft-derived).
func (k *Keypair) Seed() ([]byte, bool) {
	if !k.hasSeed {
		return nil, false
	}
	return append([]byte(nil), k.seed[:]...), true
}

// Mnemonic returns the BIP39 phrase that, with an empty passphrase and no derivation path, gives exactly
// this key (the keyfile's `secretPhrase`), or false when there is none.
func (k *Keypair) Mnemonic() (string, bool) {
	if len(k.mnemonic) == 0 {
		return "", false
	}
	return string(k.mnemonic), true
}

// Public returns a public-only copy of the keypair.
func (k *Keypair) Public() *Keypair {
	return &Keypair{pub: k.pub, pubKey: k.pubKey}
}

// Wipe overwrites the secret material the keypair holds; it becomes public-only. (Strings already handed
// out by Mnemonic cannot be wiped: Go strings are immutable.)
func (k *Keypair) Wipe() {
	clear(k.key[:])
	clear(k.nonce[:])
	clear(k.seed[:])
	clear(k.mnemonic)
	k.mnemonic = nil
	k.hasSecret, k.hasSeed = false, false
}

// Equal reports whether two keypairs have the same public key.
func (k *Keypair) Equal(o *Keypair) bool {
	if k == nil || o == nil {
		return k == o
	}
	return subtle.ConstantTimeCompare(k.pub[:], o.pub[:]) == 1
}

// String returns a redacted description: the SS58 address and whether a secret is held.
func (k Keypair) String() string {
	kind := "public"
	if k.hasSecret {
		kind = "secret redacted"
	}
	return "sr25519 keypair " + k.SS58() + " (" + kind + ")"
}

// GoString is String, so %#v does not print the secret fields.
func (k Keypair) GoString() string { return k.String() }

// Format prints String for every verb, so no fmt verb (%v, %+v, %#v, %x, %s, ...) reveals secret bytes.
func (k Keypair) Format(f fmt.State, _ rune) {
	_, _ = f.Write([]byte(k.String()))
}

func (k *Keypair) secretKey() *schnorrkel.SecretKey {
	return schnorrkel.NewSecretKey(k.key, k.nonce)
}

// decodeHex decodes hex with an optional 0x/0X prefix.
func decodeHex(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	return hex.DecodeString(s)
}
