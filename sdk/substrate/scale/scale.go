// Package scale is a bounds-checked SCALE codec (the Parity binary encoding Substrate chains use): compact
// integers, fixed-width little-endian integers up to 128 bits, bool, Option, length-prefixed sequences and
// strings. A Decoder never panics on hostile input and never allocates more than its input can justify: a
// length prefix larger than the bytes left is an error, not an allocation.
package scale

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// ErrShort means the input ended before the value did.
var ErrShort = errors.New("scale: unexpected end of input")

// ErrInvalid means the input is not a canonical SCALE encoding of the value asked for.
var ErrInvalid = errors.New("scale: invalid encoding")

// Decoder reads SCALE values from a byte slice. The zero value reads nothing; use NewDecoder.
type Decoder struct {
	buf []byte
	off int
}

// NewDecoder returns a decoder over b. b is not copied; byte slices returned by Bytes alias it.
func NewDecoder(b []byte) *Decoder { return &Decoder{buf: b} }

// Remaining is the number of bytes not yet read.
func (d *Decoder) Remaining() int { return len(d.buf) - d.off }

// Offset is the number of bytes read so far.
func (d *Decoder) Offset() int { return d.off }

// Done returns an error unless every byte has been read.
func (d *Decoder) Done() error {
	if r := d.Remaining(); r != 0 {
		return fmt.Errorf("%w: %d trailing bytes at offset %d", ErrInvalid, r, d.off)
	}
	return nil
}

// Bytes reads exactly n bytes and returns them without copying.
func (d *Decoder) Bytes(n int) ([]byte, error) {
	if n < 0 || n > d.Remaining() {
		return nil, fmt.Errorf("%w: need %d bytes at offset %d, have %d", ErrShort, n, d.off, d.Remaining())
	}
	b := d.buf[d.off : d.off+n]
	d.off += n
	return b, nil
}

// Skip advances over n bytes.
func (d *Decoder) Skip(n int) error {
	_, err := d.Bytes(n)
	return err
}

// U8 reads one byte.
func (d *Decoder) U8() (uint8, error) {
	if d.off >= len(d.buf) {
		return 0, fmt.Errorf("%w: need 1 byte at offset %d", ErrShort, d.off)
	}
	v := d.buf[d.off]
	d.off++
	return v, nil
}

