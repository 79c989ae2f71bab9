package wallet

import (
	"encoding/base64"
	"fmt"
	"os"
	"strings"
)

// PasswordRequest tells a PromptFunc what the password is for.
type PasswordRequest struct {
	// Wallet is the wallet name; Key is "coldkey" or "hotkey"; Path is the keyfile's absolute path.
	Wallet, Key, Path string
	// New is true when a password is being chosen to encrypt a key: the prompt should ask twice, check the
	// two agree and apply the password policy (at least 6 characters). False means unlocking an existing key.
	New bool
}

// PromptFunc asks the user for a password without echoing it. The CLI supplies one; without a terminal it
// should return an error naming the flag or environment variable to use instead.
type PromptFunc func(req PasswordRequest) (string, error)

// EnvPasswordVar is the environment variable bittensor-wallet reads a keyfile's obfuscated password from:
// "BT_PW_" + the absolute keyfile path with '/' and '.' replaced by '_', upper-cased.
func EnvPasswordVar(keyfilePath string) string {
	r := strings.NewReplacer("/", "_", ".", "_")
	return "BT_PW_" + strings.ToUpper(r.Replace(keyfilePath))
}

// ColdkeyPasswordVar is the variable the old Python wallet read a coldkey password from, in plain text:
// "BT_COLD_PW_" + the wallet name upper-cased with '-' replaced by '_'.
func ColdkeyPasswordVar(walletName string) string {
	return "BT_COLD_PW_" + strings.ReplaceAll(strings.ToUpper(walletName), "-", "_")
}

// ObfuscatePassword encodes a password as bittensor-wallet stores it in the environment: standard base64 of
// the password XORed with the variable name repeated. This hides the password from a casual look only; it
// is not encryption.
func ObfuscatePassword(password, varName string) string {
	return base64.StdEncoding.EncodeToString(xorWith([]byte(password), varName))
}

// DeobfuscatePassword reverses ObfuscatePassword.
func DeobfuscatePassword(value, varName string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value))
	if err != nil {
		return "", fmt.Errorf("environment variable %s is not base64", varName)
	}
	out := xorWith(raw, varName)
	defer clear(out)
	return string(out), nil
}

func xorWith(b []byte, key string) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[i] = b[i] ^ key[i%len(key)]
	}
	return out
}

// envPassword looks for a keyfile password in the environment: btwallet's obfuscated BT_PW_<path> first,
// then, for a coldkey, the old plain BT_COLD_PW_<NAME>.
func envPassword(keyfilePath, coldkeyWallet string) (string, bool, error) {
	name := EnvPasswordVar(keyfilePath)
	if v, ok := os.LookupEnv(name); ok && v != "" {
		pw, err := DeobfuscatePassword(v, name)
		return pw, true, err
	}
	if coldkeyWallet != "" {
		if v, ok := os.LookupEnv(ColdkeyPasswordVar(coldkeyWallet)); ok && v != "" {
			return v, true, nil
		}
	}
	return "", false, nil
}
