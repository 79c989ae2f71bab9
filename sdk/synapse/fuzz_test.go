package synapse_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/sdk/synapse"
)

// parseHeaderBlock turns "key: value" lines into a request header map, as net/http hands it to a server.
func parseHeaderBlock(s string) http.Header {
	h := http.Header{}
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return h
}

// FuzzFromHeaders: header parsing (what an axon does with every request before verifying it) never panics,
// and whatever it accepts renders back to headers that parse again.
func FuzzFromHeaders(f *testing.F) {
	f.Add("name: Dummy\ntimeout: 12.0\nbt_header_dendrite_nonce: 1760000000000000000\nbt_header_dendrite_hotkey: 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\nbt_header_input_obj_input: MA==\ncomputed_body_hash: ed4bc853dce1a3f7afd74fd20a81219cd36d60f8b241fc33dcbe5ebc9381e2f9")
	f.Add("bt_header_input_obj_input: %%%\nbt_header_axon_port: 1_000\nheader_size: x")
	f.Add("bt_header_input_obj_s: IiI=\nbt_header_input_obj_li: W10=\nbt_header_input_obj_d: e30=\nbt_header_input_obj_b: ZmFsc2U=\nbt_header_input_obj_f: MC4w\nbt_header_input_obj_i: MA==\nbt_header_input_obj_lf: W10=\nbt_header_input_obj_ls: W10=")
	f.Fuzz(func(t *testing.T, block string) {
		h := parseHeaderBlock(block)
		for _, m := range []synapse.Message{&Dummy{}, &TypesSynapse{}, &synapse.Ping{}} {
			if err := synapse.FromHeaders(h, m); err != nil {
				continue
			}
			out, err := synapse.ToHeaders(m)
			if err != nil {
				continue // a NaN/inf float or the like: refused, not a crash
			}
			h2 := http.Header{}
			for _, kv := range out {
				h2.Set(kv.Key, kv.Value)
			}
			fresh := map[string]synapse.Message{"Dummy": &Dummy{}, "TypesSynapse": &TypesSynapse{}, "Synapse": &synapse.Ping{}}
			s, _ := synapse.SchemaOf(m)
			if err := synapse.FromHeaders(h2, fresh[s.Name]); err != nil {
				t.Fatalf("to_headers output does not parse back: %v\n%v", err, out)
			}
		}
	})
}

// FuzzUnmarshal: body decoding never panics, and an accepted body re-encodes to JSON that decodes to the
// same rendering.
func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte(`{"input": 1, "output": null}`))
	f.Add([]byte(`{"s": "h\u00e9", "i": -42, "f": 0.1, "b": true, "n": null, "li": [1], "lf": [1e-05], "ls": ["it's"], "d": {"k": [1, 2], "z": null}, "m": {"x": 7, "y": "y"}}`))
	f.Add([]byte(`{"i": 1.0, "f": NaN, "d": {"a": 1, "a": 2}}`))
	f.Add([]byte(`[[[[[[[[]]]]]]]]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, fresh := range []func() synapse.Message{func() synapse.Message { return &Dummy{} }, func() synapse.Message { return &TypesSynapse{} }} {
			m := fresh()
			if err := synapse.Unmarshal(body, m); err != nil {
				continue
			}
			h1, err1 := synapse.BodyHash(m)
			out, err := synapse.Marshal(m, synapse.StyleDumps)
			if err != nil {
				continue // NaN/inf cannot be written, as in Starlette
			}
			m2 := fresh()
			if err := synapse.Unmarshal(out, m2); err != nil {
				t.Fatalf("re-encoded body does not decode: %v\n%s", err, out)
			}
			h2, err2 := synapse.BodyHash(m2)
			if (err1 == nil) != (err2 == nil) || h1 != h2 {
				t.Fatalf("body hash changed across a round trip: %s vs %s\n%s", h1, h2, out)
			}
		}
	})
}
