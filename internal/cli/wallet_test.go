package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/wallet"
)

const (
	aliceSS58 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
	bobSS58   = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
)

func TestMain(m *testing.M) {
	extraWalletOptions = []wallet.Option{wallet.InsecureKDFForTests()}
	for _, v := range []string{"BT_WALLET_NAME", "BT_WALLET_HOTKEY", "BT_WALLET_PATH"} {
		os.Unsetenv(v)
	}
	os.Exit(m.Run())
}

// run executes the CLI with no terminal on stdin and returns exit code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Execute(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := run(t, args...)
	if code != 0 {
		t.Fatalf("gotensor %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

var mnemonicLine = regexp.MustCompile(`The mnemonic to the new (coldkey|hotkey) is: ([a-z ]+)\n`)

func TestWalletCreateListRegenSignVerify(t *testing.T) {
	dir := t.TempDir()
	out := mustRun(t, "wallet", "create", "--wallet.path", dir, "--wallet.name", "w1", "--wallet.hotkey", "h1",
		"--no-use-password", "--n-words", "15", "--no-prompt")
	m := mnemonicLine.FindAllStringSubmatch(out, -1)
	if len(m) != 2 || m[0][1] != "coldkey" || m[1][1] != "hotkey" {
		t.Fatalf("want two mnemonics printed once each, got %q", out)
	}
	if n := len(strings.Fields(m[0][2])); n != 15 {
		t.Fatalf("--n-words 15 gave %d words", n)
	}
	if !strings.Contains(out, "Nobody legitimate will ever ask you") {
		t.Error("mnemonic printed without the warning")
	}

	var list walletListJSON
	if err := json.Unmarshal([]byte(mustRun(t, "wallet", "list", "-p", dir, "--json-output")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Wallets) != 1 || list.Wallets[0].Name != "w1" || len(list.Wallets[0].Hotkeys) != 1 || list.Wallets[0].Hotkeys[0].Name != "h1" {
		t.Fatalf("unexpected list %+v", list)
	}
	cold := *list.Wallets[0].SS58Address
	hot := *list.Wallets[0].Hotkeys[0].SS58Address

	// Regenerate both keys on another path from the printed mnemonics (numbered form for the coldkey).
	other := t.TempDir()
	words := strings.Fields(m[0][2])
	for i := range words {
		words[i] = strings.Join([]string{string(rune('1' + i%9)), words[i]}, "-")
	}
	var res walletResult
	out = mustRun(t, "wallet", "regen-coldkey", "--wallet_path", other, "--name", "copy", "--mnemonic", strings.Join(words, " "),
		"--no-use-password", "--json-output")
	if err := json.Unmarshal([]byte(out), &res); err != nil || !res.Success || res.Data.ColdkeySS58 != cold {
		t.Fatalf("regen-coldkey: %v %+v, want %s", err, res, cold)
	}
	out = mustRun(t, "wallet", "regen_hotkey", "--wallet-path", other, "--wallet-name", "copy", "-H", "h1", "--mnemonic", m[1][2], "--json-output")
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Data.HotkeySS58 != hot {
		t.Fatalf("regen-hotkey: %v %+v, want %s", err, res, hot)
	}

	// Sign with the regenerated hotkey, verify against the original address.
	sig := strings.TrimSpace(mustRun(t, "wallet", "sign", "-p", other, "--wallet.name", "copy", "-H", "h1", "--use-hotkey", "--message", "hello", "--quiet"))
	mustRun(t, "wallet", "verify", "--message", "hello", "--signature", sig, "--address", hot)
	if code, _, _ := run(t, "wallet", "verify", "-m", "hellO", "-s", sig, "-a", hot); code != 1 {
		t.Errorf("verify of a tampered message: exit %d, want 1", code)
	}
	// A signature over the <Bytes>-wrapped message (as polkadot-js extensions sign) verifies against the
	// plain message, and a public key in hex is accepted as the address.
	wrapped := strings.TrimSpace(mustRun(t, "wallet", "sign", "-p", other, "--wallet.name", "copy", "-H", "h1", "--use-hotkey", "--message", "<Bytes>hello</Bytes>", "--quiet"))
	kp, err := keys.FromSS58(hot)
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, "wallet", "verify", "-m", "hello", "-s", "0x"+wrapped, "--public-key", kp.PublicKeyHex())
}

func TestWalletDevKeysAndURIs(t *testing.T) {
	dir := t.TempDir()
	var res walletResult
	out := mustRun(t, "wallet", "create", "--uri", "alice", "-p", dir, "--wallet.name", "alice", "--json-output")
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Data.ColdkeySS58 != aliceSS58 || res.Data.HotkeySS58 != aliceSS58 {
		t.Fatalf("create --uri alice: %v %s", err, out)
	}
	out = mustRun(t, "wallet", "regen-hotkey", "--uri", "//Bob", "-p", dir, "--wallet.name", "alice", "-H", "bob", "--json-output")
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Data.HotkeySS58 != bobSS58 {
		t.Fatalf("regen-hotkey --uri //Bob: %v %s", err, out)
	}
	out = mustRun(t, "wallet", "regen-coldkeypub", "--ss58", bobSS58, "-p", dir, "--wallet.name", "watch", "--json-output")
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Data.ColdkeySS58 != bobSS58 {
		t.Fatalf("regen-coldkeypub: %v %s", err, out)
	}
}

func TestWalletEncryptedColdkeyFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(wallet.ColdkeyPasswordVar("enc"), "correct horse battery")
	mustRun(t, "wallet", "new-coldkey", "-p", dir, "--wallet.name", "enc", "--no-prompt")
	raw, err := os.ReadFile(filepath.Join(dir, "enc", "coldkey"))
	if err != nil || !bytes.HasPrefix(raw, []byte("$NACL")) {
		t.Fatalf("coldkey not $NACL-encrypted: %v", err)
	}
	if st, _ := os.Stat(filepath.Join(dir, "enc", "coldkey")); st.Mode().Perm() != 0o600 {
		t.Errorf("coldkey mode %v, want 0600", st.Mode().Perm())
	}
	sig := strings.TrimSpace(mustRun(t, "wallet", "sign", "-p", dir, "--wallet.name", "enc", "--message", "m", "-q"))
	pub, err := wallet.New("enc", "", dir)
	if err != nil {
		t.Fatal(err)
	}
	kp, err := pub.Coldkeypub()
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, "wallet", "verify", "-m", "m", "-s", sig, "-a", kp.SS58())

	t.Setenv(wallet.ColdkeyPasswordVar("enc"), "wrong password")
	code, _, errOut := run(t, "wallet", "sign", "-p", dir, "--wallet.name", "enc", "--message", "m")
	if code != 1 || !strings.Contains(strings.ToLower(errOut), "password") {
		t.Errorf("wrong password: exit %d, stderr %q", code, errOut)
	}
}

