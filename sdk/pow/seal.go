package pow

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"

	"github.com/gotensor/gotensor/chain/tx"
	"github.com/holiman/uint256"
)

// Rule is the difficulty test a seal must pass.
type Rule uint8

const (
	// RuleChain is the chain's test (spec/chain.md §1.2.2, subtensor since 2025-06 and gotensor): the seal
	// read as a little-endian 256-bit integer H must satisfy H × difficulty < 2^256. It is the zero value.
	RuleChain Rule = iota
	// RuleSDK is the Python SDK's pre-check (spec/sdk.md §6.2), which older chains also used: the seal read
	// as a big-endian integer H must satisfy H × difficulty < 2^256 − 1.
	RuleSDK
	// RuleBoth requires both tests; use it for a seal that must satisfy old and new chains alike.
	RuleBoth
)

// String names the rule.
func (r Rule) String() string {
	switch r {
	case RuleChain:
		return "chain (little-endian)"
	case RuleSDK:
		return "sdk (big-endian)"
	case RuleBoth:
		return "both"
	}
	return "unknown"
}

// MeetsDifficulty reports whether seal passes difficulty under rule. RuleChain is exactly
// tx.MeetsDifficulty, the check the runtime applies.
func MeetsDifficulty(seal [32]byte, difficulty uint64, rule Rule) bool {
	switch rule {
	case RuleChain:
		return tx.MeetsDifficulty(seal, difficulty)
	case RuleSDK:
		return meetsSDK(seal, difficulty)
	case RuleBoth:
		return tx.MeetsDifficulty(seal, difficulty) && meetsSDK(seal, difficulty)
	}
	return false
}

// meetsSDK is int.from_bytes(seal, "big") * difficulty < 2**256 - 1.
func meetsSDK(seal [32]byte, difficulty uint64) bool {
	h := new(uint256.Int).SetBytes32(seal[:])
	p, overflow := new(uint256.Int).MulOverflow(h, uint256.NewInt(difficulty))
	if overflow {
		return false
	}
	return p.Lt(new(uint256.Int).SetAllOne())
}

// Seal is the registration seal for (block hash, public key, nonce): keccak256(sha256(nonce LE ‖
// keccak256(block hash ‖ key))). It is tx.SealHash, the function the chain verifies with.
func Seal(blockHash, key [32]byte, nonce uint64) [32]byte { return tx.SealHash(blockHash, key, nonce) }

// target is the largest passing H for one rule, as four little-endian 64-bit limbs (limb 3 most
// significant): H passes iff H ≤ target.
type target [4]uint64

