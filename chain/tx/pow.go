package tx

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/gotensor/gotensor/chain/codec"
	"github.com/holiman/uint256"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/sha3"
)

// BlockAndHotkeyHash is keccak256(block_hash ‖ hotkey), the per-(block, hotkey) part of the PoW seal
// (spec/chain.md §1.2.1 step 2).
func BlockAndHotkeyHash(blockHash, hotkey [32]byte) [32]byte {
	h := sha3.NewLegacyKeccak256()
	h.Write(blockHash[:])
	h.Write(hotkey[:])
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// SealFromBlockHotkeyHash is keccak256(sha256(nonce u64 LE ‖ bh)) (§1.2.1 steps 3–4).
func SealFromBlockHotkeyHash(bh [32]byte, nonce uint64) [32]byte {
	var pre [40]byte
	binary.LittleEndian.PutUint64(pre[:8], nonce)
	copy(pre[8:], bh[:])
	s := sha256.Sum256(pre[:])
	h := sha3.NewLegacyKeccak256()
	h.Write(s[:])
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// SealHash is the registration/faucet seal for (block hash, hotkey, nonce).
func SealHash(blockHash, hotkey [32]byte, nonce uint64) [32]byte {
	return SealFromBlockHotkeyHash(BlockAndHotkeyHash(blockHash, hotkey), nonce)
}

// MeetsDifficulty is the chain's check (§1.2.2): the seal read as a little-endian 256-bit integer H must
// satisfy H × difficulty < 2^256.
func MeetsDifficulty(seal [32]byte, difficulty uint64) bool {
	var be [32]byte
	for i := range seal {
		be[31-i] = seal[i]
	}
	h := new(uint256.Int).SetBytes32(be[:])
	_, overflow := new(uint256.Int).MulOverflow(h, uint256.NewInt(difficulty))
	return !overflow
}

// SolvePoW searches nonces from start (at most maxIter of them) for a seal meeting difficulty. It is the
// reference miner; sdk/pow has the fast one.
func SolvePoW(blockHash, hotkey [32]byte, difficulty, start, maxIter uint64) (nonce uint64, seal [32]byte, ok bool) {
	bh := BlockAndHotkeyHash(blockHash, hotkey)
	for i := uint64(0); i < maxIter; i++ {
		n := start + i
		s := SealFromBlockHotkeyHash(bh, n)
		if MeetsDifficulty(s, difficulty) {
			return n, s, true
		}
	}
	return 0, [32]byte{}, false
}

// CommitHash is the commit-reveal v2 hash (spec/chain.md §4.3): BLAKE2b-256 over the SCALE encoding of
// (hotkey AccountId32, netuid_index u16, uids Vec<u16>, values Vec<u16>, salt Vec<u16>, version_key u64),
// with the raw (pre-upscale) values.
func CommitHash(hotkey [32]byte, netuidIndex uint16, uids, values, salt []uint16, versionKey uint64) [32]byte {
	return blake2b.Sum256(CommitPreimage(hotkey, netuidIndex, uids, values, salt, versionKey))
}

// CommitPreimage is the SCALE encoding CommitHash hashes.
func CommitPreimage(hotkey [32]byte, netuidIndex uint16, uids, values, salt []uint16, versionKey uint64) []byte {
	b := make([]byte, 0, 32+2+3*5+2*(len(uids)+len(values)+len(salt))+8)
	b = append(b, hotkey[:]...)
	b = binary.LittleEndian.AppendUint16(b, netuidIndex)
	for _, v := range [][]uint16{uids, values, salt} {
		b = codec.AppendScaleCompact(b, uint64(len(v)))
		for _, x := range v {
			b = binary.LittleEndian.AppendUint16(b, x)
		}
	}
	return binary.LittleEndian.AppendUint64(b, versionKey)
}
