package tx_test

import (
	"encoding/hex"
	"encoding/json"
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
		t.Fatal(err)
	}
}

func h32(t *testing.T, s string) [32]byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 32 {
		t.Fatalf("bad hex %q", s)
	}
	var a [32]byte
	copy(a[:], b)
	return a
}

func TestGoldenPowSeal(t *testing.T) {
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
	for _, v := range f.Upstream {
		if got := tx.SealFromBlockHotkeyHash(h32(t, v.BH), v.Nonce); got != h32(t, v.Seal) {
			t.Errorf("upstream seal: got %x want %s", got, v.Seal)
		}
	}
	for _, v := range f.Computed {
		bh := tx.BlockAndHotkeyHash(h32(t, v.BlockHash), h32(t, v.Hotkey))
		if bh != h32(t, v.BH) {
			t.Errorf("%s: block_and_hotkey_hash %x want %s", v.Case, bh, v.BH)
		}
		seal := tx.SealHash(h32(t, v.BlockHash), h32(t, v.Hotkey), v.Nonce)
		if seal != h32(t, v.Seal) {
			t.Errorf("%s nonce %d: seal %x want %s", v.Case, v.Nonce, seal, v.Seal)
		}
		for d, want := range v.MeetsLE {
			diff, _ := strconv.ParseUint(d, 10, 64)
			if got := tx.MeetsDifficulty(seal, diff); got != want {
				t.Errorf("%s nonce %d difficulty %d: meets %v want %v", v.Case, v.Nonce, diff, got, want)
			}
		}
	}
	if len(f.FirstNonce) == 0 {
		t.Fatal("no first_nonce_le vectors")
	}
	for _, v := range f.FirstNonce {
		n, seal, ok := tx.SolvePoW(h32(t, v.BlockHash), h32(t, v.Hotkey), v.Difficulty, v.Start, 1<<20)
		if !ok || n != v.Nonce || seal != h32(t, v.Seal) {
			t.Errorf("first nonce at difficulty %d: got %d %x want %d %s", v.Difficulty, n, seal, v.Nonce, v.Seal)
		}
	}
}

func TestGoldenCommitHash(t *testing.T) {
	var f struct {
		Computed []struct {
			Case        string   `json:"case"`
			Hotkey      string   `json:"hotkey"`
			NetuidIndex uint16   `json:"netuid_index"`
			Uids        []uint16 `json:"uids"`
			Values      []uint16 `json:"values"`
			Salt        []uint16 `json:"salt"`
			VersionKey  uint64   `json:"version_key"`
			Scale       string   `json:"scale_encoding"`
			Hash        string   `json:"hash"`
		} `json:"computed_vectors"`
	}
	loadGolden(t, "chain_commit_hash.json", &f)
	if len(f.Computed) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range f.Computed {
		hk := h32(t, v.Hotkey)
		pre := tx.CommitPreimage(hk, v.NetuidIndex, v.Uids, v.Values, v.Salt, v.VersionKey)
		if got := "0x" + hex.EncodeToString(pre); got != v.Scale {
			t.Errorf("%s: scale %s want %s", v.Case, got, v.Scale)
		}
		if got := tx.CommitHash(hk, v.NetuidIndex, v.Uids, v.Values, v.Salt, v.VersionKey); got != h32(t, v.Hash) {
			t.Errorf("%s: hash %x want %s", v.Case, got, v.Hash)
		}
	}
}

func BenchmarkSealHash(b *testing.B) {
	bh := tx.BlockAndHotkeyHash([32]byte{}, [32]byte{1})
	for i := 0; i < b.N; i++ {
		_ = tx.SealFromBlockHotkeyHash(bh, uint64(i))
	}
}
