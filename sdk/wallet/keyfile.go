package wallet

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gotensor/gotensor/keys"
)

// Errors of this package (wrapped with context; test with errors.Is). None of their messages carries key
// material or a password.
var (
	// ErrWrongPassword means an encrypted keyfile did not open: the password is wrong (or the ciphertext was
	// damaged, which authenticated encryption cannot tell apart).
	ErrWrongPassword = errors.New("wrong password: the keyfile did not decrypt")
	// ErrCorruptKeyfile means a keyfile is truncated, malformed or inconsistent.
	ErrCorruptKeyfile = errors.New("corrupt keyfile")
	// ErrEncrypted means plaintext was expected but the data is encrypted.
	ErrEncrypted = errors.New("keyfile is encrypted")
	// ErrKeyExists means a write would replace an existing key and overwrite was not requested.
	ErrKeyExists = errors.New("key already exists (pass overwrite to replace it)")
	// ErrKeyNotFound means the keyfile does not exist.
	ErrKeyNotFound = errors.New("keyfile does not exist")
	// ErrPasswordRequired means a password is needed and no source (argument, environment, prompt) gave one.
	ErrPasswordRequired = errors.New("password required: none given, none in the environment, and no prompt available")
	// ErrNotWritable means the wallet folder or a keyfile cannot be created or written.
	ErrNotWritable = errors.New("wallet location is not writable")
	// ErrInvalidName means a wallet or hotkey name is empty or would escape the wallet folder.
	ErrInvalidName = errors.New("invalid wallet or hotkey name")
)

// maxKeyfileSize bounds what is read from disk; real keyfiles are well under 1 KiB.
const maxKeyfileSize = 1 << 20

// keyfile field names, in the order bittensor-wallet's test vectors and the old Python wallet list them.
const (
	fieldAccountID    = "accountId"
	fieldPublicKey    = "publicKey"
	fieldPrivateKey   = "privateKey"
	fieldSecretPhrase = "secretPhrase"
	fieldSecretSeed   = "secretSeed"
	fieldSS58Address  = "ss58Address"
)

type field struct{ name, value string }

func encodeFields(fields []field) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, f.name)
		b.WriteByte(':')
		writeJSONString(&b, f.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}

// EncodeKeyfile serialises a keypair as bittensor-wallet's keyfile JSON: compact, with only the fields the
// keypair has, in the order accountId, publicKey, privateKey, secretPhrase, secretSeed, ss58Address.
// The result holds secrets: clear it after use.
func EncodeKeyfile(kp *keys.Keypair) []byte {
	pub := kp.PublicKeyHex()
	fields := []field{{fieldAccountID, pub}, {fieldPublicKey, pub}}
	if priv, ok := kp.PrivateKey(); ok {
		fields = append(fields, field{fieldPrivateKey, "0x" + hex.EncodeToString(priv)})
		clear(priv)
	}
	if m, ok := kp.Mnemonic(); ok {
		fields = append(fields, field{fieldSecretPhrase, m})
	}
	if seed, ok := kp.Seed(); ok {
		fields = append(fields, field{fieldSecretSeed, "0x" + hex.EncodeToString(seed)})
		clear(seed)
	}
	fields = append(fields, field{fieldSS58Address, kp.SS58()})
	return encodeFields(fields)
}

// EncodePublicKeyfile serialises the public part only, as coldkeypub.txt and <hotkey>pub.txt hold it:
// accountId, publicKey and ss58Address.
func EncodePublicKeyfile(kp *keys.Keypair) []byte {
	pub := kp.PublicKeyHex()
	return encodeFields([]field{{fieldAccountID, pub}, {fieldPublicKey, pub}, {fieldSS58Address, kp.SS58()}})
}

// DecodeKeyfile parses plaintext keyfile data into a keypair, reading the key from secretPhrase, then
// secretSeed, then privateKey, then (public only) ss58Address or publicKey, as bittensor-wallet does. It
// accepts btwallet's compact unordered JSON, the old Python wallet's six fields with nulls, and the bare
// `0x<64 hex>` public key files of SDK ≤ 6. Fields that disagree with the key give ErrCorruptKeyfile;
// encrypted data gives ErrEncrypted.
func DecodeKeyfile(data []byte) (*keys.Keypair, error) {
	if f := DetectFormat(data); f != FormatPlain {
		return nil, fmt.Errorf("%w (%s format)", ErrEncrypted, f)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrCorruptKeyfile)
	}
	if len(trimmed) == 66 && trimmed[0] == '0' && (trimmed[1] == 'x' || trimmed[1] == 'X') {
		kp, err := keys.FromPublicKeyHex(string(trimmed))
		if err != nil {
			return nil, fmt.Errorf("%w: bare public key: %w", ErrCorruptKeyfile, err)
		}
		return kp, nil
	}
	if !utf8.Valid(trimmed) {
		return nil, fmt.Errorf("%w: not UTF-8", ErrCorruptKeyfile)
	}
	var m map[string]*string
	if err := json.Unmarshal(trimmed, &m); err != nil {
		return nil, fmt.Errorf("%w: not a keyfile JSON object of strings", ErrCorruptKeyfile)
	}
	get := func(k string) (string, bool) {
		v, ok := m[k]
		if !ok || v == nil {
			return "", false
		}
		return *v, true
	}
	var kp *keys.Keypair
	var err error
	var from string
	if phrase, ok := get(fieldSecretPhrase); ok {
		from = fieldSecretPhrase
		kp, err = keys.FromMnemonic(phrase, "")
	} else if seed, ok := get(fieldSecretSeed); ok {
		from = fieldSecretSeed
		kp, err = keys.FromSeedHex(seed)
	} else if priv, ok := get(fieldPrivateKey); ok {
		from = fieldPrivateKey
		kp, err = keys.FromPrivateKeyHex(priv)
	} else if addr, ok := get(fieldSS58Address); ok {
		from = fieldSS58Address
		kp, err = keys.FromSS58(addr)
	} else if pub, ok := get(fieldPublicKey); ok {
		from = fieldPublicKey
		kp, err = keys.FromPublicKeyHex(pub)
	} else if pub, ok := get(fieldAccountID); ok {
		from = fieldAccountID
		kp, err = keys.FromPublicKeyHex(pub)
	} else {
		return nil, fmt.Errorf("%w: no key field (secretPhrase, secretSeed, privateKey, ss58Address)", ErrCorruptKeyfile)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: field %s: %w", ErrCorruptKeyfile, from, err)
	}
	if err := checkPublicFields(kp, get); err != nil {
		kp.Wipe()
		return nil, err
	}
	return kp, nil
}

// checkPublicFields rejects a keyfile whose stored public fields name another key than its secret.
func checkPublicFields(kp *keys.Keypair, get func(string) (string, bool)) error {
	want := kp.PublicKey()
	for _, name := range []string{fieldPublicKey, fieldAccountID} {
		if v, ok := get(name); ok {
			other, err := keys.FromPublicKeyHex(v)
			if err != nil || other.PublicKey() != want {
				return fmt.Errorf("%w: field %s does not match the key", ErrCorruptKeyfile, name)
			}
		}
	}
	if v, ok := get(fieldSS58Address); ok {
		pub, _, err := keys.DecodeSS58(strings.TrimSpace(v))
		if err != nil || pub != want {
			return fmt.Errorf("%w: field %s does not match the key", ErrCorruptKeyfile, fieldSS58Address)
		}
	}
	return nil
}
