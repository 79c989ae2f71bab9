package subtensor

import "github.com/gotensor/gotensor/sdk/substrate/scale"

// The wire structs name the runtime's fields (tag `scale:"..."`); package codec checks them against the
// metadata of the runtime being read and fills them by name. Fields marked optional may disappear from a
// future runtime without breaking the decode; every other field is required.

type wireAxon struct {
	Block        uint64     `scale:"block"`
	Version      uint32     `scale:"version"`
	IP           scale.U128 `scale:"ip"`
	Port         uint16     `scale:"port"`
	IPType       uint8      `scale:"ip_type"`
	Protocol     uint8      `scale:"protocol"`
	Placeholder1 uint8      `scale:"placeholder1,optional"`
	Placeholder2 uint8      `scale:"placeholder2,optional"`
}

func (w wireAxon) domain() AxonInfo {
	return AxonInfo{Block: w.Block, Version: w.Version, IP: DecodeIP(w.IP, w.IPType), Port: w.Port, IPType: w.IPType,
		Protocol: w.Protocol, Placeholder1: w.Placeholder1, Placeholder2: w.Placeholder2}
}

type wirePrometheus struct {
	Block   uint64     `scale:"block"`
	Version uint32     `scale:"version"`
	IP      scale.U128 `scale:"ip"`
	Port    uint16     `scale:"port"`
	IPType  uint8      `scale:"ip_type"`
}

type wireAccountAmount struct {
	Account AccountID
	Amount  uint64
}

type wireUIDValue struct {
	UID, Value uint16
}

type wireNeuron struct {
	Hotkey          AccountID           `scale:"hotkey"`
	Coldkey         AccountID           `scale:"coldkey"`
	UID             uint16              `scale:"uid"`
	NetUID          uint16              `scale:"netuid"`
	Active          bool                `scale:"active"`
	Axon            wireAxon            `scale:"axon_info"`
	Prometheus      wirePrometheus      `scale:"prometheus_info,optional"`
	Stake           []wireAccountAmount `scale:"stake"`
	Rank            uint16              `scale:"rank,optional"`
	Emission        uint64              `scale:"emission"`
	Incentive       uint16              `scale:"incentive"`
	Consensus       uint16              `scale:"consensus"`
	Trust           uint16              `scale:"trust,optional"`
	ValidatorTrust  uint16              `scale:"validator_trust"`
	Dividends       uint16              `scale:"dividends"`
	LastUpdate      uint64              `scale:"last_update"`
	ValidatorPermit bool                `scale:"validator_permit"`
	PruningScore    uint16              `scale:"pruning_score,optional"`
}

// wireNeuronFull is NeuronInfo: the lite fields plus the weight and bond rows.
type wireNeuronFull struct {
	Hotkey          AccountID           `scale:"hotkey"`
	Coldkey         AccountID           `scale:"coldkey"`
	UID             uint16              `scale:"uid"`
	NetUID          uint16              `scale:"netuid"`
	Active          bool                `scale:"active"`
	Axon            wireAxon            `scale:"axon_info"`
	Prometheus      wirePrometheus      `scale:"prometheus_info,optional"`
	Stake           []wireAccountAmount `scale:"stake"`
	Rank            uint16              `scale:"rank,optional"`
	Emission        uint64              `scale:"emission"`
	Incentive       uint16              `scale:"incentive"`
	Consensus       uint16              `scale:"consensus"`
	Trust           uint16              `scale:"trust,optional"`
	ValidatorTrust  uint16              `scale:"validator_trust"`
	Dividends       uint16              `scale:"dividends"`
	LastUpdate      uint64              `scale:"last_update"`
	ValidatorPermit bool                `scale:"validator_permit"`
	Weights         []wireUIDValue      `scale:"weights"`
	Bonds           []wireUIDValue      `scale:"bonds"`
	PruningScore    uint16              `scale:"pruning_score,optional"`
}

