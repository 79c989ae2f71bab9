package runtime

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Queries: pure reads of the committed state (or of the block in progress, while one is open). The node
// exposes them over RPC; Query is the path-based form.

// Balance is an account's free balance in rao.
func (r *Runtime) Balance(a [32]byte) uint64 { return r.view().balance(a) }

// Account is an account's nonce and free balance.
func (r *Runtime) Account(a [32]byte) AccountInfo { return r.view().account(a) }

// TotalIssuance is the TAO in existence (rao).
func (r *Runtime) TotalIssuance() uint64 { return r.view().u64(key(kTotalIssuance)) }

// Subnets lists the netuids that exist, ascending (root included).
func (r *Runtime) Subnets() []uint16 { return r.view().subnets() }

// Global reads a chain-wide parameter.
func (r *Runtime) Global(name string) uint64 { return r.view().global(name) }

// Globals lists every chain-wide parameter's current value, by name.
func (r *Runtime) Globals() []Param {
	s := r.view()
	var out []Param
	for _, g := range GlobalParameters() {
		out = append(out, Param{g.Name, s.global(g.Name)})
	}
	return out
}

// LockCost is the current register_network price.
func (r *Runtime) LockCost() uint64 { return r.view().lockCost(r.Height()) }

// Owner is the coldkey that owns hotkey.
func (r *Runtime) Owner(hotkey [32]byte) ([32]byte, bool) { return r.view().acct(kA(kOwner, hotkey)) }

// SubnetInfo is a subnet's identity, pool and schedule.
type SubnetInfo struct {
	Netuid                uint16 `json:"netuid"`
	Owner                 Hex32  `json:"owner_coldkey"`
	OwnerHotkey           Hex32  `json:"owner_hotkey"`
	N                     uint16 `json:"num_uids"`
	MaxUids               uint64 `json:"max_uids"`
	RegisteredAt          uint64 `json:"network_registered_at"`
	Mechanism             uint16 `json:"mechanism"`
	TAO                   uint64 `json:"tao_in"`
	AlphaIn               uint64 `json:"alpha_in"`
	AlphaOut              uint64 `json:"alpha_out"`
	Volume                uint64 `json:"subnet_volume"`
	Locked                uint64 `json:"locked"`
	FirstEmissionBlock    uint64 `json:"first_emission_block"`
	SubtokenEnabled       bool   `json:"subtoken_enabled"`
	Burn                  uint64 `json:"burn"`
	Difficulty            uint64 `json:"difficulty"`
	Tempo                 uint16 `json:"tempo"`
	BlocksUntilNextEpoch  uint64 `json:"blocks_until_next_epoch"`
	EpochIndex            uint64 `json:"epoch_index"`
	LastStep              uint64 `json:"last_step"`
	BlocksSinceLastStep   uint64 `json:"blocks_since_last_step"`
	RegistrationsThisIntv uint16 `json:"registrations_this_interval"`
	RAORecycled           uint64 `json:"rao_recycled_for_registration"`
}

// SubnetInfo returns netuid's info (false if it does not exist).
func (r *Runtime) SubnetInfo(netuid uint16) (SubnetInfo, bool) {
	s := r.view()
	if !s.subnetExists(netuid) {
		return SubnetInfo{}, false
	}
	now := r.Height()
	owner0, _ := s.acct(kN(kSubnetOwner, netuid))
	ownerHot0, _ := s.acct(kN(kSubnetOwnerHot, netuid))
	owner, ownerHot := Hex32(owner0), Hex32(ownerHot0)
	tempo := s.hp16(netuid, HPTempo)
	last := s.u64(kN(kLastStepBlock, netuid))
	return SubnetInfo{
		Netuid: netuid, Owner: owner, OwnerHotkey: ownerHot, N: s.u16(kN(kSubnetworkN, netuid)),
		MaxUids: s.hp(netuid, HPMaxAllowedUids), RegisteredAt: s.u64(kN(kRegisteredAt, netuid)),
		Mechanism: s.u16(kN(kSubnetMechanism, netuid)), TAO: s.u64(kN(kSubnetTAO, netuid)),
		AlphaIn: s.u64(kN(kSubnetAlphaIn, netuid)), AlphaOut: s.u64(kN(kSubnetAlphaOut, netuid)),
		Volume: s.u64(kN(kSubnetVolume, netuid)), Locked: s.u64(kN(kSubnetLocked, netuid)),
		FirstEmissionBlock: s.u64(kN(kFirstEmission, netuid)), SubtokenEnabled: s.hpBool(netuid, HPSubtokenEnabled),
		Burn: s.hp(netuid, HPBurn), Difficulty: s.hp(netuid, HPDifficulty), Tempo: tempo,
		BlocksUntilNextEpoch: BlocksUntilNextEpoch(netuid, tempo, now), EpochIndex: EpochIndex(netuid, tempo, now),
		LastStep: last, BlocksSinceLastStep: satSub(now, last),
		RegistrationsThisIntv: s.u16(kN(kRegsThisIntvl, netuid)), RAORecycled: s.u64(kN(kRAORecycled, netuid)),
	}, true
}

