package synapse_test

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// Dummy is the golden vectors' Dummy(input:int required, output:Optional[int]=None; hash (input,)).
type Dummy struct {
	synapse.Base
	Input  int  `json:"input" synapse:"required,hash"`
	Output *int `json:"output"`
}

// HashedSynapse is bittensor's test class: a:int, b:int, c:Optional[int]=None, d:Optional[list[str]]=None.
type HashedSynapse struct {
	synapse.Base
	A int       `json:"a" synapse:"required,hash"`
	B int       `json:"b" synapse:"required,hash"`
	C *int      `json:"c"`
	D *[]string `json:"d" synapse:"hash"`
}

type Nested struct {
	X int    `json:"x"`
	Y string `json:"y"`
}

// TypesSynapse is the golden rendering table's class.
type TypesSynapse struct {
	synapse.Base
	S  string       `json:"s" synapse:"required,hash"`
	I  int          `json:"i" synapse:"required,hash"`
	F  float64      `json:"f" synapse:"required,hash"`
	B  bool         `json:"b" synapse:"required,hash"`
	N  *int         `json:"n" synapse:"hash"`
	LI []int        `json:"li" synapse:"required,hash"`
	LF []float64    `json:"lf" synapse:"required,hash"`
	LS []string     `json:"ls" synapse:"required,hash"`
	D  synapse.Dict `json:"d" synapse:"required,hash"`
	M  *Nested      `json:"m" synapse:"hash"`
}

type goldenFile struct {
	BodyHash struct {
		Empty struct {
			BodyHash string `json:"body_hash"`
		} `json:"empty"`
		Repo struct {
			PerFieldStr  []string `json:"per_field_str"`
			PerFieldSHA3 []string `json:"per_field_sha3"`
			BodyHash     string   `json:"body_hash"`
		} `json:"repo_test_vector"`
		Rendering struct {
			Values json.RawMessage `json:"json_body_values"`
			Fields []struct {
				Field     string `json:"field"`
				PythonStr string `json:"python_str"`
				SHA3      string `json:"sha3"`
			} `json:"fields"`
			BodyHash string `json:"body_hash"`
		} `json:"python_str_rendering"`
		Floats []struct {
			Hex *string `json:"value_hex_ieee754"`
			Str string  `json:"str"`
		} `json:"python_float_str_table"`
	} `json:"body_hash"`
	DendriteRequest struct {
		Case struct {
			SignatureMessage string            `json:"signature_message"`
			Headers          map[string]string `json:"headers"`
			JSONBody         json.RawMessage   `json:"json_body"`
		} `json:"case"`
		Signer struct {
			PublicKeyHex string `json:"public_key_hex"`
		} `json:"signer"`
		Signature string `json:"signature_over_signature_message"`
	} `json:"dendrite_request"`
	AxonSuccess struct {
		Headers map[string]string `json:"response_headers_from_to_headers"`
		Body    json.RawMessage   `json:"response_json_body"`
	} `json:"axon_success_response"`
}

func loadGolden(t *testing.T) goldenFile { return loadGoldenB(t) }

func loadGoldenB(t testing.TB) goldenFile {
	t.Helper()
	b, err := os.ReadFile("../../testdata/golden/sdk_synapse.json")
	require.NoError(t, err)
	var g goldenFile
	require.NoError(t, json.Unmarshal(b, &g))
	return g
}

func loadPythonBytes(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("testdata/python_json_bytes.json")
	require.NoError(t, err)
	var m map[string]string
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestFloatTable(t *testing.T) {
	g := loadGolden(t)
	require.NotEmpty(t, g.BodyHash.Floats)
	for _, row := range g.BodyHash.Floats {
		var f float64
		if row.Hex == nil {
			var ok bool
			f, ok = synapse.PyFloat(row.Str)
			require.True(t, ok)
		} else {
			var err error
			f, err = strconv.ParseFloat(*row.Hex, 64)
			require.NoError(t, err, *row.Hex)
		}
		require.Equal(t, row.Str, synapse.FormatFloat(f), "float %v", f)
	}
	// A few more of Python's repr rules.
	for f, want := range map[float64]string{1234567: "1234567.0", 1e15: "1000000000000000.0", 1e16: "1e+16",
		0.00012: "0.00012", 0.00001234: "1.234e-05", -2.5: "-2.5", 5e-324: "5e-324", math.MaxFloat64: "1.7976931348623157e+308",
		123456789012345.6: "123456789012345.6", 1.5e300: "1.5e+300"} {
		require.Equal(t, want, synapse.FormatFloat(f))
	}
}

func TestEmptyAndRepoBodyHash(t *testing.T) {
	g := loadGolden(t)
	h, err := synapse.BodyHash(&synapse.Ping{})
	require.NoError(t, err)
	require.Equal(t, g.BodyHash.Empty.BodyHash, h)
	require.Equal(t, synapse.EmptyBodyHash, h)

	d := []string{"foobar"}
	s := &HashedSynapse{A: 1, B: 2, D: &d}
	for i, name := range []string{"a", "b", "d"} {
		str, err := synapse.PyStrField(s, name)
		require.NoError(t, err)
		require.Equal(t, g.BodyHash.Repo.PerFieldStr[i], str)
	}
	h, err = synapse.BodyHash(s)
	require.NoError(t, err)
	require.Equal(t, g.BodyHash.Repo.BodyHash, h)
}

func TestRenderingTable(t *testing.T) {
	g := loadGolden(t)
	r := g.BodyHash.Rendering
	var s TypesSynapse
	require.NoError(t, synapse.Unmarshal(r.Values, &s))
	for _, f := range r.Fields {
		str, err := synapse.PyStrField(&s, f.Field)
		require.NoError(t, err)
		require.Equal(t, f.PythonStr, str, f.Field)
	}
	h, err := synapse.BodyHash(&s)
	require.NoError(t, err)
	require.Equal(t, r.BodyHash, h)

	// The values written back are the bytes Python's json module writes.
	py := loadPythonBytes(t)
	for style, key := range map[synapse.Style]string{synapse.StyleDumps: "types_values_dumps", synapse.StyleCompact: "types_values_compact"} {
		body, err := synapse.Marshal(&s, style)
		require.NoError(t, err)
		var all, want map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(body, &all))
		require.NoError(t, json.Unmarshal([]byte(py[key]), &want))
		// Compare the own fields' bytes in order by re-rendering them inside the full body.
		require.Contains(t, string(body), py[key][1:len(py[key])-1], key)
	}
}

