// Package runtime is gotensor's chain state machine: the CLASSIC subtensor rules of spec/chain.md over a
// kv.Store, driven ABCI-style by an engine.
//
// Protocol (an engine must follow it in this order):
//
//  1. New(store) then, on a fresh store, InitChain(genesis) — it writes and commits height 0 — or, on a
//     store that already holds a chain, nothing (Info reports the last height and hash).
//  2. For each block: BeginBlock(header) (height = last + 1; registration adjustment, coinbase, epochs
//     due), then DeliverTx for each transaction in order (or DeliverTxs for the whole list, which checks
//     signatures in parallel first), then EndBlock, then Commit, which writes the block's state to the
//     store and returns the state hash.
//  3. CheckTx and the query functions may be called between blocks; they read committed state.
//
// Every transaction runs in a kv overlay: a failed call leaves no write behind except the signer's nonce
// bump and fee (so it cannot be replayed). A transaction rejected before execution (bad signature, wrong
// chain, stale or future nonce, malformed, unknown call, oversized, cannot pay the fee) changes nothing.
//
// The runtime is deterministic: no clock (time and block hash come in the Header), no randomness, no I/O,
// no floats, no map-order dependence. Concerns live in their own files, like subtensor's pallet:
// balances.go, subnets.go (+ hyperparams.go), registration.go (+ pow/adjustment), uids.go, weights.go,
// serving.go, stake.go (share pools, the swap, stake weight), emission.go (block emission and the
// coinbase), epoch.go (Yuma inputs, the engine call, outputs, distribution), schedule.go; query.go and
// query_stake.go hold the read-only views.
package runtime

import (
	"errors"
	"fmt"
	goruntime "runtime"
	"sync"

	"github.com/gotensor/gotensor/chain/kv"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/chain/yuma"
)

// Header is what the engine tells the runtime about a block.
type Header struct {
	Height     uint64   `json:"height"`
	Time       uint64   `json:"time"` // unix milliseconds, from consensus
	ParentHash [32]byte `json:"parent_hash"`
	Proposer   [32]byte `json:"proposer"`
}

// TxResult is the outcome of one transaction. Code 0 is success. A non-zero code with Included false is
// a rejection before execution (nothing changed); with Included true the call failed after the nonce and
// fee were taken.
type TxResult struct {
	Code     uint32   `json:"code"`
	Error    string   `json:"error,omitempty"` // the error name, e.g. "CommitRevealEnabled"
	Log      string   `json:"log,omitempty"`   // the error with context
	Included bool     `json:"included"`
	Call     string   `json:"call,omitempty"`
	Events   []Event  `json:"events,omitempty"`
	TxHash   [32]byte `json:"tx_hash"`
}

// OK reports success.
func (r TxResult) OK() bool { return r.Code == 0 }

// Hooks are test and tooling seams; the runtime's own coinbase and epoch always run. Nil hooks are no-ops.
type Hooks struct {
	// Epoch runs after subnet netuid's built-in epoch and distribution, in the same block, and may
	// overwrite what the epoch stored through the EpochState (tests use it to grant permits).
	Epoch func(e *EpochState) error
	// BlockEmission runs after the built-in coinbase and before the epochs.
	BlockEmission func(b *BlockState) error
	// EpochOutputs observes each epoch's Yuma inputs and outputs (read-only) right after they are stored.
	EpochOutputs func(netuid uint16, in *yuma.Inputs, out *yuma.Outputs)
}

// Runtime is the state machine. It is not safe for concurrent use, except that the query functions may
// run concurrently with each other while no block is in progress.
type Runtime struct {
	base    kv.Store
	block   *kv.Overlay // nil between blocks
	header  Header
	genesis [32]byte
	hooks   Hooks
	events  []Event // block-level events of the block in progress
	workers int
	hasher  *kv.StateHasher
}

// New returns a runtime over store.
func New(store kv.Store) *Runtime {
	r := &Runtime{base: store, workers: goruntime.GOMAXPROCS(0), hasher: kv.NewStateHasher()}
	if v, ok := store.Get(key(kGenesisHash)); ok && len(v) == 32 {
		copy(r.genesis[:], v)
	}
	return r
}

// SetHooks installs the extension hooks.
func (r *Runtime) SetHooks(h Hooks) { r.hooks = h }

// GenesisHash is the chain id transactions must carry.
func (r *Runtime) GenesisHash() [32]byte { return r.genesis }

