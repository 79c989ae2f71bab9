package client

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/gotensor/gotensor/sdk/pow"
	"github.com/gotensor/gotensor/sdk/substrate"
	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
)

// UnsupportedError is an operation that a backend cannot perform: the chain behind it lacks it (the
// faucet on finney), or the backend has not mapped it. It wraps ErrUnsupported.
type UnsupportedError struct {
	Op      string // the Chain method, e.g. "Faucet"
	Backend string // "substrate" or "gotensor"
	Reason  string
}

func (e *UnsupportedError) Error() string {
	s := fmt.Sprintf("%s is not supported by the %s backend", e.Op, e.Backend)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap makes errors.Is(err, ErrUnsupported) hold.
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

func subUnsupported(op, reason string) error {
	return &UnsupportedError{Op: op, Backend: "substrate", Reason: reason}
}

// Substrate implements Chain on a subtensor node (finney, test, a local subtensor) through the
// metadata-driven substrate.Backend. Reads map onto the runtime APIs and storage items the backend
// decodes; calls are signed with sr25519 (the Signer's keys) and wait for inclusion unless WithoutWait.
// Operations the real chain lacks, or that are not mapped yet, return an *UnsupportedError.
type Substrate struct {
	b  *substrate.Backend
	at substrate.At
	// BlockTime is the chain's block interval (12 s on finney) used by Info.
	BlockTime time.Duration
	// Poll paces WaitForBlock (default 2 s).
	Poll time.Duration
}

var _ Chain = (*Substrate)(nil)

// NewSubstrate wraps a backend.
func NewSubstrate(b *substrate.Backend) *Substrate {
	return &Substrate{b: b, BlockTime: 12 * time.Second, Poll: 2 * time.Second}
}

// DialSubstrate connects to a network by name ("finney", "test", "archive", "local") or endpoint URL.
func DialSubstrate(ctx context.Context, network string, opts substrate.Options) (*Substrate, error) {
	n, err := substrate.LookupNetwork(network)
	if err != nil {
		return nil, err
	}
	b, err := substrate.Dial(ctx, n, opts)
	if err != nil {
		return nil, subErr(err)
	}
	return NewSubstrate(b), nil
}

// Backend is the underlying substrate backend (for calls without a Chain method: Submit, mechanisms, ...).
func (s *Substrate) Backend() *substrate.Backend { return s.b }

// Close closes the connection.
func (s *Substrate) Close() error { return s.b.Close() }

// At reads the state after a past block (an archive endpoint is needed for old blocks).
func (s *Substrate) At(block uint64) Reader {
	c := *s
	c.at = substrate.AtBlock(block)
	return &c
}

// subErr maps the backend's errors onto the client's sentinels and *TxError.
func subErr(err error) error {
	if err == nil {
		return nil
	}
	var de *extrinsic.DispatchError
	if errors.As(err, &de) {
		return &TxError{Name: de.Name, Msg: de.Error(), Included: true}
	}
	var pe *substrate.PoolError
	if errors.As(err, &pe) {
		return &TxError{Name: pe.Name, Code: uint32(max(pe.Custom, 0)), Msg: pe.Error()}
	}
	switch {
	case errors.Is(err, substrate.ErrUnsupported):
		return fmt.Errorf("%w (%w)", err, ErrUnsupported)
	case errors.Is(err, substrate.ErrNotFound):
		return fmt.Errorf("%w (%w)", err, ErrNotFound)
	case errors.Is(err, substrate.ErrNotIncluded):
		return fmt.Errorf("%w (%w)", err, ErrTimeout)
	}
	return err
}

func (s *Substrate) hasAt() bool { return s.at.Block != nil }

// ---- reads ----

func (s *Substrate) Balance(ctx context.Context, a AccountID) (Balance, error) {
	bal, err := s.b.Balance(ctx, subtensor.AccountID(a), s.at)
	return Balance(bal.Free), subErr(err)
}

func (s *Substrate) Account(ctx context.Context, a AccountID) (Account, error) {
	if s.hasAt() {
		return Account{}, subUnsupported("Account at a past block", "the nonce is read from the node's pool (system_accountNextIndex)")
	}
	bal, err := s.b.Balance(ctx, subtensor.AccountID(a), s.at)
	if err != nil {
		return Account{}, subErr(err)
	}
	n, err := s.b.Nonce(ctx, subtensor.AccountID(a))
	return Account{Nonce: n, Free: Balance(bal.Free)}, subErr(err)
}

func (s *Substrate) TotalIssuance(ctx context.Context) (Balance, error) {
	n, err := s.b.TotalIssuance(ctx, s.at)
	return Balance(n), subErr(err)
}

// Globals returns the global parameters subtensor has under gotensor's names: start_call_delay and
// stake_threshold. The others (the faucet's, gotensor's dev switches) do not exist there and are absent.
func (s *Substrate) Globals(ctx context.Context) (Params, error) {
	delay, err := s.b.StartCallDelay(ctx, s.at)
	if err != nil {
		return nil, subErr(err)
	}
	th, err := s.b.StakeThreshold(ctx, s.at)
	if err != nil {
		return nil, subErr(err)
	}
	return Params{{"start_call_delay", delay}, {"stake_threshold", th}}, nil
}

// LockCost is the cost of registering a subnet now (get_network_registration_cost).
func (s *Substrate) LockCost(ctx context.Context) (Balance, error) {
	c, err := s.b.NetworkRegistrationCost(ctx, s.at)
	return Balance(c), subErr(err)
}

func (s *Substrate) Subnets(ctx context.Context) ([]uint16, error) {
	ss, err := s.b.Subnets(ctx, s.at)
	if err != nil {
		return nil, subErr(err)
	}
	out := make([]uint16, len(ss))
	for i, n := range ss {
		out[i] = n.NetUID
	}
	return out, nil
}

func (s *Substrate) SubnetInfo(ctx context.Context, netuid uint16) (*SubnetInfo, error) {
	all, err := s.AllSubnetInfo(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Netuid == netuid {
			info := &all[i]
			// One subnet: whether it was started is read exactly (two storage items).
			enabled, first, _, err := s.b.SubnetStart(ctx, netuid, s.at)
			if err != nil {
				return nil, subErr(err)
			}
			info.SubtokenEnabled, info.FirstEmissionBlock = enabled, first
			return info, nil
		}
	}
	return nil, fmt.Errorf("subnet %d: %w", netuid, ErrNotFound)
}

// AllSubnetInfo reads every subnet's info in two runtime calls (subnets info, and the pools from dynamic
// info, best-effort: a runtime without it still lists its subnets).
func (s *Substrate) AllSubnetInfo(ctx context.Context) ([]SubnetInfo, error) {
	ss, err := s.b.Subnets(ctx, s.at)
	if err != nil {
		return nil, subErr(err)
	}
	dyn := map[uint16]subtensor.DynamicInfo{}
	if ds, err := s.b.AllDynamicInfo(ctx, s.at); err == nil {
		for _, d := range ds {
			dyn[d.NetUID] = d
		}
	}
	out := make([]SubnetInfo, len(ss))
	for i, si := range ss {
		info := SubnetInfo{Netuid: si.NetUID, Owner: AccountID(si.Owner), N: si.NumUIDs, MaxUids: uint64(si.MaxUIDs),
			Burn: Balance(si.Burn), Difficulty: si.Difficulty, Tempo: si.Tempo, BlocksSinceLastStep: si.BlocksSinceLastStep}
		if d, ok := dyn[si.NetUID]; ok {
			fillDynamic(&info, d)
		}
		if info.Name == "" && si.Identity != nil {
			info.Name = si.Identity.Name
		}
		fillSchedule(&info)
		out[i] = info
	}
	return out, nil
}

func fillDynamic(info *SubnetInfo, d subtensor.DynamicInfo) {
	info.OwnerHotkey = AccountID(d.OwnerHotkey)
	info.Name, info.Symbol = d.Name, d.Symbol
	if info.Owner.IsZero() {
		info.Owner = AccountID(d.OwnerColdkey)
	}
	info.TAOIn, info.AlphaIn, info.AlphaOut = Balance(d.TaoIn), Balance(d.AlphaIn), Balance(d.AlphaOut)
	info.Volume = Balance(d.SubnetVolume.Lo)
	info.RegisteredAt = d.NetworkRegisteredAt
	info.LastStep, info.BlocksSinceLastStep = d.LastStep, d.BlocksSinceLastStep
	// Listing every subnet, whether each was started is inferred from its emission (a started subnet
	// emits); SubnetInfo of one subnet reads it exactly.
	info.SubtokenEnabled = d.AlphaOutEmission > 0 || d.TaoInEmission > 0
	if d.Tempo != 0 {
		info.Tempo = d.Tempo
	}
}

func fillSchedule(info *SubnetInfo) {
	if t := uint64(info.Tempo) + 1; info.Tempo > 0 && info.BlocksSinceLastStep <= t {
		info.BlocksUntilNextEpoch = t - info.BlocksSinceLastStep
	}
}

func hyperParams(h subtensor.Hyperparameters) Params {
	b := func(v bool) uint64 {
		if v {
			return 1
		}
		return 0
	}
	return Params{
		{"tempo", uint64(h.Tempo)}, {"immunity_period", uint64(h.ImmunityPeriod)}, {"min_allowed_weights", uint64(h.MinAllowedWeights)},
		{"max_weight_limit", uint64(h.MaxWeightsLimit)}, {"activity_cutoff", uint64(h.ActivityCutoff)},
		{"registration_allowed", b(h.RegistrationAllowed)}, {"pow_registration_allowed", b(h.PowRegistrationAllowed)},
		{"difficulty", h.Difficulty}, {"min_difficulty", h.MinDifficulty}, {"max_difficulty", h.MaxDifficulty},
		{"burn", h.Burn}, {"min_burn", h.MinBurn}, {"max_burn", h.MaxBurn},
		{"adjustment_interval", uint64(h.AdjustmentInterval)}, {"adjustment_alpha", h.AdjustmentAlpha},
		{"target_registrations_per_interval", uint64(h.TargetRegsPerInterval)}, {"max_registrations_per_block", uint64(h.MaxRegsPerBlock)},
		{"kappa", uint64(h.Kappa)}, {"rho", uint64(h.Rho)}, {"serving_rate_limit", h.ServingRateLimit},
		{"weights_rate_limit", h.WeightsRateLimit}, {"weights_version_key", h.WeightsVersion},
		{"commit_reveal_weights_enabled", b(h.CommitRevealEnabled)}, {"commit_reveal_period", h.CommitRevealPeriod},
		{"max_allowed_uids", uint64(h.MaxUIDs)}, {"max_allowed_validators", uint64(h.MaxValidators)},
		{"bonds_moving_average", h.BondsMovingAvg}, {"liquid_alpha_enabled", b(h.LiquidAlphaEnabled)},
		{"alpha_low", uint64(h.AlphaLow)}, {"alpha_high", uint64(h.AlphaHigh)},
	}
}

func (s *Substrate) Hyperparameters(ctx context.Context, netuid uint16) (Params, error) {
	h, err := s.b.Hyperparameters(ctx, netuid, s.at)
	if err != nil {
		return nil, subErr(err)
	}
	return hyperParams(*h), nil
}

func (s *Substrate) RegistrationCost(ctx context.Context, netuid uint16) (*RegistrationCost, error) {
	h, err := s.b.Hyperparameters(ctx, netuid, s.at)
	if err != nil {
		return nil, subErr(err)
	}
	// The registration counters (this block, this interval) are not read: they stay zero.
	return &RegistrationCost{Burn: Balance(h.Burn), Difficulty: h.Difficulty, RegistrationAllowed: h.RegistrationAllowed,
		PowAllowed: h.PowRegistrationAllowed, MaxPerBlock: uint64(h.MaxRegsPerBlock), TargetPerInterval: uint64(h.TargetRegsPerInterval)}, nil
}

func axonOf(a subtensor.AxonInfo) AxonInfo {
	return AxonInfo{Block: a.Block, Version: a.Version, IP: a.IP, Port: a.Port, IPType: a.IPType, Protocol: a.Protocol,
		Placeholder1: a.Placeholder1, Placeholder2: a.Placeholder2}
}

func liteOf(n subtensor.NeuronLite) NeuronLite {
	out := NeuronLite{Hotkey: AccountID(n.Hotkey), Coldkey: AccountID(n.Coldkey), UID: n.UID, Netuid: n.NetUID, Active: n.Active,
		Axon: axonOf(n.Axon), Prometheus: PrometheusInfo{Block: n.Prometheus.Block, Version: n.Prometheus.Version, IP: n.Prometheus.IP,
			Port: n.Prometheus.Port, IPType: n.Prometheus.IPType},
		Rank: n.Rank, Emission: Balance(n.Emission), Incentive: n.Incentive, Consensus: n.Consensus, Trust: n.Trust,
		ValidatorTrust: n.ValidatorTrust, Dividends: n.Dividends, LastUpdate: n.LastUpdate, ValidatorPermit: n.ValidatorPermit,
		PruningScore: n.PruningScore}
	out.Stake = make([]StakeEntry, len(n.Stake))
	for i, e := range n.Stake {
		out.Stake[i] = StakeEntry{Coldkey: AccountID(e.Account), Stake: Balance(e.Amount)}
	}
	return out
}

func uidValues(v []subtensor.UIDValue) []UIDValue {
	out := make([]UIDValue, len(v))
	for i, x := range v {
		out[i] = UIDValue{UID: x.UID, Value: x.Value}
	}
	return out
}

func (s *Substrate) Neuron(ctx context.Context, netuid, uid uint16) (*Neuron, error) {
	n, err := s.b.Neuron(ctx, netuid, uid, s.at)
	if err != nil {
		return nil, subErr(err)
	}
	return &Neuron{NeuronLite: liteOf(n.NeuronLite), Weights: uidValues(n.Weights), Bonds: uidValues(n.Bonds)}, nil
}

func (s *Substrate) NeuronByHotkey(ctx context.Context, netuid uint16, hotkey AccountID) (*Neuron, error) {
	uid, ok, err := s.UID(ctx, netuid, hotkey)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("hotkey %s on subnet %d: %w", hotkey, netuid, ErrNotFound)
	}
	return s.Neuron(ctx, netuid, uid)
}

