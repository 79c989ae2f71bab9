package metadata

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

const fixtures = "../testdata/finney/"

var blobs = []struct {
	file     string
	version  int
	spec     uint32
	types    int
	apis     int
	exts     []string
	versions []uint8
}{
	{"metadata-v14-spec343.scale", 14, 343, 552, 0, ext343, []uint8{4}},
	{"metadata-v15-spec343.opaque", 15, 343, 712, 22, ext343, []uint8{4}},
	{"metadata-v16-spec393.scale", 16, 393, 727, 23, ext393, []uint8{4, 5}},
}

var ext343 = []string{"CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion", "CheckGenesis", "CheckMortality",
	"CheckNonce", "CheckWeight", "ChargeTransactionPayment", "SubtensorTransactionExtension", "DrandPriority", "CheckMetadataHash"}

var ext393 = []string{"CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion", "CheckGenesis", "CheckMortality",
	"CheckNonce", "CheckWeight", "ChargeTransactionPayment", "SudoTransactionExtension", "CheckShieldedTxValidity",
	"SubtensorTransactionExtension", "DrandPriority", "CheckMetadataHash"}

func load(t testing.TB, file string) ([]byte, *Metadata) {
	t.Helper()
	b, err := os.ReadFile(fixtures + file)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(b)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return b, m
}

// TestBlobs parses every fixture blob to the last byte (Parse refuses trailing bytes) and checks the spec
// version read from System.Version, the extension list and the call-index table of spec/substrate.md.
func TestBlobs(t *testing.T) {
	for _, c := range blobs {
		t.Run(c.file, func(t *testing.T) {
			_, m := load(t, c.file)
			if m.Version != c.version || m.SpecVersion != c.spec || m.TransactionVersion != 1 || m.SpecName != "node-subtensor" {
				t.Fatalf("v%d spec %d tx %d %s", m.Version, m.SpecVersion, m.TransactionVersion, m.SpecName)
			}
			if m.Types.Len() != c.types || len(m.APIs) != c.apis {
				t.Fatalf("%d types, %d apis", m.Types.Len(), len(m.APIs))
			}
			if got := m.ExtensionNames(); !equalStrings(got, c.exts) {
				t.Fatalf("extensions %v", got)
			}
			if !bytes.Equal(m.Extrinsic.Versions, c.versions) {
				t.Fatalf("versions %v", m.Extrinsic.Versions)
			}
			for _, p := range []struct {
				name string
				idx  uint8
			}{{"System", 0}, {"Balances", 5}, {"SubtensorModule", 7}, {"Utility", 11}, {"Sudo", 12}, {"Commitments", 18}, {"AdminUtils", 19}, {"Drand", 26}, {"Swap", 28}} {
				pl, err := m.Pallet(p.name)
				if err != nil || pl.Index != p.idx {
					t.Fatalf("pallet %s: %v %v", p.name, pl, err)
				}
			}
			calls := map[string]uint8{"set_weights": 0, "serve_axon": 4, "register": 6, "burned_register": 7, "add_stake": 2,
				"remove_stake": 3, "commit_weights": 96, "reveal_weights": 97, "commit_timelocked_weights": 113,
				"set_mechanism_weights": 119, "add_stake_limit": 88, "serve_axon_tls": 40}
			for name, idx := range calls {
				c, err := m.Call("SubtensorModule", name)
				if err != nil || c.PalletIndex != 7 || c.CallIndex != idx {
					t.Errorf("%s: %+v %v", name, c, err)
				}
			}
			for name, idx := range map[string]uint8{"transfer_allow_death": 0, "transfer_keep_alive": 3, "transfer_all": 4} {
				c, err := m.Call("Balances", name)
				if err != nil || c.CallIndex != idx {
					t.Errorf("Balances.%s: %+v %v", name, c, err)
				}
			}
			if m.Extrinsic.AddressType == 0 || m.Extrinsic.SignatureType == 0 || m.Extrinsic.CallType == 0 {
				t.Fatalf("extrinsic types %+v", m.Extrinsic)
			}
			if a := m.Types.MustType(m.Extrinsic.AddressType); a.Name() != "MultiAddress" {
				t.Fatalf("address type %s", a.Name())
			}
			if s := m.Types.MustType(m.Extrinsic.SignatureType); s.Name() != "MultiSignature" {
				t.Fatalf("signature type %s", s.Name())
			}
			p, name, _, err := m.ModuleError(7, firstErrorIndex(t, m, "SettingWeightsTooFast"))
			if err != nil || p != "SubtensorModule" || name != "SettingWeightsTooFast" {
				t.Fatalf("module error: %s %s %v", p, name, err)
			}
			if c.version >= 15 {
				for _, api := range [][2]string{{"NeuronInfoRuntimeApi", "get_neurons_lite"}, {"SubnetInfoRuntimeApi", "get_subnet_state"}, {"SubnetInfoRuntimeApi", "get_selective_mechagraph"}} {
					mt, err := m.RuntimeAPI(api[0], api[1])
					if err != nil {
						t.Fatal(err)
					}
					out := m.Types.MustType(mt.Output)
					if out.Kind != KindSequence && out.Name() != "Option" {
						t.Fatalf("%s output %s", api[1], out.Name())
					}
				}
			} else if _, err := m.RuntimeAPI("NeuronInfoRuntimeApi", "get_neurons_lite"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("v14 has no runtime APIs: %v", err)
			}
		})
	}
}

