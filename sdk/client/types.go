package client

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gotensor/gotensor/keys"
)

// AccountID is a 32-byte sr25519 public key. Its text form is SS58 (prefix 42); it also reads 0x-hex.
type AccountID [32]byte

// SS58 is the address with the bittensor prefix.
func (a AccountID) SS58() string { return keys.EncodeSS58(a[:], 42) }

// String is the SS58 address.
func (a AccountID) String() string { return a.SS58() }

// Hex is the 0x-hex form.
func (a AccountID) Hex() string { return "0x" + hex.EncodeToString(a[:]) }

// IsZero reports the all-zero account.
func (a AccountID) IsZero() bool { return a == AccountID{} }

// MarshalText writes SS58.
func (a AccountID) MarshalText() ([]byte, error) { return []byte(a.SS58()), nil }

// UnmarshalText reads SS58 or 0x-hex.
func (a *AccountID) UnmarshalText(b []byte) error {
	v, err := ParseAccount(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// ParseAccount reads an SS58 address or 0x-hex public key.
func ParseAccount(s string) (AccountID, error) {
	if strings.HasPrefix(s, "0x") {
		b, err := hex.DecodeString(s[2:])
		if err != nil || len(b) != 32 {
			return AccountID{}, fmt.Errorf("bad account %q: want 32 bytes of hex", s)
		}
		return AccountID(b), nil
	}
	pk, _, err := keys.DecodeSS58(s)
	if err != nil {
		return AccountID{}, fmt.Errorf("bad account %q: %w", s, err)
	}
	return AccountID(pk), nil
}

// Hash is a 32-byte hash (block, transaction, commit) written as 0x-hex.
type Hash [32]byte

// String is the 0x-hex form.
func (h Hash) String() string { return "0x" + hex.EncodeToString(h[:]) }

// MarshalText writes 0x-hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads 0x-hex.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := hex.DecodeString(strings.TrimPrefix(string(b), "0x"))
	if err != nil || len(v) != 32 {
		return fmt.Errorf("bad hash %q: want 32 bytes of hex", b)
	}
	copy(h[:], v)
	return nil
}

// Balance is an amount in rao (1 TAO = 10⁹ rao).
type Balance uint64

// RaoPerTAO is 10⁹.
const RaoPerTAO = 1_000_000_000

// TAO is the amount in TAO as a float (display only).
func (b Balance) TAO() float64 { return float64(b) / RaoPerTAO }

// String renders τ with nine decimals.
func (b Balance) String() string {
	return "τ" + strconv.FormatUint(uint64(b)/RaoPerTAO, 10) + fmt.Sprintf(".%09d", uint64(b)%RaoPerTAO)
}

// TAO converts TAO to rao, truncating like bittensor's Balance.from_tao.
func TAO(t float64) Balance { return Balance(t * RaoPerTAO) }

// BlockRef identifies a committed block.
type BlockRef struct {
	Height    uint64 `json:"height"`
	Hash      Hash   `json:"hash"`
	StateHash Hash   `json:"state_hash"`
	TimeMs    uint64 `json:"time"`
}

// Time is the block's timestamp.
func (b BlockRef) Time() time.Time { return time.UnixMilli(int64(b.TimeMs)) }

// Event is a chain event: a name (docs/chain.md) and its arguments as strings.
type Event struct {
	Name  string `json:"name"`
	Attrs []Attr `json:"attrs,omitempty"`
}

// Attr is one event argument.
type Attr struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Attr returns the named argument ("" if absent).
func (e Event) Attr(key string) string {
	for _, a := range e.Attrs {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// BlockEvent is one event of a block with where it came from.
type BlockEvent struct {
	Phase   string `json:"phase"` // "block" or "tx"
	TxIndex int    `json:"tx_index"`
	TxHash  *Hash  `json:"tx_hash,omitempty"`
	Call    string `json:"call,omitempty"`
	Event
}

// BlockEvents are a block's events.
type BlockEvents struct {
	Height uint64       `json:"height"`
	Hash   Hash         `json:"hash"`
	Events []BlockEvent `json:"events"`
}

// TxResult is a transaction's outcome in a block.
type TxResult struct {
	Code     uint32  `json:"code"`
	Error    string  `json:"error,omitempty"`
	Log      string  `json:"log,omitempty"`
	Included bool    `json:"included"`
	Call     string  `json:"call,omitempty"`
	Events   []Event `json:"events,omitempty"`
	TxHash   Hash    `json:"tx_hash"`
}

// Block is a committed block.
type Block struct {
	Height     uint64     `json:"height"`
	Hash       Hash       `json:"hash"`
	ParentHash Hash       `json:"parent_hash"`
	TimeMs     uint64     `json:"time"`
	StateHash  Hash       `json:"state_hash"`
	Results    []TxResult `json:"results"`
	Events     []Event    `json:"events"`
}

// Receipt is a transaction included in a block.
type Receipt struct {
	Hash      Hash
	Block     uint64
	BlockHash Hash
	Index     int
	Call      string
	Events    []Event
}

// Event returns the first event with the given name.
func (r *Receipt) Event(name string) (Event, bool) {
	for _, e := range r.Events {
		if e.Name == name {
			return e, true
		}
	}
	return Event{}, false
}

// ChainInfo describes the node's chain.
type ChainInfo struct {
	ChainID     string        `json:"chain_id"`
	GenesisHash Hash          `json:"genesis_hash"`
	BlockTime   time.Duration `json:"-"`
	BlockTimeMs int64         `json:"block_time_ms"`
	Archive     bool          `json:"archive"`
	OldestState uint64        `json:"oldest_state"`
	Head        BlockRef      `json:"head"`
	Version     string        `json:"version"`
}

// Param is a named value (hyper-parameter or global).
type Param struct {
	Name  string `json:"name"`
	Value uint64 `json:"value"`
}

// Params is a list of named values.
type Params []Param

// Get returns a value by name.
func (p Params) Get(name string) (uint64, bool) {
	for _, x := range p {
		if x.Name == name {
			return x.Value, true
		}
	}
	return 0, false
}

// Map returns the values by name.
func (p Params) Map() map[string]uint64 {
	m := make(map[string]uint64, len(p))
	for _, x := range p {
		m[x.Name] = x.Value
	}
	return m
}

// SubnetInfo is a subnet's identity, pool and schedule.
type SubnetInfo struct {
	Netuid                    uint16    `json:"netuid"`
	Owner                     AccountID `json:"owner_coldkey"`
	OwnerHotkey               AccountID `json:"owner_hotkey"`
	N                         uint16    `json:"num_uids"`
	MaxUids                   uint64    `json:"max_uids"`
	RegisteredAt              uint64    `json:"network_registered_at"`
	Mechanism                 uint16    `json:"mechanism"`
	TAOIn                     Balance   `json:"tao_in"`
	AlphaIn                   Balance   `json:"alpha_in"`
	AlphaOut                  Balance   `json:"alpha_out"`
	Volume                    Balance   `json:"subnet_volume"`
	Locked                    Balance   `json:"locked"`
	FirstEmissionBlock        uint64    `json:"first_emission_block"`
	SubtokenEnabled           bool      `json:"subtoken_enabled"`
	Burn                      Balance   `json:"burn"`
	Difficulty                uint64    `json:"difficulty"`
	Tempo                     uint16    `json:"tempo"`
	BlocksUntilNextEpoch      uint64    `json:"blocks_until_next_epoch"`
	EpochIndex                uint64    `json:"epoch_index"`
	LastStep                  uint64    `json:"last_step"`
	BlocksSinceLastStep       uint64    `json:"blocks_since_last_step"`
	RegistrationsThisInterval uint16    `json:"registrations_this_interval"`
	RAORecycled               Balance   `json:"rao_recycled_for_registration"`
	// Name and Symbol are the subnet's declared name and token symbol, when the chain has them.
	Name   string `json:"name,omitempty"`
	Symbol string `json:"symbol,omitempty"`
}

// RegistrationCost is what registering on a subnet costs now.
type RegistrationCost struct {
	Burn                Balance `json:"burn"`
	Difficulty          uint64  `json:"difficulty"`
	RegistrationAllowed bool    `json:"registration_allowed"`
	PowAllowed          bool    `json:"pow_registration_allowed"`
	RegistrationsBlock  uint16  `json:"registrations_this_block"`
	RegistrationsIntvl  uint16  `json:"registrations_this_interval"`
	MaxPerBlock         uint64  `json:"max_registrations_per_block"`
	TargetPerInterval   uint64  `json:"target_registrations_per_interval"`
}

// Account is an account's nonce and free balance.
type Account struct {
	Nonce uint64  `json:"nonce"`
	Free  Balance `json:"free"`
}

// u128 is the chain's IP encoding.
type u128 struct{ Hi, Lo uint64 }

func ipFrom(v u128, ipType uint8) netip.Addr {
	switch ipType {
	case 4:
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(v.Lo))
		return netip.AddrFrom4(b)
	case 6:
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], v.Hi)
		binary.BigEndian.PutUint64(b[8:], v.Lo)
		return netip.AddrFrom16(b)
	}
	return netip.Addr{}
}

