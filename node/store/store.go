// Package store is the node's persistent store: the chain state, blocks, events and a transaction index
// in one bbolt file, written in exactly one bbolt transaction per block, so a crash (kill -9, power loss)
// at any moment leaves the last committed block intact and nothing of a later one.
//
// The state is kept in memory (a kv.MemStore loaded at Open) and the DB itself is the kv.Store the
// runtime runs over: writes go to memory and are remembered until CommitBlock persists them together with
// the block, its results and an undo log (the previous value of every key the block changed). The undo
// logs of the last KeepBlocks blocks (all blocks in archive mode) let StateAt rebuild the state at a past
// block.
//
// The DB is not safe for concurrent use: the engine serialises block execution and CommitBlock against
// readers (its own lock), and a view from StateAt is valid until the next CommitBlock.
package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gotensor/gotensor/chain/kv"
	"github.com/gotensor/gotensor/chain/runtime"
	bolt "go.etcd.io/bbolt"
)

// KeepBlocks is how many past blocks' states a non-archive node can answer queries at.
const KeepBlocks = 256

var (
	bState  = []byte("state")
	bBlocks = []byte("blocks")
	bUndo   = []byte("undo")
	bTxIdx  = []byte("txindex")
	bMeta   = []byte("meta")

	mHead    = []byte("head")
	mArchive = []byte("archive")
	mPruned  = []byte("pruned_below") // lowest height whose state StateAt can rebuild
	mGenesis = []byte("genesis")
)

// ErrPruned is returned for a query at a block whose state this node no longer keeps.
var ErrPruned = errors.New("state pruned")

// ErrNotFound is returned for a block or transaction the store does not hold.
var ErrNotFound = errors.New("not found")

// Block is one committed block: its header, transactions, their results, and the block-level events
// (BeginBlock's: registration adjustment, emission, epochs).
type Block struct {
	Height     uint64             `json:"height"`
	Hash       runtime.Hex32      `json:"hash"`
	ParentHash runtime.Hex32      `json:"parent_hash"`
	Time       uint64             `json:"time"` // unix milliseconds
	Proposer   runtime.Hex32      `json:"proposer"`
	StateHash  runtime.Hex32      `json:"state_hash"` // after the block
	Txs        [][]byte           `json:"txs"`
	Results    []runtime.TxResult `json:"results"`
	Events     []runtime.Event    `json:"events"` // block-level events
}

// ComputeHash is the block hash: BLAKE2b-256 over the header fields and the transaction hashes.
func (b *Block) ComputeHash() [32]byte { return blockHash(b) }

// TxLocation is where a transaction was included.
type TxLocation struct {
	Height uint64 `json:"height"`
	Index  uint32 `json:"index"`
}

// Options configure Open.
type Options struct {
	// Archive keeps every block's undo log so any past state can be queried.
	Archive bool
	// NoSync skips fsync on commit (tests and benchmarks only: a crash may lose blocks).
	NoSync bool
}

type undoEntry struct {
	prev    []byte
	present bool
}

// DB is the store. It implements kv.Store (the live state) for the runtime.
type DB struct {
	bolt    *bolt.DB
	mem     *kv.MemStore
	undo    map[string]undoEntry // first-touch previous values in the block being built
	order   []string             // keys of undo in first-touch order
	archive bool
	head    uint64
	hasHead bool
	pruned  uint64
}

// Open opens (creating if needed) the store at path and loads the state into memory.
func Open(path string, opts Options) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second, NoSync: opts.NoSync, NoFreelistSync: true})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("store %s is locked: is another gotensor node running with this --home?", path)
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	d := &DB{bolt: bdb, mem: kv.NewMemStore(), undo: map[string]undoEntry{}}
	err = bdb.Update(func(t *bolt.Tx) error {
		for _, b := range [][]byte{bState, bBlocks, bUndo, bTxIdx, bMeta} {
			if _, err := t.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := t.Bucket(bMeta)
		if v := meta.Get(mHead); len(v) == 8 {
			d.head, d.hasHead = binary.BigEndian.Uint64(v), true
		}
		if v := meta.Get(mPruned); len(v) == 8 {
			d.pruned = binary.BigEndian.Uint64(v)
		}
		was := meta.Get(mArchive) != nil
		switch {
		case opts.Archive && !was && d.hasHead:
			// Switching to archive keeps everything from now on; older states stay pruned.
			if d.head > KeepBlocks {
				d.pruned = d.head - KeepBlocks
			}
			if err := meta.Put(mPruned, u64key(d.pruned)); err != nil {
				return err
			}
			if err := meta.Put(mArchive, []byte{1}); err != nil {
				return err
			}
		case opts.Archive && !was:
			if err := meta.Put(mArchive, []byte{1}); err != nil {
				return err
			}
		case !opts.Archive && was:
			if err := meta.Delete(mArchive); err != nil {
				return err
			}
		}
		return t.Bucket(bState).ForEach(func(k, v []byte) error {
			d.mem.Set(k, v)
			return nil
		})
	})
	if err != nil {
		bdb.Close()
		return nil, fmt.Errorf("store: load %s: %w", path, err)
	}
	d.archive = opts.Archive
	d.settle()
	return d, nil
}

