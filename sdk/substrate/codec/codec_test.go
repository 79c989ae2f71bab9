package codec

import (
	"encoding/hex"
	"errors"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

var (
	once sync.Once
	md   *metadata.Metadata
)

func meta(t testing.TB) *metadata.Metadata {
	t.Helper()
	once.Do(func() {
		b, err := os.ReadFile("../testdata/finney/metadata-v15-spec343.opaque")
		if err != nil {
			panic(err)
		}
		if md, err = metadata.Parse(b); err != nil {
			panic(err)
		}
	})
	return md
}

func valueType(t *testing.T, pallet, item string) metadata.TypeID {
	t.Helper()
	_, e, err := meta(t).Storage(pallet, item)
	if err != nil {
		t.Fatal(err)
	}
	return e.Value
}

func unhex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStorageValues decodes values recorded from finney by the storage item's metadata type.
func TestStorageValues(t *testing.T) {
	c := New(meta(t))
	var tempo uint16
	if err := c.Decode(valueType(t, "SubtensorModule", "Tempo"), unhex(t, "e803"), &tempo); err != nil || tempo != 1000 {
		t.Fatalf("Tempo %d %v", tempo, err)
	}
	var diff uint64
	if err := c.Decode(valueType(t, "SubtensorModule", "Difficulty"), unhex(t, "8096980000000000"), &diff); err != nil || diff != 10_000_000 {
		t.Fatalf("Difficulty %d %v", diff, err)
	}
	var imm uint16
	if err := c.Decode(valueType(t, "SubtensorModule", "ImmunityPeriod"), unhex(t, "8813"), &imm); err != nil || imm != 5000 {
		t.Fatalf("ImmunityPeriod %d %v", imm, err)
	}
	var added bool
	if err := c.Decode(valueType(t, "SubtensorModule", "NetworksAdded"), unhex(t, "01"), &added); err != nil || !added {
		t.Fatalf("NetworksAdded %v %v", added, err)
	}
	// Weights rows are Vec<(u16, u16)> in storage (the runtime APIs use compacts).
	type pair struct{ UID, W uint16 }
	var row []pair
	e := &scale.Encoder{}
	e.Compact(2)
	e.U16(3)
	e.U16(65535)
	e.U16(9)
	e.U16(1)
	if err := c.Decode(valueType(t, "SubtensorModule", "Weights"), e.Bytes(), &row); err != nil || !reflect.DeepEqual(row, []pair{{3, 65535}, {9, 1}}) {
		t.Fatalf("Weights %v %v", row, err)
	}
	// A wrong target kind is an error, not garbage.
	var s string
	if err := c.Decode(valueType(t, "SubtensorModule", "Tempo"), unhex(t, "e803"), &s); !errors.Is(err, ErrKind) {
		t.Fatalf("want ErrKind, got %v", err)
	}
	var small uint8
	if err := c.Decode(valueType(t, "SubtensorModule", "Tempo"), unhex(t, "e803"), &small); !errors.Is(err, ErrKind) {
		t.Fatalf("u16 into uint8: %v", err)
	}
	if err := c.Decode(valueType(t, "SubtensorModule", "Tempo"), unhex(t, "e80300"), &tempo); err == nil {
		t.Fatal("trailing byte accepted")
	}
}

type axon struct {
	Block    uint64     `scale:"block"`
	Version  uint32     `scale:"version"`
	IP       scale.U128 `scale:"ip"`
	Port     uint16     `scale:"port"`
	IPType   uint8      `scale:"ip_type"`
	Protocol uint8      `scale:"protocol"`
	P1       uint8      `scale:"placeholder1"`
	P2       uint8      `scale:"placeholder2"`
}

func TestRoundTripStructAndOption(t *testing.T) {
	m := meta(t)
	c := New(m)
	at, ok := m.Types.Find("AxonInfo")
	if !ok {
		t.Fatal("no AxonInfo")
	}
	in := axon{Block: 5, Version: 9011001, IP: scale.U128{Lo: 0xc0de3b6d}, Port: 6028, IPType: 4, Protocol: 4}
	b, err := c.Encode(at.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 8+4+16+2+4 {
		t.Fatalf("AxonInfo is %d bytes", len(b))
	}
	var out axon
	if err := c.Decode(at.ID, b, &out); err != nil || out != in {
		t.Fatalf("%+v %v", out, err)
	}
	// Only some fields: the rest are skipped.
	var part struct {
		Port uint16 `scale:"port"`
	}
	if err := c.Decode(at.ID, b, &part); err != nil || part.Port != 6028 {
		t.Fatalf("partial %+v %v", part, err)
	}
	// A field the Go struct needs but the runtime lacks is drift.
	var extra struct {
		Port   uint16 `scale:"port"`
		Zodiac uint8  `scale:"zodiac"`
	}
	var de *DriftError
	if err := c.Decode(at.ID, b, &extra); !errors.As(err, &de) || de.Field != "zodiac" || de.Spec != 343 {
		t.Fatalf("want drift on zodiac, got %v", err)
	}
	var opt struct {
		Port   uint16 `scale:"port"`
		Zodiac uint8  `scale:"zodiac,optional"`
	}
	if err := c.Decode(at.ID, b, &opt); err != nil {
		t.Fatal(err)
	}
	// Option<u16>: the runtime's get_subnet_to_prune answer.
	mt, err := m.RuntimeAPI("SubnetInfoRuntimeApi", "get_subnet_to_prune")
	if err != nil {
		t.Fatal(err)
	}
	var p *uint16
	if err := c.Decode(mt.Output, []byte{1, 7, 0}, &p); err != nil || p == nil || *p != 7 {
		t.Fatalf("Some: %v %v", p, err)
	}
	if err := c.Decode(mt.Output, []byte{0}, &p); err != nil || p != nil {
		t.Fatalf("None: %v %v", p, err)
	}
	enc, err := c.Encode(mt.Output, nil)
	if err != nil || hex.EncodeToString(enc) != "00" {
		t.Fatalf("encode None: %x %v", enc, err)
	}
	seven := uint16(7)
	enc, _ = c.Encode(mt.Output, &seven)
	if hex.EncodeToString(enc) != "010700" {
		t.Fatalf("encode Some: %x", enc)
	}
}

func TestHostileLengths(t *testing.T) {
	m := meta(t)
	c := New(m)
	mt, _ := m.RuntimeAPI("NeuronInfoRuntimeApi", "get_neurons_lite")
	type n struct {
		Hotkey [32]byte `scale:"hotkey"`
	}
	var out []n
	// A length of a billion neurons with 3 bytes behind it must fail fast.
	if err := c.Decode(mt.Output, []byte{0x02, 0x28, 0x6b, 0xee, 1, 2, 3}, &out); !errors.Is(err, scale.ErrShort) {
		t.Fatalf("want ErrShort, got %v", err)
	}
}

// FuzzDecodeNeurons decodes arbitrary bytes with the compiled NeuronInfoLite and SelectiveMetagraph plans
// and the generic skipper: errors are fine, panics and runaway allocations are not.
func FuzzDecodeNeurons(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{4, 1, 2, 3})
	f.Add([]byte{1, 4, 1, 0x10, 5, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		m := meta(t)
		c := New(m)
		lite, _ := m.RuntimeAPI("NeuronInfoRuntimeApi", "get_neurons_lite")
		sel, _ := m.RuntimeAPI("SubnetInfoRuntimeApi", "get_selective_mechagraph")
		var neurons []struct {
			Hotkey [32]byte `scale:"hotkey"`
			UID    uint16   `scale:"uid"`
			Stake  []struct {
				A [32]byte
				V uint64
			} `scale:"stake"`
		}
		_ = c.Decode(lite.Output, data, &neurons)
		var mg *struct {
			NetUID  uint16     `scale:"netuid"`
			Name    string     `scale:"name"`
			Hotkeys [][32]byte `scale:"hotkeys"`
		}
		_ = c.Decode(sel.Output, data, &mg)
		_ = c.Skip(scale.NewDecoder(data), sel.Output)
	})
}
