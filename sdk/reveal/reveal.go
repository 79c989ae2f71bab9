// Package reveal is a restart-safe commit-reveal scheduler for weights. A validator (or `gotensor weights
// commit --auto-reveal`) commits a weights hash through Scheduler.Commit, which stores the salt, uids,
// values, version key and the commit's reveal window in a Store (one JSON file under a folder, written
// atomically). Scheduler.RevealDue — called once by `gotensor weights reveal-pending`, or on every new
// block by Scheduler.Run (what `gotensor weights daemon` and validator processes use) — reveals each
// pending commit once its window opens, and marks those whose window passed as expired. Because the state
// is on disk, a process that restarts picks up where it left off.
//
//	store, _ := reveal.Open(filepath.Join(home, "reveal"))
//	sched := &reveal.Scheduler{Chain: chain, Store: store, Signer: func(reveal.Commit) (client.Signer, error) { return hotkey, nil }}
//	c, _ := sched.Commit(ctx, hotkey, netuid, uids, values, versionKey, reveal.Meta{})
//	go sched.Run(ctx) // reveals c in its window, and any commit left from a previous run
//
// On subtensor (finney, test, a subtensor localnet) commit-reveal is timelocked: Scheduler.Commit then
// commits with client.Chain.CommitTimelockedWeights (the weights encrypted to a future drand round), stores
// the reveal round, and never reveals: the chain decrypts and applies the weights by itself. RevealDue marks
// such a commit "cleared" once its reveal block has passed and the chain no longer lists it. On the gotensor
// node (hash commit-reveal) the scheduler commits a hash and reveals it, as before. Scheduler.Mode chooses;
// the default tries the timelocked commit and falls back to the hash commit where the chain does not support it.
package reveal

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gotensor/gotensor/sdk/client"
)

// Status of a stored commit.
const (
	StatusPending  = "pending"
	StatusRevealed = "revealed"
	StatusExpired  = "expired"
	StatusFailed   = "failed"
	// StatusCleared is a timelocked commit the chain no longer holds after its reveal block: revealed by the
	// chain (its TimelockedWeightsRevealed event says so), or dropped if it could not be decrypted or applied.
	StatusCleared = "cleared"
)

// Mode chooses how Scheduler.Commit commits.
type Mode int

// Modes.
const (
	// ModeAuto commits timelocked where the chain supports it (subtensor), and a hash otherwise (gotensor).
	ModeAuto Mode = iota
	// ModeHash always commits a hash (commit_weights) and reveals it later.
	ModeHash
	// ModeTimelocked always commits timelocked; the chain reveals.
	ModeTimelocked
)

// Meta says where the key that reveals a commit lives (the CLI's wallet selection); SDK users that pass
// their own Signer may leave it empty.
type Meta struct {
	Wallet     string `json:"wallet,omitempty"`
	WalletPath string `json:"wallet_path,omitempty"`
	HotkeyName string `json:"hotkey_name,omitempty"`
	Network    string `json:"network,omitempty"`
}

// Commit is one committed weights vector and what is needed to reveal it.
type Commit struct {
	Netuid           uint16           `json:"netuid"`
	Hotkey           client.AccountID `json:"hotkey"`
	UIDs             []uint16         `json:"uids"`
	Values           []uint16         `json:"values"`
	Salt             []uint16         `json:"salt"`
	VersionKey       uint64           `json:"version_key"`
	Hash             client.Hash      `json:"hash"`
	CommitBlock      uint64           `json:"commit_block"`
	FirstRevealBlock uint64           `json:"first_reveal_block"`
	LastRevealBlock  uint64           `json:"last_reveal_block"`
	Status           string           `json:"status"`
	RevealedBlock    uint64           `json:"revealed_block,omitempty"`
	Error            string           `json:"error,omitempty"`
	// Timelocked commits (subtensor) carry no salt; the chain reveals them at RevealRound. Hash is then the
	// ciphertext's blake2b-256 (what Chain.PendingCommits lists), and Values are the committed weights.
	Timelocked  bool       `json:"timelocked,omitempty"`
	RevealRound uint64     `json:"reveal_round,omitempty"`
	RevealTime  *time.Time `json:"reveal_time,omitempty"`
	Meta
}

