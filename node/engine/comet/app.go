// Package comet runs gotensor's unchanged runtime as an ABCI application on CometBFT (v1.0.1, embedded
// in-process), for networks of several validators. It is the only package besides cmd/gotensor that imports
// CometBFT (internal/archguard enforces it).
//
// The application (App) drives the same dev.Engine the single-node engine uses, through the hooks of
// node/engine/dev/external.go, so both engines share the store layout (HOME/chain.db, one bbolt
// transaction per block), the mempool admission rules and the JSON-RPC server: the SDK client and the CLI
// work against any node of a network.
//
// ABCI protocol (CometBFT's local client serialises every call):
//
//  1. Info reports the last committed height and state hash, so CometBFT replays missing blocks after a
//     restart (or a kill -9 between FinalizeBlock and Commit).
//  2. InitChain checks that CometBFT's genesis app_state is the runtime genesis the store was created
//     from and returns the genesis state hash.
//  3. CheckTx is the runtime's CheckTx (mempool admission); the recheck after each block drops stale
//     nonces.
//  4. PrepareProposal orders the proposer's transactions by nonce per signer and leaves out nonce gaps;
//     ProcessProposal accepts every block (invalid transactions are deterministic rejections).
//  5. FinalizeBlock executes the block in memory with the header's height, time (BFT time, unix ms), the
//     previous block's hash as parent and the proposer's address, and returns the new state hash as the
//     app hash; the block's own hash (from CometBFT) becomes the stored block hash.
//  6. Commit persists the block and state in one bbolt transaction; RPC readers see it from then on.
//  7. Query answers every runtime query path at the current state.
package comet

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/store"
)

// AppVersion is reported in Info.
const AppVersion = 1

// Codespace labels gotensor's result codes in CometBFT's results.
const Codespace = "gotensor"

// App is the ABCI application over a dev.Engine that is not Run (CometBFT produces the blocks).
type App struct {
	e   *dev.Engine
	log *slog.Logger

	mu      sync.Mutex // guards the fields below (CometBFT already serialises calls; this is for Head)
	height  uint64
	hash    [32]byte // last committed block hash (the next block's parent)
	appHash [32]byte
	pending *store.Block
}

var _ abci.Application = (*App)(nil)

// NewApp returns the application over e, which must be open and not running.
func NewApp(e *dev.Engine, log *slog.Logger) *App {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := e.Head()
	return &App{e: e, log: log, height: h.Height, hash: h.Hash, appHash: h.StateHash}
}

// Head is the last committed height and state hash as the application knows them.
func (a *App) Head() (uint64, [32]byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.height, a.appHash
}

// Info implements abci.Application.
func (a *App) Info(context.Context, *abci.InfoRequest) (*abci.InfoResponse, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	res := &abci.InfoResponse{Data: "gotensor", Version: "gotensor", AppVersion: AppVersion, LastBlockHeight: int64(a.height)}
	if a.height > 0 {
		res.LastBlockAppHash = slices.Clone(a.appHash[:])
	}
	return res, nil
}

// InitChain implements abci.Application.
func (a *App) InitChain(_ context.Context, req *abci.InitChainRequest) (*abci.InitChainResponse, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.height != 0 {
		return nil, fmt.Errorf("init chain: the store is at height %d, not 0", a.height)
	}
	var g runtime.Genesis
	if err := json.Unmarshal(req.AppStateBytes, &g); err != nil {
		return nil, fmt.Errorf("init chain: app_state is not a gotensor genesis: %w", err)
	}
	if g.Hash() != a.e.GenesisHash() {
		return nil, fmt.Errorf("init chain: genesis app_state (hash %x) is not the genesis the store was created from (%x)",
			g.Hash(), a.e.GenesisHash())
	}
	return &abci.InitChainResponse{AppHash: slices.Clone(a.appHash[:])}, nil
}