func ipTo(a netip.Addr) (u128, uint8) {
	if a.Is4() {
		b := a.As4()
		return u128{Lo: uint64(binary.BigEndian.Uint32(b[:]))}, 4
	}
	b := a.As16()
	return u128{Hi: binary.BigEndian.Uint64(b[:8]), Lo: binary.BigEndian.Uint64(b[8:])}, 6
}

// AxonInfo is a neuron's served axon endpoint.
type AxonInfo struct {
	Block        uint64     `json:"block"`
	Version      uint32     `json:"version"`
	IP           netip.Addr `json:"ip"`
	Port         uint16     `json:"port"`
	IPType       uint8      `json:"ip_type"`
	Protocol     uint8      `json:"protocol"`
	Placeholder1 uint8      `json:"placeholder1"`
	Placeholder2 uint8      `json:"placeholder2"`
}

// Served reports whether an axon was served.
func (a AxonInfo) Served() bool { return a.IP.IsValid() && !a.IP.IsUnspecified() && a.Port != 0 }

// Address is bittensor's "/ipv4/1.2.3.4:8091" form.
func (a AxonInfo) Address() string {
	if !a.IP.IsValid() {
		return fmt.Sprintf("/ipv%d/0.0.0.0:%d", max(a.IPType, 4), a.Port)
	}
	return fmt.Sprintf("/ipv%d/%s", a.IPType, netip.AddrPortFrom(a.IP, a.Port))
}