func (s *Substrate) NeuronsLite(ctx context.Context, netuid uint16) ([]NeuronLite, error) {
	ns, err := s.b.NeuronsLite(ctx, netuid, s.at)
	if err != nil {
		return nil, subErr(err)
	}
	out := make([]NeuronLite, len(ns))
	for i, n := range ns {
		out[i] = liteOf(n)
	}
	return out, nil
}

func (s *Substrate) UID(ctx context.Context, netuid uint16, hotkey AccountID) (uint16, bool, error) {
	uid, ok, err := s.b.UIDForHotkey(ctx, netuid, subtensor.AccountID(hotkey), s.at)
	return uid, ok, subErr(err)
}

func (s *Substrate) IsHotkeyRegistered(ctx context.Context, netuid uint16, hotkey AccountID) (bool, error) {
	_, ok, err := s.UID(ctx, netuid, hotkey)
	return ok, err
}

func (s *Substrate) Owner(ctx context.Context, hotkey AccountID) (AccountID, bool, error) {
	c, ok, err := s.b.Owner(ctx, subtensor.AccountID(hotkey), s.at)
	return AccountID(c), ok, subErr(err)
}

// PendingCommits lists the hotkey's timelocked commits the chain still holds (storage TimelockedWeightCommits,
// or the older CRV3 maps), each with its reveal round; subtensor reveals them by itself.
func (s *Substrate) PendingCommits(ctx context.Context, netuid uint16, hotkey AccountID) ([]WeightCommit, error) {
	return s.pendingTimelocked(ctx, netuid, hotkey)
}

