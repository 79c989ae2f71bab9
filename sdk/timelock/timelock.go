// Package timelock encrypts data to a future drand round in the format subtensor decrypts: the ideal-labs `tle`
// crate's TLECiphertext (what `bittensor_drand.get_encrypted_commit` produces and the chain's pallet opens with
// `tle::tlock::tld` once the round's beacon is on chain), over BLS12-381 with drand quicknet's parameters
// (scheme bls-unchained-g1-rfc9380: beacon signatures on G1, the public key on G2).
//
// Encryption: a random 32-byte key is IBE-encrypted to the identity SHA-256(round as u64 big-endian), and the
// message is sealed under that key with AES-256-GCM. The ciphertext is the arkworks `serialize_compressed` of
//
//	TLECiphertext { header: { u: G2 (96 bytes, zcash compressed), v: Vec<u8> (32), w: Vec<u8> (32) },
//	                body: Vec<u8> (= AESOutput { ciphertext: Vec<u8>, nonce: Vec<u8> (12) } serialized),
//	                cipher_suite: Vec<u8> ("AES_GCM_") }
//
// where every Vec is a u64 little-endian length followed by its bytes. drand's own Go `tlock` library writes an
// age-based format instead, which subtensor cannot read: this package ports tle's layout and uses
// github.com/drand/kyber-bls12381 for the curve arithmetic.
//
// Decryption needs the round's beacon signature (48 bytes, from any drand quicknet endpoint or from the chain's
// Drand pallet); it is offered to check a commit and for tests. GenerateKey and SecretKey.SignRound make a local
// beacon for tests and local chains.
package timelock

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"

	"github.com/drand/kyber"
)

// Drand quicknet, the network subtensor follows (Drand pallet) and the Python SDK encrypts to.
const (
	// QuicknetChainHash identifies the network on drand's HTTP API (/<hash>/public/<round>).
	QuicknetChainHash = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
	// QuicknetPublicKeyHex is the group public key (G2, compressed), as published by drand and as
	// bittensor-drand and the tle tests embed it.
	QuicknetPublicKeyHex = "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c" +
		"8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb" +
		"5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
	// QuicknetGenesis is the unix time of round 1's period start; QuicknetPeriod the seconds between rounds.
	QuicknetGenesis = 1692803367
	QuicknetPeriod  = 3
	// Scheme is drand's name for quicknet's signature scheme.
	Scheme = "bls-unchained-g1-rfc9380"
	// CipherSuite is tle's `AESGCMStreamCipherProvider::CIPHER_SUITE`.
	CipherSuite = "AES_GCM_"
)

// Errors. Decrypt wraps ErrDecrypt for every failure that a wrong beacon or a tampered ciphertext causes.
var (
	ErrMalformed = errors.New("timelock: malformed ciphertext")
	ErrDecrypt   = errors.New("timelock: decryption failed")
)

const aesNonceSize = 12

// maxBody bounds the lengths read from a ciphertext, so a hostile length is an error, never an allocation.
const maxBody = 16 << 20

// PublicKey is a drand group public key (a G2 point).
type PublicKey struct{ p kyber.Point }

// ParsePublicKey reads a compressed G2 point (96 bytes) and checks that it lies in the prime-order subgroup.
func ParsePublicKey(b []byte) (*PublicKey, error) {
	if len(b) != g2Size {
		return nil, fmt.Errorf("timelock: public key is %d bytes, want %d", len(b), g2Size)
	}
	p, err := parseG2(b)
	if err != nil {
		return nil, fmt.Errorf("timelock: public key: %w", err)
	}
	return &PublicKey{p: p}, nil
}

var quicknet = sync.OnceValue(func() *PublicKey {
	b, err := hex.DecodeString(QuicknetPublicKeyHex)
	if err != nil {
		panic(err)
	}
	pk, err := ParsePublicKey(b)
	if err != nil {
		panic(err)
	}
	return pk
})

// Quicknet returns drand quicknet's public key (parsed once; the value is never modified).
func Quicknet() *PublicKey { return quicknet() }

// Bytes is the compressed encoding (96 bytes).
func (pk *PublicKey) Bytes() []byte {
	b, _ := pk.p.MarshalBinary()
	return b
}

