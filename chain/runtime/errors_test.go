package runtime_test

import (
	"testing"

	"github.com/gotensor/gotensor/chain/runtime"
	sc "github.com/gotensor/gotensor/chain/runtime/scenario"
	"github.com/gotensor/gotensor/chain/tx"
)

// base is the common starting point of the error table: subnet 1 owned by "owner" (hotkey owner-hot,
// uid 0), v1 (uid 1) and m1 (uid 2) registered by alice, tempo 10, weights rate limit 0.
func base(t *testing.T, opts sc.Options) (*sc.Chain, uint16) {
	c := sc.New(t, opts)
	net := c.CreateSubnet("owner", "owner-hot")
	c.SetHyper(net, "tempo", 10)
	c.SetHyper(net, "weights_rate_limit", 0)
	c.BurnedRegister("alice", "v1", net)
	c.BurnedRegister("alice", "m1", net)
	c.Step(1)
	return c, net
}

func crOff(c *sc.Chain, net uint16) { c.SetHyper(net, "commit_reveal_weights_enabled", 0) }

// TestErrors runs every §10 error the calls of this runtime raise, and checks that the failed call
// changed nothing but the signer's nonce.
func TestErrors(t *testing.T) {
	axon := func(net uint16) tx.ServeAxon {
		return tx.ServeAxon{Netuid: net, IP: tx.IPv4(10, 0, 0, 1), Port: 8091, IPType: 4}
	}
	prom := func(net uint16) tx.ServePrometheus {
		return tx.ServePrometheus{Netuid: net, IP: tx.IPv4(10, 0, 0, 1), Port: 9090, IPType: 4}
	}
	cases := []struct {
		name  string
		opts  sc.Options
		setup func(c *sc.Chain, net uint16) (signer string, call tx.Call)
		want  *runtime.Error
	}{
		// balances
		{"InsufficientBalance", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.Transfer{Dest: sc.Pub("bob"), Amount: sc.Endowment * 2}
		}, runtime.ErrInsufficientBalance},
		{"ExistentialDeposit", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.Transfer{Dest: sc.Pub("nobody"), Amount: 10}
		}, runtime.ErrExistentialDeposit},
		{"FaucetDisabled", sc.Options{Genesis: noFaucetGenesis()}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.Faucet{BlockNumber: c.Height()}
		}, runtime.ErrFaucetDisabled},
		{"InvalidDifficulty (faucet)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.Faucet{BlockNumber: c.Height(), Work: [32]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}
		}, runtime.ErrInvalidDifficulty},
		// subnets and admin
		{"BadOrigin (sudo)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.Sudo{Call: tx.SetGlobalParameter{Name: runtime.GTxFee, Value: 1}}
		}, runtime.ErrBadOrigin},
		{"BadOrigin (owner setter by another)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.SetHyperparameter{Netuid: net, Name: "rho", Value: 5}
		}, runtime.ErrBadOrigin},
		{"BadOrigin (root-only setter by owner)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "kappa", Value: 5}
		}, runtime.ErrBadOrigin},
		{"BadOrigin (global without sudo)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "sudo", tx.SetGlobalParameter{Name: runtime.GTxFee, Value: 1}
		}, runtime.ErrBadOrigin},
		{"UnknownParameter", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "nope", Value: 5}
		}, runtime.ErrUnknownParameter},
		{"ParameterNotSettable", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "sudo", tx.Sudo{Call: tx.SetHyperparameter{Netuid: net, Name: "burn", Value: 5}}
		}, runtime.ErrParameterNotSettable},
		{"ParameterNotSettable (genesis-only global)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "sudo", tx.Sudo{Call: tx.SetGlobalParameter{Name: runtime.GTaoWeight, Value: 5}}
		}, runtime.ErrParameterNotSettable},
		{"ValueNotInBounds", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "immune_owner_uids_limit", Value: 11}
		}, runtime.ErrValueNotInBounds},
		{"ValueNotInBounds (min_burn ≥ max_burn)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetHyper(net, "max_burn", 200_000_000)
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "min_burn", Value: 300_000_000}
		}, runtime.ErrValueNotInBounds},
		{"ValueNotInBounds (activity_cutoff < min)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "activity_cutoff", Value: 100}
		}, runtime.ErrValueNotInBounds},
		{"RevealPeriodTooSmall", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "commit_reveal_period", Value: 0}
		}, runtime.ErrRevealPeriodTooSmall},
		{"RevealPeriodTooLarge", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "commit_reveal_period", Value: 101}
		}, runtime.ErrRevealPeriodTooLarge},
		{"MaxValidatorsLargerThanMaxUIds", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "sudo", tx.Sudo{Call: tx.SetHyperparameter{Netuid: net, Name: "max_allowed_validators", Value: 300}}
		}, runtime.ErrMaxValidatorsLargerThanMaxUIds},
		{"MaxAllowedUIdsLessThanCurrentUIds", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetHyper(net, "min_allowed_uids", 1)
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "max_allowed_uids", Value: 2}
		}, runtime.ErrMaxAllowedUIdsLessThanCurrentUIds},
		{"MaxAllowedUidsGreaterThanDefaultMaxAllowedUids", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "max_allowed_uids", Value: 257}
		}, runtime.ErrMaxAllowedUidsGreaterThanDefaultMaxAllowed},
		{"BondsMovingAverageMaxReached", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "bonds_moving_average", Value: 975_001}
		}, runtime.ErrBondsMovingAverageMaxReached},
		{"AdminActionProhibitedDuringWeightsWindow", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetGlobal(runtime.GAdminFreezeWindow, 11) // tempo 10: always inside the window
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "rho", Value: 5}
		}, runtime.ErrAdminActionProhibitedDuringWeightsWindow},
		{"TxRateLimitExceeded (owner hyperparameter)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetGlobal(runtime.GOwnerHyperparamRateLimit, 2)
			c.Must("owner", tx.SetHyperparameter{Netuid: net, Name: "rho", Value: 5})
			return "owner", tx.SetHyperparameter{Netuid: net, Name: "rho", Value: 6}
		}, runtime.ErrTxRateLimitExceeded},
		{"SubnetNotExists (hyperparameter)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "owner", tx.SetHyperparameter{Netuid: 9, Name: "rho", Value: 5}
		}, runtime.ErrSubnetNotExists},
		{"NonAssociatedColdKey (register network)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "bob", tx.RegisterNetwork{Hotkey: sc.Pub("v1")}
		}, runtime.ErrNonAssociatedColdKey},
		{"SubNetRegistrationDisabled (network start block)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetGlobal(runtime.GNetworkRegistrationStart, 1000)
			return "bob", tx.RegisterNetwork{Hotkey: sc.Pub("bob-hot")}
		}, runtime.ErrSubNetRegistrationDisabled},
		{"NetworkTxRateLimitExceeded", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetGlobal(runtime.GNetworkRateLimit, 7200)
			return "bob", tx.RegisterNetwork{Hotkey: sc.Pub("bob-hot")}
		}, runtime.ErrNetworkTxRateLimitExceeded},
		{"SubnetLimitReached", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetGlobal(runtime.GSubnetLimit, 1)
			return "bob", tx.RegisterNetwork{Hotkey: sc.Pub("bob-hot")}
		}, runtime.ErrSubnetLimitReached},
		{"CannotAffordLockCost", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.Must("bob", tx.TransferAll{Dest: sc.Pub("alice"), KeepAlive: true})
			return "bob", tx.RegisterNetwork{Hotkey: sc.Pub("bob-hot")}
		}, runtime.ErrCannotAffordLockCost},
		{"NeedWaitingMoreBlocksToStarCall", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetGlobal(runtime.GStartCallDelay, 100)
			c.Must("bob", tx.RegisterNetwork{Hotkey: sc.Pub("bob-hot")})
			return "bob", tx.StartCall{Netuid: 2}
		}, runtime.ErrNeedWaitingMoreBlocksToStarCall},
		{"FirstEmissionBlockNumberAlreadySet", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "owner", tx.StartCall{Netuid: net}
		}, runtime.ErrFirstEmissionBlockNumberAlreadySet},
		{"BadOrigin (start_call by another)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.StartCall{Netuid: net}
		}, runtime.ErrBadOrigin},
		// registration
		{"TransactorAccountShouldBeHotKey", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			w := c.Work("x1", net)
			return "bob", w
		}, runtime.ErrTransactorAccountShouldBeHotKey},
		{"RegistrationNotPermittedOnRootSubnet", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "bob", tx.BurnedRegister{Netuid: 0, Hotkey: sc.Pub("x1")}
		}, runtime.ErrRegistrationNotPermittedOnRootSubnet},
		{"SubnetNotExists (register)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "bob", tx.BurnedRegister{Netuid: 7, Hotkey: sc.Pub("x1")}
		}, runtime.ErrSubnetNotExists},
		{"SubNetRegistrationDisabled (pow off)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetHyper(net, "pow_registration_allowed", 0)
			w := c.Work("x1", net)
			w.Coldkey = sc.Pub("bob")
			return "x1", w
		}, runtime.ErrSubNetRegistrationDisabled},
		{"SubNetRegistrationDisabled (burn off)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetHyper(net, "registration_allowed", 0)
			return "bob", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("x1")}
		}, runtime.ErrSubNetRegistrationDisabled},
		{"TooManyRegistrationsThisBlock", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetHyper(net, "max_registrations_per_block", 1)
			c.BurnedRegister("bob", "x1", net)
			return "bob", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("x2")}
		}, runtime.ErrTooManyRegistrationsThisBlock},
		{"TooManyRegistrationsThisInterval", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetHyper(net, "target_registrations_per_interval", 1) // 3 per interval; 2 already this interval
			c.BurnedRegister("bob", "x1", net)
			return "bob", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("x2")}
		}, runtime.ErrTooManyRegistrationsThisInterval},
		{"HotKeyAlreadyRegisteredInSubNet", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("v1")}
		}, runtime.ErrHotKeyAlreadyRegisteredInSubNet},
		{"InvalidWorkBlock", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			w := c.Work("x1", net)
			w.BlockNumber = c.Height() + 1
			return "x1", w
		}, runtime.ErrInvalidWorkBlock},
		{"InvalidDifficulty", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			w := c.Work("x1", net)
			c.SetHyper(net, "difficulty", 1<<62)
			return "x1", w
		}, runtime.ErrInvalidDifficulty},
		{"InvalidSeal", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			w := c.Work("x1", net)
			w.Nonce++
			return "x1", w
		}, runtime.ErrInvalidSeal},
		{"NonAssociatedColdKey (burned)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.Must("alice", tx.AssociateHotkey{Hotkey: sc.Pub("x1")})
			return "bob", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("x1")}
		}, runtime.ErrNonAssociatedColdKey},
		{"NonAssociatedColdKey (associate)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "bob", tx.AssociateHotkey{Hotkey: sc.Pub("v1")}
		}, runtime.ErrNonAssociatedColdKey},
		{"NotEnoughBalanceToStake", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.Must("bob", tx.TransferAll{Dest: sc.Pub("alice"), KeepAlive: true})
			return "bob", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("x1")}
		}, runtime.ErrNotEnoughBalanceToStake},
		{"NoNeuronIdAvailable", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetHyper(net, "min_allowed_uids", 1)
			c.SetHyper(net, "max_allowed_uids", 3) // full: owner (immortal), v1, m1
			c.SetHyper(net, "immunity_period", 0)  // 2 non-immune ≤ min_non_immune_uids (10) and no immune one
			return "bob", tx.BurnedRegister{Netuid: net, Hotkey: sc.Pub("x1")}
		}, runtime.ErrNoNeuronIdAvailable},
		{"StakeTooLowForRoot", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetHyper(0, "min_allowed_uids", 1)
			c.SetHyper(0, "max_allowed_uids", 1)
			c.Must("alice", tx.RootRegister{Hotkey: sc.Pub("v1")})
			return "bob", tx.RootRegister{Hotkey: sc.Pub("x1")}
		}, runtime.ErrStakeTooLowForRoot},
		// weights
		{"CommitRevealEnabled", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "m1", tx.SetWeights{Netuid: net, Dests: []uint16{2}, Weights: []uint16{1}}
		}, runtime.ErrCommitRevealEnabled},
		{"CanNotSetRootNetworkWeights", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "m1", tx.SetWeights{Netuid: 0, Dests: []uint16{2}, Weights: []uint16{1}}
		}, runtime.ErrCanNotSetRootNetworkWeights},
		{"WeightVecNotEqualSize", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			crOff(c, net)
			return "m1", tx.SetWeights{Netuid: net, Dests: []uint16{2}, Weights: []uint16{1, 2}}
		}, runtime.ErrWeightVecNotEqualSize},
		{"MechanismDoesNotExist", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "m1", tx.CommitWeights{Netuid: 9}
		}, runtime.ErrMechanismDoesNotExist},
		{"UidsLengthExceedUidsInSubNet", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			crOff(c, net)
			return "m1", tx.SetWeights{Netuid: net, Dests: []uint16{0, 1, 2, 3}, Weights: []uint16{1, 1, 1, 1}}
		}, runtime.ErrUidsLengthExceedUidsInSubNet},
		{"HotKeyNotRegisteredInSubNet", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			crOff(c, net)
			return "bob", tx.SetWeights{Netuid: net, Dests: []uint16{2}, Weights: []uint16{1}}
		}, runtime.ErrHotKeyNotRegisteredInSubNet},
		{"NotEnoughStakeToSetWeights", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			crOff(c, net)
			c.SetGlobal(runtime.GStakeThreshold, 1)
			return "m1", tx.SetWeights{Netuid: net, Dests: []uint16{2}, Weights: []uint16{1}}
		}, runtime.ErrNotEnoughStakeToSetWeights},
		{"IncorrectWeightVersionKey", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			crOff(c, net)
			c.SetHyper(net, "weights_version_key", 5)
			return "m1", tx.SetWeights{Netuid: net, Dests: []uint16{2}, Weights: []uint16{1}, VersionKey: 4}
		}, runtime.ErrIncorrectWeightVersionKey},
		{"SettingWeightsTooFast", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			crOff(c, net)
			c.SetHyper(net, "weights_rate_limit", 100)
			return "m1", tx.SetWeights{Netuid: net, Dests: []uint16{2}, Weights: []uint16{1}}
		}, runtime.ErrSettingWeightsTooFast},
		{"NeuronNoValidatorPermit", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			crOff(c, net)
			return "m1", tx.SetWeights{Netuid: net, Dests: []uint16{1}, Weights: []uint16{1}}
		}, runtime.ErrNeuronNoValidatorPermit},
		{"DuplicateUids", sc.Options{GrantPermits: true}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			crOff(c, net)
			c.StepToEpoch(net)
			return "m1", tx.SetWeights{Netuid: net, Dests: []uint16{1, 1}, Weights: []uint16{1, 2}}
		}, runtime.ErrDuplicateUids},
		{"UidVecContainInvalidOne", sc.Options{GrantPermits: true}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			crOff(c, net)
			c.StepToEpoch(net)
			return "m1", tx.SetWeights{Netuid: net, Dests: []uint16{1, 7}, Weights: []uint16{1, 2}}
		}, runtime.ErrUidVecContainInvalidOne},
		{"WeightVecLengthIsLow", sc.Options{GrantPermits: true}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			crOff(c, net)
			c.SetHyper(net, "min_allowed_weights", 3)
			c.StepToEpoch(net)
			return "m1", tx.SetWeights{Netuid: net, Dests: []uint16{1, 0}, Weights: []uint16{1, 2}}
		}, runtime.ErrWeightVecLengthIsLow},
		{"CommitRevealDisabled", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			crOff(c, net)
			return "m1", tx.CommitWeights{Netuid: net}
		}, runtime.ErrCommitRevealDisabled},
		{"CommittingWeightsTooFast", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetHyper(net, "weights_rate_limit", 100)
			return "m1", tx.CommitWeights{Netuid: net}
		}, runtime.ErrCommittingWeightsTooFast},
		{"TooManyUnrevealedCommits", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			for i := 0; i < runtime.MaxCommits; i++ {
				c.Must("m1", tx.CommitWeights{Netuid: net, Hash: [32]byte{byte(i)}})
			}
			return "m1", tx.CommitWeights{Netuid: net, Hash: [32]byte{99}}
		}, runtime.ErrTooManyUnrevealedCommits},
		{"NoWeightsCommitFound", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "m1", tx.RevealWeights{Netuid: net, Uids: []uint16{2}, Values: []uint16{1}}
		}, runtime.ErrNoWeightsCommitFound},
		{"InvalidRevealCommitHashNotMatch", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.Must("m1", tx.CommitWeights{Netuid: net, Hash: [32]byte{1}})
			return "m1", tx.RevealWeights{Netuid: net, Uids: []uint16{2}, Values: []uint16{1}}
		}, runtime.ErrInvalidRevealCommitHashNotMatch},
		{"RevealTooEarly", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			h := tx.CommitHash(sc.Pub("m1"), net, []uint16{2}, []uint16{1}, nil, 0)
			c.Must("m1", tx.CommitWeights{Netuid: net, Hash: h})
			return "m1", tx.RevealWeights{Netuid: net, Uids: []uint16{2}, Values: []uint16{1}}
		}, runtime.ErrRevealTooEarly},
		{"ExpiredWeightCommit", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			h := tx.CommitHash(sc.Pub("m1"), net, []uint16{2}, []uint16{1}, nil, 0)
			c.Must("m1", tx.CommitWeights{Netuid: net, Hash: h})
			c.Step(25)
			return "m1", tx.RevealWeights{Netuid: net, Uids: []uint16{2}, Values: []uint16{1}}
		}, runtime.ErrExpiredWeightCommit},
		{"InputLengthsUnequal", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.Must("m1", tx.CommitWeights{Netuid: net, Hash: [32]byte{1}})
			return "m1", tx.BatchRevealWeights{Netuid: net, Uids: [][]uint16{{2}}, Values: [][]uint16{{1}}, Salts: [][]uint16{}, VersionKeys: []uint64{0}}
		}, runtime.ErrInputLengthsUnequal},
		// stake and take
		{"SubnetNotExists (add_stake)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.AddStake{Hotkey: sc.Pub("v1"), Netuid: 9, Amount: 10 * tao}
		}, runtime.ErrSubnetNotExists},
		{"SubtokenDisabled", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.Must("owner2", tx.RegisterNetwork{Hotkey: sc.Pub("owner2-hot")}) // not started
			return "alice", tx.AddStake{Hotkey: sc.Pub("owner2-hot"), Netuid: net + 1, Amount: 10 * tao}
		}, runtime.ErrSubtokenDisabled},
		{"SubtokenDisabled (remove_stake)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.Must("owner2", tx.RegisterNetwork{Hotkey: sc.Pub("owner2-hot")})
			return "alice", tx.RemoveStake{Hotkey: sc.Pub("owner2-hot"), Netuid: net + 1, Amount: 10 * tao}
		}, runtime.ErrSubtokenDisabled},
		{"AmountTooLow (add_stake below the minimum)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.AddStake{Hotkey: sc.Pub("v1"), Netuid: net, Amount: 1_999_999}
		}, runtime.ErrAmountTooLow},
		{"NotEnoughBalanceToStake", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.AddStake{Hotkey: sc.Pub("v1"), Netuid: net, Amount: 2 * sc.Endowment}
		}, runtime.ErrNotEnoughBalanceToStake},
		{"HotKeyAccountNotExists (add_stake)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.AddStake{Hotkey: sc.Pub("nobody-hot"), Netuid: net, Amount: 10 * tao}
		}, runtime.ErrHotKeyAccountNotExists},
		{"InsufficientLiquidity (stable pool's alpha reserve)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.AddStake{Hotkey: sc.Pub("v1"), Netuid: net, Amount: 100_000 * tao}
		}, runtime.ErrInsufficientLiquidity},
		{"StakingOperationRateLimitExceeded", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.Stake("bob", "v1", net, 10*tao)
			return "bob", tx.RemoveStake{Hotkey: sc.Pub("v1"), Netuid: net, Amount: tao}
		}, runtime.ErrStakingOperationRateLimitExceeded},
		{"AmountTooLow (remove_stake 0)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.RemoveStake{Hotkey: sc.Pub("v1"), Netuid: net}
		}, runtime.ErrAmountTooLow},
		{"AmountTooLow (partial unstake below the minimum)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.Stake("bob", "v1", net, 10*tao)
			c.Step(1)
			return "bob", tx.RemoveStake{Hotkey: sc.Pub("v1"), Netuid: net, Amount: 1000}
		}, runtime.ErrAmountTooLow},
		{"HotKeyAccountNotExists (remove_stake)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.RemoveStake{Hotkey: sc.Pub("nobody-hot"), Netuid: net, Amount: tao}
		}, runtime.ErrHotKeyAccountNotExists},
		{"NotEnoughStakeToWithdraw", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "bob", tx.RemoveStake{Hotkey: sc.Pub("v1"), Netuid: net, Amount: tao}
		}, runtime.ErrNotEnoughStakeToWithdraw},
		{"HotKeyAccountNotExists (take)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.DecreaseTake{Hotkey: sc.Pub("nobody-hot"), Take: 1}
		}, runtime.ErrHotKeyAccountNotExists},
		{"NonAssociatedColdKey (take)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "bob", tx.DecreaseTake{Hotkey: sc.Pub("v1"), Take: 1}
		}, runtime.ErrNonAssociatedColdKey},
		{"DelegateTakeTooLow (decrease to the current take)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.DecreaseTake{Hotkey: sc.Pub("v1"), Take: runtime.DefaultDelegateTake}
		}, runtime.ErrDelegateTakeTooLow},
		{"DelegateTakeTooLow (below min_delegate_take)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.SetGlobal(runtime.GMinDelegateTake, 100)
			return "alice", tx.DecreaseTake{Hotkey: sc.Pub("v1"), Take: 99}
		}, runtime.ErrDelegateTakeTooLow},
		{"DelegateTakeTooLow (increase to the current take)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.IncreaseTake{Hotkey: sc.Pub("v1"), Take: runtime.DefaultDelegateTake}
		}, runtime.ErrDelegateTakeTooLow},
		{"DelegateTakeTooHigh", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "alice", tx.IncreaseTake{Hotkey: sc.Pub("v1"), Take: runtime.DefaultDelegateTake + 1}
		}, runtime.ErrDelegateTakeTooHigh},
		{"DelegateTxRateLimitExceeded", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.Must("alice", tx.DecreaseTake{Hotkey: sc.Pub("v1"), Take: 100})
			c.Step(5)
			return "alice", tx.IncreaseTake{Hotkey: sc.Pub("v1"), Take: 200}
		}, runtime.ErrDelegateTxRateLimitExceeded},
		// serving
		{"HotKeyNotRegisteredInNetwork", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			return "bob", axon(net)
		}, runtime.ErrHotKeyNotRegisteredInNetwork},
		{"InvalidIpType", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			a := axon(net)
			a.IPType = 5
			return "m1", a
		}, runtime.ErrInvalidIpType},
		{"InvalidIpAddress (127.0.0.1)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			a := axon(net)
			a.IP = tx.IPv4(127, 0, 0, 1)
			return "m1", a
		}, runtime.ErrInvalidIpAddress},
		{"InvalidIpAddress (prometheus 0)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			p := prom(net)
			p.IP = tx.U128{}
			return "m1", p
		}, runtime.ErrInvalidIpAddress},
		{"InvalidIpAddress (::1)", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			a := axon(net)
			a.IPType, a.IP = 6, tx.U128{Lo: 1}
			return "m1", a
		}, runtime.ErrInvalidIpAddress},
		{"ServingRateLimitExceeded", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			c.Must("m1", prom(net))
			return "m1", prom(net)
		}, runtime.ErrServingRateLimitExceeded},
		{"InvalidPort", sc.Options{}, func(c *sc.Chain, net uint16) (string, tx.Call) {
			a := axon(net)
			a.Port = 0
			return "m1", a
		}, runtime.ErrInvalidPort},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, net := base(t, tc.opts)
			signer, call := tc.setup(c, net)
			c.ExpectFail(signer, call, tc.want)
		})
	}
}