// Metagraph reads the subnet with the selective metagraph runtime call (one round trip). The full form
// (weights and bonds) is not served by that call: lite=false is refused rather than answered without them.
func (s *Substrate) Metagraph(ctx context.Context, netuid uint16, lite bool) (*MetagraphInfo, error) {
	if !lite {
		return nil, subUnsupported("Metagraph with weights and bonds", "use Neuron per uid, or the lite metagraph")
	}
	mg, err := s.b.Metagraph(ctx, netuid, s.at)
	if err != nil {
		return nil, subErr(err)
	}
	return metagraphOf(mg), nil
}

func metagraphOf(mg *subtensor.Metagraph) *MetagraphInfo {
	n := len(mg.Neurons)
	m := &MetagraphInfo{Netuid: mg.NetUID, N: uint16(n), Block: mg.Block, Lite: true,
		Hotkeys: make([]AccountID, n), Coldkeys: make([]AccountID, n), AlphaStake: make([]Balance, n), TaoStake: make([]Balance, n),
		TotalStake: make([]Balance, n), Rank: make([]uint16, n), Trust: make([]uint16, n), Consensus: make([]uint16, n),
		Incentive: make([]uint16, n), Dividends: make([]uint16, n), Emission: make([]Balance, n),
		Active: make([]bool, n), LastUpdate: make([]uint64, n), ValidatorPermit: make([]bool, n), BlockAtRegistration: make([]uint64, n),
		Axons: make([]AxonInfo, n), Hyperparameters: hyperParams(mg.Hyperparameters)}
	for i, u := range mg.Neurons {
		m.Hotkeys[i], m.Coldkeys[i] = AccountID(u.Hotkey), AccountID(u.Coldkey)
		m.AlphaStake[i], m.TaoStake[i], m.TotalStake[i] = Balance(u.AlphaStake), Balance(u.TaoStake), Balance(u.TotalStake)
		m.Rank[i], m.Trust[i], m.Consensus[i], m.Incentive[i], m.Dividends[i] = u.Rank, u.Trust, u.Consensus, u.Incentive, u.Dividends
		m.Emission[i], m.Active[i], m.LastUpdate[i], m.ValidatorPermit[i] = Balance(u.Emission), u.Active, u.LastUpdate, u.ValidatorPermit
		m.BlockAtRegistration[i] = u.BlockAtRegistration
		m.Axons[i] = axonOf(u.Axon)
		if u.Identity != nil && u.Identity.Name != "" {
			if m.Identities == nil {
				m.Identities = make([]string, n)
			}
			m.Identities[i] = u.Identity.Name
		}
	}
	// The metagraph carries no validator trust and no prometheus endpoints: those columns are left nil
	// (absent), not zero.
	h := mg.Hyperparameters
	m.Subnet = SubnetInfo{Netuid: mg.NetUID, Owner: AccountID(mg.OwnerColdkey), OwnerHotkey: AccountID(mg.OwnerHotkey), N: uint16(n),
		MaxUids: uint64(h.MaxUIDs), RegisteredAt: mg.NetworkRegisteredAt, Mechanism: uint16(mg.Mechanism), TAOIn: Balance(mg.TaoIn),
		AlphaIn: Balance(mg.AlphaIn), AlphaOut: Balance(mg.AlphaOut), Volume: Balance(mg.SubnetVolume.Lo), Burn: Balance(h.Burn),
		Difficulty: h.Difficulty, Tempo: h.Tempo, LastStep: mg.LastStep, BlocksSinceLastStep: mg.BlocksSinceLastStep,
		Name: mg.Name, Symbol: mg.Symbol}
	if m.Subnet.Name == "" && mg.Identity != nil {
		m.Subnet.Name = mg.Identity.Name
	}
	if m.Subnet.MaxUids == 0 {
		m.Subnet.MaxUids = uint64(mg.NumUIDs)
	}
	fillSchedule(&m.Subnet)
	return m
}

