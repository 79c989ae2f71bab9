// Package tx is the signed transaction envelope and the calls it carries: the wire format shared by the
// runtime (which decodes and checks it) and the SDK client (which builds and signs it).
//
// Envelope, version 1, in chain/codec's encoding:
//
//	u8       version (1)
//	[32]byte genesis hash (the chain id: a transaction for another chain fails ErrWrongChain)
//	[32]byte signer public key (sr25519)
//	u64      nonce (the signer's next nonce; lower = replay/stale, higher = future)
//	call     u8 call index ‖ call fields
//	[64]byte sr25519 signature, context "substrate", over blake2b-256 of every byte before it
//
// Stateless checks (size, version, decoding, signature) happen in Decode and Verify; the runtime checks
// the chain id and the nonce against its state. Every rejection is one of the Err* values below.
package tx

import (
	"errors"
	"fmt"

	"github.com/gotensor/gotensor/chain/codec"
	"golang.org/x/crypto/blake2b"
)

// Version is the envelope version this package writes and accepts.
const Version = 1

// MaxSize is the largest encoded transaction accepted (a 4096-entry set_weights is about 16 KiB).
const MaxSize = 256 << 10

// Rejections before execution. The runtime reports them by these names.
var (
	ErrOversized    = errors.New("Oversized")
	ErrBadVersion   = errors.New("BadVersion")
	ErrMalformed    = errors.New("Malformed")
	ErrUnknownCall  = errors.New("UnknownCall")
	ErrBadSignature = errors.New("BadSignature")
	ErrWrongChain   = errors.New("WrongChain")
	ErrStaleNonce   = errors.New("StaleNonce")
	ErrFutureNonce  = errors.New("FutureNonce")
)

// Signer signs messages with an sr25519 key (keys.Keypair satisfies it).
type Signer interface {
	PublicKey() [32]byte
	Sign(msg []byte) ([64]byte, error)
}

// Tx is a decoded transaction.
type Tx struct {
	Genesis   [32]byte
	Signer    [32]byte
	Nonce     uint64
	Call      Call
	Signature [64]byte

	payload []byte // encoded bytes covered by the signature (set by Decode and Sign); the whole envelope if eth
	eth     bool   // an Ethereum envelope (eth.go): Call is an Ethereum
}

// payloadBytes encodes everything the signature covers.
func (t *Tx) payloadBytes() []byte {
	w := codec.NewWriter(128)
	w.Version(Version)
	w.Raw(t.Genesis[:])
	w.Raw(t.Signer[:])
	w.U64(t.Nonce)
	EncodeCall(w, t.Call)
	return w.Bytes()
}

// SigningHash is the 32-byte message the signature is made over.
func (t *Tx) SigningHash() [32]byte {
	if t.payload == nil {
		t.payload = t.payloadBytes()
	}
	return blake2b.Sum256(t.payload)
}

// Sign builds and signs a transaction.
func Sign(s Signer, genesis [32]byte, nonce uint64, call Call) (*Tx, error) {
	t := &Tx{Genesis: genesis, Signer: s.PublicKey(), Nonce: nonce, Call: call}
	h := t.SigningHash()
	sig, err := s.Sign(h[:])
	if err != nil {
		return nil, fmt.Errorf("sign %s: %w", call.Index().Name(), err)
	}
	t.Signature = sig
	return t, nil
}

// Encode returns the wire bytes.
func (t *Tx) Encode() []byte {
	if t.eth {
		return append([]byte(nil), t.payload...)
	}
	if t.payload == nil {
		t.payload = t.payloadBytes()
	}
	out := make([]byte, 0, len(t.payload)+64)
	out = append(out, t.payload...)
	return append(out, t.Signature[:]...)
}

// Hash is blake2b-256 of the wire bytes (the transaction id).
// For an Ethereum envelope it is the Ethereum transaction hash (keccak-256 of the raw transaction).
func (t *Tx) Hash() [32]byte {
	if e, ok := t.Call.(Ethereum); ok && t.eth {
		return e.Hash
	}
	return blake2b.Sum256(t.Encode())
}

// Decode parses wire bytes. It checks size, version and encoding, not the signature (see Verify).
func Decode(b []byte) (*Tx, error) {
	if len(b) > MaxSize {
		return nil, fmt.Errorf("%w: %d bytes > %d", ErrOversized, len(b), MaxSize)
	}
	if IsEthereum(b) {
		return decodeEthereum(b)
	}
	if len(b) < 1+32+32+8+1+64 {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrMalformed, len(b))
	}
	body := b[:len(b)-64]
	r := codec.NewReader(body)
	if r.Version(Version); r.Err() != nil {
		return nil, fmt.Errorf("%w: %d", ErrBadVersion, b[0])
	}
	t := &Tx{}
	t.Genesis = r.Array32()
	t.Signer = r.Array32()
	t.Nonce = r.U64()
	call, err := DecodeCall(r)
	if err != nil {
		if errors.Is(err, ErrUnknownCall) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := r.Done(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	t.Call = call
	copy(t.Signature[:], b[len(b)-64:])
	t.payload = body
	return t, nil
}

// Verify checks the signature.
// An Ethereum envelope was authenticated by its decoder (sender recovery).
func (t *Tx) Verify() error {
	if t.eth {
		return nil
	}
	h := t.SigningHash()
	if !verify(t.Signer, h[:], t.Signature[:]) {
		return ErrBadSignature
	}
	return nil
}