type axonWire struct {
	Block        uint64          `json:"block"`
	Version      uint32          `json:"version"`
	IP           json.RawMessage `json:"ip"`
	Port         uint16          `json:"port"`
	IPType       uint8           `json:"ip_type"`
	Protocol     uint8           `json:"protocol"`
	Placeholder1 uint8           `json:"placeholder1"`
	Placeholder2 uint8           `json:"placeholder2"`
}

// decodeIP reads the node's u128 object or an address string (what MarshalJSON writes).
func decodeIP(raw json.RawMessage, ipType uint8) (netip.Addr, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return netip.Addr{}, nil
	}
	if raw[0] == '"' {
		var a netip.Addr
		err := json.Unmarshal(raw, &a)
		return a, err
	}
	var v u128
	if err := json.Unmarshal(raw, &v); err != nil {
		return netip.Addr{}, err
	}
	return ipFrom(v, ipType), nil
}

// UnmarshalJSON reads the node's shape (ip as a u128) or the SDK's (ip as a string).
func (a *AxonInfo) UnmarshalJSON(b []byte) error {
	var w axonWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	ip, err := decodeIP(w.IP, w.IPType)
	if err != nil {
		return err
	}
	*a = AxonInfo{Block: w.Block, Version: w.Version, IP: ip, Port: w.Port, IPType: w.IPType,
		Protocol: w.Protocol, Placeholder1: w.Placeholder1, Placeholder2: w.Placeholder2}
	return nil
}

// PrometheusInfo is a neuron's served prometheus endpoint.
type PrometheusInfo struct {
	Block   uint64     `json:"block"`
	Version uint32     `json:"version"`
	IP      netip.Addr `json:"ip"`
	Port    uint16     `json:"port"`
	IPType  uint8      `json:"ip_type"`
}

