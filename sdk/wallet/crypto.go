package wallet

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/nacl/secretbox"
)

// Encryption format prefixes, as bittensor-wallet detects them.
const (
	naclPrefix    = "$NACL"
	ansiblePrefix = "$ANSIBLE_VAULT"
	fernetPrefix  = "gAAAAA"
)

// naclSalt is the fixed Argon2i salt of every bittensor $NACL keyfile.
var naclSalt = []byte("\x13q\x83\xdf\xf1Z\t\xbc\x9c\x90\xb5Q\x879\xe9\xb1")

// fernetSalt is the PBKDF2 salt of bittensor ≤ 6 Fernet ("legacy") keyfiles.
const fernetSalt = "Iguesscyborgslikemyselfhaveatendencytobeparanoidaboutourorigins"

const (
	fernetIterations  = 10_000_000
	ansibleIterations = 10_000
	naclNonceSize     = 24
	naclKeySize       = 32
)

// kdfParams are Argon2i parameters for the $NACL key derivation. They are unexported on purpose: the only
// way to change them is InsecureKDFForTests, which works in test binaries alone.
type kdfParams struct {
	// Time is the number of passes (libsodium opslimit).
	Time uint32
	// MemoryKiB is the memory cost in KiB (libsodium memlimit / 1024).
	MemoryKiB uint32
	// Threads is the parallelism (always 1 in libsodium).
	Threads uint8
}

// productionKDF is libsodium's crypto_pwhash_argon2i OPSLIMIT_SENSITIVE / MEMLIMIT_SENSITIVE, what
// bittensor-wallet uses for every $NACL file: 8 passes, 512 MiB, 1 lane. Deriving a key costs seconds and
// half a gigabyte of memory, on purpose.
var productionKDF = kdfParams{Time: 8, MemoryKiB: 512 * 1024, Threads: 1}

// insecureTestKDF is what InsecureKDFForTests selects: files written with it open only with it.
var insecureTestKDF = kdfParams{Time: 1, MemoryKiB: 64, Threads: 1}

// Format names an on-disk keyfile encoding.
type Format string

// Keyfile formats, detected by prefix.
const (
	FormatPlain   Format = "plain"         // JSON keyfile, not encrypted
	FormatNaCl    Format = "NaCl"          // $NACL: Argon2i + XSalsa20-Poly1305 (written today)
	FormatAnsible Format = "Ansible Vault" // $ANSIBLE_VAULT;1.1;AES256 (read only)
	FormatFernet  Format = "legacy"        // Fernet token gAAAAA... from bittensor ≤ 6 (read only)
)

// DetectFormat reports a keyfile's format from its first bytes, as bittensor-wallet does.
func DetectFormat(data []byte) Format {
	switch {
	case bytes.HasPrefix(data, []byte(naclPrefix)):
		return FormatNaCl
	case bytes.HasPrefix(data, []byte(ansiblePrefix)):
		return FormatAnsible
	case bytes.HasPrefix(data, []byte(fernetPrefix)):
		return FormatFernet
	default:
		return FormatPlain
	}
}

// IsEncrypted reports whether keyfile data is in one of the encrypted formats.
func IsEncrypted(data []byte) bool { return DetectFormat(data) != FormatPlain }

func naclKey(password string, p kdfParams) *[naclKeySize]byte {
	k := argon2.Key([]byte(password), naclSalt, p.Time, p.MemoryKiB, p.Threads, naclKeySize)
	var key [naclKeySize]byte
	copy(key[:], k)
	clear(k)
	return &key
}

// sealNaCl builds "$NACL" ‖ nonce ‖ secretbox(plain).
func sealNaCl(plain []byte, key *[naclKeySize]byte, nonce *[naclNonceSize]byte) []byte {
	out := make([]byte, 0, len(naclPrefix)+naclNonceSize+secretbox.Overhead+len(plain))
	out = append(out, naclPrefix...)
	out = append(out, nonce[:]...)
	return secretbox.Seal(out, plain, nonce, key)
}

func openNaCl(data []byte, key *[naclKeySize]byte) ([]byte, error) {
	body := data[len(naclPrefix):]
	if len(body) < naclNonceSize+secretbox.Overhead {
		return nil, fmt.Errorf("%w: $NACL data is truncated (%d bytes)", ErrCorruptKeyfile, len(data))
	}
	var nonce [naclNonceSize]byte
	copy(nonce[:], body)
	plain, ok := secretbox.Open(nil, body[naclNonceSize:], &nonce, key)
	if !ok {
		return nil, ErrWrongPassword
	}
	return plain, nil
}

func encryptNaCl(plain []byte, password string, p kdfParams) ([]byte, error) {
	var nonce [naclNonceSize]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return nil, fmt.Errorf("keyfile nonce: %w", err)
	}
	key := naclKey(password, p)
	defer clear(key[:])
	return sealNaCl(plain, key, &nonce), nil
}

// EncryptKeyfileData encrypts keyfile JSON in the $NACL format with the production Argon2i parameters and a
// random nonce, exactly as bittensor-wallet's encrypt_keyfile_data does.
func EncryptKeyfileData(plain []byte, password string) ([]byte, error) {
	return encryptNaCl(plain, password, productionKDF)
}

// DecryptKeyfileData decrypts keyfile data in any format bittensor has written: $NACL (production Argon2i
// parameters), Ansible Vault and the Fernet legacy format. Plain JSON is returned unchanged. A wrong password
// gives ErrWrongPassword, damaged data ErrCorruptKeyfile.
func DecryptKeyfileData(data []byte, password string) ([]byte, error) {
	return decryptKeyfileData(data, password, productionKDF)
}

