package substrate

import (
	"context"
	"fmt"

	"github.com/gotensor/gotensor/sdk/substrate/extrinsic"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
)

// PowBlock is what a registration seal is solved against: a produced block (its number and hash) and the
// subnet's difficulty in its state.
type PowBlock struct {
	Number     uint64
	Hash       [32]byte
	Difficulty uint64
}

// PowWork reads the best block and SubtensorModule.Difficulty(netuid) there. The seal for it (sdk/pow,
// little-endian rule: spec/sdk.md §6.2) stays valid while the including block is at most Number+2.
func (b *Backend) PowWork(ctx context.Context, netuid uint16) (PowBlock, error) {
	v, err := b.view(ctx, At{})
	if err != nil {
		return PowBlock{}, err
	}
	w := PowBlock{Number: v.number, Hash: v.hash}
	if _, err := b.storage(ctx, v, "SubtensorModule", "Difficulty", &w.Difficulty, netuid); err != nil {
		return PowBlock{}, unsupported(err)
	}
	return w, nil
}

// SubmitNamed is Submit with the arguments given by name: their order (and the set the call takes) is
// read from the runtime's metadata, so a reordered call is still encoded right and a renamed argument is
// an error naming it.
func (b *Backend) SubmitNamed(ctx context.Context, s extrinsic.Signer, pallet, call string, args map[string]any, opts TxOptions) (*Receipt, error) {
	v, err := b.view(ctx, At{})
	if err != nil {
		return nil, err
	}
	ci, err := v.rt.md.Call(pallet, call)
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %w", pallet, call, unsupported(err))
	}
	if len(args) != len(ci.Fields) {
		return nil, fmt.Errorf("%w: %s.%s takes %s at spec %d, got %d arguments", extrinsic.ErrArgs, pallet, call,
			fieldList(v.rt.md, ci.Fields), v.rt.md.SpecVersion, len(args))
	}
	ordered := make([]any, len(ci.Fields))
	for i, f := range ci.Fields {
		a, ok := args[f.Name]
		if !ok {
			return nil, fmt.Errorf("%w: %s.%s needs argument %s at spec %d", extrinsic.ErrArgs, pallet, call, f.Name, v.rt.md.SpecVersion)
		}
		ordered[i] = a
	}
	return b.Submit(ctx, s, pallet, call, ordered, opts)
}

// RegisterPoW submits SubtensorModule.register(netuid, block_number, nonce, work, hotkey, coldkey) with the
// argument order read from metadata. The Python SDK signs it with the coldkey. On subtensor since
// 2026-01-23 (c5ad8bc31) the chain ignores block_number, nonce and work and performs a burned
// registration paid by the signing account (spec/sdk.md §6.3); older runtimes check the seal
// (InvalidWorkBlock, InvalidDifficulty, InvalidSeal) and want the hotkey as signer
// (TransactorAccountShouldBeHotKey).
func (b *Backend) RegisterPoW(ctx context.Context, signer extrinsic.Signer, netuid uint16, blockNumber, nonce uint64, work [32]byte,
	hotkey, coldkey subtensor.AccountID, opts TxOptions) (*Receipt, error) {
	return b.SubmitNamed(ctx, signer, "SubtensorModule", "register", map[string]any{
		"netuid": netuid, "block_number": blockNumber, "nonce": nonce, "work": work[:],
		"hotkey": [32]byte(hotkey), "coldkey": [32]byte(coldkey),
	}, opts)
}