func (w *wireNeuron) domain() NeuronLite {
	n := NeuronLite{UID: w.UID, NetUID: w.NetUID, Hotkey: w.Hotkey, Coldkey: w.Coldkey, Active: w.Active,
		Axon: w.Axon.domain(),
		Prometheus: PrometheusInfo{Block: w.Prometheus.Block, Version: w.Prometheus.Version,
			IP: DecodeIP(w.Prometheus.IP, w.Prometheus.IPType), Port: w.Prometheus.Port, IPType: w.Prometheus.IPType},
		Emission: w.Emission, Rank: w.Rank, Incentive: w.Incentive, Consensus: w.Consensus, Trust: w.Trust,
		ValidatorTrust: w.ValidatorTrust, Dividends: w.Dividends, PruningScore: w.PruningScore,
		LastUpdate: w.LastUpdate, ValidatorPermit: w.ValidatorPermit}
	n.Stake = make([]StakeEntry, len(w.Stake))
	for i, s := range w.Stake {
		n.Stake[i] = StakeEntry{Account: s.Account, Amount: s.Amount}
		n.TotalStake += s.Amount
	}
	return n
}

func (w *wireNeuronFull) domain() Neuron {
	lite := wireNeuron{Hotkey: w.Hotkey, Coldkey: w.Coldkey, UID: w.UID, NetUID: w.NetUID, Active: w.Active, Axon: w.Axon,
		Prometheus: w.Prometheus, Stake: w.Stake, Rank: w.Rank, Emission: w.Emission, Incentive: w.Incentive,
		Consensus: w.Consensus, Trust: w.Trust, ValidatorTrust: w.ValidatorTrust, Dividends: w.Dividends,
		LastUpdate: w.LastUpdate, ValidatorPermit: w.ValidatorPermit, PruningScore: w.PruningScore}
	n := Neuron{NeuronLite: lite.domain()}
	n.Weights = make([]UIDValue, len(w.Weights))
	for i, x := range w.Weights {
		n.Weights[i] = UIDValue(x)
	}
	n.Bonds = make([]UIDValue, len(w.Bonds))
	for i, x := range w.Bonds {
		n.Bonds[i] = UIDValue(x)
	}
	return n
}

// wirePerUID holds the per-uid vectors shared by SubnetState and the metagraph.
type wireSubnetState struct {
	NetUID              uint16      `scale:"netuid"`
	Hotkeys             []AccountID `scale:"hotkeys"`
	Coldkeys            []AccountID `scale:"coldkeys"`
	Active              []bool      `scale:"active"`
	ValidatorPermit     []bool      `scale:"validator_permit"`
	PruningScore        []uint16    `scale:"pruning_score,optional"`
	LastUpdate          []uint64    `scale:"last_update"`
	Emission            []uint64    `scale:"emission"`
	Dividends           []uint16    `scale:"dividends"`
	Incentives          []uint16    `scale:"incentives"`
	Consensus           []uint16    `scale:"consensus"`
	Trust               []uint16    `scale:"trust,optional"`
	Rank                []uint16    `scale:"rank,optional"`
	BlockAtRegistration []uint64    `scale:"block_at_registration"`
	AlphaStake          []uint64    `scale:"alpha_stake"`
	TaoStake            []uint64    `scale:"tao_stake"`
	TotalStake          []uint64    `scale:"total_stake"`
	EmissionHistory     [][]uint64  `scale:"emission_history,optional"`
}

func at[T any](s []T, i int) T {
	var zero T
	if i < len(s) {
		return s[i]
	}
	return zero
}

func (w *wireSubnetState) uids() []UIDState {
	out := make([]UIDState, len(w.Hotkeys))
	for i := range out {
		out[i] = UIDState{UID: uint16(i), Hotkey: w.Hotkeys[i], Coldkey: at(w.Coldkeys, i), Active: at(w.Active, i),
			ValidatorPermit: at(w.ValidatorPermit, i), PruningScore: at(w.PruningScore, i), LastUpdate: at(w.LastUpdate, i),
			Emission: at(w.Emission, i), Dividends: at(w.Dividends, i), Incentive: at(w.Incentives, i),
			Consensus: at(w.Consensus, i), Trust: at(w.Trust, i), Rank: at(w.Rank, i),
			BlockAtRegistration: at(w.BlockAtRegistration, i), AlphaStake: at(w.AlphaStake, i),
			TaoStake: at(w.TaoStake, i), TotalStake: at(w.TotalStake, i)}
	}
	return out
}