func (s *Substrate) Stake(ctx context.Context, hotkey, coldkey AccountID, netuid uint16) (Balance, error) {
	st, err := s.b.Stake(ctx, subtensor.AccountID(hotkey), subtensor.AccountID(coldkey), netuid, s.at)
	return Balance(st.Stake), subErr(err)
}

// DelegateTake is the hotkey's delegate take (u16 fraction of 65535). Not part of Chain: the gotensor node
// answers it through Node.Query.
func (s *Substrate) DelegateTake(ctx context.Context, hotkey AccountID) (uint16, error) {
	t, err := s.b.DelegateTake(ctx, subtensor.AccountID(hotkey), s.at)
	return t, subErr(err)
}

// HotkeyStake is the hotkey's whole stake on netuid (SubtensorModule.TotalHotkeyAlpha).
func (s *Substrate) HotkeyStake(ctx context.Context, hotkey AccountID, netuid uint16) (Balance, error) {
	n, err := s.b.HotkeyAlpha(ctx, subtensor.AccountID(hotkey), netuid, s.at)
	return Balance(n), subErr(err)
}

func (s *Substrate) StakesOf(ctx context.Context, coldkey AccountID) ([]StakeInfo, error) {
	ss, err := s.b.StakeForColdkey(ctx, subtensor.AccountID(coldkey), s.at)
	if err != nil {
		return nil, subErr(err)
	}
	out := make([]StakeInfo, 0, len(ss))
	for _, x := range ss {
		out = append(out, StakeInfo{Hotkey: AccountID(x.Hotkey), Netuid: x.NetUID, Stake: Balance(x.Stake)})
	}
	return out, nil
}

