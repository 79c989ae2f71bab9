package client

import (
	"context"
	"io"
	"time"

	"github.com/gotensor/gotensor/sdk/timelock"
)

// TimelockedCommit describes a timelocked weight commit: the drand round it is encrypted to and when the
// chain is expected to reveal it.
type TimelockedCommit struct {
	// RevealRound is the drand quicknet round the weights are encrypted to (the extrinsic's reveal_round).
	RevealRound uint64 `json:"reveal_round"`
	// RevealBlock is the block the reveal is aimed at (the reveal epoch's first block + 3); an estimate.
	RevealBlock uint64 `json:"reveal_block"`
	// RevealTime is the estimated wall-clock time of RevealBlock (now + blocks × block time).
	RevealTime time.Time `json:"reveal_time"`
	// CommitHash is the blake2b-256 of the ciphertext: the Hash PendingCommits lists the commit under.
	CommitHash Hash `json:"commit_hash"`
	// Call is the extrinsic used (commit_timelocked_mechanism_weights on current runtimes).
	Call string `json:"call"`
	// Bytes is the ciphertext's size.
	Bytes int `json:"commit_bytes"`
}

// TimelockConfig tunes a timelocked commit. The zero value is what finney needs.
type TimelockConfig struct {
	// PublicKey is the drand network's key; nil is drand quicknet (what subtensor decrypts with). Tests and
	// private chains with their own beacon set another.
	PublicKey *timelock.PublicKey
	// Now is the clock the reveal round is computed from; nil is time.Now.
	Now func() time.Time
	// BlockTime is the chain's block interval in seconds; 0 uses the backend's (12 s on finney).
	BlockTime float64
	// Rand supplies the encryption's randomness; nil is crypto/rand.
	Rand io.Reader
}

// WithTimelock sets how CommitTimelockedWeights (and SetWeights when it commits timelocked) encrypts.
func WithTimelock(cfg TimelockConfig) TxOption {
	return func(o *txOpts) { o.timelock = &cfg }
}

// CommitTimelockedWeights implements Chain: the gotensor node has hash commit-reveal only (CommitWeights and
// RevealWeights), so this is an *UnsupportedError and nothing is sent.
func (n *Node) CommitTimelockedWeights(ctx context.Context, hotkey Signer, netuid uint16, uids, weights []uint16, versionKey uint64, opts ...TxOption) (*Receipt, *TimelockedCommit, error) {
	return nil, nil, &UnsupportedError{Op: "CommitTimelockedWeights", Backend: "gotensor",
		Reason: "the gotensor chain has hash commit-reveal (commit_weights, reveal_weights) only"}
}
