package subtensor

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

// ErrOpaqueAnswer means the runtime declares a runtime-API answer as plain bytes (the convention before
// 2025, spec ≤ 208), so its layout cannot be read from the metadata.
var ErrOpaqueAnswer = errors.New("subtensor: runtime API answer is opaque bytes in this runtime")

// APICall is one prepared runtime-API call: state_call(Method, Data) answers with the encoding of Output.
type APICall struct {
	Method string // "<Api>_<function>", e.g. "NeuronInfoRuntimeApi_get_neurons_lite"
	Data   []byte // the SCALE-encoded arguments
	Output metadata.TypeID
}

// Runtime prepares runtime-API calls and decodes their answers for one runtime's metadata.
type Runtime struct {
	c  *codec.Codec
	md *metadata.Metadata
}

// NewRuntime returns a Runtime over c.
func NewRuntime(c *codec.Codec) *Runtime { return &Runtime{c: c, md: c.Metadata()} }

// Codec is the codec the runtime decodes with.
func (r *Runtime) Codec() *codec.Codec { return r.c }

// Prepare encodes a call of api.fn with args (in declaration order) by the metadata's input types.
func (r *Runtime) Prepare(api, fn string, args ...any) (APICall, error) {
	m, err := r.md.RuntimeAPI(api, fn)
	if err != nil {
		return APICall{}, err
	}
	if len(args) != len(m.Inputs) {
		return APICall{}, fmt.Errorf("subtensor: %s_%s takes %d arguments at spec %d, got %d", api, fn, len(m.Inputs), r.md.SpecVersion, len(args))
	}
	e := &scale.Encoder{}
	for i, in := range m.Inputs {
		if err := r.c.EncodeTo(e, in.Type, args[i]); err != nil {
			return APICall{}, fmt.Errorf("subtensor: %s_%s argument %s: %w", api, fn, in.Name, err)
		}
	}
	return APICall{Method: api + "_" + fn, Data: e.Bytes(), Output: m.Output}, nil
}

// Decode decodes an answer to call into out, requiring every byte to be consumed.
func (r *Runtime) Decode(call APICall, data []byte, out any) error {
	if t := r.md.Types.MustType(call.Output); t.Kind == metadata.KindSequence {
		if plain := r.md.Types.Resolve(t.Elem); plain.Kind == metadata.KindPrimitive && plain.Prim == metadata.PrimU8 {
			return fmt.Errorf("%w: %s at spec %d", ErrOpaqueAnswer, call.Method, r.md.SpecVersion)
		}
	}
	if err := r.c.Decode(call.Output, data, out); err != nil {
		return fmt.Errorf("%s: %w", call.Method, err)
	}
	return nil
}

