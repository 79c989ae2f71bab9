package runtime

import (
	"math"
	"sort"
)

// HP identifies a subnet hyper-parameter (spec/chain.md §6.2). The numbers are storage ids; never reuse.
type HP uint8

const (
	HPTempo HP = iota + 1
	HPImmunityPeriod
	HPMinAllowedWeights
	HPMaxWeightLimit
	HPActivityCutoff
	HPRegistrationAllowed
	HPPowRegistrationAllowed
	HPDifficulty
	HPMinDifficulty
	HPMaxDifficulty
	HPBurn
	HPMinBurn
	HPMaxBurn
	HPAdjustmentInterval
	HPAdjustmentAlpha
	HPTargetRegistrationsPerInterval
	HPMaxRegistrationsPerBlock
	HPKappa
	HPRho
	HPServingRateLimit
	HPWeightsRateLimit
	HPWeightsVersionKey
	HPCommitRevealWeightsEnabled
	HPCommitRevealPeriod
	HPMaxAllowedUids
	HPMinAllowedUids
	HPMaxAllowedValidators
	HPBondsMovingAverage
	HPBondsPenalty
	HPBondsReset
	HPLiquidAlphaEnabled
	HPAlphaLow
	HPAlphaHigh
	HPAlphaSigmoidSteepness
	HPYuma3Enabled
	HPTransfersEnabled
	HPRecycleOrBurn
	HPImmuneOwnerUidsLimit
	HPMinNonImmuneUids
	HPSubtokenEnabled
	HPEMAPriceHalvingBlocks
	HPMechanismCount
	hpEnd
)

// Who may set a hyper-parameter.
type origin uint8

const (
	noSetter    origin = iota // not settable by any call
	rootOnly                  // sudo only
	ownerOrRoot               // the subnet owner (rate-limited) or sudo
)

// hyperParam describes one subnet hyper-parameter: its name, new-subnet default (the mainnet-like
// profile; genesis may override it), who may set it, whether the admin freeze window applies (W in
// §6.2), and its range.
type hyperParam struct {
	id     HP
	name   string
	def    uint64
	origin origin
	freeze bool
	min    uint64
	max    uint64
	isBool bool
	note   string
}

const (
	u16max = math.MaxUint16
	u64max = math.MaxUint64
	tao    = 1_000_000_000
)