func (s *Substrate) Emission(ctx context.Context) (*Emission, error) {
	dyn, err := s.b.AllDynamicInfo(ctx, s.at)
	if err != nil {
		return nil, subErr(err)
	}
	e := &Emission{}
	for _, d := range dyn {
		e.Subnets = append(e.Subnets, SubnetEmission{Netuid: d.NetUID, Tempo: d.Tempo, Emitting: d.TaoInEmission > 0,
			TaoInEmission: Balance(d.TaoInEmission), AlphaIn: Balance(d.AlphaInEmission), AlphaOut: Balance(d.AlphaOutEmission),
			TaoReserve: Balance(d.TaoIn), AlphaReserve: Balance(d.AlphaIn), AlphaOutstand: Balance(d.AlphaOut), MovingPriceRaw: d.MovingPrice.Lo})
		e.BlockEmission += Balance(d.TaoInEmission)
	}
	return e, nil
}

// ---- blocks and events ----

func (s *Substrate) Info(ctx context.Context) (*ChainInfo, error) {
	rt, err := s.b.Runtime(ctx)
	if err != nil {
		return nil, subErr(err)
	}
	head, err := s.Head(ctx)
	if err != nil {
		return nil, err
	}
	return &ChainInfo{ChainID: rt.SpecName, GenesisHash: Hash(s.b.Genesis()), BlockTime: s.BlockTime,
		BlockTimeMs: s.BlockTime.Milliseconds(), Head: head, Version: fmt.Sprintf("%s/%d", rt.SpecName, rt.SpecVersion)}, nil
}

func (s *Substrate) Head(ctx context.Context) (BlockRef, error) {
	h, err := s.b.BestHead(ctx)
	if err != nil {
		return BlockRef{}, subErr(err)
	}
	return BlockRef{Height: h.Number, Hash: Hash(h.Hash)}, nil
}

func (s *Substrate) Block(ctx context.Context, height uint64) (*Block, error) {
	return nil, subUnsupported("Block", "gotensor's block shape (per-transaction results) has no subtensor equivalent; use Events")
}

func (s *Substrate) Events(ctx context.Context, height uint64) (*BlockEvents, error) {
	evs, err := s.b.Events(ctx, height)
	if err != nil {
		return nil, subErr(err)
	}
	out := &BlockEvents{Height: height}
	for _, e := range evs {
		be := BlockEvent{Phase: "block", TxIndex: e.Extrinsic, Event: Event{Name: e.Name, Attrs: []Attr{{Key: "pallet", Value: e.Pallet}}}}
		if e.Extrinsic >= 0 {
			be.Phase = "tx"
		}
		if e.Failure != nil {
			be.Attrs = append(be.Attrs, Attr{Key: "error", Value: e.Failure.Name})
		}
		out.Events = append(out.Events, be)
	}
	return out, nil
}

