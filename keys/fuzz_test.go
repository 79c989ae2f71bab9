package keys

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzDecodeSS58 checks that decoding never panics and that every accepted address re-encodes to itself.
func FuzzDecodeSS58(f *testing.F) {
	for _, s := range []string{
		"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
		"16ADqpMa4yzfmWs3nuTSMhfZ2ckeGtvqhPWCNqECEGDcGgU2",
		"5F3sa2TJAWMqDhXG6jhV4N8ko9rLbc4B52kmxXJoN5D3ue8w",
		"HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F",
		"", "1", "0OIl", "5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		pub, prefix, err := DecodeSS58(addr)
		if err != nil {
			return
		}
		if prefix > MaxSS58Prefix || prefix == 46 || prefix == 47 {
			t.Fatalf("accepted prefix %d", prefix)
		}
		// Leading zero bytes make base58 non-unique only through '1' padding, which the prefix byte rules
		// out except for prefix 0; compare decoded values instead of strings.
		again, prefix2, err := DecodeSS58(EncodeSS58(pub[:], prefix))
		if err != nil || again != pub || prefix2 != prefix {
			t.Fatalf("re-encode of %q failed: %v", addr, err)
		}
	})
}

// FuzzParseURI checks that parsing never panics, that the parsed form is consistent with the input, and
// that FromURI agrees with ParseURI on what is well formed.
func FuzzParseURI(f *testing.F) {
	for _, s := range []string{
		"", "//Alice", "//Alice///secret", "/Bob//test", "//1//2", "//Alice/stash",
		DevPhrase + "//hard/soft///pw", "0x" + strings.Repeat("ab", 32) + "//x", "////", "//a/", "a-b",
		"//PathNameLongerThan32BytesWhichShouldBeHashed", "//+5", "///\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, suri string) {
		u, err := ParseURI(suri)
		if err != nil {
			return
		}
		// Rebuild the URI from its parts: it must be the input.
		var b strings.Builder
		b.WriteString(u.Phrase)
		for _, j := range u.Junctions {
			if j.Hard {
				b.WriteString("/")
			}
			b.WriteString("/" + j.code)
			if j.code == "" || strings.Contains(j.code, "/") {
				t.Fatalf("bad junction %q", j.code)
			}
		}
		if u.HasPassword {
			b.WriteString("///" + u.Password)
		}
		if b.String() != suri {
			t.Fatalf("parse of %q does not rebuild it: %q", suri, b.String())
		}
		if len(suri) < 300 && (u.Phrase == "" || strings.HasPrefix(u.Phrase, "0x")) && len(u.Junctions) < 8 {
			kp, err := u.Keypair()
			if err == nil && !bytes.Equal(kp.pub[:], kp.Public().pub[:]) {
				t.Fatal("inconsistent keypair")
			}
		}
	})
}
