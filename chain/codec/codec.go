// Package codec is gotensor's compact, deterministic binary encoding: the wire format of transactions and
// the value format of runtime state.
//
// Rules (every value has exactly one encoding, so decode(encode(x)) == x and encode(decode(b)) == b):
//   - fixed-width integers are little-endian (u8, u16, u32, u64, u128 as two u64 halves, low first);
//   - lengths and "compact" integers are unsigned LEB128 varints, minimal (a non-minimal varint is an error);
//   - bool is one byte, 0 or 1 (anything else is an error);
//   - byte strings and lists are a varint length followed by the items;
//   - fixed arrays ([32]byte, [64]byte) are the raw bytes.
//
// Readers never panic on malformed input and never allocate more than the input can justify: a length
// larger than the bytes left is an error before anything is allocated.
//
// The package also holds the few SCALE helpers the chain needs to reproduce subtensor hashes
// (AppendScaleCompact).
package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Errors returned by Reader.
var (
	ErrShort       = errors.New("codec: input too short")
	ErrNonCanon    = errors.New("codec: non-canonical encoding")
	ErrTooLong     = errors.New("codec: length exceeds limit")
	ErrTrailing    = errors.New("codec: trailing bytes")
	ErrBadBool     = errors.New("codec: bool is not 0 or 1")
	ErrBadVersion  = errors.New("codec: unsupported version")
	ErrVarintRange = errors.New("codec: varint overflows 64 bits")
)

// Writer appends encodings to a byte slice.
type Writer struct{ buf []byte }

// NewWriter returns a writer with capacity hint n.
func NewWriter(n int) *Writer { return &Writer{buf: make([]byte, 0, n)} }

// Bytes returns the encoding written so far.
func (w *Writer) Bytes() []byte { return w.buf }

// Len is the number of bytes written.
func (w *Writer) Len() int { return len(w.buf) }

func (w *Writer) U8(v uint8)   { w.buf = append(w.buf, v) }
func (w *Writer) U16(v uint16) { w.buf = binary.LittleEndian.AppendUint16(w.buf, v) }
func (w *Writer) U32(v uint32) { w.buf = binary.LittleEndian.AppendUint32(w.buf, v) }
func (w *Writer) U64(v uint64) { w.buf = binary.LittleEndian.AppendUint64(w.buf, v) }

// U128 writes lo then hi, each as u64 LE (together: the 16-byte little-endian integer).
func (w *Writer) U128(hi, lo uint64) { w.U64(lo); w.U64(hi) }

// Version writes a format version byte; every top-level encoding (a transaction, a stored record that
// may change shape) starts with one, so a future format can be told apart.
func (w *Writer) Version(v uint8) { w.U8(v) }

// Bool writes 1 or 0.
func (w *Writer) Bool(v bool) {
	if v {
		w.U8(1)
	} else {
		w.U8(0)
	}
}

// Varint writes v as a minimal unsigned LEB128 varint.
func (w *Writer) Varint(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }

// Raw appends b as is (for fixed-size arrays).
func (w *Writer) Raw(b []byte) { w.buf = append(w.buf, b...) }

// Bytes writes a length-prefixed byte string.
func (w *Writer) VarBytes(b []byte) { w.Varint(uint64(len(b))); w.buf = append(w.buf, b...) }

// String writes a length-prefixed UTF-8 string (not validated).
func (w *Writer) String(s string) { w.Varint(uint64(len(s))); w.buf = append(w.buf, s...) }

// U16s writes a length-prefixed list of u16.
func (w *Writer) U16s(v []uint16) {
	w.Varint(uint64(len(v)))
	for _, x := range v {
		w.U16(x)
	}
}

// U64s writes a length-prefixed list of u64.
func (w *Writer) U64s(v []uint64) {
	w.Varint(uint64(len(v)))
	for _, x := range v {
		w.U64(x)
	}
}

// Reader decodes from a byte slice. The first error sticks: later reads return zero values, and Err
// reports it. This keeps decoders short: read everything, then check Err once.
type Reader struct {
	buf []byte
	off int
	err error
}

// NewReader reads b.
func NewReader(b []byte) *Reader { return &Reader{buf: b} }

// Err is the first error met, or nil.
func (r *Reader) Err() error { return r.err }

// Remaining is the number of unread bytes.
func (r *Reader) Remaining() int { return len(r.buf) - r.off }

