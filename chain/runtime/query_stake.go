package runtime

import (
	"encoding/binary"
	"sync"

	"github.com/gotensor/gotensor/chain/fixed"
)

func le16(v []byte, i int) uint16 {
	if 2*i+2 > len(v) {
		return 0
	}
	return binary.LittleEndian.Uint16(v[2*i:])
}

func le64(v []byte, i int) uint64 {
	if 8*i+8 > len(v) {
		return 0
	}
	return binary.LittleEndian.Uint64(v[8*i:])
}

func fixedI64F64String(hi, lo uint64) string { return fixed.I64F64FromRaw(hi, lo).String() }

// Queries of stake, emission and the metagraph (read-only).

// Stake is the coldkey's stake on (hotkey, netuid): alpha rao on a subnet, TAO rao on root.
func (r *Runtime) Stake(hotkey, coldkey [32]byte, netuid uint16) uint64 {
	return r.view().pool(hotkey, netuid).valueOf(coldkey)
}

// HotkeyStake is the hotkey's whole pool on netuid (TotalHotkeyAlpha).
func (r *Runtime) HotkeyStake(hotkey [32]byte, netuid uint16) uint64 {
	return r.view().u64(kAN(kTotalHotkeyAlph, hotkey, netuid))
}

// StakeWeightOf is ⌊alpha + tao_weight × root stake⌋ of hotkey on netuid (the weights calls' check).
func (r *Runtime) StakeWeightOf(hotkey [32]byte, netuid uint16) uint64 {
	return stakeWeight(r.view(), netuid, hotkey)
}

// DelegateTake is the hotkey's take (u16 proportion).
func (r *Runtime) DelegateTake(hotkey [32]byte) uint16 { return r.view().delegateTake(hotkey) }

// TotalStake is the TAO held by every pool (root included).
func (r *Runtime) TotalStake() uint64 { return r.view().u64(key(kTotalStake)) }

// StakeInfo is one (hotkey, netuid) position of a coldkey.
type StakeInfo struct {
	Hotkey Hex32  `json:"hotkey"`
	Netuid uint16 `json:"netuid"`
	Stake  uint64 `json:"stake"` // alpha rao (TAO rao on root)
}

// StakeForColdkey lists the coldkey's non-zero stakes, by hotkey then netuid.
func (r *Runtime) StakeForColdkey(coldkey [32]byte) []StakeInfo {
	s := r.view()
	out := []StakeInfo{}
	nets := s.subnets()
	p := key(kStakingHotkeys).acct(coldkey)
	var hots [][32]byte
	iteratePrefix(s, p, func(k, _ []byte) {
		var h [32]byte
		copy(h[:], k[len(p):])
		hots = append(hots, h)
	})
	for _, h := range hots {
		for _, n := range nets {
			if v := s.pool(h, n).valueOf(coldkey); v > 0 {
				out = append(out, StakeInfo{Hex32(h), n, v})
			}
		}
	}
	return out
}

// PendingEmission is a subnet's accumulated, not yet distributed emission (alpha rao).
type PendingEmission struct {
	Server    uint64 `json:"server"`
	Validator uint64 `json:"validator"`
	Root      uint64 `json:"root"`
	OwnerCut  uint64 `json:"owner_cut"`
}

// Pending returns netuid's pending emission.
func (r *Runtime) Pending(netuid uint16) PendingEmission {
	p := r.view().pending(netuid)
	return PendingEmission{p.server, p.validator, p.root, p.ownerCut}
}

// BlockEmission is the TAO emitted per block at the current issuance.
func (r *Runtime) BlockEmission() uint64 {
	return BlockEmissionForIssuance(r.TotalIssuance())
}

