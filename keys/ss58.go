package keys

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/mr-tron/base58"
	"golang.org/x/crypto/blake2b"
)

// DefaultSS58Prefix is the SS58 address format Bittensor uses (the generic Substrate prefix 42); its
// addresses start with "5".
const DefaultSS58Prefix = 42

// MaxSS58Prefix is the largest prefix the SS58 format can carry (14 bits).
const MaxSS58Prefix = 16383

// Errors returned by DecodeSS58 (wrapped with context; test with errors.Is).
var (
	// ErrSS58Base58 means the address contains characters outside the base58 alphabet.
	ErrSS58Base58 = errors.New("invalid SS58 address: not base58")
	// ErrSS58Length means the decoded address does not hold a prefix, a 32-byte key and a 2-byte checksum.
	ErrSS58Length = errors.New("invalid SS58 address: wrong length")
	// ErrSS58Prefix means the address prefix is malformed or reserved.
	ErrSS58Prefix = errors.New("invalid SS58 address: bad or reserved prefix")
	// ErrSS58Checksum means the 2-byte BLAKE2b checksum does not match (a typo in the address).
	ErrSS58Checksum = errors.New("invalid SS58 address: checksum mismatch")
)

var ss58Pre = []byte("SS58PRE")

const ss58ChecksumLen = 2

func ss58Checksum(data []byte) [ss58ChecksumLen]byte {
	h, _ := blake2b.New512(nil) // cannot fail without a key
	h.Write(ss58Pre)
	h.Write(data)
	var sum [64]byte
	h.Sum(sum[:0])
	return [ss58ChecksumLen]byte{sum[0], sum[1]}
}

// ss58PrefixBytes encodes a 14-bit prefix in the one- or two-byte SS58 form (sp-core's layout).
func ss58PrefixBytes(prefix uint16) []byte {
	ident := prefix & 0x3fff
	if ident < 64 {
		return []byte{byte(ident)}
	}
	first := byte((ident&0x00fc)>>2) | 0x40
	second := byte(ident>>8) | byte(ident&0x0003)<<6
	return []byte{first, second}
}

// EncodeSS58 returns the SS58 address of pub (normally a 32-byte public key) under the given prefix.
// Prefixes 0-63 use the one-byte form and 64-16383 the two-byte form; only the low 14 bits of prefix are
// used, as in sp-core. Use [DefaultSS58Prefix] for Bittensor addresses.
func EncodeSS58(pub []byte, prefix uint16) string {
	buf := ss58PrefixBytes(prefix)
	buf = append(buf, pub...)
	sum := ss58Checksum(buf)
	buf = append(buf, sum[:]...)
	return base58.Encode(buf)
}

// DecodeSS58 decodes an SS58 address holding a 32-byte public key, validates its checksum and returns the
// key and its prefix. Any registered prefix is accepted (the reserved prefixes 46 and 47 are not); callers
// that want Bittensor addresses only should check prefix == DefaultSS58Prefix.
func DecodeSS58(addr string) (pub [32]byte, prefix uint16, err error) {
	if addr == "" {
		return pub, 0, fmt.Errorf("%w (empty)", ErrSS58Length)
	}
	data, err := base58.Decode(addr)
	if err != nil {
		return pub, 0, ErrSS58Base58
	}
	if len(data) < 2 {
		return pub, 0, fmt.Errorf("%w (%d bytes)", ErrSS58Length, len(data))
	}
	var prefixLen int
	switch {
	case data[0] < 64:
		prefixLen, prefix = 1, uint16(data[0])
	case data[0] < 128:
		lower := data[0]<<2 | data[1]>>6
		upper := data[1] & 0x3f
		prefixLen, prefix = 2, uint16(lower)|uint16(upper)<<8
	default:
		return pub, 0, fmt.Errorf("%w (first byte %#x)", ErrSS58Prefix, data[0])
	}
	if len(data) != prefixLen+32+ss58ChecksumLen {
		return pub, 0, fmt.Errorf("%w (%d bytes, want %d)", ErrSS58Length, len(data), prefixLen+32+ss58ChecksumLen)
	}
	if prefix == 46 || prefix == 47 {
		return pub, 0, fmt.Errorf("%w (%d is reserved)", ErrSS58Prefix, prefix)
	}
	body := data[:prefixLen+32]
	sum := ss58Checksum(body)
	if !bytes.Equal(sum[:], data[prefixLen+32:]) {
		return pub, 0, ErrSS58Checksum
	}
	copy(pub[:], data[prefixLen:prefixLen+32])
	return pub, prefix, nil
}

// IsValidSS58 reports whether addr is a well-formed SS58 address with a correct checksum and any prefix.
func IsValidSS58(addr string) bool {
	_, _, err := DecodeSS58(addr)
	return err == nil
}
