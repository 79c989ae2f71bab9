package keys

import (
	"errors"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/sr25519"
)

// substrateContext is the `substrate` signing context for curve25519-voi. Transcripts are cloned from it
// (a read-only operation), so it is shared by every goroutine.
var substrateContext = voi.NewSigningContext([]byte(SigningContext))

// VerifyKey is an sr25519 public key prepared for fast verification with curve25519-voi (about twice as
// fast as go-schnorrkel). It accepts exactly the signatures that Verify (go-schnorrkel v1.1.0) accepts for
// the `substrate` context: the same schnorrkel marker bit, canonical scalar, canonical ristretto R,
// transcript and group equation, and the key at infinity is refused as go-schnorrkel refuses it. A
// VerifyKey is immutable and safe for concurrent use.
type VerifyKey struct {
	pub [32]byte
	pk  *voi.PublicKey
}

// ErrKeyAtInfinity is the identity public key (all zero), which never verifies.
var ErrKeyAtInfinity = errors.New("sr25519: public key at infinity")

// NewVerifyKey decodes pub (a canonical ristretto255 encoding).
func NewVerifyKey(pub [32]byte) (*VerifyKey, error) {
	if pub == ([32]byte{}) {
		return nil, ErrKeyAtInfinity
	}
	pk, err := voi.NewPublicKeyFromBytes(pub[:])
	if err != nil {
		return nil, err
	}
	return &VerifyKey{pub: pub, pk: pk}, nil
}

// PublicKey is the raw key.
func (k *VerifyKey) PublicKey() [32]byte { return k.pub }

// Verify reports whether sig is k's signature of msg under the `substrate` context, also accepting a
// signature of "<Bytes>" + msg + "</Bytes>" as Verify does.
func (k *VerifyKey) Verify(msg, sig []byte) bool {
	s, ok := decodeVoiSig(sig)
	if !ok {
		return false
	}
	if k.verifyVoi(msg, s) {
		return true
	}
	wrapped := make([]byte, 0, len(bytesOpen)+len(msg)+len(bytesClose))
	wrapped = append(append(append(wrapped, bytesOpen...), msg...), bytesClose...)
	return k.verifyVoi(wrapped, s)
}

// verifyVoi verifies a decoded signature of exactly msg (no <Bytes> retry). The zero VerifyKey verifies
// nothing.
func (k *VerifyKey) verifyVoi(msg []byte, s *voi.Signature) bool {
	if k == nil || k.pk == nil || s == nil {
		return false
	}
	return k.pk.Verify(substrateContext.NewTranscriptBytes(msg), s)
}

// decodeVoiSig decodes a 64-byte schnorrkel signature (marker bit set, canonical scalar).
func decodeVoiSig(sig []byte) (*voi.Signature, bool) {
	if len(sig) != SignatureSize {
		return nil, false
	}
	s, err := voi.NewSignatureFromBytes(sig)
	if err != nil {
		return nil, false
	}
	return s, true
}
