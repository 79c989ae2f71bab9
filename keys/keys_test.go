package keys

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mr-tron/base58"
	"github.com/stretchr/testify/require"
)

func encodeRawBase58(b []byte) string { return base58.Encode(b) }

// goldenKeys mirrors testdata/golden/sdk_keys.json.
type goldenKeys struct {
	MnemonicToKey map[string]struct {
		MiniSecretSeedHex string `json:"mini_secret_seed_hex"`
		PrivateKey64Hex   string `json:"private_key_64_hex"`
		PublicKeyHex      string `json:"public_key_hex"`
		SS58              string `json:"ss58_42"`
	} `json:"mnemonic_to_key"`
	SeedToKey struct {
		MiniSecretSeedHex string `json:"mini_secret_seed_hex"`
		PrivateKey64Hex   string `json:"private_key_64_hex"`
		PublicKeyHex      string `json:"public_key_hex"`
		SS58              string `json:"ss58_42"`
	} `json:"seed_to_key"`
	PrivateKeyToPublic map[string]struct {
		PublicKeyHex string `json:"public_key_hex"`
		SS58         string `json:"ss58_42"`
	} `json:"private_key_to_public"`
	URIToSS58 map[string]struct {
		SS58 string `json:"ss58"`
	} `json:"uri_to_ss58"`
	SS58Decode struct {
		Address       string `json:"address"`
		Prefix        uint16 `json:"prefix"`
		PublicKeyHex  string `json:"public_key_hex"`
		SameKeySS58v2 string `json:"same_key_ss58_42"`
	} `json:"ss58_decode"`
	SS58InvalidChecksum struct {
		Address string `json:"address"`
	} `json:"ss58_invalid_checksum"`
	PolkadotJS struct {
		JSON              json.RawMessage `json:"json"`
		Passphrase        string          `json:"passphrase"`
		ExpectedPublicHex string          `json:"expected_public_key_hex"`
		ExpectedSS58      string          `json:"expected_ss58"`
	} `json:"polkadot_js_encrypted_json"`
}

type goldenSignatures struct {
	Vectors []struct {
		PublicKeyHex string `json:"public_key_hex"`
		SS58         string `json:"ss58"`
		Message      string `json:"message_utf8"`
		SignatureHex string `json:"signature_hex"`
		Valid        *bool  `json:"valid"`
		ValidBt      *bool  `json:"valid_under_btwallet_verify"`
	} `json:"vectors"`
}

func loadGolden(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "golden", name))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := decodeHex(s)
	require.NoError(t, err)
	return b
}

func hexOf(b []byte) string { return hex.EncodeToString(b) }

func TestGoldenMnemonicToKey(t *testing.T) {
	var g goldenKeys
	loadGolden(t, "sdk_keys.json", &g)
	require.Len(t, g.MnemonicToKey, 3)
	for phrase, want := range g.MnemonicToKey {
		t.Run(phrase[:12], func(t *testing.T) {
			require.NoError(t, ValidateMnemonic(phrase))
			mini, err := MiniSecretFromMnemonic(phrase, "")
			require.NoError(t, err)
			require.Equal(t, want.MiniSecretSeedHex, hexOf(mini[:]))

			kp, err := FromMnemonic(phrase, "")
			require.NoError(t, err)
			pub := kp.PublicKey()
			require.Equal(t, want.PublicKeyHex, hexOf(pub[:]))
			require.Equal(t, "0x"+want.PublicKeyHex, kp.PublicKeyHex())
			require.Equal(t, want.SS58, kp.SS58())
			priv, ok := kp.PrivateKey()
			require.True(t, ok)
			require.Equal(t, want.PrivateKey64Hex, hexOf(priv))
			seed, ok := kp.Seed()
			require.True(t, ok)
			require.Equal(t, want.MiniSecretSeedHex, hexOf(seed))
			m, ok := kp.Mnemonic()
			require.True(t, ok)
			require.Equal(t, phrase, m)

			// The bare phrase as a secret URI is the same key.
			ku, err := FromURI(phrase)
			require.NoError(t, err)
			require.Equal(t, want.SS58, ku.SS58())
		})
	}
}

