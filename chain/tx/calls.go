package tx

import (
	"fmt"

	"github.com/gotensor/gotensor/chain/codec"
)

// CallIndex identifies a call on the wire. Indices that exist in subtensor's SubtensorModule keep
// subtensor's number; the others (balances, admin, sudo) are gotensor's own. Once released an index never
// changes meaning.
type CallIndex uint8

const (
	CallSetWeights         CallIndex = 0
	CallAddStake           CallIndex = 2
	CallRemoveStake        CallIndex = 3
	CallServeAxon          CallIndex = 4
	CallServePrometheus    CallIndex = 5
	CallRegister           CallIndex = 6
	CallBurnedRegister     CallIndex = 7
	CallServeAxonTLS       CallIndex = 40
	CallRegisterNetwork    CallIndex = 59
	CallFaucet             CallIndex = 60
	CallRootRegister       CallIndex = 62
	CallDecreaseTake       CallIndex = 65
	CallIncreaseTake       CallIndex = 66
	CallAssociateHotkey    CallIndex = 91
	CallStartCall          CallIndex = 92
	CallCommitWeights      CallIndex = 96
	CallRevealWeights      CallIndex = 97
	CallBatchRevealWeights CallIndex = 98
	CallTransfer           CallIndex = 200
	CallTransferAll        CallIndex = 201
	CallSetHyperparameter  CallIndex = 210
	CallSetGlobalParameter CallIndex = 211
	CallSudo               CallIndex = 220
)

// Limits on decoded sizes (a call above them is rejected before execution).
const (
	MaxWeightsLen     = 4096 * 4 // entries in a weights vector
	MaxSaltLen        = 1024
	MaxBatch          = 64 // items in a batch call
	MaxCertificateLen = 1024
	MaxNameLen        = 64
)

// Call is one runtime call: a typed Go struct with a wire encoding.
type Call interface {
	Index() CallIndex
	encode(w *codec.Writer)
}

// Name is the call's snake_case name (as in subtensor where it exists there).
func (c CallIndex) Name() string {
	if n, ok := callNames[c]; ok {
		return n
	}
	return fmt.Sprintf("call_%d", uint8(c))
}

var callNames = map[CallIndex]string{
	CallSetWeights: "set_weights", CallServeAxon: "serve_axon", CallServePrometheus: "serve_prometheus",
	CallRegister: "register", CallBurnedRegister: "burned_register", CallServeAxonTLS: "serve_axon_tls",
	CallRegisterNetwork: "register_network", CallFaucet: "faucet", CallRootRegister: "root_register",
	CallAssociateHotkey: "associate_hotkey", CallStartCall: "start_call", CallCommitWeights: "commit_weights",
	CallRevealWeights: "reveal_weights", CallBatchRevealWeights: "batch_reveal_weights",
	CallTransfer: "transfer", CallTransferAll: "transfer_all", CallSetHyperparameter: "set_hyperparameter",
	CallSetGlobalParameter: "set_global_parameter", CallSudo: "sudo",
	CallAddStake: "add_stake", CallRemoveStake: "remove_stake", CallDecreaseTake: "decrease_take",
	CallIncreaseTake: "increase_take",
}

// Pays reports whether the genesis flat fee applies to a call (subtensor's Pays::Yes). Weights, serving
// and PoW calls are free, as on subtensor.
func Pays(c Call) bool {
	switch c.Index() {
	case CallSetWeights, CallCommitWeights, CallRevealWeights, CallBatchRevealWeights,
		CallServeAxon, CallServeAxonTLS, CallServePrometheus, CallRegister, CallFaucet, CallSudo:
		return false
	}
	return true
}

// U128 is an unsigned 128-bit integer (an IP address on the wire).
type U128 struct{ Hi, Lo uint64 }

// IPv4 returns the U128 of a.b.c.d.
func IPv4(a, b, c, d byte) U128 {
	return U128{Lo: uint64(a)<<24 | uint64(b)<<16 | uint64(c)<<8 | uint64(d)}
}

// SetWeights is subtensor's set_weights (signed by the hotkey).
type SetWeights struct {
	Netuid     uint16
	Dests      []uint16
	Weights    []uint16
	VersionKey uint64
}

// CommitWeights is commit_weights (hotkey): a blake2-256 commit hash (spec/chain.md §4.3).
type CommitWeights struct {
	Netuid uint16
	Hash   [32]byte
}

// RevealWeights is reveal_weights (hotkey).
type RevealWeights struct {
	Netuid     uint16
	Uids       []uint16
	Values     []uint16
	Salt       []uint16
	VersionKey uint64
}

// BatchRevealWeights is batch_reveal_weights (hotkey): parallel lists, one reveal per index.
type BatchRevealWeights struct {
	Netuid      uint16
	Uids        [][]uint16
	Values      [][]uint16
	Salts       [][]uint16
	VersionKeys []uint64
}

