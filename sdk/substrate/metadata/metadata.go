// Package metadata reads Substrate runtime metadata (versions 14, 15 and 16) and indexes it by name:
// pallets, calls, storage entries, constants, errors, events, runtime APIs and transaction extensions.
// The type registry it carries drives every other layer of the substrate backend, so nothing about the
// chain's layouts is hard-coded.
package metadata

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

// Magic is the 4-byte prefix of encoded runtime metadata ("meta").
var Magic = []byte("meta")

// ErrUnsupportedVersion is returned for metadata versions other than 14, 15 and 16.
var ErrUnsupportedVersion = errors.New("metadata: unsupported version")

// ErrNotFound is wrapped by every failed lookup by name.
var ErrNotFound = errors.New("metadata: not found")

// Hasher is a storage key hasher.
type Hasher uint8

// The storage hashers, in metadata order.
const (
	Blake2_128 Hasher = iota
	Blake2_256
	Blake2_128Concat
	Twox128
	Twox256
	Twox64Concat
	Identity
)

var hasherNames = [...]string{"Blake2_128", "Blake2_256", "Blake2_128Concat", "Twox128", "Twox256", "Twox64Concat", "Identity"}

// String is the hasher's name.
func (h Hasher) String() string {
	if int(h) < len(hasherNames) {
		return hasherNames[h]
	}
	return fmt.Sprintf("hasher(%d)", uint8(h))
}

// StorageEntry describes one storage item.
type StorageEntry struct {
	Name     string
	Optional bool     // modifier Optional: an absent value is None; otherwise Default applies
	Hashers  []Hasher // empty for plain values
	Key      TypeID   // map key type (a tuple when there are several hashers); unset for plain values
	Value    TypeID
	Default  []byte
}

// IsMap reports whether the entry is keyed.
func (s *StorageEntry) IsMap() bool { return len(s.Hashers) > 0 }

// Constant is a pallet constant with its encoded value.
type Constant struct {
	Name  string
	Type  TypeID
	Value []byte
}

// Pallet is one pallet of the runtime.
type Pallet struct {
	Name          string
	Index         uint8
	StoragePrefix string
	Storage       []StorageEntry
	Calls         *TypeID // enum of the pallet's calls, nil when it has none
	Events        *TypeID
	Errors        *TypeID
	Constants     []Constant
}

// Extension is one transaction extension (a "signed extension" before v16).
type Extension struct {
	Identifier string
	Type       TypeID // explicit data, carried in the extrinsic
	Implicit   TypeID // implicit data, signed but not carried
}

// Extrinsic describes the extrinsic format.
type Extrinsic struct {
	Versions      []uint8 // supported extrinsic format versions (4, 5, ...)
	AddressType   TypeID
	CallType      TypeID
	SignatureType TypeID
	Extensions    []Extension // the extensions of version 4 signed extrinsics, in order
	hasTypes      bool
}

// APIParam is a named runtime-API input.
type APIParam struct {
	Name string
	Type TypeID
}

// APIMethod is one runtime-API method.
type APIMethod struct {
	Name   string
	Inputs []APIParam
	Output TypeID
}

// RuntimeAPI is one runtime API (v15 and later).
type RuntimeAPI struct {
	Name    string
	Methods []APIMethod
}

// Metadata is parsed runtime metadata.
type Metadata struct {
	Version   int // 14, 15 or 16
	Types     *Registry
	Pallets   []Pallet
	Extrinsic Extrinsic
	APIs      []RuntimeAPI
	// SpecName, SpecVersion and TransactionVersion come from the System.Version constant.
	SpecName           string
	SpecVersion        uint32
	TransactionVersion uint32
	// Size is the length of the encoded metadata.
	Size int

	pallets map[string]int
	byIndex map[uint8]int
	apis    map[string]int
}

// Parse reads encoded metadata. It accepts the bare form ("meta" + version + body, as state_getMetadata
// returns it) and the Option<OpaqueMetadata> wrapper Metadata_metadata_at_version answers with. Every byte
// must be consumed.
func Parse(b []byte) (*Metadata, error) {
	if !bytes.HasPrefix(b, Magic) {
		inner, err := unwrapOpaque(b)
		if err != nil {
			return nil, err
		}
		b = inner
	}
	d := scale.NewDecoder(b[len(Magic):])
	ver, err := d.U8()
	if err != nil {
		return nil, err
	}
	m := &Metadata{Version: int(ver), Size: len(b)}
	switch ver {
	case 14, 15, 16:
	default:
		return nil, fmt.Errorf("%w %d", ErrUnsupportedVersion, ver)
	}
	if m.Types, err = decodeRegistry(d); err != nil {
		return nil, fmt.Errorf("metadata v%d types: %w", ver, err)
	}
	if err := m.decodeBody(d); err != nil {
		return nil, fmt.Errorf("metadata v%d: %w", ver, err)
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("metadata v%d: %w", ver, err)
	}
	if err := m.index(); err != nil {
		return nil, err
	}
	return m, nil
}

