// Package subtensor knows the subtensor runtime's names: its runtime-API functions, storage items and
// calls, and the plain Go types their answers decode into (uids, 32-byte keys, rao amounts, axon
// addresses). Layouts are never hard-coded: every answer is decoded through the runtime's own metadata by
// field name (package codec), so a runtime upgrade that adds fields keeps working and one that removes a
// needed field fails with an error naming it.
package subtensor

import (
	"encoding/binary"
	"encoding/hex"
	"net/netip"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/substrate/scale"
)

// AccountID is a 32-byte account (an sr25519 or ed25519 public key).
type AccountID [32]byte

// SS58 is the account's address with Bittensor's prefix 42.
func (a AccountID) SS58() string { return keys.EncodeSS58(a[:], keys.DefaultSS58Prefix) }

// String is the SS58 address.
func (a AccountID) String() string { return a.SS58() }

// Hex is the account as 0x-prefixed hex.
func (a AccountID) Hex() string { return "0x" + hex.EncodeToString(a[:]) }

// IsZero reports whether every byte is zero (an unset account).
func (a AccountID) IsZero() bool { return a == AccountID{} }

// AxonInfo is where a neuron serves.
type AxonInfo struct {
	Block        uint64 // block of the last serve_axon
	Version      uint32
	IP           netip.Addr // invalid when never served
	Port         uint16
	IPType       uint8 // 4 or 6
	Protocol     uint8
	Placeholder1 uint8
	Placeholder2 uint8
}

// Served reports whether the neuron ever announced an address.
func (a AxonInfo) Served() bool { return a.IP.IsValid() && !a.IP.IsUnspecified() }

// AddrPort is IP:port.
func (a AxonInfo) AddrPort() netip.AddrPort { return netip.AddrPortFrom(a.IP, a.Port) }

// PrometheusInfo is where a neuron exposes metrics.
type PrometheusInfo struct {
	Block   uint64
	Version uint32
	IP      netip.Addr
	Port    uint16
	IPType  uint8
}

// StakeEntry is one staker's stake on a hotkey, in rao.
type StakeEntry struct {
	Account AccountID
	Amount  uint64
}

// NeuronLite is one uid of a subnet without its weight and bond rows.
type NeuronLite struct {
	UID, NetUID     uint16
	Hotkey, Coldkey AccountID
	Active          bool
	Axon            AxonInfo
	Prometheus      PrometheusInfo
	Stake           []StakeEntry
	TotalStake      uint64 // sum of Stake
	Emission        uint64 // rao per tempo
	// Rank, Incentive, Consensus, Trust, ValidatorTrust, Dividends and PruningScore are u16 fractions of
	// 65535. Rank, Trust and PruningScore are kept by the runtime for compatibility only.
	Rank, Incentive, Consensus, Trust, ValidatorTrust, Dividends, PruningScore uint16
	LastUpdate                                                                 uint64
	ValidatorPermit                                                            bool
}

// UIDValue is one (uid, u16 value) entry of a weight or bond row.
type UIDValue struct {
	UID, Value uint16
}

// Neuron is a uid with its weight and bond rows.
type Neuron struct {
	NeuronLite
	Weights, Bonds []UIDValue
}

// UIDState is the per-uid state that get_subnet_state and the metagraph carry.
type UIDState struct {
	UID                                          uint16
	Hotkey, Coldkey                              AccountID
	Active, ValidatorPermit                      bool
	PruningScore                                 uint16
	LastUpdate, Emission                         uint64
	Dividends, Incentive, Consensus, Trust, Rank uint16
	BlockAtRegistration                          uint64
	AlphaStake, TaoStake, TotalStake             uint64
}

// SubnetState is get_subnet_state: every uid's state, plus each uid's emission history.
type SubnetState struct {
	NetUID          uint16
	Neurons         []UIDState
	EmissionHistory [][]uint64
}

// Hyperparameters are a subnet's tunables. Fields a source does not carry stay zero.
type Hyperparameters struct {
	Tempo                                              uint16
	Rho, Kappa                                         uint16
	ImmunityPeriod, MinAllowedWeights, MaxWeightsLimit uint16
	MinDifficulty, MaxDifficulty, Difficulty           uint64
	WeightsVersion, WeightsRateLimit                   uint64
	AdjustmentInterval, ActivityCutoff                 uint16
	AdjustmentAlpha                                    uint64
	RegistrationAllowed, PowRegistrationAllowed        bool
	TargetRegsPerInterval, MaxRegsPerBlock             uint16
	Burn, MinBurn, MaxBurn                             uint64
	BondsMovingAvg, ServingRateLimit                   uint64
	MaxValidators, MaxUIDs                             uint16
	CommitRevealEnabled                                bool
	CommitRevealPeriod                                 uint64
	LiquidAlphaEnabled                                 bool
	AlphaHigh, AlphaLow                                uint16
}

