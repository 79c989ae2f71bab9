package validator

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gotensor/gotensor/examples/factor/protocol"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/metagraph"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// TestValidatorCannotSeeMinerRoles fails if the validator's code could learn how a miner was configured:
// it must not import the miner package (or the CLI that configures miners), and nothing it declares or
// reads may name a miner's quality knobs. Quality reaches it only through answers and latency.
func TestValidatorCannotSeeMinerRoles(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	banned := []string{"Delay", "WrongEvery", "Quality", "Role", "Offline", "localnet"}
	for _, pkg := range pkgs {
		for name, f := range pkg.Files {
			for _, imp := range f.Imports {
				p := strings.Trim(imp.Path.Value, `"`)
				if strings.HasSuffix(p, "/miner") || strings.Contains(p, "/internal/") {
					t.Errorf("%s imports %s: the validator must not see how miners are configured", name, p)
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					for _, b := range banned {
						if strings.Contains(id.Name, b) {
							t.Errorf("%s: %s names a miner configuration knob (%s)", fset.Position(id.Pos()), id.Name, b)
						}
					}
				}
				return true
			})
		}
	}
	// And its configuration has nothing about miners.
	for i := 0; i < reflect.TypeFor[Config]().NumField(); i++ {
		f := reflect.TypeFor[Config]().Field(i).Name
		if strings.Contains(strings.ToLower(f), "miner") {
			t.Errorf("Config.%s: the validator's configuration must say nothing about miners", f)
		}
	}
}

func answer(n, p, q uint64, status int, secs float64) *protocol.Factor {
	f := &protocol.Factor{N: n}
	if p != 0 {
		f.P, f.Q = synapse.Ptr(p), synapse.Ptr(q)
	}
	f.Dendrite.StatusCode = synapse.Ptr(status)
	f.Dendrite.ProcessTime = synapse.Ptr(secs)
	return f
}

func TestReward(t *testing.T) {
	to := 2 * time.Second
	fast := Reward(77, answer(77, 7, 11, 200, 0.01), to)
	slow := Reward(77, answer(77, 7, 11, 200, 1.0), to)
	if !(fast > slow && slow >= 0.5 && fast <= 1) {
		t.Fatalf("fast %v, slow %v", fast, slow)
	}
	for name, a := range map[string]*protocol.Factor{
		"wrong":     answer(77, 9, 11, 200, 0.01),
		"no answer": answer(77, 0, 0, 200, 0.01),
		"timeout":   answer(77, 0, 0, 408, 2),
		"refused":   answer(77, 7, 11, 403, 0.01),
	} {
		if r := Reward(77, a, to); r != 0 {
			t.Errorf("%s: reward %v, want 0", name, r)
		}
	}
	if Reward(77, nil, to) != 0 {
		t.Error("nil answer rewarded")
	}
}

func key(b byte) client.AccountID { var a client.AccountID; a[0] = b; return a }

func TestScoresFollowHotkeysAndDecayOnlyWhenQueried(t *testing.T) {
	var s State
	s.resize([]client.AccountID{key(1), key(2)}, nil)
	s.update([]uint16{0, 1}, []float64{1, 1}, 0.5)
	s.update([]uint16{0}, []float64{0}, 0.5) // uid 1 not queried: keeps its score
	if s.Scores[0] != 0.25 || s.Scores[1] != 0.5 {
		t.Fatalf("scores %v", s.Scores)
	}
	s.resize([]client.AccountID{key(1), key(9), key(3)}, nil) // uid 1 changed hands, uid 2 is new
	if s.Scores[0] != 0.25 || s.Scores[1] != 0 || s.Scores[2] != 0 || len(s.Hotkeys) != 3 {
		t.Fatalf("after resize: %v", s.Scores)
	}
	nan := 0.0
	s.update([]uint16{0, 7}, []float64{nan / nan, 1}, 0.5) // NaN counts as 0; an unknown uid is ignored
	if s.Scores[0] != 0.125 {
		t.Fatalf("NaN reward: %v", s.Scores)
	}
}