// Store keeps commits in <dir>/commits.json.
type Store struct {
	dir string
	mu  sync.Mutex
}

// Open returns the store in dir, creating the folder (0700).
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("reveal store: %w", err)
	}
	return &Store{dir: dir}, nil
}

// Path is the store's file.
func (s *Store) Path() string { return filepath.Join(s.dir, "commits.json") }

// lock takes a lock file shared with other processes (a stale lock older than 30 s is broken).
func (s *Store) lock() (func(), error) {
	s.mu.Lock()
	p := filepath.Join(s.dir, "commits.lock")
	deadline := time.Now().Add(10 * time.Second)
	for {
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(p); s.mu.Unlock() }, nil
		}
		if st, serr := os.Stat(p); serr == nil && time.Since(st.ModTime()) > 30*time.Second {
			os.Remove(p)
			continue
		}
		if time.Now().After(deadline) {
			s.mu.Unlock()
			return nil, fmt.Errorf("reveal store %s is locked by another process", p)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *Store) read() ([]Commit, error) {
	b, err := os.ReadFile(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var cs []Commit
	if err := json.Unmarshal(b, &cs); err != nil {
		return nil, fmt.Errorf("reveal store %s: %w", s.Path(), err)
	}
	return cs, nil
}

func (s *Store) write(cs []Commit) error {
	b, err := json.MarshalIndent(cs, "", "  ")
	if err != nil {
		return err
	}
	tmp := s.Path() + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, s.Path())
}

// Update runs fn on the stored commits under the lock and writes what it returns.
func (s *Store) Update(fn func([]Commit) ([]Commit, error)) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	cs, err := s.read()
	if err != nil {
		return err
	}
	cs, err = fn(cs)
	if err != nil {
		return err
	}
	return s.write(cs)
}

// Add stores a commit.
func (s *Store) Add(c Commit) error {
	if c.Status == "" {
		c.Status = StatusPending
	}
	return s.Update(func(cs []Commit) ([]Commit, error) { return append(cs, c), nil })
}

// List returns every stored commit (oldest first).
func (s *Store) List() ([]Commit, error) {
	unlock, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	return s.read()
}

