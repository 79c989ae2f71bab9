package codec

import (
	"bytes"
	"errors"
	"testing"

	"pgregory.net/rapid"
)

func TestRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.Uint8().Draw(t, "a")
		b := rapid.Uint16().Draw(t, "b")
		c := rapid.Uint32().Draw(t, "c")
		d := rapid.Uint64().Draw(t, "d")
		e := rapid.Uint64().Draw(t, "e")
		f := rapid.Bool().Draw(t, "f")
		g := rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "g")
		h := rapid.SliceOfN(rapid.Uint16(), 0, 40).Draw(t, "h")
		w := NewWriter(0)
		w.U8(a)
		w.U16(b)
		w.U32(c)
		w.U64(d)
		w.Varint(e)
		w.Bool(f)
		w.VarBytes(g)
		w.U16s(h)
		w.U128(d, e)
		r := NewReader(w.Bytes())
		if r.U8() != a || r.U16() != b || r.U32() != c || r.U64() != d || r.Varint() != e || r.Bool() != f {
			t.Fatal("scalar mismatch")
		}
		if !bytes.Equal(r.VarBytes(100), g) {
			t.Fatal("bytes mismatch")
		}
		hh := r.U16s(100)
		if len(hh) != len(h) {
			t.Fatal("u16s mismatch")
		}
		for i := range h {
			if hh[i] != h[i] {
				t.Fatal("u16s mismatch")
			}
		}
		if hi, lo := r.U128(); hi != d || lo != e {
			t.Fatal("u128 mismatch")
		}
		if err := r.Done(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRejects(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		read func(*Reader)
		want error
	}{
		{"short u64", []byte{1, 2, 3}, func(r *Reader) { r.U64() }, ErrShort},
		{"bad bool", []byte{2}, func(r *Reader) { r.Bool() }, ErrBadBool},
		{"non-minimal varint", []byte{0x80, 0x00}, func(r *Reader) { r.Varint() }, ErrNonCanon},
		{"length beyond input", []byte{0x05, 1, 2}, func(r *Reader) { r.VarBytes(100) }, ErrShort},
		{"length beyond limit", []byte{0x03, 1, 2, 3}, func(r *Reader) { r.VarBytes(2) }, ErrTooLong},
		{"trailing", []byte{1, 9}, func(r *Reader) { r.U8() }, ErrTrailing},
		{"version", []byte{3}, func(r *Reader) { r.Version(1, 2) }, ErrBadVersion},
		{"huge list", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, func(r *Reader) { r.U16s(1 << 40) }, ErrShort},
	}
	for _, c := range cases {
		r := NewReader(c.in)
		c.read(r)
		if err := r.Done(); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestScaleCompact(t *testing.T) {
	cases := []struct {
		v    uint64
		want []byte
	}{
		{0, []byte{0}}, {1, []byte{4}}, {63, []byte{0xfc}}, {64, []byte{0x01, 0x01}},
		{16383, []byte{0xfd, 0xff}}, {16384, []byte{0x02, 0x00, 0x01, 0x00}},
		{1 << 30, []byte{0x03, 0x00, 0x00, 0x00, 0x40}},
	}
	for _, c := range cases {
		if got := AppendScaleCompact(nil, c.v); !bytes.Equal(got, c.want) {
			t.Errorf("compact(%d) = %x want %x", c.v, got, c.want)
		}
	}
}
