// Package synapse declares the messages that miners and validators exchange (Bittensor "synapses") and
// owns their wire format, byte-compatible with the Python SDK (bittensor 10.x, pydantic v2):
//
//   - the JSON body, written exactly as Python writes it (json.dumps for a dendrite request, Starlette's
//     compact JSONResponse for an axon reply) and read with pydantic's lax coercion;
//   - the header encoding (`name`, `timeout`, `bt_header_axon_*`, `bt_header_dendrite_*`,
//     `bt_header_input_obj_*`, `computed_body_hash`, lower-case keys on the wire);
//   - the body hash: SHA3-256 (FIPS 202, not Keccak) over the Python str() rendering of each required hash
//     field, rendered by the field's declared type (float repr, True/None, quoted container items, dict
//     insertion order);
//   - the signed message `nonce.dendrite_hotkey.axon_hotkey.uuid.body_hash`;
//   - AxonInfo and the TLS certificate an axon publishes on chain.
//
// A synapse type is a Go struct that embeds [Base] and adds its fields with `json` names:
//
//	type Dummy struct {
//		synapse.Base
//		Input  int  `json:"input" synapse:"required,hash"` // request field, covered by the body hash
//		Output *int `json:"output"`                         // response field (Optional[int] = None)
//	}
//
// Tags: `synapse:"required"` marks a field without a default (Python: no default value; its dummy value
// travels in a `bt_header_input_obj_*` header); `synapse:"hash"` adds the field to required_hash_fields in
// declaration order (a `RequiredHashFields() []string` method overrides the order); `default:"<json>"`
// gives a default value. The class name is the Go type name unless a `SynapseName() string` method says
// otherwise; `DefaultTimeout() float64` overrides the 12 s default; `Deserialize() any` is the
// deserialize hook the dendrite's callers may use.
//
// Field types: string, bool, signed and unsigned integers, float64, pointers (Optional), slices (list),
// arrays (tuple), nested structs (pydantic models), [OrderedMap] (dict, insertion order kept) and `any`
// (any JSON value). Go maps and float32 are refused when a type is declared: a Go map loses the key order
// the body hash depends on, and float32 cannot render the float64 the Python peer hashes.
//
// This package does no I/O; the axon and dendrite packages do the HTTP.
package synapse
