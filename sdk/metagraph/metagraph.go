// Package metagraph is the SDK's view of one subnet at one block: the Python SDK's attribute set
// (spec/sdk.md §4) as Go slices indexed by position (= uid), synced through sdk/client in one round
// trip, with lookups by uid and hotkey and save/load to a file.
//
// Units follow the Python SDK: stakes and emission in token units (rao/1e9) as float32, the u16 scores
// (C, I, D, Tv, R, T) divided by 65535, weights rows normalised to sum 1 (full sync only), bonds raw.
// The weights and bonds are kept as the chain's sparse rows; W() and B() give the dense n×n matrices.
package metagraph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/gotensor/gotensor/sdk/client"
)

// RootTaoStakeWeight is the SDK's ROOT_TAO_STAKE_WEIGHT: the factor applied to TAO stake on subnets.
const RootTaoStakeWeight = 0.18

// FormatVersion is the save file's format version.
const FormatVersion = 1

// Metagraph is one subnet's state at Block. Every per-neuron slice has length N.
type Metagraph struct {
	Version int    `json:"format_version"`
	Network string `json:"network,omitempty"`
	Netuid  uint16 `json:"netuid"`
	Block   uint64 `json:"block"`
	N       int    `json:"n"`
	Lite    bool   `json:"lite"`

	UIDs           []uint16  `json:"uids"`
	Stake          []float32 `json:"stake"`       // S: total stake (alpha + weighted TAO), tokens
	AlphaStake     []float32 `json:"alpha_stake"` // AS
	TaoStake       []float32 `json:"tao_stake"`   // TS: TAO × RootTaoStakeWeight (unweighted on root)
	Ranks          []float32 `json:"ranks"`       // R (always 0 on chain since dTAO; kept for old code)
	Trust          []float32 `json:"trust"`       // T
	Consensus      []float32 `json:"consensus"`   // C
	ValidatorTrust []float32 `json:"validator_trust"`
	Incentive      []float32 `json:"incentive"`
	Dividends      []float32 `json:"dividends"`
	Emission       []float32 `json:"emission"` // E: last epoch's emission, tokens
	Active         []bool    `json:"active"`
	LastUpdate     []uint64  `json:"last_update"`
	// ValidatorPermit reports which uids may set weights on others.
	ValidatorPermit     []bool   `json:"validator_permit"`
	BlockAtRegistration []uint64 `json:"block_at_registration"`
	// WeightRows and BondRows are the chain's sparse rows (uid, u16), non-zero entries only (full sync
	// only). W() and B() expand them to the SDK's dense n×n matrices on first use.
	WeightRows [][]client.UIDValue `json:"weight_rows,omitempty"`
	BondRows   [][]client.UIDValue `json:"bond_rows,omitempty"`
	Hotkeys    []client.AccountID  `json:"hotkeys"`
	Coldkeys   []client.AccountID  `json:"coldkeys"`
	Axons      []client.AxonInfo   `json:"axons"`

	Subnet          client.SubnetInfo `json:"subnet"`
	Hyperparameters client.Params     `json:"hyperparameters"`

	byHotkey map[client.AccountID]uint16
	w, b     [][]float32
}

// Short aliases in the Python SDK's spelling.
func (m *Metagraph) S() []float32  { return m.Stake }
func (m *Metagraph) AS() []float32 { return m.AlphaStake }
func (m *Metagraph) TS() []float32 { return m.TaoStake }
func (m *Metagraph) R() []float32  { return m.Ranks }
func (m *Metagraph) T() []float32  { return m.Trust }
func (m *Metagraph) C() []float32  { return m.Consensus }
func (m *Metagraph) Tv() []float32 { return m.ValidatorTrust }
func (m *Metagraph) I() []float32  { return m.Incentive }
func (m *Metagraph) D() []float32  { return m.Dividends }
func (m *Metagraph) E() []float32  { return m.Emission }

// W is the weights matrix: n×n, each row normalised to sum 1 (an empty row is zeros), like the Python
// SDK's. Nil after a lite sync. It is built on first use and cached.
func (m *Metagraph) W() [][]float32 {
	if m.w == nil && m.WeightRows != nil {
		m.w = dense(m.WeightRows, m.N, true)
	}
	return m.w
}

// B is the bonds matrix: n×n raw u16 values (not normalised). Nil after a lite sync.
func (m *Metagraph) B() [][]float32 {
	if m.b == nil && m.BondRows != nil {
		m.b = dense(m.BondRows, m.N, false)
	}
	return m.b
}

// WeightsOf is uid's weights row, normalised to sum 1 (nil after a lite sync).
func (m *Metagraph) WeightsOf(uid uint16) []float32 {
	if m.WeightRows == nil || int(uid) >= m.N {
		return nil
	}
	return denseRow(m.WeightRows[uid], m.N, true, nil)
}

