package substrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
)

// Errors of SetHyperparameter, wrapped by *HyperparameterError.
var (
	// ErrUnknownHyperparameter: the name is not one of gotensor's hyperparameter names (nor a btcli alias the
	// caller already translated).
	ErrUnknownHyperparameter = errors.New("substrate: unknown hyperparameter")
	// ErrNotOwnerSettable: the hyperparameter has no subnet-owner call in the connected runtime (it is
	// root-only, has no setter, or the runtime lacks the call). Such an error also wraps ErrUnsupported.
	ErrNotOwnerSettable = errors.New("substrate: hyperparameter has no subnet-owner call")
	// ErrHyperparameterValue: the value does not fit the call's argument type (refused before signing).
	ErrHyperparameterValue = errors.New("substrate: hyperparameter value does not fit")
)

// HyperparameterError is a SetHyperparameter refused before anything was signed: which hyperparameter,
// which call (when there is one), at which spec, and why.
type HyperparameterError struct {
	Name   string // gotensor's hyperparameter name
	Call   string // "AdminUtils.sudo_set_kappa"; empty when the hyperparameter has no setter
	Spec   uint32 // the runtime's spec version (0 when refused from the table alone)
	Reason string
	Err    error // ErrUnknownHyperparameter, ErrNotOwnerSettable or ErrHyperparameterValue
}

func (e *HyperparameterError) Error() string {
	s := "substrate: hyperparameter " + e.Name
	if e.Call != "" {
		s += " (" + e.Call + ")"
	}
	if e.Spec != 0 {
		s += fmt.Sprintf(" at spec %d", e.Spec)
	}
	return s + ": " + e.Reason
}

// Unwrap makes errors.Is match Err, and ErrUnsupported for a hyperparameter without an owner call.
func (e *HyperparameterError) Unwrap() []error {
	if e.Err == ErrNotOwnerSettable {
		return []error{e.Err, ErrUnsupported}
	}
	return []error{e.Err}
}

// Who may set a hyperparameter on subtensor (spec/chain.md §6.2).
type hpOrigin uint8

const (
	hpOwner    hpOrigin = iota // the subnet owner's coldkey (rate-limited) or root
	hpRootOnly                 // root only: no owner call exists
	hpNoSetter                 // no call sets it
)

// HyperparameterCall maps one of gotensor's hyperparameter names (chain/runtime's, which `gotensor sudo
// set` and the node backend use; btcli's aliases are translated by the CLI) to the subtensor call that sets
// it.
type HyperparameterCall struct {
	Name   string // gotensor's name, e.g. "immunity_period"
	Pallet string // "AdminUtils" (or "SubtensorModule" for calls HEAD moved there)
	Call   string // e.g. "sudo_set_immunity_period"; empty when nothing sets it
	// Value is the value argument's type as of specs 343 and 393 ("u16", "u64", "bool", "i16", "u8",
	// "enum"); the encoder reads the real type from the runtime's metadata, this is what the table tests
	// pin. "pair" is sudo_set_alpha_values(netuid, alpha_low, alpha_high): the other half is read from the
	// chain.
	Value string
	// Owner is true when the subnet owner may call it; false for root-only calls and unsettable values.
	Owner bool
	// Missing lists specs (of the fixtures) whose runtime has no such call, e.g. sudo_set_max_weight_limit.
	Missing []uint32
	Note    string
}