// unwrapOpaque strips Option<Vec<u8>> around metadata.
func unwrapOpaque(b []byte) ([]byte, error) {
	d := scale.NewDecoder(b)
	some, err := d.Option()
	if err != nil {
		return nil, fmt.Errorf("metadata: neither \"meta\" nor Option<OpaqueMetadata>: %w", err)
	}
	if !some {
		return nil, fmt.Errorf("%w: the node returned None (version not offered)", ErrUnsupportedVersion)
	}
	inner, err := d.ByteVec()
	if err != nil {
		return nil, fmt.Errorf("metadata: opaque wrapper: %w", err)
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("metadata: opaque wrapper: %w", err)
	}
	if !bytes.HasPrefix(inner, Magic) {
		return nil, fmt.Errorf("%w: missing \"meta\" magic", scale.ErrInvalid)
	}
	return inner, nil
}

func (m *Metadata) decodeBody(d *scale.Decoder) error {
	n, err := d.Length(4)
	if err != nil {
		return fmt.Errorf("pallets: %w", err)
	}
	m.Pallets = make([]Pallet, n)
	for i := range m.Pallets {
		if err := m.decodePallet(d, &m.Pallets[i]); err != nil {
			return fmt.Errorf("pallet %d (%s): %w", i, m.Pallets[i].Name, err)
		}
	}
	if err := m.decodeExtrinsic(d); err != nil {
		return fmt.Errorf("extrinsic: %w", err)
	}
	if m.Version == 14 || m.Version == 15 {
		if _, err := decodeTypeID(d); err != nil { // the runtime type
			return err
		}
	}
	if m.Version >= 15 {
		if err := m.decodeAPIs(d); err != nil {
			return fmt.Errorf("runtime apis: %w", err)
		}
		var outer [3]TypeID // outer enums: call, event, error
		for i := range outer {
			if outer[i], err = decodeTypeID(d); err != nil {
				return err
			}
		}
		if m.Extrinsic.CallType == 0 {
			m.Extrinsic.CallType = outer[0]
		}
		nc, err := d.Length(3)
		if err != nil {
			return fmt.Errorf("custom: %w", err)
		}
		for i := 0; i < nc; i++ {
			if _, err := d.String(); err != nil {
				return err
			}
			if _, err := decodeTypeID(d); err != nil {
				return err
			}
			if _, err := d.ByteVec(); err != nil {
				return err
			}
		}
	}
	return nil
}

// skipItemDeprecation skips a v16 ItemDeprecationInfo.
func skipItemDeprecation(d *scale.Decoder) error {
	tag, err := d.U8()
	if err != nil {
		return err
	}
	switch tag {
	case 0, 1:
		return nil
	case 2:
		if _, err := d.String(); err != nil {
			return err
		}
		_, err = decodeOptString(d)
		return err
	}
	return fmt.Errorf("%w: deprecation tag %d", scale.ErrInvalid, tag)
}

// skipEnumDeprecation skips a v16 EnumDeprecationInfo (a map from variant index to deprecation).
func skipEnumDeprecation(d *scale.Decoder) error {
	n, err := d.Length(2)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if _, err := d.U8(); err != nil {
			return err
		}
		tag, err := d.U8()
		if err != nil {
			return err
		}
		switch tag { // VariantDeprecationInfo uses indices 1 (without note) and 2 (with note)
		case 1:
		case 2:
			if _, err := d.String(); err != nil {
				return err
			}
			if _, err := decodeOptString(d); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: variant deprecation tag %d", scale.ErrInvalid, tag)
		}
	}
	return nil
}

func (m *Metadata) optTypeWithDeprecation(d *scale.Decoder) (*TypeID, error) {
	some, err := d.Option()
	if err != nil || !some {
		return nil, err
	}
	id, err := decodeTypeID(d)
	if err != nil {
		return nil, err
	}
	if m.Version >= 16 {
		if err := skipEnumDeprecation(d); err != nil {
			return nil, err
		}
	}
	return &id, nil
}