func firstErrorIndex(t *testing.T, m *Metadata, name string) uint8 {
	p, _ := m.Pallet("SubtensorModule")
	v, ok := m.Types.MustType(*p.Errors).VariantByName(name)
	if !ok {
		t.Fatalf("no %s", name)
	}
	return v.Index
}

// TestV14AgreesWithV15 compares the two spec-343 blobs: same pallets, calls and call arguments.
func TestV14AgreesWithV15(t *testing.T) {
	_, m14 := load(t, "metadata-v14-spec343.scale")
	_, m15 := load(t, "metadata-v15-spec343.opaque")
	if len(m14.Pallets) != len(m15.Pallets) {
		t.Fatal("pallet count")
	}
	for i := range m14.Pallets {
		a, b := m14.Pallets[i], m15.Pallets[i]
		if a.Name != b.Name || a.Index != b.Index || len(a.Storage) != len(b.Storage) || len(a.Constants) != len(b.Constants) {
			t.Fatalf("pallet %s/%s differs", a.Name, b.Name)
		}
		if (a.Calls == nil) != (b.Calls == nil) {
			t.Fatalf("pallet %s calls", a.Name)
		}
		if a.Calls == nil {
			continue
		}
		va, vb := m14.Types.MustType(*a.Calls).Variants, m15.Types.MustType(*b.Calls).Variants
		if len(va) != len(vb) {
			t.Fatalf("%s: %d vs %d calls", a.Name, len(va), len(vb))
		}
		for j := range va {
			if va[j].Name != vb[j].Name || va[j].Index != vb[j].Index || len(va[j].Fields) != len(vb[j].Fields) {
				t.Fatalf("%s.%s differs", a.Name, va[j].Name)
			}
		}
	}
	if _, ok := m14.Types.Find("NeuronInfoLite"); ok {
		t.Fatal("v14 unexpectedly carries NeuronInfoLite")
	}
	if _, ok := m15.Types.Find("NeuronInfoLite"); !ok {
		t.Fatal("v15 lacks NeuronInfoLite")
	}
}