type wireHyperparams struct {
	Rho                   uint16 `scale:"rho"`
	Kappa                 uint16 `scale:"kappa"`
	ImmunityPeriod        uint16 `scale:"immunity_period"`
	MinAllowedWeights     uint16 `scale:"min_allowed_weights"`
	MaxWeightsLimit       uint16 `scale:"max_weights_limit"`
	Tempo                 uint16 `scale:"tempo"`
	MinDifficulty         uint64 `scale:"min_difficulty"`
	MaxDifficulty         uint64 `scale:"max_difficulty"`
	WeightsVersion        uint64 `scale:"weights_version"`
	WeightsRateLimit      uint64 `scale:"weights_rate_limit"`
	AdjustmentInterval    uint16 `scale:"adjustment_interval"`
	ActivityCutoff        uint16 `scale:"activity_cutoff"`
	RegistrationAllowed   bool   `scale:"registration_allowed"`
	TargetRegsPerInterval uint16 `scale:"target_regs_per_interval"`
	MinBurn               uint64 `scale:"min_burn"`
	MaxBurn               uint64 `scale:"max_burn"`
	BondsMovingAvg        uint64 `scale:"bonds_moving_avg"`
	MaxRegsPerBlock       uint16 `scale:"max_regs_per_block"`
	ServingRateLimit      uint64 `scale:"serving_rate_limit"`
	MaxValidators         uint16 `scale:"max_validators"`
	AdjustmentAlpha       uint64 `scale:"adjustment_alpha"`
	Difficulty            uint64 `scale:"difficulty"`
	CommitRevealPeriod    uint64 `scale:"commit_reveal_period"`
	CommitRevealEnabled   bool   `scale:"commit_reveal_weights_enabled"`
	AlphaHigh             uint16 `scale:"alpha_high"`
	AlphaLow              uint16 `scale:"alpha_low"`
	LiquidAlphaEnabled    bool   `scale:"liquid_alpha_enabled"`
}

func (w *wireHyperparams) domain() Hyperparameters {
	return Hyperparameters{Tempo: w.Tempo, Rho: w.Rho, Kappa: w.Kappa, ImmunityPeriod: w.ImmunityPeriod,
		MinAllowedWeights: w.MinAllowedWeights, MaxWeightsLimit: w.MaxWeightsLimit, MinDifficulty: w.MinDifficulty,
		MaxDifficulty: w.MaxDifficulty, Difficulty: w.Difficulty, WeightsVersion: w.WeightsVersion,
		WeightsRateLimit: w.WeightsRateLimit, AdjustmentInterval: w.AdjustmentInterval, ActivityCutoff: w.ActivityCutoff,
		AdjustmentAlpha: w.AdjustmentAlpha, RegistrationAllowed: w.RegistrationAllowed,
		TargetRegsPerInterval: w.TargetRegsPerInterval, MaxRegsPerBlock: w.MaxRegsPerBlock, MinBurn: w.MinBurn,
		MaxBurn: w.MaxBurn, BondsMovingAvg: w.BondsMovingAvg, ServingRateLimit: w.ServingRateLimit,
		MaxValidators: w.MaxValidators, CommitRevealEnabled: w.CommitRevealEnabled,
		CommitRevealPeriod: w.CommitRevealPeriod, LiquidAlphaEnabled: w.LiquidAlphaEnabled, AlphaHigh: w.AlphaHigh,
		AlphaLow: w.AlphaLow}
}

type wireSubnetIdentity struct {
	Name        string `scale:"subnet_name"`
	GithubRepo  string `scale:"github_repo"`
	Contact     string `scale:"subnet_contact"`
	URL         string `scale:"subnet_url"`
	Discord     string `scale:"discord"`
	Description string `scale:"description"`
	LogoURL     string `scale:"logo_url"`
	Additional  string `scale:"additional"`
}