// Info is the last committed height and state hash (ABCI Info).
func (r *Runtime) Info() (height uint64, stateHash [32]byte) {
	s := st{r.base}
	return s.u64(key(kBlockNumber)), r.StateHash()
}

// StateHash is the commitment to the committed state (kv.StateHasher: per-bucket BLAKE2b-256 hashes
// under one root). It is maintained incrementally by Commit.
func (r *Runtime) StateHash() [32]byte {
	if !r.hasher.Ready() {
		return r.hasher.Full(r.base)
	}
	return r.hasher.Root()
}

// Store is the committed store (read it only between blocks).
func (r *Runtime) Store() kv.Store { return r.base }

// InitChain writes the genesis state and commits it as height 0. It returns the state hash.
func (r *Runtime) InitChain(g Genesis) ([32]byte, error) {
	if err := g.Validate(); err != nil {
		return [32]byte{}, err
	}
	if _, ok := r.base.Get(key(kGenesisHash)); ok {
		return [32]byte{}, errors.New("init chain: store already holds a chain")
	}
	ov := kv.NewOverlay(r.base)
	s := st{ov}
	r.genesis = g.Hash()
	s.kv.Set(key(kGenesisHash), r.genesis[:])
	s.kv.Set(key(kChainID), []byte(g.ChainID))
	s.setAcct(key(kSudo), g.Sudo)
	s.setU64(key(kBlockNumber), 0)
	for _, gp := range globalParams {
		s.setGlobal(gp.name, gp.def)
	}
	for _, p := range g.Globals {
		s.setGlobal(p.Name, p.Value)
	}
	for _, hp := range hyperParams {
		s.setU64(key(kSubnetDefault).u8(uint8(hp.id)), hp.def)
	}
	for _, p := range g.SubnetDefaults {
		s.setU64(key(kSubnetDefault).u8(uint8(hpByName[p.Name].id)), p.Value)
	}
	var issuance uint64
	for _, a := range g.Accounts {
		s.setBalance(a.Account, a.Balance)
		issuance += a.Balance
	}
	s.setU64(key(kTotalIssuance), issuance)
	initRootNetwork(s)
	ov.Commit()
	return r.hasher.Full(r.base), nil
}

// BeginBlock starts block h.Height (which must be the last height + 1) and runs the per-block steps of
// spec/chain.md §0.4: the registration adjustment, the block emission and injection (coinbase), the
// epochs that are due with their distribution, then the moving prices. It returns the block-level
// events so far.
func (r *Runtime) BeginBlock(h Header) ([]Event, error) {
	if r.block != nil {
		return nil, errors.New("begin block: a block is already in progress")
	}
	last := st{r.base}.u64(key(kBlockNumber))
	if h.Height != last+1 {
		return nil, fmt.Errorf("begin block: height %d, want %d", h.Height, last+1)
	}
	r.block = kv.NewOverlay(r.base)
	r.header = h
	r.events = nil
	s := st{r.block}
	s.setU64(key(kBlockNumber), h.Height)
	s.kv.Set(key(kBlockHash).u64(h.Height-1), h.ParentHash[:])
	if h.Height > blockHashCount {
		s.del(key(kBlockHash).u64(h.Height - 1 - blockHashCount))
	}
	r.events = append(r.events, adjustRegistrations(s, h.Height)...)
	r.events = append(r.events, runCoinbase(s, h.Height)...)
	if r.hooks.BlockEmission != nil {
		if err := r.hooks.BlockEmission(&BlockState{s: s, block: h.Height, events: &r.events}); err != nil {
			r.AbortBlock()
			return nil, fmt.Errorf("begin block %d: emission: %w", h.Height, err)
		}
	}
	evs, err := r.runEpochs(s, h.Height)
	if err != nil {
		r.AbortBlock()
		return nil, fmt.Errorf("begin block %d: %w", h.Height, err)
	}
	r.events = append(r.events, evs...)
	updateMovingPrices(s, h.Height)
	return r.events, nil
}

// EndBlock finishes the block's execution: CLASSIC's on_finalize clears StakingOperationRateLimiter.
func (r *Runtime) EndBlock() ([]Event, error) {
	if r.block == nil {
		return nil, ErrNoBlock
	}
	clearStakingLimiter(st{r.block})
	return nil, nil
}

// Commit writes the block to the store and returns the new state hash.
func (r *Runtime) Commit() ([32]byte, error) {
	if r.block == nil {
		return [32]byte{}, ErrNoBlock
	}
	if !r.hasher.Ready() {
		r.hasher.Full(r.base)
	}
	changed, _ := r.block.Writes()
	r.block.Commit()
	r.block = nil
	return r.hasher.Update(r.base, changed), nil
}

