package scale

import "encoding/binary"

// Encoder appends SCALE values to a byte slice. The zero value is ready to use.
type Encoder struct {
	buf []byte
}

// NewEncoder returns an encoder whose output starts with prefix (which it may modify).
func NewEncoder(prefix []byte) *Encoder { return &Encoder{buf: prefix} }

// Bytes returns the encoded bytes.
func (e *Encoder) Bytes() []byte { return e.buf }

// Len is the number of bytes written.
func (e *Encoder) Len() int { return len(e.buf) }

// Raw appends b unchanged.
func (e *Encoder) Raw(b []byte) { e.buf = append(e.buf, b...) }

// U8 appends one byte.
func (e *Encoder) U8(v uint8) { e.buf = append(e.buf, v) }

// Bool appends 0x01 or 0x00.
func (e *Encoder) Bool(v bool) {
	if v {
		e.U8(1)
	} else {
		e.U8(0)
	}
}

// U16 appends a little-endian uint16.
func (e *Encoder) U16(v uint16) { e.buf = binary.LittleEndian.AppendUint16(e.buf, v) }

// U32 appends a little-endian uint32.
func (e *Encoder) U32(v uint32) { e.buf = binary.LittleEndian.AppendUint32(e.buf, v) }

// U64 appends a little-endian uint64.
func (e *Encoder) U64(v uint64) { e.buf = binary.LittleEndian.AppendUint64(e.buf, v) }

// U128 appends a little-endian 128-bit integer.
func (e *Encoder) U128(v U128) {
	e.U64(v.Lo)
	e.U64(v.Hi)
}

// Compact appends v in compact form.
func (e *Encoder) Compact(v uint64) { e.buf = AppendCompact(e.buf, v) }

// CompactU128 appends a 128-bit v in compact form.
func (e *Encoder) CompactU128(v U128) {
	if v.Hi == 0 {
		e.Compact(v.Lo)
		return
	}
	var full [16]byte
	binary.LittleEndian.PutUint64(full[:8], v.Lo)
	binary.LittleEndian.PutUint64(full[8:], v.Hi)
	n := 16
	for full[n-1] == 0 {
		n--
	}
	e.buf = append(e.buf, byte((n-4)<<2|3))
	e.buf = append(e.buf, full[:n]...)
}

// ByteVec appends a Vec<u8>: compact length, then the bytes.
func (e *Encoder) ByteVec(b []byte) {
	e.Compact(uint64(len(b)))
	e.Raw(b)
}

// String appends a length-prefixed string.
func (e *Encoder) String(s string) {
	e.Compact(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// AppendCompact appends the compact encoding of v to b.
func AppendCompact(b []byte, v uint64) []byte {
	switch {
	case v < 1<<6:
		return append(b, byte(v<<2))
	case v < 1<<14:
		return binary.LittleEndian.AppendUint16(b, uint16(v<<2|1))
	case v < 1<<30:
		return binary.LittleEndian.AppendUint32(b, uint32(v<<2|2))
	}
	n := 8
	for v>>(8*(n-1)) == 0 {
		n--
	}
	b = append(b, byte((n-4)<<2|3))
	for i := 0; i < n; i++ {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}