func (s *Substrate) WaitForInclusion(ctx context.Context, hash Hash) (*Receipt, error) {
	return nil, subUnsupported("WaitForInclusion", "subtensor cannot look a transaction up by hash; submit without WithoutWait to wait")
}

func (s *Substrate) WaitForBlock(ctx context.Context, height uint64) (BlockRef, error) {
	for {
		h, err := s.Head(ctx)
		if err != nil || h.Height >= height {
			return h, err
		}
		select {
		case <-ctx.Done():
			return BlockRef{}, ctx.Err()
		case <-time.After(s.Poll):
		}
	}
}

// SubscribeHeads delivers finalized heads, resubscribing after a dropped connection.
func (s *Substrate) SubscribeHeads(ctx context.Context) (<-chan BlockRef, error) {
	first, err := s.b.WatchFinalized(ctx)
	if err != nil {
		return nil, subErr(err)
	}
	out := make(chan BlockRef, 16)
	go func() {
		defer close(out)
		in := first
		for {
			for h := range in {
				select {
				case out <- BlockRef{Height: h.Number, Hash: Hash(h.Hash)}:
				case <-ctx.Done():
					return
				}
			}
			for {
				if ctx.Err() != nil {
					return
				}
				if in, err = s.b.WatchFinalized(ctx); err == nil {
					break
				}
				select {
				case <-ctx.Done():
					return
				case <-time.After(s.Poll):
				}
			}
		}
	}()
	return out, nil
}

