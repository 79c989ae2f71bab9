package reveal

import (
	"context"
	"errors"
	"testing"

	"github.com/gotensor/gotensor/sdk/client"
)

// fakeChain is a chain whose commit-reveal rules are a fixed window per commit.
type fakeChain struct {
	client.Chain
	head     uint64
	commits  map[client.Hash]client.WeightCommit
	revealed []client.Hash
	// timelocked makes the fake a subtensor chain (timelocked commits the chain reveals); otherwise it is a
	// gotensor node, which refuses timelocked commits as unsupported.
	timelocked bool
	tlCount    int
}

func (f *fakeChain) CommitTimelockedWeights(_ context.Context, _ client.Signer, _ uint16, uids, _ []uint16, _ uint64, _ ...client.TxOption) (*client.Receipt, *client.TimelockedCommit, error) {
	if !f.timelocked {
		return nil, nil, &client.UnsupportedError{Op: "CommitTimelockedWeights", Backend: "gotensor"}
	}
	f.tlCount++
	h := client.Hash{byte(f.tlCount), byte(len(uids))}
	f.commits[h] = client.WeightCommit{Hash: h, CommitBlock: f.head, FirstRevealBlock: f.head + 30, LastRevealBlock: f.head + 60, RevealRound: 5000}
	return &client.Receipt{Block: f.head}, &client.TimelockedCommit{RevealRound: 5000, RevealBlock: f.head + 33, CommitHash: h}, nil
}

type key struct{ pub [32]byte }

func (k key) PublicKey() [32]byte           { return k.pub }
func (k key) Sign([]byte) ([64]byte, error) { return [64]byte{}, nil }

func (f *fakeChain) Head(context.Context) (client.BlockRef, error) {
	return client.BlockRef{Height: f.head}, nil
}

func (f *fakeChain) CommitWeights(_ context.Context, _ client.Signer, _ uint16, h client.Hash, _ ...client.TxOption) (*client.Receipt, error) {
	f.commits[h] = client.WeightCommit{Hash: h, CommitBlock: f.head, FirstRevealBlock: f.head + 10, LastRevealBlock: f.head + 20}
	return &client.Receipt{Block: f.head}, nil
}

func (f *fakeChain) PendingCommits(context.Context, uint16, client.AccountID) ([]client.WeightCommit, error) {
	var out []client.WeightCommit
	for _, c := range f.commits {
		out = append(out, c)
	}
	return out, nil
}

func (f *fakeChain) RevealWeights(_ context.Context, s client.Signer, netuid uint16, uids, values, salt []uint16, v uint64, _ ...client.TxOption) (*client.Receipt, error) {
	h := client.CommitHash(s.PublicKey(), netuid, uids, values, salt, v)
	c, ok := f.commits[h]
	switch {
	case !ok:
		return nil, &client.TxError{Name: "NoWeightsCommitFound"}
	case f.head < c.FirstRevealBlock:
		return nil, &client.TxError{Name: "RevealTooEarly"}
	}
	delete(f.commits, h)
	f.revealed = append(f.revealed, h)
	return &client.Receipt{Block: f.head}, nil
}

func TestScheduleSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	chain := &fakeChain{head: 100, commits: map[client.Hash]client.WeightCommit{}}
	hot := key{pub: [32]byte{7}}
	signer := func(Commit) (client.Signer, error) { return hot, nil }
	store, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s1 := &Scheduler{Chain: chain, Store: store, Signer: signer}
	c, err := s1.Commit(context.Background(), hot, 1, []uint16{0, 1}, []uint16{65535, 100}, 0, Meta{Wallet: "w"})
	if err != nil || c.FirstRevealBlock != 110 || c.LastRevealBlock != 120 || len(c.Salt) != 8 {
		t.Fatalf("%+v %v", c, err)
	}
	// Too early: nothing happens.
	rs, err := s1.RevealDue(context.Background())
	if err != nil || len(rs) != 1 || rs[0].Action != "waiting" {
		t.Fatalf("%+v %v", rs, err)
	}
	// A new process (new store handle, new scheduler) reveals it in its window.
	chain.head = 112
	store2, _ := Open(dir)
	s2 := &Scheduler{Chain: chain, Store: store2, Signer: signer}
	rs, err = s2.RevealDue(context.Background())
	if err != nil || len(rs) != 1 || rs[0].Action != "revealed" || len(chain.revealed) != 1 || chain.revealed[0] != c.Hash {
		t.Fatalf("%+v %v", rs, err)
	}
	all, _ := store2.List()
	if len(all) != 1 || all[0].Status != StatusRevealed || all[0].RevealedBlock != 112 || all[0].Wallet != "w" {
		t.Fatalf("%+v", all)
	}
	// Revealed commits are not revealed again; a commit whose window passed expires.
	c2, _ := s2.Commit(context.Background(), hot, 1, []uint16{0}, []uint16{1}, 0, Meta{})
	chain.head = c2.LastRevealBlock + 1
	rs, _ = s2.RevealDue(context.Background())
	if len(rs) != 1 || rs[0].Action != "expired" {
		t.Fatalf("%+v", rs)
	}
	if err := store2.Prune(chain.head+1000, 10); err != nil {
		t.Fatal(err)
	}
	if all, _ := store2.List(); len(all) != 0 {
		t.Fatalf("prune: %+v", all)
	}
}

// TestTimelockedCommitsAreLeftToTheChain: on a subtensor-like chain the scheduler commits timelocked, stores
// the reveal round, never reveals, and marks the commit cleared once the chain no longer lists it after its
// reveal block.
func TestTimelockedCommitsAreLeftToTheChain(t *testing.T) {
	chain := &fakeChain{head: 100, commits: map[client.Hash]client.WeightCommit{}, timelocked: true}
	hot := key{pub: [32]byte{7}}
	store, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := &Scheduler{Chain: chain, Store: store, Signer: func(Commit) (client.Signer, error) { return hot, nil }}
	c, err := s.Commit(context.Background(), hot, 1, []uint16{0, 1}, []uint16{65535, 100}, 0, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Timelocked || c.RevealRound != 5000 || c.FirstRevealBlock != 130 || c.LastRevealBlock != 160 || c.Salt != nil || c.RevealTime == nil {
		t.Fatalf("%+v", c)
	}
	chain.head = 140 // in the reveal window, the chain still holds it
	rs, err := s.RevealDue(context.Background())
	if err != nil || len(rs) != 1 || rs[0].Action != "waiting" {
		t.Fatalf("%+v %v", rs, err)
	}
	delete(chain.commits, c.Hash) // the chain revealed it
	rs, err = s.RevealDue(context.Background())
	if err != nil || len(rs) != 1 || rs[0].Action != "cleared" || len(chain.revealed) != 0 {
		t.Fatalf("%+v %v (revealed %d)", rs, err, len(chain.revealed))
	}
	all, _ := store.List()
	if len(all) != 1 || all[0].Status != StatusCleared || all[0].RevealRound != 5000 {
		t.Fatalf("%+v", all)
	}
	// ModeHash forces a hash commit even here.
	s.Mode = ModeHash
	if c, err := s.Commit(context.Background(), hot, 1, []uint16{0}, []uint16{1}, 0, Meta{}); err != nil || c.Timelocked || len(c.Salt) != 8 {
		t.Fatalf("hash mode: %+v %v", c, err)
	}
	// ModeTimelocked on a gotensor node is the chain's refusal, not a silent hash commit.
	chain.timelocked = false
	s.Mode = ModeTimelocked
	if _, err := s.Commit(context.Background(), hot, 1, []uint16{0}, []uint16{1}, 0, Meta{}); !errors.Is(err, client.ErrUnsupported) {
		t.Fatalf("timelocked mode on gotensor: %v", err)
	}
}