func TestWalletNeverPromptsWithoutTerminal(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"wallet", "regen-coldkey", "-p", dir, "--no-prompt"}, "--mnemonic"},
		{[]string{"wallet", "new-coldkey", "-p", dir, "--wallet.name", "nopw"}, "--no-use-password"},
		{[]string{"wallet", "sign", "-p", dir}, "--message"},
		{[]string{"wallet", "verify", "-m", "x"}, "--signature"},
		{[]string{"wallet", "regen-coldkeypub", "-p", dir}, "--ss58"},
	}
	for _, c := range cases {
		code, out, errOut := run(t, c.args...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want an error naming %s", c.args, code, errOut, c.want)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout on failure: %q", c.args, out)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed commands left files: %v", entries)
	}
}

func TestWalletRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "wallet", "create", "--uri", "alice", "-p", dir, "--wallet.name", "a")
	path := filepath.Join(dir, "a", "coldkey")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "wallet", "regen-coldkey", "--uri", "//Bob", "-p", dir, "--wallet.name", "a", "--no-use-password", "--json-output")
	if code != 1 || !strings.Contains(errOut, "--overwrite") {
		t.Fatalf("exit %d stderr %q", code, errOut)
	}
	var res walletResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Success || res.Error == "" {
		t.Errorf("--json-output on failure must print one JSON document with success=false: %q", out)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("refused overwrite changed the coldkey")
	}
	mustRun(t, "wallet", "regen-coldkey", "--uri", "//Bob", "-p", dir, "--wallet.name", "a", "--no-use-password", "--overwrite")
	after, _ = os.ReadFile(path)
	if bytes.Equal(before, after) {
		t.Error("--overwrite did not replace the coldkey")
	}
}

func TestWalletBadInput(t *testing.T) {
	dir := t.TempDir()
	cases := [][]string{
		{"wallet", "regen-coldkey", "-p", dir, "--mnemonic", "abandon abandon abandon", "--no-use-password"},
		{"wallet", "regen-coldkey", "-p", dir, "--seed", "0x1234", "--no-use-password"},
		{"wallet", "regen-coldkeypub", "-p", dir, "--ss58", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"},
		{"wallet", "create", "-p", dir, "--n-words", "13", "--no-use-password"},
		{"wallet", "verify", "-m", "x", "-s", "zz", "-a", aliceSS58},
		{"wallet", "list", "--quiet", "--verbose"},
	}
	for _, args := range cases {
		if code, _, errOut := run(t, args...); code == 0 || errOut == "" {
			t.Errorf("%v: exit %d with stderr %q; want a clear error", args, code, errOut)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad input left files: %v", entries)
	}
}