func (m *Metadata) decodePallet(d *scale.Decoder, p *Pallet) error {
	var err error
	if p.Name, err = d.String(); err != nil {
		return err
	}
	some, err := d.Option()
	if err != nil {
		return err
	}
	if some {
		if err := m.decodeStorage(d, p); err != nil {
			return fmt.Errorf("storage: %w", err)
		}
	}
	if p.Calls, err = m.optTypeWithDeprecation(d); err != nil {
		return fmt.Errorf("calls: %w", err)
	}
	if p.Events, err = m.optTypeWithDeprecation(d); err != nil {
		return fmt.Errorf("events: %w", err)
	}
	nc, err := d.Length(4)
	if err != nil {
		return err
	}
	p.Constants = make([]Constant, nc)
	for i := range p.Constants {
		c := &p.Constants[i]
		if c.Name, err = d.String(); err != nil {
			return err
		}
		if c.Type, err = decodeTypeID(d); err != nil {
			return err
		}
		if c.Value, err = d.ByteVec(); err != nil {
			return err
		}
		if err = skipStrings(d); err != nil {
			return err
		}
		if m.Version >= 16 {
			if err = skipItemDeprecation(d); err != nil {
				return err
			}
		}
	}
	if p.Errors, err = m.optTypeWithDeprecation(d); err != nil {
		return fmt.Errorf("errors: %w", err)
	}
	if m.Version >= 16 {
		// associated types: name, type, docs
		na, err := d.Length(3)
		if err != nil {
			return err
		}
		for i := 0; i < na; i++ {
			if _, err := d.String(); err != nil {
				return err
			}
			if _, err := decodeTypeID(d); err != nil {
				return err
			}
			if err := skipStrings(d); err != nil {
				return err
			}
		}
		// view functions: id [u8; 32], name, inputs, output, docs, deprecation
		nv, err := d.Length(36)
		if err != nil {
			return err
		}
		for i := 0; i < nv; i++ {
			if err := d.Skip(32); err != nil {
				return err
			}
			if _, err := d.String(); err != nil {
				return err
			}
			if _, err := decodeParams(d); err != nil {
				return err
			}
			if _, err := decodeTypeID(d); err != nil {
				return err
			}
			if err := skipStrings(d); err != nil {
				return err
			}
			if err := skipItemDeprecation(d); err != nil {
				return err
			}
		}
	}
	if p.Index, err = d.U8(); err != nil {
		return err
	}
	if m.Version >= 15 {
		if err := skipStrings(d); err != nil {
			return err
		}
	}
	if m.Version >= 16 {
		if err := skipItemDeprecation(d); err != nil {
			return err
		}
	}
	return nil
}

func (m *Metadata) decodeStorage(d *scale.Decoder, p *Pallet) error {
	var err error
	if p.StoragePrefix, err = d.String(); err != nil {
		return err
	}
	n, err := d.Length(5)
	if err != nil {
		return err
	}
	p.Storage = make([]StorageEntry, n)
	for i := range p.Storage {
		e := &p.Storage[i]
		if e.Name, err = d.String(); err != nil {
			return err
		}
		mod, err := d.U8()
		if err != nil {
			return err
		}
		if mod > 1 {
			return fmt.Errorf("%w: storage modifier %d", scale.ErrInvalid, mod)
		}
		e.Optional = mod == 0
		kind, err := d.U8()
		if err != nil {
			return err
		}
		switch kind {
		case 0:
			if e.Value, err = decodeTypeID(d); err != nil {
				return err
			}
		case 1:
			nh, err := d.Length(1)
			if err != nil {
				return err
			}
			e.Hashers = make([]Hasher, nh)
			for j := range e.Hashers {
				h, err := d.U8()
				if err != nil {
					return err
				}
				if h > uint8(Identity) {
					return fmt.Errorf("%w: hasher %d", scale.ErrInvalid, h)
				}
				e.Hashers[j] = Hasher(h)
			}
			if e.Key, err = decodeTypeID(d); err != nil {
				return err
			}
			if e.Value, err = decodeTypeID(d); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: storage entry type %d", scale.ErrInvalid, kind)
		}
		if e.Default, err = d.ByteVec(); err != nil {
			return err
		}
		if err = skipStrings(d); err != nil {
			return err
		}
		if m.Version >= 16 {
			if err = skipItemDeprecation(d); err != nil {
				return err
			}
		}
	}
	return nil
}