// Close closes the file. Uncommitted writes are lost.
func (d *DB) Close() error { return d.bolt.Close() }

// Path is the bbolt file.
func (d *DB) Path() string { return d.bolt.Path() }

// Head is the last committed height; ok is false on an empty store.
func (d *DB) Head() (uint64, bool) { return d.head, d.hasHead }

// Archive reports whether every past state is kept.
func (d *DB) Archive() bool { return d.archive }

// OldestState is the lowest height StateAt can answer.
func (d *DB) OldestState() uint64 {
	if d.archive || d.head < KeepBlocks {
		return d.pruned
	}
	return max(d.pruned, d.head-KeepBlocks)
}

// Get implements kv.Store.
func (d *DB) Get(key []byte) ([]byte, bool) { return d.mem.Get(key) }

// Iterate implements kv.Store.
func (d *DB) Iterate(start, end []byte, fn func(k, v []byte) bool) { d.mem.Iterate(start, end, fn) }

func (d *DB) touch(key []byte) {
	k := string(key)
	if _, ok := d.undo[k]; ok {
		return
	}
	prev, ok := d.mem.Get(key)
	d.undo[k] = undoEntry{prev: prev, present: ok}
	d.order = append(d.order, k)
}

// Set implements kv.Store.
func (d *DB) Set(key, value []byte) {
	d.touch(key)
	d.mem.Set(key, value)
}

// Delete implements kv.Store.
func (d *DB) Delete(key []byte) {
	d.touch(key)
	d.mem.Delete(key)
}

// settle brings the in-memory state's key index up to date, so later Iterate calls only read and may run
// concurrently (kv.MemStore sorts lazily on the first Iterate after a write).
func (d *DB) settle() { d.mem.Iterate(nil, []byte{}, func(_, _ []byte) bool { return false }) }

// Pending reports whether state writes wait for CommitBlock.
func (d *DB) Pending() bool { return len(d.undo) > 0 }

// Rollback undoes the state writes since the last CommitBlock (used when a block fails to commit).
func (d *DB) Rollback() {
	for _, k := range d.order {
		u := d.undo[k]
		if u.present {
			d.mem.Set([]byte(k), u.prev)
		} else {
			d.mem.Delete([]byte(k))
		}
	}
	clear(d.undo)
	d.order = d.order[:0]
	d.settle()
}

func u64key(h uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], h)
	return b[:]
}

// CommitBlock persists the state writes since the last commit together with b, its transaction index and
// undo log, in one bbolt transaction. b.Height must be the next height (0 on an empty store).
func (d *DB) CommitBlock(b *Block) error {
	want := uint64(0)
	if d.hasHead {
		want = d.head + 1
	}
	if b.Height != want {
		return fmt.Errorf("store: commit block %d, want %d", b.Height, want)
	}
	body, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("store: encode block %d: %w", b.Height, err)
	}
	undo := d.encodeUndo()
	err = d.bolt.Update(func(t *bolt.Tx) error {
		st := t.Bucket(bState)
		for _, k := range d.order {
			v, ok := d.mem.Get([]byte(k))
			var err error
			if ok {
				err = st.Put([]byte(k), v)
			} else {
				err = st.Delete([]byte(k))
			}
			if err != nil {
				return err
			}
		}
		if err := t.Bucket(bBlocks).Put(u64key(b.Height), body); err != nil {
			return err
		}
		ub := t.Bucket(bUndo)
		if err := ub.Put(u64key(b.Height), undo); err != nil {
			return err
		}
		if !d.archive && b.Height >= KeepBlocks {
			// The state at height-KeepBlocks needs the undo logs above it only.
			if err := ub.Delete(u64key(b.Height - KeepBlocks)); err != nil {
				return err
			}
		}
		ti := t.Bucket(bTxIdx)
		for i, r := range b.Results {
			if !r.Included {
				continue
			}
			var loc [12]byte
			binary.BigEndian.PutUint64(loc[:8], b.Height)
			binary.BigEndian.PutUint32(loc[8:], uint32(i))
			if err := ti.Put(r.TxHash[:], loc[:]); err != nil {
				return err
			}
		}
		return t.Bucket(bMeta).Put(mHead, u64key(b.Height))
	})
	if err != nil {
		return fmt.Errorf("store: commit block %d: %w", b.Height, err)
	}
	d.head, d.hasHead = b.Height, true
	clear(d.undo)
	d.order = d.order[:0]
	d.settle()
	return nil
}