type wireChainIdentity struct {
	Name        string `scale:"name"`
	URL         string `scale:"url"`
	GithubRepo  string `scale:"github_repo"`
	Image       string `scale:"image"`
	Discord     string `scale:"discord"`
	Description string `scale:"description"`
	Additional  string `scale:"additional"`
}

type wireCommitment struct {
	Hotkey AccountID
	Data   []byte
}

// wireMetagraph covers Metagraph and SelectiveMetagraph (whose fields are all Option: None leaves the
// zero value). Only netuid is required, so a selective answer with few fields still decodes.
type wireMetagraph struct {
	NetUID                 uint16               `scale:"netuid"`
	Name                   string               `scale:"name,optional"`
	Symbol                 string               `scale:"symbol,optional"`
	Identity               *wireSubnetIdentity  `scale:"identity,optional"`
	NetworkRegisteredAt    uint64               `scale:"network_registered_at,optional"`
	OwnerHotkey            AccountID            `scale:"owner_hotkey,optional"`
	OwnerColdkey           AccountID            `scale:"owner_coldkey,optional"`
	Block                  uint64               `scale:"block,optional"`
	Tempo                  uint16               `scale:"tempo,optional"`
	LastStep               uint64               `scale:"last_step,optional"`
	BlocksSinceLastStep    uint64               `scale:"blocks_since_last_step,optional"`
	SubnetEmission         uint64               `scale:"subnet_emission,optional"`
	AlphaIn                uint64               `scale:"alpha_in,optional"`
	AlphaOut               uint64               `scale:"alpha_out,optional"`
	TaoIn                  uint64               `scale:"tao_in,optional"`
	AlphaOutEmission       uint64               `scale:"alpha_out_emission,optional"`
	AlphaInEmission        uint64               `scale:"alpha_in_emission,optional"`
	TaoInEmission          uint64               `scale:"tao_in_emission,optional"`
	PendingAlphaEmission   uint64               `scale:"pending_alpha_emission,optional"`
	PendingRootEmission    uint64               `scale:"pending_root_emission,optional"`
	SubnetVolume           scale.U128           `scale:"subnet_volume,optional"`
	MovingPrice            scale.U128           `scale:"moving_price,optional"`
	Rho                    uint16               `scale:"rho,optional"`
	Kappa                  uint16               `scale:"kappa,optional"`
	MinAllowedWeights      uint16               `scale:"min_allowed_weights,optional"`
	MaxWeightsLimit        uint16               `scale:"max_weights_limit,optional"`
	WeightsVersion         uint64               `scale:"weights_version,optional"`
	WeightsRateLimit       uint64               `scale:"weights_rate_limit,optional"`
	ActivityCutoff         uint16               `scale:"activity_cutoff,optional"`
	MaxValidators          uint16               `scale:"max_validators,optional"`
	NumUIDs                uint16               `scale:"num_uids,optional"`
	MaxUIDs                uint16               `scale:"max_uids,optional"`
	Burn                   uint64               `scale:"burn,optional"`
	Difficulty             uint64               `scale:"difficulty,optional"`
	RegistrationAllowed    bool                 `scale:"registration_allowed,optional"`
	PowRegistrationAllowed bool                 `scale:"pow_registration_allowed,optional"`
	ImmunityPeriod         uint16               `scale:"immunity_period,optional"`
	MinDifficulty          uint64               `scale:"min_difficulty,optional"`
	MaxDifficulty          uint64               `scale:"max_difficulty,optional"`
	MinBurn                uint64               `scale:"min_burn,optional"`
	MaxBurn                uint64               `scale:"max_burn,optional"`
	AdjustmentAlpha        uint64               `scale:"adjustment_alpha,optional"`
	AdjustmentInterval     uint16               `scale:"adjustment_interval,optional"`
	TargetRegsPerInterval  uint16               `scale:"target_regs_per_interval,optional"`
	MaxRegsPerBlock        uint16               `scale:"max_regs_per_block,optional"`
	ServingRateLimit       uint64               `scale:"serving_rate_limit,optional"`
	CommitRevealEnabled    bool                 `scale:"commit_reveal_weights_enabled,optional"`
	CommitRevealPeriod     uint64               `scale:"commit_reveal_period,optional"`
	LiquidAlphaEnabled     bool                 `scale:"liquid_alpha_enabled,optional"`
	AlphaHigh              uint16               `scale:"alpha_high,optional"`
	AlphaLow               uint16               `scale:"alpha_low,optional"`
	BondsMovingAvg         uint64               `scale:"bonds_moving_avg,optional"`
	Hotkeys                []AccountID          `scale:"hotkeys,optional"`
	Coldkeys               []AccountID          `scale:"coldkeys,optional"`
	Identities             []*wireChainIdentity `scale:"identities,optional"`
	Axons                  []wireAxon           `scale:"axons,optional"`
	Active                 []bool               `scale:"active,optional"`
	ValidatorPermit        []bool               `scale:"validator_permit,optional"`
	PruningScore           []uint16             `scale:"pruning_score,optional"`
	LastUpdate             []uint64             `scale:"last_update,optional"`
	Emission               []uint64             `scale:"emission,optional"`
	Dividends              []uint16             `scale:"dividends,optional"`
	Incentives             []uint16             `scale:"incentives,optional"`
	Consensus              []uint16             `scale:"consensus,optional"`
	Trust                  []uint16             `scale:"trust,optional"`
	Rank                   []uint16             `scale:"rank,optional"`
	BlockAtRegistration    []uint64             `scale:"block_at_registration,optional"`
	AlphaStake             []uint64             `scale:"alpha_stake,optional"`
	TaoStake               []uint64             `scale:"tao_stake,optional"`
	TotalStake             []uint64             `scale:"total_stake,optional"`
	TaoDividends           []wireAccountAmount  `scale:"tao_dividends_per_hotkey,optional"`
	AlphaDividends         []wireAccountAmount  `scale:"alpha_dividends_per_hotkey,optional"`
	Validators             []uint16             `scale:"validators,optional"`
	Commitments            []wireCommitment     `scale:"commitments,optional"`
}