// Identity is the IBE identity of a round: SHA-256 of the round as u64 big-endian (drand's beacon message for an
// unchained scheme; the Python SDK and subtensor use the same).
func Identity(round uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], round)
	s := sha256.Sum256(b[:])
	return s[:]
}

// VerifyBeacon checks a round's signature against the public key: e(sig, G2) == e(H(Identity(round)), pk).
func VerifyBeacon(pk *PublicKey, round uint64, sig []byte) error {
	s, err := parseG1(sig)
	if err != nil {
		return fmt.Errorf("timelock: beacon signature: %w", err)
	}
	if !bls12Pairing(s, suite.G2().Point().Base()).Equal(bls12Pairing(identityPoint(Identity(round)), pk.p.Clone())) {
		return errors.New("timelock: beacon signature does not verify for this round and key")
	}
	return nil
}

func bls12Pairing(g1, g2 kyber.Point) kyber.Point { return suite.Pair(g1, g2) }

// Ciphertext is tle's TLECiphertext<TinyBLS381>.
type Ciphertext struct {
	header      ibeCiphertext
	Body        []byte // the serialized AESOutput
	CipherSuite []byte
}

// Encrypt seals msg to the given round under pk. rnd supplies the randomness (crypto/rand.Reader when nil).
// The result is the arkworks compressed serialization that subtensor stores and decrypts.
func Encrypt(pk *PublicKey, round uint64, msg []byte, rnd io.Reader) ([]byte, error) {
	if pk == nil {
		return nil, errors.New("timelock: nil public key")
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	var key [32]byte
	if _, err := io.ReadFull(rnd, key[:]); err != nil {
		return nil, fmt.Errorf("timelock: randomness: %w", err)
	}
	header, err := ibeEncrypt(pk.p, Identity(round), key[:], rnd)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aesNonceSize)
	if _, err := io.ReadFull(rnd, nonce); err != nil {
		return nil, fmt.Errorf("timelock: randomness: %w", err)
	}
	gcm, err := newGCM(key[:])
	if err != nil {
		return nil, err
	}
	sealed := gcm.Seal(nil, nonce, msg, nil)
	var body []byte
	body = appendVec(body, sealed)
	body = appendVec(body, nonce)
	ct := &Ciphertext{header: *header, Body: body, CipherSuite: []byte(CipherSuite)}
	return ct.Marshal()
}

// EncryptQuicknet is Encrypt to drand quicknet with crypto/rand.
func EncryptQuicknet(round uint64, msg []byte) ([]byte, error) {
	return Encrypt(Quicknet(), round, msg, nil)
}

// Marshal is the arkworks compressed serialization.
func (c *Ciphertext) Marshal() ([]byte, error) {
	u, err := c.header.U.MarshalBinary()
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, g2Size+3*8+64+len(c.Body)+8+len(c.CipherSuite))
	out = append(out, u...)
	out = appendVec(out, c.header.V)
	out = appendVec(out, c.header.W)
	out = appendVec(out, c.Body)
	out = appendVec(out, c.CipherSuite)
	return out, nil
}

// ParseCiphertext reads a serialized TLECiphertext, checking U's subgroup membership as arkworks'
// `deserialize_compressed` does, and refusing trailing bytes.
func ParseCiphertext(b []byte) (*Ciphertext, error) {
	if len(b) < g2Size {
		return nil, fmt.Errorf("%w: %d bytes", ErrMalformed, len(b))
	}
	u, err := parseG2(b[:g2Size])
	if err != nil {
		return nil, fmt.Errorf("%w: U: %v", ErrMalformed, err)
	}
	r := bytes.NewReader(b[g2Size:])
	c := &Ciphertext{header: ibeCiphertext{U: u}}
	for _, dst := range []*[]byte{&c.header.V, &c.header.W, &c.Body, &c.CipherSuite} {
		if *dst, err = readVec(r); err != nil {
			return nil, err
		}
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrMalformed, r.Len())
	}
	return c, nil
}