// SubnetIdentity is a subnet's self-declared identity.
type SubnetIdentity struct {
	Name, GithubRepo, Contact, URL, Discord, Description, LogoURL, Additional string
}

// ChainIdentity is a coldkey's self-declared identity.
type ChainIdentity struct {
	Name, URL, GithubRepo, Image, Discord, Description, Additional string
}

// MetagraphNeuron is one uid of a metagraph.
type MetagraphNeuron struct {
	UIDState
	Axon     AxonInfo
	Identity *ChainIdentity // nil when the coldkey declared none
}

// HotkeyAmount is an amount (rao) credited to a hotkey.
type HotkeyAmount struct {
	Hotkey AccountID
	Amount uint64
}

// Commitment is a hotkey's committed data.
type Commitment struct {
	Hotkey AccountID
	Data   []byte
}

// Metagraph is a whole subnet (one mechanism of it) read in one runtime call.
type Metagraph struct {
	NetUID                            uint16
	Mechanism                         uint8
	Name, Symbol                      string
	Identity                          *SubnetIdentity
	NetworkRegisteredAt               uint64
	OwnerHotkey, OwnerColdkey         AccountID
	Block                             uint64
	LastStep, BlocksSinceLastStep     uint64
	SubnetEmission                    uint64
	AlphaIn, AlphaOut, TaoIn          uint64
	AlphaOutEmission, AlphaInEmission uint64
	TaoInEmission                     uint64
	PendingAlphaEmission              uint64
	PendingRootEmission               uint64
	SubnetVolume                      scale.U128
	// MovingPrice is the raw bits of an I96F32 fixed-point number (value = bits / 2^32).
	MovingPrice     scale.U128
	Hyperparameters Hyperparameters
	NumUIDs         uint16
	Neurons         []MetagraphNeuron
	TaoDividends    []HotkeyAmount
	AlphaDividends  []HotkeyAmount
	Validators      []uint16
	Commitments     []Commitment
}

// DecodeIP turns the runtime's u128 address and ip type into an address.
func DecodeIP(ip scale.U128, ipType uint8) netip.Addr {
	switch ipType {
	case 4:
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(ip.Lo))
		return netip.AddrFrom4(b)
	case 6:
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], ip.Hi)
		binary.BigEndian.PutUint64(b[8:], ip.Lo)
		return netip.AddrFrom16(b)
	}
	return netip.Addr{}
}

// EncodeIP turns an address into the runtime's u128 and ip type.
func EncodeIP(a netip.Addr) (scale.U128, uint8) {
	if a.Is4() || a.Is4In6() {
		b := a.Unmap().As4()
		return scale.U128{Lo: uint64(binary.BigEndian.Uint32(b[:]))}, 4
	}
	b := a.As16()
	return scale.U128{Hi: binary.BigEndian.Uint64(b[:8]), Lo: binary.BigEndian.Uint64(b[8:])}, 6
}

// SubnetInfo summarises one subnet (get_subnets_info_v2).
type SubnetInfo struct {
	NetUID                             uint16
	Owner                              AccountID
	Tempo                              uint16
	NumUIDs, MaxUIDs                   uint16
	MaxValidators                      uint16
	ImmunityPeriod                     uint16
	MinAllowedWeights, MaxWeightsLimit uint16
	Rho, Kappa                         uint16
	Difficulty, Burn                   uint64
	EmissionValue                      uint64
	BlocksSinceLastStep                uint64
	Identity                           *SubnetIdentity
}

// StakeInfo is one (hotkey, coldkey, subnet) stake position.
type StakeInfo struct {
	Hotkey, Coldkey AccountID
	NetUID          uint16
	Stake           uint64 // alpha, in rao units
	Locked          uint64
	Emission        uint64
	TaoEmission     uint64
	Drain           uint64
	IsRegistered    bool
}

// DynamicInfo is a subnet's pool and emission state (dynamic TAO).
type DynamicInfo struct {
	NetUID                            uint16
	OwnerHotkey, OwnerColdkey         AccountID
	Name, Symbol                      string
	Tempo                             uint16
	LastStep, BlocksSinceLastStep     uint64
	Emission                          uint64
	AlphaIn, AlphaOut, TaoIn          uint64 // pool reserves and outstanding alpha, rao units
	AlphaOutEmission, AlphaInEmission uint64
	TaoInEmission                     uint64
	PendingAlphaEmission              uint64
	PendingRootEmission               uint64
	SubnetVolume                      scale.U128
	NetworkRegisteredAt               uint64
	Identity                          *SubnetIdentity
	MovingPrice                       scale.U128 // raw I96F32 bits
}