// SubscribeEvents reads the events of every finalized head (filling gaps by number).
func (s *Substrate) SubscribeEvents(ctx context.Context, names ...string) (<-chan BlockEvents, error) {
	heads, err := s.SubscribeHeads(ctx)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := make(chan BlockEvents, 16)
	go func() {
		defer close(out)
		var next uint64
		for h := range heads {
			if next == 0 || next > h.Height {
				next = h.Height
			}
			for ; next <= h.Height; next++ {
				be, err := s.Events(ctx, next)
				if err != nil {
					continue
				}
				if len(want) > 0 {
					kept := be.Events[:0]
					for _, e := range be.Events {
						if want[e.Name] {
							kept = append(kept, e)
						}
					}
					be.Events = kept
				}
				select {
				case out <- *be:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// ---- calls ----

func subTxOpts(opts []TxOption) substrate.TxOptions {
	var o txOpts
	for _, f := range opts {
		f(&o)
	}
	to := substrate.TxOptions{Wait: substrate.WaitInclusion, Nonce: o.nonce}
	if o.noWait {
		to.Wait = substrate.WaitNone
	}
	return to
}

func receiptOfSub(call string, rc *substrate.Receipt, err error) (*Receipt, error) {
	if err != nil {
		err = subErr(err)
		var te *TxError
		if errors.As(err, &te) {
			te.Call = call
			if rc != nil {
				te.Hash, te.Block = Hash(rc.Hash), rc.BlockNumber
			}
		}
		return nil, err
	}
	r := &Receipt{Hash: Hash(rc.Hash), Block: rc.BlockNumber, BlockHash: Hash(rc.BlockHash), Index: rc.Index, Call: call}
	for _, e := range rc.Events {
		r.Events = append(r.Events, Event{Name: e.Name, Attrs: []Attr{{Key: "pallet", Value: e.Pallet}}})
	}
	return r, nil
}

func sr(sg Signer) extrinsic.Signer { return extrinsic.SR25519(sg) }

func (s *Substrate) Transfer(ctx context.Context, from Signer, to AccountID, amount Balance, opts ...TxOption) (*Receipt, error) {
	rc, err := s.b.Transfer(ctx, sr(from), subtensor.AccountID(to), uint64(amount), false, subTxOpts(opts))
	return receiptOfSub("transfer", rc, err)
}

func (s *Substrate) TransferAll(ctx context.Context, from Signer, to AccountID, keepAlive bool, opts ...TxOption) (*Receipt, error) {
	rc, err := s.b.TransferAll(ctx, sr(from), subtensor.AccountID(to), keepAlive, subTxOpts(opts))
	return receiptOfSub("transfer_all", rc, err)
}

func (s *Substrate) Faucet(ctx context.Context, coldkey Signer, solver pow.Solver, opts ...TxOption) (*Receipt, error) {
	return nil, subUnsupported("Faucet", "the faucet is a gotensor dev-chain call; finney has none (the test network's faucet is off-chain)")
}

func (s *Substrate) RegisterNetwork(ctx context.Context, coldkey Signer, hotkey AccountID, opts ...TxOption) (uint16, *Receipt, error) {
	before, _ := s.Subnets(ctx)
	rc, err := s.b.RegisterNetwork(ctx, sr(coldkey), subtensor.AccountID(hotkey), subTxOpts(opts))
	r, err := receiptOfSub("register_network", rc, err)
	if err != nil || rc.BlockNumber == 0 {
		return 0, r, err
	}
	// The reduced events carry no fields: the new netuid is the one that was not there before.
	after, err := s.Subnets(ctx)
	if err != nil {
		return 0, r, err
	}
	had := map[uint16]bool{}
	for _, n := range before {
		had[n] = true
	}
	for _, n := range after {
		if !had[n] {
			return n, r, nil
		}
	}
	return 0, r, fmt.Errorf("register_network: included in block %d but the new netuid was not found", r.Block)
}

func (s *Substrate) StartCall(ctx context.Context, coldkey Signer, netuid uint16, opts ...TxOption) (*Receipt, error) {
	rc, err := s.b.StartCall(ctx, sr(coldkey), netuid, subTxOpts(opts))
	return receiptOfSub("start_call", rc, err)
}

func (s *Substrate) uidAfter(ctx context.Context, r *Receipt, err error, netuid uint16, hotkey AccountID) (uint16, *Receipt, error) {
	if err != nil || r.Block == 0 {
		return 0, r, err
	}
	uid, ok, err := s.UID(ctx, netuid, hotkey)
	if err == nil && !ok {
		err = fmt.Errorf("registered in block %d but the hotkey has no uid on subnet %d", r.Block, netuid)
	}
	return uid, r, err
}

func (s *Substrate) BurnedRegister(ctx context.Context, coldkey Signer, netuid uint16, hotkey AccountID, opts ...TxOption) (uint16, *Receipt, error) {
	rc, err := s.b.BurnedRegister(ctx, sr(coldkey), netuid, subtensor.AccountID(hotkey), subTxOpts(opts))
	r, err := receiptOfSub("burned_register", rc, err)
	return s.uidAfter(ctx, r, err, netuid, hotkey)
}

// PowRegister solves the seal and submits SubtensorModule.register signed by the coldkey (substrate_pow.go).
// On subtensor since 2026-01-23 the seal is ignored and the coldkey pays the subnet's burn.
func (s *Substrate) PowRegister(ctx context.Context, hotkey, coldkey Signer, netuid uint16, solver pow.Solver, opts ...TxOption) (uint16, *Receipt, error) {
	return s.powRegister(ctx, hotkey, coldkey, netuid, solver, opts)
}

func (s *Substrate) RootRegister(ctx context.Context, coldkey Signer, hotkey AccountID, opts ...TxOption) (uint16, *Receipt, error) {
	rc, err := s.b.RootRegister(ctx, sr(coldkey), subtensor.AccountID(hotkey), subTxOpts(opts))
	r, err := receiptOfSub("root_register", rc, err)
	return s.uidAfter(ctx, r, err, 0, hotkey)
}

func (s *Substrate) AssociateHotkey(ctx context.Context, coldkey Signer, hotkey AccountID, opts ...TxOption) (*Receipt, error) {
	rc, err := s.b.AssociateHotkey(ctx, sr(coldkey), subtensor.AccountID(hotkey), subTxOpts(opts))
	return receiptOfSub("try_associate_hotkey", rc, err)
}

// SetWeights sets weights with set_weights, or, on a subnet with CommitRevealWeightsEnabled, commits them
// timelocked as the Python SDK's set_weights does (CommitTimelockedWeights; the receipt's Call names the
// commit extrinsic and the chain reveals the weights at the reveal round).
func (s *Substrate) SetWeights(ctx context.Context, hotkey Signer, netuid uint16, uids, weights []uint16, versionKey uint64, opts ...TxOption) (*Receipt, error) {
	if on, err := s.setWeightsCommitReveal(ctx, netuid); err != nil {
		return nil, err
	} else if on {
		rc, _, err := s.CommitTimelockedWeights(ctx, hotkey, netuid, uids, weights, versionKey, opts...)
		return rc, err
	}
	rc, err := s.b.SetWeights(ctx, sr(hotkey), netuid, uids, weights, versionKey, subTxOpts(opts))
	return receiptOfSub("set_weights", rc, err)
}

func (s *Substrate) CommitWeights(ctx context.Context, hotkey Signer, netuid uint16, commit Hash, opts ...TxOption) (*Receipt, error) {
	rc, err := s.b.CommitWeights(ctx, sr(hotkey), netuid, [32]byte(commit), subTxOpts(opts))
	return receiptOfSub("commit_weights", rc, err)
}

func (s *Substrate) RevealWeights(ctx context.Context, hotkey Signer, netuid uint16, uids, weights, salt []uint16, versionKey uint64, opts ...TxOption) (*Receipt, error) {
	rc, err := s.b.RevealWeights(ctx, sr(hotkey), netuid, uids, weights, salt, versionKey, subTxOpts(opts))
	return receiptOfSub("reveal_weights", rc, err)
}

func (s *Substrate) BatchRevealWeights(ctx context.Context, hotkey Signer, netuid uint16, reveals []Reveal, opts ...TxOption) (*Receipt, error) {
	uids, values, salts := make([][]uint16, len(reveals)), make([][]uint16, len(reveals)), make([][]uint16, len(reveals))
	versions := make([]uint64, len(reveals))
	for i, r := range reveals {
		uids[i], values[i], salts[i], versions[i] = r.UIDs, r.Weights, r.Salt, r.VersionKey
	}
	rc, err := s.b.BatchRevealWeights(ctx, sr(hotkey), netuid, uids, values, salts, versions, subTxOpts(opts))
	return receiptOfSub("batch_reveal_weights", rc, err)
}

func (s *Substrate) ServeAxon(ctx context.Context, hotkey Signer, netuid uint16, axon Axon, opts ...TxOption) (*Receipt, error) {
	protocol := axon.Protocol
	if protocol == 0 {
		protocol = 4
	}
	addr := netip.AddrPortFrom(axon.IP, axon.Port)
	if axon.Certificate != nil {
		rc, err := s.b.ServeAxonTLS(ctx, sr(hotkey), netuid, axon.Version, addr, protocol, axon.Certificate, subTxOpts(opts))
		return receiptOfSub("serve_axon_tls", rc, err)
	}
	rc, err := s.b.ServeAxon(ctx, sr(hotkey), netuid, axon.Version, addr, protocol, subTxOpts(opts))
	return receiptOfSub("serve_axon", rc, err)
}

func (s *Substrate) ServePrometheus(ctx context.Context, hotkey Signer, netuid uint16, ip netip.Addr, port uint16, version uint32, opts ...TxOption) (*Receipt, error) {
	rc, err := s.b.ServePrometheus(ctx, sr(hotkey), netuid, version, netip.AddrPortFrom(ip, port), subTxOpts(opts))
	return receiptOfSub("serve_prometheus", rc, err)
}

func (s *Substrate) AddStake(ctx context.Context, coldkey Signer, hotkey AccountID, netuid uint16, tao Balance, opts ...TxOption) (*Receipt, error) {
	rc, err := s.b.AddStake(ctx, sr(coldkey), subtensor.AccountID(hotkey), netuid, uint64(tao), subTxOpts(opts))
	return receiptOfSub("add_stake", rc, err)
}

func (s *Substrate) RemoveStake(ctx context.Context, coldkey Signer, hotkey AccountID, netuid uint16, alpha Balance, opts ...TxOption) (*Receipt, error) {
	rc, err := s.b.RemoveStake(ctx, sr(coldkey), subtensor.AccountID(hotkey), netuid, uint64(alpha), subTxOpts(opts))
	return receiptOfSub("remove_stake", rc, err)
}

func (s *Substrate) DecreaseTake(ctx context.Context, coldkey Signer, hotkey AccountID, take uint16, opts ...TxOption) (*Receipt, error) {
	rc, err := s.b.DecreaseTake(ctx, sr(coldkey), subtensor.AccountID(hotkey), take, subTxOpts(opts))
	return receiptOfSub("decrease_take", rc, err)
}

func (s *Substrate) IncreaseTake(ctx context.Context, coldkey Signer, hotkey AccountID, take uint16, opts ...TxOption) (*Receipt, error) {
	rc, err := s.b.IncreaseTake(ctx, sr(coldkey), subtensor.AccountID(hotkey), take, subTxOpts(opts))
	return receiptOfSub("increase_take", rc, err)
}

// SetHyperparameter calls the subnet-owner AdminUtils call for name, signed by the owner's coldkey
// (substrate_admin.go; the table is substrate.HyperparameterCalls).
func (s *Substrate) SetHyperparameter(ctx context.Context, owner Signer, netuid uint16, name string, value uint64, opts ...TxOption) (*Receipt, error) {
	return s.setHyperparameter(ctx, owner, netuid, name, value, opts)
}

func (s *Substrate) SudoSetHyperparameter(ctx context.Context, sudo Signer, netuid uint16, name string, value uint64, opts ...TxOption) (*Receipt, error) {
	return nil, subUnsupported("SudoSetHyperparameter", "root-only calls are not available on a public Substrate network")
}

func (s *Substrate) SudoSetGlobal(ctx context.Context, sudo Signer, name string, value uint64, opts ...TxOption) (*Receipt, error) {
	return nil, subUnsupported("SudoSetGlobal", "root-only calls are not available on a public Substrate network")
}