// Coercion: the axon hashes the value after pydantic coercion, so a JSON 1 in a float field hashes as 1.0
// and a JSON 1.0 in an int field as 1.
func TestCoercionDrivesHash(t *testing.T) {
	type Coerce struct {
		synapse.Base
		F float64 `json:"f" synapse:"hash"`
		I int     `json:"i" synapse:"hash"`
		A any     `json:"a" synapse:"hash"`
	}
	var c Coerce
	require.NoError(t, synapse.Unmarshal([]byte(`{"f": 1, "i": 1.0, "a": 1.0}`), &c))
	for name, want := range map[string]string{"f": "1.0", "i": "1", "a": "1.0"} {
		got, err := synapse.PyStrField(&c, name)
		require.NoError(t, err)
		require.Equal(t, want, got, name)
	}
	require.Error(t, synapse.Unmarshal([]byte(`{"i": 1.5}`), &c))
	require.Error(t, synapse.Unmarshal([]byte(`{"f": "x"}`), &c))
	require.NoError(t, synapse.Unmarshal([]byte(`{"i": "12", "f": "2.5"}`), &c))
	require.Equal(t, 12, c.I)
}

func TestDendriteRequestVector(t *testing.T) {
	g := loadGolden(t)
	py := loadPythonBytes(t)
	rq := g.DendriteRequest.Case

	// The body Python sent decodes into Dummy and re-encodes to exactly the bytes json.dumps wrote.
	var d Dummy
	require.NoError(t, synapse.Unmarshal(rq.JSONBody, &d))
	require.Equal(t, 1, d.Input)
	body, err := synapse.Marshal(&d, synapse.StyleDumps)
	require.NoError(t, err)
	require.Equal(t, py["dendrite_request_body_dumps"], string(body))

	// to_headers of that synapse gives the golden headers (sizes are CPython artefacts).
	h, err := synapse.ToHeaders(&d)
	require.NoError(t, err)
	got := map[string]string{}
	for _, kv := range h {
		got[kv.Key] = kv.Value
	}
	want := map[string]string{}
	for k, v := range rq.Headers {
		want[k] = v
	}
	got["header_size"], got["total_size"] = want["header_size"], want["total_size"]
	require.Equal(t, want, got)

	// The signed message and the signature.
	hash, err := synapse.BodyHash(&d)
	require.NoError(t, err)
	msg := synapse.SignatureMessage(*d.Dendrite.Nonce, *d.Dendrite.Hotkey, *d.Axon.Hotkey, *d.Dendrite.UUID, hash)
	require.Equal(t, rq.SignatureMessage, msg)
	pub, err := hex.DecodeString(g.DendriteRequest.Signer.PublicKeyHex)
	require.NoError(t, err)
	sig, err := hex.DecodeString(g.DendriteRequest.Signature[2:])
	require.NoError(t, err)
	require.True(t, keys.Verify([32]byte(pub), []byte(msg), sig))
}

func TestFromHeadersVector(t *testing.T) {
	g := loadGolden(t)
	py := loadPythonBytes(t)
	hdr := http.Header{}
	for k, v := range g.DendriteRequest.Case.Headers {
		hdr.Set(k, v) // canonicalised, as net/http hands them to a server
	}
	var d Dummy
	require.NoError(t, synapse.FromHeaders(hdr, &d))
	require.Equal(t, 0, d.Input, "required fields carry their dummy values")
	body, err := synapse.Marshal(&d, synapse.StyleDumps)
	require.NoError(t, err)
	// computed_body_hash is frozen into the dump from the header; header_size comes from the header.
	require.Equal(t, py["axon_side_from_headers_dumps"], string(body))

	// A missing required input object fails, as the Python axon does with 500.
	hdr.Del("bt_header_input_obj_input")
	require.ErrorIs(t, synapse.FromHeaders(hdr, &Dummy{}), synapse.ErrValidation)
	// A non-integer nonce fails.
	hdr.Set("bt_header_input_obj_input", "MA==")
	hdr.Set("bt_header_dendrite_nonce", "1.7e18")
	require.ErrorIs(t, synapse.FromHeaders(hdr, &Dummy{}), synapse.ErrValidation)
}

func TestAxonSuccessVector(t *testing.T) {
	g := loadGolden(t)
	py := loadPythonBytes(t)
	var d Dummy
	require.NoError(t, synapse.Unmarshal(g.AxonSuccess.Body, &d))
	body, err := synapse.Marshal(&d, synapse.StyleCompact)
	require.NoError(t, err)
	require.Equal(t, py["axon_success_body_compact"], string(body))
	d.HeaderSize = 464
	h, err := synapse.ToHeaders(&d)
	require.NoError(t, err)
	got := map[string]string{}
	for _, kv := range h {
		got[kv.Key] = kv.Value
	}
	require.Equal(t, g.AxonSuccess.Headers, got)
}
