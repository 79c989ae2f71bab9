package wallet

import (
	"bytes"
	"testing"
)

// FuzzDecodeKeyfile feeds arbitrary bytes to the keyfile readers: plaintext decoding and every decryption
// path (with the cheap test KDF and a fixed Fernet key, so an input starting with gAAAAA does not run ten
// million PBKDF2 rounds). Nothing may panic, and an accepted keyfile must re-encode to one that decodes to
// the same key.
func FuzzDecodeKeyfile(f *testing.F) {
	seeds := []string{
		`{"accountId":"0xe4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446","publicKey":"0xe4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446","ss58Address":"5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX"}`,
		`{"secretSeed":"0xda3cf5b1e9144931a0f0db65664aab662673b099415a7f8121b7245fb0be4143"}`,
		`{"privateKey":"0x1f1995bdf3a17b60626a26cfe6f564b337d46056b7a1281b64c649d592ccda0a9cffd34d9fb01cae1fba61aeed184c817442a2186d5172416729a4b54dd4b84e","secretPhrase":null}`,
		`{"secretPhrase":"old leopard transfer rib spatial phone calm indicate online fire caution review"}`,
		"0x32939b6abc4d81f02dff04d2b8d1d01cc8e71c5e4c7492e4fa6a238cdca3512f",
		"$NACL\x00\x01\x02",
		"$ANSIBLE_VAULT;1.1;AES256\n3132",
		"gAAAAABlU_EAAAECAwQFBgcICQoLDA0ODyasRlmKrUWzV58kA6lb_-My-HYl47zF5Jdl1Tq5fUtMDJtqzFaP-LAwalYPNz4zUg==",
		"", "{}", "null", `{"ss58Address":5}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	fernetKey := bytes.Repeat([]byte{1}, 32)
	f.Fuzz(func(t *testing.T, data []byte) {
		switch DetectFormat(data) {
		case FormatFernet:
			_, _ = decryptFernet(data, fernetKey)
		case FormatNaCl, FormatAnsible:
			_, _ = decryptKeyfileData(data, "pw", insecureTestKDF)
		}
		kp, err := DecodeKeyfile(data)
		if err != nil {
			return
		}
		again, err := DecodeKeyfile(EncodeKeyfile(kp))
		if err != nil {
			t.Fatalf("re-encoded keyfile does not decode: %v", err)
		}
		if again.PublicKey() != kp.PublicKey() || again.HasSecret() != kp.HasSecret() {
			t.Fatal("re-encoded keyfile names another key")
		}
		pub, err := DecodeKeyfile(EncodePublicKeyfile(kp))
		if err != nil || pub.PublicKey() != kp.PublicKey() || pub.HasSecret() {
			t.Fatalf("public keyfile round trip failed: %v", err)
		}
	})
}