// Check reports layout drift for every answer type this package decodes, without decoding anything.
func (r *Runtime) Check() error {
	checks := []struct {
		api, fn string
		out     any
	}{
		{"NeuronInfoRuntimeApi", "get_neurons_lite", []wireNeuron(nil)},
		{"NeuronInfoRuntimeApi", "get_neuron", (*wireNeuronFull)(nil)},
		{"SubnetInfoRuntimeApi", "get_subnet_state", (*wireSubnetState)(nil)},
		{"SubnetInfoRuntimeApi", "get_metagraph", (*wireMetagraph)(nil)},
		{"SubnetInfoRuntimeApi", "get_subnets_info_v2", []*wireSubnetInfo(nil)},
		{"StakeInfoRuntimeApi", "get_stake_info_for_coldkey", []wireStakeInfo(nil)},
		{"SubnetInfoRuntimeApi", "get_all_dynamic_info", []*wireDynamicInfo(nil)},
		{"SubnetInfoRuntimeApi", "get_subnet_hyperparams_v2", (*wireHyperparams)(nil)},
	}
	var errs []error
	for _, c := range checks {
		m, err := r.md.RuntimeAPI(c.api, c.fn)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := r.c.Check(m.Output, reflect.TypeOf(c.out)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// NeuronsLite prepares get_neurons_lite(netuid).
func (r *Runtime) NeuronsLite(netuid uint16) (APICall, error) {
	return r.Prepare("NeuronInfoRuntimeApi", "get_neurons_lite", netuid)
}

// DecodeNeuronsLite decodes a get_neurons_lite answer.
func (r *Runtime) DecodeNeuronsLite(call APICall, data []byte) ([]NeuronLite, error) {
	var w []wireNeuron
	if err := r.Decode(call, data, &w); err != nil {
		return nil, err
	}
	out := make([]NeuronLite, len(w))
	for i := range w {
		out[i] = w[i].domain()
	}
	return out, nil
}

// Neuron prepares get_neuron(netuid, uid).
func (r *Runtime) Neuron(netuid, uid uint16) (APICall, error) {
	return r.Prepare("NeuronInfoRuntimeApi", "get_neuron", netuid, uid)
}

// DecodeNeuron decodes a get_neuron answer; nil means no such uid.
func (r *Runtime) DecodeNeuron(call APICall, data []byte) (*Neuron, error) {
	var w *wireNeuronFull
	if err := r.Decode(call, data, &w); err != nil {
		return nil, err
	}
	if w == nil {
		return nil, nil
	}
	n := w.domain()
	return &n, nil
}

// SubnetState prepares get_subnet_state(netuid).
func (r *Runtime) SubnetState(netuid uint16) (APICall, error) {
	return r.Prepare("SubnetInfoRuntimeApi", "get_subnet_state", netuid)
}

// DecodeSubnetState decodes a get_subnet_state answer; nil means no such subnet.
func (r *Runtime) DecodeSubnetState(call APICall, data []byte) (*SubnetState, error) {
	var w *wireSubnetState
	if err := r.Decode(call, data, &w); err != nil {
		return nil, err
	}
	if w == nil {
		return nil, nil
	}
	return &SubnetState{NetUID: w.NetUID, Neurons: w.uids(), EmissionHistory: w.EmissionHistory}, nil
}

// Hyperparameters prepares get_subnet_hyperparams_v2(netuid), or get_subnet_hyperparams where the
// runtime has no v2.
func (r *Runtime) Hyperparameters(netuid uint16) (APICall, error) {
	if c, err := r.Prepare("SubnetInfoRuntimeApi", "get_subnet_hyperparams_v2", netuid); err == nil {
		return c, nil
	}
	return r.Prepare("SubnetInfoRuntimeApi", "get_subnet_hyperparams", netuid)
}

// DecodeHyperparameters decodes a get_subnet_hyperparams(_v2) answer; nil means no such subnet.
func (r *Runtime) DecodeHyperparameters(call APICall, data []byte) (*Hyperparameters, error) {
	var w *wireHyperparams
	if err := r.Decode(call, data, &w); err != nil {
		return nil, err
	}
	if w == nil {
		return nil, nil
	}
	h := w.domain()
	return &h, nil
}

// Metagraph prepares the whole-subnet call: get_selective_mechagraph(netuid, mech, every field) where the
// runtime has it (as the Bittensor SDK does), else get_selective_metagraph(netuid, every field) for
// mechanism 0, else get_metagraph(netuid).
func (r *Runtime) Metagraph(netuid uint16, mech uint8) (APICall, error) {
	if m, err := r.md.RuntimeAPI("SubnetInfoRuntimeApi", "get_selective_mechagraph"); err == nil {
		idx, err := r.allFieldIndexes(m.Output)
		if err != nil {
			return APICall{}, err
		}
		return r.Prepare("SubnetInfoRuntimeApi", "get_selective_mechagraph", netuid, mech, idx)
	}
	if mech != 0 {
		return APICall{}, fmt.Errorf("subtensor: mechanism %d needs get_selective_mechagraph, absent at spec %d", mech, r.md.SpecVersion)
	}
	if m, err := r.md.RuntimeAPI("SubnetInfoRuntimeApi", "get_selective_metagraph"); err == nil {
		idx, err := r.allFieldIndexes(m.Output)
		if err != nil {
			return APICall{}, err
		}
		return r.Prepare("SubnetInfoRuntimeApi", "get_selective_metagraph", netuid, idx)
	}
	return r.Prepare("SubnetInfoRuntimeApi", "get_metagraph", netuid)
}

// allFieldIndexes lists 0..n-1 for the n fields of the struct inside an Option output.
func (r *Runtime) allFieldIndexes(out metadata.TypeID) ([]uint16, error) {
	t := r.md.Types.MustType(out)
	if t.Kind == metadata.KindVariant && len(t.Variants) == 2 && len(t.Variants[1].Fields) == 1 {
		t = r.md.Types.MustType(t.Variants[1].Fields[0].Type)
	}
	if t.Kind != metadata.KindComposite || len(t.Fields) == 0 {
		return nil, fmt.Errorf("subtensor: selective metagraph output is %s at spec %d, expected a struct", t.Name(), r.md.SpecVersion)
	}
	idx := make([]uint16, len(t.Fields))
	for i := range idx {
		idx[i] = uint16(i)
	}
	return idx, nil
}

// DecodeMetagraph decodes an answer to the call Metagraph prepared; nil means no such subnet.
func (r *Runtime) DecodeMetagraph(call APICall, mech uint8, data []byte) (*Metagraph, error) {
	var w *wireMetagraph
	if err := r.Decode(call, data, &w); err != nil {
		return nil, err
	}
	if w == nil {
		return nil, nil
	}
	return w.domain(mech), nil
}

// Subnets prepares get_subnets_info_v2 (every subnet).
func (r *Runtime) Subnets() (APICall, error) {
	return r.Prepare("SubnetInfoRuntimeApi", "get_subnets_info_v2")
}

// DecodeSubnets decodes a get_subnets_info_v2 answer, leaving out empty slots.
func (r *Runtime) DecodeSubnets(call APICall, data []byte) ([]SubnetInfo, error) {
	var w []*wireSubnetInfo
	if err := r.Decode(call, data, &w); err != nil {
		return nil, err
	}
	out := make([]SubnetInfo, 0, len(w))
	for _, s := range w {
		if s != nil {
			out = append(out, s.domain())
		}
	}
	return out, nil
}

// StakeForColdkey prepares get_stake_info_for_coldkey(coldkey).
func (r *Runtime) StakeForColdkey(coldkey AccountID) (APICall, error) {
	return r.Prepare("StakeInfoRuntimeApi", "get_stake_info_for_coldkey", [32]byte(coldkey))
}

// DecodeStake decodes a get_stake_info_for_coldkey answer.
func (r *Runtime) DecodeStake(call APICall, data []byte) ([]StakeInfo, error) {
	var w []wireStakeInfo
	if err := r.Decode(call, data, &w); err != nil {
		return nil, err
	}
	out := make([]StakeInfo, len(w))
	for i, s := range w {
		out[i] = StakeInfo(s)
	}
	return out, nil
}

// AllDynamicInfo prepares get_all_dynamic_info (every subnet's pool).
func (r *Runtime) AllDynamicInfo() (APICall, error) {
	return r.Prepare("SubnetInfoRuntimeApi", "get_all_dynamic_info")
}

// DecodeAllDynamicInfo decodes a get_all_dynamic_info answer, leaving out empty slots.
func (r *Runtime) DecodeAllDynamicInfo(call APICall, data []byte) ([]DynamicInfo, error) {
	var w []*wireDynamicInfo
	if err := r.Decode(call, data, &w); err != nil {
		return nil, err
	}
	out := make([]DynamicInfo, 0, len(w))
	for _, d := range w {
		if d != nil {
			out = append(out, d.domain())
		}
	}
	return out, nil
}

// Stake prepares get_stake_info_for_hotkey_coldkey_netuid(hotkey, coldkey, netuid).
func (r *Runtime) Stake(hotkey, coldkey AccountID, netuid uint16) (APICall, error) {
	return r.Prepare("StakeInfoRuntimeApi", "get_stake_info_for_hotkey_coldkey_netuid", [32]byte(hotkey), [32]byte(coldkey), netuid)
}

// DecodeStakeOne decodes a get_stake_info_for_hotkey_coldkey_netuid answer; nil means no position.
func (r *Runtime) DecodeStakeOne(call APICall, data []byte) (*StakeInfo, error) {
	var w *wireStakeInfo
	if err := r.Decode(call, data, &w); err != nil || w == nil {
		return nil, err
	}
	s := StakeInfo(*w)
	return &s, nil
}
