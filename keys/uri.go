package keys

import (
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	schnorrkel "github.com/ChainSafe/go-schnorrkel"
	"golang.org/x/crypto/blake2b"
)

// DevPhrase is Substrate's development mnemonic: the phrase of a secret URI with no phrase, so `//Alice`
// means DevPhrase + "//Alice".
const DevPhrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk"

// ErrInvalidURI means a secret URI does not have the form `<phrase>(//hard|/soft)*(///password)?`.
var ErrInvalidURI = errors.New("invalid secret URI: want <mnemonic or 0x seed>, then //hard or /soft junctions, then optionally ///password")

// Junction is one step of a derivation path.
type Junction struct {
	// Hard is true for `//name` (hard derivation) and false for `/name` (soft derivation).
	Hard bool
	// ChainCode is the 32-byte chain code: a u64 junction as 8 bytes little-endian, anything else as a
	// SCALE-encoded string, zero-padded, or BLAKE2b-256 of the encoding when it is longer than 32 bytes.
	ChainCode [32]byte
	code      string
}

// SecretURI is a parsed secret URI (sp-core's SecretUri). It holds secrets, so it prints redacted.
type SecretURI struct {
	// Phrase is the mnemonic or 0x-prefixed hex seed; empty means DevPhrase.
	Phrase string
	// Junctions is the derivation path in order.
	Junctions []Junction
	// Password is the BIP39 passphrase given after `///`; HasPassword tells an empty one from none.
	Password    string
	HasPassword bool
}

// String is redacted: a secret URI is key material.
func (u *SecretURI) String() string {
	return fmt.Sprintf("secret URI (redacted, %d junctions)", len(u.Junctions))
}

// GoString is String.
func (u *SecretURI) GoString() string { return u.String() }

// Format prints String for every verb.
func (u *SecretURI) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(u.String())) }

func isPhraseByte(c byte) bool {
	return c == ' ' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// ParseURI parses a secret URI the way sp-core's SecretUri::from_str does (regular expression
// `^([a-zA-Z0-9 ]+)?((//?[^/]+)*)(///(.*))?$`): a phrase of letters, digits and spaces (or a 0x hex seed),
// any number of `//hard` and `/soft` junctions, then an optional `///password` that runs to the end.
// It checks only the form; the phrase is checked when the key is built.
func ParseURI(suri string) (*SecretURI, error) {
	if !utf8.ValidString(suri) {
		return nil, fmt.Errorf("%w (not UTF-8)", ErrInvalidURI)
	}
	i := 0
	for i < len(suri) && isPhraseByte(suri[i]) {
		i++
	}
	u := &SecretURI{Phrase: suri[:i]}
	rest := suri[i:]
	for rest != "" {
		if strings.HasPrefix(rest, "///") {
			pw := rest[3:]
			if strings.ContainsRune(pw, '\n') { // the regex's `.` does not match a newline
				return nil, fmt.Errorf("%w (newline in password)", ErrInvalidURI)
			}
			u.Password, u.HasPassword = pw, true
			break
		}
		if rest[0] != '/' {
			return nil, fmt.Errorf("%w (unexpected character after the phrase)", ErrInvalidURI)
		}
		hard := strings.HasPrefix(rest, "//")
		body := rest[1:]
		if hard {
			body = rest[2:]
		}
		end := strings.IndexByte(body, '/')
		if end < 0 {
			end = len(body)
		}
		if end == 0 {
			return nil, fmt.Errorf("%w (empty junction)", ErrInvalidURI)
		}
		u.Junctions = append(u.Junctions, NewJunction(body[:end], hard))
		rest = body[end:]
	}
	return u, nil
}

// NewJunction builds a junction from its text as sp-core's DeriveJunction::from does: text that parses as
// a u64 (decimal, optional leading '+') is encoded as 8 bytes little-endian, anything else as a SCALE string.
func NewJunction(code string, hard bool) Junction {
	j := Junction{Hard: hard, code: code}
	var enc []byte
	if n, ok := parseU64(code); ok {
		enc = binary.LittleEndian.AppendUint64(nil, n)
	} else {
		enc = appendCompact(nil, uint64(len(code)))
		enc = append(enc, code...)
	}
	if len(enc) > 32 {
		j.ChainCode = blake2b.Sum256(enc)
	} else {
		copy(j.ChainCode[:], enc)
	}
	return j
}

// parseU64 mirrors Rust's u64::from_str: decimal digits with an optional leading '+'.
func parseU64(s string) (uint64, bool) {
	digits := strings.TrimPrefix(s, "+")
	if digits == "" {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	return n, err == nil
}

// appendCompact appends the SCALE compact encoding of n.
func appendCompact(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n<<2))
	case n < 1<<14:
		return binary.LittleEndian.AppendUint16(b, uint16(n<<2|1))
	case n < 1<<30:
		return binary.LittleEndian.AppendUint32(b, uint32(n<<2|2))
	default:
		var le [8]byte
		binary.LittleEndian.PutUint64(le[:], n)
		l := 8
		for l > 4 && le[l-1] == 0 {
			l--
		}
		b = append(b, byte((l-4)<<2|3))
		return append(b, le[:l]...)
	}
}