// hyperparameterCalls is the one table of owner hyperparameter calls. Every entry is tested against the
// spec-343 (metadata v14 and v15) and spec-393 (v16) runtimes: the call exists (or is listed Missing) and
// its arguments are (netuid, value of type Value).
var hyperparameterCalls = []HyperparameterCall{
	// owner-settable (ensure_sn_owner_or_root_with_limits): once per OwnerHyperparamRateLimit tempos,
	// refused inside the admin freeze window
	{Name: "immunity_period", Pallet: "AdminUtils", Call: "sudo_set_immunity_period", Value: "u16", Owner: true},
	{Name: "min_allowed_weights", Pallet: "AdminUtils", Call: "sudo_set_min_allowed_weights", Value: "u16", Owner: true},
	{Name: "max_weight_limit", Pallet: "AdminUtils", Call: "sudo_set_max_weight_limit", Value: "u16", Owner: true, Missing: []uint32{343, 393},
		Note: "removed from subtensor (the getter is hard-wired to 65535); only older runtimes have the call"},
	{Name: "activity_cutoff", Pallet: "AdminUtils", Call: "sudo_set_activity_cutoff", Value: "u16", Owner: true},
	{Name: "pow_registration_allowed", Pallet: "AdminUtils", Call: "sudo_set_network_pow_registration_allowed", Value: "bool", Owner: true},
	{Name: "max_difficulty", Pallet: "AdminUtils", Call: "sudo_set_max_difficulty", Value: "u64", Owner: true},
	{Name: "min_burn", Pallet: "AdminUtils", Call: "sudo_set_min_burn", Value: "u64", Owner: true, Note: "rao; < 1 TAO and < max_burn"},
	{Name: "max_burn", Pallet: "AdminUtils", Call: "sudo_set_max_burn", Value: "u64", Owner: true, Note: "rao; > 0.1 TAO and > min_burn"},
	{Name: "adjustment_alpha", Pallet: "AdminUtils", Call: "sudo_set_adjustment_alpha", Value: "u64", Owner: true},
	{Name: "rho", Pallet: "AdminUtils", Call: "sudo_set_rho", Value: "u16", Owner: true},
	{Name: "serving_rate_limit", Pallet: "AdminUtils", Call: "sudo_set_serving_rate_limit", Value: "u64", Owner: true},
	{Name: "weights_version_key", Pallet: "AdminUtils", Call: "sudo_set_weights_version_key", Value: "u64", Owner: true},
	{Name: "commit_reveal_weights_enabled", Pallet: "AdminUtils", Call: "sudo_set_commit_reveal_weights_enabled", Value: "bool", Owner: true},
	{Name: "commit_reveal_period", Pallet: "AdminUtils", Call: "sudo_set_commit_reveal_weights_interval", Value: "u64", Owner: true, Note: "1..=100 epochs"},
	{Name: "max_allowed_uids", Pallet: "AdminUtils", Call: "sudo_set_max_allowed_uids", Value: "u16", Owner: true},
	{Name: "bonds_moving_average", Pallet: "AdminUtils", Call: "sudo_set_bonds_moving_average", Value: "u64", Owner: true, Note: "owner: ≤ 975000"},
	{Name: "bonds_penalty", Pallet: "AdminUtils", Call: "sudo_set_bonds_penalty", Value: "u16", Owner: true},
	{Name: "bonds_reset", Pallet: "AdminUtils", Call: "sudo_set_bonds_reset_enabled", Value: "bool", Owner: true},
	{Name: "liquid_alpha_enabled", Pallet: "AdminUtils", Call: "sudo_set_liquid_alpha_enabled", Value: "bool", Owner: true},
	{Name: "alpha_low", Pallet: "AdminUtils", Call: "sudo_set_alpha_values", Value: "pair", Owner: true, Note: "sets (alpha_low, alpha_high); alpha_high is read from the chain"},
	{Name: "alpha_high", Pallet: "AdminUtils", Call: "sudo_set_alpha_values", Value: "pair", Owner: true, Note: "sets (alpha_low, alpha_high); alpha_low is read from the chain"},
	{Name: "alpha_sigmoid_steepness", Pallet: "AdminUtils", Call: "sudo_set_alpha_sigmoid_steepness", Value: "i16", Owner: true},
	{Name: "yuma3_enabled", Pallet: "AdminUtils", Call: "sudo_set_yuma3_enabled", Value: "bool", Owner: true},
	{Name: "transfers_enabled", Pallet: "AdminUtils", Call: "sudo_set_toggle_transfer", Value: "bool", Owner: true},
	{Name: "recycle_or_burn", Pallet: "AdminUtils", Call: "sudo_set_recycle_or_burn", Value: "enum", Owner: true, Note: "0 = Burn, 1 = Recycle"},
	{Name: "immune_owner_uids_limit", Pallet: "AdminUtils", Call: "sudo_set_owner_immune_neuron_limit", Value: "u16", Owner: true},
	{Name: "mechanism_count", Pallet: "AdminUtils", Call: "sudo_set_mechanism_count", Value: "u8", Owner: true},
	{Name: "tempo", Pallet: "SubtensorModule", Call: "set_tempo", Value: "u16", Owner: true, Missing: []uint32{343, 393},
		Note: "subtensor HEAD's owner call (360..=50400, rate-limited); older runtimes only have root's AdminUtils.sudo_set_tempo"},

	// root-only on subtensor: refused by name
	{Name: "kappa", Pallet: "AdminUtils", Call: "sudo_set_kappa", Value: "u16"},
	{Name: "weights_rate_limit", Pallet: "AdminUtils", Call: "sudo_set_weights_set_rate_limit", Value: "u64"},
	{Name: "difficulty", Pallet: "AdminUtils", Call: "sudo_set_difficulty", Value: "u64"},
	{Name: "min_difficulty", Pallet: "AdminUtils", Call: "sudo_set_min_difficulty", Value: "u64"},
	{Name: "adjustment_interval", Pallet: "AdminUtils", Call: "sudo_set_adjustment_interval", Value: "u16"},
	{Name: "target_registrations_per_interval", Pallet: "AdminUtils", Call: "sudo_set_target_registrations_per_interval", Value: "u16"},
	{Name: "max_registrations_per_block", Pallet: "AdminUtils", Call: "sudo_set_max_registrations_per_block", Value: "u16"},
	{Name: "registration_allowed", Pallet: "AdminUtils", Call: "sudo_set_network_registration_allowed", Value: "bool"},
	{Name: "min_allowed_uids", Pallet: "AdminUtils", Call: "sudo_set_min_allowed_uids", Value: "u16"},
	{Name: "max_allowed_validators", Pallet: "AdminUtils", Call: "sudo_set_max_allowed_validators", Value: "u16"},
	{Name: "min_non_immune_uids", Pallet: "AdminUtils", Call: "sudo_set_min_non_immune_uids", Value: "u16", Missing: []uint32{343}},
	{Name: "subtoken_enabled", Pallet: "AdminUtils", Call: "sudo_set_subtoken_enabled", Value: "bool", Note: "the owner starts a subnet with start_call"},
	{Name: "ema_price_halving_blocks", Pallet: "AdminUtils", Call: "sudo_set_ema_price_halving_period", Value: "u64"},

	// no setter at all
	{Name: "burn", Note: "moved by the chain's own adjustment"},
}

