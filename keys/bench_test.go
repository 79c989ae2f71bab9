package keys

import "testing"

var benchMsg = []byte("1760000000000000000.5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY.5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty.5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a.ed4bc853dce1a3f7afd74fd20a81219cd36d60f8b241fc33dcbe5ebc9381e2f9")

func benchAlice(b *testing.B) *Keypair {
	kp, err := FromURI("//Alice")
	if err != nil {
		b.Fatal(err)
	}
	return kp
}

// BenchmarkSign measures one sr25519 signature (substrate context) of a synapse-sized message.
func BenchmarkSign(b *testing.B) {
	kp := benchAlice(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kp.Sign(benchMsg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify measures verifying a valid signature through the package function (public key decoded
// each time, as an axon does for a request).
func BenchmarkVerify(b *testing.B) {
	kp := benchAlice(b)
	sig, err := kp.Sign(benchMsg)
	if err != nil {
		b.Fatal(err)
	}
	pub := kp.PublicKey()
	b.ReportAllocs()
	for b.Loop() {
		if !Verify(pub, benchMsg, sig[:]) {
			b.Fatal("verify failed")
		}
	}
}

// BenchmarkEncodeSS58 measures SS58 encoding of a 32-byte key under prefix 42.
func BenchmarkEncodeSS58(b *testing.B) {
	pub := benchAlice(b).PublicKey()
	b.ReportAllocs()
	for b.Loop() {
		_ = EncodeSS58(pub[:], DefaultSS58Prefix)
	}
}

// BenchmarkDecodeSS58 measures SS58 decoding with checksum validation.
func BenchmarkDecodeSS58(b *testing.B) {
	addr := benchAlice(b).SS58()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeSS58(addr); err != nil {
			b.Fatal(err)
		}
	}
}