// limit returns floor(top / difficulty); with difficulty 0 every product is 0, so every H passes.
func limit(top *uint256.Int, difficulty uint64) target {
	if difficulty == 0 {
		return target{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
	}
	q := new(uint256.Int).Div(top, uint256.NewInt(difficulty))
	return target(*q)
}

// le reports H ≤ t for H given as limbs h0 (least significant) … h3.
func (t *target) le(h0, h1, h2, h3 uint64) bool {
	if h3 != t[3] {
		return h3 < t[3]
	}
	if h2 != t[2] {
		return h2 < t[2]
	}
	if h1 != t[1] {
		return h1 < t[1]
	}
	return h0 <= t[0]
}

// Work is one unit of PoW, everything the inner loop needs precomputed: keccak256(block hash ‖ key) and
// the passing limits of the difficulty rule. A Work is immutable and safe for concurrent use.
type Work struct {
	// Block is the block the seal is bound to: the chain accepts the seal for Block.Number while the
	// including block is at most Block.Number+2.
	Block Block
	// Key is the public key the seal is bound to: the hotkey for register, the coldkey for faucet.
	Key [32]byte
	// Rule is the difficulty test.
	Rule Rule
	// BlockKeyHash is keccak256(Block.Hash ‖ Key) (tx.BlockAndHotkeyHash).
	BlockKeyHash [32]byte

	chain, sdk target
}

// NewWork precomputes the work for block b, key and rule.
func NewWork(b Block, key [32]byte, rule Rule) *Work {
	w := &Work{Block: b, Key: key, Rule: rule, BlockKeyHash: tx.BlockAndHotkeyHash(b.Hash, key)}
	all := new(uint256.Int).SetAllOne()
	w.chain = limit(all, b.Difficulty)                                        // H·d ≤ 2^256−1
	w.sdk = limit(new(uint256.Int).Sub(all, uint256.NewInt(1)), b.Difficulty) // H·d ≤ 2^256−2
	return w
}

// Seal computes the seal for nonce with the fast kernel (identical to tx.SealFromBlockHotkeyHash).
func (w *Work) Seal(nonce uint64) [32]byte {
	var k kernel
	k.init(&w.BlockKeyHash)
	k.seal(nonce)
	return k.bytes()
}

// Meets reports whether seal passes the work's difficulty under its rule.
func (w *Work) Meets(seal [32]byte) bool {
	var k kernel
	for i := range 4 {
		k.a[i] = binary.LittleEndian.Uint64(seal[8*i:])
	}
	return w.meets(&k)
}

func (w *Work) meets(k *kernel) bool {
	a := &k.a
	switch w.Rule {
	case RuleChain:
		return w.chain.le(a[0], a[1], a[2], a[3])
	case RuleSDK:
		return w.sdk.le(bits.ReverseBytes64(a[3]), bits.ReverseBytes64(a[2]), bits.ReverseBytes64(a[1]), bits.ReverseBytes64(a[0]))
	case RuleBoth:
		return w.chain.le(a[0], a[1], a[2], a[3]) &&
			w.sdk.le(bits.ReverseBytes64(a[3]), bits.ReverseBytes64(a[2]), bits.ReverseBytes64(a[1]), bits.ReverseBytes64(a[0]))
	}
	return false
}

// Search tries the count nonces start, start+1, … (wrapping at 2^64) in order and returns the first whose
// seal passes. It allocates nothing; the solver calls it on chunks of the nonce space.
func (w *Work) Search(start, count uint64) (nonce uint64, seal [32]byte, ok bool) {
	var k kernel
	k.init(&w.BlockKeyHash)
	for i := uint64(0); i < count; i++ {
		n := start + i
		k.seal(n)
		if w.meets(&k) {
			return n, k.bytes(), true
		}
	}
	return 0, [32]byte{}, false
}

// kernel holds the reusable state of the seal computation: the 40-byte SHA-256 input with the
// block-and-key hash already in place, and the Keccak lanes.
type kernel struct {
	pre [40]byte
	a   [25]uint64
}

func (k *kernel) init(bh *[32]byte) { copy(k.pre[8:], bh[:]) }

// seal leaves keccak256(sha256(nonce LE ‖ bh)) in lanes a[0..3] (little-endian, as the bytes).
func (k *kernel) seal(nonce uint64) {
	binary.LittleEndian.PutUint64(k.pre[:8], nonce)
	d := sha256.Sum256(k.pre[:])
	a := &k.a
	// One Keccak-256 block: the 32-byte message, the legacy padding 0x01 … 0x80 at byte 135 (rate 136).
	a[0] = binary.LittleEndian.Uint64(d[0:])
	a[1] = binary.LittleEndian.Uint64(d[8:])
	a[2] = binary.LittleEndian.Uint64(d[16:])
	a[3] = binary.LittleEndian.Uint64(d[24:])
	a[4] = 0x01
	for i := 5; i < 25; i++ {
		a[i] = 0
	}
	a[16] = 0x80 << 56
	keccakF1600(a)
}

func (k *kernel) bytes() (out [32]byte) {
	for i := range 4 {
		binary.LittleEndian.PutUint64(out[8*i:], k.a[i])
	}
	return out
}