// HyperparameterCalls returns a copy of the table SetHyperparameter uses.
func HyperparameterCalls() []HyperparameterCall {
	out := make([]HyperparameterCall, len(hyperparameterCalls))
	copy(out, hyperparameterCalls)
	return out
}

// LookupHyperparameterCall finds a hyperparameter by gotensor's name.
func LookupHyperparameterCall(name string) (HyperparameterCall, bool) {
	for _, h := range hyperparameterCalls {
		if h.Name == name {
			return h, true
		}
	}
	return HyperparameterCall{}, false
}

// ownerCall checks the table alone (no runtime needed): the name is known and owner-settable.
func ownerCall(name string) (HyperparameterCall, error) {
	h, ok := LookupHyperparameterCall(name)
	if !ok {
		return h, &HyperparameterError{Name: name, Reason: "not a known hyperparameter name", Err: ErrUnknownHyperparameter}
	}
	switch {
	case h.Call == "":
		return h, &HyperparameterError{Name: name, Reason: "no call sets it on subtensor (" + h.Note + ")", Err: ErrNotOwnerSettable}
	case !h.Owner:
		return h, &HyperparameterError{Name: name, Call: h.Pallet + "." + h.Call,
			Reason: "root-only on subtensor: the subnet owner cannot set it", Err: ErrNotOwnerSettable}
	}
	return h, nil
}