// NewSalt returns a random 8-element salt (bittensor's length).
func NewSalt() []uint16 {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	salt := make([]uint16, 8)
	for i := range salt {
		salt[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return salt
}

// SignerFunc returns the key that reveals a commit (its hotkey).
type SignerFunc func(c Commit) (client.Signer, error)

// Scheduler commits and reveals.
type Scheduler struct {
	Chain  client.Chain
	Store  *Store
	Signer SignerFunc
	Log    *slog.Logger
	// Mode chooses the commit (ModeAuto: timelocked on subtensor, hash on gotensor).
	Mode Mode
	// TxOptions are passed to the commit (e.g. client.WithTimelock for a private beacon in tests).
	TxOptions []client.TxOption
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Commit commits (uids, values) with a fresh salt, reads the commit's reveal window from the chain and
// stores it as pending.
func (s *Scheduler) Commit(ctx context.Context, hotkey client.Signer, netuid uint16, uids, values []uint16, versionKey uint64, meta Meta) (Commit, error) {
	if s.Mode != ModeHash {
		c, err := s.commitTimelocked(ctx, hotkey, netuid, uids, values, versionKey, meta)
		if err == nil || s.Mode == ModeTimelocked || !errors.Is(err, client.ErrUnsupported) {
			return c, err
		}
	}
	c := Commit{Netuid: netuid, Hotkey: hotkey.PublicKey(), UIDs: uids, Values: values, Salt: NewSalt(), VersionKey: versionKey,
		Status: StatusPending, Meta: meta}
	c.Hash = client.CommitHash(c.Hotkey, netuid, uids, values, c.Salt, versionKey)
	r, err := s.Chain.CommitWeights(ctx, hotkey, netuid, c.Hash, s.TxOptions...)
	if err != nil {
		return c, err
	}
	c.CommitBlock = r.Block
	if pending, err := s.Chain.PendingCommits(ctx, netuid, c.Hotkey); err == nil {
		for _, p := range pending {
			if p.Hash == c.Hash {
				c.CommitBlock, c.FirstRevealBlock, c.LastRevealBlock = p.CommitBlock, p.FirstRevealBlock, p.LastRevealBlock
			}
		}
	}
	if err := s.Store.Add(c); err != nil {
		return c, fmt.Errorf("committed in block %d but could not store the reveal (salt %v): %w", r.Block, c.Salt, err)
	}
	return c, nil
}

// commitTimelocked commits (uids, values) encrypted to the reveal round and stores the commit as pending; the
// chain reveals it.
func (s *Scheduler) commitTimelocked(ctx context.Context, hotkey client.Signer, netuid uint16, uids, values []uint16, versionKey uint64, meta Meta) (Commit, error) {
	c := Commit{Netuid: netuid, Hotkey: hotkey.PublicKey(), UIDs: uids, Values: values, VersionKey: versionKey,
		Status: StatusPending, Timelocked: true, Meta: meta}
	r, tc, err := s.Chain.CommitTimelockedWeights(ctx, hotkey, netuid, uids, values, versionKey, s.TxOptions...)
	if err != nil {
		return c, err
	}
	at := tc.RevealTime
	c.Hash, c.CommitBlock, c.RevealRound, c.RevealTime = tc.CommitHash, r.Block, tc.RevealRound, &at
	if tc.RevealBlock >= 3 {
		c.FirstRevealBlock = tc.RevealBlock - 3
	}
	if pending, err := s.Chain.PendingCommits(ctx, netuid, c.Hotkey); err == nil {
		for _, p := range pending {
			if p.Hash == c.Hash {
				c.FirstRevealBlock, c.LastRevealBlock = p.FirstRevealBlock, p.LastRevealBlock
				if p.CommitBlock != 0 {
					c.CommitBlock = p.CommitBlock
				}
			}
		}
	}
	s.log().Info("weights committed (timelocked)", "netuid", netuid, "hotkey", c.Hotkey, "reveal_round", c.RevealRound,
		"reveal_block", tc.RevealBlock, "reveal_time", tc.RevealTime)
	if err := s.Store.Add(c); err != nil {
		return c, fmt.Errorf("committed in block %d (reveal round %d) but could not store it: %w", r.Block, c.RevealRound, err)
	}
	return c, nil
}

// checkTimelocked follows a timelocked commit: waiting until its reveal block, then cleared once the chain no
// longer lists it among the hotkey's pending commits. It never sends anything.
func (s *Scheduler) checkTimelocked(ctx context.Context, c Commit, head uint64) (Commit, string) {
	if head < c.FirstRevealBlock {
		return c, "waiting"
	}
	pending, err := s.Chain.PendingCommits(ctx, c.Netuid, c.Hotkey)
	if err != nil {
		return c, "waiting"
	}
	for _, p := range pending {
		if p.Hash == c.Hash {
			return c, "waiting"
		}
	}
	c.Status, c.RevealedBlock = StatusCleared, head
	return c, "cleared"
}

// Result is what RevealDue did with one commit.
type Result struct {
	Commit Commit
	// Action: "revealed", "expired", "failed", "waiting", or "cleared" (a timelocked commit the chain has
	// taken care of).
	Action string
	Err    error
}

// RevealDue reveals every pending commit whose window is open at the head, marks those whose window has
// passed as expired, and leaves the others. Revealed and expired commits stay in the store with their
// status (Prune removes them).
func (s *Scheduler) RevealDue(ctx context.Context) ([]Result, error) {
	head, err := s.Chain.Head(ctx)
	if err != nil {
		return nil, err
	}
	cs, err := s.Store.List()
	if err != nil {
		return nil, err
	}
	var results []Result
	changed := map[client.Hash]Commit{}
	for _, c := range cs {
		if c.Status != StatusPending {
			continue
		}
		if c.Timelocked {
			n, action := s.checkTimelocked(ctx, c, head.Height)
			results = append(results, Result{Commit: n, Action: action})
			if action != "waiting" {
				changed[c.Hash] = n
				s.log().Info("timelocked commit cleared by the chain", "netuid", c.Netuid, "hotkey", c.Hotkey, "reveal_round", c.RevealRound)
			}
			continue
		}
		switch {
		case c.LastRevealBlock > 0 && head.Height > c.LastRevealBlock:
			c.Status, c.Error = StatusExpired, fmt.Sprintf("reveal window ended at block %d", c.LastRevealBlock)
			results = append(results, Result{Commit: c, Action: "expired"})
			changed[c.Hash] = c
			continue
		case head.Height < c.FirstRevealBlock:
			results = append(results, Result{Commit: c, Action: "waiting"})
			continue
		}
		signer, err := s.Signer(c)
		if err != nil {
			results = append(results, Result{Commit: c, Action: "failed", Err: err})
			continue
		}
		r, err := s.Chain.RevealWeights(ctx, signer, c.Netuid, c.UIDs, c.Values, c.Salt, c.VersionKey)
		switch name := client.ErrorName(err); {
		case err == nil:
			c.Status, c.RevealedBlock = StatusRevealed, r.Block
			results = append(results, Result{Commit: c, Action: "revealed"})
			s.log().Info("weights revealed", "netuid", c.Netuid, "hotkey", c.Hotkey, "block", r.Block)
		case name == "RevealTooEarly":
			results = append(results, Result{Commit: c, Action: "waiting"})
			continue
		case name == "ExpiredWeightCommit" || name == "NoWeightsCommitFound":
			c.Status, c.Error = StatusExpired, err.Error()
			results = append(results, Result{Commit: c, Action: "expired", Err: err})
		case name != "":
			c.Status, c.Error = StatusFailed, err.Error()
			results = append(results, Result{Commit: c, Action: "failed", Err: err})
		default:
			// Connection trouble: keep it pending and try again later.
			results = append(results, Result{Commit: c, Action: "failed", Err: err})
			continue
		}
		changed[c.Hash] = c
	}
	if len(changed) > 0 {
		err = s.Store.Update(func(all []Commit) ([]Commit, error) {
			for i, c := range all {
				if n, ok := changed[c.Hash]; ok && c.Status == StatusPending {
					all[i] = n
				}
			}
			return all, nil
		})
	}
	return results, err
}

// Prune removes revealed, expired and failed commits older than keep blocks before head.
func (s *Store) Prune(head, keep uint64) error {
	return s.Update(func(all []Commit) ([]Commit, error) {
		out := all[:0]
		for _, c := range all {
			if c.Status == StatusPending || c.CommitBlock+keep > head {
				out = append(out, c)
			}
		}
		return out, nil
	})
}

// Run reveals due commits now and on every new block until ctx ends. onResult, if set, sees every
// result that is not "waiting".
func (s *Scheduler) Run(ctx context.Context, onResult func(Result)) error {
	heads, err := s.Chain.SubscribeHeads(ctx)
	if err != nil {
		return err
	}
	tick := func() {
		rs, err := s.RevealDue(ctx)
		if err != nil && ctx.Err() == nil {
			s.log().Warn("reveal scheduler", "err", err)
		}
		for _, r := range rs {
			if r.Action != "waiting" && onResult != nil {
				onResult(r)
			}
		}
	}
	tick()
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-heads:
			if !ok {
				if ctx.Err() != nil {
					return nil
				}
				return errors.New("reveal scheduler: head subscription ended")
			}
			tick()
		}
	}
}