// UnmarshalJSON reads the node's shape (ip as a u128) or the SDK's (ip as a string).
func (p *PrometheusInfo) UnmarshalJSON(b []byte) error {
	var w struct {
		Block   uint64          `json:"block"`
		Version uint32          `json:"version"`
		IP      json.RawMessage `json:"ip"`
		Port    uint16          `json:"port"`
		IPType  uint8           `json:"ip_type"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	ip, err := decodeIP(w.IP, w.IPType)
	if err != nil {
		return err
	}
	*p = PrometheusInfo{Block: w.Block, Version: w.Version, IP: ip, Port: w.Port, IPType: w.IPType}
	return nil
}

// StakeEntry is one (coldkey, stake) pair of a neuron.
type StakeEntry struct {
	Coldkey AccountID `json:"coldkey"`
	Stake   Balance   `json:"stake"`
}

// UIDValue is one (uid, u16 value) entry of a weights or bonds row.
type UIDValue struct {
	UID   uint16 `json:"uid"`
	Value uint16 `json:"value"`
}

// Certificate is a neuron's TLS certificate as served with serve_axon_tls.
type Certificate struct {
	Algorithm uint8  `json:"algorithm"`
	PublicKey []byte `json:"public_key"`
}

// NeuronLite is a neuron without its weights and bonds.
type NeuronLite struct {
	Hotkey              AccountID      `json:"hotkey"`
	Coldkey             AccountID      `json:"coldkey"`
	UID                 uint16         `json:"uid"`
	Netuid              uint16         `json:"netuid"`
	Active              bool           `json:"active"`
	Axon                AxonInfo       `json:"axon_info"`
	Prometheus          PrometheusInfo `json:"prometheus_info"`
	Stake               []StakeEntry   `json:"stake"`
	Rank                uint16         `json:"rank"`
	Emission            Balance        `json:"emission"`
	Incentive           uint16         `json:"incentive"`
	Consensus           uint16         `json:"consensus"`
	Trust               uint16         `json:"trust"`
	ValidatorTrust      uint16         `json:"validator_trust"`
	Dividends           uint16         `json:"dividends"`
	LastUpdate          uint64         `json:"last_update"`
	ValidatorPermit     bool           `json:"validator_permit"`
	PruningScore        uint16         `json:"pruning_score"`
	BlockAtRegistration uint64         `json:"block_at_registration"`
	Certificate         *Certificate   `json:"certificate,omitempty"`
}

// TotalStake is the sum of the neuron's stake entries.
func (n *NeuronLite) TotalStake() Balance {
	var s Balance
	for _, e := range n.Stake {
		s += e.Stake
	}
	return s
}

// Neuron is a neuron with its non-zero weights and bonds.
type Neuron struct {
	NeuronLite
	Weights []UIDValue `json:"weights"`
	Bonds   []UIDValue `json:"bonds"`
}

// WeightCommit is a pending commit-reveal commit.
type WeightCommit struct {
	Hash             Hash   `json:"hash"`
	CommitBlock      uint64 `json:"commit_block"`
	FirstRevealBlock uint64 `json:"first_reveal_block"`
	LastRevealBlock  uint64 `json:"last_reveal_block"`
	// RevealRound is set for a timelocked commit (subtensor): the drand round it opens at; the chain reveals it
	// by itself, and Hash is then the blake2b-256 of the ciphertext.
	RevealRound uint64 `json:"reveal_round,omitempty"`
}

// MetagraphInfo is one subnet's neurons at one block, as columns indexed by uid, with the subnet's
// info and hyper-parameters: what a metagraph sync needs, fetched in one round trip.
type MetagraphInfo struct {
	Netuid              uint16           `json:"netuid"`
	N                   uint16           `json:"n"`
	Block               uint64           `json:"height"`
	Lite                bool             `json:"lite"`
	Hotkeys             []AccountID      `json:"hotkeys"`
	Coldkeys            []AccountID      `json:"coldkeys"`
	AlphaStake          []Balance        `json:"alpha_stake"`
	TaoStake            []Balance        `json:"tao_stake"`
	TotalStake          []Balance        `json:"total_stake"`
	Rank                []uint16         `json:"rank"`
	Trust               []uint16         `json:"trust"`
	Consensus           []uint16         `json:"consensus"`
	ValidatorTrust      []uint16         `json:"validator_trust"`
	Incentive           []uint16         `json:"incentive"`
	Dividends           []uint16         `json:"dividends"`
	Emission            []Balance        `json:"emission"`
	Active              []bool           `json:"active"`
	LastUpdate          []uint64         `json:"last_update"`
	ValidatorPermit     []bool           `json:"validator_permit"`
	BlockAtRegistration []uint64         `json:"block_at_registration"`
	Axons               []AxonInfo       `json:"axons"`
	Prometheus          []PrometheusInfo `json:"prometheus"`
	Weights             [][]UIDValue     `json:"weights,omitempty"`
	Bonds               [][]UIDValue     `json:"bonds,omitempty"`
	Subnet              SubnetInfo       `json:"subnet"`
	Hyperparameters     Params           `json:"hyperparameters"`
	// Identities are the coldkeys' declared identity names by uid ("" for none), when the chain has them.
	Identities []string `json:"identities,omitempty"`
}

// metagraphWire is state_metagraph's shape: weights and bonds rows come packed (docs/rpc.md).
// The axon and prometheus columns are decoded without AxonInfo's custom unmarshaler (which would
// re-scan each object): a large metagraph decodes several times faster so.
type metagraphWire struct {
	MetagraphInfo
	AxonsNode      []axonNode `json:"axons"`
	PrometheusNode []promNode `json:"prometheus"`
	WeightsPacked  [][]byte   `json:"weights_packed"`
	BondsPacked    [][]byte   `json:"bonds_packed"`
}

type axonNode struct {
	Block        uint64 `json:"block"`
	Version      uint32 `json:"version"`
	IP           u128   `json:"ip"`
	Port         uint16 `json:"port"`
	IPType       uint8  `json:"ip_type"`
	Protocol     uint8  `json:"protocol"`
	Placeholder1 uint8  `json:"placeholder1"`
	Placeholder2 uint8  `json:"placeholder2"`
}

type promNode struct {
	Block   uint64 `json:"block"`
	Version uint32 `json:"version"`
	IP      u128   `json:"ip"`
	Port    uint16 `json:"port"`
	IPType  uint8  `json:"ip_type"`
}

func (w *metagraphWire) info() *MetagraphInfo {
	m := w.MetagraphInfo
	m.Axons = make([]AxonInfo, len(w.AxonsNode))
	for i, a := range w.AxonsNode {
		m.Axons[i] = AxonInfo{Block: a.Block, Version: a.Version, IP: ipFrom(a.IP, a.IPType), Port: a.Port, IPType: a.IPType,
			Protocol: a.Protocol, Placeholder1: a.Placeholder1, Placeholder2: a.Placeholder2}
	}
	m.Prometheus = make([]PrometheusInfo, len(w.PrometheusNode))
	for i, p := range w.PrometheusNode {
		m.Prometheus[i] = PrometheusInfo{Block: p.Block, Version: p.Version, IP: ipFrom(p.IP, p.IPType), Port: p.Port, IPType: p.IPType}
	}
	if w.WeightsPacked != nil {
		m.Weights = unpackRows(w.WeightsPacked)
	}
	if w.BondsPacked != nil {
		m.Bonds = unpackRows(w.BondsPacked)
	}
	return &m
}

func unpackRows(rows [][]byte) [][]UIDValue {
	total := 0
	for _, r := range rows {
		total += len(r) / 4
	}
	all := make([]UIDValue, total)
	out := make([][]UIDValue, len(rows))
	for i, r := range rows {
		n := len(r) / 4
		row := all[:n:n]
		all = all[n:]
		for j := range row {
			row[j] = UIDValue{UID: binary.LittleEndian.Uint16(r[4*j:]), Value: binary.LittleEndian.Uint16(r[4*j+2:])}
		}
		out[i] = row
	}
	return out
}

// StakeInfo is one (hotkey, netuid) stake position of a coldkey.
type StakeInfo struct {
	Hotkey AccountID `json:"hotkey"`
	Netuid uint16    `json:"netuid"`
	Stake  Balance   `json:"stake"` // alpha rao (TAO rao on root)
}