// BondsOf is uid's bonds row (raw; nil after a lite sync).
func (m *Metagraph) BondsOf(uid uint16) []float32 {
	if m.BondRows == nil || int(uid) >= m.N {
		return nil
	}
	return denseRow(m.BondRows[uid], m.N, false, nil)
}

func denseRow(row []client.UIDValue, n int, normalise bool, out []float32) []float32 {
	if out == nil {
		out = make([]float32, n)
	}
	var sum float64
	for _, e := range row {
		if int(e.UID) < n {
			sum += float64(e.Value)
		}
	}
	for _, e := range row {
		if int(e.UID) >= n {
			continue
		}
		if !normalise {
			out[e.UID] = float32(e.Value)
		} else if sum > 0 {
			out[e.UID] = float32(float64(e.Value) / sum)
		}
	}
	return out
}

func dense(rows [][]client.UIDValue, n int, normalise bool) [][]float32 {
	all := make([]float32, n*n) // one backing array
	out := make([][]float32, n)
	for i := 0; i < n; i++ {
		out[i] = all[i*n : (i+1)*n : (i+1)*n]
		if i < len(rows) {
			denseRow(rows[i], n, normalise, out[i])
		}
	}
	return out
}

// Addresses are the axons' "/ipv4/ip:port" forms.
func (m *Metagraph) Addresses() []string {
	out := make([]string, len(m.Axons))
	for i, a := range m.Axons {
		out[i] = a.Address()
	}
	return out
}

// Option adjusts a sync.
type Option func(*syncOpts)

type syncOpts struct {
	block   *uint64
	lite    bool
	network string
}

// AtBlock syncs at a past block instead of the head.
func AtBlock(b uint64) Option { return func(o *syncOpts) { o.block = &b } }

// Lite leaves out weights and bonds (the Python SDK's lite=True, its default).
func Lite() Option { return func(o *syncOpts) { o.lite = true } }

// Network records the network name (used by the default save path).
func Network(name string) Option { return func(o *syncOpts) { o.network = name } }

// Sync reads netuid from the chain (full by default; Lite for without weights and bonds).
func Sync(ctx context.Context, c client.Chain, netuid uint16, opts ...Option) (*Metagraph, error) {
	var o syncOpts
	for _, f := range opts {
		f(&o)
	}
	var r client.Reader = c
	if o.block != nil {
		r = c.At(*o.block)
	}
	info, err := r.Metagraph(ctx, netuid, o.lite)
	if err != nil {
		return nil, fmt.Errorf("metagraph sync of subnet %d: %w", netuid, err)
	}
	m := FromInfo(info)
	m.Network = o.network
	return m, nil
}

func u16f(v []uint16) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x) / 65535
	}
	return out
}

func tok(v []client.Balance, factor float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(float64(x) / client.RaoPerTAO * factor)
	}
	return out
}

func fit[T any](v []T, n int) []T {
	if len(v) >= n {
		return v[:n]
	}
	return append(v, make([]T, n-len(v))...)
}

// FromInfo builds a metagraph from what client.Reader.Metagraph returned.
func FromInfo(info *client.MetagraphInfo) *Metagraph {
	n := int(info.N)
	m := &Metagraph{Version: FormatVersion, Netuid: info.Netuid, Block: info.Block, N: n, Lite: info.Lite,
		Subnet: info.Subnet, Hyperparameters: info.Hyperparameters}
	m.UIDs = make([]uint16, n)
	for i := range m.UIDs {
		m.UIDs[i] = uint16(i)
	}
	if info.Netuid == 0 {
		ts := tok(fit(info.TaoStake, n), 1)
		m.Stake, m.AlphaStake, m.TaoStake = ts, ts, ts
	} else {
		m.Stake = tok(fit(info.TotalStake, n), 1)
		m.AlphaStake = tok(fit(info.AlphaStake, n), 1)
		m.TaoStake = tok(fit(info.TaoStake, n), RootTaoStakeWeight)
	}
	m.Ranks, m.Trust = u16f(fit(info.Rank, n)), u16f(fit(info.Trust, n))
	m.Consensus, m.ValidatorTrust = u16f(fit(info.Consensus, n)), u16f(fit(info.ValidatorTrust, n))
	m.Incentive, m.Dividends = u16f(fit(info.Incentive, n)), u16f(fit(info.Dividends, n))
	m.Emission = tok(fit(info.Emission, n), 1)
	m.Active, m.LastUpdate = fit(info.Active, n), fit(info.LastUpdate, n)
	m.ValidatorPermit, m.BlockAtRegistration = fit(info.ValidatorPermit, n), fit(info.BlockAtRegistration, n)
	m.Hotkeys, m.Coldkeys = fit(info.Hotkeys, n), fit(info.Coldkeys, n)
	m.Axons = fit(info.Axons, n)
	if !info.Lite {
		m.WeightRows, m.BondRows = fit(info.Weights, n), fit(info.Bonds, n)
		for i := range m.WeightRows {
			if m.WeightRows[i] == nil {
				m.WeightRows[i] = []client.UIDValue{}
			}
			if m.BondRows[i] == nil {
				m.BondRows[i] = []client.UIDValue{}
			}
		}
	}
	return m
}