func TestStateRoundTripIsAtomicAndMissingIsEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v", "state.json")
	st, err := LoadState(path)
	if err != nil || st.Step != 0 || len(st.Scores) != 0 {
		t.Fatalf("missing file: %+v, %v", st, err)
	}
	st = State{Step: 42, Scores: []float64{0.5, 0.25}, Hotkeys: []client.AccountID{key(1), key(2)}, LastWeights: 99,
		Pending: []Commit{{Block: 90, RevealEpoch: 9, UIDs: []uint16{1}, Weights: []uint16{65535}, Salt: []uint16{1, 2}, VersionKey: SpecVersion}}}
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v (%v)", fi.Mode().Perm(), err)
	}
	got, err := LoadState(path)
	if err != nil {
		t.Fatal(err)
	}
	st.Version = StateVersion
	if !reflect.DeepEqual(got, st) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, st)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temp files left behind: %v", entries)
	}
	if err := os.WriteFile(path, []byte(`{"version":1,"scores":[1],"hotkeys":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadState(path); err == nil {
		t.Fatal("inconsistent state accepted")
	}
}

func TestNewLoadsStateBeforeAnythingSaves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	saved := State{Step: 7, Scores: []float64{0.9}, Hotkeys: []client.AccountID{key(1)}}
	if err := saved.Save(path); err != nil {
		t.Fatal(err)
	}
	v, err := New(nopChain{}, mustKey(t), Config{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	if st := v.State(); st.Step != 7 || st.Scores[0] != 0.9 {
		t.Fatalf("state after New: %+v", st)
	}
	got, _ := LoadState(path)
	if got.Step != 7 {
		t.Fatalf("New overwrote the saved state: %+v", got)
	}
}

func TestEpochIndex(t *testing.T) {
	// (b + netuid + 1) div (tempo + 1): with netuid 1 and tempo 10, blocks 9..19 are epoch 1.
	for b, want := range map[uint64]uint64{8: 0, 9: 1, 19: 1, 20: 2} {
		if got := epochIndex(b, 1, 10); got != want {
			t.Errorf("epochIndex(%d) = %d, want %d", b, got, want)
		}
	}
}

// revealChain records reveals.
type revealChain struct {
	client.Chain
	reveals [][]uint16 // salts revealed
}

func (r *revealChain) RevealWeights(_ context.Context, _ client.Signer, _ uint16, uids, weights, salt []uint16, _ uint64, _ ...client.TxOption) (*client.Receipt, error) {
	r.reveals = append(r.reveals, salt)
	return &client.Receipt{}, nil
}

// A commit made before a restart is revealed by the next process, in its reveal epoch, and an expired one
// is dropped.
func TestPendingCommitSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	st := State{Step: 3, Scores: []float64{0, 1}, Hotkeys: []client.AccountID{key(1), key(2)}, Pending: []Commit{
		{Block: 20, RevealEpoch: 3, UIDs: []uint16{1}, Weights: []uint16{65535}, Salt: []uint16{7, 7}, VersionKey: SpecVersion},
		{Block: 5, RevealEpoch: 1, UIDs: []uint16{1}, Weights: []uint16{65535}, Salt: []uint16{1, 1}, VersionKey: SpecVersion},
	}}
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	rc := &revealChain{}
	v, err := New(rc, mustKey(t), Config{Netuid: 1, StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	v.mg = metagraph.FromInfo(&client.MetagraphInfo{Netuid: 1, Hyperparameters: client.Params{{Name: "tempo", Value: 10}}})
	ctx := context.Background()
	// Block 25 is epoch 2 (netuid 1, tempo 10): too early for the first, too late for the second.
	if err := v.revealDue(ctx, 25); err != nil {
		t.Fatal(err)
	}
	if len(rc.reveals) != 0 || len(v.State().Pending) != 1 {
		t.Fatalf("epoch 2: reveals %v, pending %+v", rc.reveals, v.State().Pending)
	}
	if err := v.revealDue(ctx, 31); err != nil { // epoch 3
		t.Fatal(err)
	}
	if len(rc.reveals) != 1 || rc.reveals[0][0] != 7 || len(v.State().Pending) != 0 {
		t.Fatalf("epoch 3: reveals %v, pending %+v", rc.reveals, v.State().Pending)
	}
	if got, _ := LoadState(path); len(got.Pending) != 0 {
		t.Fatalf("the reveal was not saved: %+v", got.Pending)
	}
}