// SubnetEmission is one row of the subnet list with emissions.
type SubnetEmission struct {
	Netuid         uint16 `json:"netuid"`
	N              uint16 `json:"num_uids"`
	Tempo          uint16 `json:"tempo"`
	Emitting       bool   `json:"emitting"`
	TaoIn          uint64 `json:"tao_in_emission"`   // this block's TAO injection
	AlphaIn        uint64 `json:"alpha_in_emission"` // this block's alpha injection into the pool
	AlphaOut       uint64 `json:"alpha_out_emission"`
	TaoReserve     uint64 `json:"tao_in"`
	AlphaReserve   uint64 `json:"alpha_in"`
	AlphaOutstand  uint64 `json:"alpha_out"`
	MovingPriceRaw uint64 `json:"moving_price_raw"` // I96F32 raw low word (value / 2^32)
	EmaTaoFlowRaw  string `json:"ema_tao_flow"`     // I64F64, decimal
	AlphaBurned    uint64 `json:"alpha_burned"`
	Pending        PendingEmission
}

// SubnetsWithEmission lists every subnet with its emission figures.
func (r *Runtime) SubnetsWithEmission() []SubnetEmission {
	s := r.view()
	emit := map[uint16]bool{}
	for _, n := range s.emittingSubnets() {
		emit[n] = true
	}
	var out []SubnetEmission
	for _, n := range s.subnets() {
		p := s.pending(n)
		_, lo := s.movingPrice(n).Raw()
		row := SubnetEmission{
			Netuid: n, N: s.u16(kN(kSubnetworkN, n)), Tempo: s.hp16(n, HPTempo), Emitting: emit[n],
			TaoIn: s.u64(kN(kTaoInEmission, n)), AlphaIn: s.u64(kN(kAlphaInEmission, n)), AlphaOut: s.u64(kN(kAlphaOutEmission, n)),
			TaoReserve: s.u64(kN(kSubnetTAO, n)), AlphaReserve: s.u64(kN(kSubnetAlphaIn, n)), AlphaOutstand: s.u64(kN(kSubnetAlphaOut, n)),
			MovingPriceRaw: lo, AlphaBurned: s.u64(kN(kAlphaBurned, n)),
			Pending: PendingEmission{p.server, p.validator, p.root, p.ownerCut},
		}
		if v, ok := s.kv.Get(kN(kSubnetEmaTaoFlow, n)); ok && len(v) == 24 {
			hi, lo, _ := s.fixed128(kN(kSubnetEmaTaoFlow, n))
			row.EmaTaoFlowRaw = fixedI64F64String(hi, lo)
		}
		out = append(out, row)
	}
	return out
}

// Metagraph is a subnet's neurons in one call (the SDK's metagraph sync). Per-uid slices are indexed
// by uid; Weights and Bonds (the stored rows, zeros dropped) only in the full form.
type Metagraph struct {
	Netuid              uint16           `json:"netuid"`
	N                   uint16           `json:"n"`
	Block               uint64           `json:"block"`
	Hotkeys             []Hex32          `json:"hotkeys"`
	Coldkeys            []Hex32          `json:"coldkeys"`
	AlphaStake          []uint64         `json:"alpha_stake"`
	TaoStake            []uint64         `json:"tao_stake"`
	TotalStake          []uint64         `json:"total_stake"` // ⌊stake weight⌋ = alpha + tao_weight × tao
	Rank                []uint16         `json:"rank"`        // deprecated on chain: always 0
	Trust               []uint16         `json:"trust"`       // deprecated on chain: always 0
	Consensus           []uint16         `json:"consensus"`
	ValidatorTrust      []uint16         `json:"validator_trust"`
	Incentive           []uint16         `json:"incentive"`
	Dividends           []uint16         `json:"dividends"`
	Emission            []uint64         `json:"emission"`
	Active              []bool           `json:"active"`
	LastUpdate          []uint64         `json:"last_update"`
	ValidatorPermit     []bool           `json:"validator_permit"`
	BlockAtRegistration []uint64         `json:"block_at_registration"`
	Axons               []AxonInfo       `json:"axons"`
	Prometheus          []PrometheusInfo `json:"prometheus"`
	Weights             [][]WeightEntry  `json:"weights,omitempty"`
	Bonds               [][]WeightEntry  `json:"bonds,omitempty"`
}

