package client

import (
	"context"
	"fmt"

	"github.com/gotensor/gotensor/sdk/pow"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
)

// powAttempts bounds how often PowRegister solves again after its work went stale.
const powAttempts = 5

// powSource is the solver's view of the chain: the best block and the subnet's difficulty there.
func (s *Substrate) powSource(netuid uint16) pow.BlockSource {
	return pow.BlockSourceFunc(func(ctx context.Context) (pow.Block, error) {
		w, err := s.b.PowWork(ctx, netuid)
		if err != nil {
			return pow.Block{}, subErr(err)
		}
		return pow.Block{Number: w.Number, Hash: w.Hash, Difficulty: w.Difficulty}, nil
	})
}

// powRegister solves the subnet's seal for the hotkey with the chain's little-endian rule (spec/sdk.md
// §6.2) on the best block, and submits SubtensorModule.register signed by the coldkey, as the Python SDK
// does (§6.6). Work that is stale (the head moved past its three-block window) is solved again on a fresh
// block, before submission or after InvalidWorkBlock/InvalidDifficulty; HotKeyAlreadyRegisteredInSubNet
// counts as done. A runtime that insists on the hotkey as signer (TransactorAccountShouldBeHotKey, CLASSIC
// subtensor) gets the registration again signed by the hotkey.
//
// On subtensor since 2026-01-23 the chain ignores the seal and registers by burn, charging the signing
// coldkey the subnet's current burn (§6.3).
func (s *Substrate) powRegister(ctx context.Context, hotkey, coldkey Signer, netuid uint16, solver pow.Solver, opts []TxOption) (uint16, *Receipt, error) {
	hot, cold := AccountID(hotkey.PublicKey()), AccountID(coldkey.PublicKey())
	if uid, ok, err := s.UID(ctx, netuid, hot); err != nil {
		return 0, nil, err
	} else if ok {
		return uid, nil, nil
	}
	if solver == nil {
		solver = &pow.CPUSolver{}
	}
	signer, byHotkey := coldkey, false
	to := subTxOpts(opts)
	var lastErr error
	for attempt := 0; attempt < powAttempts; attempt++ {
		sol, err := solver.Solve(ctx, pow.Problem{Key: hot, Source: s.powSource(netuid), Rule: pow.RuleChain})
		if err != nil {
			return 0, nil, err
		}
		if h, err := s.b.BestHead(ctx); err == nil && sol.Expired(h.Number) {
			lastErr = fmt.Errorf("proof of work for block %d went stale at head %d: %w", sol.Block.Number, h.Number, TxErr("InvalidWorkBlock"))
			continue
		}
		rc, err := s.b.RegisterPoW(ctx, sr(signer), netuid, sol.Block.Number, sol.Nonce, sol.Seal,
			subtensor.AccountID(hot), subtensor.AccountID(cold), to)
		r, err := receiptOfSub("register", rc, err)
		switch ErrorName(err) {
		case "":
			return s.uidAfter(ctx, r, err, netuid, hot)
		case "HotKeyAlreadyRegisteredInSubNet":
			uid, ok, uerr := s.UID(ctx, netuid, hot)
			if uerr == nil && ok {
				return uid, nil, nil
			}
			return 0, nil, err
		case "InvalidWorkBlock", "InvalidDifficulty":
			lastErr = err // stale on the way in (or the difficulty moved): solve again on a fresh block
		case "TransactorAccountShouldBeHotKey":
			if byHotkey {
				return 0, nil, err
			}
			signer, byHotkey, lastErr = hotkey, true, err
		default:
			return 0, nil, err
		}
		to.Nonce = nil // a given nonce was spent by the failed attempt, or belongs to the other key
	}
	return 0, nil, lastErr
}