// HyperparameterArgs checks name and value against md and returns the call and its arguments in metadata
// order, ready for Submit or extrinsic.Builder.Call. alpha, needed only for alpha_low and alpha_high,
// returns the subnet's current (alpha_low, alpha_high). Nothing is signed or sent.
func HyperparameterArgs(md *metadata.Metadata, netuid uint16, name string, value uint64, alpha func() (low, high uint16, err error)) (pallet, call string, args []any, err error) {
	h, err := ownerCall(name)
	if err != nil {
		return "", "", nil, err
	}
	full := h.Pallet + "." + h.Call
	ci, err := md.Call(h.Pallet, h.Call)
	if err != nil {
		reason := "the runtime has no such call: no subnet-owner call sets it"
		if h.Note != "" {
			reason += " (" + h.Note + ")"
		}
		return "", "", nil, &HyperparameterError{Name: name, Call: full, Spec: md.SpecVersion, Reason: reason, Err: ErrNotOwnerSettable}
	}
	bad := func(format string, a ...any) error {
		return &HyperparameterError{Name: name, Call: full, Spec: md.SpecVersion, Reason: fmt.Sprintf(format, a...), Err: ErrHyperparameterValue}
	}
	drift := func() error {
		return &HyperparameterError{Name: name, Call: full, Spec: md.SpecVersion,
			Reason: "unexpected arguments (" + fieldList(md, ci.Fields) + ")", Err: ErrNotOwnerSettable}
	}
	if len(ci.Fields) == 0 || !isU16(md, ci.Fields[0].Type) {
		return "", "", nil, drift()
	}
	if h.Value == "pair" {
		if len(ci.Fields) != 3 || ci.Fields[1].Name != "alpha_low" || ci.Fields[2].Name != "alpha_high" {
			return "", "", nil, drift()
		}
		if value > math.MaxUint16 {
			return "", "", nil, bad("%d does not fit %s (u16)", value, name)
		}
		if alpha == nil {
			return "", "", nil, bad("the current alpha values are needed")
		}
		low, high, err := alpha()
		if err != nil {
			return "", "", nil, fmt.Errorf("substrate: %s: reading the current alpha values: %w", name, err)
		}
		if name == "alpha_low" {
			low = uint16(value)
		} else {
			high = uint16(value)
		}
		return h.Pallet, h.Call, []any{netuid, low, high}, nil
	}
	if len(ci.Fields) != 2 {
		return "", "", nil, drift()
	}
	v, err := valueFor(md, ci.Fields[1], value)
	if err != nil {
		return "", "", nil, bad("%v", err)
	}
	return h.Pallet, h.Call, []any{netuid, v}, nil
}

func isU16(md *metadata.Metadata, id metadata.TypeID) bool {
	t := md.Types.Resolve(id)
	return t.Kind == metadata.KindPrimitive && t.Prim == metadata.PrimU16
}

func fieldList(md *metadata.Metadata, fs []metadata.Field) string {
	var s []string
	for _, f := range fs {
		s = append(s, f.Name+": "+TypeLabel(md, f.Type))
	}
	return strings.Join(s, ", ")
}

// TypeLabel names a call argument's type the way the hyperparameter table does: the primitive's name
// ("u16", "bool", "i16"), "enum" for a unit-variant enum, else the registry kind.
func TypeLabel(md *metadata.Metadata, id metadata.TypeID) string {
	t := md.Types.Resolve(id)
	switch t.Kind {
	case metadata.KindPrimitive:
		return t.Prim.String()
	case metadata.KindVariant:
		for _, v := range t.Variants {
			if len(v.Fields) != 0 {
				return "variant"
			}
		}
		return "enum"
	}
	return t.Kind.String()
}

