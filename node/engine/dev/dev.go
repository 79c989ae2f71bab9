// Package dev is the single-node block producer ("dev engine"): it drives chain/runtime with the
// transactions of its mempool, one block every BlockTime, and commits each block — state, transactions,
// results and events — in one bbolt transaction (node/store). It is what `gotensor node` runs.
//
// Concurrency: block production takes the engine's write lock; queries, admission (Submit) and lookups
// take the read lock, so they always see a committed block, never one in progress.
package dev

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/node/mempool"
	"github.com/gotensor/gotensor/node/metrics"
	"github.com/gotensor/gotensor/node/store"
)

// Defaults.
const (
	DefaultBlockTime     = 12 * time.Second
	FastBlockTime        = 250 * time.Millisecond
	FastTempo            = 10
	DefaultMaxBlockTxs   = 8192
	DefaultMaxBlockBytes = 32 << 20
)

// Config configures an engine.
type Config struct {
	// Home is the data directory; the store is Home/chain.db.
	Home string
	// BlockTime is the interval between blocks in Run. Zero means DefaultBlockTime.
	BlockTime time.Duration
	// Archive keeps every past state queryable (otherwise the last store.KeepBlocks).
	Archive bool
	// NoSync skips fsync (tests and benchmarks only).
	NoSync bool
	// Genesis initialises an empty store. Ignored when the store already holds a chain.
	Genesis runtime.Genesis
	// MaxBlockTxs and MaxBlockBytes bound a block; zero takes the defaults.
	MaxBlockTxs   int
	MaxBlockBytes int
	Mempool       mempool.Config
	Logger        *slog.Logger
	Metrics       *metrics.Metrics
	// Setup, when set, is called with the runtime before the first block (to install hooks).
	Setup func(*runtime.Runtime)
}

// Head summarises the last committed block.
type Head struct {
	Height    uint64        `json:"height"`
	Hash      runtime.Hex32 `json:"hash"`
	StateHash runtime.Hex32 `json:"state_hash"`
	Time      uint64        `json:"time"`
}

// SubmitError is a transaction refused at admission: the runtime's CheckTx error (Code, Name as in
// docs/chain.md) or a mempool limit (Code 0, Name "MempoolFull", ...).
type SubmitError struct {
	Code uint32
	Name string
	Msg  string
}

func (e *SubmitError) Error() string { return e.Msg }

// Engine is the dev engine.
type Engine struct {
	cfg     Config
	log     *slog.Logger
	m       *metrics.Metrics
	mu      sync.RWMutex
	db      *store.DB
	rt      *runtime.Runtime
	pool    *mempool.Pool
	head    Head
	genesis [32]byte
	chainID string
	failed  error
	last    time.Time

	subMu     sync.Mutex
	subs      map[int]chan *store.Block
	nextID    int
	subClosed bool
}

// Open opens the store under cfg.Home, initialising the chain from cfg.Genesis when it is empty, and
// checks that the runtime's state hash matches the last committed block.
func Open(cfg Config) (*Engine, error) {
	if cfg.BlockTime == 0 {
		cfg.BlockTime = DefaultBlockTime
	}
	if cfg.MaxBlockTxs <= 0 {
		cfg.MaxBlockTxs = DefaultMaxBlockTxs
	}
	if cfg.MaxBlockBytes <= 0 {
		cfg.MaxBlockBytes = DefaultMaxBlockBytes
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db, err := store.Open(filepath.Join(cfg.Home, "chain.db"), store.Options{Archive: cfg.Archive, NoSync: cfg.NoSync})
	if err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, log: log, m: cfg.Metrics, db: db, pool: mempool.New(cfg.Mempool), subs: map[int]chan *store.Block{}}
	e.rt = runtime.New(db)
	if cfg.Setup != nil {
		cfg.Setup(e.rt)
	}
	if err := e.init(); err != nil {
		db.Close()
		return nil, err
	}
	e.last = time.Now()
	if e.m != nil {
		e.m.Height.Set(float64(e.head.Height))
	}
	return e, nil
}