// Decrypt opens a serialized ciphertext with the beacon signature (48 bytes, compressed G1) of the round it was
// encrypted to. A signature of another round (or another network) fails with ErrDecrypt.
func Decrypt(ciphertext, signature []byte) ([]byte, error) {
	c, err := ParseCiphertext(ciphertext)
	if err != nil {
		return nil, err
	}
	return c.Decrypt(signature)
}

// Decrypt opens the ciphertext with a beacon signature; see the package function.
func (c *Ciphertext) Decrypt(signature []byte) ([]byte, error) {
	if string(c.CipherSuite) != CipherSuite {
		return nil, fmt.Errorf("%w: cipher suite %q", ErrMalformed, c.CipherSuite)
	}
	sig, err := parseG1(signature)
	if err != nil {
		return nil, fmt.Errorf("timelock: beacon signature: %w", err)
	}
	key, err := ibeDecrypt(sig, &c.header)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	r := bytes.NewReader(c.Body)
	sealed, err := readVec(r)
	if err != nil {
		return nil, err
	}
	nonce, err := readVec(r)
	if err != nil {
		return nil, err
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes in the body", ErrMalformed, r.Len())
	}
	if len(nonce) != aesNonceSize {
		return nil, fmt.Errorf("%w: nonce is %d bytes", ErrDecrypt, len(nonce))
	}
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	msg, err := gcm.Open(nil, nonce, sealed, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: AES-GCM: %v", ErrDecrypt, err)
	}
	return msg, nil
}

// SecretKey is a locally generated beacon key, for tests and local chains: a real drand network's key is
// distributed and never held by one party.
type SecretKey struct{ s kyber.Scalar }

// GenerateKey makes a beacon key pair (secret scalar, public key on G2). rnd is crypto/rand.Reader when nil.
func GenerateKey(rnd io.Reader) (*SecretKey, *PublicKey, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	var s *big.Int
	for s == nil || s.Sign() == 0 {
		var err error
		if s, err = randomScalar(rnd); err != nil {
			return nil, nil, err
		}
	}
	sk := &SecretKey{s: newScalar(s)}
	return sk, &PublicKey{p: suite.G2().Point().Mul(sk.s, nil)}, nil
}

// SignRound is the beacon signature of a round (compressed G1, 48 bytes), as a quicknet node computes it.
func (sk *SecretKey) SignRound(round uint64) []byte {
	b, _ := suite.G1().Point().Mul(sk.s, identityPoint(Identity(round))).MarshalBinary()
	return b
}

// String never shows the key.
func (sk *SecretKey) String() string { return "timelock.SecretKey(redacted)" }

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func appendVec(out, b []byte) []byte {
	out = binary.LittleEndian.AppendUint64(out, uint64(len(b)))
	return append(out, b...)
}

func readVec(r *bytes.Reader) ([]byte, error) {
	var n [8]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, fmt.Errorf("%w: truncated length", ErrMalformed)
	}
	l := binary.LittleEndian.Uint64(n[:])
	if l > maxBody || l > uint64(r.Len()) {
		return nil, fmt.Errorf("%w: length %d with %d bytes left", ErrMalformed, l, r.Len())
	}
	out := make([]byte, l)
	_, _ = io.ReadFull(r, out)
	return out, nil
}

func parseG1(b []byte) (kyber.Point, error) {
	if len(b) != g1Size {
		return nil, fmt.Errorf("G1 point is %d bytes, want %d", len(b), g1Size)
	}
	p := suite.G1().Point()
	if err := p.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	if gc, ok := p.(interface{ IsInCorrectGroup() bool }); ok && !gc.IsInCorrectGroup() {
		return nil, errors.New("G1 point not in the prime-order subgroup")
	}
	return p, nil
}

func parseG2(b []byte) (kyber.Point, error) {
	if len(b) != g2Size {
		return nil, fmt.Errorf("G2 point is %d bytes, want %d", len(b), g2Size)
	}
	p := suite.G2().Point()
	if err := p.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	if gc, ok := p.(interface{ IsInCorrectGroup() bool }); ok && !gc.IsInCorrectGroup() {
		return nil, errors.New("G2 point not in the prime-order subgroup")
	}
	return p, nil
}
