package client

import (
	"context"

	"github.com/gotensor/gotensor/sdk/substrate"
)

// setHyperparameter maps SetHyperparameter onto the subnet-owner call substrate.HyperparameterCalls names
// (AdminUtils.sudo_set_*), signed by the owner's coldkey. A name with no owner call in the connected
// runtime (root-only, no setter, or a call the runtime lacks) is a *substrate.HyperparameterError that
// also matches ErrUnsupported; an unknown name or a value that does not fit the argument's type is one too,
// and nothing is signed. The chain's refusals (NotSubnetOwner, BadOrigin, TxRateLimitExceeded,
// AdminActionProhibitedDuringWeightsWindow, ValueNotInBounds, ...) come back as a *TxError by name.
func (s *Substrate) setHyperparameter(ctx context.Context, owner Signer, netuid uint16, name string, value uint64, opts []TxOption) (*Receipt, error) {
	call := "set_hyperparameter"
	if h, ok := substrate.LookupHyperparameterCall(name); ok && h.Call != "" {
		call = h.Call
	}
	rc, err := s.b.SetHyperparameter(ctx, sr(owner), netuid, name, value, subTxOpts(opts))
	return receiptOfSub(call, rc, err)
}
