package substrate

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
)

// ErrUnsupported is wrapped when the connected runtime lacks what an operation needs (a call, runtime API
// or storage item), so the operation is refused rather than silently skipped.
var ErrUnsupported = errors.New("substrate: not supported by this runtime")

// ErrNotFound is wrapped when the chain has no such subnet, uid or account entry.
var ErrNotFound = errors.New("substrate: not found")

// ErrDispatch is wrapped by *extrinsic.DispatchError: the extrinsic was included but failed.
var ErrDispatch = extrinsic.ErrDispatch

// ErrRejected is wrapped by *PoolError: the node refused the transaction before inclusion.
var ErrRejected = errors.New("substrate: transaction rejected by the node")

// ErrNotIncluded is returned when an extrinsic was not seen in a block before its era expired or the node
// dropped it.
var ErrNotIncluded = errors.New("substrate: transaction not included")

// customErrors is subtensor's CustomTransactionError table (the N of "Custom error N").
var customErrors = map[int]string{
	0: "ColdkeyInSwapSchedule", 1: "StakeAmountTooLow", 2: "BalanceTooLow", 3: "SubnetDoesntExist",
	4: "HotkeyAccountDoesntExist", 5: "NotEnoughStakeToWithdraw", 6: "RateLimitExceeded",
	7: "InsufficientLiquidity", 8: "SlippageTooHigh", 9: "TransferDisallowed", 10: "HotKeyNotRegisteredInNetwork",
	11: "InvalidIpAddress", 12: "ServingRateLimitExceeded", 13: "InvalidPort", 14: "ZeroMaxAmount",
	15: "InvalidRevealRound", 16: "CommitNotFound", 17: "CommitBlockNotInRevealRange", 18: "InputLengthsUnequal",
	19: "UidNotFound", 20: "EvmKeyAssociateRateLimitExceeded", 21: "ColdkeySwapDisputed", 22: "InvalidRealAccount",
	23: "FailedShieldedTxParsing", 24: "InvalidShieldedTxPubKeyIndex", 25: "ColdkeyNotAssociated",
	26: "DelegateTakeTooLow", 27: "DelegateTakeTooHigh", 255: "BadRequest",
}

// PoolError is a transaction the node refused (JSON-RPC 1010 "Invalid Transaction", 1011 "Unknown
// Transaction", 1012 "Transaction is temporarily banned", ...).
type PoolError struct {
	Code    int    // the JSON-RPC error code
	Message string // the node's message
	Custom  int    // subtensor's custom error number, -1 when not a custom error
	Name    string // subtensor's name for Custom, or the node's reason
}

// Error names the rejection.
func (e *PoolError) Error() string {
	if e.Custom >= 0 {
		return fmt.Sprintf("transaction rejected: %s (custom error %d)", e.Name, e.Custom)
	}
	return fmt.Sprintf("transaction rejected: %s (%d)", e.Message, e.Code)
}

// Unwrap makes errors.Is(err, ErrRejected) hold.
func (e *PoolError) Unwrap() error { return ErrRejected }

var customRe = regexp.MustCompile(`Custom error:? *(\d+)`)

// poolError converts a submission error into a *PoolError when the node refused the transaction.
func poolError(err error) error {
	var re *rpc.Error
	if !errors.As(err, &re) || re.Code < 1010 || re.Code > 1019 {
		return err
	}
	pe := &PoolError{Code: re.Code, Message: re.Message, Custom: -1, Name: re.Message}
	text := re.Message + " " + string(re.Data)
	if m := customRe.FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		pe.Custom = n
		pe.Name = customErrors[n]
		if pe.Name == "" {
			pe.Name = "custom error " + m[1]
		}
	} else if len(re.Data) > 0 {
		pe.Name = string(re.Data)
	}
	return pe
}