func (e *Engine) init() error {
	h, ok := e.db.Head()
	if !ok {
		sh, err := e.rt.InitChain(e.cfg.Genesis)
		if err != nil {
			return fmt.Errorf("init chain: %w", err)
		}
		g := e.rt.GenesisHash()
		b := &store.Block{Height: 0, ParentHash: runtime.Hex32(g), Time: uint64(time.Now().UnixMilli()), StateHash: runtime.Hex32(sh),
			Txs: [][]byte{}, Results: []runtime.TxResult{}, Events: []runtime.Event{}}
		b.Hash = runtime.Hex32(b.ComputeHash())
		if err := e.db.CommitBlock(b); err != nil {
			return err
		}
		doc, _ := json.Marshal(e.cfg.Genesis)
		if err := e.db.SetGenesis(doc); err != nil {
			return err
		}
		e.log.Info("initialised a new chain", "chain_id", e.cfg.Genesis.ChainID, "genesis", fmt.Sprintf("0x%x", g[:]), "state_hash", runtime.Hex32(sh).String())
		h = 0
	}
	b, err := e.db.Block(h)
	if err != nil {
		return fmt.Errorf("load head block %d: %w", h, err)
	}
	rh, sh := e.rt.Info()
	if rh != h || sh != [32]byte(b.StateHash) {
		return fmt.Errorf("store %s is inconsistent: runtime at height %d with state hash %x, last block %d has state hash %x",
			e.db.Path(), rh, sh[:], h, b.StateHash[:])
	}
	e.head = Head{Height: h, Hash: b.Hash, StateHash: b.StateHash, Time: b.Time}
	e.genesis = e.rt.GenesisHash()
	var g runtime.Genesis
	if doc := e.db.Genesis(); doc != nil && json.Unmarshal(doc, &g) == nil {
		e.chainID = g.ChainID
	}
	return nil
}

// Close stops nothing (cancel Run's context for that) and closes the store.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.subMu.Lock()
	for id, c := range e.subs {
		close(c)
		delete(e.subs, id)
	}
	e.subClosed = true
	e.subMu.Unlock()
	return e.db.Close()
}

// Run produces a block every BlockTime until ctx ends or a block fails to commit.
func (e *Engine) Run(ctx context.Context) error {
	t := time.NewTicker(e.cfg.BlockTime)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if _, err := e.ProduceBlock(); err != nil {
				e.log.Error("block production stopped", "err", err)
				return err
			}
		}
	}
}

// BlockTime is the configured block interval.
func (e *Engine) BlockTime() time.Duration { return e.cfg.BlockTime }

// GenesisHash is the chain id transactions carry.
func (e *Engine) GenesisHash() [32]byte { return e.genesis }

// ChainID is the genesis chain id string.
func (e *Engine) ChainID() string { return e.chainID }

// Archive reports whether every past state is kept.
func (e *Engine) Archive() bool { return e.db.Archive() }

// Head is the last committed block.
func (e *Engine) Head() Head {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.head
}

// ProduceBlock executes and commits the next block with what the mempool holds.
func (e *Engine) ProduceBlock() (*store.Block, error) {
	e.mu.Lock()
	b, err := e.produceLocked()
	e.mu.Unlock()
	if err != nil {
		return nil, err
	}
	e.publish(b)
	return b, nil
}

func (e *Engine) nonceOf(a [32]byte) uint64 { return e.rt.Account(a).Nonce }

