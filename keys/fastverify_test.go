package keys

import (
	"crypto/rand"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// agree checks that VerifyKey (curve25519-voi) gives exactly the answer of Verify (go-schnorrkel).
func agree(t *testing.T, pub [32]byte, msg, sig []byte) bool {
	t.Helper()
	want := Verify(pub, msg, sig)
	got := false
	if k, err := NewVerifyKey(pub); err == nil {
		got = k.Verify(msg, sig)
	}
	require.Equal(t, want, got, "pub %x msg %q sig %x", pub, msg, sig)
	return want
}

func TestVerifyKeyGolden(t *testing.T) {
	var g goldenSignatures
	loadGolden(t, "sdk_signature.json", &g)
	require.Len(t, g.Vectors, 3)
	for i, v := range g.Vectors {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			pub := [32]byte(mustHex(t, v.PublicKeyHex))
			sig := mustHex(t, v.SignatureHex)
			want := false
			if v.Valid != nil {
				want = *v.Valid
			} else if v.ValidBt != nil {
				want = *v.ValidBt
			}
			k, err := NewVerifyKey(pub)
			require.NoError(t, err)
			require.Equal(t, want, k.Verify([]byte(v.Message), sig))
			require.Equal(t, want, agree(t, pub, []byte(v.Message), sig))
		})
	}
}

// scalarL is the order of the ristretto255 group.
var scalarL, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

func leBytes(b []byte) *big.Int {
	r := make([]byte, len(b))
	for i := range b {
		r[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(r)
}

func toLE32(x *big.Int) []byte {
	be := x.FillBytes(make([]byte, 32))
	out := make([]byte, 32)
	for i := range be {
		out[31-i] = be[i]
	}
	return out
}

func TestVerifyKeyMatchesSchnorrkel(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(1, 2))
	signers := make([]*Keypair, 4)
	for i := range signers {
		kp, err := FromURI(fmt.Sprintf("//fast-%d", i))
		require.NoError(t, err)
		signers[i] = kp
	}
	for n := range 64 {
		kp := signers[n%len(signers)]
		other := signers[(n+1)%len(signers)]
		msg := make([]byte, rng.IntN(200))
		_, _ = rand.Read(msg)
		sig, err := kp.Sign(msg)
		require.NoError(t, err)
		require.True(t, agree(t, kp.PublicKey(), msg, sig[:]))
		wrapped, err := kp.Sign(append(append(append([]byte{}, bytesOpen...), msg...), bytesClose...))
		require.NoError(t, err)
		require.True(t, agree(t, kp.PublicKey(), msg, wrapped[:]), "the <Bytes> form is accepted")

		// Forgeries: another key, another message, every single-bit flip of a few random positions.
		require.False(t, agree(t, other.PublicKey(), msg, sig[:]))
		require.False(t, agree(t, kp.PublicKey(), append(msg, 'x'), sig[:]))
		for range 8 {
			bad := sig
			bad[rng.IntN(64)] ^= 1 << rng.IntN(8)
			agree(t, kp.PublicKey(), msg, bad[:])
		}
		// Marker bit cleared.
		bad := sig
		bad[63] &= 0x7f
		require.False(t, agree(t, kp.PublicKey(), msg, bad[:]))
		// Non-canonical scalar s + l (same value mod l): refused by both.
		s := sig[32:]
		s = append([]byte{}, s...)
		s[31] &= 0x7f
		sl := new(big.Int).Add(leBytes(s), scalarL)
		bad = sig
		copy(bad[32:], toLE32(sl))
		bad[63] |= 0x80
		require.False(t, agree(t, kp.PublicKey(), msg, bad[:]))
		// Random junk of the right length, with the marker set.
		var junk [64]byte
		_, _ = rand.Read(junk[:])
		junk[63] |= 0x80
		agree(t, kp.PublicKey(), msg, junk[:])
		// Wrong lengths.
		require.False(t, agree(t, kp.PublicKey(), msg, sig[:63]))
		require.False(t, agree(t, kp.PublicKey(), msg, append(sig[:], 0)))
	}
}

func TestVerifyKeyEdgeCases(t *testing.T) {
	// The key at infinity: go-schnorrkel refuses it, NewVerifyKey too.
	_, err := NewVerifyKey([32]byte{})
	require.ErrorIs(t, err, ErrKeyAtInfinity)
	ident := make([]byte, 64)
	ident[63] = 0x80
	require.False(t, Verify([32]byte{}, []byte("m"), ident))
	// A non-canonical key encoding is refused by both.
	var nc [32]byte
	for i := range nc {
		nc[i] = 0xff
	}
	_, err = NewVerifyKey(nc)
	require.Error(t, err)
	_, err = FromPublicKey(nc)
	require.Error(t, err)
	// Random encodings: both decoders accept exactly the same keys.
	accepted := 0
	for range 2000 {
		var pub [32]byte
		_, _ = rand.Read(pub[:])
		pub[31] &= 0x7f
		_, errSchnorrkel := FromPublicKey(pub)
		_, errVoi := NewVerifyKey(pub)
		require.Equal(t, errSchnorrkel == nil, errVoi == nil, "key %x", pub)
		if errVoi == nil {
			accepted++
		}
	}
	require.Positive(t, accepted)
	// Identity R with zero scalar verifies nothing.
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	require.False(t, agree(t, alice.PublicKey(), []byte("m"), ident))
	require.False(t, agree(t, alice.PublicKey(), nil, ident))
}

func BenchmarkVerifyKey(b *testing.B) {
	alice, _ := FromURI("//Alice")
	msg := []byte("1760000000000000000.5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty.uuid.hash")
	sig, _ := alice.Sign(msg)
	k, _ := NewVerifyKey(alice.PublicKey())
	b.Run("schnorrkel", func(b *testing.B) {
		for b.Loop() {
			if !alice.Verify(msg, sig[:]) {
				b.Fatal("no")
			}
		}
	})
	b.Run("voi", func(b *testing.B) {
		for b.Loop() {
			if !k.Verify(msg, sig[:]) {
				b.Fatal("no")
			}
		}
	})
}

// A VerifyKey is shared by concurrent verifications (the axon caches one per hotkey); run with -race.
func TestVerifyKeyConcurrent(t *testing.T) {
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	k, err := NewVerifyKey(alice.PublicKey())
	require.NoError(t, err)
	msg := []byte("concurrent")
	sig, err := alice.Sign(msg)
	require.NoError(t, err)
	done := make(chan bool)
	for range 4 {
		go func() {
			ok := true
			for range 20 {
				ok = ok && k.Verify(msg, sig[:]) && !k.Verify(append(msg, '!'), sig[:])
			}
			done <- ok
		}()
	}
	for range 4 {
		require.True(t, <-done)
	}
}