func TestGoldenSeedAndPrivateKey(t *testing.T) {
	var g goldenKeys
	loadGolden(t, "sdk_keys.json", &g)

	kp, err := FromSeedHex("0x" + g.SeedToKey.MiniSecretSeedHex)
	require.NoError(t, err)
	require.Equal(t, g.SeedToKey.SS58, kp.SS58())
	require.Equal(t, "0x"+g.SeedToKey.PublicKeyHex, kp.PublicKeyHex())
	priv, _ := kp.PrivateKey()
	require.Equal(t, g.SeedToKey.PrivateKey64Hex, hexOf(priv))
	_, hasMnemonic := kp.Mnemonic()
	require.False(t, hasMnemonic)

	// The hex seed as a secret URI.
	ku, err := FromURI("0x" + g.SeedToKey.MiniSecretSeedHex)
	require.NoError(t, err)
	require.Equal(t, g.SeedToKey.SS58, ku.SS58())

	require.Len(t, g.PrivateKeyToPublic, 2)
	for privHex, want := range g.PrivateKeyToPublic {
		kp, err := FromPrivateKeyHex(privHex)
		require.NoError(t, err)
		require.Equal(t, "0x"+want.PublicKeyHex, kp.PublicKeyHex())
		require.Equal(t, want.SS58, kp.SS58())
		got, ok := kp.PrivateKey()
		require.True(t, ok)
		require.Equal(t, privHex, hexOf(got), "privateKey export must round-trip")
		_, hasSeed := kp.Seed()
		require.False(t, hasSeed)
		// A key loaded from its private key signs verifiably.
		sig, err := kp.Sign([]byte("hello"))
		require.NoError(t, err)
		require.True(t, Verify(kp.PublicKey(), []byte("hello"), sig[:]))
	}
}

func TestGoldenURIs(t *testing.T) {
	var g goldenKeys
	loadGolden(t, "sdk_keys.json", &g)
	require.Len(t, g.URIToSS58, 12)
	for uri, want := range g.URIToSS58 {
		t.Run(uri, func(t *testing.T) {
			kp, err := FromURI(uri)
			require.NoError(t, err)
			require.Equal(t, want.SS58, kp.SS58())
			_, hasMnemonic := kp.Mnemonic()
			require.False(t, hasMnemonic, "a derived key must not claim the root phrase")
			_, hasSeed := kp.Seed()
			u, err := ParseURI(uri)
			require.NoError(t, err)
			allHard := true
			for _, j := range u.Junctions {
				allHard = allHard && j.Hard
			}
			require.Equal(t, allHard, hasSeed, "seed is known exactly when every junction is hard")
			// Deterministic: the same URI gives the same private key twice (soft nonces included).
			again, err := FromURI(uri)
			require.NoError(t, err)
			p1, _ := kp.PrivateKey()
			p2, _ := again.PrivateKey()
			require.Equal(t, p1, p2)
			// The exported private key reloads to the same address and signs.
			re, err := FromPrivateKey(p1)
			require.NoError(t, err)
			require.Equal(t, want.SS58, re.SS58())
			sig, err := re.Sign([]byte("m"))
			require.NoError(t, err)
			require.True(t, kp.Verify([]byte("m"), sig[:]))
		})
	}
}

