// Package mempool holds admitted transactions until the engine puts them in a block. Transactions are
// kept per signer and ordered by nonce; a block takes, across signers, the transactions whose nonce is
// the next one the signer's account expects, in arrival order (so a signer's transactions are never
// reordered and one signer cannot starve the others' earlier submissions). Admission (the runtime's
// CheckTx) is the caller's job; the pool enforces its size limits and nonce uniqueness.
package mempool

import (
	"container/heap"
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Errors of Add.
var (
	ErrAlreadyKnown = errors.New("transaction already in the mempool")
	ErrNonceTaken   = errors.New("another transaction with this nonce is already in the mempool")
	ErrFull         = errors.New("mempool is full")
	ErrAccountFull  = errors.New("too many pending transactions for this account")
	ErrTooFarAhead  = errors.New("nonce too far ahead of the account's")
)

// Config are the pool's limits. Zero fields take the defaults.
type Config struct {
	MaxTxs        int    // transactions in the pool (default 50,000)
	MaxBytes      int    // total encoded bytes (default 64 MiB)
	MaxPerAccount int    // pending transactions per signer (default 2,048)
	MaxNonceAhead uint64 // how far above the account nonce a transaction may be (default MaxPerAccount)
}

func (c Config) withDefaults() Config {
	if c.MaxTxs <= 0 {
		c.MaxTxs = 50_000
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = 64 << 20
	}
	if c.MaxPerAccount <= 0 {
		c.MaxPerAccount = 2048
	}
	if c.MaxNonceAhead == 0 {
		c.MaxNonceAhead = uint64(c.MaxPerAccount)
	}
	return c
}

// Tx is a pooled transaction.
type Tx struct {
	Hash   [32]byte
	Signer [32]byte
	Nonce  uint64
	Raw    []byte
	seq    uint64 // arrival order
}

type account struct {
	txs map[uint64]*Tx // by nonce
}

// Pool is the mempool. It is safe for concurrent use.
type Pool struct {
	mu     sync.Mutex
	cfg    Config
	accts  map[[32]byte]*account
	byHash map[[32]byte]*Tx
	bytes  int
	seq    uint64
}

// New returns an empty pool.
func New(cfg Config) *Pool {
	return &Pool{cfg: cfg.withDefaults(), accts: map[[32]byte]*account{}, byHash: map[[32]byte]*Tx{}}
}

// Add admits t. stateNonce is the signer's committed account nonce (t.Nonce ≥ stateNonce was checked by
// CheckTx).
func (p *Pool) Add(t Tx, stateNonce uint64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.byHash[t.Hash]; ok {
		return ErrAlreadyKnown
	}
	if t.Nonce >= stateNonce+p.cfg.MaxNonceAhead {
		return fmt.Errorf("%w: nonce %d, account nonce %d, limit %d ahead", ErrTooFarAhead, t.Nonce, stateNonce, p.cfg.MaxNonceAhead)
	}
	a := p.accts[t.Signer]
	if a != nil {
		if _, ok := a.txs[t.Nonce]; ok {
			return fmt.Errorf("%w (nonce %d)", ErrNonceTaken, t.Nonce)
		}
		if len(a.txs) >= p.cfg.MaxPerAccount {
			return fmt.Errorf("%w (%d)", ErrAccountFull, p.cfg.MaxPerAccount)
		}
	}
	if len(p.byHash) >= p.cfg.MaxTxs || p.bytes+len(t.Raw) > p.cfg.MaxBytes {
		return fmt.Errorf("%w (%d transactions, %d bytes): try again in a few blocks", ErrFull, len(p.byHash), p.bytes)
	}
	if a == nil {
		a = &account{txs: map[uint64]*Tx{}}
		p.accts[t.Signer] = a
	}
	p.seq++
	tt := t
	tt.seq = p.seq
	a.txs[t.Nonce] = &tt
	p.byHash[t.Hash] = &tt
	p.bytes += len(t.Raw)
	return nil
}

// Has reports whether a transaction is pooled.
func (p *Pool) Has(hash [32]byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.byHash[hash]
	return ok
}

// Size is the number of pooled transactions and their bytes.
func (p *Pool) Size() (txs, bytes int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.byHash), p.bytes
}

// NextNonce is the nonce the signer's next transaction should carry: the first gap at or above
// stateNonce among its pooled transactions.
func (p *Pool) NextNonce(signer [32]byte, stateNonce uint64) uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := stateNonce
	if a := p.accts[signer]; a != nil {
		for {
			if _, ok := a.txs[n]; !ok {
				break
			}
			n++
		}
	}
	return n
}

type head struct {
	t    *Tx
	acct *account
}

type heads []head

func (h heads) Len() int           { return len(h) }
func (h heads) Less(i, j int) bool { return h[i].t.seq < h[j].t.seq }
func (h heads) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *heads) Push(x any)        { *h = append(*h, x.(head)) }
func (h *heads) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Reap returns up to maxTxs transactions (maxBytes in all) that can run in order now: for each signer
// the run of consecutive nonces from nonceOf(signer), merged across signers by arrival. The pool keeps
// them until Update.
func (p *Pool) Reap(maxTxs, maxBytes int, nonceOf func([32]byte) uint64) []*Tx {
	p.mu.Lock()
	defer p.mu.Unlock()
	h := heads{}
	// Signers in a deterministic order so equal arrival orders cannot depend on map iteration.
	signers := make([][32]byte, 0, len(p.accts))
	for s := range p.accts {
		signers = append(signers, s)
	}
	sort.Slice(signers, func(i, j int) bool { return string(signers[i][:]) < string(signers[j][:]) })
	for _, s := range signers {
		a := p.accts[s]
		if t, ok := a.txs[nonceOf(s)]; ok {
			h = append(h, head{t, a})
		}
	}
	heap.Init(&h)
	var out []*Tx
	size := 0
	for h.Len() > 0 && len(out) < maxTxs {
		x := heap.Pop(&h).(head)
		if size+len(x.t.Raw) > maxBytes {
			if len(out) == 0 {
				out = append(out, x.t) // an oversized lone transaction still goes (the block limit is soft)
			}
			break
		}
		out = append(out, x.t)
		size += len(x.t.Raw)
		if nxt, ok := x.acct.txs[x.t.Nonce+1]; ok {
			heap.Push(&h, head{nxt, x.acct})
		}
	}
	return out
}

// Update drops what a committed block made obsolete: every transaction of the touched signers whose
// nonce is below the signer's new account nonce (included ones and ones that can never run), and the
// listed hashes (transactions rejected at delivery).
func (p *Pool) Update(touched [][32]byte, nonceOf func([32]byte) uint64, drop [][32]byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, h := range drop {
		if t, ok := p.byHash[h]; ok {
			p.removeLocked(t)
		}
	}
	for _, s := range touched {
		a := p.accts[s]
		if a == nil {
			continue
		}
		n := nonceOf(s)
		for nonce, t := range a.txs {
			if nonce < n {
				p.removeLocked(t)
			}
		}
	}
}

func (p *Pool) removeLocked(t *Tx) {
	delete(p.byHash, t.Hash)
	p.bytes -= len(t.Raw)
	if a := p.accts[t.Signer]; a != nil {
		delete(a.txs, t.Nonce)
		if len(a.txs) == 0 {
			delete(p.accts, t.Signer)
		}
	}
}