// Height is the block in progress, or the last committed block between blocks.
func (r *Runtime) Height() uint64 {
	if r.block != nil {
		return r.header.Height
	}
	return st{r.base}.u64(key(kBlockNumber))
}

// view is the store reads go to: the block in progress or the committed state.
func (r *Runtime) view() st {
	if r.block != nil {
		return st{r.block}
	}
	return st{r.base}
}

// decoded is a transaction after the stateless checks.
type decoded struct {
	t   *tx.Tx
	err error
}

func mapTxErr(err error) error {
	for _, m := range []struct {
		from error
		to   *Error
	}{
		{tx.ErrOversized, ErrOversized}, {tx.ErrBadVersion, ErrBadVersion}, {tx.ErrMalformed, ErrMalformed},
		{tx.ErrUnknownCall, ErrUnknownCall}, {tx.ErrBadSignature, ErrBadSignature},
	} {
		if errors.Is(err, m.from) {
			return fmt.Errorf("%v: %w", err, m.to)
		}
	}
	return fmt.Errorf("%v: %w", err, ErrMalformed)
}

func decodeAndVerify(raw []byte) decoded {
	t, err := tx.Decode(raw)
	if err != nil {
		return decoded{err: mapTxErr(err)}
	}
	if err := t.Verify(); err != nil {
		return decoded{t: t, err: mapTxErr(err)}
	}
	return decoded{t: t}
}

func rejected(err error, t *tx.Tx) TxResult {
	res := TxResult{Log: err.Error()}
	if e := ErrorOf(err); e != nil {
		res.Code, res.Error = e.Code, e.Name
	} else {
		res.Code, res.Error = ErrMalformed.Code, ErrMalformed.Name
	}
	if t != nil {
		res.Call = t.Call.Index().Name()
		res.TxHash = t.Hash()
	}
	return res
}

// DeliverTx decodes, checks and executes one transaction in the block in progress.
func (r *Runtime) DeliverTx(raw []byte) TxResult {
	if r.block == nil {
		return rejected(ErrNoBlock, nil)
	}
	d := decodeAndVerify(raw)
	if d.err != nil {
		return rejected(d.err, d.t)
	}
	return r.apply(d.t)
}

// DeliverTxs delivers txs in order, checking their signatures in parallel first (each worker decodes and
// verifies its own slots; execution is sequential, so the result does not depend on scheduling).
func (r *Runtime) DeliverTxs(raws [][]byte) []TxResult {
	out := make([]TxResult, len(raws))
	if r.block == nil {
		for i := range out {
			out[i] = rejected(ErrNoBlock, nil)
		}
		return out
	}
	ds := make([]decoded, len(raws))
	workers := max(1, min(r.workers, len(raws)))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(raws); i += workers {
				ds[i] = decodeAndVerify(raws[i])
			}
		}(w)
	}
	wg.Wait()
	for i, d := range ds {
		if d.err != nil {
			out[i] = rejected(d.err, d.t)
			continue
		}
		out[i] = r.apply(d.t)
	}
	return out
}

// CheckTx runs the checks that decide whether a transaction may enter a block (mempool admission):
// stateless checks, chain id, the nonce not stale, the fee affordable. It executes nothing. A future nonce
// is accepted here (the mempool orders by nonce).
func (r *Runtime) CheckTx(raw []byte) TxResult {
	d := decodeAndVerify(raw)
	if d.err != nil {
		return rejected(d.err, d.t)
	}
	s := r.view()
	if err := r.precheck(s, d.t, true); err != nil {
		return rejected(err, d.t)
	}
	return TxResult{Call: d.t.Call.Index().Name(), TxHash: d.t.Hash()}
}

func (r *Runtime) precheck(s st, t *tx.Tx, allowFuture bool) error {
	if e, ok := t.Call.(tx.Ethereum); ok { // an Ethereum envelope (evm.go)
		_, err := r.precheckEthereum(s, t, e, allowFuture)
		return err
	}
	if t.Genesis != r.genesis {
		return fail(ErrWrongChain, "transaction for chain %x", t.Genesis[:4])
	}
	acct := s.account(t.Signer)
	switch {
	case t.Nonce < acct.Nonce:
		return fail(ErrStaleNonce, "nonce %d, account nonce %d", t.Nonce, acct.Nonce)
	case t.Nonce > acct.Nonce && !allowFuture:
		return fail(ErrFutureNonce, "nonce %d, account nonce %d", t.Nonce, acct.Nonce)
	}
	if fee := s.global(GTxFee); fee > 0 && tx.Pays(t.Call) && acct.Free < fee {
		return fail(ErrCannotPayFee, "fee %d, free balance %d", fee, acct.Free)
	}
	return nil
}

