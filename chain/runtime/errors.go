package runtime

import (
	"errors"
	"fmt"
)

// Error is a named runtime error. Every failure of a call is one of the values below (wrapped with context
// by fmt.Errorf("...: %w", err)); errors.Is matches by identity. Codes: module×1000 + index, where
// SubtensorModule (7) errors keep subtensor's CLASSIC index (spec/chain.md §10), Balances is 5, AdminUtils
// 19, and transaction-envelope rejections are 1..99.
type Error struct {
	Code uint32
	Name string
}

func (e *Error) Error() string { return e.Name }

func newErr(module, index uint32, name string) *Error {
	e := &Error{Code: module*1000 + index, Name: name}
	allErrors = append(allErrors, e)
	return e
}

var allErrors []*Error

// Errors lists every runtime error (for documentation and for clients mapping codes to names).
func Errors() []*Error { return append([]*Error(nil), allErrors...) }

// Transaction rejections (before execution; the transaction is not included and changes nothing).
var (
	ErrOversized    = newErr(0, 1, "Oversized")
	ErrBadVersion   = newErr(0, 2, "BadVersion")
	ErrMalformed    = newErr(0, 3, "Malformed")
	ErrUnknownCall  = newErr(0, 4, "UnknownCall")
	ErrBadSignature = newErr(0, 5, "BadSignature")
	ErrWrongChain   = newErr(0, 6, "WrongChain")
	ErrStaleNonce   = newErr(0, 7, "StaleNonce")
	ErrFutureNonce  = newErr(0, 8, "FutureNonce")
	ErrCannotPayFee = newErr(0, 9, "CannotPayFee")
	ErrNoBlock      = newErr(0, 10, "NoBlockInProgress")
)

// Balances (pallet 5) and frame-level errors.
var (
	ErrInsufficientBalance = newErr(5, 2, "InsufficientBalance")
	ErrExistentialDeposit  = newErr(5, 3, "ExistentialDeposit")
	ErrFaucetDisabled      = newErr(5, 100, "FaucetDisabled")
	ErrBadOrigin           = newErr(0, 50, "BadOrigin")
)