// CheckTx implements abci.Application. A recheck (after each block, of the transactions still in the
// mempool, which all passed the full check) only drops the ones whose nonce is now stale: the signature
// cannot have changed, and one that can no longer pay is a deterministic rejection in its block.
func (a *App) CheckTx(_ context.Context, req *abci.CheckTxRequest) (*abci.CheckTxResponse, error) {
	if req.Type == abci.CHECK_TX_TYPE_RECHECK {
		if t, err := tx.Decode(req.Tx); err == nil {
			if n := a.e.StateNonceUnlocked(t.Signer); t.Nonce < n {
				return &abci.CheckTxResponse{Code: runtime.ErrStaleNonce.Code, Info: runtime.ErrStaleNonce.Name, Codespace: Codespace,
					Log: fmt.Sprintf("nonce %d is stale: the account's nonce is %d", t.Nonce, n)}, nil
			}
			return &abci.CheckTxResponse{GasWanted: 1}, nil
		}
	}
	r := a.e.CheckTxUnlocked(req.Tx)
	res := &abci.CheckTxResponse{Code: r.Code, Log: r.Log, Info: r.Error, GasWanted: 1}
	if r.Code != 0 {
		res.Codespace = Codespace
	}
	return res, nil
}

// PrepareProposal implements abci.Application: transactions are grouped by signer (in the order each
// signer first appears), sorted by nonce, and cut at the first nonce gap; undecodable ones are left out.
func (a *App) PrepareProposal(_ context.Context, req *abci.PrepareProposalRequest) (*abci.PrepareProposalResponse, error) {
	return &abci.PrepareProposalResponse{Txs: OrderTxs(req.Txs, a.e.StateNonceUnlocked)}, nil
}

// OrderTxs is PrepareProposal's ordering: per signer (first appearance order) the transactions whose
// nonces run on without a gap from the signer's state nonce.
func OrderTxs(txs [][]byte, stateNonce func([32]byte) uint64) [][]byte {
	type item struct {
		raw   []byte
		nonce uint64
	}
	var order [][32]byte
	groups := map[[32]byte][]item{}
	for _, raw := range txs {
		t, err := tx.Decode(raw)
		if err != nil {
			continue
		}
		if _, ok := groups[t.Signer]; !ok {
			order = append(order, t.Signer)
		}
		groups[t.Signer] = append(groups[t.Signer], item{raw, t.Nonce})
	}
	out := make([][]byte, 0, len(txs))
	for _, s := range order {
		g := groups[s]
		slices.SortStableFunc(g, func(x, y item) int {
			switch {
			case x.nonce < y.nonce:
				return -1
			case x.nonce > y.nonce:
				return 1
			}
			return 0
		})
		next := stateNonce(s)
		for _, it := range g {
			if it.nonce != next {
				if it.nonce < next {
					continue // stale or a duplicate nonce
				}
				break // a gap: the rest waits in the mempool
			}
			out = append(out, it.raw)
			next++
		}
	}
	return out
}

// ProcessProposal implements abci.Application.
func (a *App) ProcessProposal(context.Context, *abci.ProcessProposalRequest) (*abci.ProcessProposalResponse, error) {
	return &abci.ProcessProposalResponse{Status: abci.PROCESS_PROPOSAL_STATUS_ACCEPT}, nil
}

// Proposer maps a CometBFT validator address (20 bytes) to the runtime header's 32-byte proposer.
func Proposer(addr []byte) [32]byte {
	var p [32]byte
	copy(p[:], addr)
	return p
}