// ServeAxon is serve_axon (hotkey).
type ServeAxon struct {
	Netuid                     uint16
	Version                    uint32
	IP                         U128
	Port                       uint16
	IPType                     uint8
	Protocol                   uint8
	Placeholder1, Placeholder2 uint8
}

// ServeAxonTLS is serve_axon_tls (hotkey): serve_axon plus a certificate (algorithm byte ‖ public key).
type ServeAxonTLS struct {
	ServeAxon
	Certificate []byte
}

// ServePrometheus is serve_prometheus (hotkey).
type ServePrometheus struct {
	Netuid  uint16
	Version uint32
	IP      U128
	Port    uint16
	IPType  uint8
}

// Register is the proof-of-work register (signed by the hotkey).
type Register struct {
	Netuid      uint16
	BlockNumber uint64
	Nonce       uint64
	Work        [32]byte
	Hotkey      [32]byte
	Coldkey     [32]byte
}

// BurnedRegister is burned_register (signed by the coldkey, which pays the burn).
type BurnedRegister struct {
	Netuid uint16
	Hotkey [32]byte
}

// RootRegister is root_register (coldkey).
type RootRegister struct{ Hotkey [32]byte }

// AssociateHotkey records coldkey ownership of a hotkey without registering it (coldkey).
type AssociateHotkey struct{ Hotkey [32]byte }

// RegisterNetwork is register_network (coldkey, pays the lock cost).
type RegisterNetwork struct{ Hotkey [32]byte }

// StartCall is start_call (the subnet owner coldkey).
type StartCall struct{ Netuid uint16 }

// Faucet is the dev-chain PoW faucet (any signer; the seal is over the signer).
type Faucet struct {
	BlockNumber uint64
	Nonce       uint64
	Work        [32]byte
}

// Transfer moves Amount rao from the signer to Dest.
type Transfer struct {
	Dest   [32]byte
	Amount uint64
}

// TransferAll moves the signer's whole free balance (less the existential deposit if KeepAlive) to Dest.
type TransferAll struct {
	Dest      [32]byte
	KeepAlive bool
}

// SetHyperparameter sets one subnet hyper-parameter by name. Signed by the subnet owner coldkey it takes
// the owner path (owner-settable parameters only, rate-limited); wrapped in Sudo it takes the root path.
type SetHyperparameter struct {
	Netuid uint16
	Name   string
	Value  uint64
}

// SetGlobalParameter sets a chain-wide knob by name (root only, so only inside Sudo).
type SetGlobalParameter struct {
	Name  string
	Value uint64
}

// AddStake is add_stake (coldkey): stake Amount rao of TAO to Hotkey on Netuid (spec/chain.md §3.2).
type AddStake struct {
	Hotkey [32]byte
	Netuid uint16
	Amount uint64
}

// RemoveStake is remove_stake (coldkey): unstake Amount alpha (rao) from Hotkey on Netuid (§3.3).
type RemoveStake struct {
	Hotkey [32]byte
	Netuid uint16
	Amount uint64
}

// DecreaseTake is decrease_take (the hotkey's owner coldkey): Take is a u16 proportion (§3.6).
type DecreaseTake struct {
	Hotkey [32]byte
	Take   uint16
}

// IncreaseTake is increase_take (the hotkey's owner coldkey).
type IncreaseTake struct {
	Hotkey [32]byte
	Take   uint16
}

// Sudo runs Call with the root origin. Only the genesis sudo account may sign it, and only admin calls
// (SetHyperparameter, SetGlobalParameter) may be wrapped.
type Sudo struct{ Call Call }

func (SetWeights) Index() CallIndex         { return CallSetWeights }
func (CommitWeights) Index() CallIndex      { return CallCommitWeights }
func (RevealWeights) Index() CallIndex      { return CallRevealWeights }
func (BatchRevealWeights) Index() CallIndex { return CallBatchRevealWeights }
func (ServeAxon) Index() CallIndex          { return CallServeAxon }
func (ServeAxonTLS) Index() CallIndex       { return CallServeAxonTLS }
func (ServePrometheus) Index() CallIndex    { return CallServePrometheus }
func (Register) Index() CallIndex           { return CallRegister }
func (BurnedRegister) Index() CallIndex     { return CallBurnedRegister }
func (RootRegister) Index() CallIndex       { return CallRootRegister }
func (AssociateHotkey) Index() CallIndex    { return CallAssociateHotkey }
func (RegisterNetwork) Index() CallIndex    { return CallRegisterNetwork }
func (StartCall) Index() CallIndex          { return CallStartCall }
func (Faucet) Index() CallIndex             { return CallFaucet }
func (Transfer) Index() CallIndex           { return CallTransfer }
func (TransferAll) Index() CallIndex        { return CallTransferAll }
func (SetHyperparameter) Index() CallIndex  { return CallSetHyperparameter }
func (SetGlobalParameter) Index() CallIndex { return CallSetGlobalParameter }
func (Sudo) Index() CallIndex               { return CallSudo }
func (AddStake) Index() CallIndex           { return CallAddStake }
func (RemoveStake) Index() CallIndex        { return CallRemoveStake }
func (DecreaseTake) Index() CallIndex       { return CallDecreaseTake }
func (IncreaseTake) Index() CallIndex       { return CallIncreaseTake }