// SubtensorModule (pallet 7), CLASSIC indices.
var (
	ErrRootNetworkDoesNotExist                  = newErr(7, 0, "RootNetworkDoesNotExist")
	ErrInvalidIpType                            = newErr(7, 1, "InvalidIpType")
	ErrInvalidIpAddress                         = newErr(7, 2, "InvalidIpAddress")
	ErrInvalidPort                              = newErr(7, 3, "InvalidPort")
	ErrHotKeyNotRegisteredInSubNet              = newErr(7, 4, "HotKeyNotRegisteredInSubNet")
	ErrHotKeyAccountNotExists                   = newErr(7, 5, "HotKeyAccountNotExists")
	ErrHotKeyNotRegisteredInNetwork             = newErr(7, 6, "HotKeyNotRegisteredInNetwork")
	ErrNonAssociatedColdKey                     = newErr(7, 7, "NonAssociatedColdKey")
	ErrNotEnoughStakeToWithdraw                 = newErr(7, 9, "NotEnoughStakeToWithdraw")
	ErrNotEnoughStakeToSetWeights               = newErr(7, 10, "NotEnoughStakeToSetWeights")
	ErrNotEnoughBalanceToStake                  = newErr(7, 12, "NotEnoughBalanceToStake")
	ErrNeuronNoValidatorPermit                  = newErr(7, 15, "NeuronNoValidatorPermit")
	ErrWeightVecNotEqualSize                    = newErr(7, 16, "WeightVecNotEqualSize")
	ErrDuplicateUids                            = newErr(7, 17, "DuplicateUids")
	ErrUidVecContainInvalidOne                  = newErr(7, 18, "UidVecContainInvalidOne")
	ErrWeightVecLengthIsLow                     = newErr(7, 19, "WeightVecLengthIsLow")
	ErrTooManyRegistrationsThisBlock            = newErr(7, 20, "TooManyRegistrationsThisBlock")
	ErrHotKeyAlreadyRegisteredInSubNet          = newErr(7, 21, "HotKeyAlreadyRegisteredInSubNet")
	ErrInvalidWorkBlock                         = newErr(7, 23, "InvalidWorkBlock")
	ErrInvalidDifficulty                        = newErr(7, 24, "InvalidDifficulty")
	ErrInvalidSeal                              = newErr(7, 25, "InvalidSeal")
	ErrSettingWeightsTooFast                    = newErr(7, 28, "SettingWeightsTooFast")
	ErrIncorrectWeightVersionKey                = newErr(7, 29, "IncorrectWeightVersionKey")
	ErrServingRateLimitExceeded                 = newErr(7, 30, "ServingRateLimitExceeded")
	ErrUidsLengthExceedUidsInSubNet             = newErr(7, 31, "UidsLengthExceedUidsInSubNet")
	ErrNetworkTxRateLimitExceeded               = newErr(7, 32, "NetworkTxRateLimitExceeded")
	ErrDelegateTxRateLimitExceeded              = newErr(7, 33, "DelegateTxRateLimitExceeded")
	ErrTxRateLimitExceeded                      = newErr(7, 35, "TxRateLimitExceeded")
	ErrSubNetRegistrationDisabled               = newErr(7, 36, "SubNetRegistrationDisabled")
	ErrTooManyRegistrationsThisInterval         = newErr(7, 37, "TooManyRegistrationsThisInterval")
	ErrTransactorAccountShouldBeHotKey          = newErr(7, 38, "TransactorAccountShouldBeHotKey")
	ErrRegistrationNotPermittedOnRootSubnet     = newErr(7, 41, "RegistrationNotPermittedOnRootSubnet")
	ErrStakeTooLowForRoot                       = newErr(7, 42, "StakeTooLowForRoot")
	ErrCanNotSetRootNetworkWeights              = newErr(7, 46, "CanNotSetRootNetworkWeights")
	ErrNoNeuronIdAvailable                      = newErr(7, 47, "NoNeuronIdAvailable")
	ErrDelegateTakeTooLow                       = newErr(7, 48, "DelegateTakeTooLow")
	ErrDelegateTakeTooHigh                      = newErr(7, 49, "DelegateTakeTooHigh")
	ErrNoWeightsCommitFound                     = newErr(7, 50, "NoWeightsCommitFound")
	ErrInvalidRevealCommitHashNotMatch          = newErr(7, 51, "InvalidRevealCommitHashNotMatch")
	ErrCommitRevealEnabled                      = newErr(7, 52, "CommitRevealEnabled")
	ErrCommitRevealDisabled                     = newErr(7, 53, "CommitRevealDisabled")
	ErrMechanismDoesNotExist                    = newErr(7, 73, "MechanismDoesNotExist")
	ErrSubnetNotExists                          = newErr(7, 75, "SubnetNotExists")
	ErrTooManyUnrevealedCommits                 = newErr(7, 76, "TooManyUnrevealedCommits")
	ErrExpiredWeightCommit                      = newErr(7, 77, "ExpiredWeightCommit")
	ErrRevealTooEarly                           = newErr(7, 78, "RevealTooEarly")
	ErrInputLengthsUnequal                      = newErr(7, 79, "InputLengthsUnequal")
	ErrCommittingWeightsTooFast                 = newErr(7, 80, "CommittingWeightsTooFast")
	ErrAmountTooLow                             = newErr(7, 81, "AmountTooLow")
	ErrInsufficientLiquidity                    = newErr(7, 82, "InsufficientLiquidity")
	ErrFirstEmissionBlockNumberAlreadySet       = newErr(7, 89, "FirstEmissionBlockNumberAlreadySet")
	ErrNeedWaitingMoreBlocksToStarCall          = newErr(7, 90, "NeedWaitingMoreBlocksToStarCall")
	ErrSubtokenDisabled                         = newErr(7, 93, "SubtokenDisabled")
	ErrStakingOperationRateLimitExceeded        = newErr(7, 98, "StakingOperationRateLimitExceeded")
	ErrAdminActionProhibitedDuringWeightsWindow = newErr(7, 108, "AdminActionProhibitedDuringWeightsWindow")
	ErrRevealPeriodTooLarge                     = newErr(7, 112, "RevealPeriodTooLarge")
	ErrRevealPeriodTooSmall                     = newErr(7, 113, "RevealPeriodTooSmall")
	ErrSubnetLimitReached                       = newErr(7, 115, "SubnetLimitReached")
	ErrCannotAffordLockCost                     = newErr(7, 116, "CannotAffordLockCost")
)

// AdminUtils (pallet 19): hyper-parameter setters.
var (
	ErrUnknownParameter                           = newErr(19, 100, "UnknownParameter")
	ErrParameterNotSettable                       = newErr(19, 101, "ParameterNotSettable")
	ErrValueNotInBounds                           = newErr(19, 102, "ValueNotInBounds")
	ErrMaxValidatorsLargerThanMaxUIds             = newErr(19, 3, "MaxValidatorsLargerThanMaxUIds")
	ErrMaxAllowedUIdsLessThanCurrentUIds          = newErr(19, 4, "MaxAllowedUIdsLessThanCurrentUIds")
	ErrMaxAllowedUidsGreaterThanDefaultMaxAllowed = newErr(19, 7, "MaxAllowedUidsGreaterThanDefaultMaxAllowedUids")
	ErrBondsMovingAverageMaxReached               = newErr(19, 8, "BondsMovingAverageMaxReached")
)

// fail wraps a named error with context.
func fail(err *Error, format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), err)
}

// ErrorOf returns the named error inside err (nil if none).
func ErrorOf(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