func noFaucetGenesis() *runtime.Genesis {
	g := sc.Genesis()
	g.Globals = append(g.Globals, runtime.Param{Name: runtime.GFaucetEnabled, Value: 0})
	return &g
}

// TestRejections covers the envelope checks: nothing changes, not even the nonce.
func TestRejections(t *testing.T) {
	c := sc.New(t, sc.Options{Genesis: func() *runtime.Genesis {
		g := sc.Genesis()
		g.Globals = append(g.Globals, runtime.Param{Name: runtime.GTxFee, Value: 1000})
		return &g
	}()})
	call := tx.Transfer{Dest: sc.Pub("bob"), Amount: tao}
	good := c.Sign("alice", call)

	bad := append([]byte(nil), good...)
	bad[len(bad)-1] ^= 1
	c.ExpectReject(bad, runtime.ErrBadSignature)

	other, _ := tx.Sign(sc.Key("alice"), [32]byte{9}, 0, call)
	c.ExpectReject(other.Encode(), runtime.ErrWrongChain)

	future, _ := tx.Sign(sc.Key("alice"), c.R.GenesisHash(), 5, call)
	c.ExpectReject(future.Encode(), runtime.ErrFutureNonce)

	c.ExpectReject(make([]byte, tx.MaxSize+1), runtime.ErrOversized)
	c.ExpectReject([]byte{1, 2, 3}, runtime.ErrMalformed)
	v2 := append([]byte(nil), good...)
	v2[0] = 2
	c.ExpectReject(v2, runtime.ErrBadVersion)
	unk := append([]byte(nil), good...)
	unk[1+32+32+8] = 250
	c.ExpectReject(unk, runtime.ErrUnknownCall)

	poor, _ := tx.Sign(sc.Key("pauper"), c.R.GenesisHash(), 0, tx.Transfer{Dest: sc.Pub("bob"), Amount: 1})
	c.ExpectReject(poor.Encode(), runtime.ErrCannotPayFee)

	if res := c.R.DeliverTx(good); !res.OK() {
		t.Fatalf("good transfer: %s %s", res.Error, res.Log)
	}
	if got := c.R.Balance(sc.Pub("alice")); got != sc.Endowment-tao-1000 {
		t.Fatalf("fee not charged: %d", got)
	}
	c.ExpectReject(good, runtime.ErrStaleNonce) // replay
	// A failed call still takes the nonce and the fee (so it cannot be replayed).
	res := c.Do("alice", tx.Transfer{Dest: sc.Pub("bob"), Amount: sc.Endowment * 3})
	if !res.Included || res.Error != "InsufficientBalance" || c.R.Account(sc.Pub("alice")).Nonce != 2 {
		t.Fatalf("failed call: %+v", res)
	}
	// Weights calls pay no fee.
	if c.R.CheckTx(good).Error != "StaleNonce" {
		t.Fatal("CheckTx accepts a replay")
	}
}
