package scale

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"pgregory.net/rapid"
)

func TestCompactVectors(t *testing.T) {
	for _, c := range []struct {
		v   uint64
		hex string
	}{
		{0, "00"}, {1, "04"}, {63, "fc"}, {64, "0101"}, {16383, "fdff"}, {16384, "02000100"},
		{1 << 30, "0300000040"}, {1_000_000_000, "02286bee"}, {1<<32 - 1, "03ffffffff"}, {1 << 32, "070000000001"},
		{1<<64 - 1, "13ffffffffffffffff"},
	} {
		got := hex.EncodeToString(AppendCompact(nil, c.v))
		if got != c.hex {
			t.Errorf("compact(%d) = %s, want %s", c.v, got, c.hex)
		}
		b, _ := hex.DecodeString(c.hex)
		d := NewDecoder(b)
		v, err := d.Compact()
		if err != nil || v != c.v || d.Remaining() != 0 {
			t.Errorf("decode %s = %d, %v", c.hex, v, err)
		}
	}
}

func TestCompactRejectsNonCanonical(t *testing.T) {
	for _, h := range []string{"0100", "02000000", "0300000000", "03ffffff3f", "1700000000000000000000"} {
		b, _ := hex.DecodeString(h)
		if _, err := NewDecoder(b).Compact(); err == nil {
			t.Errorf("%s accepted", h)
		}
	}
}

func TestShortInputs(t *testing.T) {
	d := NewDecoder([]byte{0x08, 1}) // Vec<u8> of 2 with 1 byte
	if _, err := d.ByteVec(); !errors.Is(err, ErrShort) {
		t.Fatalf("want ErrShort, got %v", err)
	}
	d = NewDecoder([]byte{0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) // huge length
	if _, err := d.Length(1); !errors.Is(err, ErrShort) {
		t.Fatalf("huge length: %v", err)
	}
	if _, err := NewDecoder([]byte{2}).Bool(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bool 2: %v", err)
	}
	if _, err := NewDecoder([]byte{2}).Option(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("option 2: %v", err)
	}
	if err := NewDecoder([]byte{1}).Done(); err == nil {
		t.Fatal("trailing byte accepted")
	}
}

func TestU128(t *testing.T) {
	e := &Encoder{}
	v := U128{Lo: 0x0123456789abcdef, Hi: 0xfedcba9876543210}
	e.U128(v)
	e.CompactU128(v)
	e.CompactU128(U128{Lo: 5})
	d := NewDecoder(e.Bytes())
	a, _ := d.U128()
	b, err := d.CompactU128()
	c, _ := d.CompactU128()
	if a != v || b != v || err != nil || c.Lo != 5 || d.Remaining() != 0 {
		t.Fatalf("%v %v %v %v", a, b, c, err)
	}
	if (U128{Lo: 1, Hi: 1}).String() != "18446744073709551617" || (U128{Lo: 42}).String() != "42" {
		t.Fatal("U128.String")
	}
}

func TestRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.Uint64().Draw(t, "v")
		s := rapid.SliceOf(rapid.Byte()).Draw(t, "s")
		e := &Encoder{}
		e.Compact(v)
		e.ByteVec(s)
		e.U64(v)
		e.Bool(v%2 == 0)
		d := NewDecoder(e.Bytes())
		got, err := d.Compact()
		if err != nil || got != v {
			t.Fatalf("compact %d: %d %v", v, got, err)
		}
		bs, err := d.ByteVec()
		if err != nil || !bytes.Equal(bs, s) {
			t.Fatalf("bytes")
		}
		if x, _ := d.U64(); x != v {
			t.Fatal("u64")
		}
		if b, _ := d.Bool(); b != (v%2 == 0) {
			t.Fatal("bool")
		}
		if d.Done() != nil {
			t.Fatal("trailing")
		}
	})
}

// FuzzDecoder feeds arbitrary bytes to every reader: none may panic, read past the input, or accept a
// non-canonical compact that re-encodes differently.
func FuzzDecoder(f *testing.F) {
	for _, s := range []string{"", "00", "0101", "02286bee", "13ffffffffffffffff", "0c010203", "01", "3300000000000000000000000000000001"} {
		b, _ := hex.DecodeString(s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewDecoder(data)
		for d.Remaining() > 0 {
			start := d.Offset()
			switch data[start] % 5 {
			case 0:
				v, err := d.Compact()
				if err == nil && !bytes.Equal(AppendCompact(nil, v), data[start:d.Offset()]) {
					t.Fatalf("compact %d re-encodes differently", v)
				}
			case 1:
				_, _ = d.ByteVec()
			case 2:
				v, err := d.CompactU128()
				if err == nil {
					e := &Encoder{}
					e.CompactU128(v)
					if !bytes.Equal(e.Bytes(), data[start:d.Offset()]) {
						t.Fatalf("compact u128 %v re-encodes differently", v)
					}
				}
			case 3:
				_, _ = d.Length(0)
			default:
				_, _ = d.U128()
			}
			if d.Offset() > len(data) {
				t.Fatal("read past the input")
			}
			if d.Offset() == start {
				if err := d.Skip(1); err != nil {
					break
				}
			}
		}
	})
}