// FinalizeBlock implements abci.Application.
func (a *App) FinalizeBlock(_ context.Context, req *abci.FinalizeBlockRequest) (*abci.FinalizeBlockResponse, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.pending != nil {
		a.log.Warn("finalize block without a commit of the previous one: dropping it", "height", a.pending.Height)
		a.e.AbortExecuted()
		a.pending = nil
	}
	if req.Height <= 0 || uint64(req.Height) != a.height+1 {
		return nil, fmt.Errorf("finalize block %d: the application is at height %d", req.Height, a.height)
	}
	var hash [32]byte
	copy(hash[:], req.Hash)
	hdr := runtime.Header{Height: uint64(req.Height), Time: uint64(req.Time.UnixMilli()), ParentHash: a.hash, Proposer: Proposer(req.ProposerAddress)}
	b, err := a.e.ExecuteBlock(hdr, hash, req.Txs)
	if err != nil {
		return nil, fmt.Errorf("finalize block %d: %w", req.Height, err)
	}
	a.pending = b
	res := &abci.FinalizeBlockResponse{TxResults: make([]*abci.ExecTxResult, len(b.Results)), AppHash: slices.Clone(b.StateHash[:])}
	for i, r := range b.Results {
		x := &abci.ExecTxResult{Code: r.Code, Log: r.Log, Info: r.Error}
		if r.Included {
			x.Data = []byte{1}
		}
		if r.Code != 0 {
			x.Codespace = Codespace
		}
		res.TxResults[i] = x
	}
	return res, nil
}

// ExtendVote implements abci.Application (no vote extensions).
func (a *App) ExtendVote(context.Context, *abci.ExtendVoteRequest) (*abci.ExtendVoteResponse, error) {
	return &abci.ExtendVoteResponse{}, nil
}

// VerifyVoteExtension implements abci.Application.
func (a *App) VerifyVoteExtension(context.Context, *abci.VerifyVoteExtensionRequest) (*abci.VerifyVoteExtensionResponse, error) {
	return &abci.VerifyVoteExtensionResponse{Status: abci.VERIFY_VOTE_EXTENSION_STATUS_ACCEPT}, nil
}

// Commit implements abci.Application: the finalised block and its state are persisted in one bbolt
// transaction.
func (a *App) Commit(context.Context, *abci.CommitRequest) (*abci.CommitResponse, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b := a.pending
	if b == nil {
		return &abci.CommitResponse{}, nil
	}
	a.pending = nil
	if err := a.e.CommitExecuted(b); err != nil {
		return nil, fmt.Errorf("commit block %d: %w", b.Height, err)
	}
	a.height, a.hash, a.appHash = b.Height, b.Hash, b.StateHash
	return &abci.CommitResponse{}, nil
}

// Query implements abci.Application: Path is a runtime query path (docs/rpc.md, state_query); the value
// is its JSON result at the last committed state.
func (a *App) Query(_ context.Context, req *abci.QueryRequest) (*abci.QueryResponse, error) {
	a.mu.Lock()
	h := a.height
	a.mu.Unlock()
	path := req.Path
	if path == "" {
		path = string(req.Data)
	}
	out, err := a.e.QueryUnlocked(path)
	if err != nil {
		return &abci.QueryResponse{Code: 1, Log: err.Error(), Codespace: Codespace, Height: int64(h)}, nil
	}
	return &abci.QueryResponse{Value: out, Height: int64(h)}, nil
}

// ListSnapshots implements abci.Application (state sync is not offered).
func (a *App) ListSnapshots(context.Context, *abci.ListSnapshotsRequest) (*abci.ListSnapshotsResponse, error) {
	return &abci.ListSnapshotsResponse{}, nil
}

// OfferSnapshot implements abci.Application.
func (a *App) OfferSnapshot(context.Context, *abci.OfferSnapshotRequest) (*abci.OfferSnapshotResponse, error) {
	return &abci.OfferSnapshotResponse{Result: abci.OFFER_SNAPSHOT_RESULT_REJECT}, nil
}

// LoadSnapshotChunk implements abci.Application.
func (a *App) LoadSnapshotChunk(context.Context, *abci.LoadSnapshotChunkRequest) (*abci.LoadSnapshotChunkResponse, error) {
	return &abci.LoadSnapshotChunkResponse{}, nil
}

// ApplySnapshotChunk implements abci.Application.
func (a *App) ApplySnapshotChunk(context.Context, *abci.ApplySnapshotChunkRequest) (*abci.ApplySnapshotChunkResponse, error) {
	return &abci.ApplySnapshotChunkResponse{Result: abci.APPLY_SNAPSHOT_CHUNK_RESULT_ABORT}, nil
}