var hyperParams = []hyperParam{
	{id: HPTempo, name: "tempo", def: 360, origin: rootOnly, freeze: true, max: u16max},
	{id: HPImmunityPeriod, name: "immunity_period", def: 5000, origin: ownerOrRoot, freeze: true, max: u16max},
	{id: HPMinAllowedWeights, name: "min_allowed_weights", def: 1, origin: ownerOrRoot, freeze: true, max: u16max},
	{id: HPMaxWeightLimit, name: "max_weight_limit", def: u16max, origin: noSetter, max: u16max, note: "ineffective: the getter is hard-wired to 65535"},
	{id: HPActivityCutoff, name: "activity_cutoff", def: 5000, origin: ownerOrRoot, freeze: true, max: u16max, note: "≥ global min_activity_cutoff"},
	{id: HPRegistrationAllowed, name: "registration_allowed", def: 1, origin: rootOnly, isBool: true},
	{id: HPPowRegistrationAllowed, name: "pow_registration_allowed", def: 1, origin: ownerOrRoot, freeze: true, isBool: true},
	{id: HPDifficulty, name: "difficulty", def: 10_000_000, origin: rootOnly, freeze: true, min: 1, max: u64max},
	{id: HPMinDifficulty, name: "min_difficulty", def: u64max, origin: rootOnly, freeze: true, max: u64max},
	{id: HPMaxDifficulty, name: "max_difficulty", def: u64max, origin: ownerOrRoot, freeze: true, max: u64max},
	{id: HPBurn, name: "burn", def: 100_000_000, origin: noSetter, max: u64max, note: "moved by the interval adjustment only"},
	{id: HPMinBurn, name: "min_burn", def: 500_000, origin: ownerOrRoot, freeze: true, max: tao - 1, note: "< 1 TAO and < max_burn"},
	{id: HPMaxBurn, name: "max_burn", def: 100 * tao, origin: ownerOrRoot, freeze: true, min: tao/10 + 1, max: u64max, note: "> 0.1 TAO and > min_burn"},
	{id: HPAdjustmentInterval, name: "adjustment_interval", def: 360, origin: rootOnly, max: u16max},
	{id: HPAdjustmentAlpha, name: "adjustment_alpha", def: 17_893_341_751_498_265_066, origin: ownerOrRoot, freeze: true, max: u64max},
	{id: HPTargetRegistrationsPerInterval, name: "target_registrations_per_interval", def: 1, origin: rootOnly, freeze: true, max: u16max},
	{id: HPMaxRegistrationsPerBlock, name: "max_registrations_per_block", def: 1, origin: rootOnly, freeze: true, max: u16max},
	{id: HPKappa, name: "kappa", def: 32_767, origin: rootOnly, max: u16max},
	{id: HPRho, name: "rho", def: 10, origin: ownerOrRoot, freeze: true, max: u16max},
	{id: HPServingRateLimit, name: "serving_rate_limit", def: 50, origin: ownerOrRoot, freeze: true, max: u64max},
	{id: HPWeightsRateLimit, name: "weights_rate_limit", def: 100, origin: rootOnly, max: u64max},
	{id: HPWeightsVersionKey, name: "weights_version_key", def: 0, origin: ownerOrRoot, freeze: true, max: u64max, note: "owner: once per weights_version_key_rate_limit tempos"},
	{id: HPCommitRevealWeightsEnabled, name: "commit_reveal_weights_enabled", def: 1, origin: ownerOrRoot, freeze: true, isBool: true},
	{id: HPCommitRevealPeriod, name: "commit_reveal_period", def: 1, origin: ownerOrRoot, freeze: true, min: 1, max: 100, note: "RevealPeriodTooSmall / RevealPeriodTooLarge"},
	{id: HPMaxAllowedUids, name: "max_allowed_uids", def: 256, origin: ownerOrRoot, freeze: true, min: 1, max: u16max, note: "≥ min_allowed_uids, ≥ current n, ≤ global max_allowed_uids_cap"},
	{id: HPMinAllowedUids, name: "min_allowed_uids", def: 64, origin: rootOnly, freeze: true, max: u16max, note: "≤ max_allowed_uids"},
	{id: HPMaxAllowedValidators, name: "max_allowed_validators", def: 64, origin: rootOnly, freeze: true, max: u16max, note: "≤ max_allowed_uids"},
	{id: HPBondsMovingAverage, name: "bonds_moving_average", def: 900_000, origin: ownerOrRoot, freeze: true, max: u64max, note: "owner: ≤ 975000"},
	{id: HPBondsPenalty, name: "bonds_penalty", def: u16max, origin: ownerOrRoot, freeze: true, max: u16max},
	{id: HPBondsReset, name: "bonds_reset", def: 0, origin: ownerOrRoot, freeze: true, isBool: true},
	{id: HPLiquidAlphaEnabled, name: "liquid_alpha_enabled", def: 0, origin: ownerOrRoot, freeze: true, isBool: true},
	{id: HPAlphaLow, name: "alpha_low", def: 45_875, origin: ownerOrRoot, freeze: true, min: 1, max: u16max, note: "≤ alpha_high"},
	{id: HPAlphaHigh, name: "alpha_high", def: 58_982, origin: ownerOrRoot, freeze: true, min: 1, max: u16max, note: "≥ alpha_low"},
	{id: HPAlphaSigmoidSteepness, name: "alpha_sigmoid_steepness", def: 1000, origin: ownerOrRoot, freeze: true, max: math.MaxInt16},
	{id: HPYuma3Enabled, name: "yuma3_enabled", def: 1, origin: ownerOrRoot, freeze: true, isBool: true, note: "gotensor default true (CLASSIC: false)"},
	{id: HPTransfersEnabled, name: "transfers_enabled", def: 1, origin: ownerOrRoot, freeze: true, isBool: true},
	{id: HPRecycleOrBurn, name: "recycle_or_burn", def: 0, origin: ownerOrRoot, freeze: true, isBool: true, note: "0 = burn, 1 = recycle"},
	{id: HPImmuneOwnerUidsLimit, name: "immune_owner_uids_limit", def: 1, origin: ownerOrRoot, freeze: true, min: 1, max: 10},
	{id: HPMinNonImmuneUids, name: "min_non_immune_uids", def: 10, origin: rootOnly, max: u16max},
	{id: HPSubtokenEnabled, name: "subtoken_enabled", def: 0, origin: rootOnly, freeze: true, isBool: true, note: "also set by start_call"},
	{id: HPEMAPriceHalvingBlocks, name: "ema_price_halving_blocks", def: 201_600, origin: rootOnly, max: u64max},
	{id: HPMechanismCount, name: "mechanism_count", def: 1, origin: ownerOrRoot, freeze: true, min: 1, max: 1, note: "only the main mechanism is implemented"},
}