func (d *DB) encodeUndo() []byte {
	var buf bytes.Buffer
	buf.Write(binary.AppendUvarint(nil, uint64(len(d.order))))
	for _, k := range d.order {
		u := d.undo[k]
		buf.Write(binary.AppendUvarint(nil, uint64(len(k))))
		buf.WriteString(k)
		if u.present {
			buf.WriteByte(1)
			buf.Write(binary.AppendUvarint(nil, uint64(len(u.prev))))
			buf.Write(u.prev)
		} else {
			buf.WriteByte(0)
		}
	}
	return buf.Bytes()
}

func decodeUndo(b []byte, fn func(k string, v []byte, present bool)) error {
	bad := errors.New("store: corrupt undo log")
	n, w := binary.Uvarint(b)
	if w <= 0 {
		return bad
	}
	b = b[w:]
	for i := uint64(0); i < n; i++ {
		l, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < l+1 {
			return bad
		}
		k := string(b[w : w+int(l)])
		b = b[w+int(l):]
		present := b[0] == 1
		b = b[1:]
		if !present {
			fn(k, nil, false)
			continue
		}
		l, w = binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < l {
			return bad
		}
		fn(k, b[w:w+int(l)], true)
		b = b[w+int(l):]
	}
	return nil
}

// StateAt returns a read-only view of the state after block h. At the head it is the live state. The
// view reads through to the live state and is valid until the next CommitBlock; the caller must hold the
// engine's read lock while using it. A height below OldestState fails with ErrPruned.
func (d *DB) StateAt(h uint64) (kv.Store, error) {
	if !d.hasHead || h > d.head {
		return nil, fmt.Errorf("block %d is not committed yet (head %d): %w", h, d.head, ErrNotFound)
	}
	if h == d.head {
		return d, nil
	}
	if h < d.OldestState() {
		return nil, fmt.Errorf("state at block %d: %w: this node keeps the last %d blocks (oldest %d); start it with --archive to keep all",
			h, ErrPruned, KeepBlocks, d.OldestState())
	}
	ov := kv.NewOverlay(d.mem)
	err := d.bolt.View(func(t *bolt.Tx) error {
		ub := t.Bucket(bUndo)
		// Undo from the head down to h+1: the value a key had at h is the one recorded by the earliest
		// block above h that changed it, so later (lower) applications win.
		for x := d.head; x > h; x-- {
			v := ub.Get(u64key(x))
			if v == nil {
				return fmt.Errorf("state at block %d: undo log of block %d missing: %w", h, x, ErrPruned)
			}
			if err := decodeUndo(v, func(k string, val []byte, present bool) {
				if present {
					ov.Set([]byte(k), val)
				} else {
					ov.Delete([]byte(k))
				}
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return readOnly{ov}, nil
}

type readOnly struct{ *kv.Overlay }

func (readOnly) Set(key, value []byte) { panic("store: write to a past state") }
func (readOnly) Delete(key []byte)     { panic("store: write to a past state") }

// Block returns the block at height h.
func (d *DB) Block(h uint64) (*Block, error) {
	var b Block
	err := d.bolt.View(func(t *bolt.Tx) error {
		v := t.Bucket(bBlocks).Get(u64key(h))
		if v == nil {
			return fmt.Errorf("block %d: %w", h, ErrNotFound)
		}
		return json.Unmarshal(v, &b)
	})
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// TxLocation finds an included transaction by hash.
func (d *DB) TxLocation(hash [32]byte) (TxLocation, error) {
	var loc TxLocation
	err := d.bolt.View(func(t *bolt.Tx) error {
		v := t.Bucket(bTxIdx).Get(hash[:])
		if len(v) != 12 {
			return fmt.Errorf("transaction 0x%x: %w", hash[:], ErrNotFound)
		}
		loc = TxLocation{binary.BigEndian.Uint64(v[:8]), binary.BigEndian.Uint32(v[8:])}
		return nil
	})
	return loc, err
}

// SetGenesis records the genesis document (JSON) the chain was initialised with.
func (d *DB) SetGenesis(doc []byte) error {
	return d.bolt.Update(func(t *bolt.Tx) error { return t.Bucket(bMeta).Put(mGenesis, doc) })
}

// Genesis returns the recorded genesis document (nil if none).
func (d *DB) Genesis() []byte {
	var out []byte
	d.bolt.View(func(t *bolt.Tx) error {
		out = bytes.Clone(t.Bucket(bMeta).Get(mGenesis))
		return nil
	})
	return out
}
