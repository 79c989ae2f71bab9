package timelock

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/drand/kyber"
	bls "github.com/drand/kyber-bls12381"
	"github.com/drand/kyber/group/mod"
)

// This file is the Boneh-Franklin FullIdent IBE of the ideal-labs `tle` crate (timelock/src/ibe/fullident.rs and
// ibe/utils.rs), instantiated as its TinyBLS381 engine (timelock/src/curves/drand.rs): signatures and identities
// on G1, the public key and the ciphertext's U on G2, and the hash to G1 of RFC 9380 with drand quicknet's tag.
//
//	encrypt(m [32]byte):  t random in Fr; sigma = H4(t as 32 bytes little-endian)
//	                      r = H3(sigma, m);  U = r·G2
//	                      V = sigma XOR H2(e(Q_id, r·P_pub));  W = m XOR H4(sigma)
//	decrypt(sig = s·Q_id): sigma = V XOR H2(e(sig, U));  m = W XOR H4(sigma);  check U == H3(sigma, m)·G2
//
// with H2(g) = SHA-256(arkworks serialization of the Fq12 element g), H3(a, b) = SHA-256(a‖b) read big-endian and
// reduced mod r (`from_be_bytes_mod_order`), H4(a) = SHA-256(a)[:len(a)], and Q_id = hash_to_G1(identity).

// quicknetDST is the hash-to-curve domain tag of drand quicknet (`QUICKNET_CTX` in tle, the RFC 9380 default for
// G1 signatures, and kyber-bls12381's DefaultDomainG1).
const quicknetDST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"

// Sizes of the arkworks compressed encodings (the zcash format for points).
const (
	g1Size     = 48
	g2Size     = 96
	gtSize     = 576
	scalarSize = 32
)

var suite = bls.NewBLS12381Suite()

// frOrder is the order r of the BLS12-381 groups (the scalar field Fr).
var frOrder, _ = new(big.Int).SetString("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16)

var errIBE = errors.New("timelock: IBE decryption failed (wrong round, wrong key or corrupted ciphertext)")

// ibeCiphertext is tle's `ibe::fullident::Ciphertext<TinyBLS381>`.
type ibeCiphertext struct {
	U kyber.Point // G2
	V []byte      // 32 bytes
	W []byte      // 32 bytes
}

func newScalar(v *big.Int) kyber.Scalar { return mod.NewInt(new(big.Int).Mod(v, frOrder), frOrder) }

// identityPoint is Q_id = hash_to_G1(id) with the quicknet tag (tle's Identity::public with one message and an
// empty context: w3f-bls hashes `context ‖ message`).
func identityPoint(id []byte) kyber.Point {
	return suite.G1().Point().(kyber.HashablePoint).Hash(id)
}

func h2(g kyber.Point) ([]byte, error) {
	b, err := gtArkworks(g)
	if err != nil {
		return nil, err
	}
	s := sha256.Sum256(b)
	return s[:], nil
}

func h3(a, b []byte) kyber.Scalar {
	h := sha256.New()
	h.Write(a)
	h.Write(b)
	return newScalar(new(big.Int).SetBytes(h.Sum(nil)))
}

func h4(a []byte) []byte {
	s := sha256.Sum256(a)
	return append([]byte(nil), s[:len(a)]...)
}

func xor32(a, b []byte) []byte {
	out := make([]byte, 32)
	subtle.XORBytes(out, a[:32], b[:32])
	return out
}

// gtArkworks serializes a target-group element as arkworks does for Fq12 (c0 then c1 at each level of the tower
// Fq2 → Fq6 → Fq12, each Fq element 48 bytes little-endian). kilic/bls12-381 (under kyber-bls12381) writes the
// same coefficients in the opposite order (c1 before c0 at every level) and each big-endian, so the arkworks
// bytes are exactly kilic's bytes reversed. Both libraries use the same tower (u² = −1, v³ = u + 1, w² = v) and
// the same final exponentiation (3·(p⁴ − p² + 1)/r in the hard part), so the Fq12 values agree.
func gtArkworks(g kyber.Point) ([]byte, error) {
	b, err := g.MarshalBinary()
	if err != nil {
		return nil, err
	}
	if len(b) != gtSize {
		return nil, fmt.Errorf("timelock: GT element is %d bytes, want %d", len(b), gtSize)
	}
	out := make([]byte, gtSize)
	for i := range b {
		out[gtSize-1-i] = b[i]
	}
	return out, nil
}

// randomScalar draws t uniformly from Fr (64 bytes reduced, as arkworks' UniformRand is uniform too).
func randomScalar(rnd io.Reader) (*big.Int, error) {
	var buf [64]byte
	if _, err := io.ReadFull(rnd, buf[:]); err != nil {
		return nil, fmt.Errorf("timelock: randomness: %w", err)
	}
	return new(big.Int).Mod(new(big.Int).SetBytes(buf[:]), frOrder), nil
}

// scalarLE is arkworks' compressed serialization of an Fr element: 32 bytes little-endian.
func scalarLE(v *big.Int) []byte {
	be := v.FillBytes(make([]byte, scalarSize))
	for i, j := 0, len(be)-1; i < j; i, j = i+1, j-1 {
		be[i], be[j] = be[j], be[i]
	}
	return be
}

// ibeEncrypt is tle's `Identity::encrypt` for a 32-byte message.
func ibeEncrypt(pub kyber.Point, id []byte, msg []byte, rnd io.Reader) (*ibeCiphertext, error) {
	if len(msg) != 32 {
		return nil, fmt.Errorf("timelock: IBE message is %d bytes, want 32", len(msg))
	}
	t, err := randomScalar(rnd)
	if err != nil {
		return nil, err
	}
	sigma := h4(scalarLE(t))
	r := h3(sigma, msg)
	u := suite.G2().Point().Mul(r, nil)
	// pub may be shared (Quicknet()): kilic/bls12-381 can normalise a point in place, so work on a copy.
	rPub := suite.G2().Point().Mul(r, pub.Clone())
	gid := suite.Pair(identityPoint(id), rPub)
	vr, err := h2(gid)
	if err != nil {
		return nil, err
	}
	return &ibeCiphertext{U: u, V: xor32(sigma, vr), W: xor32(msg, h4(sigma))}, nil
}

// ibeDecrypt is tle's `IBESecret::decrypt`: sig is the G1 signature on the identity (the drand beacon).
func ibeDecrypt(sig kyber.Point, c *ibeCiphertext) ([]byte, error) {
	if len(c.V) != 32 || len(c.W) != 32 {
		return nil, errIBE
	}
	vr, err := h2(suite.Pair(sig, c.U))
	if err != nil {
		return nil, err
	}
	sigma := xor32(c.V, vr)
	m := xor32(c.W, h4(sigma))
	if !suite.G2().Point().Mul(h3(sigma, m), nil).Equal(c.U) {
		return nil, errIBE
	}
	return m, nil
}