// apply runs a verified transaction.
func (r *Runtime) apply(t *tx.Tx) TxResult {
	if e, ok := t.Call.(tx.Ethereum); ok { // an Ethereum envelope (evm.go)
		return r.applyEthereum(t, e)
	}
	s := st{r.block}
	if err := r.precheck(s, t, false); err != nil {
		return rejected(err, t)
	}
	res := TxResult{Included: true, Call: t.Call.Index().Name(), TxHash: t.Hash()}
	acct := s.account(t.Signer)
	acct.Nonce++
	if fee := s.global(GTxFee); fee > 0 && tx.Pays(t.Call) {
		acct.Free -= fee
		s.setU64(key(kTotalIssuance), s.u64(key(kTotalIssuance))-fee)
		res.Events = append(res.Events, ev(EvFeePaid, attrA("who", t.Signer), attrU("fee", fee)))
	}
	s.setAccount(t.Signer, acct)

	ov := kv.NewOverlay(r.block)
	c := &call{s: st{ov}, r: r, block: r.header.Height, signer: t.Signer}
	if err := c.dispatch(t.Call); err != nil {
		ov.Discard()
		e := ErrorOf(err)
		if e == nil {
			e = ErrMalformed
		}
		res.Code, res.Error, res.Log = e.Code, e.Name, err.Error()
		return res
	}
	ov.Commit()
	res.Events = append(res.Events, c.events...)
	return res
}

// call is the context one call executes in.
type call struct {
	s      st
	r      *Runtime
	block  uint64
	signer [32]byte
	root   bool // running inside sudo
	events []Event
}

func (c *call) emit(e Event) { c.events = append(c.events, e) }

func (c *call) dispatch(x tx.Call) error {
	switch v := x.(type) {
	case tx.Transfer:
		return c.transfer(v)
	case tx.TransferAll:
		return c.transferAll(v)
	case tx.Faucet:
		return c.faucet(v)
	case tx.RegisterNetwork:
		return c.registerNetwork(v)
	case tx.StartCall:
		return c.startCall(v)
	case tx.SetHyperparameter:
		return c.setHyperparameter(v)
	case tx.SetGlobalParameter:
		return c.setGlobalParameter(v)
	case tx.Sudo:
		sudo, _ := c.s.acct(key(kSudo))
		if c.signer != sudo {
			return fail(ErrBadOrigin, "sudo: signer is not the sudo account")
		}
		c.root = true
		return c.dispatch(v.Call)
	case tx.Register:
		return c.register(v)
	case tx.BurnedRegister:
		return c.burnedRegister(v)
	case tx.RootRegister:
		return c.rootRegister(v)
	case tx.AssociateHotkey:
		return c.associateHotkey(v)
	case tx.SetWeights:
		return c.setWeights(v)
	case tx.CommitWeights:
		return c.commitWeights(v)
	case tx.RevealWeights:
		return c.revealWeights(v)
	case tx.BatchRevealWeights:
		return c.batchRevealWeights(v)
	case tx.ServeAxon:
		return c.serveAxon(v, nil)
	case tx.ServeAxonTLS:
		return c.serveAxon(v.ServeAxon, v.Certificate)
	case tx.ServePrometheus:
		return c.servePrometheus(v)
	case tx.AddStake:
		return c.addStake(v)
	case tx.RemoveStake:
		return c.removeStake(v)
	case tx.DecreaseTake:
		return c.decreaseTake(v)
	case tx.IncreaseTake:
		return c.increaseTake(v)
	}
	return fail(ErrUnknownCall, "call %s", x.Index().Name())
}

// View is the state reads see: the block in progress, or the committed state between blocks. Callers
// must not write to it.
func (r *Runtime) View() kv.Store {
	if r.block != nil {
		return r.block
	}
	return r.base
}

// InBlock reports whether a block is in progress.
func (r *Runtime) InBlock() bool { return r.block != nil }

// AbortBlock drops the block in progress (nothing of it reaches the store). An engine uses it when a
// proposed block is rejected; benchmarks use it to apply the same block repeatedly.
func (r *Runtime) AbortBlock() {
	if r.block != nil {
		r.block.Discard()
		r.block = nil
	}
}