func (w *wireMetagraph) domain(mech uint8) *Metagraph {
	m := &Metagraph{NetUID: w.NetUID, Mechanism: mech, Name: w.Name, Symbol: w.Symbol,
		NetworkRegisteredAt: w.NetworkRegisteredAt, OwnerHotkey: w.OwnerHotkey, OwnerColdkey: w.OwnerColdkey,
		Block: w.Block, LastStep: w.LastStep, BlocksSinceLastStep: w.BlocksSinceLastStep,
		SubnetEmission: w.SubnetEmission, AlphaIn: w.AlphaIn, AlphaOut: w.AlphaOut, TaoIn: w.TaoIn,
		AlphaOutEmission: w.AlphaOutEmission, AlphaInEmission: w.AlphaInEmission, TaoInEmission: w.TaoInEmission,
		PendingAlphaEmission: w.PendingAlphaEmission, PendingRootEmission: w.PendingRootEmission,
		SubnetVolume: w.SubnetVolume, MovingPrice: w.MovingPrice, NumUIDs: w.NumUIDs, Validators: w.Validators}
	if w.Identity != nil && *w.Identity != (wireSubnetIdentity{}) {
		id := SubnetIdentity(*w.Identity)
		m.Identity = &id
	}
	m.Hyperparameters = Hyperparameters{Tempo: w.Tempo, Rho: w.Rho, Kappa: w.Kappa, ImmunityPeriod: w.ImmunityPeriod,
		MinAllowedWeights: w.MinAllowedWeights, MaxWeightsLimit: w.MaxWeightsLimit, MinDifficulty: w.MinDifficulty,
		MaxDifficulty: w.MaxDifficulty, Difficulty: w.Difficulty, WeightsVersion: w.WeightsVersion,
		WeightsRateLimit: w.WeightsRateLimit, AdjustmentInterval: w.AdjustmentInterval, ActivityCutoff: w.ActivityCutoff,
		AdjustmentAlpha: w.AdjustmentAlpha, RegistrationAllowed: w.RegistrationAllowed,
		PowRegistrationAllowed: w.PowRegistrationAllowed, TargetRegsPerInterval: w.TargetRegsPerInterval,
		MaxRegsPerBlock: w.MaxRegsPerBlock, Burn: w.Burn, MinBurn: w.MinBurn, MaxBurn: w.MaxBurn,
		BondsMovingAvg: w.BondsMovingAvg, ServingRateLimit: w.ServingRateLimit, MaxValidators: w.MaxValidators,
		MaxUIDs: w.MaxUIDs, CommitRevealEnabled: w.CommitRevealEnabled, CommitRevealPeriod: w.CommitRevealPeriod,
		LiquidAlphaEnabled: w.LiquidAlphaEnabled, AlphaHigh: w.AlphaHigh, AlphaLow: w.AlphaLow}
	ss := wireSubnetState{NetUID: w.NetUID, Hotkeys: w.Hotkeys, Coldkeys: w.Coldkeys, Active: w.Active,
		ValidatorPermit: w.ValidatorPermit, PruningScore: w.PruningScore, LastUpdate: w.LastUpdate, Emission: w.Emission,
		Dividends: w.Dividends, Incentives: w.Incentives, Consensus: w.Consensus, Trust: w.Trust, Rank: w.Rank,
		BlockAtRegistration: w.BlockAtRegistration, AlphaStake: w.AlphaStake, TaoStake: w.TaoStake, TotalStake: w.TotalStake}
	uids := ss.uids()
	m.Neurons = make([]MetagraphNeuron, len(uids))
	for i := range uids {
		m.Neurons[i] = MetagraphNeuron{UIDState: uids[i]}
		if i < len(w.Axons) {
			m.Neurons[i].Axon = w.Axons[i].domain()
		}
		if id := at(w.Identities, i); id != nil && *id != (wireChainIdentity{}) {
			ci := ChainIdentity(*id)
			m.Neurons[i].Identity = &ci
		}
	}
	for _, d := range w.TaoDividends {
		m.TaoDividends = append(m.TaoDividends, HotkeyAmount{Hotkey: d.Account, Amount: d.Amount})
	}
	for _, d := range w.AlphaDividends {
		m.AlphaDividends = append(m.AlphaDividends, HotkeyAmount{Hotkey: d.Account, Amount: d.Amount})
	}
	for _, c := range w.Commitments {
		m.Commitments = append(m.Commitments, Commitment(c))
	}
	return m
}

