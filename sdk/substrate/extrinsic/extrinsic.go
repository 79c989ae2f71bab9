// Package extrinsic builds signed Substrate extrinsics (format v4) from runtime metadata: call indices and
// argument encodings come from the metadata by name, and every transaction extension the runtime lists is
// encoded from its metadata types. Extensions whose explicit and implicit data are both empty are accepted
// whatever their name (subtensor adds such extensions often); an unknown extension that carries data is
// refused by name, because signing without it would produce a transaction the chain rejects.
package extrinsic

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	"golang.org/x/crypto/blake2b"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

// Version4Signed is the first byte of a signed v4 extrinsic body (0x80 | 4).
const Version4Signed = 0x84

// ErrUnknownExtension is wrapped by the error for a transaction extension that carries data gotensor does
// not know how to produce.
var ErrUnknownExtension = errors.New("extrinsic: unknown transaction extension carries data")

// ErrArgs is wrapped by errors about call arguments.
var ErrArgs = errors.New("extrinsic: bad call arguments")

// Signer signs payloads for one account.
type Signer interface {
	// PublicKey is the account id.
	PublicKey() [32]byte
	// Scheme names the MultiSignature variant: "Sr25519" or "Ed25519".
	Scheme() string
	// Sign signs msg.
	Sign(msg []byte) ([64]byte, error)
}

// KeySigner is an sr25519 key that can sign: *keys.Keypair (holding its secret), or the SDK client's
// Signer.
type KeySigner interface {
	PublicKey() [32]byte
	Sign(msg []byte) ([64]byte, error)
}

var _ KeySigner = (*keys.Keypair)(nil)

type srSigner struct{ kp KeySigner }

// SR25519 adapts an sr25519 key (a gotensor *keys.Keypair with its secret, or any KeySigner).
func SR25519(kp KeySigner) Signer { return srSigner{kp} }

func (s srSigner) PublicKey() [32]byte               { return s.kp.PublicKey() }
func (s srSigner) Scheme() string                    { return "Sr25519" }
func (s srSigner) Sign(msg []byte) ([64]byte, error) { return s.kp.Sign(msg) }
func (s edSigner) PublicKey() (p [32]byte)           { copy(p[:], s.priv.Public().(ed25519.PublicKey)); return }
func (s edSigner) Scheme() string                    { return "Ed25519" }
func (s edSigner) Sign(msg []byte) (sig [64]byte, _ error) {
	copy(sig[:], ed25519.Sign(s.priv, msg))
	return
}

type edSigner struct{ priv ed25519.PrivateKey }

// Ed25519 adapts an ed25519 key. Substrate accepts ed25519 accounts; gotensor uses them for deterministic
// test vectors.
func Ed25519(priv ed25519.PrivateKey) Signer { return edSigner{priv} }

// Builder encodes calls and signs extrinsics for one runtime.
type Builder struct {
	md *metadata.Metadata
	c  *codec.Codec
}

// NewBuilder returns a builder over c's metadata.
func NewBuilder(c *codec.Codec) *Builder { return &Builder{md: c.Metadata(), c: c} }

// Metadata is the metadata the builder reads.
func (b *Builder) Metadata() *metadata.Metadata { return b.md }

// Call encodes pallet.call with its arguments in declaration order: the two index bytes read from the
// metadata, then each argument encoded by its metadata type.
func (b *Builder) Call(pallet, call string, args ...any) ([]byte, error) {
	ci, err := b.md.Call(pallet, call)
	if err != nil {
		return nil, err
	}
	if len(args) != len(ci.Fields) {
		return nil, fmt.Errorf("%w: %s.%s takes %d arguments (%s) at spec %d, got %d", ErrArgs, pallet, call,
			len(ci.Fields), argNames(ci.Fields), b.md.SpecVersion, len(args))
	}
	e := scale.NewEncoder([]byte{ci.PalletIndex, ci.CallIndex})
	for i, f := range ci.Fields {
		if err := b.c.EncodeTo(e, f.Type, args[i]); err != nil {
			return nil, fmt.Errorf("%w: %s.%s argument %s: %v", ErrArgs, pallet, call, f.Name, err)
		}
	}
	return e.Bytes(), nil
}

// CallNamed is Call with arguments given by name. Every argument must be present and no other.
func (b *Builder) CallNamed(pallet, call string, args map[string]any) ([]byte, error) {
	ci, err := b.md.Call(pallet, call)
	if err != nil {
		return nil, err
	}
	ordered := make([]any, len(ci.Fields))
	for i, f := range ci.Fields {
		v, ok := args[f.Name]
		if !ok {
			return nil, fmt.Errorf("%w: %s.%s needs argument %s at spec %d", ErrArgs, pallet, call, f.Name, b.md.SpecVersion)
		}
		ordered[i] = v
	}
	if len(args) != len(ci.Fields) {
		return nil, fmt.Errorf("%w: %s.%s takes %s at spec %d, got %d arguments", ErrArgs, pallet, call, argNames(ci.Fields), b.md.SpecVersion, len(args))
	}
	return b.Call(pallet, call, ordered...)
}

func argNames(fs []metadata.Field) string {
	s := ""
	for i, f := range fs {
		if i > 0 {
			s += ", "
		}
		s += f.Name
	}
	return s
}

// Params are the per-transaction values the extensions sign.
type Params struct {
	Genesis            [32]byte
	Era                Era      // zero value: immortal
	EraHash            [32]byte // hash of the era's birth block; ignored (genesis used) when immortal
	Nonce              uint64
	Tip                uint64
	SpecVersion        uint32 // 0: the metadata's
	TransactionVersion uint32 // 0: the metadata's
}

