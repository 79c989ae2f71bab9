package weightutil

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/chain/tx"
)

func loadGolden(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

type weightsFile struct {
	Emit []struct {
		Uids    []uint16  `json:"uids"`
		Weights []float64 `json:"weights"`
		U64     []uint16  `json:"out_uids_float64_input"`
		V64     []uint16  `json:"out_vals_float64_input"`
		U32     []uint16  `json:"out_uids_float32_input"`
		V32     []uint16  `json:"out_vals_float32_input"`
	} `json:"convert_weights_and_uids_for_emit"`
	RoundTies map[string]float64 `json:"python_round_ties"`
	Normalize []struct {
		X      []float64 `json:"x_float32"`
		Limit  float64   `json:"limit"`
		Result []float64 `json:"result_float32"`
		Dtype  string    `json:"result_dtype"`
	} `json:"normalize_max_weight"`
	Process []struct {
		Uids       []uint16  `json:"uids"`
		Weights    []float64 `json:"weights"`
		N          int       `json:"num_neurons"`
		MinAllowed int       `json:"min_allowed_weights"`
		MaxLimit   float64   `json:"max_weight_limit"`
		Exclude    uint16    `json:"exclude_quantile"`
		OutUids    []uint16  `json:"out_uids"`
		OutWeights []float64 `json:"out_weights"`
		Dtype      string    `json:"out_weights_dtype"`
	} `json:"process_weights"`
	Row []struct {
		N    int       `json:"n"`
		Uids []uint16  `json:"uids"`
		Vals []uint16  `json:"vals"`
		Row  []float64 `json:"row_float32"`
	} `json:"convert_weight_uids_and_vals_to_tensor"`
	Split []struct {
		In  []float64 `json:"in"`
		Out []uint16  `json:"out"`
	} `json:"convert_maybe_split_to_u16"`
	U16Float map[string]float64 `json:"u16_normalized_float"`
	Hash     []struct {
		CommitHash string   `json:"commit_hash"`
		Hotkey     string   `json:"hotkey"`
		Netuid     uint16   `json:"netuid_index"`
		Salt       []uint16 `json:"salt"`
		Scale      string   `json:"scale_hex"`
		Uids       []uint16 `json:"uids"`
		Values     []uint16 `json:"values"`
		Version    uint64   `json:"version_key"`
	} `json:"generate_weight_hash"`
	Version map[string]json.RawMessage `json:"version_as_int"`
}

// alice is //Alice's public key, which the golden hash vectors name by URI.
var alice = mustHex32("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")

func mustHex32(s string) [32]byte {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 32 {
		panic("bad hex " + s)
	}
	return [32]byte(b)
}

func f32s(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

// sameF32 compares as float32, exactly: the golden floats are float32 results widened to float64.
func sameF32[F Float](got []F, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if float32(got[i]) != float32(want[i]) {
			return false
		}
	}
	return true
}

func TestGoldenWeights(t *testing.T) {
	var f weightsFile
	loadGolden(t, "sdk_weights.json", &f)
	if len(f.Emit) == 0 || len(f.Normalize) == 0 || len(f.Process) == 0 || len(f.Row) == 0 ||
		len(f.Split) == 0 || len(f.U16Float) == 0 || len(f.Hash) == 0 || len(f.RoundTies) == 0 {
		t.Fatal("sdk_weights.json: a section is missing")
	}

	for i, c := range f.Emit {
		name := fmt.Sprintf("convert_weights_and_uids_for_emit[%d] %v", i, c.Weights)
		u, v, err := ConvertWeightsAndUidsForEmit(c.Uids, c.Weights)
		if err != nil || !slices.Equal(u, c.U64) || !slices.Equal(v, c.V64) {
			t.Errorf("%s float64: got %v %v %v want %v %v", name, u, v, err, c.U64, c.V64)
		}
		u, v, err = ConvertWeightsAndUidsForEmit32(c.Uids, f32s(c.Weights))
		if err != nil || !slices.Equal(u, c.U32) || !slices.Equal(v, c.V32) {
			t.Errorf("%s float32: got %v %v %v want %v %v", name, u, v, err, c.U32, c.V32)
		}
	}

	for in, want := range f.RoundTies {
		x, _ := strconv.ParseFloat(in, 64)
		if got := math.RoundToEven(x); got != want {
			t.Errorf("python_round_ties %s: %v want %v", in, got, want)
		}
	}

	for i, c := range f.Normalize {
		name := fmt.Sprintf("normalize_max_weight[%d] x=%v limit=%v", i, c.X, c.Limit)
		if c.Dtype != "float32" {
			t.Fatalf("%s: unexpected dtype %s", name, c.Dtype)
		}
		x := f32s(c.X)
		orig := slices.Clone(x)
		if got := NormalizeMaxWeight(x, c.Limit); !sameF32(got, c.Result) {
			t.Errorf("%s: got %v want %v", name, got, c.Result)
		}
		if !slices.Equal(x, orig) {
			t.Errorf("%s: the input was modified", name)
		}
	}

	for i, c := range f.Process {
		name := fmt.Sprintf("process_weights[%d] weights=%v n=%d min=%d limit=%v exclude=%d", i, c.Weights, c.N, c.MinAllowed, c.MaxLimit, c.Exclude)
		u, w, err := ProcessWeights(c.Uids, c.Weights, Limits{N: c.N, MinAllowedWeights: c.MinAllowed, MaxWeightLimit: c.MaxLimit}, c.Exclude)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		ok := slices.Equal(u, c.OutUids)
		switch c.Dtype {
		case "float64":
			ok = ok && slices.Equal(w, c.OutWeights)
		case "float32":
			ok = ok && slices.Equal(w, c.OutWeights) // widened float32, exact
		default:
			t.Fatalf("%s: unexpected dtype %s", name, c.Dtype)
		}
		if !ok {
			t.Errorf("%s: got %v %v want %v %v (%s)", name, u, w, c.OutUids, c.OutWeights, c.Dtype)
		}
	}

	for i, c := range f.Row {
		row, err := WeightRow(c.N, c.Uids, c.Vals)
		if err != nil || !sameF32(row, c.Row) {
			t.Errorf("convert_weight_uids_and_vals_to_tensor[%d]: got %v %v want %v", i, row, err, c.Row)
		}
	}

	for i, c := range f.Split {
		got, err := ConvertMaybeSplitToU16(c.In)
		if err != nil || !slices.Equal(got, c.Out) {
			t.Errorf("convert_maybe_split_to_u16[%d] %v: got %v %v want %v", i, c.In, got, err, c.Out)
		}
	}

	for in, want := range f.U16Float {
		x, _ := strconv.ParseUint(in, 10, 16)
		if got := U16NormalizedFloat(uint16(x)); got != want {
			t.Errorf("u16_normalized_float(%s) = %v want %v", in, got, want)
		}
	}

	for i, c := range f.Hash {
		name := fmt.Sprintf("generate_weight_hash[%d]", i)
		if c.Hotkey != "//Alice" {
			t.Fatalf("%s: unexpected hotkey %s", name, c.Hotkey)
		}
		pre := tx.CommitPreimage(alice, c.Netuid, c.Uids, c.Values, c.Salt, c.Version)
		if hex.EncodeToString(pre) != c.Scale {
			t.Errorf("%s: SCALE %x want %s", name, pre, c.Scale)
		}
		if got := HashHex(GenerateWeightHash(alice, c.Netuid, c.Uids, c.Values, c.Salt, c.Version)); got != c.CommitHash {
			t.Errorf("%s: hash %s want %s", name, got, c.CommitHash)
		}
	}

	checked := 0
	for k, raw := range f.Version {
		if k == "rule" {
			continue
		}
		var want uint64
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("version_as_int %s: %v", k, err)
		}
		if got, err := VersionAsInt(k); err != nil || got != want {
			t.Errorf("version_as_int(%s) = %d %v want %d", k, got, err, want)
		}
		checked++
	}
	if checked == 0 {
		t.Error("version_as_int: no vectors")
	}
}