func decodeExtensions(d *scale.Decoder) ([]Extension, error) {
	n, err := d.Length(3)
	if err != nil {
		return nil, err
	}
	out := make([]Extension, n)
	for i := range out {
		e := &out[i]
		if e.Identifier, err = d.String(); err != nil {
			return nil, err
		}
		if e.Type, err = decodeTypeID(d); err != nil {
			return nil, err
		}
		if e.Implicit, err = decodeTypeID(d); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (m *Metadata) decodeExtrinsic(d *scale.Decoder) error {
	x := &m.Extrinsic
	var err error
	switch m.Version {
	case 14:
		if x.CallType, err = decodeTypeID(d); err != nil { // the UncheckedExtrinsic type
			return err
		}
		v, err := d.U8()
		if err != nil {
			return err
		}
		x.Versions = []uint8{v}
		x.Extensions, err = decodeExtensions(d)
		return err
	case 15:
		v, err := d.U8()
		if err != nil {
			return err
		}
		x.Versions = []uint8{v}
		for _, p := range []*TypeID{&x.AddressType, &x.CallType, &x.SignatureType} {
			if *p, err = decodeTypeID(d); err != nil {
				return err
			}
		}
		if _, err = decodeTypeID(d); err != nil { // extra type
			return err
		}
		x.hasTypes = true
		x.Extensions, err = decodeExtensions(d)
		return err
	}
	// v16
	vs, err := d.ByteVec()
	if err != nil {
		return err
	}
	x.Versions = append([]uint8(nil), vs...)
	for _, p := range []*TypeID{&x.AddressType, &x.CallType, &x.SignatureType} {
		if *p, err = decodeTypeID(d); err != nil {
			return err
		}
	}
	x.hasTypes = true
	nv, err := d.Length(2)
	if err != nil {
		return err
	}
	byVersion := map[uint8][]int{}
	for i := 0; i < nv; i++ {
		ver, err := d.U8()
		if err != nil {
			return err
		}
		ni, err := d.Length(1)
		if err != nil {
			return err
		}
		idx := make([]int, ni)
		for j := range idx {
			v, err := d.Compact()
			if err != nil {
				return err
			}
			idx[j] = int(v)
		}
		byVersion[ver] = idx
	}
	all, err := decodeExtensions(d)
	if err != nil {
		return err
	}
	// The v4 signed extrinsic uses the extensions listed for version 0 of the extension set.
	idx, ok := byVersion[0]
	if !ok {
		for i := range all {
			idx = append(idx, i)
		}
	}
	for _, i := range idx {
		if i < 0 || i >= len(all) {
			return fmt.Errorf("%w: transaction extension index %d of %d", scale.ErrInvalid, i, len(all))
		}
		x.Extensions = append(x.Extensions, all[i])
	}
	return nil
}

func decodeParams(d *scale.Decoder) ([]APIParam, error) {
	n, err := d.Length(2)
	if err != nil {
		return nil, err
	}
	out := make([]APIParam, n)
	for i := range out {
		if out[i].Name, err = d.String(); err != nil {
			return nil, err
		}
		if out[i].Type, err = decodeTypeID(d); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (m *Metadata) decodeAPIs(d *scale.Decoder) error {
	n, err := d.Length(3)
	if err != nil {
		return err
	}
	m.APIs = make([]RuntimeAPI, n)
	for i := range m.APIs {
		a := &m.APIs[i]
		if a.Name, err = d.String(); err != nil {
			return err
		}
		nm, err := d.Length(4)
		if err != nil {
			return err
		}
		a.Methods = make([]APIMethod, nm)
		for j := range a.Methods {
			mt := &a.Methods[j]
			if mt.Name, err = d.String(); err != nil {
				return err
			}
			if mt.Inputs, err = decodeParams(d); err != nil {
				return err
			}
			if mt.Output, err = decodeTypeID(d); err != nil {
				return err
			}
			if err = skipStrings(d); err != nil {
				return err
			}
			if m.Version >= 16 {
				if err = skipItemDeprecation(d); err != nil {
					return err
				}
			}
		}
		if err = skipStrings(d); err != nil {
			return err
		}
		if m.Version >= 16 {
			if _, err = d.Compact(); err != nil { // version
				return err
			}
			if err = skipItemDeprecation(d); err != nil {
				return err
			}
		}
	}
	return nil
}