func (c AddStake) encode(w *codec.Writer)     { w.Raw(c.Hotkey[:]); w.U16(c.Netuid); w.U64(c.Amount) }
func (c RemoveStake) encode(w *codec.Writer)  { w.Raw(c.Hotkey[:]); w.U16(c.Netuid); w.U64(c.Amount) }
func (c DecreaseTake) encode(w *codec.Writer) { w.Raw(c.Hotkey[:]); w.U16(c.Take) }
func (c IncreaseTake) encode(w *codec.Writer) { w.Raw(c.Hotkey[:]); w.U16(c.Take) }

func (c SetWeights) encode(w *codec.Writer) {
	w.U16(c.Netuid)
	w.U16s(c.Dests)
	w.U16s(c.Weights)
	w.U64(c.VersionKey)
}
func (c CommitWeights) encode(w *codec.Writer) { w.U16(c.Netuid); w.Raw(c.Hash[:]) }
func (c RevealWeights) encode(w *codec.Writer) {
	w.U16(c.Netuid)
	w.U16s(c.Uids)
	w.U16s(c.Values)
	w.U16s(c.Salt)
	w.U64(c.VersionKey)
}
func (c BatchRevealWeights) encode(w *codec.Writer) {
	w.U16(c.Netuid)
	for _, l := range [][][]uint16{c.Uids, c.Values, c.Salts} {
		w.Varint(uint64(len(l)))
		for _, v := range l {
			w.U16s(v)
		}
	}
	w.U64s(c.VersionKeys)
}
func (c ServeAxon) encode(w *codec.Writer) {
	w.U16(c.Netuid)
	w.U32(c.Version)
	w.U128(c.IP.Hi, c.IP.Lo)
	w.U16(c.Port)
	w.U8(c.IPType)
	w.U8(c.Protocol)
	w.U8(c.Placeholder1)
	w.U8(c.Placeholder2)
}
func (c ServeAxonTLS) encode(w *codec.Writer) { c.ServeAxon.encode(w); w.VarBytes(c.Certificate) }
func (c ServePrometheus) encode(w *codec.Writer) {
	w.U16(c.Netuid)
	w.U32(c.Version)
	w.U128(c.IP.Hi, c.IP.Lo)
	w.U16(c.Port)
	w.U8(c.IPType)
}
func (c Register) encode(w *codec.Writer) {
	w.U16(c.Netuid)
	w.U64(c.BlockNumber)
	w.U64(c.Nonce)
	w.Raw(c.Work[:])
	w.Raw(c.Hotkey[:])
	w.Raw(c.Coldkey[:])
}
func (c BurnedRegister) encode(w *codec.Writer)  { w.U16(c.Netuid); w.Raw(c.Hotkey[:]) }
func (c RootRegister) encode(w *codec.Writer)    { w.Raw(c.Hotkey[:]) }
func (c AssociateHotkey) encode(w *codec.Writer) { w.Raw(c.Hotkey[:]) }
func (c RegisterNetwork) encode(w *codec.Writer) { w.Raw(c.Hotkey[:]) }
func (c StartCall) encode(w *codec.Writer)       { w.U16(c.Netuid) }
func (c Faucet) encode(w *codec.Writer)          { w.U64(c.BlockNumber); w.U64(c.Nonce); w.Raw(c.Work[:]) }
func (c Transfer) encode(w *codec.Writer)        { w.Raw(c.Dest[:]); w.U64(c.Amount) }
func (c TransferAll) encode(w *codec.Writer)     { w.Raw(c.Dest[:]); w.Bool(c.KeepAlive) }
func (c SetHyperparameter) encode(w *codec.Writer) {
	w.U16(c.Netuid)
	w.String(c.Name)
	w.U64(c.Value)
}
func (c SetGlobalParameter) encode(w *codec.Writer) { w.String(c.Name); w.U64(c.Value) }
func (c Sudo) encode(w *codec.Writer)               { EncodeCall(w, c.Call) }

// EncodeCall writes the call index and the call's fields.
func EncodeCall(w *codec.Writer, c Call) {
	w.U8(uint8(c.Index()))
	c.encode(w)
}

// DecodeCall reads a call written by EncodeCall. Unknown indices fail with ErrUnknownCall.
func DecodeCall(r *codec.Reader) (Call, error) { return decodeCall(r, 0) }

