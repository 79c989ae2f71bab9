package synapse_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gotensor/gotensor/sdk/synapse"
)

// Expected values printed by CPython 3.11 (repr, json.dumps, json.dumps(ensure_ascii=False)).
func TestPythonStringRendering(t *testing.T) {
	for _, c := range []struct{ in, repr, dumps, compact string }{
		{"\x00a", `'\x00a'`, `"\u0000a"`, `"\u0000a"`},
		{"\u200b", `'\u200b'`, `"\u200b"`, "\"\u200b\""},
		{"\U0001f600", "'\U0001f600'", `"\ud83d\ude00"`, "\"\U0001f600\""},
		{"\x7f", `'\x7f'`, `"\u007f"`, "\"\x7f\""},
		{"\u00a0", `'\xa0'`, `"\u00a0"`, "\"\u00a0\""},
		{`a\b`, `'a\\b'`, `"a\\b"`, `"a\\b"`},
		{`"`, `'"'`, `"\""`, `"\""`},
		{`'`, `"'"`, `"'"`, `"'"`},
		{`'"`, `'\'"'`, `"'\""`, `"'\""`},
		{"\u0085", `'\x85'`, `"\u0085"`, "\"\u0085\""},
		{"é", "'é'", `"\u00e9"`, "\"é\""},
	} {
		require.Equal(t, c.repr, synapse.PyRepr(c.in), "repr %q", c.in)
		require.Equal(t, c.dumps, string(synapse.AppendJSONString(nil, c.in, synapse.StyleDumps)), "dumps %q", c.in)
		require.Equal(t, c.compact, string(synapse.AppendJSONString(nil, c.in, synapse.StyleCompact)), "compact %q", c.in)
	}
}

type Tuples struct {
	synapse.Base
	One  [1]int                      `json:"one" synapse:"hash"`
	Two  [2]string                   `json:"two" synapse:"hash"`
	Zero [0]int                      `json:"zero" synapse:"hash"`
	Map  synapse.OrderedMap[float64] `json:"map" synapse:"hash"`
	Any  any                         `json:"any" synapse:"hash"`
	Opt  *synapse.OrderedMap[[]int]  `json:"opt" synapse:"hash"`
	Deep map[string]int              `json:"-"`
	Big  *int64                      `json:"big" default:"7"`
}

func TestContainerRendering(t *testing.T) {
	var v Tuples
	require.NoError(t, synapse.Unmarshal([]byte(`{"one": [1], "two": ["a", "b"], "zero": [], "map": {"z": 1, "a": 2.5, "z": 3}, "any": [1, 1.0, "x", null, true, {"k": [{}]}]}`), &v))
	for name, want := range map[string]string{
		"one": "(1,)", "two": "('a', 'b')", "zero": "()", "map": "{'z': 3.0, 'a': 2.5}",
		"any": "[1, 1.0, 'x', None, True, {'k': [{}]}]", "opt": "None",
	} {
		got, err := synapse.PyStrField(&v, name)
		require.NoError(t, err)
		require.Equal(t, want, got, name)
	}
	require.Equal(t, int64(7), *v.Big, "default tag")
	b, err := synapse.Marshal(&v, synapse.StyleCompact)
	require.NoError(t, err)
	require.Contains(t, string(b), `"map":{"z":3.0,"a":2.5},"any":[1,1.0,"x",null,true,{"k":[{}]}],"opt":null,"big":7`)
	require.Error(t, synapse.Unmarshal([]byte(`{"two": ["a"]}`), &v), "tuple length")
}

func TestDeclarationErrors(t *testing.T) {
	type WithMap struct {
		synapse.Base
		M map[string]int `json:"m"`
	}
	type WithF32 struct {
		synapse.Base
		F float32 `json:"f"`
	}
	type Inner struct{ X int }
	type RequiredModel struct {
		synapse.Base
		M Inner `json:"m" synapse:"required"`
	}
	type NoBase struct{ X int }
	type BadTag struct {
		synapse.Base
		X int `json:"x" synapse:"requried"`
	}
	for _, m := range []synapse.Message{&WithMap{}, &WithF32{}, &RequiredModel{}, &BadTag{}} {
		_, err := synapse.SchemaOf(m)
		require.ErrorIs(t, err, synapse.ErrDeclaration, "%T", m)
	}
	_, err := synapse.SchemaFor[NoBaseSyn]()
	require.ErrorIs(t, err, synapse.ErrDeclaration)
}

// NoBaseSyn satisfies Message only through an embedded pointer-free Base of another package-level type: it
// embeds Base inside a named field, so the fields are not flattened and the schema is refused.
type NoBaseSyn struct {
	synapse.Base `json:"base"`
}