// Signed is a signed extrinsic.
type Signed struct {
	Bytes   []byte   // the full encoding, length prefix included: what author_submitExtrinsic takes
	Hash    [32]byte // blake2b-256 of Bytes, the id the node reports
	Payload []byte   // the signing payload before any pre-hash
	Extra   []byte   // the explicit extension data
	Era     Era
}

// Extensions encodes the explicit and implicit data of every transaction extension in metadata order.
func (b *Builder) Extensions(p Params) (explicit, implicit []byte, err error) {
	spec, txv := p.SpecVersion, p.TransactionVersion
	if spec == 0 {
		spec = b.md.SpecVersion
	}
	if txv == 0 {
		txv = b.md.TransactionVersion
	}
	eraHash := p.EraHash
	if p.Era.Immortal() {
		eraHash = p.Genesis
	}
	ex, im := &scale.Encoder{}, &scale.Encoder{}
	reg := b.md.Types
	for _, x := range b.md.Extrinsic.Extensions {
		var exV, imV any
		known := true
		switch x.Identifier {
		case "CheckNonZeroSender", "CheckWeight":
		case "CheckSpecVersion":
			imV = spec
		case "CheckTxVersion":
			imV = txv
		case "CheckGenesis":
			imV = p.Genesis
		case "CheckMortality", "CheckEra":
			if t := reg.MustType(reg.Resolve(x.Type).ID); t.Name() != "Era" {
				return nil, nil, fmt.Errorf("extrinsic: %s explicit type is %s at spec %d, expected Era", x.Identifier, t.Name(), b.md.SpecVersion)
			}
			ex.Raw(p.Era.Encode())
			imV = eraHash
		case "CheckNonce":
			exV = p.Nonce
		case "ChargeTransactionPayment":
			exV = p.Tip
		case "CheckMetadataHash":
			exV = codec.Variant{Name: "Disabled"} // mode 0: the metadata hash is not checked
			imV = nil                             // Option<[u8; 32]>::None
		default:
			known = false
		}
		if !known {
			if !reg.IsEmpty(x.Type) || !reg.IsEmpty(x.Implicit) {
				return nil, nil, fmt.Errorf("%w: %s at spec %d (gotensor must learn it before it can sign for this runtime)",
					ErrUnknownExtension, x.Identifier, b.md.SpecVersion)
			}
			continue
		}
		if x.Identifier != "CheckMortality" && x.Identifier != "CheckEra" && !reg.IsEmpty(x.Type) {
			if err := b.c.EncodeTo(ex, x.Type, exV); err != nil {
				return nil, nil, fmt.Errorf("extrinsic: extension %s: %w", x.Identifier, err)
			}
		}
		if !reg.IsEmpty(x.Implicit) {
			if err := b.c.EncodeTo(im, x.Implicit, imV); err != nil {
				return nil, nil, fmt.Errorf("extrinsic: extension %s implicit: %w", x.Identifier, err)
			}
		}
	}
	return ex.Bytes(), im.Bytes(), nil
}

// SigningPayload returns call ‖ explicit ‖ implicit, the bytes a signer signs (after a blake2b-256
// pre-hash when longer than 256 bytes; see SignBytes).
func (b *Builder) SigningPayload(call []byte, p Params) (payload, explicit []byte, err error) {
	ex, im, err := b.Extensions(p)
	if err != nil {
		return nil, nil, err
	}
	payload = make([]byte, 0, len(call)+len(ex)+len(im))
	payload = append(append(append(payload, call...), ex...), im...)
	return payload, ex, nil
}

// SignBytes is what is actually signed for a payload: the payload, or its blake2b-256 when it is longer
// than 256 bytes.
func SignBytes(payload []byte) []byte {
	if len(payload) > 256 {
		h := blake2b.Sum256(payload)
		return h[:]
	}
	return payload
}

// Sign builds the signed extrinsic for call.
func (b *Builder) Sign(call []byte, p Params, s Signer) (*Signed, error) {
	if b.md.Extrinsic.AddressType == 0 && b.md.Extrinsic.SignatureType == 0 {
		return nil, fmt.Errorf("extrinsic: metadata v%d names no address or signature type", b.md.Version)
	}
	payload, ex, err := b.SigningPayload(call, p)
	if err != nil {
		return nil, err
	}
	sig, err := s.Sign(SignBytes(payload))
	if err != nil {
		return nil, fmt.Errorf("extrinsic: sign: %w", err)
	}
	body := scale.NewEncoder([]byte{Version4Signed})
	pub := s.PublicKey()
	if err := b.c.EncodeTo(body, b.md.Extrinsic.AddressType, codec.Variant{Name: "Id", Fields: []any{pub}}); err != nil {
		return nil, fmt.Errorf("extrinsic: address: %w", err)
	}
	if err := b.c.EncodeTo(body, b.md.Extrinsic.SignatureType, codec.Variant{Name: s.Scheme(), Fields: []any{sig}}); err != nil {
		return nil, fmt.Errorf("extrinsic: signature: %w", err)
	}
	body.Raw(ex)
	body.Raw(call)
	out := scale.AppendCompact(make([]byte, 0, body.Len()+5), uint64(body.Len()))
	out = append(out, body.Bytes()...)
	return &Signed{Bytes: out, Hash: blake2b.Sum256(out), Payload: payload, Extra: ex, Era: p.Era}, nil
}