// Hyperparameters returns every hyper-parameter of netuid by name, in id order.
func (r *Runtime) Hyperparameters(netuid uint16) ([]Param, bool) {
	s := r.view()
	if !s.subnetExists(netuid) {
		return nil, false
	}
	out := make([]Param, 0, len(hyperParams))
	for _, p := range hyperParams {
		out = append(out, Param{p.name, s.hp(netuid, p.id)})
	}
	return out, true
}

// Hyperparameter reads one hyper-parameter by name.
func (r *Runtime) Hyperparameter(netuid uint16, name string) (uint64, bool) {
	p := hpByName[name]
	if p == nil || !r.view().subnetExists(netuid) {
		return 0, false
	}
	return r.view().hp(netuid, p.id), true
}

// RegistrationCost is what registering on netuid costs now.
type RegistrationCost struct {
	Burn                uint64 `json:"burn"`
	Difficulty          uint64 `json:"difficulty"`
	RegistrationAllowed bool   `json:"registration_allowed"`
	PowAllowed          bool   `json:"pow_registration_allowed"`
	RegistrationsBlock  uint16 `json:"registrations_this_block"`
	RegistrationsIntvl  uint16 `json:"registrations_this_interval"`
	MaxPerBlock         uint64 `json:"max_registrations_per_block"`
	TargetPerInterval   uint64 `json:"target_registrations_per_interval"`
}

// RegistrationCost returns netuid's burn, difficulty and counters.
func (r *Runtime) RegistrationCost(netuid uint16) (RegistrationCost, bool) {
	s := r.view()
	if !s.subnetExists(netuid) {
		return RegistrationCost{}, false
	}
	return RegistrationCost{
		Burn: s.hp(netuid, HPBurn), Difficulty: s.hp(netuid, HPDifficulty),
		RegistrationAllowed: s.hpBool(netuid, HPRegistrationAllowed), PowAllowed: s.hpBool(netuid, HPPowRegistrationAllowed),
		RegistrationsBlock: s.u16(kN(kRegsThisBlock, netuid)), RegistrationsIntvl: s.u16(kN(kRegsThisIntvl, netuid)),
		MaxPerBlock: s.hp(netuid, HPMaxRegistrationsPerBlock), TargetPerInterval: s.hp(netuid, HPTargetRegistrationsPerInterval),
	}, true
}

// StakeEntry is one (coldkey, stake) pair of NeuronInfo.stake.
type StakeEntry struct {
	Coldkey Hex32  `json:"coldkey"`
	Stake   uint64 `json:"stake"`
}

// NeuronInfoLite is spec/chain.md §9's NeuronInfoLite (rank and trust are always 0, pruning_score 65535).
type NeuronInfoLite struct {
	Hotkey              Hex32              `json:"hotkey"`
	Coldkey             Hex32              `json:"coldkey"`
	Uid                 uint16             `json:"uid"`
	Netuid              uint16             `json:"netuid"`
	Active              bool               `json:"active"`
	Axon                AxonInfo           `json:"axon_info"`
	Prometheus          PrometheusInfo     `json:"prometheus_info"`
	Stake               []StakeEntry       `json:"stake"`
	Rank                uint16             `json:"rank"`
	Emission            uint64             `json:"emission"`
	Incentive           uint16             `json:"incentive"`
	Consensus           uint16             `json:"consensus"`
	Trust               uint16             `json:"trust"`
	ValidatorTrust      uint16             `json:"validator_trust"`
	Dividends           uint16             `json:"dividends"`
	LastUpdate          uint64             `json:"last_update"`
	ValidatorPermit     bool               `json:"validator_permit"`
	PruningScore        uint16             `json:"pruning_score"`
	BlockAtRegistration uint64             `json:"block_at_registration"`
	Certificate         *NeuronCertificate `json:"certificate,omitempty"`
}