func decodeCall(r *codec.Reader, depth int) (Call, error) {
	idx := CallIndex(r.U8())
	if err := r.Err(); err != nil {
		return nil, err
	}
	var c Call
	switch idx {
	case CallSetWeights:
		c = SetWeights{Netuid: r.U16(), Dests: r.U16s(MaxWeightsLen), Weights: r.U16s(MaxWeightsLen), VersionKey: r.U64()}
	case CallCommitWeights:
		c = CommitWeights{Netuid: r.U16(), Hash: r.Array32()}
	case CallRevealWeights:
		c = RevealWeights{Netuid: r.U16(), Uids: r.U16s(MaxWeightsLen), Values: r.U16s(MaxWeightsLen),
			Salt: r.U16s(MaxSaltLen), VersionKey: r.U64()}
	case CallBatchRevealWeights:
		b := BatchRevealWeights{Netuid: r.U16()}
		lists := make([][][]uint16, 3)
		for i, max := range []int{MaxWeightsLen, MaxWeightsLen, MaxSaltLen} {
			n := r.Len(MaxBatch, 1)
			for j := 0; j < n; j++ {
				lists[i] = append(lists[i], r.U16s(max))
			}
		}
		b.Uids, b.Values, b.Salts = lists[0], lists[1], lists[2]
		b.VersionKeys = r.U64s(MaxBatch)
		c = b
	case CallServeAxon:
		c = decodeAxon(r)
	case CallServeAxonTLS:
		c = ServeAxonTLS{ServeAxon: decodeAxon(r), Certificate: r.VarBytes(MaxCertificateLen)}
	case CallServePrometheus:
		p := ServePrometheus{Netuid: r.U16(), Version: r.U32()}
		p.IP.Hi, p.IP.Lo = r.U128()
		p.Port, p.IPType = r.U16(), r.U8()
		c = p
	case CallRegister:
		c = Register{Netuid: r.U16(), BlockNumber: r.U64(), Nonce: r.U64(), Work: r.Array32(), Hotkey: r.Array32(), Coldkey: r.Array32()}
	case CallBurnedRegister:
		c = BurnedRegister{Netuid: r.U16(), Hotkey: r.Array32()}
	case CallRootRegister:
		c = RootRegister{Hotkey: r.Array32()}
	case CallAssociateHotkey:
		c = AssociateHotkey{Hotkey: r.Array32()}
	case CallRegisterNetwork:
		c = RegisterNetwork{Hotkey: r.Array32()}
	case CallStartCall:
		c = StartCall{Netuid: r.U16()}
	case CallFaucet:
		c = Faucet{BlockNumber: r.U64(), Nonce: r.U64(), Work: r.Array32()}
	case CallTransfer:
		c = Transfer{Dest: r.Array32(), Amount: r.U64()}
	case CallTransferAll:
		c = TransferAll{Dest: r.Array32(), KeepAlive: r.Bool()}
	case CallSetHyperparameter:
		c = SetHyperparameter{Netuid: r.U16(), Name: r.String(MaxNameLen), Value: r.U64()}
	case CallSetGlobalParameter:
		c = SetGlobalParameter{Name: r.String(MaxNameLen), Value: r.U64()}
	case CallAddStake:
		c = AddStake{Hotkey: r.Array32(), Netuid: r.U16(), Amount: r.U64()}
	case CallRemoveStake:
		c = RemoveStake{Hotkey: r.Array32(), Netuid: r.U16(), Amount: r.U64()}
	case CallDecreaseTake:
		c = DecreaseTake{Hotkey: r.Array32(), Take: r.U16()}
	case CallIncreaseTake:
		c = IncreaseTake{Hotkey: r.Array32(), Take: r.U16()}
	case CallSudo:
		if depth > 0 {
			return nil, fmt.Errorf("%w: nested sudo", ErrUnknownCall)
		}
		inner, err := decodeCall(r, depth+1)
		if err != nil {
			return nil, err
		}
		switch inner.(type) {
		case SetHyperparameter, SetGlobalParameter:
		default:
			return nil, fmt.Errorf("%w: %s cannot be wrapped in sudo", ErrUnknownCall, inner.Index().Name())
		}
		c = Sudo{Call: inner}
	default:
		return nil, fmt.Errorf("%w: index %d", ErrUnknownCall, uint8(idx))
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func decodeAxon(r *codec.Reader) ServeAxon {
	a := ServeAxon{Netuid: r.U16(), Version: r.U32()}
	a.IP.Hi, a.IP.Lo = r.U128()
	a.Port, a.IPType, a.Protocol, a.Placeholder1, a.Placeholder2 = r.U16(), r.U8(), r.U8(), r.U8(), r.U8()
	return a
}
