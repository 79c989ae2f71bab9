package dev

// This file lets another consensus engine (node/engine/comet) drive this engine's runtime and store in
// place of Run, so that the node's store layout, mempool admission (Submit) and RPC server are the same for
// every engine. Added by the comet engine's author as a new file; dev.go is unchanged.
//
// Protocol, for each block in height order: ExecuteBlock (takes the engine's write lock, runs the block in
// memory), then CommitExecuted (persists it in one bbolt transaction, releases the lock, publishes it) or
// AbortExecuted (drops it, releases the lock). RPC readers therefore only ever see committed blocks.
//
// The *Unlocked methods read the runtime without the engine's lock. Call them only from the consensus
// engine's serialised application connection (CometBFT's local client runs one ABCI call at a time), never
// while ExecuteBlock's own goroutine is inside the runtime.

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/node/store"
)

// InitStore creates the chain under home (home/chain.db) from g with block 0 at timeMs, unless home already
// holds one. Unlike Open on an empty store it takes block 0's time from the caller, so every validator of a
// network writes the same block 0. It reports whether it created the chain.
func InitStore(home string, g runtime.Genesis, timeMs uint64, noSync bool) (bool, error) {
	db, err := store.Open(filepath.Join(home, "chain.db"), store.Options{NoSync: noSync})
	if err != nil {
		return false, err
	}
	defer db.Close()
	if _, ok := db.Head(); ok {
		return false, nil
	}
	rt := runtime.New(db)
	sh, err := rt.InitChain(g)
	if err != nil {
		db.Rollback()
		return false, fmt.Errorf("init chain: %w", err)
	}
	gh := rt.GenesisHash()
	b := &store.Block{Height: 0, ParentHash: runtime.Hex32(gh), Time: timeMs, StateHash: runtime.Hex32(sh),
		Txs: [][]byte{}, Results: []runtime.TxResult{}, Events: []runtime.Event{}}
	b.Hash = runtime.Hex32(b.ComputeHash())
	if err := db.CommitBlock(b); err != nil {
		return false, err
	}
	doc, err := json.Marshal(g)
	if err != nil {
		return false, err
	}
	return true, db.SetGenesis(doc)
}

// ExecuteBlock runs block hdr with txs in memory and returns it, ready for CommitExecuted. hash is the
// block's hash as the consensus engine names it (zero: computed as the dev engine does). On success the
// engine's write lock stays held until CommitExecuted or AbortExecuted.
func (e *Engine) ExecuteBlock(hdr runtime.Header, hash [32]byte, txs [][]byte) (*store.Block, error) {
	e.mu.Lock()
	b, err := e.executeLocked(hdr, hash, txs)
	if err != nil {
		e.mu.Unlock()
		return nil, err
	}
	return b, nil
}

func (e *Engine) executeLocked(hdr runtime.Header, hash [32]byte, txs [][]byte) (*store.Block, error) {
	if e.failed != nil {
		return nil, e.failed
	}
	if hdr.Height != e.head.Height+1 {
		return nil, fmt.Errorf("execute block %d: the store's head is %d", hdr.Height, e.head.Height)
	}
	if txs == nil {
		txs = [][]byte{}
	}
	evs, err := e.rt.BeginBlock(hdr)
	if err != nil {
		return nil, err
	}
	results := e.rt.DeliverTxs(txs)
	end, err := e.rt.EndBlock()
	if err != nil {
		e.rt.AbortBlock()
		return nil, err
	}
	evs = append(append([]runtime.Event{}, evs...), end...)
	sh, err := e.rt.Commit()
	if err != nil {
		e.db.Rollback()
		e.failed = err
		return nil, err
	}
	b := &store.Block{Height: hdr.Height, ParentHash: runtime.Hex32(hdr.ParentHash), Time: hdr.Time, Proposer: runtime.Hex32(hdr.Proposer),
		StateHash: runtime.Hex32(sh), Txs: txs, Results: results, Events: evs}
	if hash == ([32]byte{}) {
		hash = b.ComputeHash()
	}
	b.Hash = runtime.Hex32(hash)
	return b, nil
}

// CommitExecuted persists the block ExecuteBlock returned, updates the mempool, releases the write lock
// and publishes the block to subscribers.
func (e *Engine) CommitExecuted(b *store.Block) error {
	err := e.commitLocked(b)
	e.mu.Unlock()
	if err != nil {
		return err
	}
	e.publish(b)
	return nil
}

func (e *Engine) commitLocked(b *store.Block) error {
	if err := e.db.CommitBlock(b); err != nil {
		e.db.Rollback()
		e.failed = fmt.Errorf("%w (restart the node: it resumes from block %d)", err, e.head.Height)
		return e.failed
	}
	e.head = Head{Height: b.Height, Hash: b.Hash, StateHash: b.StateHash, Time: b.Time}
	var touched, drop [][32]byte
	for i, raw := range b.Txs {
		if t, err := tx.Decode(raw); err == nil {
			touched = append(touched, t.Signer)
		}
		if !b.Results[i].Included && e.pool.Has(b.Results[i].TxHash) {
			drop = append(drop, b.Results[i].TxHash)
		}
	}
	e.pool.Update(touched, e.nonceOf, drop)
	if e.m != nil {
		now := time.Now()
		e.m.Height.Set(float64(b.Height))
		e.m.BlockInterval.Observe(now.Sub(e.last).Seconds())
		e.m.BlockTxs.Observe(float64(len(b.Txs)))
		for _, r := range b.Results {
			e.m.TxResults.WithLabelValues(r.Call, r.Error).Inc()
		}
		n, sz := e.pool.Size()
		e.m.MempoolTxs.Set(float64(n))
		e.m.MempoolBytes.Set(float64(sz))
	}
	e.last = time.Now()
	return nil
}

// AbortExecuted drops the block ExecuteBlock returned (its state writes are undone) and releases the lock.
func (e *Engine) AbortExecuted() {
	e.db.Rollback()
	e.mu.Unlock()
}

// CheckTxUnlocked is CheckTx without the engine's lock (see the file comment).
func (e *Engine) CheckTxUnlocked(raw []byte) runtime.TxResult { return e.rt.CheckTx(raw) }

// QueryUnlocked answers a runtime query at the current state without the engine's lock.
func (e *Engine) QueryUnlocked(path string) ([]byte, error) { return e.rt.Query(path) }

// StateNonceUnlocked is an account's committed nonce, read without the engine's lock.
func (e *Engine) StateNonceUnlocked(a [32]byte) uint64 { return e.nonceOf(a) }

// PooledTxs returns up to max transactions of the engine's own mempool in the order a block would take
// them (the consensus engine forwards them to its own mempool).
func (e *Engine) PooledTxs(max int) [][]byte {
	e.mu.RLock()
	defer e.mu.RUnlock()
	ptxs := e.pool.Reap(max, e.cfg.MaxBlockBytes, e.nonceOf)
	out := make([][]byte, len(ptxs))
	for i, t := range ptxs {
		out[i] = t.Raw
	}
	return out
}