// UIDOf returns the hotkey's uid.
func (m *Metagraph) UIDOf(hotkey client.AccountID) (uint16, bool) {
	if m.byHotkey == nil {
		m.byHotkey = make(map[client.AccountID]uint16, len(m.Hotkeys))
		for i, h := range m.Hotkeys {
			m.byHotkey[h] = uint16(i)
		}
	}
	uid, ok := m.byHotkey[hotkey]
	return uid, ok
}

// Neuron is one uid's row of the metagraph.
type Neuron struct {
	UID             uint16
	Hotkey, Coldkey client.AccountID
	Stake           float32
	AlphaStake      float32
	TaoStake        float32
	Rank, Trust     float32
	Consensus       float32
	ValidatorTrust  float32
	Incentive       float32
	Dividends       float32
	Emission        float32
	Active          bool
	LastUpdate      uint64
	ValidatorPermit bool
	RegisteredAt    uint64
	Axon            client.AxonInfo
	Weights, Bonds  []float32 // dense rows (weights normalised); nil after a lite sync
}

// ByUID returns uid's row.
func (m *Metagraph) ByUID(uid uint16) (Neuron, bool) {
	i := int(uid)
	if i >= m.N {
		return Neuron{}, false
	}
	nr := Neuron{UID: uid, Hotkey: m.Hotkeys[i], Coldkey: m.Coldkeys[i], Stake: m.Stake[i], AlphaStake: m.AlphaStake[i],
		TaoStake: m.TaoStake[i], Rank: m.Ranks[i], Trust: m.Trust[i], Consensus: m.Consensus[i], ValidatorTrust: m.ValidatorTrust[i],
		Incentive: m.Incentive[i], Dividends: m.Dividends[i], Emission: m.Emission[i], Active: m.Active[i], LastUpdate: m.LastUpdate[i],
		ValidatorPermit: m.ValidatorPermit[i], RegisteredAt: m.BlockAtRegistration[i], Axon: m.Axons[i]}
	nr.Weights, nr.Bonds = m.WeightsOf(uid), m.BondsOf(uid)
	return nr, true
}

// ByHotkey returns the hotkey's row.
func (m *Metagraph) ByHotkey(hotkey client.AccountID) (Neuron, bool) {
	uid, ok := m.UIDOf(hotkey)
	if !ok {
		return Neuron{}, false
	}
	return m.ByUID(uid)
}

// DefaultPath is ~/.gotensor/metagraphs/network-<net>/netuid-<n>/block-<b>.json under home.
func (m *Metagraph) DefaultPath(home string) string {
	net := m.Network
	if net == "" {
		net = "local"
	}
	return filepath.Join(home, "metagraphs", "network-"+net, "netuid-"+strconv.Itoa(int(m.Netuid)), "block-"+strconv.FormatUint(m.Block, 10)+".json")
}

// Save writes the metagraph as JSON to path (atomically: temp file, fsync, rename).
func (m *Metagraph) Save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".metagraph-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Load reads a metagraph written by Save.
func Load(path string) (*Metagraph, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Metagraph
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("load metagraph %s: %w", path, err)
	}
	if m.Version != FormatVersion {
		return nil, fmt.Errorf("load metagraph %s: format version %d, want %d", path, m.Version, FormatVersion)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("load metagraph %s: %w", path, err)
	}
	return &m, nil
}

func (m *Metagraph) check() error {
	for name, l := range map[string]int{"uids": len(m.UIDs), "stake": len(m.Stake), "hotkeys": len(m.Hotkeys),
		"coldkeys": len(m.Coldkeys), "axons": len(m.Axons), "active": len(m.Active), "incentive": len(m.Incentive)} {
		if l != m.N {
			return fmt.Errorf("%s has %d entries, n is %d", name, l, m.N)
		}
	}
	if !m.Lite && (len(m.WeightRows) != m.N || len(m.BondRows) != m.N) {
		return errors.New("full metagraph without n weights and bonds rows")
	}
	return nil
}