type wireSubnetInfo struct {
	NetUID              uint16              `scale:"netuid"`
	Rho                 uint16              `scale:"rho,optional"`
	Kappa               uint16              `scale:"kappa,optional"`
	Difficulty          uint64              `scale:"difficulty,optional"`
	ImmunityPeriod      uint16              `scale:"immunity_period,optional"`
	MaxValidators       uint16              `scale:"max_allowed_validators,optional"`
	MinAllowedWeights   uint16              `scale:"min_allowed_weights,optional"`
	MaxWeightsLimit     uint16              `scale:"max_weights_limit,optional"`
	SubnetworkN         uint16              `scale:"subnetwork_n"`
	MaxAllowedUIDs      uint16              `scale:"max_allowed_uids"`
	BlocksSinceLastStep uint64              `scale:"blocks_since_last_step,optional"`
	Tempo               uint16              `scale:"tempo"`
	EmissionValue       uint64              `scale:"emission_value,optional"`
	Burn                uint64              `scale:"burn"`
	Owner               AccountID           `scale:"owner"`
	Identity            *wireSubnetIdentity `scale:"identity,optional"`
}

func (w *wireSubnetInfo) domain() SubnetInfo {
	s := SubnetInfo{NetUID: w.NetUID, Owner: w.Owner, Tempo: w.Tempo, NumUIDs: w.SubnetworkN, MaxUIDs: w.MaxAllowedUIDs,
		MaxValidators: w.MaxValidators, ImmunityPeriod: w.ImmunityPeriod, MinAllowedWeights: w.MinAllowedWeights,
		MaxWeightsLimit: w.MaxWeightsLimit, Rho: w.Rho, Kappa: w.Kappa, Difficulty: w.Difficulty, Burn: w.Burn,
		EmissionValue: w.EmissionValue, BlocksSinceLastStep: w.BlocksSinceLastStep}
	if w.Identity != nil && *w.Identity != (wireSubnetIdentity{}) {
		id := SubnetIdentity(*w.Identity)
		s.Identity = &id
	}
	return s
}