var (
	hpByID   [hpEnd]*hyperParam
	hpByName = map[string]*hyperParam{}
)

func init() {
	for i := range hyperParams {
		p := &hyperParams[i]
		if p.isBool {
			p.max = 1
		}
		hpByID[p.id] = p
		hpByName[p.name] = p
	}
}

// HyperparameterSpec is the public description of one subnet hyper-parameter.
type HyperparameterSpec struct {
	Name    string `json:"name"`
	Default uint64 `json:"default"`
	Setter  string `json:"setter"` // "root", "owner/root" or "none"
	Freeze  bool   `json:"freeze_window"`
	Min     uint64 `json:"min"`
	Max     uint64 `json:"max"`
	Note    string `json:"note,omitempty"`
}

// Hyperparameters lists every subnet hyper-parameter with its mainnet-like default, in id order.
func Hyperparameters() []HyperparameterSpec {
	out := make([]HyperparameterSpec, 0, len(hyperParams))
	for _, p := range hyperParams {
		setter := map[origin]string{noSetter: "none", rootOnly: "root", ownerOrRoot: "owner/root"}[p.origin]
		out = append(out, HyperparameterSpec{p.name, p.def, setter, p.freeze, p.min, p.max, p.note})
	}
	return out
}

// Global identifies a chain-wide parameter (root-only, set with sudo(set_global_parameter)).
type globalParam struct {
	name     string
	def      uint64
	settable bool
	note     string
}

// Global parameter names.
const (
	GNetworkRateLimit             = "network_rate_limit"
	GNetworkMinLockCost           = "network_min_lock_cost"
	GNetworkLastLockCost          = "network_last_lock_cost"
	GNetworkLastLockBlock         = "network_last_lock_block"
	GNetworkLockReductionInterval = "network_lock_reduction_interval"
	GNetworkRegistrationStart     = "network_registration_start_block"
	GNetworkImmunityPeriod        = "network_immunity_period"
	GSubnetLimit                  = "subnet_limit"
	GStakeThreshold               = "stake_threshold"
	GAdminFreezeWindow            = "admin_freeze_window"
	GOwnerHyperparamRateLimit     = "owner_hyperparam_rate_limit"
	GWeightsVersionKeyRateLimit   = "weights_version_key_rate_limit"
	GStartCallDelay               = "start_call_delay"
	GCommitRevealVersion          = "commit_reveal_version"
	GSubnetOwnerCut               = "subnet_owner_cut"
	GMinActivityCutoff            = "min_activity_cutoff"
	GMaxAllowedUidsCap            = "max_allowed_uids_cap"
	GTaoWeight                    = "tao_weight"
	GExistentialDeposit           = "existential_deposit"
	GTxFee                        = "tx_fee"
	GFaucetEnabled                = "faucet_enabled"
	GFaucetDifficulty             = "faucet_difficulty"
	GFaucetAmount                 = "faucet_amount"
	GTxDelegateTakeRateLimit      = "tx_delegate_take_rate_limit"
	GMinDelegateTake              = "min_delegate_take"
	GMaxDelegateTake              = "max_delegate_take"
	GMinStake                     = "min_stake"
	GFlowEmaSmoothingFactor       = "flow_ema_smoothing_factor"
	GSubnetMovingAlpha            = "subnet_moving_alpha"
)