// NeuronInfo is NeuronInfoLite plus the non-zero weights and bonds rows.
type NeuronInfo struct {
	NeuronInfoLite
	Weights []WeightEntry `json:"weights"`
	Bonds   []WeightEntry `json:"bonds"`
}

func nonZero(row []WeightEntry) []WeightEntry {
	out := []WeightEntry{}
	for _, e := range row {
		if e.Value != 0 {
			out = append(out, e)
		}
	}
	return out
}

func (s st) neuronLite(netuid, uid uint16) (NeuronInfoLite, bool) {
	hot, ok := s.acct(kNU(kKeys, netuid, uid))
	if !ok {
		return NeuronInfoLite{}, false
	}
	cold, _ := s.acct(kA(kOwner, hot))
	axon, _ := s.axon(netuid, hot)
	prom, _ := s.prometheus(netuid, hot)
	n := NeuronInfoLite{
		Hotkey: Hex32(hot), Coldkey: Hex32(cold), Uid: uid, Netuid: netuid, Active: s.vecBool(kActive, netuid, uid),
		Axon: axon, Prometheus: prom,
		Stake:           []StakeEntry{{Hex32(cold), s.u64(kAN(kTotalHotkeyAlph, hot, netuid))}},
		Emission:        s.vecU64(kEmission, netuid, uid),
		Incentive:       s.vecU16(kIncentive, netuid, uid),
		Consensus:       s.vecU16(kConsensus, netuid, uid),
		ValidatorTrust:  s.vecU16(kValidatorTrust, netuid, uid),
		Dividends:       s.vecU16(kDividends, netuid, uid),
		LastUpdate:      s.vecU64(kLastUpdate, netuid, uid),
		ValidatorPermit: s.vecBool(kValidatorPermit, netuid, uid),
		PruningScore:    u16max, BlockAtRegistration: s.vecU64(kBlockAtReg, netuid, uid),
	}
	if c, ok := s.certificate(netuid, hot); ok {
		n.Certificate = &c
	}
	return n, true
}

// NeuronLite returns the lite view of uid on netuid.
func (r *Runtime) NeuronLite(netuid, uid uint16) (NeuronInfoLite, bool) {
	return r.view().neuronLite(netuid, uid)
}

// Neuron returns the full view of uid on netuid.
func (r *Runtime) Neuron(netuid, uid uint16) (NeuronInfo, bool) {
	s := r.view()
	lite, ok := s.neuronLite(netuid, uid)
	if !ok {
		return NeuronInfo{}, false
	}
	return NeuronInfo{lite, nonZero(s.row(kWeights, netuid, uid)), nonZero(s.row(kBonds, netuid, uid))}, true
}

// NeuronByHotkey returns the full view of the hotkey's neuron on netuid.
func (r *Runtime) NeuronByHotkey(netuid uint16, hotkey [32]byte) (NeuronInfo, bool) {
	uid, ok := r.view().uidOf(netuid, hotkey)
	if !ok {
		return NeuronInfo{}, false
	}
	return r.Neuron(netuid, uid)
}

// NeuronsLite lists uid 0..n−1 of netuid, stopping at the first missing key.
func (r *Runtime) NeuronsLite(netuid uint16) []NeuronInfoLite {
	s := r.view()
	n := s.u16(kN(kSubnetworkN, netuid))
	out := []NeuronInfoLite{}
	for uid := uint16(0); uid < n; uid++ {
		ni, ok := s.neuronLite(netuid, uid)
		if !ok {
			break
		}
		out = append(out, ni)
	}
	return out
}

// Uid returns the hotkey's uid on netuid.
func (r *Runtime) Uid(netuid uint16, hotkey [32]byte) (uint16, bool) {
	return r.view().uidOf(netuid, hotkey)
}

// WeightsRow returns the stored (upscaled) weights row set by uid, zeros included, in stored order.
func (r *Runtime) WeightsRow(netuid, uid uint16) []WeightEntry {
	return r.view().row(kWeights, netuid, uid)
}

// PendingCommits returns the hotkey's unrevealed weight commits on netuid, oldest first.
func (r *Runtime) PendingCommits(netuid uint16, hotkey [32]byte) []WeightCommit {
	q, _ := r.view().commits(netuid, hotkey)
	return q
}

