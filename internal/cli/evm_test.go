package cli

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/keys"
)

func TestEvmAddress(t *testing.T) {
	// Golden mapping (testdata/golden/chain_evm_mapping_selectors.json): 0x…1234 → 0xe965…a512.
	acct, _ := hex.DecodeString("e96513f9de8c72d93980ef4e913774eaf8c867e75a9b7278744f7db2234ca512")
	want := keys.EncodeSS58(acct, keys.DefaultSS58Prefix)
	var out, errb bytes.Buffer
	if code := Execute([]string{"evm", "address", "0x0000000000000000000000000000000000001234"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if strings.TrimSpace(out.String()) != want {
		t.Fatalf("got %q, want %s", out.String(), want)
	}
	out.Reset()
	if code := Execute([]string{"evm", "address", "0x0000000000000000000000000000000000001234", "--json-output"}, strings.NewReader(""), &out, &errb); code != 0 ||
		!strings.Contains(out.String(), `"account":"0xe96513f9`) {
		t.Fatalf("json: %d %s", code, out.String())
	}
	for _, bad := range []string{"1234", "0x12", "0xzz00000000000000000000000000000000001234"} {
		if code := Execute([]string{"evm", "address", bad}, strings.NewReader(""), &out, &errb); code == 0 {
			t.Errorf("%q accepted", bad)
		}
	}
}