// Metagraph returns netuid's metagraph; full adds the weights and bonds rows. Uids are read in
// parallel chunks (each worker fills its own slots).
func (r *Runtime) Metagraph(netuid uint16, full bool) (*Metagraph, bool) {
	s := r.view()
	if !s.subnetExists(netuid) {
		return nil, false
	}
	n := int(s.u16(kN(kSubnetworkN, netuid)))
	m := &Metagraph{
		Netuid: netuid, N: uint16(n), Block: r.Height(),
		Hotkeys: make([]Hex32, n), Coldkeys: make([]Hex32, n), AlphaStake: make([]uint64, n),
		TaoStake: make([]uint64, n), TotalStake: make([]uint64, n), Rank: make([]uint16, n), Trust: make([]uint16, n),
		Consensus: make([]uint16, n), ValidatorTrust: make([]uint16, n), Incentive: make([]uint16, n),
		Dividends: make([]uint16, n), Emission: make([]uint64, n), Active: make([]bool, n), LastUpdate: make([]uint64, n),
		ValidatorPermit: make([]bool, n), BlockAtRegistration: make([]uint64, n), Axons: make([]AxonInfo, n),
		Prometheus: make([]PrometheusInfo, n),
	}
	if full {
		m.Weights, m.Bonds = make([][]WeightEntry, n), make([][]WeightEntry, n)
	}
	tw := s.global(GTaoWeight)
	vec := func(name string) []byte { v, _ := s.kv.Get(kN(name, netuid)); return v }
	vCons, vVT, vInc, vDiv := vec(kConsensus), vec(kValidatorTrust), vec(kIncentive), vec(kDividends)
	vEm, vAct, vPerm := vec(kEmission), vec(kActive), vec(kValidatorPermit)
	vLU, vBR := vec(kLastUpdate), vec(kBlockAtReg)
	stakes := s.stakeSource(netuid)
	fill := func(lo, hi int) {
		for uid := lo; uid < hi; uid++ {
			u := uint16(uid)
			hot, ok := s.acct(kNU(kKeys, netuid, u))
			if ok {
				cold, _ := s.acct(kA(kOwner, hot))
				m.Hotkeys[uid], m.Coldkeys[uid] = Hex32(hot), Hex32(cold)
				a, t := stakes.of(hot)
				m.AlphaStake[uid], m.TaoStake[uid] = a, t
				m.TotalStake[uid] = StakeWeight(a, t, tw).SaturatingToUint64()
				m.Axons[uid], _ = s.axon(netuid, hot)
				m.Prometheus[uid], _ = s.prometheus(netuid, hot)
			}
			m.Consensus[uid] = le16(vCons, uid)
			m.ValidatorTrust[uid] = le16(vVT, uid)
			m.Incentive[uid] = le16(vInc, uid)
			m.Dividends[uid] = le16(vDiv, uid)
			m.Emission[uid] = le64(vEm, uid)
			m.Active[uid] = uid < len(vAct) && vAct[uid] == 1
			m.LastUpdate[uid] = le64(vLU, uid)
			m.ValidatorPermit[uid] = uid < len(vPerm) && vPerm[uid] == 1
			m.BlockAtRegistration[uid] = le64(vBR, uid)
			if full {
				m.Weights[uid] = nonZero(s.row(kWeights, netuid, u))
				m.Bonds[uid] = nonZero(s.row(kBonds, netuid, u))
			}
		}
	}
	workers := max(1, min(r.workers, n/256))
	if workers == 1 || r.block != nil {
		fill(0, n)
		return m, true
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min(n, (w+1)*chunk)
		wg.Add(1)
		go func() { defer wg.Done(); fill(lo, hi) }()
	}
	wg.Wait()
	return m, true
}
