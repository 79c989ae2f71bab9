package extrinsic

import (
	"errors"
	"fmt"

	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

// Event is one decoded System.Events record, reduced to what inclusion tracking needs.
type Event struct {
	// Extrinsic is the index of the extrinsic that emitted the event, or -1 for block initialisation
	// and finalisation.
	Extrinsic int
	Pallet    string // e.g. "SubtensorModule"
	Name      string // e.g. "WeightsSet"
	// Failure is set for System.ExtrinsicFailed.
	Failure *DispatchError
}

// ErrDispatch is wrapped by every *DispatchError.
var ErrDispatch = errors.New("extrinsic failed")

// DispatchError is an extrinsic that was included but failed, named by the runtime's error enums.
type DispatchError struct {
	Kind   string // the DispatchError variant: "Module", "BadOrigin", "Token", ...
	Pallet string // for Module errors, the pallet ("SubtensorModule")
	Name   string // for Module errors, the error ("SettingWeightsTooFast"); else the detail if any
	Docs   []string
}

// Error names the failure, e.g. "extrinsic failed: SubtensorModule.SettingWeightsTooFast".
func (e *DispatchError) Error() string {
	if e.Kind == "Module" {
		return fmt.Sprintf("extrinsic failed: %s.%s", e.Pallet, e.Name)
	}
	if e.Name != "" {
		return fmt.Sprintf("extrinsic failed: %s (%s)", e.Kind, e.Name)
	}
	return "extrinsic failed: " + e.Kind
}

// Unwrap makes errors.Is(err, ErrDispatch) hold.
func (e *DispatchError) Unwrap() error { return ErrDispatch }

type moduleError struct {
	Index uint8   `scale:"index"`
	Error [4]byte `scale:"error"`
}

// DecodeEvents decodes the value of System.Events with c's metadata.
func DecodeEvents(c *codec.Codec, raw []byte) ([]Event, error) {
	md := c.Metadata()
	_, entry, err := md.Storage("System", "Events")
	if err != nil {
		return nil, err
	}
	reg := md.Types
	seq := reg.MustType(entry.Value)
	if seq.Kind != metadata.KindSequence {
		return nil, fmt.Errorf("extrinsic: System.Events is %s at spec %d, expected a Vec", seq.Kind, md.SpecVersion)
	}
	rec := reg.MustType(seq.Elem)
	var phaseT, eventT, topicsT metadata.TypeID
	found := 0
	for _, f := range rec.Fields {
		switch f.Name {
		case "phase":
			phaseT, found = f.Type, found+1
		case "event":
			eventT, found = f.Type, found+1
		case "topics":
			topicsT, found = f.Type, found+1
		}
	}
	if found != 3 || len(rec.Fields) != 3 {
		return nil, &codec.DriftError{Type: rec.Name(), Field: "phase/event/topics", Spec: md.SpecVersion, Reason: "changed"}
	}
	d := scale.NewDecoder(raw)
	n, err := d.Length(2)
	if err != nil {
		return nil, err
	}
	out := make([]Event, 0, n)
	for i := 0; i < n; i++ {
		ev, err := decodeRecord(c, d, phaseT, eventT)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		if err := c.Skip(d, topicsT); err != nil {
			return nil, fmt.Errorf("event %d topics: %w", i, err)
		}
		out = append(out, ev)
	}
	return out, d.Done()
}

func variantAt(reg *metadata.Registry, d *scale.Decoder, id metadata.TypeID) (*metadata.Type, *metadata.Variant, error) {
	t := reg.MustType(id)
	if t.Kind != metadata.KindVariant {
		return nil, nil, fmt.Errorf("%w: %s is not an enum", codec.ErrKind, t.Name())
	}
	b, err := d.U8()
	if err != nil {
		return nil, nil, err
	}
	v, ok := t.VariantByIndex(b)
	if !ok {
		return nil, nil, fmt.Errorf("%w: %s has no variant %d", scale.ErrInvalid, t.Name(), b)
	}
	return t, v, nil
}

func decodeRecord(c *codec.Codec, d *scale.Decoder, phaseT, eventT metadata.TypeID) (Event, error) {
	reg := c.Metadata().Types
	ev := Event{Extrinsic: -1}
	_, ph, err := variantAt(reg, d, phaseT)
	if err != nil {
		return ev, err
	}
	if ph.Name == "ApplyExtrinsic" && len(ph.Fields) == 1 {
		var idx uint32
		if err := c.DecodeFrom(d, ph.Fields[0].Type, &idx); err != nil {
			return ev, err
		}
		ev.Extrinsic = int(idx)
	} else {
		for _, f := range ph.Fields {
			if err := c.Skip(d, f.Type); err != nil {
				return ev, err
			}
		}
	}
	_, pallet, err := variantAt(reg, d, eventT)
	if err != nil {
		return ev, err
	}
	ev.Pallet = pallet.Name
	if len(pallet.Fields) != 1 {
		return ev, fmt.Errorf("%w: RuntimeEvent::%s has %d fields", scale.ErrInvalid, pallet.Name, len(pallet.Fields))
	}
	_, e, err := variantAt(reg, d, pallet.Fields[0].Type)
	if err != nil {
		return ev, err
	}
	ev.Name = e.Name
	for _, f := range e.Fields {
		if ev.Pallet == "System" && ev.Name == "ExtrinsicFailed" && f.Name == "dispatch_error" {
			de, err := decodeDispatchError(c, d, f.Type)
			if err != nil {
				return ev, err
			}
			ev.Failure = de
			continue
		}
		if err := c.Skip(d, f.Type); err != nil {
			return ev, err
		}
	}
	return ev, nil
}

func decodeDispatchError(c *codec.Codec, d *scale.Decoder, id metadata.TypeID) (*DispatchError, error) {
	md := c.Metadata()
	_, v, err := variantAt(md.Types, d, id)
	if err != nil {
		return nil, err
	}
	de := &DispatchError{Kind: v.Name}
	if v.Name == "Module" && len(v.Fields) == 1 {
		var me moduleError
		if err := c.DecodeFrom(d, v.Fields[0].Type, &me); err != nil {
			return nil, err
		}
		pallet, name, docs, err := md.ModuleError(me.Index, me.Error[0])
		if err != nil {
			de.Pallet, de.Name = pallet, fmt.Sprintf("error %d of pallet %d", me.Error[0], me.Index)
		} else {
			de.Pallet, de.Name, de.Docs = pallet, name, docs
		}
		return de, nil
	}
	for _, f := range v.Fields { // Token(TokenError), Arithmetic(..): name the inner unit variant
		inner := md.Types.MustType(f.Type)
		if inner.Kind == metadata.KindVariant {
			_, iv, err := variantAt(md.Types, d, f.Type)
			if err != nil {
				return nil, err
			}
			de.Name = iv.Name
			for _, ff := range iv.Fields {
				if err := c.Skip(d, ff.Type); err != nil {
					return nil, err
				}
			}
			continue
		}
		if err := c.Skip(d, f.Type); err != nil {
			return nil, err
		}
	}
	return de, nil
}

// Outcome finds the result of extrinsic index idx among a block's events: nil when it succeeded, a
// *DispatchError when it failed, or an error when no System.ExtrinsicSuccess/Failed names it.
func Outcome(events []Event, idx int) error {
	for _, e := range events {
		if e.Extrinsic != idx || e.Pallet != "System" {
			continue
		}
		switch e.Name {
		case "ExtrinsicSuccess":
			return nil
		case "ExtrinsicFailed":
			if e.Failure != nil {
				return e.Failure
			}
			return &DispatchError{Kind: "Unknown"}
		}
	}
	return fmt.Errorf("extrinsic: no System.ExtrinsicSuccess or ExtrinsicFailed for extrinsic %d", idx)
}
