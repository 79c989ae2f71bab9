package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/blake2b"

	"github.com/gotensor/gotensor/sdk/substrate"
	"github.com/gotensor/gotensor/sdk/substrate/subtensor"
	"github.com/gotensor/gotensor/sdk/timelock"
)

// CommitTimelockedWeights implements Chain on subtensor: it reads the subnet's tempo, commit_reveal_period and
// the block, computes the reveal round (spec/sdk.md §5.7), encrypts {hotkey, uids, weights, version_key} to it
// with drand quicknet's key (sdk/timelock, the tle ciphertext format the chain decrypts) and submits
// commit_timelocked_mechanism_weights (mechanism 0, commit_reveal_version from the chain), or the older call
// the runtime has. A subnet with commit-reveal off answers TxErr("CommitRevealDisabled") without sending.
func (s *Substrate) CommitTimelockedWeights(ctx context.Context, hotkey Signer, netuid uint16, uids, weights []uint16, versionKey uint64, opts ...TxOption) (*Receipt, *TimelockedCommit, error) {
	if len(uids) != len(weights) {
		return nil, nil, fmt.Errorf("commit timelocked weights: %d uids but %d weights", len(uids), len(weights))
	}
	cr, err := s.b.CommitReveal(ctx, netuid, substrate.At{})
	if err != nil {
		return nil, nil, subErr(err)
	}
	if !cr.Enabled {
		return nil, nil, &TxError{Call: "commit_timelocked_mechanism_weights", Name: "CommitRevealDisabled",
			Msg: fmt.Sprintf("commit-reveal is off on subnet %d: set weights directly", netuid)}
	}
	return s.commitTimelocked(ctx, hotkey, netuid, uids, weights, versionKey, cr, opts)
}

func (s *Substrate) commitTimelocked(ctx context.Context, hotkey Signer, netuid uint16, uids, weights []uint16, versionKey uint64, cr substrate.CommitReveal, opts []TxOption) (*Receipt, *TimelockedCommit, error) {
	var o txOpts
	for _, f := range opts {
		f(&o)
	}
	var cfg TimelockConfig
	if o.timelock != nil {
		cfg = *o.timelock
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	bt := cfg.BlockTime
	if bt == 0 && s.BlockTime > 0 {
		bt = s.BlockTime.Seconds()
	}
	rv, err := timelock.RevealRound(timelock.RevealParams{Block: cr.Block, Netuid: netuid, Tempo: uint64(cr.Tempo),
		RevealPeriod: cr.RevealPeriod, BlockTime: bt}, now())
	if err != nil {
		return nil, nil, err
	}
	pk := cfg.PublicKey
	if pk == nil {
		pk = timelock.Quicknet()
	}
	hot := hotkey.PublicKey()
	ct, err := timelock.EncryptWeights(pk, timelock.WeightsPayload{Hotkey: hot[:], UIDs: uids, Values: weights, VersionKey: versionKey}, rv.Round, cfg.Rand)
	if err != nil {
		return nil, nil, err
	}
	tc := &TimelockedCommit{RevealRound: rv.Round, RevealBlock: rv.TargetBlock, RevealTime: rv.At,
		CommitHash: Hash(blake2b.Sum256(ct)), Bytes: len(ct)}
	rc, call, err := s.b.CommitTimelockedWeights(ctx, sr(hotkey), substrate.TimelockedCommit{Netuid: netuid, Commit: ct,
		RevealRound: rv.Round, Version: cr.Version}, subTxOpts(opts))
	if call == "" {
		call = "commit_timelocked_mechanism_weights"
	}
	tc.Call = call
	r, err := receiptOfSub(call, rc, err)
	if err != nil {
		return nil, nil, err
	}
	return r, tc, nil
}

// setWeightsCommitReveal reports whether SetWeights must commit timelocked instead (the subnet has
// CommitRevealWeightsEnabled), as the Python SDK's set_weights decides. A runtime without the item is treated
// as commit-reveal off.
func (s *Substrate) setWeightsCommitReveal(ctx context.Context, netuid uint16) (bool, error) {
	on, err := s.b.CommitRevealEnabled(ctx, netuid, substrate.At{})
	if err != nil {
		if isSubUnsupported(err) {
			return false, nil
		}
		return false, subErr(err)
	}
	return on, nil
}

// pendingTimelocked lists the hotkey's timelocked commits still held by the chain (mechanism 0), with the reveal
// window of each commit's epoch (the epoch's index + commit_reveal_period, the legacy epoch arithmetic of §5.7).
func (s *Substrate) pendingTimelocked(ctx context.Context, netuid uint16, hotkey AccountID) ([]WeightCommit, error) {
	cr, err := s.b.CommitReveal(ctx, netuid, s.at)
	if err != nil {
		return nil, subErr(err)
	}
	all, err := s.b.TimelockedCommits(ctx, netuid, 0, s.at)
	if err != nil {
		if isSubUnsupported(err) {
			return nil, subUnsupported("PendingCommits", "this runtime has no timelocked commit map")
		}
		return nil, subErr(err)
	}
	tp1, n1 := uint64(cr.Tempo)+1, uint64(netuid)+1
	out := []WeightCommit{}
	for _, p := range all {
		if p.Hotkey != subtensor.AccountID(hotkey) {
			continue
		}
		wc := WeightCommit{Hash: Hash(blake2b.Sum256(p.Commit)), CommitBlock: p.CommitBlock, RevealRound: p.RevealRound}
		if first := (p.Epoch + cr.RevealPeriod) * tp1; first >= n1 {
			wc.FirstRevealBlock = first - n1
			wc.LastRevealBlock = wc.FirstRevealBlock + uint64(cr.Tempo)
		}
		out = append(out, wc)
	}
	return out, nil
}

func isSubUnsupported(err error) bool {
	return err != nil && errors.Is(err, substrate.ErrUnsupported)
}
