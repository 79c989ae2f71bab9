package keys

import (
	"fmt"

	schnorrkel "github.com/ChainSafe/go-schnorrkel"
)

// SigningContext is the schnorrkel signing context Substrate (and so Bittensor) uses.
const SigningContext = "substrate"

// SignatureSize is the length of an sr25519 signature.
const SignatureSize = 64

var (
	bytesOpen  = []byte("<Bytes>")
	bytesClose = []byte("</Bytes>")
)

// Sign signs msg with the `substrate` signing context. sr25519 signatures are randomised: two signatures of
// the same message differ, and both verify.
func (k *Keypair) Sign(msg []byte) ([SignatureSize]byte, error) {
	if !k.hasSecret {
		return [SignatureSize]byte{}, ErrNoSecret
	}
	sig, err := k.secretKey().Sign(schnorrkel.NewSigningContext([]byte(SigningContext), msg))
	if err != nil {
		return [SignatureSize]byte{}, fmt.Errorf("sr25519 sign: %w", err)
	}
	return sig.Encode(), nil
}

// Verify reports whether sig is k's signature of msg; see the package function Verify.
func (k *Keypair) Verify(msg, sig []byte) bool {
	return verifyWith(k.pubKey, msg, sig)
}

// Verify reports whether sig is a valid sr25519 signature of msg by pub under the `substrate` context. Like
// bittensor-wallet, it also accepts a signature of "<Bytes>" + msg + "</Bytes>" (the form polkadot-js
// extensions sign). Malformed keys or signatures give false.
func Verify(pub [32]byte, msg, sig []byte) bool {
	pk, err := schnorrkel.NewPublicKey(pub)
	if err != nil {
		return false
	}
	return verifyWith(pk, msg, sig)
}

func verifyWith(pk *schnorrkel.PublicKey, msg, sig []byte) bool {
	if pk == nil || len(sig) != SignatureSize {
		return false
	}
	var s schnorrkel.Signature
	if err := s.Decode([SignatureSize]byte(sig)); err != nil {
		return false
	}
	if verifyExact(pk, &s, msg) {
		return true
	}
	wrapped := make([]byte, 0, len(bytesOpen)+len(msg)+len(bytesClose))
	wrapped = append(append(append(wrapped, bytesOpen...), msg...), bytesClose...)
	return verifyExact(pk, &s, wrapped)
}

func verifyExact(pk *schnorrkel.PublicKey, s *schnorrkel.Signature, msg []byte) bool {
	ok, err := pk.Verify(s, schnorrkel.NewSigningContext([]byte(SigningContext), msg))
	return err == nil && ok
}