func TestHardDerivedSeedMatchesSubkey(t *testing.T) {
	// subkey inspect //Alice: secret seed 0xe5be9a50...6edb5c0a (spec/go-deps.md); the seed alone rebuilds it.
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	seed, ok := alice.Seed()
	require.True(t, ok)
	require.True(t, strings.HasPrefix(hexOf(seed), "e5be9a50"))
	require.True(t, strings.HasSuffix(hexOf(seed), "6edb5c0a"))
	fromSeed, err := FromSeed(seed)
	require.NoError(t, err)
	require.Equal(t, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", fromSeed.SS58())
	// `0x<seed>` as a URI root with a further junction equals deriving from //Alice.
	a1, err := FromURI("0x" + hexOf(seed) + "//stash")
	require.NoError(t, err)
	a2, err := FromURI("//Alice//stash")
	require.NoError(t, err)
	require.Equal(t, a2.SS58(), a1.SS58())
	// A hex seed ignores ///password (sp-core behaviour).
	a3, err := FromURI("0x" + hexOf(seed) + "///ignored")
	require.NoError(t, err)
	require.Equal(t, alice.SS58(), a3.SS58())
}

func TestGoldenSS58(t *testing.T) {
	var g goldenKeys
	loadGolden(t, "sdk_keys.json", &g)

	pub, prefix, err := DecodeSS58(g.SS58Decode.Address)
	require.NoError(t, err)
	require.Equal(t, g.SS58Decode.Prefix, prefix)
	require.Equal(t, g.SS58Decode.PublicKeyHex, hexOf(pub[:]))
	require.Equal(t, g.SS58Decode.SameKeySS58v2, EncodeSS58(pub[:], DefaultSS58Prefix))
	require.Equal(t, g.SS58Decode.Address, EncodeSS58(pub[:], 0))
	kp, err := FromSS58(g.SS58Decode.Address)
	require.NoError(t, err)
	require.Equal(t, g.SS58Decode.SameKeySS58v2, kp.SS58())
	require.False(t, kp.HasSecret())

	_, _, err = DecodeSS58(g.SS58InvalidChecksum.Address)
	require.ErrorIs(t, err, ErrSS58Checksum)
	require.False(t, IsValidSS58(g.SS58InvalidChecksum.Address))
}

func TestSS58TwoBytePrefixRoundTrip(t *testing.T) {
	pub := mustHex(t, "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
	for _, prefix := range []uint16{0, 1, 2, 42, 63, 64, 65, 255, 256, 1000, 4242, 16383} {
		addr := EncodeSS58(pub, prefix)
		got, gotPrefix, err := DecodeSS58(addr)
		require.NoError(t, err, "prefix %d", prefix)
		require.Equal(t, prefix, gotPrefix)
		require.Equal(t, pub, got[:])
	}
	// Known addresses: Kusama (prefix 2) Alice, and prefix 42 Alice.
	require.Equal(t, "HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F", EncodeSS58(pub, 2))
	require.Equal(t, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", EncodeSS58(pub, 42))
}

func TestSS58BadInput(t *testing.T) {
	alice := "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
	pub := mustHex(t, "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
	reserved := EncodeSS58(pub, 46)
	cases := []struct {
		name string
		addr string
		want error
	}{
		{"empty", "", ErrSS58Length},
		{"not base58 (0)", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQ0", ErrSS58Base58},
		{"not base58 (l)", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQl", ErrSS58Base58},
		{"space", alice + " ", ErrSS58Base58},
		{"too short", alice[:40], ErrSS58Length},
		{"too long", alice + "1", ErrSS58Length},
		{"single char", "5", ErrSS58Length},
		{"typo", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ", ErrSS58Checksum},
		{"reserved prefix 46", reserved, ErrSS58Prefix},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := DecodeSS58(c.addr)
			require.ErrorIs(t, err, c.want)
			_, err = FromSS58(c.addr)
			require.Error(t, err)
		})
	}
	// A body whose first byte is >= 128 is an invalid prefix.
	bad := append([]byte{0x80, 0}, pub...)
	_, _, err := DecodeSS58(encodeRawBase58(bad))
	require.ErrorIs(t, err, ErrSS58Prefix)
}

func TestGoldenSignatures(t *testing.T) {
	var g goldenSignatures
	loadGolden(t, "sdk_signature.json", &g)
	require.Len(t, g.Vectors, 3)
	for i, v := range g.Vectors {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			pub := [32]byte(mustHex(t, v.PublicKeyHex))
			sig := mustHex(t, v.SignatureHex)
			want := false
			switch {
			case v.Valid != nil:
				want = *v.Valid
			case v.ValidBt != nil:
				want = *v.ValidBt
			default:
				t.Fatal("vector without an expectation")
			}
			require.Equal(t, want, Verify(pub, []byte(v.Message), sig))
			if v.SS58 != "" {
				kp, err := FromSS58(v.SS58)
				require.NoError(t, err)
				require.Equal(t, want, kp.Verify([]byte(v.Message), sig))
			}
		})
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	alice, err := FromURI("//Alice")
	require.NoError(t, err)
	bob, err := FromURI("//Bob")
	require.NoError(t, err)
	msg := []byte("gotensor round trip")
	sig, err := alice.Sign(msg)
	require.NoError(t, err)
	sig2, err := alice.Sign(msg)
	require.NoError(t, err)
	require.NotEqual(t, sig, sig2, "sr25519 signatures are randomised")
	require.True(t, alice.Verify(msg, sig[:]))
	require.True(t, alice.Verify(msg, sig2[:]))
	require.True(t, Verify(alice.PublicKey(), msg, sig[:]))
	require.True(t, alice.Public().Verify(msg, sig[:]))
	require.False(t, bob.Verify(msg, sig[:]), "wrong key")
	require.False(t, alice.Verify([]byte("gotensor round trap"), sig[:]), "tampered message")
	tampered := sig
	tampered[5] ^= 1
	require.False(t, alice.Verify(msg, tampered[:]), "tampered signature")
	unmarked := sig
	unmarked[63] &= 0x7f
	require.False(t, alice.Verify(msg, unmarked[:]), "signature without the schnorrkel marker bit")
	require.False(t, alice.Verify(msg, sig[:63]), "short signature")
	require.False(t, alice.Verify(msg, nil))

	// The <Bytes> wrapped form verifies for the bare message, not the other way round.
	wrapped, err := alice.Sign([]byte("<Bytes>" + string(msg) + "</Bytes>"))
	require.NoError(t, err)
	require.True(t, alice.Verify(msg, wrapped[:]))

	_, err = alice.Public().Sign(msg)
	require.ErrorIs(t, err, ErrNoSecret)

	// An invalid public key never verifies.
	var notAPoint [32]byte
	for i := range notAPoint {
		notAPoint[i] = 0xff
	}
	require.False(t, Verify(notAPoint, msg, sig[:]))
	_, err = FromPublicKey(notAPoint)
	require.ErrorIs(t, err, ErrInvalidPublicKey)
}

func TestMnemonics(t *testing.T) {
	for _, n := range ValidWordCounts {
		m, err := NewMnemonic(n)
		require.NoError(t, err)
		require.Len(t, strings.Fields(m), n)
		require.NoError(t, ValidateMnemonic(m))
		kp, err := FromMnemonic(m, "")
		require.NoError(t, err)
		again, err := FromMnemonic("  "+strings.ReplaceAll(m, " ", "  ")+"\n", "")
		require.NoError(t, err, "extra whitespace is fine")
		require.Equal(t, kp.SS58(), again.SS58())
		withPw, err := FromMnemonic(m, "pw")
		require.NoError(t, err)
		require.NotEqual(t, kp.SS58(), withPw.SS58())
		_, ok := withPw.Mnemonic()
		require.False(t, ok, "a passphrase key must not be stored as a bare phrase")
	}
	a, _ := NewMnemonic(12)
	b, _ := NewMnemonic(12)
	require.NotEqual(t, a, b)
	for _, n := range []int{0, 11, 13, 25, -1} {
		_, err := NewMnemonic(n)
		require.ErrorIs(t, err, ErrMnemonicWordCount)
	}

	good := "old leopard transfer rib spatial phone calm indicate online fire caution review"
	cases := []struct {
		name, phrase string
		want         error
	}{
		{"empty", "", ErrMnemonicWordCount},
		{"11 words", strings.Join(strings.Fields(good)[:11], " "), ErrMnemonicWordCount},
		{"13 words", good + " abandon", ErrMnemonicWordCount},
		{"unknown word", strings.Replace(good, "leopard", "leopardx", 1), ErrMnemonicWord},
		{"upper case", strings.Replace(good, "old", "Old", 1), ErrMnemonicWord},
		{"bad checksum", strings.Replace(good, "review", "abandon", 1), ErrMnemonicChecksum},
		{"swapped words", strings.Replace(strings.Replace(good, "old leopard", "leopard old", 1), "", "", 0), ErrMnemonicChecksum},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ValidateMnemonic(c.phrase)
			require.ErrorIs(t, err, c.want)
			_, err2 := FromMnemonic(c.phrase, "")
			require.ErrorIs(t, err2, c.want)
			_, err3 := FromURI(c.phrase + "//Alice")
			if c.phrase != "" { // an empty phrase is the dev phrase in a URI
				require.ErrorIs(t, err3, c.want)
			}
			for _, w := range strings.Fields(c.phrase) {
				require.NotContains(t, err.Error(), " "+w+" ", "errors must not quote the phrase")
			}
			require.NotContains(t, err.Error(), "leopardx")
		})
	}
}

func TestParseURI(t *testing.T) {
	cases := []struct {
		uri       string
		phrase    string
		junctions []string // "/x" hard, "x" soft
		password  string
		hasPw     bool
		wantErr   bool
	}{
		{uri: "", phrase: ""},
		{uri: "//Alice", junctions: []string{"/Alice"}},
		{uri: "//Alice///secret", junctions: []string{"/Alice"}, password: "secret", hasPw: true},
		{uri: "//Alice////x", junctions: []string{"/Alice"}, password: "/x", hasPw: true},
		{uri: "///", password: "", hasPw: true},
		{uri: "/Bob//test", junctions: []string{"Bob", "/test"}},
		{uri: "a b c//1/2///p/w", phrase: "a b c", junctions: []string{"/1", "2"}, password: "p/w", hasPw: true},
		{uri: "0xabc//x", phrase: "0xabc", junctions: []string{"/x"}},
		{uri: "//a b", junctions: []string{"/a b"}},
		{uri: "//ü", junctions: []string{"/ü"}},
		{uri: "phrase-with-dash", wantErr: true},
		{uri: "/", wantErr: true},
		{uri: "//", wantErr: true},
		{uri: "//a/", wantErr: true},
		{uri: "//a//", wantErr: true},
		{uri: "//a///x\ny", wantErr: true},
		{uri: "\xff", wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.uri, func(t *testing.T) {
			u, err := ParseURI(c.uri)
			if c.wantErr {
				require.ErrorIs(t, err, ErrInvalidURI)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.phrase, u.Phrase)
			require.Equal(t, c.password, u.Password)
			require.Equal(t, c.hasPw, u.HasPassword)
			var got []string
			for _, j := range u.Junctions {
				if j.Hard {
					got = append(got, "/"+j.code)
				} else {
					got = append(got, j.code)
				}
			}
			require.Equal(t, c.junctions, got)
			out := fmt.Sprint(u) + fmt.Sprintf("%+v %#v %s", u, u, u)
			for _, leak := range []string{"Alice", "p/w", "a b c", "0xabc"} {
				require.NotContains(t, out, leak)
			}
		})
	}
}

func TestJunctionChainCodes(t *testing.T) {
	cc := func(s string) string { j := NewJunction(s, true); return hexOf(j.ChainCode[:]) }
	pad := func(h string) string { return h + strings.Repeat("0", 64-len(h)) }
	require.Equal(t, pad("14416c696365"), cc("Alice"), "SCALE Text \"Alice\" = 0x14416c696365")
	require.Equal(t, pad("0100000000000000"), cc("1"))
	require.Equal(t, pad("0500000000000000"), cc("+5"), "Rust's u64 parser accepts a leading +")
	require.Equal(t, pad("0700000000000000"), cc("007"))
	require.Equal(t, pad("ffffffffffffffff"), cc("18446744073709551615"))
	require.Equal(t, pad("50"+hexOf([]byte("18446744073709551616"))), cc("18446744073709551616"), "u64 overflow is a string")
	require.Equal(t, pad("082d35"), cc("-5"))
	long := strings.Repeat("x", 64)
	require.Len(t, cc(long), 64)
	// Compact length encodings.
	require.Equal(t, "fc", hexOf(appendCompact(nil, 63)))
	require.Equal(t, "0101", hexOf(appendCompact(nil, 64)))
	require.Equal(t, "fdff", hexOf(appendCompact(nil, 16383)))
	require.Equal(t, "02000100", hexOf(appendCompact(nil, 16384)))
	require.Equal(t, "0300000040", hexOf(appendCompact(nil, 1<<30)))
	require.Equal(t, "13ffffffffffffffff", hexOf(appendCompact(nil, ^uint64(0))))
}

func TestURIErrors(t *testing.T) {
	_, err := FromURI("0x1234//Alice")
	require.ErrorIs(t, err, ErrInvalidSeed)
	_, err = FromURI("0xzz")
	require.ErrorIs(t, err, ErrInvalidSeed)
	_, err = FromURI("not a mnemonic//Alice")
	require.ErrorIs(t, err, ErrMnemonicWordCount)
	_, err = FromURI("foo-bar")
	require.ErrorIs(t, err, ErrInvalidURI)
	_, err = alicePublic(t).Derive([]Junction{NewJunction("x", true)})
	require.ErrorIs(t, err, ErrNoSecret)
}

func alicePublic(t *testing.T) *Keypair {
	kp, err := FromSS58("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")
	require.NoError(t, err)
	return kp
}

func TestSeedAndPrivateKeyErrors(t *testing.T) {
	_, err := FromSeed(make([]byte, 31))
	require.ErrorIs(t, err, ErrInvalidSeed)
	_, err = FromSeedHex("0x12")
	require.ErrorIs(t, err, ErrInvalidSeed)
	_, err = FromSeedHex("nothex")
	require.ErrorIs(t, err, ErrInvalidSeed)
	_, err = FromPrivateKey(make([]byte, 63))
	require.ErrorIs(t, err, ErrInvalidPrivateKey)
	nonCanonical := make([]byte, 64)
	for i := range 32 {
		nonCanonical[i] = 0xff
	}
	_, err = FromPrivateKey(nonCanonical)
	require.ErrorIs(t, err, ErrInvalidPrivateKey)
	_, err = FromPrivateKeyHex("0xnothex")
	require.ErrorIs(t, err, ErrInvalidPrivateKey)
	_, err = FromPublicKeyHex("0x1234")
	require.ErrorIs(t, err, ErrInvalidPublicKey)
	kp, err := FromPublicKeyHex("0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
	require.NoError(t, err)
	require.Equal(t, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", kp.SS58())
	_, ok := kp.PrivateKey()
	require.False(t, ok)
	_, ok = kp.Seed()
	require.False(t, ok)
}

func TestGoldenPolkadotJSON(t *testing.T) {
	var g goldenKeys
	loadGolden(t, "sdk_keys.json", &g)
	p := g.PolkadotJS
	kp, err := FromPolkadotJSON(p.JSON, p.Passphrase)
	require.NoError(t, err)
	require.Equal(t, "0x"+p.ExpectedPublicHex, kp.PublicKeyHex())
	require.Equal(t, p.ExpectedSS58, kp.SS58())
	sig, err := kp.Sign([]byte("x"))
	require.NoError(t, err)
	require.True(t, kp.Verify([]byte("x"), sig[:]))

	_, err = FromPolkadotJSON(p.JSON, "wrong")
	require.ErrorIs(t, err, ErrPolkadotJSONPassword)
	_, err = FromPolkadotJSON([]byte("{"), p.Passphrase)
	require.ErrorIs(t, err, ErrPolkadotJSONFormat)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(p.JSON, &doc))
	doc["encoding"].(map[string]any)["version"] = "2"
	b, _ := json.Marshal(doc)
	_, err = FromPolkadotJSON(b, p.Passphrase)
	require.ErrorIs(t, err, ErrPolkadotJSONFormat)
	doc["encoding"].(map[string]any)["version"] = "3"
	doc["encoded"] = doc["encoded"].(string)[:60]
	b, _ = json.Marshal(doc)
	_, err = FromPolkadotJSON(b, p.Passphrase)
	require.Error(t, err)
}

func TestRedaction(t *testing.T) {
	kp, err := FromMnemonic("old leopard transfer rib spatial phone calm indicate online fire caution review", "")
	require.NoError(t, err)
	priv, _ := kp.PrivateKey()
	seed, _ := kp.Seed()
	secrets := []string{hexOf(priv[:32]), hexOf(priv[32:]), hexOf(seed), "leopard"}
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d", "%T %v"} {
		out := fmt.Sprintf(format, kp) + fmt.Sprintf(format, *kp)
		for _, s := range secrets {
			require.NotContains(t, strings.ToLower(out), s, "format %s leaked", format)
		}
	}
	require.Contains(t, kp.String(), kp.SS58())
	js, err := json.Marshal(kp)
	require.NoError(t, err)
	for _, s := range secrets {
		require.NotContains(t, string(js), s)
	}
	kp.Wipe()
	require.False(t, kp.HasSecret())
	_, err = kp.Sign([]byte("x"))
	require.ErrorIs(t, err, ErrNoSecret)
	_, ok := kp.Mnemonic()
	require.False(t, ok)
	require.True(t, errors.Is(fmt.Errorf("wrap: %w", ErrNoSecret), ErrNoSecret))
}

// TestConcurrentVerifyOnFreshPublicKey checks that a public-only keypair can be shared by goroutines from its
// first use (run with -race).
func TestConcurrentVerifyOnFreshPublicKey(t *testing.T) {
	alice, err := FromURI("//Alice")
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("concurrent")
	sig, err := alice.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := FromSS58(alice.SS58())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan bool, 8)
	for range 8 {
		go func() { done <- pub.Verify(msg, sig[:]) }()
	}
	for range 8 {
		if !<-done {
			t.Error("valid signature rejected")
		}
	}
}