// FromURI builds the keypair of a secret URI, as sp-core's Pair::from_string does: `//Alice`,
// `<mnemonic>//hard/soft///password`, or `0x<64 hex>` seed with junctions (a hex seed ignores the password).
// The result remembers its seed only when every junction is hard, and its mnemonic only for a bare phrase.
func FromURI(suri string) (*Keypair, error) {
	u, err := ParseURI(suri)
	if err != nil {
		return nil, err
	}
	return u.Keypair()
}

// Keypair builds the keypair the URI describes.
func (u *SecretURI) Keypair() (*Keypair, error) {
	phrase := u.Phrase
	if phrase == "" {
		phrase = DevPhrase
	}
	var root *Keypair
	var err error
	if strings.HasPrefix(phrase, "0x") {
		root, err = FromSeedHex(phrase)
		if err != nil {
			return nil, fmt.Errorf("secret URI seed: %w", err)
		}
	} else {
		root, err = FromMnemonic(phrase, u.Password)
		if err != nil {
			return nil, fmt.Errorf("secret URI phrase: %w", err)
		}
	}
	if len(u.Junctions) > 0 {
		clear(root.mnemonic)
		root.mnemonic = nil
	}
	return root.Derive(u.Junctions)
}

// Derive returns the key at the given derivation path below k (hard junctions with schnorrkel's
// HardDeriveMiniSecretKey, soft ones with derived_key_simple). The result knows its seed only if k does and
// every junction is hard.
func (k *Keypair) Derive(path []Junction) (*Keypair, error) {
	if !k.hasSecret {
		return nil, ErrNoSecret
	}
	cur := k
	for _, j := range path {
		next, err := cur.deriveOne(j)
		if cur != k {
			cur.Wipe()
		}
		if err != nil {
			return nil, err
		}
		cur = next
	}
	if cur == k {
		cp := *k
		cp.mnemonic = append([]byte(nil), k.mnemonic...)
		if len(cp.mnemonic) == 0 {
			cp.mnemonic = nil
		}
		return &cp, nil
	}
	return cur, nil
}

func (k *Keypair) deriveOne(j Junction) (*Keypair, error) {
	sk := k.secretKey()
	if j.Hard {
		msk, _, err := sk.HardDeriveMiniSecretKey([]byte{}, j.ChainCode)
		if err != nil {
			return nil, fmt.Errorf("hard derivation: %w", err)
		}
		mini := msk.Encode()
		defer clear(mini[:])
		next, err := fromMini(mini)
		if err != nil {
			return nil, err
		}
		if !k.hasSeed {
			next.hasSeed = false
			clear(next.seed[:])
		}
		return next, nil
	}
	ek, err := schnorrkel.DeriveKeySimple(sk, []byte{}, j.ChainCode)
	if err != nil {
		return nil, fmt.Errorf("soft derivation: %w", err)
	}
	dsk, err := ek.Secret()
	if err != nil {
		return nil, fmt.Errorf("soft derivation: %w", err)
	}
	next, err := newSecret(dsk)
	if err != nil {
		return nil, err
	}
	// The nonce only hardens signing against a bad RNG and is not specified (schnorrkel draws it at random).
	// Derive it deterministically from the parent so the same URI always yields the same privateKey.
	h, _ := blake2b.New256(k.nonce[:])
	h.Write([]byte("gotensor/HDKD-nonce"))
	h.Write(k.key[:])
	h.Write(j.ChainCode[:])
	h.Sum(next.nonce[:0])
	return next, nil
}

// expandNonce is the nonce half of schnorrkel's Ed25519-mode expansion of a mini secret.
func expandNonce(mini [32]byte) [32]byte {
	h := sha512.Sum512(mini[:])
	defer clear(h[:])
	return [32]byte(h[32:])
}