func TestOrderedMap(t *testing.T) {
	var m synapse.OrderedMap[int]
	m.Set("b", 1)
	m.Set("a", 2)
	m.Set("b", 3)
	require.Equal(t, []string{"b", "a"}, m.Keys())
	v, ok := m.Get("b")
	require.True(t, ok)
	require.Equal(t, 3, v)
	m.Delete("b")
	require.Equal(t, 1, m.Len())
	k, v := m.At(0)
	require.Equal(t, "a", k)
	require.Equal(t, 2, v)
}

type Named struct {
	synapse.Base
	Q string `json:"q" synapse:"required"`
}

func (*Named) SynapseName() string          { return "TextPrompting" }
func (*Named) DefaultTimeout() float64      { return 30 }
func (n *Named) Deserialize() any           { return n.Q }
func (*Named) RequiredHashFields() []string { return []string{"q"} }

func TestHooks(t *testing.T) {
	s, err := synapse.SchemaOf(&Named{})
	require.NoError(t, err)
	require.Equal(t, "TextPrompting", s.Name)
	require.Equal(t, 30.0, s.Timeout)
	require.Equal(t, []string{"q"}, s.HashFields)
	n, err := synapse.New[Named]()
	require.NoError(t, err)
	require.Equal(t, 30.0, n.Timeout)
	n.Q = "hi"
	require.Equal(t, "hi", synapse.Deserialize(n))
	require.Equal(t, &synapse.Ping{}, synapse.Deserialize(&synapse.Ping{}))
	h, err := synapse.ToHeaders(n)
	require.NoError(t, err)
	v, ok := h.Get("bt_header_input_obj_q")
	require.True(t, ok)
	require.Equal(t, "IiI=", v)
	name, _ := h.Get("name")
	require.Equal(t, "TextPrompting", name)
	hdr := http.Header{}
	h.WriteTo(hdr)
	require.Contains(t, hdr, "bt_header_input_obj_q", "keys stay lower case")
}

func TestTerminalInfoStatusHelpers(t *testing.T) {
	var b synapse.Base
	require.True(t, b.Failure())
	for code, check := range map[int]func() bool{200: b.Success, 408: b.TimedOut, 403: b.Blacklisted, 401: b.FailedVerification} {
		b.Dendrite.StatusCode = synapse.Ptr(code)
		require.True(t, check(), "%d", code)
	}
}

func TestAxonInfo(t *testing.T) {
	ip, err := synapse.IPFromInt(bigInt(0x7F000002))
	require.NoError(t, err)
	info := synapse.AxonInfo{IP: ip, Port: 8091}
	require.Equal(t, "/ipv4/127.0.0.2:8091", info.String())
	require.Equal(t, "127.0.0.2:8091", info.HostPort())
	require.Equal(t, int64(0x7F000002), info.IPInt().Int64())
	v6, err := synapse.IPFromInt(new(bigIntT).Lsh(bigInt(1), 100))
	require.NoError(t, err)
	info = synapse.AxonInfo{IP: v6, Port: 9}
	require.Equal(t, uint8(6), info.IPType())
	require.Equal(t, "[0:10::]:9", info.HostPort())
	require.True(t, info.IsServing())
	require.Equal(t, int64(10002000), synapse.VersionAsInt(10, 2, 0))
	u := synapse.NewUUID1()
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, u)
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, synapse.NewUUID4())
}

func TestFromHeadersSubstringAndConflicts(t *testing.T) {
	h := http.Header{}
	h.Set("bt_header_input_obj_input", "MA==")
	h.Set("X-Forwarded-bt_header_axon_port", "8091") // Python matches the prefix anywhere in the name
	var d Dummy
	require.NoError(t, synapse.FromHeaders(h, &d))
	require.Equal(t, 8091, *d.Axon.Port)

	h.Set("bt_header_axon_port", "9999") // a second header for the same field: refused
	require.ErrorIs(t, synapse.FromHeaders(h, &Dummy{}), synapse.ErrValidation)
}

func TestEscapedKeysAndDuplicates(t *testing.T) {
	var d Dummy
	require.NoError(t, synapse.Unmarshal([]byte(`{"inp\u0075t": 5, "input": 6, "output": 1, "unknown": {"x": [1]}}`), &d))
	require.Equal(t, 6, d.Input, "a repeated key keeps the last value, however it is spelled")
	require.Equal(t, 1, *d.Output)
	require.ErrorIs(t, synapse.Unmarshal([]byte(`{"input": 1`), &d), synapse.ErrJSON)
	require.ErrorIs(t, synapse.Unmarshal([]byte(`[1]`), &d), synapse.ErrValidation)
	require.ErrorIs(t, synapse.Unmarshal([]byte(`{"output": 1}`), &Dummy{}), synapse.ErrValidation, "required input missing")
}