// The chain's own commit-hash vectors: the SDK helper produces the same bytes.
func TestGoldenChainCommitHash(t *testing.T) {
	var f struct {
		Computed []struct {
			Case    string   `json:"case"`
			Hotkey  string   `json:"hotkey"`
			Netuid  uint16   `json:"netuid_index"`
			Uids    []uint16 `json:"uids"`
			Values  []uint16 `json:"values"`
			Salt    []uint16 `json:"salt"`
			Version uint64   `json:"version_key"`
			Scale   string   `json:"scale_encoding"`
			Hash    string   `json:"hash"`
		} `json:"computed_vectors"`
	}
	loadGolden(t, "chain_commit_hash.json", &f)
	if len(f.Computed) == 0 {
		t.Fatal("chain_commit_hash.json: no vectors")
	}
	for _, c := range f.Computed {
		h := GenerateWeightHash(mustHex32(c.Hotkey), c.Netuid, c.Uids, c.Values, c.Salt, c.Version)
		if got := HashHex(h); got != c.Hash {
			t.Errorf("%s: hash %s want %s", c.Case, got, c.Hash)
		}
		if pre := "0x" + hex.EncodeToString(tx.CommitPreimage(mustHex32(c.Hotkey), c.Netuid, c.Uids, c.Values, c.Salt, c.Version)); pre != c.Scale {
			t.Errorf("%s: SCALE %s want %s", c.Case, pre, c.Scale)
		}
	}
}