// TestStorageKeys rebuilds keys recorded from finney: Identity (Tempo(23), Uids(23, hotkey)), Twox64Concat
// (MechanismCountCurrent(1)) and Blake2_128Concat (System.Account).
func TestStorageKeys(t *testing.T) {
	_, m := load(t, "metadata-v15-spec343.opaque")
	hot, _ := hex.DecodeString("4af7598952f87683204a2a0c2266f941a74899bd69b0ce56e42a82820f689446")
	for _, c := range []struct {
		pallet, item string
		keys         [][]byte
		want         string
	}{
		{"SubtensorModule", "Tempo", [][]byte{{0x17, 0}}, "658faa385070e074c85bf6b568cf05557641384bb339f3758acddfd7053d33171700"},
		{"SubtensorModule", "NetworksAdded", [][]byte{{1, 0}}, "658faa385070e074c85bf6b568cf05550e30450fc4d507a846032a7fa65d9a430100"},
		{"SubtensorModule", "MechanismCountCurrent", [][]byte{{1, 0}}, "658faa385070e074c85bf6b568cf0555604fb97037feb8522bf37d42d54fa6e9f1577fbf1d628fdd0100"},
		{"SubtensorModule", "TotalNetworks", nil, "658faa385070e074c85bf6b568cf05555f3bb7bcd0a076a48abf8c256d221721"},
	} {
		key, _, err := m.StorageKey(c.pallet, c.item, c.keys...)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(key); got != c.want {
			t.Errorf("%s.%s = %s, want %s", c.pallet, c.item, got, c.want)
		}
	}
	key, e, err := m.StorageKey("SubtensorModule", "Uids", []byte{0x17, 0}, hot)
	if err != nil || len(m.KeyTypes(e)) != 2 || e.Hashers[0] != Identity || e.Hashers[1] != Blake2_128Concat {
		t.Fatalf("Uids: %v %v", e, err)
	}
	// Identity for the netuid, Blake2_128Concat (hash then the hotkey itself) for the hotkey.
	if got := hex.EncodeToString(key); got != "658faa385070e074c85bf6b568cf0555aab1b4e78e1ea8305462ee53b3686dc817003e9947bb89c47cd7ad643c5d30c0e6954af7598952f87683204a2a0c2266f941a74899bd69b0ce56e42a82820f689446" {
		t.Errorf("Uids key %s", got)
	}
	if _, _, err := m.StorageKey("SubtensorModule", "Tempo", []byte{1, 0}, []byte{2}); err == nil {
		t.Fatal("too many keys accepted")
	}
	if _, _, err := m.Storage("SubtensorModule", "NoSuchItem"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
}

func TestRejectsGarbage(t *testing.T) {
	b, _ := load(t, "metadata-v15-spec343.opaque")
	for _, bad := range [][]byte{nil, {0}, []byte("meta"), []byte("meta\x0d"), b[:len(b)/2], append(append([]byte{}, b...), 0)} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("accepted %d bytes", len(bad))
		}
	}
}

func TestCache(t *testing.T) {
	raw, _ := load(t, "metadata-v15-spec343.opaque")
	dir := t.TempDir()
	key := CacheKey{Genesis: [32]byte{1}, SpecVersion: 343}
	fetches := 0
	fetch := func() ([]byte, error) { fetches++; return raw, nil }
	c := NewCache(dir)
	m1, err := c.Get(key, fetch)
	if err != nil {
		t.Fatal(err)
	}
	if m2, _ := c.Get(key, fetch); m2 != m1 || fetches != 1 {
		t.Fatal("memory cache missed")
	}
	if _, err := os.Stat(filepath.Join(dir, key.fileName())); err != nil {
		t.Fatal(err)
	}
	if _, err := NewCache(dir).Get(key, fetch); err != nil || fetches != 1 {
		t.Fatalf("disk cache missed: %v, %d fetches", err, fetches)
	}
	if _, err := NewCache("").Get(CacheKey{SpecVersion: 999}, fetch); err == nil {
		t.Fatal("spec mismatch accepted")
	}
}

// FuzzParse: hostile metadata must give an error, never a panic or a huge allocation.
func FuzzParse(f *testing.F) {
	b, err := os.ReadFile(fixtures + "metadata-v16-spec393.scale")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:64])
	f.Add(b[:512])
	f.Add([]byte("meta\x0f\x04\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Parse(data)
		_, _ = Parse(append([]byte("meta\x0e"), data...))
		_, _ = Parse(append([]byte("meta\x10"), data...))
	})
}

func BenchmarkParseV15(b *testing.B) {
	raw, err := os.ReadFile(fixtures + "metadata-v15-spec343.opaque")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseV16(b *testing.B) {
	raw, err := os.ReadFile(fixtures + "metadata-v16-spec393.scale")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}
