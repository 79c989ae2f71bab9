package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/reveal"
	"github.com/gotensor/gotensor/sdk/wallet"
)

// timelockChain is a subtensor-like chain for the CLI's timelocked commit path: it accepts timelocked commits
// and lists them as pending, and fails the test on a hash commit or a reveal.
type timelockChain struct {
	client.Chain
	t       *testing.T
	commits []client.WeightCommit
}

func (f *timelockChain) CommitTimelockedWeights(_ context.Context, _ client.Signer, netuid uint16, uids, weights []uint16, _ uint64, _ ...client.TxOption) (*client.Receipt, *client.TimelockedCommit, error) {
	h := client.Hash{0xaa, byte(netuid), byte(len(uids))}
	f.commits = append(f.commits, client.WeightCommit{Hash: h, CommitBlock: 1000, FirstRevealBlock: 1720, LastRevealBlock: 2080, RevealRound: 19_000_123})
	return &client.Receipt{Block: 1000, Call: "commit_timelocked_mechanism_weights"},
		&client.TimelockedCommit{RevealRound: 19_000_123, RevealBlock: 1723, RevealTime: time.Now().Add(2 * time.Hour), CommitHash: h, Call: "commit_timelocked_mechanism_weights"}, nil
}

func (f *timelockChain) PendingCommits(context.Context, uint16, client.AccountID) ([]client.WeightCommit, error) {
	return f.commits, nil
}

func (f *timelockChain) CommitWeights(context.Context, client.Signer, uint16, client.Hash, ...client.TxOption) (*client.Receipt, error) {
	f.t.Fatal("a hash commit on a timelocked chain")
	return nil, nil
}

// TestCommitTimelockedCLI: the weights commands' commit path on a subtensor-like chain commits timelocked,
// prints the reveal round and time, and --json-output carries reveal_round and reveal_time.
func TestCommitTimelockedCLI(t *testing.T) {
	chain := &timelockChain{t: t}
	s := &session{ctx: context.Background(), chain: chain}
	hot, err := keys.FromURI("//Alice//hot")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	w := &wallet.Wallet{Name: "w", HotkeyName: "h"}
	var out bytes.Buffer
	con := &console{opts: &outputOptions{}, stdout: &out, stderr: &out}
	c, err := commitAndSchedule(con, s, w, home, hot, 7, []uint16{0, 1}, []uint16{65535, 10}, 1, reveal.ModeTimelocked)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Timelocked || c.RevealRound != 19_000_123 || c.FirstRevealBlock != 1720 {
		t.Fatalf("%+v", c)
	}
	printTimelocked(con, c)
	if txt := out.String(); !strings.Contains(txt, "drand round 19000123") || !strings.Contains(txt, "UTC") || !strings.Contains(txt, "from block 1720") {
		t.Fatalf("output:\n%s", txt)
	}
	var js bytes.Buffer
	jcon := &console{opts: &outputOptions{JSON: true}, stdout: &js, stderr: &js}
	if err := jcon.JSON(map[string]any{"success": true, "data": commitDoc(c, false, home)}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Data struct {
			Timelocked  bool   `json:"timelocked"`
			RevealRound uint64 `json:"reveal_round"`
			RevealTime  string `json:"reveal_time"`
			AutoReveal  bool   `json:"auto_reveal"`
		} `json:"data"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Data.Timelocked || doc.Data.RevealRound != 19_000_123 || doc.Data.AutoReveal {
		t.Fatalf("%s", js.String())
	}
	if _, err := time.Parse(time.RFC3339, doc.Data.RevealTime); err != nil {
		t.Fatalf("reveal_time %q: %v", doc.Data.RevealTime, err)
	}
	// The stored commit is followed by the scheduler, never revealed by it.
	store, err := revealStore(home)
	if err != nil {
		t.Fatal(err)
	}
	all, err := store.List()
	if err != nil || len(all) != 1 || !all[0].Timelocked || all[0].Salt != nil {
		t.Fatalf("%+v %v", all, err)
	}
}