func (e *Engine) produceLocked() (*store.Block, error) {
	if e.failed != nil {
		return nil, e.failed
	}
	start := time.Now()
	ptxs := e.pool.Reap(e.cfg.MaxBlockTxs, e.cfg.MaxBlockBytes, e.nonceOf)
	raws := make([][]byte, len(ptxs))
	for i, t := range ptxs {
		raws[i] = t.Raw
	}
	ms := uint64(start.UnixMilli())
	if ms <= e.head.Time {
		ms = e.head.Time + 1
	}
	hdr := runtime.Header{Height: e.head.Height + 1, Time: ms, ParentHash: e.head.Hash}
	evs, err := e.rt.BeginBlock(hdr)
	if err != nil {
		return nil, err
	}
	beginDur := time.Since(start)
	results := e.rt.DeliverTxs(raws)
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
	b := &store.Block{Height: hdr.Height, ParentHash: e.head.Hash, Time: ms, StateHash: runtime.Hex32(sh), Txs: raws, Results: results, Events: evs}
	b.Hash = runtime.Hex32(b.ComputeHash())
	if err := e.db.CommitBlock(b); err != nil {
		// The in-memory state ran ahead of the disk; nothing else can be committed safely.
		e.db.Rollback()
		e.failed = fmt.Errorf("%w (restart the node: it resumes from block %d)", err, e.head.Height)
		return nil, e.failed
	}
	e.head = Head{Height: b.Height, Hash: b.Hash, StateHash: b.StateHash, Time: b.Time}
	touched := make([][32]byte, 0, len(ptxs))
	var drop [][32]byte
	for i, t := range ptxs {
		touched = append(touched, t.Signer)
		if !results[i].Included {
			drop = append(drop, t.Hash)
		}
	}
	e.pool.Update(touched, e.nonceOf, drop)
	if e.m != nil {
		now := time.Now()
		e.m.Height.Set(float64(b.Height))
		e.m.BlockTime.Observe(now.Sub(start).Seconds())
		e.m.BlockInterval.Observe(now.Sub(e.last).Seconds())
		e.m.BlockTxs.Observe(float64(len(raws)))
		epochs := 0
		for _, ev := range evs {
			if ev.Name == runtime.EvEpochRun {
				epochs++
			}
		}
		if epochs > 0 {
			e.m.Epochs.Add(float64(epochs))
			e.m.EpochDuration.Observe(beginDur.Seconds())
		}
		for _, r := range results {
			e.m.TxResults.WithLabelValues(r.Call, r.Error).Inc()
		}
		n, sz := e.pool.Size()
		e.m.MempoolTxs.Set(float64(n))
		e.m.MempoolBytes.Set(float64(sz))
	}
	e.last = time.Now()
	e.log.Debug("block committed", "height", b.Height, "txs", len(raws), "events", len(evs), "took", time.Since(start),
		"state_hash", b.StateHash.String())
	return b, nil
}

// Submit admits a signed transaction to the mempool after the runtime's CheckTx. It returns the
// transaction hash. A transaction already pooled is not an error (the hash is returned again), so a
// client may resubmit safely.
func (e *Engine) Submit(raw []byte) ([32]byte, error) {
	hash, err := e.submit(raw)
	if e.m != nil {
		name := ""
		var se *SubmitError
		if errors.As(err, &se) {
			name = se.Name
		}
		e.m.Admission.WithLabelValues(name).Inc()
		if err == nil {
			n, sz := e.pool.Size()
			e.m.MempoolTxs.Set(float64(n))
			e.m.MempoolBytes.Set(float64(sz))
		}
	}
	return hash, err
}

func (e *Engine) submit(raw []byte) ([32]byte, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	res := e.rt.CheckTx(raw)
	if !res.OK() {
		return res.TxHash, &SubmitError{Code: res.Code, Name: res.Error, Msg: res.Log}
	}
	t, err := tx.Decode(raw)
	if err != nil { // cannot happen after CheckTx
		return [32]byte{}, &SubmitError{Code: runtime.ErrMalformed.Code, Name: runtime.ErrMalformed.Name, Msg: err.Error()}
	}
	if e.pool.Has(res.TxHash) {
		return res.TxHash, nil
	}
	err = e.pool.Add(mempool.Tx{Hash: res.TxHash, Signer: t.Signer, Nonce: t.Nonce, Raw: raw}, e.nonceOf(t.Signer))
	if err != nil {
		name := "MempoolRejected"
		switch {
		case errors.Is(err, mempool.ErrFull):
			name = "MempoolFull"
		case errors.Is(err, mempool.ErrNonceTaken):
			name = "NonceTaken"
		case errors.Is(err, mempool.ErrAccountFull):
			name = "AccountMempoolFull"
		case errors.Is(err, mempool.ErrTooFarAhead):
			name = "FutureNonce"
		case errors.Is(err, mempool.ErrAlreadyKnown):
			return res.TxHash, nil
		}
		return res.TxHash, &SubmitError{Name: name, Msg: err.Error()}
	}
	return res.TxHash, nil
}