type wireStakeInfo struct {
	Hotkey       AccountID `scale:"hotkey"`
	Coldkey      AccountID `scale:"coldkey"`
	NetUID       uint16    `scale:"netuid"`
	Stake        uint64    `scale:"stake"`
	Locked       uint64    `scale:"locked,optional"`
	Emission     uint64    `scale:"emission,optional"`
	TaoEmission  uint64    `scale:"tao_emission,optional"`
	Drain        uint64    `scale:"drain,optional"`
	IsRegistered bool      `scale:"is_registered,optional"`
}

type wireDynamicInfo struct {
	NetUID               uint16              `scale:"netuid"`
	OwnerHotkey          AccountID           `scale:"owner_hotkey"`
	OwnerColdkey         AccountID           `scale:"owner_coldkey"`
	Name                 string              `scale:"subnet_name"`
	Symbol               string              `scale:"token_symbol"`
	Tempo                uint16              `scale:"tempo"`
	LastStep             uint64              `scale:"last_step,optional"`
	BlocksSinceLastStep  uint64              `scale:"blocks_since_last_step,optional"`
	Emission             uint64              `scale:"emission,optional"`
	AlphaIn              uint64              `scale:"alpha_in"`
	AlphaOut             uint64              `scale:"alpha_out"`
	TaoIn                uint64              `scale:"tao_in"`
	AlphaOutEmission     uint64              `scale:"alpha_out_emission,optional"`
	AlphaInEmission      uint64              `scale:"alpha_in_emission,optional"`
	TaoInEmission        uint64              `scale:"tao_in_emission,optional"`
	PendingAlphaEmission uint64              `scale:"pending_alpha_emission,optional"`
	PendingRootEmission  uint64              `scale:"pending_root_emission,optional"`
	SubnetVolume         scale.U128          `scale:"subnet_volume,optional"`
	NetworkRegisteredAt  uint64              `scale:"network_registered_at,optional"`
	Identity             *wireSubnetIdentity `scale:"subnet_identity,optional"`
	MovingPrice          scale.U128          `scale:"moving_price,optional"`
}

func (w *wireDynamicInfo) domain() DynamicInfo {
	d := DynamicInfo{NetUID: w.NetUID, OwnerHotkey: w.OwnerHotkey, OwnerColdkey: w.OwnerColdkey, Name: w.Name,
		Symbol: w.Symbol, Tempo: w.Tempo, LastStep: w.LastStep, BlocksSinceLastStep: w.BlocksSinceLastStep,
		Emission: w.Emission, AlphaIn: w.AlphaIn, AlphaOut: w.AlphaOut, TaoIn: w.TaoIn,
		AlphaOutEmission: w.AlphaOutEmission, AlphaInEmission: w.AlphaInEmission, TaoInEmission: w.TaoInEmission,
		PendingAlphaEmission: w.PendingAlphaEmission, PendingRootEmission: w.PendingRootEmission,
		SubnetVolume: w.SubnetVolume, NetworkRegisteredAt: w.NetworkRegisteredAt, MovingPrice: w.MovingPrice}
	if w.Identity != nil && *w.Identity != (wireSubnetIdentity{}) {
		id := SubnetIdentity(*w.Identity)
		d.Identity = &id
	}
	return d
}