// Bool reads a bool (0x00 or 0x01; anything else is invalid).
func (d *Decoder) Bool() (bool, error) {
	b, err := d.U8()
	if err != nil {
		return false, err
	}
	switch b {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	return false, fmt.Errorf("%w: bool byte 0x%02x at offset %d", ErrInvalid, b, d.off-1)
}

// U16 reads a little-endian uint16.
func (d *Decoder) U16() (uint16, error) {
	b, err := d.Bytes(2)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint16(b), nil
}

// U32 reads a little-endian uint32.
func (d *Decoder) U32() (uint32, error) {
	b, err := d.Bytes(4)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

// U64 reads a little-endian uint64.
func (d *Decoder) U64() (uint64, error) {
	b, err := d.Bytes(8)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// U128 reads a little-endian 128-bit unsigned integer.
func (d *Decoder) U128() (U128, error) {
	b, err := d.Bytes(16)
	if err != nil {
		return U128{}, err
	}
	return U128{Lo: binary.LittleEndian.Uint64(b), Hi: binary.LittleEndian.Uint64(b[8:])}, nil
}

// Compact reads a compact-encoded unsigned integer of at most 64 bits. Non-canonical encodings (a value
// written in a longer mode than it needs) are refused, as Substrate refuses them.
func (d *Decoder) Compact() (uint64, error) {
	start := d.off
	b0, err := d.U8()
	if err != nil {
		return 0, err
	}
	switch b0 & 3 {
	case 0:
		return uint64(b0 >> 2), nil
	case 1:
		b1, err := d.U8()
		if err != nil {
			return 0, err
		}
		v := uint64(binary.LittleEndian.Uint16([]byte{b0, b1})) >> 2
		if v < 1<<6 {
			return 0, fmt.Errorf("%w: non-canonical compact at offset %d", ErrInvalid, start)
		}
		return v, nil
	case 2:
		d.off--
		b, err := d.Bytes(4)
		if err != nil {
			return 0, err
		}
		v := uint64(binary.LittleEndian.Uint32(b)) >> 2
		if v < 1<<14 {
			return 0, fmt.Errorf("%w: non-canonical compact at offset %d", ErrInvalid, start)
		}
		return v, nil
	}
	n := int(b0>>2) + 4
	if n > 8 {
		// Values above 64 bits: only valid when the high bytes are zero, which is then non-canonical.
		return 0, fmt.Errorf("%w: compact of %d bytes at offset %d exceeds 64 bits", ErrInvalid, n, start)
	}
	b, err := d.Bytes(n)
	if err != nil {
		return 0, err
	}
	var full [8]byte
	copy(full[:], b)
	v := binary.LittleEndian.Uint64(full[:])
	if b[n-1] == 0 || v < 1<<30 {
		return 0, fmt.Errorf("%w: non-canonical compact at offset %d", ErrInvalid, start)
	}
	return v, nil
}

// CompactU128 reads a compact-encoded unsigned integer of up to 128 bits.
func (d *Decoder) CompactU128() (U128, error) {
	start := d.off
	if d.off < len(d.buf) && d.buf[d.off]&3 == 3 && int(d.buf[d.off]>>2)+4 > 8 {
		n := int(d.buf[d.off]>>2) + 4
		if n > 16 {
			return U128{}, fmt.Errorf("%w: compact of %d bytes at offset %d exceeds 128 bits", ErrInvalid, n, start)
		}
		d.off++
		b, err := d.Bytes(n)
		if err != nil {
			d.off = start
			return U128{}, err
		}
		if b[n-1] == 0 {
			return U128{}, fmt.Errorf("%w: non-canonical compact at offset %d", ErrInvalid, start)
		}
		var full [16]byte
		copy(full[:], b)
		return U128{Lo: binary.LittleEndian.Uint64(full[:8]), Hi: binary.LittleEndian.Uint64(full[8:])}, nil
	}
	v, err := d.Compact()
	return U128{Lo: v}, err
}

// MaxZeroSizedLen bounds the length of a sequence whose elements take no bytes, so hostile input cannot
// make a decoder loop for long.
const MaxZeroSizedLen = 1 << 16

// Length reads a compact length prefix and checks that n elements of at least minElem bytes each fit in
// the bytes left, so a hostile length cannot force a large allocation. minElem 0 means the elements may
// take no bytes; such lengths are capped at MaxZeroSizedLen.
func (d *Decoder) Length(minElem int) (int, error) {
	start := d.off
	n, err := d.Compact()
	if err != nil {
		return 0, err
	}
	limit := uint64(MaxZeroSizedLen)
	if minElem > 0 {
		limit = uint64(d.Remaining() / minElem)
	}
	if n > limit {
		return 0, fmt.Errorf("%w: length %d at offset %d exceeds the %d bytes left", ErrShort, n, start, d.Remaining())
	}
	return int(n), nil
}

// ByteVec reads a Vec<u8> (compact length then bytes) without copying.
func (d *Decoder) ByteVec() ([]byte, error) {
	n, err := d.Length(1)
	if err != nil {
		return nil, err
	}
	return d.Bytes(n)
}

// String reads a length-prefixed UTF-8 string (not validated; SCALE strings are bytes).
func (d *Decoder) String() (string, error) {
	b, err := d.ByteVec()
	return string(b), err
}

// Option reads an Option tag: false for None (0x00), true for Some (0x01).
func (d *Decoder) Option() (bool, error) {
	b, err := d.U8()
	if err != nil {
		return false, err
	}
	switch b {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	return false, fmt.Errorf("%w: option tag 0x%02x at offset %d", ErrInvalid, b, d.off-1)
}

// U128 is an unsigned 128-bit integer (also used for the raw bits of i128 and fixed-point values).
type U128 struct {
	Lo, Hi uint64
}

// Uint64 returns the value and whether it fits in 64 bits.
func (u U128) Uint64() (uint64, bool) { return u.Lo, u.Hi == 0 }

// IsZero reports whether u is zero.
func (u U128) IsZero() bool { return u.Lo == 0 && u.Hi == 0 }

// String formats u in decimal.
func (u U128) String() string {
	if u.Hi == 0 {
		return fmt.Sprint(u.Lo)
	}
	var digits [40]byte
	i := len(digits)
	hi, lo := u.Hi, u.Lo
	for hi != 0 || lo != 0 {
		var r uint64
		hi, r = bits.Div64(0, hi, 10)
		lo, r = bits.Div64(r, lo, 10)
		i--
		digits[i] = byte('0' + r)
	}
	return string(digits[i:])
}