// Query answers a path with JSON. Paths (accounts as 0x-hex):
//
//	balance/<acct>  account/<acct>  issuance  globals  lock_cost  subnets  subnet/<netuid>
//	hyperparameters/<netuid>  registration/<netuid>  neuron/<netuid>/<uid>
//	neuron_by_hotkey/<netuid>/<acct>  neurons_lite/<netuid>  commits/<netuid>/<acct>  owner/<acct>
//	stake/<hotkey>/<coldkey>/<netuid>  stake_for_coldkey/<acct>  delegate_take/<acct>  metagraph/<netuid>
//	metagraph_full/<netuid>  subnets_emission  pending/<netuid>  block_emission  total_stake
func (r *Runtime) Query(path string) ([]byte, error) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	arg := func(i int) string {
		if i < len(parts) {
			return parts[i]
		}
		return ""
	}
	netuid := func(i int) (uint16, error) {
		v, err := strconv.ParseUint(arg(i), 10, 16)
		return uint16(v), err
	}
	acct := func(i int) ([32]byte, error) { return ParseAccount(arg(i)) }
	var out any
	found := true
	switch parts[0] {
	case "balance", "account", "owner":
		a, err := acct(1)
		if err != nil {
			return nil, err
		}
		switch parts[0] {
		case "balance":
			out = r.Balance(a)
		case "account":
			out = r.Account(a)
		default:
			out, found = r.Owner(a)
		}
	case "issuance":
		out = r.TotalIssuance()
	case "block_emission":
		out = r.BlockEmission()
	case "total_stake":
		out = r.TotalStake()
	case "subnets_emission":
		out = r.SubnetsWithEmission()
	case "stake_for_coldkey", "delegate_take":
		a, err := acct(1)
		if err != nil {
			return nil, err
		}
		if parts[0] == "delegate_take" {
			out = r.DelegateTake(a)
		} else {
			out = r.StakeForColdkey(a)
		}
	case "stake":
		h, err1 := acct(1)
		cold, err2 := acct(2)
		n, err3 := netuid(3)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("query %s: want stake/<hotkey>/<coldkey>/<netuid>", path)
		}
		out = r.Stake(h, cold, n)
	case "metagraph", "metagraph_full", "pending":
		n, err := netuid(1)
		if err != nil {
			return nil, fmt.Errorf("query %s: bad netuid %q", path, arg(1))
		}
		if parts[0] == "pending" {
			out = r.Pending(n)
		} else {
			out, found = r.Metagraph(n, parts[0] == "metagraph_full")
		}
	case "globals":
		out = r.Globals()
	case "lock_cost":
		out = r.LockCost()
	case "subnets":
		out = r.Subnets()
	case "subnet", "hyperparameters", "registration", "neurons_lite":
		n, err := netuid(1)
		if err != nil {
			return nil, fmt.Errorf("query %s: bad netuid %q", path, arg(1))
		}
		switch parts[0] {
		case "subnet":
			out, found = r.SubnetInfo(n)
		case "hyperparameters":
			out, found = r.Hyperparameters(n)
		case "registration":
			out, found = r.RegistrationCost(n)
		default:
			out = r.NeuronsLite(n)
		}
	case "neuron":
		n, err1 := netuid(1)
		u, err2 := netuid(2)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("query %s: want neuron/<netuid>/<uid>", path)
		}
		out, found = r.Neuron(n, u)
	case "neuron_by_hotkey", "commits":
		n, err := netuid(1)
		if err != nil {
			return nil, fmt.Errorf("query %s: bad netuid", path)
		}
		a, err := acct(2)
		if err != nil {
			return nil, err
		}
		if parts[0] == "commits" {
			out = r.PendingCommits(n, a)
		} else {
			out, found = r.NeuronByHotkey(n, a)
		}
	default:
		return nil, fmt.Errorf("query: unknown path %q", path)
	}
	if !found {
		return []byte("null"), nil
	}
	return json.Marshal(out)
}

// ParseAccount reads a 0x-prefixed (or bare) 64-digit hex account id.
func ParseAccount(s string) ([32]byte, error) {
	var a [32]byte
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 32 {
		return a, fmt.Errorf("bad account %q: want 32 bytes of hex", s)
	}
	copy(a[:], b)
	return a, nil
}
