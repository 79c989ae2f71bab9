package keys

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"slices"

	"golang.org/x/crypto/nacl/secretbox"
	"golang.org/x/crypto/scrypt"
)

// polkadot-js JSON errors (wrapped with context; test with errors.Is).
var (
	// ErrPolkadotJSONFormat means the backup is not a version-3 polkadot-js sr25519 export.
	ErrPolkadotJSONFormat = errors.New("not a supported polkadot-js JSON backup (want version 3, sr25519, scrypt/xsalsa20-poly1305)")
	// ErrPolkadotJSONPassword means the backup did not decrypt: the password is wrong or the file is damaged.
	ErrPolkadotJSONPassword = errors.New("polkadot-js JSON backup did not decrypt: wrong password (or damaged file)")
)

var (
	pkcs8Header  = []byte{0x30, 0x53, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20}
	pkcs8Divider = []byte{0xa1, 0x23, 0x03, 0x21, 0x00}
)

type polkadotJSON struct {
	Encoded  string `json:"encoded"`
	Encoding struct {
		Content []string `json:"content"`
		Type    []string `json:"type"`
		Version string   `json:"version"`
	} `json:"encoding"`
	Address string `json:"address"`
}

// Limits on the scrypt parameters a backup may ask for, so a hostile file cannot demand unbounded work.
const (
	maxScryptN = 1 << 20
	maxScryptR = 32
	maxScryptP = 16
)

// FromPolkadotJSON decrypts a polkadot-js (and bittensor-wallet `create_from_encrypted_json`) JSON backup:
// base64 `encoded` = scrypt salt(32) ‖ N ‖ p ‖ r (u32 LE each) ‖ nonce(24) ‖ XSalsa20-Poly1305 box of a PKCS8
// document holding the ed25519-form secret and the public key. Without scrypt in `type`, the key is the
// password zero-padded to 32 bytes. Only version "3" sr25519 backups are accepted.
func FromPolkadotJSON(data []byte, password string) (*Keypair, error) {
	var doc polkadotJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPolkadotJSONFormat, err)
	}
	if doc.Encoding.Version != "3" {
		return nil, fmt.Errorf("%w (version %q)", ErrPolkadotJSONFormat, doc.Encoding.Version)
	}
	if !slices.Contains(doc.Encoding.Content, "sr25519") {
		return nil, fmt.Errorf("%w (key type %v)", ErrPolkadotJSONFormat, doc.Encoding.Content)
	}
	raw, err := base64.StdEncoding.DecodeString(doc.Encoded)
	if err != nil {
		return nil, fmt.Errorf("%w (encoded is not base64)", ErrPolkadotJSONFormat)
	}
	var key [32]byte
	defer clear(key[:])
	if slices.Contains(doc.Encoding.Type, "scrypt") {
		if len(raw) < 44 {
			return nil, fmt.Errorf("%w (encoded too short)", ErrPolkadotJSONFormat)
		}
		salt := raw[:32]
		n := binary.LittleEndian.Uint32(raw[32:36])
		p := binary.LittleEndian.Uint32(raw[36:40])
		r := binary.LittleEndian.Uint32(raw[40:44])
		if n < 2 || bits.OnesCount32(n) != 1 || n > maxScryptN || r == 0 || r > maxScryptR || p == 0 || p > maxScryptP {
			return nil, fmt.Errorf("%w (unsupported scrypt parameters N=%d r=%d p=%d)", ErrPolkadotJSONFormat, n, r, p)
		}
		k, err := scrypt.Key([]byte(password), salt, int(n), int(r), int(p), 32)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrPolkadotJSONFormat, err)
		}
		copy(key[:], k)
		clear(k)
		raw = raw[44:]
	} else {
		if len(password) > 32 {
			return nil, fmt.Errorf("%w (password longer than 32 bytes for an unscrypted backup)", ErrPolkadotJSONPassword)
		}
		copy(key[:], password)
	}
	if len(raw) < 24+secretbox.Overhead {
		return nil, fmt.Errorf("%w (encoded too short)", ErrPolkadotJSONFormat)
	}
	var nonce [24]byte
	copy(nonce[:], raw[:24])
	plain, ok := secretbox.Open(nil, raw[24:], &nonce, &key)
	if !ok {
		return nil, ErrPolkadotJSONPassword
	}
	defer clear(plain)
	want := len(pkcs8Header) + 64 + len(pkcs8Divider) + 32
	if len(plain) < want || !bytes.Equal(plain[:len(pkcs8Header)], pkcs8Header) ||
		!bytes.Equal(plain[len(pkcs8Header)+64:len(pkcs8Header)+64+len(pkcs8Divider)], pkcs8Divider) {
		return nil, fmt.Errorf("%w (bad PKCS8 content)", ErrPolkadotJSONFormat)
	}
	secret := plain[len(pkcs8Header) : len(pkcs8Header)+64]
	pubOff := len(pkcs8Header) + 64 + len(pkcs8Divider)
	kp, err := FromEd25519Bytes(secret)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(kp.pub[:], plain[pubOff:pubOff+32]) {
		kp.Wipe()
		return nil, fmt.Errorf("%w (public key does not match the secret)", ErrPolkadotJSONFormat)
	}
	return kp, nil
}
