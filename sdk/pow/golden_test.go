package pow

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gotensor/gotensor/chain/tx"
)

func loadGolden(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func h32(t *testing.T, s string) [32]byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 32 {
		t.Fatalf("bad 32-byte hex %q", s)
	}
	return [32]byte(b)
}

// solveOne runs the CPU solver on one processor from start, which returns the lowest passing nonce.
func solveOne(t *testing.T, b Block, key [32]byte, rule Rule, start uint64) Solution {
	t.Helper()
	s := &CPUSolver{Processors: 1, TimeBudget: -1}
	sol, err := s.Solve(context.Background(), Problem{Key: key, Block: b, Rule: rule, StartNonce: start})
	if err != nil {
		t.Fatal(err)
	}
	return sol
}

func TestGoldenSDKPow(t *testing.T) {
	var f struct {
		Vectors []struct {
			BlockHash string `json:"block_hash"`
			Hotkey    string `json:"hotkey_pubkey"`
			BH        string `json:"block_and_hotkey_hash"`
			Seals     []struct {
				Nonce  string `json:"nonce"`
				Seal   string `json:"seal"`
				IntBE  string `json:"seal_int_big_endian"`
				Meets1 bool   `json:"meets_difficulty_1"`
				Meets2 bool   `json:"meets_difficulty_10"`
				Meets3 bool   `json:"meets_difficulty_1000"`
			} `json:"seals"`
			First []struct {
				Difficulty uint64 `json:"difficulty"`
				Nonce      uint64 `json:"nonce"`
				Seal       string `json:"seal"`
			} `json:"first_solutions_from_nonce_0"`
		} `json:"vectors"`
		Repo struct {
			BH    string `json:"block_and_hotkey_hash"`
			Nonce uint64 `json:"nonce"`
			Seal  string `json:"seal"`
		} `json:"repo_test_vector"`
	}
	loadGolden(t, "sdk_pow.json", &f)
	if len(f.Vectors) == 0 {
		t.Fatal("sdk_pow.json: no vectors")
	}
	repo := &Work{BlockKeyHash: h32(t, f.Repo.BH)}
	if got := repo.Seal(f.Repo.Nonce); got != h32(t, f.Repo.Seal) {
		t.Errorf("repo_test_vector: seal %x want %s", got, f.Repo.Seal)
	}
	for vi, v := range f.Vectors {
		b := Block{Number: 1, Hash: h32(t, v.BlockHash)}
		key := h32(t, v.Hotkey)
		w := NewWork(b, key, RuleSDK)
		if w.BlockKeyHash != h32(t, v.BH) {
			t.Errorf("vector %d: block_and_hotkey_hash %x want %s", vi, w.BlockKeyHash, v.BH)
		}
		for _, s := range v.Seals {
			nonce, err := strconv.ParseUint(s.Nonce, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			name := "vector " + strconv.Itoa(vi) + " nonce " + s.Nonce
			want := h32(t, s.Seal)
			if got := w.Seal(nonce); got != want {
				t.Errorf("%s: fast seal %x want %x", name, got, want)
			}
			if got := Seal(b.Hash, key, nonce); got != want {
				t.Errorf("%s: Seal %x want %x", name, got, want)
			}
			if be := new(big.Int).SetBytes(want[:]).String(); be != s.IntBE {
				t.Errorf("%s: big-endian integer %s want %s", name, be, s.IntBE)
			}
			for d, m := range map[uint64]bool{1: s.Meets1, 10: s.Meets2, 1000: s.Meets3} {
				if got := MeetsDifficulty(want, d, RuleSDK); got != m {
					t.Errorf("%s difficulty %d: SDK rule %v want %v", name, d, got, m)
				}
				wd := NewWork(Block{Hash: b.Hash, Difficulty: d}, key, RuleSDK)
				if got := wd.Meets(want); got != m {
					t.Errorf("%s difficulty %d: Work.Meets (SDK rule) %v want %v", name, d, got, m)
				}
			}
		}
		for _, fs := range v.First {
			name := "vector " + strconv.Itoa(vi) + " first solution at difficulty " + strconv.FormatUint(fs.Difficulty, 10)
			bd := Block{Number: 1, Hash: b.Hash, Difficulty: fs.Difficulty}
			n, seal, ok := NewWork(bd, key, RuleSDK).Search(0, 1<<20)
			if !ok || n != fs.Nonce || seal != h32(t, fs.Seal) {
				t.Errorf("%s: Search %d %x %v want %d %s", name, n, seal, ok, fs.Nonce, fs.Seal)
			}
			sol := solveOne(t, bd, key, RuleSDK, 0)
			if sol.Nonce != fs.Nonce || sol.Seal != h32(t, fs.Seal) {
				t.Errorf("%s: CPUSolver %d %x want %d %s", name, sol.Nonce, sol.Seal, fs.Nonce, fs.Seal)
			}
		}
	}
}

func TestGoldenChainPowSeal(t *testing.T) {
	var f struct {
		Upstream []struct {
			BH    string `json:"block_and_hotkey_hash"`
			Nonce uint64 `json:"nonce"`
			Seal  string `json:"seal"`
		} `json:"upstream_vectors"`
		Computed []struct {
			Case      string          `json:"case"`
			BlockHash string          `json:"block_hash"`
			Hotkey    string          `json:"hotkey"`
			BH        string          `json:"block_and_hotkey_hash"`
			Nonce     uint64          `json:"nonce"`
			Seal      string          `json:"seal"`
			MeetsLE   map[string]bool `json:"meets_le"`
			MeetsBE   map[string]bool `json:"meets_be"`
		} `json:"computed_vectors"`
		FirstNonce []struct {
			BlockHash  string `json:"block_hash"`
			Hotkey     string `json:"hotkey"`
			Start      uint64 `json:"start_nonce"`
			Difficulty uint64 `json:"difficulty"`
			Nonce      uint64 `json:"nonce"`
			Seal       string `json:"seal"`
		} `json:"first_nonce_le"`
	}
	loadGolden(t, "chain_pow_seal.json", &f)
	if len(f.Upstream) == 0 || len(f.Computed) == 0 || len(f.FirstNonce) == 0 {
		t.Fatal("chain_pow_seal.json: missing sections")
	}
	for _, v := range f.Upstream {
		w := &Work{BlockKeyHash: h32(t, v.BH)}
		if got := w.Seal(v.Nonce); got != h32(t, v.Seal) {
			t.Errorf("upstream nonce %d: seal %x want %s", v.Nonce, got, v.Seal)
		}
	}
	for _, v := range f.Computed {
		name := v.Case + " nonce " + strconv.FormatUint(v.Nonce, 10)
		b := Block{Hash: h32(t, v.BlockHash)}
		key := h32(t, v.Hotkey)
		w := NewWork(b, key, RuleChain)
		if w.BlockKeyHash != h32(t, v.BH) {
			t.Errorf("%s: block_and_hotkey_hash %x want %s", name, w.BlockKeyHash, v.BH)
		}
		seal := w.Seal(v.Nonce)
		if seal != h32(t, v.Seal) {
			t.Errorf("%s: seal %x want %s", name, seal, v.Seal)
		}
		check := func(m map[string]bool, rule Rule) {
			for ds, want := range m {
				d, err := strconv.ParseUint(ds, 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				if got := MeetsDifficulty(seal, d, rule); got != want {
					t.Errorf("%s difficulty %d: %s rule %v want %v", name, d, rule, got, want)
				}
				if got := NewWork(Block{Hash: b.Hash, Difficulty: d}, key, rule).Meets(seal); got != want {
					t.Errorf("%s difficulty %d: Work.Meets (%s rule) %v want %v", name, d, rule, got, want)
				}
			}
		}
		check(v.MeetsLE, RuleChain)
		check(v.MeetsBE, RuleSDK)
	}
	for _, v := range f.FirstNonce {
		name := "first_nonce_le difficulty " + strconv.FormatUint(v.Difficulty, 10)
		b := Block{Number: 7, Hash: h32(t, v.BlockHash), Difficulty: v.Difficulty}
		key := h32(t, v.Hotkey)
		n, seal, ok := NewWork(b, key, RuleChain).Search(v.Start, 1<<20)
		if !ok || n != v.Nonce || seal != h32(t, v.Seal) {
			t.Errorf("%s: Search %d %x %v want %d %s", name, n, seal, ok, v.Nonce, v.Seal)
		}
		sol := solveOne(t, b, key, RuleChain, v.Start)
		if sol.Nonce != v.Nonce || sol.Seal != h32(t, v.Seal) {
			t.Errorf("%s: CPUSolver %d %x want %d %s", name, sol.Nonce, sol.Seal, v.Nonce, v.Seal)
		}
		if !tx.MeetsDifficulty(sol.Seal, v.Difficulty) || tx.SealHash(b.Hash, key, sol.Nonce) != sol.Seal {
			t.Errorf("%s: the chain's functions reject the solution", name)
		}
	}
}
