package metadata

import (
	"fmt"

	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

func (m *Metadata) index() error {
	m.pallets = make(map[string]int, len(m.Pallets))
	m.byIndex = make(map[uint8]int, len(m.Pallets))
	for i, p := range m.Pallets {
		m.pallets[p.Name] = i
		m.byIndex[p.Index] = i
	}
	m.apis = make(map[string]int, len(m.APIs))
	for i, a := range m.APIs {
		m.apis[a.Name] = i
	}
	x := &m.Extrinsic
	if !x.hasTypes {
		// v14 names the UncheckedExtrinsic type; its generic parameters are Address, Call, Signature, Extra.
		if t, err := m.Types.Type(x.CallType); err == nil && len(t.Params) >= 3 {
			x.AddressType, x.CallType, x.SignatureType = t.Params[0], t.Params[1], t.Params[2]
		}
	}
	c, err := m.Constant("System", "Version")
	if err != nil {
		return fmt.Errorf("metadata v%d: %w", m.Version, err)
	}
	d := scale.NewDecoder(c.Value)
	if m.SpecName, err = d.String(); err != nil {
		return fmt.Errorf("metadata: System.Version: %w", err)
	}
	if _, err = d.String(); err != nil { // impl name
		return fmt.Errorf("metadata: System.Version: %w", err)
	}
	if _, err = d.U32(); err != nil { // authoring version
		return fmt.Errorf("metadata: System.Version: %w", err)
	}
	if m.SpecVersion, err = d.U32(); err != nil {
		return fmt.Errorf("metadata: System.Version: %w", err)
	}
	if _, err = d.U32(); err != nil { // impl version
		return fmt.Errorf("metadata: System.Version: %w", err)
	}
	napis, err := d.Length(12)
	if err != nil {
		return fmt.Errorf("metadata: System.Version apis: %w", err)
	}
	if err = d.Skip(12 * napis); err != nil {
		return err
	}
	if m.TransactionVersion, err = d.U32(); err != nil {
		return fmt.Errorf("metadata: System.Version: %w", err)
	}
	return nil
}

// Pallet returns the named pallet.
func (m *Metadata) Pallet(name string) (*Pallet, error) {
	i, ok := m.pallets[name]
	if !ok {
		return nil, fmt.Errorf("%w: pallet %s at spec %d", ErrNotFound, name, m.SpecVersion)
	}
	return &m.Pallets[i], nil
}

// PalletByIndex returns the pallet with the given call/event index.
func (m *Metadata) PalletByIndex(idx uint8) (*Pallet, error) {
	i, ok := m.byIndex[idx]
	if !ok {
		return nil, fmt.Errorf("%w: pallet index %d at spec %d", ErrNotFound, idx, m.SpecVersion)
	}
	return &m.Pallets[i], nil
}

// Call is a resolved call: its two index bytes and its argument fields.
type Call struct {
	Pallet      string
	Name        string
	PalletIndex uint8
	CallIndex   uint8
	Fields      []Field
}

// Call looks up pallet.call, e.g. Call("SubtensorModule", "set_weights").
func (m *Metadata) Call(pallet, call string) (*Call, error) {
	p, err := m.Pallet(pallet)
	if err != nil {
		return nil, err
	}
	if p.Calls == nil {
		return nil, fmt.Errorf("%w: pallet %s has no calls at spec %d", ErrNotFound, pallet, m.SpecVersion)
	}
	t, err := m.Types.Type(*p.Calls)
	if err != nil {
		return nil, err
	}
	v, ok := t.VariantByName(call)
	if !ok {
		return nil, fmt.Errorf("%w: call %s.%s at spec %d", ErrNotFound, pallet, call, m.SpecVersion)
	}
	return &Call{Pallet: p.Name, Name: v.Name, PalletIndex: p.Index, CallIndex: v.Index, Fields: v.Fields}, nil
}

// Storage looks up a storage entry, e.g. Storage("SubtensorModule", "Tempo").
func (m *Metadata) Storage(pallet, item string) (*Pallet, *StorageEntry, error) {
	p, err := m.Pallet(pallet)
	if err != nil {
		return nil, nil, err
	}
	for i := range p.Storage {
		if p.Storage[i].Name == item {
			return p, &p.Storage[i], nil
		}
	}
	return nil, nil, fmt.Errorf("%w: storage %s.%s at spec %d", ErrNotFound, pallet, item, m.SpecVersion)
}

// Constant looks up a pallet constant.
func (m *Metadata) Constant(pallet, name string) (*Constant, error) {
	p, err := m.Pallet(pallet)
	if err != nil {
		return nil, err
	}
	for i := range p.Constants {
		if p.Constants[i].Name == name {
			return &p.Constants[i], nil
		}
	}
	return nil, fmt.Errorf("%w: constant %s.%s at spec %d", ErrNotFound, pallet, name, m.SpecVersion)
}

// RuntimeAPI looks up a runtime-API method, e.g. RuntimeAPI("NeuronInfoRuntimeApi", "get_neurons_lite").
// Metadata v14 has no runtime APIs; every lookup in it fails.
func (m *Metadata) RuntimeAPI(api, method string) (*APIMethod, error) {
	i, ok := m.apis[api]
	if !ok {
		return nil, fmt.Errorf("%w: runtime API %s at spec %d (metadata v%d)", ErrNotFound, api, m.SpecVersion, m.Version)
	}
	for j := range m.APIs[i].Methods {
		if m.APIs[i].Methods[j].Name == method {
			return &m.APIs[i].Methods[j], nil
		}
	}
	return nil, fmt.Errorf("%w: runtime API %s_%s at spec %d", ErrNotFound, api, method, m.SpecVersion)
}

// ModuleError names a dispatch error Module{index, error}: the pallet and the error variant. The first
// byte of the 4-byte error code is the variant index.
func (m *Metadata) ModuleError(palletIndex, errorIndex uint8) (pallet, name string, docs []string, err error) {
	p, err := m.PalletByIndex(palletIndex)
	if err != nil {
		return "", "", nil, err
	}
	if p.Errors == nil {
		return p.Name, "", nil, fmt.Errorf("%w: pallet %s has no errors at spec %d", ErrNotFound, p.Name, m.SpecVersion)
	}
	t, err := m.Types.Type(*p.Errors)
	if err != nil {
		return p.Name, "", nil, err
	}
	v, ok := t.VariantByIndex(errorIndex)
	if !ok {
		return p.Name, "", nil, fmt.Errorf("%w: error %d of pallet %s at spec %d", ErrNotFound, errorIndex, p.Name, m.SpecVersion)
	}
	return p.Name, v.Name, v.Docs, nil
}

// ExtensionNames lists the v4 transaction extensions in order.
func (m *Metadata) ExtensionNames() []string {
	out := make([]string, len(m.Extrinsic.Extensions))
	for i, e := range m.Extrinsic.Extensions {
		out[i] = e.Identifier
	}
	return out
}