var globalParams = []globalParam{
	{GNetworkRateLimit, 7200, true, "blocks between two register_network calls, chain-wide"},
	{GNetworkMinLockCost, 1000 * tao, true, "rao"},
	{GNetworkLastLockCost, 1000 * tao, false, "rao; written by register_network"},
	{GNetworkLastLockBlock, 0, false, "written by register_network"},
	{GNetworkLockReductionInterval, 14 * 7200, true, "blocks"},
	{GNetworkRegistrationStart, 0, true, "block"},
	{GNetworkImmunityPeriod, 1_296_000, true, "blocks"},
	{GSubnetLimit, 128, true, "non-root subnets"},
	{GStakeThreshold, 0, true, "stake weight needed to set weights"},
	{GAdminFreezeWindow, 10, true, "blocks before an epoch in which W setters are refused"},
	{GOwnerHyperparamRateLimit, 2, true, "tempos between two owner changes of one parameter"},
	{GWeightsVersionKeyRateLimit, 5, true, "tempos between two owner changes of weights_version_key"},
	{GStartCallDelay, 0, true, "blocks after registration before start_call"},
	{GCommitRevealVersion, 4, true, ""},
	{GSubnetOwnerCut, 11_796, true, "u16 proportion"},
	{GMinActivityCutoff, 360, true, "blocks"},
	{GMaxAllowedUidsCap, 256, false, "largest max_allowed_uids a setter may choose (genesis only)"},
	{GTaoWeight, 3_320_413_933_267_719_290, false, "u64 proportion ≈ 0.18, mainnet's value (genesis only); subtensor's code default is 971718665099567868 ≈ 0.0527"},
	{GExistentialDeposit, 500, false, "rao (genesis only)"},
	{GTxFee, 0, true, "flat fee in rao per paying transaction"},
	{GFaucetEnabled, 0, false, "dev chains only (genesis only)"},
	{GFaucetDifficulty, 1_000_000, true, ""},
	{GFaucetAmount, 1000 * tao, true, "rao minted per faucet call"},
	{GTxDelegateTakeRateLimit, 216_000, true, "blocks"},
	{GMinDelegateTake, 0, true, "u16 proportion"},
	{GMaxDelegateTake, 11_796, true, "u16 proportion"},
	{GMinStake, 2_000_000, true, "rao: DefaultMinStake, the smallest add_stake (and unstake, unless full)"},
	{GFlowEmaSmoothingFactor, 29_597_889_189_277, true, "TAO-flow EMA α = value / i64::MAX (≈ 3.2e-6 per block)"},
	{GSubnetMovingAlpha, 12_885, true, "raw I96F32 (value / 2^32 ≈ 0.000003): SubnetMovingAlpha of the price EMA"},
}

var globalByName = map[string]*globalParam{}

func init() {
	for i := range globalParams {
		globalByName[globalParams[i].name] = &globalParams[i]
	}
}

// GlobalParameterSpec is the public description of one chain-wide parameter.
type GlobalParameterSpec struct {
	Name     string `json:"name"`
	Default  uint64 `json:"default"`
	Settable bool   `json:"settable"`
	Note     string `json:"note,omitempty"`
}

// GlobalParameters lists the chain-wide parameters with their mainnet-like defaults, by name.
func GlobalParameters() []GlobalParameterSpec {
	out := make([]GlobalParameterSpec, 0, len(globalParams))
	for _, g := range globalParams {
		out = append(out, GlobalParameterSpec{g.name, g.def, g.settable, g.note})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// accessors ----------------------------------------------------------------------------------------

func (s st) global(name string) uint64 {
	g := globalByName[name]
	def := uint64(0)
	if g != nil {
		def = g.def
	}
	return s.u64Or(key(kGlobal).str(name), def)
}

func (s st) setGlobal(name string, v uint64) { s.setU64(key(kGlobal).str(name), v) }

func (s st) hp(netuid uint16, id HP) uint64 {
	return s.u64Or(key(kHyper).u16(netuid).u8(uint8(id)), hpByID[id].def)
}

func (s st) hpBool(netuid uint16, id HP) bool { return s.hp(netuid, id) != 0 }
func (s st) hp16(netuid uint16, id HP) uint16 { return uint16(min(s.hp(netuid, id), u16max)) }

func (s st) setHP(netuid uint16, id HP, v uint64) { s.setU64(key(kHyper).u16(netuid).u8(uint8(id)), v) }

func (s st) setHPBool(netuid uint16, id HP, v bool) {
	if v {
		s.setHP(netuid, id, 1)
	} else {
		s.setHP(netuid, id, 0)
	}
}

// subnetDefault is the value a new subnet starts with (genesis override or the table's default).
func (s st) subnetDefault(id HP) uint64 {
	return s.u64Or(key(kSubnetDefault).u8(uint8(id)), hpByID[id].def)
}
