package extrinsic

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

const fixtures = "../testdata/finney/"

var finneyGenesis = mustHash("2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03")

func mustHash(s string) (h [32]byte) {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 32 {
		panic("bad hash " + s)
	}
	copy(h[:], b)
	return h
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadMeta(t testing.TB, name string) *metadata.Metadata {
	t.Helper()
	b, err := os.ReadFile(fixtures + name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := metadata.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

type vector struct {
	Seed           string `json:"seed"`
	Pub            string `json:"pub"`
	Call           string `json:"call"`
	Era            string `json:"era"`
	SigningPayload string `json:"signing_payload"`
	Extrinsic      string `json:"extrinsic"`
}

func ipAsU128(t *testing.T, s string) scale.U128 {
	a := netip.MustParseAddr(s).As4()
	return scale.U128{Lo: uint64(a[0])<<24 | uint64(a[1])<<16 | uint64(a[2])<<8 | uint64(a[3])}
}

// TestServeAxonVector rebuilds the polkadot.js vector byte for byte: call indices and argument types from
// the v15 metadata, every extension from the metadata, mortal era, nonce 7, ed25519 signature.
func TestServeAxonVector(t *testing.T) {
	raw, err := os.ReadFile(fixtures + "serve_axon_vector.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vector
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	for _, blob := range []string{"metadata-v15-spec343.opaque", "metadata-v14-spec343.scale"} {
		t.Run(blob, func(t *testing.T) {
			b := NewBuilder(codec.New(loadMeta(t, blob)))
			call, err := b.Call("SubtensorModule", "serve_axon", uint16(1), uint32(9011001), ipAsU128(t, "192.222.59.109"),
				uint16(6028), uint8(4), uint8(4), uint8(0), uint8(0))
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(call); got != strings.TrimPrefix(v.Call, "0x") {
				t.Fatalf("call\n got %s\nwant %s", got, v.Call)
			}
			era := MortalEra(6852690, DefaultPeriod)
			if got := hex.EncodeToString(era.Encode()); got != strings.TrimPrefix(v.Era, "0x") {
				t.Fatalf("era %s, want %s", got, v.Era)
			}
			if era.Birth(6852690) != 6852690 {
				t.Fatalf("birth %d", era.Birth(6852690))
			}
			p := Params{Genesis: finneyGenesis, Era: era, EraHash: mustHash("db13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0"), Nonce: 7}
			priv := ed25519.NewKeyFromSeed(unhex(t, v.Seed))
			s, err := b.Sign(call, p, Ed25519(priv))
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(s.Payload); got != strings.TrimPrefix(v.SigningPayload, "0x") {
				t.Fatalf("payload\n got %s\nwant %s", got, v.SigningPayload)
			}
			if got := hex.EncodeToString(s.Bytes); got != strings.TrimPrefix(v.Extrinsic, "0x") {
				t.Fatalf("extrinsic\n got %s\nwant %s", got, v.Extrinsic)
			}
		})
	}
}

// TestSetWeightsVector checks the call bytes and immortal payload spec/substrate.md §5.6 gives.
func TestSetWeightsVector(t *testing.T) {
	b := NewBuilder(codec.New(loadMeta(t, "metadata-v15-spec343.opaque")))
	call, err := b.Call("SubtensorModule", "set_weights", uint16(1), []uint16{0, 1, 2}, []uint16{65535, 32768, 1}, uint64(1020))
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(call); got != "070001000c0000010002000cffff00800100fc03000000000000" {
		t.Fatalf("call %s", got)
	}
	payload, _, err := b.SigningPayload(call, Params{Genesis: finneyGenesis, Nonce: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := hex.EncodeToString(call) + "00140000" + "57010000" + "01000000" +
		hex.EncodeToString(finneyGenesis[:]) + hex.EncodeToString(finneyGenesis[:]) + "00"
	if got := hex.EncodeToString(payload); got != want {
		t.Fatalf("payload\n got %s\nwant %s", got, want)
	}
}

// TestSR25519LongSetWeights signs a set_weights whose payload exceeds 256 bytes with gotensor's sr25519
// keys and checks the signature verifies over the blake2b-256 of the payload, as the runtime checks it.
func TestSR25519LongSetWeights(t *testing.T) {
	b := NewBuilder(codec.New(loadMeta(t, "metadata-v15-spec343.opaque")))
	uids := make([]uint16, 200)
	ws := make([]uint16, 200)
	for i := range uids {
		uids[i], ws[i] = uint16(i), uint16(65535-i)
	}
	call, err := b.Call("SubtensorModule", "set_weights", uint16(1), uids, ws, uint64(7))
	if err != nil {
		t.Fatal(err)
	}
	kp, err := keys.FromURI("//Alice")
	if err != nil {
		t.Fatal(err)
	}
	p := Params{Genesis: finneyGenesis, Era: MortalEra(6852690, 64), EraHash: [32]byte{9}, Nonce: 300, Tip: 1000}
	s, err := b.Sign(call, p, SR25519(kp))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Payload) <= 256 {
		t.Fatalf("payload only %d bytes", len(s.Payload))
	}
	if hex.EncodeToString(p.Era.Encode()) != "2501" {
		t.Fatalf("period-64 era %x, want 2501", p.Era.Encode())
	}
	pub := kp.PublicKey()
	// body: len ‖ 0x84 ‖ 0x00 pub ‖ 0x01 sig(64) ‖ extra ‖ call
	d := scale.NewDecoder(s.Bytes)
	n, _ := d.Compact()
	if int(n) != d.Remaining() {
		t.Fatalf("length prefix %d, body %d", n, d.Remaining())
	}
	body, _ := d.Bytes(d.Remaining())
	if body[0] != 0x84 || body[1] != 0 || !bytes.Equal(body[2:34], pub[:]) || body[34] != 1 {
		t.Fatalf("bad envelope % x", body[:35])
	}
	sig := body[35:99]
	h := SignBytes(s.Payload)
	if len(h) != 32 || !keys.Verify(pub, h, sig) {
		t.Fatal("sr25519 signature does not verify over blake2b(payload)")
	}
	if keys.Verify(pub, s.Payload, sig) {
		t.Fatal("signature must be over the pre-hash, not the long payload")
	}
	if !bytes.Equal(body[99:99+len(s.Extra)], s.Extra) || !bytes.Equal(body[99+len(s.Extra):], call) {
		t.Fatal("extra or call misplaced")
	}
	// nonce 300 is a two-byte compact, tip 1000 too
	if !bytes.Contains(s.Extra, scale.AppendCompact(nil, 300)) || !bytes.Contains(s.Extra, scale.AppendCompact(nil, 1000)) {
		t.Fatalf("extra % x lacks nonce or tip", s.Extra)
	}
}

func TestEraVectors(t *testing.T) {
	for _, c := range []struct {
		cur, period uint64
		want        string
	}{{6852690, 128, "2605"}, {6852690, 64, "2501"}, {9169415, 128, "7600"}} {
		e := MortalEra(c.cur, c.period)
		if got := hex.EncodeToString(e.Encode()); got != c.want {
			t.Errorf("era(%d, %d) = %s, want %s", c.cur, c.period, got, c.want)
		}
		back, n, err := DecodeEra(e.Encode())
		if err != nil || n != 2 || back != e {
			t.Errorf("decode %s: %+v %d %v", c.want, back, n, err)
		}
		if b := e.Birth(c.cur); b > c.cur || c.cur-b >= e.Period || b%e.Period != e.Phase {
			t.Errorf("birth %d of %d", b, c.cur)
		}
	}
	if (Era{}).Encode()[0] != 0 {
		t.Fatal("immortal era must be 0x00")
	}
}

// TestExtensionDrift builds the same extrinsic against the extension lists subtensor has had: the spec-233
// names, 343, 365 (+SudoTransactionExtension) and 393 (+CheckShieldedTxValidity, from the real v16
// blob). Empty extensions are accepted whatever their name and leave the bytes unchanged; an unknown one
// carrying data is refused by name.
func TestExtensionDrift(t *testing.T) {
	base := loadMeta(t, "metadata-v15-spec343.opaque")
	call := []byte{7, 0}
	p := Params{Genesis: finneyGenesis, Nonce: 1}
	refPayload, _, err := NewBuilder(codec.New(base)).SigningPayload(call, p)
	if err != nil {
		t.Fatal(err)
	}

	rename := func(m *metadata.Metadata, from, to string) {
		for i := range m.Extrinsic.Extensions {
			if m.Extrinsic.Extensions[i].Identifier == from {
				m.Extrinsic.Extensions[i].Identifier = to
			}
		}
	}
	insertAfter := func(m *metadata.Metadata, after string, x metadata.Extension) {
		var out []metadata.Extension
		for _, e := range m.Extrinsic.Extensions {
			out = append(out, e)
			if e.Identifier == after {
				out = append(out, x)
			}
		}
		m.Extrinsic.Extensions = out
	}
	emptyType := func(m *metadata.Metadata) metadata.TypeID {
		for _, e := range m.Extrinsic.Extensions {
			if e.Identifier == "SubtensorTransactionExtension" {
				return e.Type
			}
		}
		t.Fatal("no SubtensorTransactionExtension")
		return 0
	}

	spec233 := loadMeta(t, "metadata-v15-spec343.opaque")
	rename(spec233, "SubtensorTransactionExtension", "SubtensorSignedExtension")
	rename(spec233, "DrandPriority", "CommitmentsSignedExtension")

	spec365 := loadMeta(t, "metadata-v15-spec343.opaque")
	et := emptyType(spec365)
	insertAfter(spec365, "ChargeTransactionPayment", metadata.Extension{Identifier: "SudoTransactionExtension", Type: et, Implicit: et})

	spec393 := loadMeta(t, "metadata-v16-spec393.scale")

	for name, m := range map[string]*metadata.Metadata{"233": spec233, "343": base, "365": spec365, "393": spec393} {
		payload, _, err := NewBuilder(codec.New(m)).SigningPayload(call, Params{Genesis: finneyGenesis, Nonce: 1, SpecVersion: 343, TransactionVersion: 1})
		if err != nil {
			t.Fatalf("spec %s: %v", name, err)
		}
		if !bytes.Equal(payload, refPayload) {
			t.Errorf("spec %s: payload differs\n got %x\nwant %x", name, payload, refPayload)
		}
	}
	if got := spec393.ExtensionNames(); !contains(got, "CheckShieldedTxValidity") || !contains(got, "SudoTransactionExtension") {
		t.Fatalf("spec 393 extensions %v", got)
	}

	// An unknown extension that carries a u32 is refused by name.
	bad := loadMeta(t, "metadata-v15-spec343.opaque")
	var u32 metadata.TypeID
	for _, x := range bad.Extrinsic.Extensions {
		if x.Identifier == "CheckSpecVersion" {
			u32 = x.Implicit
		}
	}
	insertAfter(bad, "CheckWeight", metadata.Extension{Identifier: "MevShieldFee", Type: u32, Implicit: emptyType(bad)})
	_, _, err = NewBuilder(codec.New(bad)).SigningPayload(call, p)
	if !errors.Is(err, ErrUnknownExtension) || !strings.Contains(err.Error(), "MevShieldFee") {
		t.Fatalf("want ErrUnknownExtension naming MevShieldFee, got %v", err)
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func TestCallErrors(t *testing.T) {
	b := NewBuilder(codec.New(loadMeta(t, "metadata-v15-spec343.opaque")))
	if _, err := b.Call("SubtensorModule", "set_weights", uint16(1)); !errors.Is(err, ErrArgs) {
		t.Fatalf("arity: %v", err)
	}
	if _, err := b.Call("SubtensorModule", "no_such_call"); !errors.Is(err, metadata.ErrNotFound) {
		t.Fatalf("unknown call: %v", err)
	}
	if _, err := b.Call("SubtensorModule", "set_weights", uint32(70000), []uint16{}, []uint16{}, uint64(0)); !errors.Is(err, ErrArgs) {
		t.Fatalf("overflowing netuid: %v", err)
	}
	named, err := b.CallNamed("SubtensorModule", "burned_register", map[string]any{"netuid": uint16(1), "hotkey": [32]byte{1}})
	if err != nil {
		t.Fatal(err)
	}
	if named[0] != 7 || named[1] != 7 || len(named) != 2+2+32 {
		t.Fatalf("burned_register % x", named)
	}
	// Balances.transfer_keep_alive takes MultiAddress and Compact<u64>.
	tr, err := b.Call("Balances", "transfer_keep_alive", codec.Variant{Name: "Id", Fields: []any{[32]byte{2}}}, uint64(1_000_000_000))
	if err != nil {
		t.Fatal(err)
	}
	if tr[0] != 5 || tr[1] != 3 || tr[2] != 0 || !bytes.Equal(tr[35:], []byte{0x02, 0x28, 0x6b, 0xee}) {
		t.Fatalf("transfer % x", tr)
	}
}