func decryptKeyfileData(data []byte, password string, p kdfParams) ([]byte, error) {
	switch DetectFormat(data) {
	case FormatNaCl:
		if len(data) < len(naclPrefix)+naclNonceSize+secretbox.Overhead {
			return nil, fmt.Errorf("%w: $NACL data is truncated (%d bytes)", ErrCorruptKeyfile, len(data))
		}
		key := naclKey(password, p)
		defer clear(key[:])
		return openNaCl(data, key)
	case FormatAnsible:
		return decryptAnsible(data, password)
	case FormatFernet:
		raw, err := pbkdf2.Key(sha256.New, password, []byte(fernetSalt), fernetIterations, 32)
		if err != nil {
			return nil, fmt.Errorf("legacy keyfile key: %w", err)
		}
		defer clear(raw)
		return decryptFernet(data, raw)
	default:
		return bytes.Clone(data), nil
	}
}

// decryptAnsible opens an Ansible Vault 1.1/1.2 AES256 document: PBKDF2-HMAC-SHA256 (10,000 rounds) over a
// 32-byte salt gives the AES-256-CTR key, the HMAC-SHA256 key and the counter IV; the HMAC covers the
// ciphertext; the plaintext is PKCS7 padded.
func decryptAnsible(data []byte, password string) ([]byte, error) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	header, body, ok := strings.Cut(text, "\n")
	if !ok {
		return nil, fmt.Errorf("%w: Ansible Vault data has no body", ErrCorruptKeyfile)
	}
	fields := strings.Split(strings.TrimSpace(header), ";")
	if len(fields) < 3 || fields[0] != ansiblePrefix || (fields[1] != "1.1" && fields[1] != "1.2") ||
		strings.TrimSpace(fields[2]) != "AES256" {
		return nil, fmt.Errorf("%w: unsupported Ansible Vault header", ErrCorruptKeyfile)
	}
	inner, err := hex.DecodeString(strings.Join(strings.Fields(body), ""))
	if err != nil {
		return nil, fmt.Errorf("%w: Ansible Vault body is not hex", ErrCorruptKeyfile)
	}
	parts := strings.Split(string(inner), "\n")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: Ansible Vault body has %d parts, want 3", ErrCorruptKeyfile, len(parts))
	}
	salt, err1 := hex.DecodeString(parts[0])
	mac, err2 := hex.DecodeString(parts[1])
	ct, err3 := hex.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || len(mac) != sha256.Size || len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: malformed Ansible Vault body", ErrCorruptKeyfile)
	}
	derived, err := pbkdf2.Key(sha256.New, password, salt, ansibleIterations, 80)
	if err != nil {
		return nil, fmt.Errorf("ansible vault key: %w", err)
	}
	defer clear(derived)
	h := hmac.New(sha256.New, derived[32:64])
	h.Write(ct)
	if !hmac.Equal(h.Sum(nil), mac) {
		return nil, ErrWrongPassword
	}
	block, err := aes.NewCipher(derived[:32])
	if err != nil {
		return nil, fmt.Errorf("ansible vault cipher: %w", err)
	}
	plain := make([]byte, len(ct))
	cipher.NewCTR(block, derived[64:80]).XORKeyStream(plain, ct)
	return unpadPKCS7(plain)
}

// decryptFernet opens a Fernet token (version 0x80 ‖ time ‖ IV ‖ AES-128-CBC ciphertext ‖ HMAC-SHA256)
// with the 32-byte raw Fernet key (signing half first). The token's timestamp is not checked, as bittensor
// never set a TTL.
func decryptFernet(token, rawKey []byte) ([]byte, error) {
	s := strings.TrimSpace(string(token))
	data, err := base64.URLEncoding.DecodeString(s)
	if err != nil {
		if data, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "=")); err != nil {
			return nil, fmt.Errorf("%w: legacy (Fernet) data is not base64", ErrCorruptKeyfile)
		}
	}
	const head = 1 + 8 + aes.BlockSize
	if len(data) < head+aes.BlockSize+sha256.Size || data[0] != 0x80 || (len(data)-head-sha256.Size)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: malformed legacy (Fernet) token", ErrCorruptKeyfile)
	}
	if len(rawKey) != 32 {
		return nil, errors.New("fernet key must be 32 bytes")
	}
	body, mac := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	h := hmac.New(sha256.New, rawKey[:16])
	h.Write(body)
	if !hmac.Equal(h.Sum(nil), mac) {
		return nil, ErrWrongPassword
	}
	block, err := aes.NewCipher(rawKey[16:])
	if err != nil {
		return nil, fmt.Errorf("fernet cipher: %w", err)
	}
	ct := body[head:]
	plain := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, body[9:head]).CryptBlocks(plain, ct)
	return unpadPKCS7(plain)
}

func unpadPKCS7(b []byte) ([]byte, error) {
	if len(b) == 0 || len(b)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: bad padding", ErrCorruptKeyfile)
	}
	n := int(b[len(b)-1])
	if n == 0 || n > aes.BlockSize {
		return nil, fmt.Errorf("%w: bad padding", ErrCorruptKeyfile)
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, fmt.Errorf("%w: bad padding", ErrCorruptKeyfile)
		}
	}
	return b[:len(b)-n], nil
}