// valueFor converts the CLI's uint64 value to the Go value the argument's type takes, refusing one that
// does not fit: bool takes 0 or 1, integers their range, a unit-variant enum the variant's index.
func valueFor(md *metadata.Metadata, f metadata.Field, v uint64) (any, error) {
	t := md.Types.Resolve(f.Type)
	switch t.Kind {
	case metadata.KindPrimitive:
		switch t.Prim {
		case metadata.PrimBool:
			if v > 1 {
				return nil, fmt.Errorf("%s is a bool: %d is neither 0 (false) nor 1 (true)", f.Name, v)
			}
			return v == 1, nil
		case metadata.PrimU8, metadata.PrimU16, metadata.PrimU32, metadata.PrimU64:
			if bits := 8 * t.Prim.Size(); bits < 64 && v>>bits != 0 {
				return nil, fmt.Errorf("%d does not fit %s (%s, at most %d)", v, f.Name, t.Prim, uint64(1)<<bits-1)
			}
			return v, nil
		case metadata.PrimI8, metadata.PrimI16, metadata.PrimI32, metadata.PrimI64:
			limit := uint64(1)<<(8*t.Prim.Size()-1) - 1
			if v > limit {
				return nil, fmt.Errorf("%d does not fit %s (%s, at most %d)", v, f.Name, t.Prim, limit)
			}
			return int64(v), nil
		}
	case metadata.KindVariant:
		if v <= math.MaxUint8 {
			if vr, ok := t.VariantByIndex(uint8(v)); ok && len(vr.Fields) == 0 {
				return codec.Variant{Name: vr.Name}, nil
			}
		}
		var names []string
		for _, vr := range t.Variants {
			names = append(names, fmt.Sprintf("%d = %s", vr.Index, vr.Name))
		}
		return nil, fmt.Errorf("%d is not a value of %s (%s)", v, f.Name, strings.Join(names, ", "))
	}
	return nil, fmt.Errorf("%s has type %s, which a single integer cannot set", f.Name, TypeLabel(md, f.Type))
}

// SetHyperparameter sets a subnet hyperparameter as its owner: the AdminUtils (or, for tempo on newer
// runtimes, SubtensorModule) call that HyperparameterCalls maps name to, signed by the owner's coldkey
// (as btcli does). A name that is unknown, root-only, or has no call in the connected runtime, and a
// value that does not fit the argument's type, give a *HyperparameterError before anything is signed. The
// chain then checks ownership (SubtensorModule.NotSubnetOwner or BadOrigin), the rate limit and the admin
// freeze window.
func (b *Backend) SetHyperparameter(ctx context.Context, owner extrinsic.Signer, netuid uint16, name string, value uint64, opts TxOptions) (*Receipt, error) {
	if _, err := ownerCall(name); err != nil {
		return nil, err // refused from the table: no request is made
	}
	v, err := b.view(ctx, At{})
	if err != nil {
		return nil, err
	}
	alpha := func() (uint16, uint16, error) { return b.alphaValues(ctx, v, netuid) }
	pallet, call, args, err := HyperparameterArgs(v.rt.md, netuid, name, value, alpha)
	if err != nil {
		return nil, err
	}
	return b.Submit(ctx, owner, pallet, call, args, opts)
}

// alphaValues reads SubtensorModule.AlphaValues(netuid): (alpha_low, alpha_high).
func (b *Backend) alphaValues(ctx context.Context, v *view, netuid uint16) (low, high uint16, err error) {
	raw, _, found, err := b.storageRaw(ctx, v, "SubtensorModule", "AlphaValues", netuid)
	if err != nil {
		return 0, 0, err
	}
	if !found || len(raw) != 4 {
		return 0, 0, fmt.Errorf("%w: SubtensorModule.AlphaValues(%d) is %d bytes, want (u16, u16)", ErrNotFound, netuid, len(raw))
	}
	return uint16(raw[0]) | uint16(raw[1])<<8, uint16(raw[2]) | uint16(raw[3])<<8, nil
}
