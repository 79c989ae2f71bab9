package pow

import (
	"math/big"
	"testing"

	"github.com/gotensor/gotensor/chain/tx"
	"pgregory.net/rapid"
)

func genHash(t *rapid.T, label string) [32]byte {
	return [32]byte(rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, label))
}

// The fast kernel computes exactly the chain's seal.
func TestPropFastSealMatchesChain(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		bh, key := genHash(t, "block"), genHash(t, "key")
		nonce := rapid.Uint64().Draw(t, "nonce")
		w := NewWork(Block{Hash: bh}, key, RuleChain)
		if w.BlockKeyHash != tx.BlockAndHotkeyHash(bh, key) {
			t.Fatal("block-and-key hash differs from tx.BlockAndHotkeyHash")
		}
		if got, want := w.Seal(nonce), tx.SealHash(bh, key, nonce); got != want {
			t.Fatalf("seal %x, chain %x", got, want)
		}
	})
}

var two256 = new(big.Int).Lsh(big.NewInt(1), 256)

// refMeets is the rule written out with math/big: chain H_le·d < 2^256; SDK H_be·d < 2^256 − 1.
func refMeets(seal [32]byte, d uint64, rule Rule) bool {
	var rev [32]byte
	for i := range seal {
		rev[31-i] = seal[i]
	}
	dd := new(big.Int).SetUint64(d)
	le := new(big.Int).Mul(new(big.Int).SetBytes(rev[:]), dd)
	be := new(big.Int).Mul(new(big.Int).SetBytes(seal[:]), dd)
	okLE := le.Cmp(two256) < 0
	okBE := be.Cmp(new(big.Int).Sub(two256, big.NewInt(1))) < 0
	switch rule {
	case RuleChain:
		return okLE
	case RuleSDK:
		return okBE
	}
	return okLE && okBE
}

// sealNear builds a seal whose integer (in the rule's byte order) is floor(top/d) + delta, where the
// comparison flips.
func sealNear(d uint64, delta int64, bigEndian, sdkTop bool) [32]byte {
	top := new(big.Int).Sub(two256, big.NewInt(1))
	if sdkTop {
		top.Sub(top, big.NewInt(1))
	}
	h := new(big.Int).Div(top, new(big.Int).SetUint64(max(d, 1)))
	h.Add(h, big.NewInt(delta))
	h.Mod(h, two256)
	var be [32]byte
	h.FillBytes(be[:])
	if bigEndian {
		return be
	}
	var le [32]byte
	for i := range be {
		le[31-i] = be[i]
	}
	return le
}

// The precomputed limb comparison agrees with the exact rule, especially at the boundary.
func TestPropDifficultyBoundary(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := rapid.OneOf(rapid.Uint64(), rapid.Uint64Range(0, 1<<20), rapid.Just(uint64(1<<64-1))).Draw(t, "difficulty")
		delta := rapid.Int64Range(-3, 3).Draw(t, "delta")
		rule := Rule(rapid.IntRange(0, 2).Draw(t, "rule"))
		var seal [32]byte
		switch rapid.IntRange(0, 3).Draw(t, "shape") {
		case 0:
			seal = sealNear(d, delta, false, false)
		case 1:
			seal = sealNear(d, delta, true, true)
		case 2:
			seal = sealNear(d, delta, true, false)
		default:
			seal = genHash(t, "seal")
		}
		want := refMeets(seal, d, rule)
		if got := MeetsDifficulty(seal, d, rule); got != want {
			t.Fatalf("MeetsDifficulty(%x, %d, %s) = %v, exact %v", seal, d, rule, got, want)
		}
		if got := NewWork(Block{Difficulty: d}, [32]byte{}, rule).Meets(seal); got != want {
			t.Fatalf("Work.Meets(%x, %d, %s) = %v, exact %v", seal, d, rule, got, want)
		}
		if rule == RuleChain && tx.MeetsDifficulty(seal, d) != want {
			t.Fatalf("tx.MeetsDifficulty disagrees with the exact rule")
		}
	})
}

// Search returns the first passing nonce of its range, and nothing when none passes.
func TestPropSearchFindsFirst(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := NewWork(Block{Hash: genHash(t, "block"), Difficulty: rapid.Uint64Range(1, 64).Draw(t, "d")}, genHash(t, "key"), Rule(rapid.IntRange(0, 2).Draw(t, "rule")))
		start := rapid.Uint64().Draw(t, "start")
		n, seal, ok := w.Search(start, 4096)
		first := uint64(0)
		found := false
		for i := uint64(0); i < 4096 && !found; i++ {
			if MeetsDifficulty(tx.SealFromBlockHotkeyHash(w.BlockKeyHash, start+i), w.Block.Difficulty, w.Rule) {
				first, found = start+i, true
			}
		}
		if ok != found || (ok && (n != first || seal != w.Seal(n))) {
			t.Fatalf("Search = %d %v, first passing %d %v", n, ok, first, found)
		}
	})
}

func TestSearchWrapsAndCountZero(t *testing.T) {
	w := NewWork(Block{Difficulty: 0}, [32]byte{}, RuleChain)
	if _, _, ok := w.Search(5, 0); ok {
		t.Fatal("an empty range found a nonce")
	}
	ones := [32]byte{}
	for i := range ones {
		ones[i] = 0xff
	}
	for _, rule := range []Rule{RuleChain, RuleSDK, RuleBoth} {
		if !NewWork(Block{}, [32]byte{}, rule).Meets(ones) || !MeetsDifficulty(ones, 0, rule) {
			t.Errorf("difficulty 0 passes every seal under the %s rule", rule)
		}
	}
	n, _, ok := w.Search(1<<64-1, 2)
	if !ok || n != 1<<64-1 {
		t.Fatalf("difficulty 0 must pass the first nonce, got %d %v", n, ok)
	}
}