// NextNonce is the nonce the account's next transaction should carry (its committed nonce plus its
// consecutive pooled transactions).
func (e *Engine) NextNonce(a [32]byte) uint64 {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.pool.NextNonce(a, e.nonceOf(a))
}

// MempoolSize is the number of pooled transactions and their bytes.
func (e *Engine) MempoolSize() (int, int) { return e.pool.Size() }

// Pending reports whether a transaction is in the mempool.
func (e *Engine) Pending(hash [32]byte) bool { return e.pool.Has(hash) }

// Read runs fn with a runtime over the committed state at block at (nil = the head) and returns the
// height it read at. The state must not be written. Past states older than the kept window fail with
// store.ErrPruned.
func (e *Engine) Read(at *uint64, fn func(r *runtime.Runtime) error) (uint64, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	h := e.head.Height
	if at == nil || *at == h {
		return h, fn(e.rt)
	}
	view, err := e.db.StateAt(*at)
	if err != nil {
		return 0, err
	}
	return *at, fn(runtime.New(view))
}

// Query answers a runtime query path (runtime.Query) at block at (nil = head).
func (e *Engine) Query(path string, at *uint64) (json.RawMessage, uint64, error) {
	var out []byte
	h, err := e.Read(at, func(r *runtime.Runtime) error {
		var err error
		out, err = r.Query(path)
		return err
	})
	return out, h, err
}

// Block returns the committed block at height h.
func (e *Engine) Block(h uint64) (*store.Block, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.db.Block(h)
}

// TxLocation finds an included transaction.
func (e *Engine) TxLocation(hash [32]byte) (store.TxLocation, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.db.TxLocation(hash)
}

// OldestState is the lowest height past queries can read.
func (e *Engine) OldestState() uint64 {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.db.OldestState()
}

// Subscribe returns a channel that receives every block committed from now on, and a function that ends
// the subscription. A subscriber that falls more than buf blocks behind is dropped: its channel is
// closed (it should resubscribe and catch up with Block).
func (e *Engine) Subscribe(buf int) (<-chan *store.Block, func()) {
	if buf <= 0 {
		buf = 64
	}
	c := make(chan *store.Block, buf)
	e.subMu.Lock()
	if e.subClosed {
		e.subMu.Unlock()
		close(c)
		return c, func() {}
	}
	id := e.nextID
	e.nextID++
	e.subs[id] = c
	e.subMu.Unlock()
	return c, func() {
		e.subMu.Lock()
		defer e.subMu.Unlock()
		if c, ok := e.subs[id]; ok {
			close(c)
			delete(e.subs, id)
		}
	}
}

func (e *Engine) publish(b *store.Block) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	for id, c := range e.subs {
		select {
		case c <- b:
		default:
			close(c)
			delete(e.subs, id)
			e.log.Warn("dropped a slow block subscriber", "id", id)
		}
	}
}

// WaitTx waits until the transaction is included in a committed block and returns that block and the
// transaction's index in it.
func (e *Engine) WaitTx(ctx context.Context, hash [32]byte) (*store.Block, int, error) {
	sub, cancel := e.Subscribe(256)
	defer cancel()
	find := func() (*store.Block, int, bool) {
		loc, err := e.TxLocation(hash)
		if err != nil {
			return nil, 0, false
		}
		b, err := e.Block(loc.Height)
		if err != nil {
			return nil, 0, false
		}
		return b, int(loc.Index), true
	}
	if b, i, ok := find(); ok {
		return b, i, nil
	}
	for {
		select {
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case b, ok := <-sub:
			if !ok {
				sub, cancel = e.Subscribe(256)
				defer cancel()
				if b, i, ok := find(); ok {
					return b, i, nil
				}
				continue
			}
			for i, r := range b.Results {
				if r.TxHash == hash {
					return b, i, nil
				}
			}
		}
	}
}