// Fail records err (if no error is recorded yet).
func (r *Reader) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// Done records ErrTrailing if bytes are left, and returns Err.
func (r *Reader) Done() error {
	if r.err == nil && r.off != len(r.buf) {
		r.err = ErrTrailing
	}
	return r.err
}

func (r *Reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.buf)-r.off {
		r.err = ErrShort
		return nil
	}
	b := r.buf[r.off : r.off+n]
	r.off += n
	return b
}

func (r *Reader) U8() uint8 {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *Reader) U16() uint16 {
	if b := r.take(2); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (r *Reader) U32() uint32 {
	if b := r.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *Reader) U64() uint64 {
	if b := r.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// U128 reads lo then hi.
func (r *Reader) U128() (hi, lo uint64) {
	lo = r.U64()
	hi = r.U64()
	return hi, lo
}

// Version reads a version byte and checks it is one of supported (ErrBadVersion otherwise).
func (r *Reader) Version(supported ...uint8) uint8 {
	v := r.U8()
	if r.err != nil {
		return 0
	}
	for _, s := range supported {
		if v == s {
			return v
		}
	}
	r.Fail(fmt.Errorf("%w: %d", ErrBadVersion, v))
	return v
}

func (r *Reader) Bool() bool {
	switch r.U8() {
	case 0:
		return false
	case 1:
		return true
	default:
		r.Fail(ErrBadBool)
		return false
	}
}

// Varint reads a minimal unsigned LEB128 varint.
func (r *Reader) Varint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.buf[r.off:])
	switch {
	case n == 0:
		r.err = ErrShort
		return 0
	case n < 0:
		r.err = ErrVarintRange
		return 0
	}
	if n > 1 && r.buf[r.off+n-1] == 0 { // a trailing zero group means a shorter encoding existed
		r.err = ErrNonCanon
		return 0
	}
	r.off += n
	return v
}

// Len reads a varint length and checks it against max and against the bytes left (each item takes at
// least itemSize bytes), so a hostile length cannot force a large allocation.
func (r *Reader) Len(max, itemSize int) int {
	n := r.Varint()
	if r.err != nil {
		return 0
	}
	if n > uint64(max) {
		r.Fail(fmt.Errorf("%w: %d > %d", ErrTooLong, n, max))
		return 0
	}
	if itemSize > 0 && n*uint64(itemSize) > uint64(r.Remaining()) {
		r.Fail(ErrShort)
		return 0
	}
	return int(n)
}

// Raw reads n bytes (a view into the input, not a copy).
func (r *Reader) Raw(n int) []byte { return r.take(n) }

// Array32 reads 32 raw bytes.
func (r *Reader) Array32() (a [32]byte) { copy(a[:], r.take(32)); return a }

// Array64 reads 64 raw bytes.
func (r *Reader) Array64() (a [64]byte) { copy(a[:], r.take(64)); return a }

// VarBytes reads a length-prefixed byte string of at most max bytes (a copy).
func (r *Reader) VarBytes(max int) []byte {
	n := r.Len(max, 1)
	b := r.take(n)
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

// String reads a length-prefixed string of at most max bytes.
func (r *Reader) String(max int) string { return string(r.VarBytes(max)) }

// U16s reads a length-prefixed list of at most max u16.
func (r *Reader) U16s(max int) []uint16 {
	n := r.Len(max, 2)
	if r.err != nil {
		return nil
	}
	out := make([]uint16, n)
	for i := range out {
		out[i] = r.U16()
	}
	return out
}

// U64s reads a length-prefixed list of at most max u64.
func (r *Reader) U64s(max int) []uint64 {
	n := r.Len(max, 8)
	if r.err != nil {
		return nil
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = r.U64()
	}
	return out
}

// AppendScaleCompact appends v in SCALE's compact integer encoding (the length prefix of a SCALE Vec).
func AppendScaleCompact(b []byte, v uint64) []byte {
	switch {
	case v < 1<<6:
		return append(b, byte(v<<2))
	case v < 1<<14:
		return binary.LittleEndian.AppendUint16(b, uint16(v<<2|1))
	case v < 1<<30:
		return binary.LittleEndian.AppendUint32(b, uint32(v<<2|2))
	default:
		n := 0
		for x := v; x > 0; x >>= 8 {
			n++
		}
		b = append(b, byte((n-4)<<2|3))
		for i := 0; i < n; i++ {
			b = append(b, byte(v>>(8*i)))
		}
		return b
	}
}
